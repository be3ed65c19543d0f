"""GitHub's JSON as records: the errors name the key path; lists and sign-offs read leniently."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from gate.github.payloads import (
    Comment,
    IssueCommentEvent,
    IssueEvent,
    ListedPull,
    Membership,
    PayloadError,
    PullCommit,
    PullRequest,
    PullRequestEvent,
    Review,
    Status,
    User,
    each,
)

SHA = "a" * 40
PULL: dict[str, Any] = {
    "head": {"sha": SHA},
    "base": {"sha": "b" * 40},
    "user": {"login": "alice"},
    "html_url": "https://github.com/acme/infra/pull/7",
    "state": "open",
}
LACKS = "the event or API payload lacks '{}' ({}); is this a pull request event from GitHub?"


def without(data: dict[str, Any], dotted: str, value: object = ...) -> dict[str, Any]:
    """A deep copy of data with the key at dotted removed (or set to value)."""
    copy = {k: dict(v) if isinstance(v, dict) else v for k, v in data.items()}
    *parents, last = dotted.split(".")
    target = copy
    for part in parents:
        target = target[part]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return copy


def pull_request(data: object) -> object:
    return PullRequest.from_dict(data, repository="acme/infra", number=7)


@pytest.mark.parametrize(
    ("read", "data", "message"),
    [
        (pull_request, [], "pull request #7: GitHub's answer is not a pull request object"),
        (pull_request, without(PULL, "user"), LACKS.format("pull request #7: user", "dict")),
        (
            pull_request,
            without(PULL, "head.sha"),
            "the payload's 'pull request #7: head.sha' is not a commit id: None",
        ),
        (
            pull_request,
            without(PULL, "base.sha", "main"),
            "the payload's 'pull request #7: base.sha' is not a commit id: 'main'",
        ),
        (
            pull_request,
            without(PULL, "user.login", 3),
            LACKS.format("pull request #7: user.login", "str"),
        ),
        (pull_request, without(PULL, "html_url"), LACKS.format("pull request #7: html_url", "str")),
        (pull_request, without(PULL, "state"), LACKS.format("pull request #7: state", "str")),
        (PullRequestEvent.from_dict, {}, LACKS.format("pull_request", "dict")),
        (
            PullRequestEvent.from_dict,
            {"pull_request": {"number": "7", "head": {"sha": SHA}}},
            LACKS.format("pull_request.number", "int"),
        ),
        (
            PullRequestEvent.from_dict,
            {"pull_request": {"number": True, "head": {"sha": SHA}}},
            LACKS.format("pull_request.number", "int"),
        ),
        (
            PullRequestEvent.from_dict,
            {"pull_request": {"number": 7}},
            "the payload's 'pull_request.head.sha' is not a commit id: None",
        ),
        (IssueCommentEvent.from_dict, {"comment": {}}, LACKS.format("issue", "dict")),
        (
            IssueCommentEvent.from_dict,
            {"issue": {"pull_request": {"url": "u"}}},
            LACKS.format("issue.number", "int"),
        ),
        (ListedPull.from_dict, {"title": "t"}, "GitHub listed a pull request without a number"),
        (ListedPull.from_dict, "7", "GitHub listed a pull request without a number"),
        (
            lambda data: Membership.from_dict(data, login="bob", team="acme/sre"),
            {"state": "gone"},
            "GitHub's answer for bob in team acme/sre has no membership state",
        ),
        (
            lambda data: each(data, Review.from_dict, "reviews"),
            [{}, "x"],
            "GitHub's list of reviews holds str at [1], not an object",
        ),
    ],
)
def test_from_dict_errors_name_the_key_path(read, data, message):
    with pytest.raises(PayloadError, match=f"^{re.escape(message)}$"):
        read(data)


def test_a_pull_request():
    pull = PullRequest.from_dict(PULL, repository="acme/infra", number=7)
    assert (pull.head, pull.base, pull.author, pull.state) == (SHA, "b" * 40, "alice", "open")
    assert pull.is_target(PULL["html_url"])
    assert pull.is_target(PULL["html_url"] + "#issuecomment-1")
    assert not pull.is_target(PULL["html_url"] + "0")
    assert not pull.is_target(None)


def test_events_of_pull_requests_and_comments():
    assert PullRequestEvent.from_dict({"pull_request": {"number": 7, "head": {"sha": SHA}}}) == (
        PullRequestEvent(number=7, head=SHA)
    )
    plain = IssueCommentEvent.from_dict({"issue": {"pull_request": None}, "comment": "x"})
    assert plain == IssueCommentEvent(number=None)
    on_pull = {"issue": {"pull_request": {"url": "u"}, "number": 7}, "comment": {"body": "hi"}}
    assert IssueCommentEvent.from_dict(on_pull) == IssueCommentEvent(number=7)


def test_a_listed_pull_request_keeps_what_it_has_and_names_what_it_lacks():
    listed = ListedPull.from_dict(
        {"number": 4, "title": "t", "head": {"sha": "HEAD"}, "base": {"sha": SHA}, "draft": True}
    )
    assert (listed.number, listed.title, listed.base, listed.head) == (4, "t", SHA, "HEAD")
    assert listed.draft
    assert listed.problems == (
        "'html_url' is missing",
        "'user.login' is missing",
        "'head.sha' is 'HEAD', not a commit id",
    )


@pytest.mark.parametrize(
    ("data", "login", "bot"),
    [
        ({"login": "dave", "type": "User"}, "dave", False),
        ({"login": "deploy[bot]", "type": "User"}, "deploy[bot]", True),
        ({"login": "ci", "type": "Bot"}, "ci", True),
        ({"login": ""}, None, False),
        ({"type": "Bot"}, None, True),
        (None, None, False),
    ],
)
def test_users(data, login, bot):
    assert User.from_dict(data) == User(login=login, bot=bot)


def test_sign_off_records_read_leniently():
    review = Review.from_dict({"id": "x", "user": "dave", "state": ["APPROVED"]})
    assert review == Review(
        id=0,
        user=User(login=None, bot=False),
        state=None,
        commit_id="",
        submitted_at=None,
        submitted=None,
        html_url=None,
    )
    comment = Comment.from_dict(
        {"id": 5, "body": "/signoff all", "created_at": "2017-01-31T23:00:00Z"}
    )
    assert comment.created == datetime.datetime(2017, 1, 31, 23, tzinfo=datetime.UTC)
    assert comment.edited  # GitHub always sends updated_at; without it, it cannot be trusted
    assert not Comment.from_dict({"created_at": "x", "updated_at": "x"}).edited


@pytest.mark.parametrize(
    ("value", "created"),
    [
        ("2017-01-31T23:00:00Z", datetime.datetime(2017, 1, 31, 23, tzinfo=datetime.UTC)),
        ("2017-01-31T23:00:00", None),  # without a zone it is no moment
        ("yesterday", None),
        (1485903600, None),
    ],
)
def test_times(value, created):
    assert Status.from_dict({"created_at": value}).created == created
    assert IssueEvent.from_dict({"event": "reopened", "created_at": value}).created == created


CONTEXT = "change-impact-gate"
STATUS: dict[str, Any] = {
    "state": "success",
    "context": "change-impact-gate",
    "created_at": "2026-01-05T09:00:01Z",
    "creator": {"login": "github-actions[bot]", "type": "Bot"},
}


def test_a_posted_status_is_the_status_as_posted():
    status = Status.created_object(STATUS, state="success", context=CONTEXT, what="P")
    assert (status.state, status.creator) == ("success", "github-actions[bot]")


@pytest.mark.parametrize(
    ("answer", "lacks"),
    [
        ({**STATUS, "state": "pending"}, "'state'"),
        ({**STATUS, "context": "ci"}, "'context'"),
        ({**STATUS, "creator": None}, "'creator.login'"),
        ({**STATUS, "creator": {"login": ""}}, "'creator.login'"),
        ({**STATUS, "created_at": None}, "'created_at'"),
        ({"message": "ok"}, "'state', 'context', 'creator.login', 'created_at'"),
    ],
)
def test_a_status_answer_that_is_not_the_status_posted_is_an_error(answer, lacks):
    with pytest.raises(PayloadError, match=re.escape(f"(its {lacks} do not match)")):
        Status.created_object(answer, state="success", context=CONTEXT, what="POST x")
    with pytest.raises(PayloadError, match="is not a commit status object"):
        Status.created_object([answer], state="success", context=CONTEXT, what="P")


COMMENT = {
    "id": 5,
    "user": {"login": "github-actions[bot]"},
    "body": "report",
    "html_url": "https://github.com/acme/infra/pull/7#issuecomment-5",
}


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (COMMENT, None),
        ({**COMMENT, "id": None}, "its 'id' do not match"),
        ({**COMMENT, "user": None}, "its 'user.login' do not match"),
        ({**COMMENT, "html_url": 3}, "its 'html_url' do not match"),
        ({**COMMENT, "body": "other"}, "its 'body' do not match"),
        ("created", "is not a comment object"),
    ],
)
def test_a_comment_answer_must_be_the_comment_as_written(answer, message):
    if message is None:
        assert Comment.created_object(answer, body="report", what="POST c").id == 5
        return
    with pytest.raises(PayloadError, match=re.escape(message)):
        Comment.created_object(answer, body="report", what="POST c")


@pytest.mark.parametrize(
    ("data", "people"),
    [
        ({"sha": SHA, "author": {"login": "a"}, "committer": {"login": "c"}}, ("a", "c")),
        ({"sha": SHA, "author": {"login": "a"}, "committer": {"login": "a"}}, ("a",)),
        ({"sha": SHA, "author": None, "committer": {"login": "web-flow"}}, ("web-flow",)),
        ({"author": "a", "committer": {"login": 3}}, ()),
    ],
)
def test_the_people_of_a_pull_requests_commit(data, people):
    assert PullCommit.from_dict(data).people == people


def test_a_status_names_its_creator():
    assert Status.from_dict({"creator": {"login": "x"}}).creator == "x"
    assert Status.from_dict({"creator": "x"}).creator is None
