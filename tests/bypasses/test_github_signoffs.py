"""Bypass class: a sign-off on GitHub counts for work its giver did, or for another change.

Nobody signs off their own work: besides the pull request's author, the GitHub users recorded
as authors or committers of its commits cannot. A sign-off is for a change: a change of the
pull request's base voids every approval and comment given before it.
"""

from __future__ import annotations

import pytest

from testing.fakegithub import REPO, FakeGitHub
from testing.infra import infra_repo
from testing.pullrequest import NUMBER, Run, alerting_change

OWN_WORK = "authored or committed"


@pytest.fixture
def run(tmp_path, monkeypatch):
    with FakeGitHub() as fake:
        yield Run(tmp_path, monkeypatch, fake, infra_repo(tmp_path / "repo"))


@pytest.mark.parametrize(
    ("author", "committer"),
    [("dave", "dave"), ("alice", "dave"), ("dave", None)],
    ids=["authored-and-committed", "committed", "authored"],
)
def test_an_owner_who_pushed_a_commit_onto_the_pull_request_cannot_approve_it(
    run, capsys, author, committer
):
    first = alerting_change(run)
    run.open(first)  # alice's pull request
    assert run.on_push(capsys, "opened")[0] == 1
    pushed = run.repo.commit("page all", ("alerting/crontab", "MAILTO=all@example.com\n"))
    run.fake.push(NUMBER, pushed, author=author, committer=committer or "web-flow")
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=pushed)  # dave owns backup-alerts
    code, report = run.on_push(capsys)
    assert code == 1
    [ignored] = report["ignored_signoffs"]
    assert (ignored["by"], ignored["system"]) == ("dave", "backup-alerts")
    assert ignored["reason"].startswith(f"dave {OWN_WORK} {pushed[:12]}")
    assert run.statuses()[-1] == ("failure", pushed)
    [mine] = run.comments()
    assert "@dave" not in mine["body"]  # not asked to sign off his own work


def test_a_committer_of_the_pull_request_cannot_sign_off_by_comment(run, capsys):
    head = alerting_change(run)
    run.fake.add_pull(NUMBER, head=head, base=run.base, author="alice")
    run.fake.commits[(REPO, NUMBER)][0]["committer"]["login"] = "dave"  # dave rebased it
    assert run.on_push(capsys, "opened")[0] == 1
    run.fake.add_comment(NUMBER, "dave", "/signoff backup-alerts")
    code, report = run.on_push(capsys)
    assert code == 1
    assert OWN_WORK in report["ignored_signoffs"][0]["reason"]


def test_a_pull_request_whose_commits_github_cannot_list_in_full_is_an_error(run, capsys):
    head = alerting_change(run)
    run.open(head)
    for index in range(249):
        run.fake.add_commit(NUMBER, f"{index:040x}")
    code, _ = run.on_push(capsys)
    assert code == 2
    assert "has 250 or more commits" in run.err
    assert run.statuses()[-1] == ("error", head)


@pytest.mark.parametrize("event", ["base_ref_changed", "base_ref_force_pushed"])
def test_a_change_of_base_voids_the_approvals_given_before_it(run, capsys, event):
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    assert run.on_push(capsys)[0] == 0
    run.fake.add_event(NUMBER, event)
    code, report = run.on_push(capsys, "edited")
    assert code == 1
    [ignored] = report["ignored_signoffs"]
    assert ignored["by"] == "dave"
    assert "before the pull request's base was changed" in ignored["reason"]
    assert run.statuses()[-1] == ("failure", head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)  # approved again: counts
    assert run.on_push(capsys)[0] == 0


def test_a_change_of_base_voids_the_comments_given_before_it(run, capsys):
    head = alerting_change(run)
    run.open(head)
    assert run.on_push(capsys, "opened")[0] == 1
    run.fake.add_comment(NUMBER, "dave", "/signoff backup-alerts")
    assert run.on_push(capsys)[0] == 0
    run.fake.add_event(NUMBER, "base_ref_changed")
    code, report = run.on_push(capsys, "edited")
    assert code == 1
    assert "was known to be the head" in report["ignored_signoffs"][0]["reason"]
