"""Sign-offs on GitHub: a pull request's reviews and `/signoff` comments as offers."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from gate.depmap.records import Map
from gate.github.client import GitHub
from gate.github.commands import signoff_commands
from gate.github.payloads import Comment, PullRequest, Review, each
from gate.github.pull import head_since
from gate.signoffs.records import ANY_SYSTEM, Offer

DECIDING_REVIEWS = frozenset({"APPROVED", "CHANGES_REQUESTED", "DISMISSED"})


@dataclass(frozen=True, kw_only=True)
class Gathered:
    """What a pull request's reviews and comments offer, and the comments as read for it."""

    reviews: tuple[Offer, ...]
    comments: tuple[Comment, ...]
    head: str
    since: datetime.datetime | None

    def offers(self, depmap: Map) -> tuple[Offer, ...]:
        """The offers, once the base map names the systems a `/signoff` line may name."""
        known = set(depmap.systems)
        if depmap.own_system is not None:
            known.add(depmap.own_system.id)
        comments = comment_offers(self.comments, head=self.head, since=self.since, known=known)
        return (*self.reviews, *comments)


def gather(github: GitHub, pull: PullRequest, *, witness: bool = True) -> Gathered:
    """The offers of the pull request's reviews and comments, and the comments as read.

    Comments count from the time head_since vouches for; with witness=False (a reader such as
    the board's agenda) no status is posted to vouch for the head.
    """
    since = head_since(github, pull, witness=witness)
    where = f"/repos/{pull.repository}"
    reviews = each(
        github.paginate(f"{where}/pulls/{pull.number}/reviews"), Review.from_dict, "reviews"
    )
    comments = each(
        github.paginate(f"{where}/issues/{pull.number}/comments"), Comment.from_dict, "comments"
    )
    return Gathered(
        reviews=tuple(review_offers(reviews)), comments=tuple(comments), head=pull.head, since=since
    )


def review_offers(reviews: Iterable[Review]) -> list[Offer]:
    """Each reviewer's latest deciding review: an approval offers to sign off what they own.

    A later "changes requested" revokes an approval, and so does its dismissal (GitHub then
    shows the approval itself as DISMISSED); a later plain comment changes nothing.
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
        if review.state == "APPROVED":
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
