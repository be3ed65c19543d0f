"""Bypass class: sign-off rules read differently than they are written (the author's login in
another spelling, a co-owner team only GitHub can read)."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.gitrepo import GitRepo
from testing.infra import MAP, infra_repo, upgrade
from testing.reports import check_json, systems_by_id, write_ledger


@pytest.mark.parametrize("author", ["@carol", "Carol", "carol", "@Carol", " @carol "])
def test_the_author_cannot_sign_off_their_own_change_however_the_login_is_written(
    tmp_path, capsys, author
):
    repo = infra_repo(tmp_path / "repo")
    head = repo.commit("backup", ("backup/backup.yml", 'pg_dump:\n  client_version: "9.2.24"\n'))
    ledger = write_ledger(
        tmp_path / "signoffs.yml", head, ("pg-dump-backup", "carol"), ("backup-alerts", "dave")
    )
    code, report = check_json(capsys, repo, "--signoffs", ledger, "--author", author)
    assert code == 1
    assert report["pending"] == ["pg-dump-backup"]
    [ignored] = report["ignored_signoffs"]
    assert ignored["reason"] == "the change's author cannot sign off their own change"


@pytest.mark.parametrize("author", ["@", "", "car ol"])
def test_an_author_that_is_no_login_is_an_error(tmp_path, capsys, author):
    repo = infra_repo(tmp_path / "repo")
    repo.commit("backup", ("backup/backup.yml", 'pg_dump:\n  client_version: "9.2.24"\n'))
    code, report = check_json(capsys, repo, "--author", author)
    assert code == 2
    assert "is not a GitHub login" in report["error"]


def _co_owned(tmp_path: Path, rule: str) -> GitRepo:
    text = (
        MAP.replace("{policy}", "")
        .replace(
            '  platform:\n    members: ["erin"]\n',
            '  platform:\n    members: ["erin"]\n  dba-github:\n    github-team: "acme/dba"\n',
        )
        .replace(
            '    owners: ["dba"]\n    paths:\n      - "config',
            f'    owners: ["dba", "dba-github"]\n    signoff: {rule}\n    paths:\n      - "config',
        )
    )
    repo = infra_repo(tmp_path / "repo", map_text=text)
    return repo


def test_a_co_owner_team_only_github_can_read_leaves_a_listed_owners_local_signoff_whole(
    tmp_path, capsys
):
    repo = _co_owned(tmp_path, "any")
    head = repo.commit("tune", ("cookbooks/postgresql/recipe.rb", "# tuned\n"))
    ledger = write_ledger(tmp_path / "signoffs.yml", head, ("postgresql", "alice"))
    code, report = check_json(capsys, repo, "--signoffs", ledger)
    found = systems_by_id(report)
    assert found["postgresql"]["signoff"]["satisfied"] is True
    assert [s["by"] for s in found["postgresql"]["signoff"]["by"]] == ["alice"]
    assert "postgresql" not in report["pending"]
    assert code == 1  # pg-dump-backup is still waiting for its own owners


def test_when_every_owner_team_must_sign_a_team_only_github_can_read_is_an_error(tmp_path, capsys):
    repo = _co_owned(tmp_path, "all")
    head = repo.commit("tune", ("cookbooks/postgresql/recipe.rb", "# tuned\n"))
    ledger = write_ledger(tmp_path / "signoffs.yml", head, ("postgresql", "alice"))
    code, report = check_json(capsys, repo, "--signoffs", ledger)
    assert code == 2
    assert "team 'dba-github' is defined by the GitHub team acme/dba" in report["error"]
    assert "--github" in report["error"]


def test_a_signer_only_github_could_place_in_a_team_is_an_error_locally(tmp_path, capsys):
    repo = _co_owned(tmp_path, "any")
    upgrade(repo)
    head = repo.commit("tune", ("cookbooks/postgresql/recipe.rb", "# tuned\n"))
    ledger = write_ledger(tmp_path / "signoffs.yml", head, ("postgresql", "zoe"))
    code, report = check_json(capsys, repo, "--signoffs", ledger)
    assert code == 2
    assert "whether zoe belongs to it" in report["error"]


def test_without_signoffs_a_team_only_github_can_read_is_waited_for(tmp_path, capsys):
    repo = _co_owned(tmp_path, "all")
    repo.commit("tune", ("cookbooks/postgresql/recipe.rb", "# tuned\n"))
    code, report = check_json(capsys, repo)
    assert code == 1
    assert systems_by_id(report)["postgresql"]["signoff"]["waiting_for"] == ["dba", "dba-github"]
