"""Bypass class: inputs the change itself can supply or reshape (a sign-offs or map file in its
own work tree, commit ids of another length, a map path that reads as a pattern)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.main import main
from testing import fakegithub
from testing.fakegithub import FakeGitHub
from testing.gitrepo import GitRepo
from testing.infra import FILES, MAP, infra_repo, upgrade
from testing.pullrequest import Run, alerting_change
from testing.reports import check_json

OWN = "may be the change's own"


def _signoff(head: str, system: str = "backup-alerts", by: str = "dave") -> str:
    return f"- {{system: {system}, by: {by}, commit: '{head}'}}\n"


def test_a_signoffs_file_the_change_writes_into_its_work_tree_is_refused(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    head = repo.commit("page less", ("alerting/crontab", "MAILTO=oncall@example.com\n"))
    ledger = repo.write("signoffs.yml", _signoff(head))
    code, report = check_json(capsys, repo, "--signoffs", str(ledger))
    assert code == 2
    assert OWN in report["error"]
    assert "Keep it outside the repository, or let it come from the base" in report["error"]
    # The same file outside the repository counts.
    outside = tmp_path / "signoffs.yml"
    outside.write_text(_signoff(head))
    assert check_json(capsys, repo, "--signoffs", str(outside))[0] == 0


def test_a_signoffs_file_the_change_commits_is_refused(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    repo.checkout("main")
    repo.commit("ledger", ("signoffs.yml", ""))
    repo.checkout("-B", "change")
    head = repo.commit("page less", ("alerting/crontab", "MAILTO=oncall@example.com\n"))
    repo.commit("sign it", ("signoffs.yml", _signoff(head)))
    code, report = check_json(capsys, repo, "--signoffs", str(repo.path / "signoffs.yml"))
    assert code == 2
    assert "is not the same as signoffs.yml at the base commit" in report["error"]


def test_a_signoffs_file_as_the_base_has_it_is_read(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    repo.checkout("main")
    first = repo.head()
    repo.commit("ledger", ("records/signoffs.yml", _signoff(first)))
    repo.checkout("-B", "change")
    repo.commit("page less", ("alerting/crontab", "MAILTO=oncall@example.com\n"))
    code, report = check_json(capsys, repo, "--signoffs", str(repo.path / "records/signoffs.yml"))
    assert code == 1
    [ignored] = report["ignored_signoffs"]
    assert ignored["reason"].startswith(f"given for {first[:12]}")


def test_a_link_in_the_work_tree_to_a_file_outside_it_is_refused(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    head = repo.commit("page less", ("alerting/crontab", "MAILTO=oncall@example.com\n"))
    outside = tmp_path / "elsewhere.yml"
    outside.write_text(_signoff(head))
    link = repo.symlink("signoffs.yml", str(outside))
    code, report = check_json(capsys, repo, "--signoffs", str(link))
    assert code == 2
    assert OWN in report["error"]


def test_a_link_outside_to_a_file_in_the_work_tree_is_refused(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    head = repo.commit("page less", ("alerting/crontab", "MAILTO=oncall@example.com\n"))
    inside = repo.write("notes/signed.yml", _signoff(head))
    link = tmp_path / "signoffs.yml"
    link.symlink_to(inside)
    code, report = check_json(capsys, repo, "--signoffs", str(link))
    assert code == 2
    assert "notes/signed.yml" in report["error"]


def test_a_map_file_in_the_work_tree_is_used_only_as_the_base_has_it(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    lax = MAP.replace("{policy}", "").replace('        requires: ">={major}"\n', "")
    upgrade(repo)
    repo.write("org/map.yaml", lax)  # not committed: only the work tree holds it
    code, report = check_json(capsys, repo, "--map-file", str(repo.path / "org/map.yaml"))
    assert code == 2
    assert "--map-file" in report["error"]
    assert OWN in report["error"]
    # Committed on main and left alone by the change, it is the base's, and it is used.
    (repo.path / "org/map.yaml").unlink()
    repo.checkout("main")
    repo.commit("org map", ("org/map.yaml", MAP.replace("{policy}", "")))
    repo.checkout("change")
    merged = repo.run("merge", "--no-edit", "main", check=False)
    assert merged.returncode == 0, merged
    code, report = check_json(capsys, repo, "--map-file", str(repo.path / "org/map.yaml"))
    assert code == 1
    assert report["map"]["source"].endswith("org/map.yaml")
    # validate reads one anywhere
    repo.write("org/map.yaml", lax)
    assert main(["validate", "--map-file", str(repo.path / "org/map.yaml")]) == 0


def test_with_github_a_signoffs_file_the_pull_request_checks_out_is_refused(
    tmp_path, monkeypatch, capsys
):
    with FakeGitHub() as fake:
        run = Run(tmp_path, monkeypatch, fake, infra_repo(tmp_path / "repo"))
        head = alerting_change(run)
        ledger = run.repo.write("signoffs.yml", _signoff(head))
        run.open(head)
        run.event("pull_request_target", fakegithub.pull_request_event(run.pull))
        code, report = run.check(capsys, "--signoffs", str(ledger))
        assert code == 2
        assert report is not None
        assert OWN in report["error"]
        assert run.statuses()[-1] == ("error", head)


def test_a_sha256_repository_takes_signoffs_by_its_64_digit_commit_ids(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo", object_format="sha256")
    head = repo.commit("page less", ("alerting/crontab", "MAILTO=oncall@example.com\n"))
    assert len(head) == 64
    ledger = tmp_path / "signoffs.yml"
    ledger.write_text(_signoff(head))
    code, report = check_json(capsys, repo, "--signoffs", str(ledger))
    assert (code, report["pending"]) == (0, [])
    # A 40-digit prefix of it names no commit of this repository.
    ledger.write_text(_signoff(head[:40]))
    code, report = check_json(capsys, repo, "--signoffs", str(ledger))
    assert (code, report["pending"]) == (1, ["backup-alerts"])


def _map_at(tmp_path: Path, name: str) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.commit("baseline", (name, MAP.replace("{policy}", "")), *FILES.items())
    repo.checkout("-b", "change")
    return repo


def test_a_map_path_with_a_bracket_is_its_own_path_and_its_edits_need_the_map_owners(
    tmp_path, capsys
):
    name = "maps/deps[prod].yaml"
    repo = _map_at(tmp_path, name)
    text = MAP.replace("{policy}", "")
    repo.commit(
        "add mallory", (name, text.replace('"alice", "bob"]', '"alice", "bob", "mallory"]'))
    )
    code, report = check_json(capsys, repo, "--map", name)
    assert code == 1
    assert report["pending"] == [name]


@pytest.mark.parametrize(
    ("name", "other"), [("maps/*.yaml", "maps/web.yaml"), ("m?p.yaml", "mop.yaml")]
)
def test_a_map_path_with_a_wildcard_touches_no_other_file(tmp_path, capsys, name, other):
    repo = _map_at(tmp_path, name)
    repo.commit("other", (other, "x: 1\n"))
    code, report = check_json(capsys, repo, "--map", name)
    assert (code, report["systems"]) == (0, [])
    assert report["unmapped"] == [other]
