"""Sign-offs on GitHub: a pull request's reviews and `/signoff` comments as offers."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from gate.depmap.records import Map
from gate.errors import GateError
from gate.github.client import GitHub
from gate.github.commands import signoff_commands
from gate.github.payloads import Comment, PullCommit, PullRequest, Review, Status, each
from gate.github.pull import head_since, history
from gate.signoffs.records import ANY_SYSTEM, Offer

DECIDING_REVIEWS = frozenset({"APPROVED", "CHANGES_REQUESTED", "DISMISSED"})
# GitHub lists at most this many commits of a pull request: a list this long may be cut.
# https://docs.github.com/en/rest/pulls/pulls#list-commits-on-a-pull-request
MAX_PULL_COMMITS = 250


@dataclass(frozen=True, kw_only=True)
class Gathered:
    """What a pull request's reviews and comments offer, and the comments as read for it."""

    reviews: tuple[Offer, ...]
    comments: tuple[Comment, ...]
    head: str
    since: datetime.datetime | None  # since when the head is known to be current
    author: str
    contributors: Mapping[str, str]  # lower-cased login of a commit's author or committer -> it

    def offers(self, depmap: Map) -> tuple[Offer, ...]:
        """The offers, once the base map names the systems a `/signoff` line may name."""
        known = set(depmap.systems)
        if depmap.own_system is not None:
            known.add(depmap.own_system.id)
        comments = comment_offers(self.comments, head=self.head, since=self.since, known=known)
        return tuple(_not_by(self.contributors, [*self.reviews, *comments], author=self.author))


def created_by(login: str) -> Callable[[Status], bool]:
    """Who vouches for a head: statuses whose creator GitHub records as `login`, and no other.

    The --github mode learns the gate's own login from a status it posts (identity.py); the
    board, which posts nothing, is told it (--gate-identity).
    """
    wanted = login.lower()
    return lambda status: status.creator is not None and status.creator.lower() == wanted


def gather(github: GitHub, pull: PullRequest, *, vouches: Callable[[Status], bool]) -> Gathered:
    """The offers of the pull request's reviews and comments, and the comments as read.

    Comments count from the time head_since vouches for, by statuses vouches() accepts. No
    one recorded as the author or committer of one of the pull request's commits can sign off
    (nobody signs off their own work), and a change of the base voids every approval and
    comment given before it, as a force push does.
    """
    since = history(github, pull)
    where = f"/repos/{pull.repository}"
    reviews = each(
        github.paginate(f"{where}/pulls/{pull.number}/reviews"), Review.from_dict, "reviews"
    )
    comments = each(
        github.paginate(f"{where}/issues/{pull.number}/comments"), Comment.from_dict, "comments"
    )
    contributors = pull_contributors(github, pull)
    witnessed = head_since(github, pull, since=since, vouches=vouches)
    return Gathered(
        reviews=tuple(review_offers(reviews, base_changed=since.base_changed)),
        comments=tuple(comments),
        head=pull.head,
        since=witnessed,
        author=pull.author,
        contributors=contributors,
    )


def pull_contributors(github: GitHub, pull: PullRequest) -> dict[str, str]:
    """Lower-cased login -> a commit of the pull request they authored or committed."""
    path = f"/repos/{pull.repository}/pulls/{pull.number}/commits"
    commits = each(github.paginate(path), PullCommit.from_dict, "pull request commits")
    if len(commits) >= MAX_PULL_COMMITS:
        raise GateError(
            f"pull request #{pull.number} has {len(commits)} or more commits, and GitHub lists"
            f" no more than {MAX_PULL_COMMITS}: the gate cannot tell who wrote them all, so"
            " nobody's sign-off can be checked; squash or split the pull request"
        )
    found: dict[str, str] = {}
    for commit in commits:
        for login in commit.people:
            found.setdefault(login.lower(), commit.sha)
    return found


def _not_by(contributors: Mapping[str, str], offers: list[Offer], *, author: str) -> list[Offer]:
    """The offers, those by an author or committer of a commit of the change rejected."""
    kept: list[Offer] = []
    for offer in offers:
        commit = contributors.get(offer.by.lower())
        if commit is not None and offer.by.lower() != author.lower() and not offer.bot:
            offer = dataclasses.replace(
                offer,
                reject_reason=f"{offer.by} authored or committed {commit[:12]} of this pull"
                " request, and nobody signs off their own work",
            )
        kept.append(offer)
    return kept


def review_offers(
    reviews: Iterable[Review], *, base_changed: datetime.datetime | None = None
) -> list[Offer]:
    """Each reviewer's latest deciding review: an approval offers to sign off what they own.

    A later "changes requested" revokes an approval, and so does its dismissal (GitHub then
    shows the approval itself as DISMISSED); a later plain comment changes nothing. An
    approval submitted before the base last changed (base_changed) is for another change.
    """
    latest: dict[str, Review] = {}
    approved: dict[str, Review] = {}
    for review in sorted(reviews, key=lambda r: (r.submitted_at or "", r.id)):
        login = review.user.login
        if login is None or review.state not in DECIDING_REVIEWS:
            continue
        latest[login.lower()] = review
        if review.state == "APPROVED":
            approved[login.lower()] = review
    offers: list[Offer] = []
    for key, review in latest.items():
        if review.state == "APPROVED" and _before(review.submitted, base_changed):
            offers.append(
                _review_offer(
                    review,
                    reject="given before the pull request's base was changed; approve again",
                )
            )
        elif review.state == "APPROVED":
            offers.append(_review_offer(review))
        elif review.state == "DISMISSED":
            offers.append(
                _review_offer(review, reject="their review was dismissed, which revokes it")
            )
        elif key in approved:
            offers.append(
                _review_offer(
                    approved[key], reject="revoked by their later review requesting changes"
                )
            )
    return offers


def _before(moment: datetime.datetime | None, change: datetime.datetime | None) -> bool:
    """Whether a sign-off at moment may predate the change (equal: GitHub's whole seconds)."""
    return change is not None and (moment is None or moment <= change)


def _review_offer(review: Review, *, reject: str | None = None) -> Offer:
    return Offer(
        by=review.user.login or "",
        systems=None,
        commit=review.commit_id,
        source="review",
        at=review.submitted_at,
        url=review.html_url,
        bot=review.user.bot,
        reject_reason=reject,
    )


def comment_offers(
    comments: Iterable[Comment],
    *,
    head: str,
    since: datetime.datetime | None,
    known: Collection[str],
) -> list[Offer]:
    """`/signoff` lines of comments, for the head if posted while it was current (head_since).

    `known`: the base map's system ids; a line that cannot count is an offer rejected with why.
    """
    offers: list[Offer] = []
    for comment in comments:
        login = comment.user.login
        if comment.body is None or login is None:
            continue
        commands = signoff_commands(comment.body, known)
        if not commands:
            continue
        counted = [command.systems for command in commands if command.refused is None]
        named = [name for systems in counted if systems is not None for name in systems]
        systems = None if None in counted else tuple(dict.fromkeys(named))
        reject = None
        commit = head
        if comment.edited:
            reject = "the comment was edited after it was posted; post a new comment to sign off"
        elif comment.created is None or since is None or comment.created <= since:
            # Equal is not enough: GitHub's times are whole seconds, and the head was read
            # before the status was posted.
            commit = ""
            reject = (
                f"posted before {head[:12]} was known to be the head (the head may have moved"
                " since); sign off again with a new comment"
            )
        offered = [(systems, reject)] if counted else []
        offered += [
            (command.systems or (ANY_SYSTEM,), command.refused)
            for command in commands
            if command.refused is not None
        ]
        offers += [
            Offer(
                by=login,
                systems=systems,
                commit=commit,
                source="comment",
                at=comment.created_at,
                url=comment.html_url,
                bot=comment.user.bot,
                reject_reason=reason,
            )
            for systems, reason in offered
        ]
    return offers
