"""Bypass class: the gate's commit status says `success` for a head the owners have not signed off.

A status belongs to a commit, not to a pull request; only the gate's own statuses vouch for a
head; a run that cannot decide leaves no earlier `success` standing; revocations on pull
requests from forks reach the status; a status token makes the gate's status its own.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from gate.github.post import CONTEXT
from gate.report.comment import MARKER
from testing import fakegithub
from testing.fakegithub import REPO, FakeGitHub, Request
from testing.infra import MAP, infra_repo
from testing.pullrequest import NUMBER, Run, alerting_change

LOOSE_MAP = MAP.replace("{policy}", "policy:\n  signoff-touched: false\n")


@pytest.fixture
def run(tmp_path, monkeypatch):
    with FakeGitHub() as fake:
        yield Run(tmp_path, monkeypatch, fake, infra_repo(tmp_path / "repo"))


def test_a_second_pull_request_with_the_same_head_cannot_turn_it_green(run, capsys):
    head = alerting_change(run)
    run.open(head)
    assert run.on_push(capsys, "opened")[0] == 1  # #7 against main needs sre's sign-off
    run.repo.checkout("-q", "-b", "loose", "main")
    loose = run.repo.commit("loosen", ("dependency-map.yaml", LOOSE_MAP))
    other = run.fake.add_pull(8, head=head, base=loose, base_ref="loose")
    run.event("pull_request_target", fakegithub.pull_request_event(other))
    code, report = run.check(capsys)
    assert report["verdict"] == "pass"  # #8's own map lets the change through ...
    assert code == 1  # ... but the head's status is #7's too
    status = run.last_status()
    assert (status["state"], status["sha"]) == ("failure", head)
    assert status["description"].startswith("pull request #7 has the same head commit")
    assert "success" not in [state for state, _ in run.statuses()]
    assert run.output_values()["verdict"] == "blocked"


def test_a_run_for_a_closed_pull_request_posts_nothing(run, capsys):
    head = alerting_change(run)
    run.fake.add_pull(NUMBER, head=head, base=run.base, state="closed")
    code, report = run.on_push(capsys, "closed")
    assert (code, report) == (0, None)
    assert run.statuses() == []
    assert run.fake.requests_to("POST") == []


def test_a_rate_limited_run_leaves_no_earlier_success_standing(run, capsys, monkeypatch):
    monkeypatch.setenv("GATE_GITHUB_MAX_WAIT", "0.2")
    head = alerting_change(run)
    run.open(head)
    review = run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    assert run.on_push(capsys)[0] == 0
    assert run.statuses()[-1] == ("success", head)
    run.fake.dismiss(review)
    run.fake.fail("GET", "/reviews$", status=429, headers={"retry-after": "5"}, times=None)
    run.event("pull_request_review", fakegithub.review_event(run.pull, review))
    code, _ = run.check(capsys)
    assert code == 2
    assert run.statuses()[-1] == ("error", head)


def test_a_crash_leaves_no_earlier_success_standing(run, capsys, monkeypatch):
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    assert run.on_push(capsys)[0] == 0

    def bug(*args: object, **kwargs: object) -> str:
        raise RuntimeError("a bug in rendering")

    monkeypatch.setattr("gate.report.comment.render", bug)
    code, _ = run.on_push(capsys)
    assert code == 3
    assert "crash" in run.err
    assert run.statuses()[-1] == ("error", head)
    assert run.last_status()["description"] == "could not decide: the gate crashed (RuntimeError)"


STATUSES = r"/repos/(?P<repo>[^/]+/[^/]+)/statuses/(?P<sha>[0-9a-f]{40})"
COMMENTS = r"/repos/(?P<repo>[^/]+/[^/]+)/issues/(?P<number>\d+)/comments"


def _junk_for(state: str) -> fakegithub.Handler:
    """A status route that answers 200 with junk for a status of the given state."""

    def handler(fake: FakeGitHub, request: Request, match: re.Match[str]) -> tuple[int, Any]:
        if (request.body or {}).get("state") == state:
            return 200, {"message": "ok"}
        return fakegithub.create_status(fake, request, match)

    return handler


def test_a_success_github_did_not_store_is_an_error(run, capsys):
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    run.fake.route("POST", STATUSES, _junk_for("success"))
    code, _ = run.on_push(capsys)
    assert code == 2
    assert "is not the status as posted" in run.err
    assert [s["state"] for s in run.fake.statuses[(REPO, head)]] == ["pending", "error"]


@pytest.mark.parametrize("answer", [[], {"id": 5}, "created"])
def test_a_comment_github_did_not_store_is_an_error(run, capsys, answer):
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    run.fake.route("POST", COMMENTS, lambda *_: (201, answer))
    code, _ = run.on_push(capsys)
    assert code == 2
    assert "is not" in run.err
    assert "success" not in [state for state, _ in run.statuses()]
    assert run.statuses()[-1] == ("error", head)


def test_a_review_list_holding_a_string_is_an_error_not_a_crash(run, capsys):
    head = alerting_change(run)
    run.open(head)
    run.fake.reviews[(REPO, NUMBER)].append("APPROVED")
    code, _ = run.on_push(capsys)
    assert code == 2
    assert "GitHub's list of reviews holds str at [0], not an object" in run.err
    assert run.statuses()[-1] == ("error", head)


def test_success_is_written_only_after_the_outputs(run, capsys, tmp_path, monkeypatch):
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path))  # a directory: cannot be appended to
    code, _ = run.on_push(capsys)
    assert code == 2
    assert "cannot write GITHUB_OUTPUT" in run.err
    assert [state for state, _ in run.statuses()] == ["pending", "error"]


def test_a_status_another_writer_posted_before_pushing_vouches_for_nothing(run, capsys):
    head = alerting_change(run)
    run.open(head)
    assert run.on_push(capsys, "opened")[0] == 1
    newer = run.repo.commit("page more", ("alerting/crontab", "MAILTO=all@example.com\n"))
    # Before pushing, the author plants a status that looks like the gate's on the new commit.
    run.fake.add_status(
        newer, "pending", context=CONTEXT, target_url=run.pull["html_url"], creator="alice"
    )
    run.fake.add_comment(NUMBER, "dave", "/signoff backup-alerts")  # for the old head
    run.fake.push(NUMBER, newer)
    code, report = run.on_push(capsys)
    assert code == 1
    [ignored] = report["ignored_signoffs"]
    assert ignored["by"] == "dave"
    assert "was known to be the head" in ignored["reason"]
    assert run.statuses()[-1] == ("failure", newer)


def test_a_marker_in_another_bots_comment_does_not_make_it_the_gates(run, capsys):
    head = alerting_change(run)
    run.open(head)
    run.fake.add_comment(NUMBER, "mallory[bot]", MARKER + "\nall signed off")
    assert run.on_push(capsys, "opened")[0] == 1
    assert run.fake.requests_to("PATCH") == []
    mine = [c for c in run.comments() if c["user"]["login"] == "github-actions[bot]"]
    assert len(mine) == 1
    assert run.last_status()["target_url"] == mine[0]["html_url"]


def test_a_comment_that_looks_like_the_gates_is_checked_not_skipped(run, capsys):
    """A skipped run could cancel a queued one (`concurrency:`) and leave its verdict unsaid."""
    head = alerting_change(run)
    run.open(head)
    comment = run.fake.add_comment(NUMBER, "mallory[bot]", MARKER + "\nnothing to see")
    run.event("issue_comment", fakegithub.comment_event(NUMBER, comment))
    code, report = run.check(capsys)
    assert code == 1
    assert report["verdict"] == "blocked"
    assert run.statuses()[-1] == ("failure", head)


def workflow_run_event(head: str) -> dict[str, object]:
    """A workflow_run event: its head_sha and artifacts are the fork's to choose."""
    return {
        "action": "completed",
        "workflow_run": {"id": 1, "event": "pull_request_review", "head_sha": head},
        "repository": fakegithub.repository(),
    }


def test_a_revocation_on_a_fork_replaces_success_through_workflow_run(run, capsys, monkeypatch):
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    assert run.on_push(capsys)[0] == 0
    assert run.statuses()[-1] == ("success", head)
    # On a fork, the review event's own run has a read-only token; the follow-up re-reads.
    run.fake.add_review(NUMBER, "dave", "CHANGES_REQUESTED", commit=head)
    run.event("workflow_run", workflow_run_event("f" * 40))  # the event's head is not read
    monkeypatch.setenv("GATE_PULL_REQUEST", str(NUMBER))
    code, report = run.check(capsys)
    assert code == 1
    assert report["head"] == head
    assert run.statuses()[-1] == ("failure", head)


def test_with_a_status_token_only_the_apps_statuses_vouch(run, capsys, monkeypatch):
    monkeypatch.setenv("GATE_STATUS_TOKEN", "app-token")
    run.fake.token_users["app-token"] = fakegithub.user("gate-app[bot]")
    head = alerting_change(run)
    run.open(head)
    # Any workflow with `statuses: write` posts as github-actions[bot]: not the gate's app.
    run.fake.add_status(head, "pending", context=CONTEXT, target_url=run.pull["html_url"])
    run.fake.add_comment(NUMBER, "dave", "/signoff backup-alerts")
    code, report = run.on_push(capsys)
    assert code == 1
    assert "was known to be the head" in report["ignored_signoffs"][0]["reason"]
    stored = run.fake.statuses[(REPO, head)]
    assert [(s["state"], s["creator"]["login"]) for s in stored[1:]] == [
        ("pending", "github-actions[bot]"),  # the main token's, which names the comments' author
        ("pending", "gate-app[bot]"),
        ("failure", "gate-app[bot]"),
    ]
    assert run.fake.requests_to("POST", r"/statuses/")[-1].headers["authorization"] == (
        "Bearer app-token"
    )
    # The next run adopts the gate's comment, written with the main token.
    run.fake.add_comment(NUMBER, "dave", "/signoff backup-alerts")
    assert run.on_push(capsys)[0] == 0
    assert len(run.comments()) == 1
    assert run.statuses()[-1] == ("success", head)
    assert run.fake.statuses[(REPO, head)][-1]["creator"]["login"] == "gate-app[bot]"
