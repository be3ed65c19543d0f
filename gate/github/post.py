"""The verdict posted back: the commit status and the living comment."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from gate.github.client import GitHub
from gate.github.payloads import Comment, PayloadError, PullRequest, Status
from gate.report.records import Report
from gate.report.words import counted

CONTEXT = "change-impact-gate"
MAX_DESCRIPTION = 140  # GitHub's limit for a commit status description


def update_comment(
    github: GitHub,
    pull: PullRequest,
    body: str,
    comments: Iterable[Comment],
    *,
    mine: Callable[[Comment], bool],
) -> str | None:
    """Edit the gate's one comment in place, or create it; its URL.

    The gate's comment is the first that starts with its marker and that mine() says the gate
    wrote (Identity.wrote): a marker in anyone else's comment does not make it the gate's.
    """
    marker = comment_marker()
    found = next((c for c in comments if (c.body or "").startswith(marker) and mine(c)), None)
    if found is not None:
        if found.id is None:
            raise PayloadError(
                f"GitHub listed the gate's comment {found.html_url} without an id, so it cannot"
                " be edited; run the job again"
            )
        if found.body != body:
            path = f"/repos/{pull.repository}/issues/comments/{found.id}"
            edited = github.patch(path, {"body": body})
            Comment.created_object(edited, body=body, what=f"PATCH {path}")
        return found.html_url
    path = f"/repos/{pull.repository}/issues/{pull.number}/comments"
    created = Comment.created_object(github.post(path, {"body": body}), body=body, what=path)
    if not mine(created):
        raise PayloadError(
            f"GitHub answered POST {path} with a comment by {created.user.login}, not by the"
            " gate's own identity (the creator of the status it posted), so the next run would"
            " not find it; use one token for comments and the main status"
        )
    return created.html_url


def post_status(
    github: GitHub, pull: PullRequest, state: str, description: str, target_url: str | None
) -> Status:
    """Post this gate's commit status on the head; the status as GitHub stored it.

    An answer that is not that status (its state, context, creator and time) is an error.
    """
    target = target_url if target_url and pull.is_target(target_url) else pull.html_url
    if len(description) > MAX_DESCRIPTION:
        description = description[: MAX_DESCRIPTION - 1] + "…"
    path = f"/repos/{pull.repository}/statuses/{pull.head}"
    posted = github.post(
        path,
        {"state": state, "context": CONTEXT, "description": description, "target_url": target},
        idempotent=True,
    )
    return Status.created_object(posted, state=state, context=CONTEXT, what=f"POST {path}")


def state_of(report: Report) -> str:
    return "success" if report.verdict == "pass" else "failure"


def description(report: Report) -> str:
    """The status line: who is still to sign off, or that it passed."""
    if report.verdict == "pass":
        count = sum(1 for r in report.systems if r.signoff.required)
        return (
            f"{counted(count, 'affected system')} signed off"
            if count
            else "no affected system needs sign-off"
        )
    waiting = report.waiting()
    parts = []
    if waiting:
        parts.append("waiting for " + ", ".join(waiting))
    violations = sum(len(r.violations) for r in report.systems)
    if violations:
        parts.append(f"{counted(violations, 'version requirement')} violated")
    if report.unmapped and report.unmapped_policy == "fail":
        parts.append(counted(len(report.unmapped), "unmapped file"))
    return "; ".join(parts) or "blocked"


def comment_marker() -> str:
    from gate.report.comment import MARKER

    return MARKER
