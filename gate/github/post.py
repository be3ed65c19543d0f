"""The verdict posted back: the commit status and the living comment."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gate.github.client import GitHub
from gate.github.payloads import PullRequest, is_for_pull
from gate.github.signoffs import is_bot, text_of
from gate.report.records import Report

CONTEXT = "change-impact-gate"
# The review states that decide; COMMENTED and PENDING leave a reviewer's standing as it was.
MAX_DESCRIPTION = 140  # GitHub's limit for a commit status description


# -- writing back -----------------------------------------------------------------------------


def update_comment(
    github: GitHub, pull: PullRequest, body: str, comments: Iterable[Mapping[str, Any]]
) -> str | None:
    """Edit the gate's one comment (found by its marker) in place, or create it; its URL."""
    mine = [
        c
        for c in comments
        if isinstance(c.get("body"), str)
        and c["body"].startswith(comment_marker())
        and is_bot(c.get("user"))
    ]
    if mine:
        found = mine[0]
        if found["body"] != body:
            github.patch(f"/repos/{pull.repository}/issues/comments/{found['id']}", {"body": body})
        return text_of(found.get("html_url"))
    created = github.post(f"/repos/{pull.repository}/issues/{pull.number}/comments", {"body": body})
    return text_of(created.get("html_url")) if isinstance(created, dict) else None


def post_status(
    github: GitHub, pull: PullRequest, state: str, description: str, target_url: str | None
) -> Any:
    target = target_url if target_url and is_for_pull(target_url, pull) else pull.html_url
    if len(description) > MAX_DESCRIPTION:
        description = description[: MAX_DESCRIPTION - 1] + "…"
    return github.post(
        f"/repos/{pull.repository}/statuses/{pull.head}",
        {"state": state, "context": CONTEXT, "description": description, "target_url": target},
        idempotent=True,
    )


def state_of(report: Report) -> str:
    return "success" if report.verdict == "pass" else "failure"


def description(report: Report) -> str:
    """The status line: who is still to sign off, or that it passed."""
    if report.verdict == "pass":
        count = sum(1 for r in report.systems if r.signoff.required)
        return (
            f"{count} affected system(s) signed off"
            if count
            else "no affected system needs sign-off"
        )
    waiting: dict[str, None] = {}
    for result in report.systems:
        if not result.signoff.satisfied:
            waiting.update(dict.fromkeys(result.signoff.waiting_for or result.owners))
    parts = []
    if waiting:
        parts.append("waiting for " + ", ".join(waiting))
    violations = sum(len(r.violations) for r in report.systems)
    if violations:
        parts.append(f"{violations} version requirement(s) violated")
    if report.unmapped and report.unmapped_policy == "fail":
        parts.append(f"{len(report.unmapped)} unmapped file(s)")
    return "; ".join(parts) or "blocked"


def comment_marker() -> str:
    from gate.report.comment import MARKER

    return MARKER
