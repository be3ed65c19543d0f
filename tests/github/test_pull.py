"""The pull request's head: confirmed before posting, and its commits fetched."""

from __future__ import annotations

import subprocess

import pytest

from gate.github.client import GitHub
from gate.github.payloads import PullRequest
from testing import fakegithub
from testing.fakegithub import FakeGitHub
from testing.gitrepo import GIT_ENV, GitRepo
from testing.infra import infra_repo
from testing.pullrequest import NUMBER, Run, alerting_change


def test_a_head_that_moves_before_posting_gets_no_success(run, capsys):
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    newer = run.repo.commit("newer", ("alerting/crontab", "MAILTO=z@example.com\n"))
    reads = []

    def move_on_second_read(fake, request):
        reads.append(request)
        if len(reads) == 2:
            fake.push(NUMBER, newer)

    run.fake.on("GET", r"/pulls/7$", move_on_second_read)
    code, _ = run.on_push(capsys)
    assert code == 2
    assert "moved from" in run.err
    assert run.statuses() == [("pending", head)]
    assert run.output_values()["verdict"] == "error"


def test_a_run_for_a_head_already_replaced_posts_nothing(run, capsys):
    head = alerting_change(run)
    run.open(head)
    event = fakegithub.pull_request_event(run.pull)
    run.fake.push(NUMBER, run.repo.commit("newer", ("alerting/crontab", "n\n")))
    run.event("pull_request_target", event)
    code, _ = run.check(capsys)
    assert code == 2
    assert "starts its own run" in run.err
    assert run.statuses() == []


def git(*args: str) -> str:
    env = {**__import__("os").environ, **GIT_ENV}
    done = subprocess.run(["git", *args], env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip()


@pytest.mark.parametrize("deepen", [True, False])
def test_a_shallow_checkout_of_the_base_fetches_the_pull_request(
    tmp_path, monkeypatch, fake, capsys, deepen
):
    """As actions/checkout leaves it: one commit of the base branch; the head only on origin."""
    work = infra_repo(tmp_path / "work")
    head = work.commit("page less", ("alerting/crontab", "MAILTO=oncall@example.com\n"))
    work.checkout("main")
    for index in range(3):  # the base moves on, so the merge base lies deeper than one commit
        work.commit(f"main {index}", ("README.md", f"infra {index}\n"))
    origin = tmp_path / "origin.git"
    git("init", "-q", "--bare", str(origin))
    git("-C", str(origin), "config", "uploadpack.allowAnySHA1InWant", "true")
    git("-C", str(work.path), "push", "-q", str(origin), "main", f"{head}:refs/pull/7/head")
    checkout = tmp_path / "checkout"
    git("clone", "-q", "--depth=1", "--branch=main", f"file://{origin}", str(checkout))
    run = Run(tmp_path, monkeypatch, fake, GitRepo(checkout))  # (re-)init keeps the clone
    run.open(head)
    run.event("pull_request_target", fakegithub.pull_request_event(run.pull))
    code, report = run.check(capsys, *(["--deepen"] if deepen else []))
    assert report is not None
    if deepen:
        assert code == 1
        assert report["pending"] == ["backup-alerts"]
        assert [c["path"] for c in report["changed"]] == ["alerting/crontab"]
    else:
        assert code == 2
        assert "pass --deepen" in report["error"]


def _client(fake: FakeGitHub) -> GitHub:
    return GitHub(fake.url, "test-token", retries=0)


def _pull_request(fake: FakeGitHub, number: int = NUMBER) -> PullRequest:
    data = fake.pulls[(fakegithub.REPO, number)]
    return PullRequest.from_dict(data, repository=fakegithub.REPO, number=number)


def test_the_history_names_the_last_head_reset_and_base_change(fake):
    from gate.github.pull import history

    fake.add_pull(NUMBER, head="a" * 40, base="b" * 40)
    pull = _pull_request(fake)
    assert history(_client(fake), pull) == history(_client(fake), pull)
    empty = history(_client(fake), pull)
    assert (empty.head_reset, empty.base_changed) == (None, None)
    fake.add_event(NUMBER, "head_ref_force_pushed")
    base = fake.add_event(NUMBER, "base_ref_changed")
    fake.add_event(NUMBER, "labeled")
    found = history(_client(fake), pull)
    assert found.head_reset == found.base_changed  # a change of base resets the head too
    assert found.base_changed is not None
    assert found.base_changed.strftime("%Y-%m-%dT%H:%M:%SZ") == base["created_at"]


@pytest.mark.parametrize(
    ("creator", "target", "context", "vouched"),
    [
        ("gate[bot]", "pull", "change-impact-gate", True),
        ("GATE[bot]", "pull", "change-impact-gate", True),  # logins are case-insensitive
        ("alice", "pull", "change-impact-gate", False),
        ("gate[bot]", "https://example.com", "change-impact-gate", False),
        ("gate[bot]", "pull", "ci", False),
    ],
)
def test_only_the_gates_own_status_for_the_pull_request_vouches(
    fake, creator, target, context, vouched
):
    from gate.github.identity import Identity
    from gate.github.pull import History, head_since

    head = "a" * 40
    pull_data = fake.add_pull(NUMBER, head=head, base="b" * 40)
    url = pull_data["html_url"] if target == "pull" else target
    status = fake.add_status(head, "pending", context=context, target_url=url, creator=creator)
    identity = Identity(statuses="gate[bot]", comments="github-actions[bot]")
    since = head_since(
        _client(fake),
        _pull_request(fake),
        since=History(head_reset=None, base_changed=None),
        vouches=identity.vouches,
    )
    assert (since is not None) is vouched
    if since is not None:
        assert since.strftime("%Y-%m-%dT%H:%M:%SZ") == status["created_at"]


def test_a_status_before_the_last_reset_vouches_for_nothing(fake):
    from gate.github.pull import head_since, history

    head = "a" * 40
    pull_data = fake.add_pull(NUMBER, head=head, base="b" * 40)
    fake.add_status(head, "pending", context="change-impact-gate", target_url=pull_data["html_url"])
    fake.add_event(NUMBER, "base_ref_changed")
    pull = _pull_request(fake)
    client = _client(fake)
    assert head_since(client, pull, since=history(client, pull), vouches=lambda s: True) is None
