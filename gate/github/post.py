"""The verdict posted back: the commit status and the living comment."""

from __future__ import annotations

from collections.abc import Iterable

from gate.github.client import GitHub
from gate.github.payloads import Comment, PayloadError, PullRequest, Status
from gate.report.records import Report

CONTEXT = "change-impact-gate"
MAX_DESCRIPTION = 140  # GitHub's limit for a commit status description


def update_comment(
    github: GitHub, pull: PullRequest, body: str, comments: Iterable[Comment]
) -> str | None:
    """Edit the gate's one comment (found by its marker) in place, or create it; its URL."""
    marker = comment_marker()
    mine = [c for c in comments if (c.body or "").startswith(marker) and c.user.bot]
    if mine:
        found = mine[0]
        if found.id is None:
            raise PayloadError(
                f"GitHub listed the gate's comment {found.html_url} without an id, so it cannot"
                " be edited; run the job again"
            )
        if found.body != body:
            github.patch(f"/repos/{pull.repository}/issues/comments/{found.id}", {"body": body})
        return found.html_url
    created = github.post(f"/repos/{pull.repository}/issues/{pull.number}/comments", {"body": body})
    return Comment.from_dict(created).html_url if isinstance(created, dict) else None


def post_status(
    github: GitHub, pull: PullRequest, state: str, description: str, target_url: str | None
) -> Status | None:
    """Post this gate's commit status on the head; the status as GitHub stored it."""
    target = target_url if target_url and pull.is_target(target_url) else pull.html_url
    if len(description) > MAX_DESCRIPTION:
        description = description[: MAX_DESCRIPTION - 1] + "…"
    posted = github.post(
        f"/repos/{pull.repository}/statuses/{pull.head}",
        {"state": state, "context": CONTEXT, "description": description, "target_url": target},
        idempotent=True,
    )
    return Status.from_dict(posted) if isinstance(posted, dict) else None


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
    waiting = report.waiting()
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
