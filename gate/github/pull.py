"""A pull request on GitHub: fetched, its head confirmed, and since when that head is current."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gate.errors import GateError
from gate.github.client import GitHub
from gate.github.payloads import IssueEvent, PullRequest, Status, each
from gate.github.post import CONTEXT

# Issue events after which the pull request's head may be a commit it was at before, so the
# gate's earlier statuses no longer show the head has been current since then. A change of
# the base is one too: the same head is another change against another base, or (the base
# branch rewritten by a force push) against another merge base.
BASE_CHANGES = frozenset({"base_ref_changed", "base_ref_force_pushed"})
HEAD_RESETS = (
    frozenset({"head_ref_force_pushed", "head_ref_deleted", "head_ref_restored", "reopened"})
    | BASE_CHANGES
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
            f"the pull request's {'commit' if len(missing) == 1 else 'commits'}"
            f" {', '.join(c[:12] for c in missing)} {'is' if len(missing) == 1 else 'are'} not in"
            f" {repo};"
            " pass --deepen to fetch them from origin, or fetch them before running the gate"
        )
    refs.fetch_commits(repo, missing)


@dataclass(frozen=True, kw_only=True)
class History:
    """What the pull request's issue events say about its head and its base."""

    head_reset: datetime.datetime | None  # the last event after which an old head may be back
    base_changed: datetime.datetime | None  # the last change of the base branch


def history(github: GitHub, pull: PullRequest) -> History:
    events = each(
        github.paginate(f"/repos/{pull.repository}/issues/{pull.number}/events"),
        IssueEvent.from_dict,
        "issue events",
    )

    def last(kinds: frozenset[str]) -> datetime.datetime | None:
        return max(
            (e.created for e in events if e.event in kinds and e.created is not None),
            default=None,
        )

    return History(head_reset=last(HEAD_RESETS), base_changed=last(BASE_CHANGES))


def head_since(
    github: GitHub, pull: PullRequest, *, since: History, vouches: Callable[[Status], bool]
) -> datetime.datetime | None:
    """Since when the head has been the pull request's head, as far as GitHub can vouch.

    A `/signoff` comment must count for the head that was current when it was posted, never a
    later push, yet GitHub records no push times for pull requests (the timeline's commits
    carry the author's own, forgeable dates). What it does record: the time of each commit
    status, and an issue event for every push that is not a fast-forward (force push, branch
    deleted or restored, reopening) and for a change of the base. So each run posts this
    gate's status on the head it has just read from the pull request, with the pull request as
    its target (identity.announce); the earliest such status on the head after the last of
    those events shows the head has been current since then: a fast-forward away from it could
    only come back by a force push. Only a status vouches() for counts: one the gate itself
    posted (its creator is the gate's identity), so a status anyone else posts on a commit
    before pushing it vouches for nothing. Comments posted earlier count for no commit (fail
    closed: the owner is asked to sign off again).
    """
    statuses = each(
        github.paginate(f"/repos/{pull.repository}/commits/{pull.head}/statuses"),
        Status.from_dict,
        "statuses",
    )
    reset = since.head_reset
    seen = [
        s.created
        for s in statuses
        if s.context == CONTEXT and pull.is_target(s.target_url) and vouches(s)
    ]
    return min((t for t in seen if t is not None and (reset is None or t >= reset)), default=None)
