"""The Actions environment and its event: what the --github mode reads, or refuses."""

from __future__ import annotations

import pytest

from testing import fakegithub
from testing.pullrequest import NUMBER, alerting_change


def test_a_comment_on_a_plain_issue_has_nothing_to_check(run, capsys):
    comment = {"id": 1, "body": "/signoff all", "user": fakegithub.user("dave")}
    run.event("issue_comment", fakegithub.comment_event(3, comment, on_pull=False))
    code, report = run.check(capsys)
    assert (code, report) == (0, None)
    assert run.fake.requests == []


def test_the_gates_own_comment_is_checked_again_and_left_as_it_is(run, capsys):
    head = alerting_change(run)
    run.open(head)
    assert run.on_push(capsys, "opened")[0] == 1
    [comment] = run.comments()
    run.event("issue_comment", fakegithub.comment_event(NUMBER, comment))
    assert run.check(capsys)[0] == 1
    assert run.fake.requests_to("PATCH") == []  # the same report: nothing to edit
    assert len(run.comments()) == 1
    assert run.statuses()[-1] == ("failure", head)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "GATE_PULL_REQUEST names (the action's `pull-request` input), and it is not set"),
        ("", "it is not set"),
        ("0", "GATE_PULL_REQUEST='0' is not a pull request number"),
        ("-7", "is not a pull request number"),
        ("7 ", "is not a pull request number"),
        ("+7", "is not a pull request number"),
        ("\u0667", "is not a pull request number"),  # a decimal digit, but not ASCII
        ("1" * 5000, "is not a pull request number"),
    ],
)
def test_workflow_run_takes_a_pull_request_number_and_nothing_else(
    run, capsys, monkeypatch, value, message
):
    run.event("workflow_run", {"workflow_run": {"head_sha": "f" * 40}})
    if value is None:
        monkeypatch.delenv("GATE_PULL_REQUEST", raising=False)
    else:
        monkeypatch.setenv("GATE_PULL_REQUEST", value)
    code, report = run.check(capsys)
    assert code == 2
    assert message in report["error"]
    assert run.fake.requests == []


def test_workflow_run_reads_the_head_from_the_api(run, capsys, monkeypatch):
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    run.event("workflow_run", {"workflow_run": {"head_sha": "f" * 40}})
    monkeypatch.setenv("GATE_PULL_REQUEST", "007")
    code, report = run.check(capsys)
    assert (code, report["head"]) == (0, head)
    assert run.statuses()[-1] == ("success", head)


@pytest.mark.parametrize(
    "variable",
    [
        "GITHUB_EVENT_PATH",
        "GITHUB_EVENT_NAME",
        "GITHUB_REPOSITORY",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_OUTPUT",
        "GITHUB_TOKEN",
    ],
)
def test_a_missing_actions_variable_is_named(run, capsys, monkeypatch, variable):
    head = alerting_change(run)
    run.open(head)
    run.event("pull_request", fakegithub.pull_request_event(run.pull))
    monkeypatch.delenv(variable)
    code, report = run.check(capsys)
    assert code == 2
    assert variable in report["error"]


@pytest.mark.parametrize(
    ("name", "payload", "message"),
    [
        ("push", {"ref": "refs/heads/main"}, "does not handle the 'push' event"),
        ("pull_request", {"pull_request": {"number": 7}}, "'pull_request.head.sha'"),
        ("pull_request", {"pull_request": {"number": "7", "head": {"sha": "a" * 40}}}, "number"),
        ("pull_request", {}, "'pull_request'"),
        ("issue_comment", {"issue": {"pull_request": {}, "number": 7}}, None),
    ],
)
def test_bad_events_are_errors(run, capsys, name, payload, message):
    run.event(name, payload)
    code, report = run.check(capsys)
    if message is None:  # an issue whose pull_request key is empty is a plain issue
        assert (code, report) == (0, None)
        return
    assert code == 2
    assert message in report["error"]


def test_a_bad_event_file_is_an_error(run, capsys, monkeypatch, tmp_path):
    path = tmp_path / "event.json"
    path.write_text("{not json")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))
    code, report = run.check(capsys)
    assert code == 2
    assert "not a JSON event payload" in report["error"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 100_000, "not a JSON event payload"),  # nesting deeper than the parser goes
        (b" " * (10 * 1024 * 1024 + 1), "larger than 10 MiB"),
    ],
    ids=["deep", "huge"],
)
def test_an_event_file_no_event_is_is_an_error(
    run, capsys, monkeypatch, tmp_path, content, message
):
    path = tmp_path / "event.json"
    path.write_bytes(content)
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))
    code, report = run.check(capsys)
    assert code == 2
    assert message in report["error"]
