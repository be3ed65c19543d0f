"""Bypass class: `gate check` on a machine reads a change other than the one git would merge or
build: shallow history, a Dockerfile read unlike BuildKit reads it, a given file from the change."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gate.main import main
from testing.gitrepo import GitRepo
from testing.infra import FILES, MAP, infra_repo, upgrade

IMAGE_RULE = """\
    version:
      file: "db/Dockerfile"
      image: postgres
      scheme: postgresql
"""
OMNIBUS_RULE = """\
    version:
      file: "config/software/postgresql.rb"
      pattern: "default_version ['\\"](?P<version>[^'\\"]+)['\\"]"
      scheme: postgresql
"""


def _check(repo: GitRepo, capsys: pytest.CaptureFixture[str], *more: str) -> tuple[int, str, str]:
    code = main(["check", "--repo", str(repo.path), "--base", "main", *more])
    out, err = capsys.readouterr()
    return code, out, err


def _dockerfile_repo(tmp_path: Path, base: str) -> GitRepo:
    text = MAP.replace("{policy}", "").replace(OMNIBUS_RULE, IMAGE_RULE)
    text = text.replace('      - "cookbooks/postgresql/"\n', '      - "db/"\n')
    repo = infra_repo(tmp_path, map_text=text)
    repo.checkout("main")
    repo.commit("the image", ("db/Dockerfile", base))
    repo.checkout("change")
    repo.git("reset", "-q", "--hard", "main")
    return repo


@pytest.mark.parametrize("directive", ["check=skip=all", "CHECK=error=true"])
def test_an_escape_directive_after_a_check_directive_is_read_as_buildkit_reads_it(
    tmp_path, capsys, directive
):
    # BuildKit knows three parser directives (syntax, escape, check): after `# check=...` the
    # escape directive still holds, so a backslash ends no line and the last FROM is a stage.
    base = f"# {directive}\n# escape=`\nFROM postgres:9.2.18\n"
    repo = _dockerfile_repo(tmp_path, base)
    head = base + "RUN echo \\\nFROM postgres:9.6.1\n"
    repo.commit("a second stage", ("db/Dockerfile", head))
    code, out, _ = _check(repo, capsys, "--format", "json")
    assert code == 2, out
    error = json.loads(out)["error"]
    assert "ambiguous" in error
    assert "db/Dockerfile:5: postgres:9.6.1" in error


def test_shallow_history_cannot_hide_a_second_merge_base(tmp_path, capsys):
    # The criss-cross of tests/bypasses/test_history.py, with the signed-off upgrade far below
    # main's tip: deepened until one merge base shows, the clone still hides the other one.
    source = infra_repo(tmp_path / "source")
    source.checkout("main")
    source.checkout("-b", "feature")
    documented = source.commit("document", ("README.md", "infra, documented\n"))
    source.checkout("main")
    upgraded = upgrade(source)
    source.commit_chain(80)
    source.git("merge", "-q", "--no-edit", "feature")
    source.checkout("feature")
    source.git("merge", "-q", "--no-edit", upgraded)
    source.commit("undo", ("config/software/postgresql.rb", FILES["config/software/postgresql.rb"]))
    assert sorted(source.git("merge-base", "--all", "main", "feature").split()) == sorted(
        [documented, upgraded]
    )
    clone = GitRepo.clone(
        f"file://{source.path}", tmp_path / "clone", "--depth=1", "--no-single-branch"
    )
    code = main(
        [
            "check",
            "--repo",
            str(clone.path),
            "--base",
            "origin/main",
            "--head",
            "origin/feature",
            "--deepen",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2, err
    assert "2 merge bases" in err


def _signed(tmp_path: Path) -> tuple[GitRepo, str, str]:
    """A repository whose change dave signs off in a ledger; the change stays checked out."""
    repo = infra_repo(tmp_path / "repo")
    head = repo.commit("page less", ("alerting/crontab", "MAILTO=oncall@example.com\n"))
    return repo, head, f"- {{system: backup-alerts, by: dave, commit: '{head}'}}\n"


@pytest.mark.parametrize("checked", ["given", "other"])
def test_a_signoffs_file_in_another_work_tree_of_the_repository_is_refused(
    tmp_path, capsys, checked
):
    # `git worktree add` gives one repository several work trees; the change may be checked out
    # in any of them, and a file there may be its own.
    repo, head, ledger = _signed(tmp_path)
    linked = tmp_path / "linked"
    repo.git("worktree", "add", "-q", "--detach", str(linked), head)
    given, other = (repo.path, linked) if checked == "given" else (linked, repo.path)
    (other / "signoffs.yml").write_text(ledger)
    code = main(
        [
            "check",
            "--repo",
            str(given),
            "--base",
            "main",
            "--head",
            head,
            "--signoffs",
            str(other / "signoffs.yml"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"lies inside the work tree {other}" in err
    assert "may be the change's own" in err


def test_a_line_ending_in_two_carriage_returns_continues_nothing(tmp_path, capsys):
    # BuildKit's line scanner drops one carriage return before a line feed; with another left,
    # the escape is not the last character of the line and the line continues nothing.
    repo = _dockerfile_repo(tmp_path, "FROM postgres:9.2.18\n")
    head = "FROM postgres:9.2.18\nRUN echo \\\r\r\nFROM postgres:9.6.1\n"
    repo.commit("a second stage", ("db/Dockerfile", head))
    code, out, _ = _check(repo, capsys, "--format", "json")
    assert code == 2, out
    error = json.loads(out)["error"]
    assert "ambiguous" in error
    assert "db/Dockerfile:3: postgres:9.6.1" in error


def test_a_helm_image_mapping_counts_as_a_reference_to_the_image(tmp_path, capsys):
    # The chart deploys image.repository:image.tag; a plain `image:` elsewhere in the file must
    # not stand in for it.
    text = MAP.replace("{policy}", "").replace(
        OMNIBUS_RULE, IMAGE_RULE.replace("db/Dockerfile", "db/values.yaml")
    )
    text = text.replace('      - "cookbooks/postgresql/"\n', '      - "db/"\n')
    repo = infra_repo(tmp_path, map_text=text)
    repo.checkout("main")
    base = "image:\n  repository: postgres\n  tag: '9.2.18'\nbackup:\n  image: postgres:9.2.18\n"
    repo.commit("the chart", ("db/values.yaml", base))
    repo.checkout("change")
    repo.git("reset", "-q", "--hard", "main")
    repo.commit("upgrade", ("db/values.yaml", base.replace("'9.2.18'", "'9.6.1'")))
    code, out, _ = _check(repo, capsys, "--format", "json")
    assert code == 2, out
    error = json.loads(out)["error"]
    assert "db/values.yaml:2: postgres:9.6.1" in error
    assert "db/values.yaml:5: postgres:9.2.18" in error


def _private_mounts() -> bool:
    """Whether this machine lets an unprivileged process bind-mount in a namespace of its own."""
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _private_mounts(), reason="needs unshare with user and mount namespaces")
def test_a_signoffs_file_reached_through_a_bind_mount_of_the_work_tree_is_refused(tmp_path):
    # The same directory under another name (a bind mount; on macOS or Windows, another case of
    # its name) is still the work tree.
    repo, head, ledger = _signed(tmp_path)
    (repo.path / "signoffs.yml").write_text(ledger)
    mounted = tmp_path / "mounted"
    mounted.mkdir()
    gate = Path(sys.executable).with_name("gate")
    script = (
        f'mount --bind "{repo.path}" "{mounted}" && exec "{gate}" check --repo "{repo.path}"'
        f' --base main --head {head} --signoffs "{mounted}/signoffs.yml"'
    )
    result = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"lies inside the work tree {repo.path}" in result.stderr


def _compose_repo(tmp_path: Path, compose_file: str, paths: str) -> GitRepo:
    """The infra map, PostgreSQL's version an image rule on `compose_file`, its paths `paths`."""
    text = MAP.replace("{policy}", "").replace(
        OMNIBUS_RULE, IMAGE_RULE.replace("db/Dockerfile", compose_file)
    )
    text = text.replace('      - "cookbooks/postgresql/"\n', paths)
    repo = infra_repo(tmp_path, map_text=text)
    repo.checkout("main")
    compose = "services:\n  db:\n    image: postgres:${PG_TAG:-9.2.18}\n"
    repo.commit("compose", (compose_file, compose))
    repo.checkout("change")
    repo.git("reset", "-q", "--hard", "main")
    return repo


@pytest.mark.parametrize(
    ("compose_file", "paths", "env_file"),
    [
        ("db/compose.yml", '      - "db/"\n', "db/.env"),
        # The .env at the top, which no system lists: it is read with the compose file beside
        # it, and touches that system as its version file does.
        ("compose.yml", "", ".env"),
    ],
)
def test_a_compose_env_file_that_sets_the_tag_variable_is_not_hidden_by_the_default(
    tmp_path, capsys, compose_file, paths, env_file
):
    repo = _compose_repo(tmp_path, compose_file, paths)
    repo.commit("upgrade through .env", (env_file, "# pinned\nexport PG_TAG='9.6.1'\n"))
    code, out, _ = _check(repo, capsys, "--format", "json")
    report = json.loads(out)
    systems = {s["id"]: s for s in report["systems"]}
    assert systems["postgresql"]["version"]["before"] == "9.2.18", out
    assert systems["postgresql"]["version"]["after"] == "9.6.1", out
    assert systems["postgresql"]["version"]["bump"] == "major"
    assert systems["pg-dump-backup"]["violations"], out  # pg_dump 9.2 cannot dump 9.6
    assert code == 1
    assert report["unmapped"] == []


def test_without_a_value_in_the_env_file_the_default_is_the_version(tmp_path, capsys):
    repo = _compose_repo(tmp_path, "db/compose.yml", '      - "db/"\n')
    repo.commit("other settings", ("db/.env", "OTHER=1\n"))
    code, out, _ = _check(repo, capsys, "--format", "json")
    systems = {s["id"]: s for s in json.loads(out)["systems"]}
    version = systems["postgresql"]["version"]
    assert (version["before"], version["after"], version["bump"]) == ("9.2.18", "9.2.18", None)
    assert code == 1  # the .env is one of PostgreSQL's files: the change touches it
    assert systems["postgresql"]["affected"] == "touched"
    assert not systems["pg-dump-backup"]["violations"]


def test_an_env_file_that_is_a_link_is_an_error_not_the_default(tmp_path, capsys):
    # Compose follows the link; reading the link's own text would leave the default standing.
    repo = _compose_repo(tmp_path, "db/compose.yml", '      - "db/"\n')
    repo.commit("the tag elsewhere", ("db/real.env", "PG_TAG=9.6.1\n"))
    repo.symlink("db/.env", "real.env")
    repo.git("add", "-A")
    repo.git("commit", "-qm", "link it")
    code, _, err = _check(repo, capsys)
    assert code == 2
    assert "db/.env is a symbolic link" in err
