"""A pull request through the check: who cannot sign off shapes what no one can sign off."""

from __future__ import annotations

from testing.infra import MAP, infra_repo
from testing.pullrequest import NUMBER, Run, alerting_change

NO_ONE = "No one can sign off"
TEAM_MAP = (
    MAP.replace('    owners: ["sre"]\n', '    owners: ["sre", "sre-github"]\n')
    .replace(
        '  platform:\n    members: ["erin"]\n',
        '  platform:\n    members: ["erin"]\n  sre-github:\n    github-team: "acme/sre"\n',
    )
    .replace("{policy}", "")
)


def test_an_ordinary_system_is_not_unsignable(run, capsys):
    run.open(alerting_change(run))  # alice's pull request; dave owns backup-alerts
    code, report = run.on_push(capsys, "opened")
    assert code == 1
    assert report is not None
    assert (report["pending"], report["unsignable"]) == (["backup-alerts"], [])
    [mine] = run.comments()
    assert NO_ONE not in mine["body"]


def test_an_owner_who_committed_to_the_pull_request_as_its_only_owner_leaves_it_unsignable(
    run, capsys
):
    run.open(alerting_change(run))
    pushed = run.repo.commit("page all", ("alerting/crontab", "MAILTO=all@example.com\n"))
    run.fake.push(NUMBER, pushed, author="dave", committer="web-flow")  # dave is all of sre
    code, report = run.on_push(capsys)
    assert code == 1
    assert report is not None
    assert report["unsignable"] == ["backup-alerts"]
    assert run.statuses()[-1] == ("failure", pushed)
    [mine] = run.comments()
    [line] = [line for line in mine["body"].splitlines() if NO_ONE in line]
    assert "`backup-alerts`" in line
    assert NO_ONE in run.summary.read_text()


def test_the_pull_request_author_as_the_only_listed_owner_reads_the_github_team(
    tmp_path, monkeypatch, fake, capsys
):
    run = Run(tmp_path, monkeypatch, fake, infra_repo(tmp_path / "repo", map_text=TEAM_MAP))
    fake.add_team("acme/sre", {"erin": "active"})
    run.open(alerting_change(run), author="dave")
    code, report = run.on_push(capsys, "opened")
    assert code == 1
    assert report is not None
    assert (report["pending"], report["unsignable"]) == (["backup-alerts"], [])
    assert fake.requests_to("GET", "/orgs/acme/teams/sre")  # read, and it may hold signers


def test_a_github_team_that_cannot_be_read_is_an_error_not_unsignable(
    tmp_path, monkeypatch, fake, capsys
):
    run = Run(tmp_path, monkeypatch, fake, infra_repo(tmp_path / "repo", map_text=TEAM_MAP))
    head = alerting_change(run)
    run.open(head, author="dave")  # acme/sre is not there for the token to read
    code, _ = run.on_push(capsys, "opened")
    assert code == 2
    assert "cannot read the members of the GitHub team acme/sre" in run.err
    assert run.statuses()[-1] == ("error", head)
