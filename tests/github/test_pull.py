"""The pull request's head: confirmed before posting, and its commits fetched."""

from __future__ import annotations

import subprocess

import pytest

from testing import fakegithub
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
