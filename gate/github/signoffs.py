"""Sign-offs on GitHub: reviews and `/signoff` comments as offers."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from typing import Any

from gate.signoffs.records import Offer

DECIDING_REVIEWS = frozenset({"APPROVED", "CHANGES_REQUESTED", "DISMISSED"})


def review_offers(reviews: Iterable[Mapping[str, Any]]) -> list[Offer]:
    """Each reviewer's latest deciding review: an approval offers to sign off what they own.

    A later "changes requested" revokes an approval, and so does its dismissal (GitHub then
    shows the approval itself as DISMISSED); a later plain comment changes nothing.
    """
    latest: dict[str, Mapping[str, Any]] = {}
    approved: dict[str, Mapping[str, Any]] = {}
    ordered = sorted(
        reviews, key=lambda r: (str(r.get("submitted_at") or ""), number_of(r.get("id")))
    )
    for review in ordered:
        login = login_of(review.get("user"))
        if login is None or review.get("state") not in DECIDING_REVIEWS:
            continue
        latest[login.lower()] = review
        if review.get("state") == "APPROVED":
            approved[login.lower()] = review
    offers: list[Offer] = []
    for key, review in latest.items():
        state = review.get("state")
        if state == "APPROVED":
            offers.append(_review_offer(review))
        elif state == "DISMISSED":
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


def _review_offer(review: Mapping[str, Any], *, reject: str | None = None) -> Offer:
    user = review.get("user")
    commit = review.get("commit_id")
    return Offer(
        by=login_of(user) or "",
        systems=None,
        commit=commit if isinstance(commit, str) else "",
        source="review",
        at=text_of(review.get("submitted_at")),
        url=text_of(review.get("html_url")),
        bot=is_bot(user),
        reject_reason=reject,
    )


def comment_offers(
    comments: Iterable[Mapping[str, Any]], *, head: str, since: datetime.datetime | None
) -> list[Offer]:
    """`/signoff` lines of comments, for the head if posted while it was current (head_since)."""
    offers: list[Offer] = []
    for comment in comments:
        body = comment.get("body")
        login = login_of(comment.get("user"))
        if not isinstance(body, str) or login is None:
            continue
        commands = signoff_commands(body)
        if not commands:
            continue
        named = [name for command in commands for name in command]
        systems = None if "all" in named else tuple(dict.fromkeys(named))
        created = parse_time(comment.get("created_at"))
        reject = None
        commit = head
        if comment.get("updated_at") != comment.get("created_at"):
            reject = "the comment was edited after it was posted; post a new comment to sign off"
        elif created is None or since is None or created <= since:
            # Equal is not enough: GitHub's times are whole seconds, and the head was read
            # before the status was posted.
            commit = ""
            reject = (
                f"posted before {head[:12]} was known to be the head (the head may have moved"
                " since); sign off again with a new comment"
            )
        offers.append(
            Offer(
                by=login,
                systems=systems,
                commit=commit,
                source="comment",
                at=text_of(comment.get("created_at")),
                url=text_of(comment.get("html_url")),
                bot=is_bot(comment.get("user")),
                reject_reason=reject,
            )
        )
    return offers


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_QUOTE = re.compile(r" {0,3}>")
_COMMAND = re.compile(r" {0,3}/signoff(?:[ \t]+(?P<names>.*))?")


def signoff_commands(body: str) -> list[tuple[str, ...]]:
    """The systems each `/signoff` line names, from the lines that render as plain text.

    Lines in fenced or indented code, in quotes (with their lazy continuation lines) and in
    HTML comments do not count: they show or hide someone's words, not the commenter's.
    """
    commands: list[tuple[str, ...]] = []
    fence: str | None = None
    quoted = in_html = False
    for raw in body.splitlines():
        line = raw.expandtabs(4)
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            continue
        if in_html:
            in_html = "-->" not in line
            continue
        if not stripped:
            quoted = False
            continue
        opening = _FENCE.match(line)
        if opening is not None:
            fence = opening.group(1)
            continue
        if stripped.startswith("<!--"):
            in_html = "-->" not in stripped[4:]
            continue
        if _QUOTE.match(line):
            quoted = True
            continue
        if quoted or line.startswith("    "):
            continue
        command = _COMMAND.fullmatch(line.rstrip())
        if command is not None:
            names = (command.group("names") or "").replace(",", " ").split()
            if names:
                commands.append(tuple(names))
    return commands


def login_of(user: object) -> str | None:
    login = user.get("login") if isinstance(user, dict) else None
    return login if isinstance(login, str) and login else None


def is_bot(user: object) -> bool:
    kind = user.get("type") if isinstance(user, dict) else None
    return kind == "Bot" or (login_of(user) or "").lower().endswith("[bot]")


def parse_time(value: object) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def text_of(value: object) -> str | None:
    return value if isinstance(value, str) else None


def number_of(value: object) -> int:
    return value if isinstance(value, int) else 0
