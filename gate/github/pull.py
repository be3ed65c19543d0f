"""A pull request on GitHub: fetched, its head confirmed, and since when that head is current."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from gate.errors import GateError
from gate.github.client import GitHub
from gate.github.payloads import IssueEvent, PullRequest, Status, each
from gate.github.post import CONTEXT, post_status

# Issue events after which the pull request's head may be a commit it was at before, so the
# gate's earlier statuses no longer show the head has been current since then.
HEAD_RESETS = frozenset(
    {"head_ref_force_pushed", "head_ref_deleted", "head_ref_restored", "reopened"}
)


class HeadMoved(GateError):
    """The pull request's head is no longer the commit this run evaluated."""


def fetch_pull(github: GitHub, repository: str, number: int) -> PullRequest:
    data = github.get(f"/repos/{repository}/pulls/{number}")
    return PullRequest.from_dict(data, repository=repository, number=number)


def fetch_event_pull(
    github: GitHub, repository: str, number: int, event_head: str | None
) -> PullRequest:
    """The event's pull request, as long as its head is still the one the event names."""
    pull = fetch_pull(github, repository, number)
    if event_head is not None and pull.head != event_head:
        raise HeadMoved(
            f"this run was started for {event_head[:12]}, but pull request #{number} is now at"
            f" {pull.head[:12]}: the push that moved it starts its own run, which decides;"
            " nothing was posted for the old commit"
        )
    return pull


def confirm_head(github: GitHub, pull: PullRequest) -> None:
    """Re-read the pull request: a verdict is posted only for the head it is about."""
    now = fetch_pull(github, pull.repository, pull.number)
    if now.head != pull.head:
        raise HeadMoved(
            f"pull request #{pull.number} moved from {pull.head[:12]} to {now.head[:12]} while"
            " this run evaluated it: its verdict is for an old commit, so no status was posted;"
            " the push starts its own run, which decides"
        )


def fetch_commits(repo: str, commits: Sequence[str], *, fetch: bool) -> None:
    """Make sure base and head are in the repository, fetching them from origin with --deepen.

    actions/checkout leaves a shallow clone of one commit; the pull request's commits are
    fetched by id (GitHub serves any commit reachable from its refs, forks' pull heads too),
    and refs.merge_base then deepens until base and head meet.
    """
    from gate.git import refs

    missing = [commit for commit in commits if not refs.is_commit(repo, commit)]
    if not missing:
        return
    if not fetch:
        raise GateError(
            f"the pull request's commit(s) {', '.join(c[:12] for c in missing)} are not in {repo};"
            " pass --deepen to fetch them from origin, or fetch them before running the gate"
        )
    refs.fetch_commits(repo, missing)


def head_since(
    github: GitHub, pull: PullRequest, *, witness: bool = True
) -> datetime.datetime | None:
    """Since when the head has been the pull request's head, as far as GitHub can vouch.

    A `/signoff` comment must count for the head that was current when it was posted, never a
    later push, yet GitHub records no push times for pull requests (the timeline's commits
    carry the author's own, forgeable dates). What it does record: the time of each commit
    status, and an issue event for every push that is not a fast-forward (force push, branch
    deleted or restored, reopening). So each run posts this gate's status on the head it has
    just read from the pull request, with the pull request as its target; the earliest such
    status on the head after the last of those events shows the head has been current since
    then: a fast-forward away from it could only come back by a force push. Comments posted
    earlier count for no commit (fail closed: the owner is asked to sign off again).
    Only accounts with write access can post statuses; they are trusted not to forge this one.
    With witness=False (a reader such as the board's agenda) nothing is posted: without an
    earlier status on the head, no comment counts.
    """
    where = f"/repos/{pull.repository}"
    events = each(
        github.paginate(f"{where}/issues/{pull.number}/events"),
        IssueEvent.from_dict,
        "issue events",
    )
    resets = [e.created for e in events if e.event in HEAD_RESETS]
    reset = max((t for t in resets if t is not None), default=None)
    statuses = each(
        github.paginate(f"{where}/commits/{pull.head}/statuses"), Status.from_dict, "statuses"
    )
    seen = [s.created for s in statuses if s.context == CONTEXT and pull.is_target(s.target_url)]
    valid = [t for t in seen if t is not None and (reset is None or t >= reset)]
    if valid:
        return min(valid)
    if not witness:
        return None
    posted = post_status(github, pull, "pending", f"evaluating {pull.head[:7]}", pull.html_url)
    return posted.created if posted is not None else None
