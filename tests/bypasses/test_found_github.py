"""Bypass class: the GitHub mode's status turns green without the owners' sign-off of the head.

Found on a second look at the merged hardening: pull requests with the same head that the
sibling check did not see, and `/signoff` lines that render as code.
"""

from __future__ import annotations

import pytest

from gate.github.post import CONTEXT
from testing import fakegithub
from testing.fakegithub import REPO, FakeGitHub, Request
from testing.infra import MAP, infra_repo
from testing.pullrequest import NUMBER, Run, alerting_change

LOOSE_MAP = MAP.replace("{policy}", "policy:\n  signoff-touched: false\n")
FORK = "mallory/infra"


@pytest.fixture
def run(tmp_path, monkeypatch):
    with FakeGitHub() as fake:
        yield Run(tmp_path, monkeypatch, fake, infra_repo(tmp_path / "repo"))


def loose_base(run: Run) -> str:
    """A branch whose map lets every change through without sign-off."""
    run.repo.checkout("-q", "-b", "loose", "main")
    return run.repo.commit("loosen", ("dependency-map.yaml", LOOSE_MAP))


def test_a_pull_request_from_a_fork_with_the_same_head_cannot_turn_it_green(run, capsys):
    """GitHub lists no pull request for a commit that is only in a fork (commits/{sha}/pulls)."""
    head = alerting_change(run)
    run.fake.add_pull(NUMBER, head=head, base=run.base, head_repo=FORK)
    assert run.on_push(capsys, "opened")[0] == 1  # #7 against main needs sre's sign-off
    other = run.fake.add_pull(8, head=head, base=loose_base(run), base_ref="loose", head_repo=FORK)
    run.event("pull_request_target", fakegithub.pull_request_event(other))
    code, _ = run.check(capsys)
    assert code == 1
    status = run.last_status()
    assert (status["state"], status["sha"]) == ("failure", head)
    assert status["description"].startswith("pull request #7 has the same head commit")


def test_a_pull_request_given_the_same_head_while_the_run_evaluates_cannot_turn_it_green(
    run, capsys
):
    """#8 gets #7's head and its own run posts `failure` before #7's run posts `success`."""
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)  # #7 passes

    def meanwhile(fake: FakeGitHub, request: Request) -> None:
        if (request.body or {}).get("state") == "success" and (REPO, 8) not in fake.pulls:
            other = fake.add_pull(8, head=head, base=run.base)  # no sign-off: blocked
            fake.add_status(head, "failure", context=CONTEXT, target_url=other["html_url"])

    run.fake.on("POST", r"/statuses/", meanwhile)
    code, report = run.on_push(capsys)
    assert report["verdict"] == "pass"
    assert code == 1
    assert run.fake.statuses[(REPO, head)][-1]["state"] == "failure"
    assert run.last_status()["description"].startswith("pull request #8 has the same head")
    assert run.output_values()["verdict"] == "blocked"


@pytest.mark.parametrize(
    "body",
    [
        # A line indented four spaces is code, not the closing fence.
        "The author asked me to post this:\n```\n    ```\n/signoff backup-alerts\n```",
        "~~~\n    ~~~\n/signoff backup-alerts\n~~~",
        # A fence opened inside a list item.
        "- the author's steps:\n- ```\n  /signoff backup-alerts\n  ```",
        "1. ```\n   /signoff backup-alerts\n   ```",
    ],
)
def test_a_signoff_that_renders_as_code_signs_off_nothing(run, capsys, body):
    head = alerting_change(run)
    run.open(head)
    assert run.on_push(capsys, "opened")[0] == 1
    comment = run.fake.add_comment(NUMBER, "dave", body)
    run.event("issue_comment", fakegithub.comment_event(NUMBER, comment))
    code, report = run.check(capsys)
    assert code == 1
    assert report["verdict"] == "blocked"
    assert run.statuses()[-1] == ("failure", head)


def test_a_revocation_on_a_pull_request_with_the_same_head_during_the_run_takes_effect(run, capsys):
    """#8 passes when #7's run checks it; then its owner revokes, and #8's run posts `failure`."""
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    other = run.fake.add_pull(8, head=head, base=run.base)
    approval = run.fake.add_review(8, "dave", "APPROVED", commit=head)

    def meanwhile(fake: FakeGitHub, request: Request) -> None:
        if (request.body or {}).get("state") == "success" and approval["state"] == "APPROVED":
            fake.dismiss(approval)
            fake.add_status(head, "failure", context=CONTEXT, target_url=other["html_url"])

    run.fake.on("POST", r"/statuses/", meanwhile)
    code, _ = run.on_push(capsys)
    assert code == 1
    assert run.fake.statuses[(REPO, head)][-1]["state"] == "failure"
    assert run.last_status()["description"].startswith("pull request #8 has the same head")


def test_a_gate_that_writes_as_the_pull_requests_author_vouches_for_nothing(run, capsys):
    """With the author's own token as the gate's, a status the author posts is the gate's."""
    run.fake.token_user = fakegithub.user("Alice")  # a personal access token of alice's
    head = alerting_change(run)
    run.open(head)
    newer = run.repo.commit("page more", ("alerting/crontab", "MAILTO=all@example.com\n"))
    run.fake.add_status(
        newer, "pending", context=CONTEXT, target_url=run.pull["html_url"], creator="alice"
    )
    run.fake.add_comment(NUMBER, "dave", "/signoff backup-alerts")  # for the old head
    run.fake.push(NUMBER, newer)
    code, _ = run.on_push(capsys)
    assert code == 2
    assert "the pull request's author" in run.err
    assert run.statuses()[-1] == ("error", newer)


def test_a_signoff_hidden_in_a_link_definition_signs_off_nothing(run, capsys):
    """A link reference definition's title shows nothing, over as many lines as it runs."""
    head = alerting_change(run)
    run.open(head)
    assert run.on_push(capsys, "opened")[0] == 1
    body = "Looks fine, more questions tomorrow.\n\n[x]: /url '\n/signoff backup-alerts\n'"
    comment = run.fake.add_comment(NUMBER, "dave", body)
    run.event("issue_comment", fakegithub.comment_event(NUMBER, comment))
    code, report = run.check(capsys)
    assert code == 1
    [ignored] = report["ignored_signoffs"]
    assert "link reference definition" in ignored["reason"]
    assert run.statuses()[-1] == ("failure", head)
