"""The check, end to end through the real CLI (main), on real repositories."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gate.main import main
from testing.gitrepo import GitRepo
from testing.infra import MAP, infra_repo, upgrade


def run(
    capsys: pytest.CaptureFixture[str], repo: GitRepo, *args: str
) -> tuple[int, dict[str, Any]]:
    code = main(["check", "--repo", str(repo.path), "--base", "main", "--format", "json", *args])
    out = capsys.readouterr().out
    report: dict[str, Any] = json.loads(out)
    return code, report


def systems(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in report["systems"]}


def test_the_2017_upgrade_is_blocked_with_its_violation(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    upgrade(repo)
    code, report = run(capsys, repo)
    assert code == 1
    assert report["verdict"] == "blocked"
    found = systems(report)
    assert found["postgresql"]["affected"] == "touched"
    assert found["postgresql"]["version"]["bump"] == "major"
    assert found["pg-dump-backup"]["because"] == [["postgresql", "pg-dump-backup"]]
    assert found["backup-alerts"]["because"] == [["postgresql", "pg-dump-backup", "backup-alerts"]]
    assert found["replica"]["because"] == [["postgresql", "replica"]]
    [violation] = found["pg-dump-backup"]["violations"]
    assert violation["requires"] == ">=9.6"
    assert violation["version"] == "9.2.18"
    assert violation["dependency_version"] == "9.6.1"
    assert violation["already_at_base"] is False
    assert report["pending"] == ["postgresql", "backup-alerts", "pg-dump-backup", "replica"]
    assert report["changed"] == [
        {"status": "M", "path": "config/software/postgresql.rb", "old_path": None}
    ]
    assert report["map"]["source"] == f"dependency-map.yaml@{report['base']}"


def test_a_non_version_change_does_not_cross_on_major(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    repo.commit("tune", ("cookbooks/postgresql/recipe.rb", "# tuned\n"))
    code, report = run(capsys, repo)
    assert code == 1
    assert set(systems(report)) == {"postgresql", "pg-dump-backup", "backup-alerts"}
    assert all(not s["violations"] for s in report["systems"])


def test_a_minor_bump_does_not_reach_the_replica(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    upgrade(repo, "9.2.24")
    _, report = run(capsys, repo)
    found = systems(report)
    assert found["postgresql"]["version"]["bump"] == "minor"
    assert "replica" not in found


def test_fixing_the_client_and_signing_off_passes(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    upgrade(repo)
    head = repo.commit("client", ("backup/backup.yml", 'pg_dump:\n  client_version: "9.6.1"\n'))
    ledger = tmp_path / "signoffs.yml"
    ledger.write_text(
        "".join(
            f"- {{system: {s}, by: {who}, commit: '{head}', note: ok}}\n"
            for s, who in [
                ("postgresql", "bob"),
                ("pg-dump-backup", "carol"),
                ("backup-alerts", "dave"),
                ("replica", "frank"),
            ]
        )
    )
    code, report = run(capsys, repo, "--signoffs", str(ledger), "--author", "alice")
    assert (code, report["verdict"], report["pending"]) == (0, "pass", [])
    assert report["unsignable"] == []
    assert systems(report)["pg-dump-backup"]["affected"] == "touched"
    assert systems(report)["replica"]["signoff"]["by"][0]["by"] == "frank"


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("{system: postgresql, by: alice, commit: HEAD}", "author"),
        ("{system: postgresql, by: carol, commit: HEAD}", "not an owner"),
        ("{system: postgresql, by: bob, commit: BASE}", "not for the head"),
        ("{system: postgresql, by: 'ci[bot]', commit: HEAD}", "not an owner"),
    ],
)
def test_signoffs_that_do_not_count(tmp_path, capsys, entry, reason):
    repo = infra_repo(tmp_path / "repo")
    head = repo.commit("tune", ("cookbooks/postgresql/recipe.rb", "# tuned\n"))
    base = repo.git("rev-parse", "main")
    ledger = tmp_path / "signoffs.yml"
    ledger.write_text("- " + entry.replace("HEAD", head).replace("BASE", base) + "\n")
    code, report = run(capsys, repo, "--signoffs", str(ledger), "--author", "alice")
    assert code == 1
    assert "postgresql" in report["pending"]
    [ignored] = report["ignored_signoffs"]
    assert reason in ignored["reason"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{system: postgresql, by: bob}", "missing commit"),
        ("{system: postgres, by: bob, commit: HEAD}", "unknown system 'postgres'"),
        ("{system: postgresql, by: bob, commit: abc123}", "full id of the head commit (40 or 64"),
        ("just text", "is a list"),
        ("[unclosed", ":1:"),
    ],
)
def test_a_bad_signoffs_file_is_an_error(tmp_path, capsys, text, message):
    repo = infra_repo(tmp_path / "repo")
    head = repo.commit("tune", ("cookbooks/postgresql/recipe.rb", "# tuned\n"))
    ledger = tmp_path / "signoffs.yml"
    ledger.write_text(("- " + text if text.startswith("{") else text).replace("HEAD", head))
    code, report = run(capsys, repo, "--signoffs", str(ledger))
    assert code == 2
    assert report["verdict"] == "error"
    assert message in report["error"]


@pytest.mark.parametrize(
    ("policy", "files", "code", "pending"),
    [
        ("", {"README.md": "x"}, 0, []),
        ("policy:\n  unmapped: fail\n", {"README.md": "x"}, 1, []),
        ("policy:\n  unmapped: ignore\n", {"README.md": "x"}, 0, []),
        ("policy:\n  signoff-touched: false\n", {"alerting/crontab": "x"}, 0, []),
        ("", {"alerting/crontab": "x"}, 1, ["backup-alerts"]),
    ],
)
def test_policies(tmp_path, capsys, policy, files, code, pending):
    repo = infra_repo(tmp_path / "repo", policy=policy)
    repo.commit("edit", *files.items())
    got, report = run(capsys, repo)
    assert (got, report["pending"]) == (code, pending)
    unmapped = report["unmapped"]
    assert unmapped == (["README.md"] if "README.md" in files and "ignore" not in policy else [])


@pytest.mark.parametrize(
    ("rule", "signers", "satisfied"),
    [
        ("all", ["bob"], False),
        ("all", ["bob", "frank"], True),
        ("2", ["bob"], False),
        ("2", ["bob", "alice"], True),
        ("any", ["frank"], True),
    ],
)
def test_signoff_rules(tmp_path, capsys, rule, signers, satisfied):
    text = MAP.replace(
        '    owners: ["dba", "@frank"]', f'    owners: ["dba", "@frank"]\n    signoff: {rule}'
    )
    repo = infra_repo(tmp_path / "repo", map_text=text.replace("{policy}", ""))
    head = repo.commit("edit", ("replica/recipe.rb", "# changed\n"))
    ledger = tmp_path / "s.yml"
    ledger.write_text(
        "".join(f"- {{system: replica, by: {s}, commit: '{head}'}}\n" for s in signers)
    )
    code, report = run(capsys, repo, "--signoffs", str(ledger))
    assert systems(report)["replica"]["signoff"]["satisfied"] is satisfied
    assert code == (0 if satisfied else 1)


def test_a_map_edit_needs_map_owners_and_the_base_owners_of_what_it_redefines(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    text = MAP.replace("{policy}", "").replace('owners: ["sre"]', 'owners: ["sre", "dba"]')
    repo.commit("give alerts to dba", ("dependency-map.yaml", text))
    code, report = run(capsys, repo)
    found = systems(report)
    assert code == 1
    assert set(found) == {"dependency-map.yaml", "backup-alerts"}
    assert found["dependency-map.yaml"]["owners"] == ["platform"]
    assert found["backup-alerts"]["owners"] == ["sre"]  # the base owners, not the new ones


def test_a_map_edit_alone_carries_no_impact(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    text = MAP.replace("{policy}", "").replace(
        'kind: database\n    owners: ["dba"]\n', 'kind: db\n    owners: ["dba"]\n', 1
    )
    repo.commit("rename kind", ("dependency-map.yaml", text))
    _, report = run(capsys, repo)
    assert set(systems(report)) == {"dependency-map.yaml", "postgresql"}


def test_a_change_that_breaks_the_map_is_an_error(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    repo.commit("break", ("dependency-map.yaml", "version: 1\nsystems: [\n"))
    code, report = run(capsys, repo)
    assert code == 2
    assert "leaves dependency-map.yaml invalid" in report["error"]


def test_no_map_at_base_is_an_error_that_explains(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    repo.git("checkout", "-q", "main")
    repo.git("rm", "-q", "dependency-map.yaml")
    repo.commit("drop map")
    repo.git("checkout", "-q", "change")
    code, report = run(capsys, repo)
    assert code == 2
    assert "no dependency-map.yaml at the base commit" in report["error"]


def test_a_map_file_outside_the_repository_is_no_system(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    outside = tmp_path / "org-map.yaml"
    outside.write_text(MAP.replace("{policy}", ""))
    repo.commit("edit in-repo map", ("dependency-map.yaml", "garbage: ["))
    code, report = run(capsys, repo, "--map-file", str(outside))
    assert code == 0
    assert report["unmapped"] == ["dependency-map.yaml"]


def test_a_rename_out_of_an_owned_directory_touches_the_owner(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    repo.git("mv", "alerting/crontab", "docs-crontab")
    repo.commit("move")
    _, report = run(capsys, repo)
    assert "backup-alerts" in systems(report)
    assert report["changed"] == [
        {"status": "R", "path": "docs-crontab", "old_path": "alerting/crontab"}
    ]


def test_a_deleted_version_file_is_an_error_at_head(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    repo.remove("backup/backup.yml")
    repo.commit("drop")
    code, report = run(capsys, repo)
    assert code == 2
    assert "pg-dump-backup" in report["error"]


def test_an_empty_diff_passes(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    code, report = run(capsys, repo)
    assert (code, report["systems"], report["changed"]) == (0, [], [])


@pytest.mark.parametrize("ref", ["-x", "--output=/tmp/pwn", "no-such-branch"])
def test_bad_refs_are_errors(tmp_path, capsys, ref):
    repo = infra_repo(tmp_path / "repo")
    code = main(["check", "--repo", str(repo.path), f"--base={ref}"])
    assert code == 2
    assert "gate: error:" in capsys.readouterr().err


def test_a_bare_repository_works(tmp_path, capsys):
    repo = infra_repo(tmp_path / "work")
    upgrade(repo)
    bare = tmp_path / "bare.git"
    repo.git("clone", "-q", "--bare", str(repo.path), str(bare))
    code = main(["check", "--repo", str(bare), "--base", "main", "--head", "change"])
    assert code == 1
    assert "pg-dump-backup" in capsys.readouterr().out


@pytest.mark.parametrize("form", ["text", "markdown"])
def test_readable_formats(tmp_path, capsys, form):
    repo = infra_repo(tmp_path / "repo")
    upgrade(repo)
    code = main(["check", "--repo", str(repo.path), "--base", "main", "--format", form])
    out = capsys.readouterr().out
    assert code == 1
    assert "BLOCKED" in out
    violated = {
        "text": "pg-dump-backup 9.2.18 (backup/backup.yml:2) does not satisfy >=9.6",
        "markdown": "`pg-dump-backup 9.2.18` (`backup/backup.yml:2`) does not satisfy `>=9.6`",
    }
    assert violated[form] in out


def test_output_file_and_advisory(tmp_path, capsys):
    repo = infra_repo(tmp_path / "r")
    upgrade(repo)
    target = tmp_path / "report.json"
    code = main(
        [
            "check",
            "--repo",
            str(repo.path),
            "--base",
            "main",
            "--format",
            "json",
            "--output",
            str(target),
            "--advisory",
        ]
    )
    assert code == 0
    assert json.loads(target.read_text())["verdict"] == "blocked"


def _ledger(tmp_path: Path, *entries: tuple[str, str, str]) -> str:
    ledger = tmp_path / "signoffs.yml"
    ledger.write_text(
        "".join(f"- {{system: {s}, by: {b}, commit: '{c}'}}\n" for s, b, c in entries)
    )
    return str(ledger)


@pytest.mark.parametrize(
    ("later", "counts"),
    [
        (("README.md", "unrelated\n"), True),
        (("cookbooks/postgresql/recipe.rb", "# again\n"), False),
        (("alerting/crontab", "MAILTO=x\n"), False),
    ],
)
def test_stale_signoffs_impact_survive_pushes_that_leave_the_impact_alone(
    tmp_path, capsys, later, counts
):
    repo = infra_repo(tmp_path / "repo", policy="policy:\n  stale-signoffs: impact\n")
    signed = repo.commit("edit alerts", ("alerting/crontab", "MAILTO=oncall\n"))
    repo.commit("later", later)
    ledger = _ledger(tmp_path, ("backup-alerts", "dave", signed))
    _, report = run(capsys, repo, "--signoffs", ledger)
    assert systems(report)["backup-alerts"]["signoff"]["satisfied"] is counts


def test_under_stale_signoffs_head_an_earlier_commit_never_counts(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    signed = repo.commit("edit alerts", ("alerting/crontab", "MAILTO=oncall\n"))
    repo.commit("later", ("README.md", "unrelated\n"))
    _, report = run(
        capsys, repo, "--signoffs", _ledger(tmp_path, ("backup-alerts", "dave", signed))
    )
    assert systems(report)["backup-alerts"]["signoff"]["satisfied"] is False
    assert "not for the head" in report["ignored_signoffs"][0]["reason"]


def test_map_owners_sign_off_the_map(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    head = repo.commit("comment", ("dependency-map.yaml", MAP.replace("{policy}", "") + "# note\n"))
    ledger = _ledger(tmp_path, ("dependency-map.yaml", "erin", head))
    code, report = run(capsys, repo, "--signoffs", ledger)
    assert (code, [s["id"] for s in report["systems"]]) == (0, ["dependency-map.yaml"])


def test_a_path_that_is_not_utf8_is_an_error(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    repo.write(b"alerting/caf\xe9", "x")
    repo.commit("latin-1 name")
    code, report = run(capsys, repo)
    assert code == 2
    assert "UTF-8" in report["error"]


def test_a_file_name_with_a_newline_is_matched_exactly(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    repo.commit("odd name", ("alerting/two\nlines", "x"))
    _, report = run(capsys, repo)
    assert report["changed"][0]["path"] == "alerting/two\nlines"
    assert set(systems(report)) == {"backup-alerts"}


def test_a_binary_file_and_a_symlink_count_by_their_path(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    repo.write("backup-alerts.bin", b"\x00\x01")
    (repo.path / "alerting" / "link").symlink_to("../README.md")
    repo.write("alerting/blob.bin", b"\x00\xff\x00")
    repo.commit("binary and link")
    _, report = run(capsys, repo)
    assert {c["path"] for c in report["changed"]} == {
        "alerting/link",
        "alerting/blob.bin",
        "backup-alerts.bin",
    }
    assert set(systems(report)) == {"backup-alerts"}


def test_a_submodule_pointer_counts_by_its_own_path(tmp_path, capsys):
    inner = infra_repo(tmp_path / "inner")
    repo = infra_repo(tmp_path / "outer")
    repo.git(
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        str(inner.path),
        "alerting/vendored",
    )
    repo.commit("add submodule")
    _, report = run(capsys, repo)
    assert "alerting/vendored" in {c["path"] for c in report["changed"]}
    assert "backup-alerts" in systems(report)


def test_a_shallow_clone_without_the_merge_base_says_how_to_fix_it(tmp_path, capsys):
    origin = infra_repo(tmp_path / "origin")
    upgrade(origin)
    origin.git("checkout", "-q", "main")
    origin.commit("main moves on", ("README.md", "newer\n"))
    clone = tmp_path / "clone"
    origin.git(
        "clone", "-q", "--depth", "1", "--no-single-branch", f"file://{origin.path}", str(clone)
    )
    code = main(["check", "--repo", str(clone), "--base", "origin/main", "--head", "origin/change"])
    err = capsys.readouterr().err
    assert code == 2
    assert "shallow" in err
    assert "--unshallow" in err
    code = main(
        [
            "check",
            "--repo",
            str(clone),
            "--base",
            "origin/main",
            "--head",
            "origin/change",
            "--deepen",
        ]
    )
    assert code == 1


def test_the_evidence_hash_is_in_the_json_report_and_verifies(tmp_path, capsys):
    repo = infra_repo(tmp_path / "r")
    upgrade(repo)
    evidence = tmp_path / "evidence.json"
    code, report = run(capsys, repo, "--evidence", str(evidence))
    assert code == 1
    recorded = json.loads(evidence.read_text())
    assert report["evidence_sha256"] == recorded["sha256"]
    assert main(["verify-evidence", str(evidence)]) == 0
    evidence.write_text(evidence.read_text().replace('"blocked"', '"pass"'))
    assert main(["verify-evidence", str(evidence)]) == 1


@pytest.mark.parametrize(
    ("option", "message"),
    [("--map-file", "cannot read the map"), ("--signoffs", "cannot read the --signoffs file")],
)
def test_a_file_option_that_cannot_be_read_is_an_error(tmp_path, capsys, option, message):
    repo = infra_repo(tmp_path / "r")
    upgrade(repo)
    code, report = run(capsys, repo, option, str(tmp_path / "missing.yaml"))
    assert code == 2
    assert message in report["error"]
    assert "No such file" in report["error"]


def test_a_github_team_cannot_be_checked_without_github(tmp_path, capsys):
    text = MAP.replace("{policy}", "").replace(
        '  sre:\n    members: ["dave"]\n', '  sre:\n    github-team: "acme/sre"\n'
    )
    repo = infra_repo(tmp_path / "repo", map_text=text)
    head = repo.commit("edit alerts", ("alerting/crontab", "MAILTO=oncall\n"))
    code, report = run(
        capsys, repo, "--signoffs", _ledger(tmp_path, ("backup-alerts", "dave", head))
    )
    assert code == 2
    assert "acme/sre, which can only be read with --github" in report["error"]


def test_a_sha256_repository_is_checked_and_its_signoffs_count(tmp_path, capsys):
    repo = infra_repo(tmp_path / "infra", object_format="sha256")
    upgrade(repo)
    head = repo.commit("client", ("backup/backup.yml", 'pg_dump:\n  client_version: "9.6.1"\n'))
    assert len(head) == 64
    code, report = run(capsys, repo)
    assert (code, report["head"]) == (1, head)
    assert report["pending"] == ["pg-dump-backup", "postgresql", "backup-alerts", "replica"]
    ledger = tmp_path / "signoffs.yml"
    ledger.write_text(
        "".join(
            f"- {{system: {s}, by: {who}, commit: '{head}'}}\n"
            for s, who in [
                ("postgresql", "bob"),
                ("pg-dump-backup", "carol"),
                ("backup-alerts", "dave"),
                ("replica", "frank"),
            ]
        )
    )
    code, report = run(capsys, repo, "--signoffs", str(ledger), "--author", "alice")
    assert (code, report["verdict"], report["ignored_signoffs"]) == (0, "pass", [])
    assert [s["by"] for s in systems(report)["postgresql"]["signoff"]["by"]] == ["bob"]


NO_ONE = "No one can sign off"


def _backup_change(repo: GitRepo) -> str:
    return repo.commit("backup", ("backup/backup.yml", 'pg_dump:\n  client_version: "9.2.24"\n'))


def test_a_system_owned_only_by_the_author_is_unsignable_and_blocked(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    _backup_change(repo)
    code, report = run(capsys, repo, "--author", "@Carol")  # carol is all of team backup
    assert code == 1
    assert report["verdict"] == "blocked"
    assert report["pending"] == ["pg-dump-backup", "backup-alerts"]
    assert report["unsignable"] == ["pg-dump-backup"]


def test_an_ordinary_pending_system_is_not_unsignable(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    _backup_change(repo)
    code, report = run(capsys, repo, "--author", "alice")
    assert (code, report["pending"], report["unsignable"]) == (
        1,
        ["pg-dump-backup", "backup-alerts"],
        [],
    )
    code, report = run(capsys, repo)  # no author: nobody is excluded
    assert (code, report["unsignable"]) == (1, [])


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_format_says_no_one_can_sign_off(tmp_path, capsys, fmt):
    repo = infra_repo(tmp_path / "repo")
    _backup_change(repo)
    args = ["check", "--repo", str(repo.path), "--base", "main", "--format", fmt]
    assert main([*args, "--author", "carol"]) == 1
    out = capsys.readouterr().out
    assert out.count(NO_ONE) == 1
    said = out[out.index(NO_ONE) :].partition("base branch")[0]
    assert "pg-dump-backup" in said
    assert "backup-alerts" not in said
    assert main([*args, "--author", "alice"]) == 1
    assert NO_ONE not in capsys.readouterr().out


def test_the_pull_request_comment_says_no_one_can_sign_off(tmp_path):
    from gate.check import Change, check
    from gate.report import comment

    repo = infra_repo(tmp_path / "repo")
    _backup_change(repo)
    change = Change(repo=str(repo.path), base="main", author="carol")
    body = comment.render(check(change))
    [line] = [line for line in body.splitlines() if NO_ONE in line]
    assert "`pg-dump-backup`" in line
    other = comment.render(check(Change(repo=str(repo.path), base="main", author="alice")))
    assert NO_ONE not in other


@pytest.mark.parametrize(
    ("author", "unsignable"),
    [
        ("carol", ["pg-dump-backup"]),
        ("dave", ["pg-dump-backup", "backup-alerts"]),  # dave is all of sre, which owns both
        ("alice", []),
    ],
)
def test_signoff_all_with_a_team_only_the_author_is_in_is_unsignable(
    tmp_path, capsys, author, unsignable
):
    text = MAP.replace("{policy}", "").replace(
        '    owners: ["backup"]\n', '    owners: ["sre", "backup"]\n    signoff: all\n'
    )
    repo = infra_repo(tmp_path / "repo", map_text=text)
    _backup_change(repo)
    code, report = run(capsys, repo, "--author", author)
    assert code == 1
    assert report["unsignable"] == unsignable


def test_a_signoff_all_system_signed_by_everyone_else_is_not_unsignable(tmp_path, capsys):
    text = MAP.replace("{policy}", "").replace(
        '    owners: ["backup"]\n', '    owners: ["dba", "backup"]\n    signoff: all\n'
    )
    repo = infra_repo(tmp_path / "repo", map_text=text)
    head = _backup_change(repo)
    ledger = tmp_path / "signoffs.yml"
    ledger.write_text(
        "".join(
            f"- {{system: {s}, by: {who}, commit: '{head}'}}\n"
            for s, who in [("pg-dump-backup", "bob"), ("backup-alerts", "dave")]
        )
    )
    code, report = run(capsys, repo, "--signoffs", str(ledger), "--author", "carol")
    assert code == 1
    assert (report["pending"], report["unsignable"]) == (["pg-dump-backup"], ["pg-dump-backup"])
    assert systems(report)["pg-dump-backup"]["signoff"]["waiting_for"] == ["backup"]
