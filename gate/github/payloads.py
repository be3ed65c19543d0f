"""GitHub's JSON as the gate's records: each read once, with the key path in every error."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from gate.errors import GateError
from gate.git.refs import is_commit_id

T = TypeVar("T")


class PayloadError(GateError):
    """A payload from GitHub lacks what the gate must read from it."""


@dataclass(frozen=True, kw_only=True)
class PullRequest:
    repository: str
    number: int
    head: str
    base: str
    author: str
    html_url: str
    state: str

    @classmethod
    def from_dict(cls, data: object, *, repository: str, number: int) -> PullRequest:
        """The pull request GitHub answers for GET /repos/{repository}/pulls/{number}."""
        where = f"pull request #{number}: "
        if not isinstance(data, dict):
            raise PayloadError(f"{where}GitHub's answer is not a pull request object")
        user = _required(data, "user", dict, where)
        return cls(
            repository=repository,
            number=number,
            head=_commit_at(data, "head.sha", where),
            base=_commit_at(data, "base.sha", where),
            author=_required(user, "login", str, where + "user."),
            html_url=_required(data, "html_url", str, where),
            state=_required(data, "state", str, where),
        )

    def is_target(self, url: str | None) -> bool:
        """Whether a status's target is this pull request's page (or a part of it)."""
        return isinstance(url, str) and (
            url == self.html_url or url.startswith(self.html_url + "#")
        )


@dataclass(frozen=True, kw_only=True)
class ListedPull:
    """A pull request as a listing shows it; problems name what it lacks, so it still shows."""

    number: int
    title: str
    html_url: str
    author: str
    base: str
    head: str
    base_ref: str
    draft: bool
    problems: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: object) -> ListedPull:
        fields: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
        number = fields.get("number")
        if not isinstance(number, int) or isinstance(number, bool):
            raise PayloadError("GitHub listed a pull request without a number")
        problems: list[str] = []

        def listed(path: str, *, needed: bool = True) -> str:
            value = _at(fields, path)
            if isinstance(value, str):
                return value
            if needed:
                problems.append(f"'{path}' is missing")
            return ""

        title, html_url, author = listed("title"), listed("html_url"), listed("user.login")
        base, head = listed("base.sha"), listed("head.sha")
        base_ref = listed("base.ref", needed=False)
        for role, sha in (("base", base), ("head", head)):
            if sha and not is_commit_id(sha):
                problems.append(f"'{role}.sha' is {sha!r}, not a commit id")
        return cls(
            number=number,
            title=title,
            html_url=html_url,
            author=author,
            base=base,
            head=head,
            base_ref=base_ref,
            draft=fields.get("draft") is True,
            problems=tuple(problems),
        )


@dataclass(frozen=True, kw_only=True)
class User:
    login: str | None  # None when GitHub names no one
    bot: bool

    @classmethod
    def from_dict(cls, data: object) -> User:
        fields: Mapping[str, Any] = data if isinstance(data, dict) else {}
        login = _text(fields, "login") or None
        bot = fields.get("type") == "Bot" or (login or "").lower().endswith("[bot]")
        return cls(login=login, bot=bot)


@dataclass(frozen=True, kw_only=True)
class Review:
    id: int
    user: User
    state: str | None
    commit_id: str
    submitted_at: str | None
    submitted: datetime.datetime | None
    html_url: str | None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Review:
        return cls(
            id=_number(data, "id"),
            user=User.from_dict(data.get("user")),
            state=_text(data, "state"),
            commit_id=_text(data, "commit_id") or "",
            submitted_at=_text(data, "submitted_at"),
            submitted=_moment(data, "submitted_at"),
            html_url=_text(data, "html_url"),
        )


@dataclass(frozen=True, kw_only=True)
class Comment:
    id: int | None  # None: GitHub gave no id, so it cannot be edited
    user: User
    body: str | None
    created_at: str | None
    created: datetime.datetime | None
    edited: bool  # updated after it was created
    html_url: str | None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Comment:
        return cls(
            id=_whole(data, "id"),
            user=User.from_dict(data.get("user")),
            body=_text(data, "body"),
            created_at=_text(data, "created_at"),
            created=_moment(data, "created_at"),
            edited=data.get("updated_at") != data.get("created_at"),
            html_url=_text(data, "html_url"),
        )

    @classmethod
    def created_object(cls, data: object, *, body: str, what: str) -> Comment:
        """The comment GitHub answers for a comment it created or edited; anything else fails.

        An answer that is not the comment as written (no id, no author, another body) means
        the write cannot be shown to have happened.
        """
        if not isinstance(data, Mapping):
            raise PayloadError(f"GitHub's answer to {what} is not a comment object")
        comment = cls.from_dict(data)
        lacks = [
            name
            for name, ok in (
                ("id", comment.id is not None),
                ("user.login", comment.user.login is not None),
                ("html_url", comment.html_url is not None),
                ("body", comment.body == body),
            )
            if not ok
        ]
        if lacks:
            raise PayloadError(
                f"GitHub's answer to {what} is not the comment as written (its"
                f" {', '.join(repr(name) for name in lacks)} do not match); run the job again"
            )
        return comment


@dataclass(frozen=True, kw_only=True)
class Status:
    context: str | None
    state: str | None
    target_url: str | None
    created: datetime.datetime | None
    creator: str | None  # the login GitHub records as the status's creator

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Status:
        creator = data.get("creator")
        return cls(
            context=_text(data, "context"),
            state=_text(data, "state"),
            target_url=_text(data, "target_url"),
            created=_moment(data, "created_at"),
            creator=_text(creator, "login") or None if isinstance(creator, Mapping) else None,
        )

    @classmethod
    def created_object(cls, data: object, *, state: str, context: str, what: str) -> Status:
        """The status GitHub answers for one it created: its state, context, creator and time."""
        if not isinstance(data, Mapping):
            raise PayloadError(f"GitHub's answer to {what} is not a commit status object")
        status = cls.from_dict(data)
        lacks = [
            name
            for name, ok in (
                ("state", status.state == state),
                ("context", status.context == context),
                ("creator.login", status.creator is not None),
                ("created_at", status.created is not None),
            )
            if not ok
        ]
        if lacks:
            raise PayloadError(
                f"GitHub's answer to {what} is not the status as posted (its"
                f" {', '.join(repr(name) for name in lacks)} do not match); run the job again"
            )
        return status


@dataclass(frozen=True, kw_only=True)
class PullCommit:
    """A commit of a pull request: the GitHub users recorded as its author and committer."""

    sha: str
    people: tuple[str, ...]  # logins; git identities GitHub links to no user are not people

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PullCommit:
        people = []
        for role in ("author", "committer"):
            person = data.get(role)
            login = _text(person, "login") if isinstance(person, Mapping) else None
            if login:
                people.append(login)
        return cls(sha=_text(data, "sha") or "", people=tuple(dict.fromkeys(people)))


@dataclass(frozen=True, kw_only=True)
class IssueEvent:
    event: str | None
    created: datetime.datetime | None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IssueEvent:
        return cls(event=_text(data, "event"), created=_moment(data, "created_at"))


@dataclass(frozen=True, kw_only=True)
class Membership:
    active: bool  # else pending

    @classmethod
    def from_dict(cls, data: object, *, login: str, team: str) -> Membership:
        state = data.get("state") if isinstance(data, dict) else None
        if state not in ("active", "pending"):
            raise PayloadError(
                f"GitHub's answer for {login} in team {team} has no membership state"
            )
        return cls(active=state == "active")


@dataclass(frozen=True, kw_only=True)
class PullRequestEvent:
    """A pull_request, pull_request_target or pull_request_review event."""

    number: int
    head: str

    @classmethod
    def from_dict(cls, event: Mapping[str, Any]) -> PullRequestEvent:
        pull = _required(event, "pull_request", dict)
        return cls(
            number=_required(pull, "number", int, "pull_request."),
            head=_commit_at(pull, "head.sha", "pull_request."),
        )


@dataclass(frozen=True, kw_only=True)
class IssueCommentEvent:
    """An issue_comment event; number is None when the issue is no pull request."""

    number: int | None

    @classmethod
    def from_dict(cls, event: Mapping[str, Any]) -> IssueCommentEvent:
        issue = _required(event, "issue", dict)
        if not issue.get("pull_request"):
            return cls(number=None)
        return cls(number=_required(issue, "number", int, "issue."))


# -- typed getters ------------------------------------------------------------------------------


def each(items: Iterable[object], record: Callable[[Mapping[str, Any]], T], what: str) -> list[T]:
    """The records of a list GitHub answered; an entry that is no object is refused."""
    found: list[T] = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise PayloadError(
                f"GitHub's list of {what} holds {type(item).__name__} at [{index}], not an object"
            )
        found.append(record(item))
    return found


def _required(data: object, key: str, kind: type[T], where: str = "") -> T:
    value = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise PayloadError(
            f"the event or API payload lacks '{where}{key}' ({kind.__name__}); is this a"
            " pull request event from GitHub?"
        )
    return value


def _commit_at(data: object, dotted: str, where: str) -> str:
    value = _at(data, dotted)
    if not isinstance(value, str) or not is_commit_id(value):
        raise PayloadError(f"the payload's '{where}{dotted}' is not a commit id: {value!r}")
    return value


def _at(data: object, dotted: str) -> object:
    value = data
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _number(data: Mapping[str, Any], key: str) -> int:
    value = _whole(data, key)
    return 0 if value is None else value


def _whole(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _moment(data: Mapping[str, Any], key: str) -> datetime.datetime | None:
    """A time GitHub gave with its zone; None for anything else."""
    value = data.get(key)
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
