"""Bypass class: a `/signoff` comment that signs off more than its words say.

An owner's comment turns the status green only for what it plainly signs: `all` alone, or
system ids of the base map and nothing else; a line that only looks like a command (in a quote,
in code, in HTML, or made a line by a separator Markdown does not break at) signs nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from testing import fakegithub
from testing.fakegithub import FakeGitHub
from testing.infra import infra_repo
from testing.pullrequest import NUMBER, Run, alerting_change


@pytest.fixture
def run(tmp_path, monkeypatch):
    with FakeGitHub() as fake:
        yield Run(tmp_path, monkeypatch, fake, infra_repo(tmp_path / "repo"))


def comment_check(
    run: Run, capsys: pytest.CaptureFixture[str], body: str, login: str = "dave"
) -> tuple[int, dict[str, Any], str]:
    """The check of a change touching backup-alerts (owned by dave) after login's comment."""
    head = alerting_change(run)
    run.open(head)
    run.on_push(capsys, "opened")
    comment = run.fake.add_comment(NUMBER, login, body)
    run.event("issue_comment", fakegithub.comment_event(NUMBER, comment))
    code, report = run.check(capsys)
    assert report is not None, run.err
    return code, report, head


def test_a_signoff_naming_a_system_in_passing_does_not_sign_it_off(run, capsys):
    code, report, head = comment_check(
        run, capsys, "/signoff pg-dump-backup (not backup-alerts yet)"
    )
    assert code == 1
    assert report["pending"] == ["backup-alerts"]
    reasons = {i["system"]: i["reason"] for i in report["ignored_signoffs"]}
    assert "also names (not, yet), not a system of the base map" in reasons["backup-alerts"]
    assert run.statuses()[-1] == ("failure", head)


@pytest.mark.parametrize("body", ["/signoff all but backup-alerts", "/signoff backup all"])
def test_signoff_all_with_other_words_signs_off_nothing(run, capsys, body):
    code, report, _ = comment_check(run, capsys, body)
    assert code == 1
    assert report["pending"] == ["backup-alerts"]
    [ignored] = report["ignored_signoffs"]
    assert "`all` alone on the line" in ignored["reason"]


@pytest.mark.parametrize(
    "body",
    [
        # An owner's quote reply, refusing: the author's request held two U+2028, which
        # str.splitlines takes for a blank line that ends the quote.
        "> Could you sign off?\u2028\u2028/signoff backup-alerts\n\nNot before the runbook.",
        "> Could you sign off?\u2029\u2029/signoff backup-alerts\n\nNot yet.",
        # A code block whose closing fence only str.splitlines sees.
        "The author asked:\n```\nplease\u2028```\u2028/signoff backup-alerts\n```\nNo.",
    ],
)
def test_a_quoted_signoff_is_not_made_a_line_by_a_separator(run, capsys, body):
    code, report, _ = comment_check(run, capsys, body)
    assert code == 1
    assert report["pending"] == ["backup-alerts"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("Not yet. <!-- for later:\n/signoff backup-alerts\n-->", "raw HTML (<!--...)"),
        ("<pre>\n/signoff backup-alerts\n</pre>\nis what you asked for; no.", "(<pre...)"),
        ("<blockquote>\n\n/signoff backup-alerts\n\n</blockquote>\nNo.", "(<blockquote...)"),
        ("<details>\n\n/signoff backup-alerts\n\n</details>", "(<details...)"),
        ("LGTM\u2028\n/signoff backup-alerts", "U+2028 (LINE SEPARATOR)"),
        ("LGTM\x0b\n/signoff backup-alerts", "a vertical tab"),
    ],
)
def test_a_signoff_after_raw_html_or_a_separator_counts_for_nothing(run, capsys, body, reason):
    code, report, head = comment_check(run, capsys, body)
    assert code == 1
    assert report["pending"] == ["backup-alerts"]
    [ignored] = report["ignored_signoffs"]
    assert (ignored["by"], ignored["system"]) == ("dave", "backup-alerts")
    assert reason in ignored["reason"]
    assert run.statuses()[-1] == ("failure", head)


def test_a_plain_signoff_still_counts(run, capsys):
    code, report, head = comment_check(run, capsys, "Checked the runbook.\n/signoff backup-alerts")
    assert code == 0
    assert report["pending"] == []
    assert run.statuses()[-1] == ("success", head)
