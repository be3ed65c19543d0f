"""The Actions environment and its event: what the --github mode reads, or refuses."""

from __future__ import annotations

import pytest

from gate.report.comment import MARKER
from testing import fakegithub
from testing.pullrequest import NUMBER, alerting_change


def test_a_comment_on_a_plain_issue_has_nothing_to_check(run, capsys):
    comment = {"id": 1, "body": "/signoff all", "user": fakegithub.user("dave")}
    run.event("issue_comment", fakegithub.comment_event(3, comment, on_pull=False))
    code, report = run.check(capsys)
    assert (code, report) == (0, None)
    assert run.fake.requests == []


def test_the_gates_own_comment_triggers_nothing(run, capsys):
    comment = {"id": 1, "body": MARKER + "\n### report", "user": fakegithub.user("x[bot]")}
    run.event("issue_comment", fakegithub.comment_event(NUMBER, comment))
    assert run.check(capsys) == (0, None)
    assert run.fake.requests == []


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
