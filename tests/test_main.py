"""The command line as users run it: the installed entry point, startup, help, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gate.main import main
from testing.infra import MAP, infra_repo, upgrade

GATE = Path(sys.executable).with_name("gate")


def test_the_installed_entry_point_runs_a_check(tmp_path):
    repo = infra_repo(tmp_path)
    upgrade(repo)
    result = subprocess.run(
        [str(GATE), "check", "--base", "main", "--format", "json"],
        cwd=repo.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["verdict"] == "blocked"


def test_what_the_installed_gate_prints_arrives_in_full(tmp_path):
    # The process ends without Python's teardown: what print() buffered must be written first.
    (tmp_path / "dependency-map.yaml").write_text(MAP.replace("{policy}", ""))
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    result = subprocess.run(
        [str(GATE), "validate", "--repo", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(" teams\n")
    assert ": ok: " in result.stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["validate"], ["--version"]])
def test_output_that_cannot_be_written_is_an_error(tmp_path, args):
    (tmp_path / "dependency-map.yaml").write_text(MAP.replace("{policy}", ""))
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [str(GATE), *args],
            cwd=tmp_path,
            env=env,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert result.returncode == 2
    assert "the output could not be written in full: No space left on device" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["check", "--help"]])
def test_help_and_version_import_no_heavy_library(args):
    probe = (
        "import sys\n"
        "from gate.main import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'git', 'networkx', 'requests', 'yaml', 'packaging'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_python_dash_m_works():
    result = subprocess.run(
        [sys.executable, "-m", "gate", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("gate ")


def test_a_bad_map_is_listed_by_validate(tmp_path, capsys):
    (tmp_path / "dependency-map.yaml").write_text("version: 1\nmap-owner: [x]\nsystems: {}\n")
    code = main(["validate", "--repo", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "dependency-map.yaml:2:1:" in err
    assert "map-owners" in err


def test_validate_accepts_a_good_map(tmp_path, capsys):
    (tmp_path / "m.yaml").write_text(MAP.replace("{policy}", ""))
    assert main(["validate", "--map-file", str(tmp_path / "m.yaml")]) == 0
    assert "ok: 4 systems, 3 dependencies, 4 teams" in capsys.readouterr().out


def test_explain_lists_both_directions(tmp_path, capsys):
    (tmp_path / "dependency-map.yaml").write_text(MAP.replace("{policy}", ""))
    assert main(["explain", "pg-dump-backup", "--repo", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "owners: backup (carol)" in out
    assert "postgresql (requires >={major}): pg_dump refuses" in out
    assert "backup-alerts: pages on-call" in out


def test_explain_an_unknown_system_suggests(tmp_path, capsys):
    (tmp_path / "dependency-map.yaml").write_text(MAP.replace("{policy}", ""))
    assert main(["explain", "pg-dump-backu", "--repo", str(tmp_path)]) == 2
    assert "did you mean 'pg-dump-backup'" in capsys.readouterr().err


def test_explain_a_change_gives_each_chain(tmp_path, capsys):
    repo = infra_repo(tmp_path)
    upgrade(repo)
    code = main(
        ["explain", "backup-alerts", "--repo", str(repo.path), "--base", "main", "--head", "change"]
    )
    assert code == 0
    assert "via postgresql -> pg-dump-backup -> backup-alerts" in capsys.readouterr().out


@pytest.mark.parametrize(("form", "needle"), [("mermaid", "flowchart LR"), ("dot", "digraph")])
def test_graph(tmp_path, capsys, form, needle):
    (tmp_path / "dependency-map.yaml").write_text(MAP.replace("{policy}", ""))
    assert main(["graph", "--repo", str(tmp_path), "--format", form]) == 0
    out = capsys.readouterr().out
    assert needle in out
    assert out.count("->") >= 3


def test_a_crash_exits_3_and_says_it_is_a_bug(tmp_path, capsys, monkeypatch):
    import gate.check

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(gate.check, "check", broken)
    code = main(["check", "--repo", str(tmp_path), "--base", "main"])
    assert code == 3
    assert "this is a bug" in capsys.readouterr().err


def test_a_missing_map_file_is_an_error(tmp_path, capsys):
    assert main(["validate", "--map-file", str(tmp_path / "nope.yaml")]) == 2
    assert "cannot read the map" in capsys.readouterr().err


def test_demo_stops_the_upgrade_then_passes(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert out.count("(exit 1: blocked)") == 2
    assert "(exit 0: pass)" in out
    assert "pg-dump-backup 9.2.18" in out
    assert "does not satisfy >=9.6" in out
    assert "via postgresql-primary -> pg-dump-backup -> cron-email-alerts" in out


def test_demo_leaves_nothing_behind(tmp_path, capsys):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    result = subprocess.run(
        [str(GATE), "demo"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_readme_map_example_is_valid(tmp_path, capsys):
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = readme.split("## The map", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "map.yaml").write_text(example)
    assert main(["validate", "--map-file", str(tmp_path / "map.yaml")]) == 0, capsys.readouterr()


def _hook_entry() -> list[str]:
    import yaml

    hooks = yaml.safe_load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text())
    [hook] = hooks
    assert hook["stages"] == ["pre-push"]
    assert hook["pass_filenames"] is False
    entry: str = hook["entry"]
    return entry.split()


def test_the_pre_push_hook_reports_a_blocked_change_and_lets_the_push_go(tmp_path):
    origin = infra_repo(tmp_path / "origin")
    clone = tmp_path / "clone"
    origin.git("clone", "-q", str(origin.path), str(clone))
    origin.git("-C", str(clone), "checkout", "-q", "-b", "upgrade", "origin/main")
    (clone / "config/software/postgresql.rb").write_text('default_version "9.6.1"\n')
    origin.git("-C", str(clone), "commit", "-qam", "upgrade")
    entry = _hook_entry()
    result = subprocess.run(
        [str(GATE), *entry[1:]], cwd=clone, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "BLOCKED" in result.stdout
    assert "Who must still sign off:\n  dba (ask alice, bob): postgresql" in result.stdout


def test_the_pre_push_hook_fails_on_an_error(tmp_path):
    repo = infra_repo(tmp_path)  # no origin: the base cannot be known
    entry = _hook_entry()
    result = subprocess.run(
        [str(GATE), *entry[1:]], cwd=repo.path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "pass --base" in result.stderr


def test_explain_reach_follows_on_filters(tmp_path, capsys):
    # server -> cache (on: any) -> web (on: major): no change of server can get past cache.
    (tmp_path / "dependency-map.yaml").write_text(
        "version: 1\nmap-owners: ['@erin']\nsystems:\n"
        "  server: {owners: ['@a'], paths: [s/]}\n"
        "  cache: {owners: ['@b'], paths: [c/], depends_on: [{system: server}]}\n"
        "  web: {owners: ['@c'], paths: [w/], depends_on: [{system: cache, on: major}]}\n"
    )
    assert main(["explain", "server", "--repo", str(tmp_path)]) == 0
    assert "a major upgrade here reaches: cache\n" in capsys.readouterr().out


@pytest.mark.parametrize("option", [["--base", "main"], ["--head", "feature"], ["--author", "x"]])
def test_github_mode_refuses_options_it_would_ignore(tmp_path, capsys, option):
    assert main(["check", "--github", "--repo", str(tmp_path), *option]) == 2
    assert f"drop {option[0]}" in capsys.readouterr().err


def test_a_reader_that_goes_away_is_an_error_not_a_crash():
    gate = subprocess.Popen([str(GATE), "demo"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert gate.stdout is not None
    gate.stdout.read(10)
    gate.stdout.close()
    _, err = gate.communicate()
    assert gate.returncode == 2
    assert b"output closed before the report was written in full" in err
    assert b"Traceback" not in err


def _pushing_clone(tmp_path: Path) -> tuple[Path, str]:
    """A clone with an upgrade committed on a branch, and another branch checked out."""
    origin = infra_repo(tmp_path / "origin")
    clone = tmp_path / "clone"
    origin.git("clone", "-q", str(origin.path), str(clone))
    origin.git("-C", str(clone), "checkout", "-q", "-b", "upgrade", "origin/main")
    (clone / "config/software/postgresql.rb").write_text('default_version "9.6.1"\n')
    origin.git("-C", str(clone), "commit", "-qam", "upgrade")
    pushed = origin.git("-C", str(clone), "rev-parse", "HEAD")
    origin.git("-C", str(clone), "checkout", "-q", "-b", "elsewhere", "origin/main")
    return clone, pushed


def _hook(clone: Path, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("PRE_COMMIT")}
    return subprocess.run(
        [str(GATE), *_hook_entry()[1:]],
        cwd=clone,
        env={**env, **environ},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_pre_push_hook_checks_the_commit_being_pushed_not_the_checkout(tmp_path):
    # `git push origin upgrade` from a checkout of another branch: the hook must check upgrade.
    clone, pushed = _pushing_clone(tmp_path)
    result = _hook(clone, PRE_COMMIT_TO_REF=pushed, PRE_COMMIT_FROM_REF="0" * 40)
    assert result.returncode == 0, result.stderr
    assert "BLOCKED" in result.stdout
    assert pushed[:12] in result.stdout
    # Right under pre-commit's "Passed" for the advisory hook, it says that it is not one.
    assert "BLOCKED, not passed" in result.stderr
    checkout = _hook(clone)  # without pre-commit's variable: the checkout, which changes nothing
    assert checkout.returncode == 0, checkout.stderr
    assert "BLOCKED" not in checkout.stdout + checkout.stderr


@pytest.mark.parametrize(
    ("pushed", "code", "said"),
    [
        ("0" * 40, 0, "deletes a branch"),
        ("upgrade", 2, "not a full commit id"),
        ("$(touch x)", 2, "not a full commit id"),
    ],
)
def test_the_pre_push_hook_takes_only_a_commit_id_from_pre_commit(tmp_path, pushed, code, said):
    clone, _ = _pushing_clone(tmp_path)
    result = _hook(clone, PRE_COMMIT_TO_REF=pushed)
    assert result.returncode == code, result.stderr
    assert said in result.stdout + result.stderr


def test_pre_push_refuses_a_head_of_its_own(tmp_path, capsys):
    assert main(["check", "--pre-push", "--head", "x", "--repo", str(tmp_path)]) == 2
    assert "drop --github and --head" in capsys.readouterr().err


def test_with_output_the_verdict_is_still_one_line_on_stderr(tmp_path, capsys):
    repo = infra_repo(tmp_path / "r")
    upgrade(repo)
    target = tmp_path / "report.json"
    args = ["check", "--repo", str(repo.path), "--base", "main", "--format", "json"]
    assert main([*args, "--output", str(target)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "gate: BLOCKED: 4 systems wait for sign-off; 1 version requirement violated."
        f" The report is in {target}.\n"
    )
    assert main(args) == 1  # to stdout: the report alone
    assert capsys.readouterr().err == ""


def test_the_text_report_names_the_people_to_ask_beside_each_team(tmp_path, capsys):
    repo = infra_repo(tmp_path)
    upgrade(repo)
    assert main(["check", "--repo", str(repo.path), "--base", "main", "--author", "bob"]) == 1
    out = capsys.readouterr().out
    assert "  dba (ask alice): postgresql, replica\n" in out  # bob wrote it: not asked
    assert "  @frank: replica\n" in out  # a login is the person already
