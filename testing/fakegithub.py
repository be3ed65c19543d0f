"""A fake GitHub on loopback: the REST routes the gate calls, answered from state the test sets.

Objects are built from recorded GitHub payloads (tests/data/github/), so the client parses the
shapes GitHub really sends. Every request is logged; failures (any status, rate-limit headers)
can be injected per route; list endpoints paginate with Link headers like GitHub's.

    with FakeGitHub() as fake:
        fake.add_pull(7, head=sha, base=base_sha, author="alice")
        fake.add_review(7, "bob", "APPROVED", commit=sha)
        ... GITHUB_API_URL=fake.url ...
        assert fake.requests_to("POST", "/repos/acme/infra/statuses/")
"""

from __future__ import annotations

import copy
import datetime
import json
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "github"
REPO = "acme/infra"


def payload(name: str) -> Any:
    """A recorded payload's response body, from tests/data/github/."""
    document = json.loads((DATA / name).read_text())
    if isinstance(document, dict) and "response" in document:
        return document["response"]
    return document


def user(login: str, *, bot: bool | None = None) -> dict[str, Any]:
    """A user object; a login ending in [bot] is a bot unless told otherwise."""
    is_bot = login.endswith("[bot]") if bot is None else bot
    shape: dict[str, Any] = copy.deepcopy(payload("pull-request-review-4.example.json")["user"])
    shape.update(
        login=login,
        id=abs(hash(login)) % 10**8,
        url=f"https://api.github.com/users/{login}",
        html_url=f"https://github.com/{login}",
        type="Bot" if is_bot else "User",
    )
    return shape


@dataclass(frozen=True, kw_only=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]


@dataclass(kw_only=True)
class Failure:
    """An injected answer: `times` requests matching method and path get it instead."""

    method: str
    pattern: str  # regular expression searched in the path
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    times: int | None = 1  # None: for ever

    def matches(self, method: str, path: str) -> bool:
        return method == self.method and re.search(self.pattern, path) is not None


Handler = Callable[["FakeGitHub", Request, "re.Match[str]"], tuple[int, Any]]
Hook = Callable[["FakeGitHub", Request], None]


class FakeGitHub:
    """GitHub's REST API for one or more repositories, on http://127.0.0.1:<port><prefix>."""

    def __init__(self, *, prefix: str = "", max_per_page: int = 100) -> None:
        self.prefix = prefix  # "/api/v3" plays GitHub Enterprise Server
        self.max_per_page = max_per_page  # lower it to force pagination on short lists
        self.requests: list[Request] = []
        self.failures: list[Failure] = []
        self.hooks: list[tuple[str, str, Hook]] = []
        self.pulls: dict[tuple[str, int], dict[str, Any]] = {}
        self.reviews: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.comments: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.events: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.statuses: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.teams: dict[tuple[str, str], dict[str, str]] = {}  # (org, slug) -> login -> state
        self.token_user = user("github-actions[bot]")  # who writes with the token
        self.token_users: dict[str, dict[str, Any]] = {}  # who writes with other tokens
        self.commits: dict[tuple[str, int], list[dict[str, Any]]] = {}  # a pull's commits
        self.time = datetime.datetime(2026, 1, 5, 9, 0, 0, tzinfo=datetime.UTC)
        self._next_id = 1000
        self._lock = threading.RLock()
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []
        for method, pattern, handler in _ROUTES:
            self.route(method, pattern, handler)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    # -- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> FakeGitHub:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{self.prefix}"

    # -- what the test sets ---------------------------------------------------------------

    def stamp(self) -> str:
        """The fake clock: each call is one second later, so the order of things is clear."""
        with self._lock:
            self.time += datetime.timedelta(seconds=1)
            return self.time.strftime("%Y-%m-%dT%H:%M:%SZ")

    def new_id(self) -> int:
        with self._lock:
            self._next_id += 1
            return self._next_id

    def add_pull(
        self,
        number: int,
        *,
        head: str,
        base: str,
        author: str = "alice",
        repo: str = REPO,
        state: str = "open",
        head_repo: str | None = None,
        head_ref: str = "change",
        base_ref: str = "main",
    ) -> dict[str, Any]:
        pull: dict[str, Any] = copy.deepcopy(payload("pull_request.json"))
        html = f"https://github.com/{repo}/pull/{number}"
        pull.update(
            url=f"{self.url}/repos/{repo}/pulls/{number}",
            id=self.new_id(),
            html_url=html,
            issue_url=f"{self.url}/repos/{repo}/issues/{number}",
            number=number,
            state=state,
            title=f"change #{number}",
            user=user(author),
            created_at=self.stamp(),
            closed_at=None,
            merged_at=None,
            merge_commit_sha=None,
        )
        pull["updated_at"] = pull["created_at"]
        owner = repo.split("/")[0]
        source = head_repo or repo
        pull["head"].update(
            label=f"{source.split('/')[0]}:{head_ref}", ref=head_ref, sha=head, user=user(author)
        )
        pull["head"]["repo"].update(
            full_name=source,
            name=source.split("/")[1],
            fork=source != repo,
            html_url=f"https://github.com/{source}",
        )
        pull["base"].update(label=f"{owner}:{base_ref}", ref=base_ref, sha=base)
        pull["base"]["repo"].update(
            full_name=repo,
            name=repo.split("/")[1],
            fork=False,
            html_url=f"https://github.com/{repo}",
        )
        with self._lock:
            self.pulls[(repo, number)] = pull
            self.reviews.setdefault((repo, number), [])
            self.comments.setdefault((repo, number), [])
            self.events.setdefault((repo, number), [])
            self.commits[(repo, number)] = []
        self.add_commit(number, head, author=author, committer=author, repo=repo)
        return pull

    def add_commit(
        self,
        number: int,
        sha: str,
        *,
        author: str | None = "alice",
        committer: str | None = "alice",
        repo: str = REPO,
    ) -> dict[str, Any]:
        """A commit of the pull request, as GET .../pulls/{n}/commits lists it.

        author and committer are the GitHub users GitHub links the commit's identities to;
        None: an identity GitHub links to no user (`null`, as GitHub answers then).
        """
        commit: dict[str, Any] = copy.deepcopy(payload("pulls_list_commits.json")[0])
        commit.update(
            sha=sha,
            node_id=f"C_{sha[:12]}",
            url=f"{self.url}/repos/{repo}/commits/{sha}",
            html_url=f"https://github.com/{repo}/commit/{sha}",
            author=user(author) if author is not None else None,
            committer=user(committer) if committer is not None else None,
        )
        with self._lock:
            self.commits.setdefault((repo, number), []).append(commit)
        return commit

    def push(
        self,
        number: int,
        head: str,
        *,
        force: bool = False,
        repo: str = REPO,
        author: str | None = None,
        committer: str | None = None,
    ) -> None:
        """Move a pull request's head, as a push to its branch does (by its author, unless told)."""
        owner = self.pulls[(repo, number)]["user"]["login"]
        self.add_commit(
            number, head, author=author or owner, committer=committer or owner, repo=repo
        )
        with self._lock:
            self.pulls[(repo, number)]["head"]["sha"] = head
            self.pulls[(repo, number)]["updated_at"] = self.stamp()
            if force:
                self.add_event(number, "head_ref_force_pushed", repo=repo)

    def add_event(
        self, number: int, event: str, *, actor: str = "alice", repo: str = REPO
    ) -> dict[str, Any]:
        entry: dict[str, Any] = copy.deepcopy(payload("issue_event_head_ref_force_pushed.json"))
        entry.update(
            id=self.new_id(),
            event=event,
            actor=user(actor),
            created_at=self.stamp(),
            url=f"{self.url}/repos/{repo}/issues/events/{entry['id']}",
        )
        with self._lock:
            self.events.setdefault((repo, number), []).append(entry)
        return entry

    def add_review(
        self,
        number: int,
        login: str,
        state: str,
        *,
        commit: str,
        repo: str = REPO,
        body: str = "",
        bot: bool | None = None,
    ) -> dict[str, Any]:
        review: dict[str, Any] = copy.deepcopy(payload("pulls_reviews_list.0.json")[0])
        rid = self.new_id()
        html = f"https://github.com/{repo}/pull/{number}#pullrequestreview-{rid}"
        review.update(
            id=rid,
            user=user(login, bot=bot),
            body=body,
            state=state,
            commit_id=commit,
            submitted_at=self.stamp(),
            html_url=html,
            pull_request_url=f"{self.url}/repos/{repo}/pulls/{number}",
        )
        review["_links"] = {
            "html": {"href": html},
            "pull_request": {"href": review["pull_request_url"]},
        }
        with self._lock:
            self.reviews.setdefault((repo, number), []).append(review)
        return review

    def dismiss(self, review: dict[str, Any]) -> None:
        """Dismissing an approval turns that review's state to DISMISSED, as GitHub does."""
        with self._lock:
            review["state"] = "DISMISSED"

    def add_comment(
        self,
        number: int,
        login: str,
        body: str,
        *,
        repo: str = REPO,
        bot: bool | None = None,
        edited: bool = False,
    ) -> dict[str, Any]:
        comment: dict[str, Any] = copy.deepcopy(payload("issue_comments_list.0.json")[0])
        cid = self.new_id()
        created = self.stamp()
        comment.update(
            id=cid,
            node_id=f"IC_{cid}",
            user=user(login, bot=bot),
            body=body,
            created_at=created,
            updated_at=self.stamp() if edited else created,
            url=f"{self.url}/repos/{repo}/issues/comments/{cid}",
            html_url=f"https://github.com/{repo}/pull/{number}#issuecomment-{cid}",
            issue_url=f"{self.url}/repos/{repo}/issues/{number}",
            author_association="MEMBER",
        )
        with self._lock:
            self.comments.setdefault((repo, number), []).append(comment)
        return comment

    def add_status(
        self,
        sha: str,
        state: str,
        *,
        context: str,
        target_url: str | None = None,
        description: str | None = None,
        creator: str = "github-actions[bot]",
        repo: str = REPO,
    ) -> dict[str, Any]:
        status: dict[str, Any] = copy.deepcopy(
            payload("repos_list-commit-statuses-for-ref.200.example.json")[0]
        )
        stamp = self.stamp()
        status.update(
            id=self.new_id(),
            state=state,
            context=context,
            target_url=target_url,
            description=description,
            created_at=stamp,
            updated_at=stamp,
            creator=user(creator),
            url=f"{self.url}/repos/{repo}/statuses/{sha}",
        )
        with self._lock:
            self.statuses.setdefault((repo, sha), []).append(status)
        return status

    def add_team(self, team: str, members: dict[str, str]) -> None:
        """A team "org/slug" the token can read, with each member's state (active, pending)."""
        org, slug = team.split("/")
        self.teams[(org, slug)] = {login.lower(): state for login, state in members.items()}

    def fail(
        self,
        method: str,
        pattern: str,
        *,
        status: int,
        headers: dict[str, str] | None = None,
        body: Any = None,
        times: int | None = 1,
    ) -> Failure:
        """Answer the next `times` matching requests with `status` (None: every one)."""
        failure = Failure(
            method=method,
            pattern=pattern,
            status=status,
            headers=headers or {},
            body=body if body is not None else {"message": f"injected {status}"},
            times=times,
        )
        with self._lock:
            self.failures.append(failure)
        return failure

    def on(self, method: str, pattern: str, hook: Hook) -> None:
        """Run hook(fake, request) before answering each matching request."""
        self.hooks.append((method, pattern, hook))

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        """Add or override a route: pattern is a regular expression for the whole path."""
        self.routes.insert(0, (method, re.compile(pattern), handler))

    def writer(self, request: Request) -> dict[str, Any]:
        """The user a request's token writes as."""
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        return self.token_users.get(token, self.token_user)

    # -- what the test reads back ---------------------------------------------------------

    def requests_to(self, method: str, pattern: str = "") -> list[Request]:
        return [r for r in self.requests if r.method == method and re.search(pattern, r.path)]

    def posted_statuses(self, sha: str | None = None, repo: str = REPO) -> list[dict[str, Any]]:
        """Statuses posted through the API, oldest first (for a sha, or all)."""
        return [
            {**r.body, "sha": r.path.rsplit("/", 1)[1]}
            for r in self.requests_to("POST", rf"^/repos/{repo}/statuses/")
            if sha is None or r.path.endswith("/" + sha)
        ]

    # -- answering ------------------------------------------------------------------------

    def answer(self, request: Request) -> tuple[int, dict[str, str], Any]:
        with self._lock:
            self.requests.append(request)
            hooks = [
                hook
                for m, p, hook in self.hooks
                if m == request.method and re.search(p, request.path)
            ]
        for hook in hooks:
            hook(self, request)
        with self._lock:
            for failure in self.failures:
                if failure.matches(request.method, request.path) and failure.times != 0:
                    if failure.times is not None:
                        failure.times -= 1
                    return failure.status, failure.headers, failure.body
        for method, pattern, handler in self.routes:
            if method != request.method:
                continue
            match = pattern.fullmatch(request.path)
            if match is not None:
                with self._lock:
                    status, body = handler(self, request, match)
                if isinstance(body, Page):
                    return self._page(request, body.items)
                return status, {}, body
        return (
            404,
            {},
            {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"},
        )

    def _page(self, request: Request, items: list[Any]) -> tuple[int, dict[str, str], Any]:
        """One page of a list, with a Link header the way GitHub writes it."""
        per_page = min(int(request.query.get("per_page", "30")), 100, self.max_per_page)
        page = int(request.query.get("page", "1"))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        links = []

        def link(number: int, rel: str) -> str:
            query = {**request.query, "page": str(number)}
            return f'<{self.url}{request.path}?{urlencode(query)}>; rel="{rel}"'

        if page > 1:
            links += [link(page - 1, "prev"), link(1, "first")]
        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        return 200, {"Link": ", ".join(links)} if links else {}, chunk


@dataclass(frozen=True)
class Page:
    """A handler's answer that is a list GitHub paginates."""

    items: list[Any]


def _pull(fake: FakeGitHub, request: Request, match: re.Match[str]) -> tuple[int, Any]:
    pull = fake.pulls.get((match["repo"], int(match["number"])))
    return (200, pull) if pull is not None else (404, {"message": "Not Found"})


def _pulls(fake: FakeGitHub, request: Request, match: re.Match[str]) -> tuple[int, Any]:
    state = request.query.get("state", "open")
    found = [
        pull
        for (repo, _), pull in sorted(fake.pulls.items(), key=lambda kv: -kv[0][1])
        if repo == match["repo"] and (state == "all" or pull["state"] == state)
    ]
    return 200, Page(found)


def _listing(store: str) -> Handler:
    def handler(fake: FakeGitHub, request: Request, match: re.Match[str]) -> tuple[int, Any]:
        key = (match["repo"], int(match["number"]))
        if key not in fake.pulls and key not in getattr(fake, store):
            return 404, {"message": "Not Found"}
        return 200, Page(list(getattr(fake, store).get(key, [])))

    return handler


def _create_comment(fake: FakeGitHub, request: Request, match: re.Match[str]) -> tuple[int, Any]:
    key = (match["repo"], int(match["number"]))
    if key not in fake.pulls:
        return 404, {"message": "Not Found"}
    comment = fake.add_comment(
        key[1], fake.writer(request)["login"], request.body["body"], repo=key[0]
    )
    return 201, comment


def _edit_comment(fake: FakeGitHub, request: Request, match: re.Match[str]) -> tuple[int, Any]:
    cid = int(match["id"])
    for (repo, _), comments in fake.comments.items():
        for comment in comments:
            if repo == match["repo"] and comment["id"] == cid:
                if comment["user"]["login"] != fake.writer(request)["login"]:
                    return 403, {"message": "You must be the author to edit this comment"}
                comment["body"] = request.body["body"]
                comment["updated_at"] = fake.stamp()
                return 200, comment
    return 404, {"message": "Not Found"}


def create_status(fake: FakeGitHub, request: Request, match: re.Match[str]) -> tuple[int, Any]:
    """POST .../statuses/{sha} as GitHub answers it; a test's own route may fall back to it."""
    body = request.body or {}
    if body.get("state") not in ("error", "failure", "pending", "success"):
        return 422, {"message": "Validation Failed"}
    if len(body.get("description") or "") > 140:
        return 422, {
            "message": "Validation Failed: description is too long (maximum is 140 characters)"
        }
    status = fake.add_status(
        match["sha"],
        body["state"],
        context=body.get("context", "default"),
        target_url=body.get("target_url"),
        description=body.get("description"),
        creator=fake.writer(request)["login"],
        repo=match["repo"],
    )
    return 201, status


def _commit_pulls(fake: FakeGitHub, request: Request, match: re.Match[str]) -> tuple[int, Any]:
    """GET .../commits/{sha}/pulls: the pull requests whose head is the commit (open first).

    As on GitHub, a pull request from a fork is not listed: its head commit is only in the
    fork, so the repository associates no pull request with it.
    """
    found = [
        pull
        for (repo, _), pull in sorted(fake.pulls.items(), key=lambda kv: kv[0][1])
        if repo == match["repo"]
        and pull["head"]["sha"] == match["sha"]
        and pull["head"]["repo"]["full_name"] == repo
    ]
    found.sort(key=lambda pull: pull["state"] != "open")
    return 200, Page(found)


def _statuses(fake: FakeGitHub, request: Request, match: re.Match[str]) -> tuple[int, Any]:
    # GitHub lists a ref's statuses newest first.
    return 200, Page(list(reversed(fake.statuses.get((match["repo"], match["sha"]), []))))


def _team(fake: FakeGitHub, request: Request, match: re.Match[str]) -> tuple[int, Any]:
    if (match["org"], match["slug"]) not in fake.teams:
        return 404, {"message": "Not Found"}
    return 200, {"name": match["slug"], "slug": match["slug"], "privacy": "closed"}


def _membership(fake: FakeGitHub, request: Request, match: re.Match[str]) -> tuple[int, Any]:
    members = fake.teams.get((match["org"], match["slug"]))
    state = members.get(match["login"].lower()) if members is not None else None
    if state is None:
        return 404, {"message": "Not Found"}
    which = "an-active" if state == "active" else "a-pending"
    name = f"teams_get-membership-for-user-in-org.200.response-if-user-has-{which}-membership"
    body = copy.deepcopy(
        payload(name.replace("-", " ").replace(" ", "-") + "-with-team.example.json")
    )
    body["url"] = f"{fake.url}/teams/1/memberships/{match['login']}"
    return 200, body


_REPO = r"/repos/(?P<repo>[^/]+/[^/]+)"
_ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", _REPO + r"/pulls", _pulls),
    ("GET", _REPO + r"/pulls/(?P<number>\d+)", _pull),
    ("GET", _REPO + r"/pulls/(?P<number>\d+)/reviews", _listing("reviews")),
    ("GET", _REPO + r"/pulls/(?P<number>\d+)/commits", _listing("commits")),
    ("GET", _REPO + r"/commits/(?P<sha>[0-9a-f]{40})/pulls", _commit_pulls),
    ("GET", _REPO + r"/issues/(?P<number>\d+)/comments", _listing("comments")),
    ("GET", _REPO + r"/issues/(?P<number>\d+)/events", _listing("events")),
    ("POST", _REPO + r"/issues/(?P<number>\d+)/comments", _create_comment),
    ("PATCH", _REPO + r"/issues/comments/(?P<id>\d+)", _edit_comment),
    ("POST", _REPO + r"/statuses/(?P<sha>[0-9a-f]{40})", create_status),
    ("GET", _REPO + r"/commits/(?P<sha>[0-9a-f]{40})/statuses", _statuses),
    ("GET", r"/orgs/(?P<org>[^/]+)/teams/(?P<slug>[^/]+)", _team),
    (
        "GET",
        r"/orgs/(?P<org>[^/]+)/teams/(?P<slug>[^/]+)/memberships/(?P<login>[^/]+)",
        _membership,
    ),
]


def _handler_class(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes; without this, Nagle's algorithm and the
            # client's delayed ACK hold every answer back by tens of milliseconds.
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            path = parts.path
            if fake.prefix and path.startswith(fake.prefix):
                path = path[len(fake.prefix) :]
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            request = Request(
                method=self.command,
                path=path,
                query=dict(parse_qsl(parts.query)),
                body=json.loads(raw) if raw else None,
                headers={k.lower(): v for k, v in self.headers.items()},
            )
            status, headers, body = fake.answer(request)
            data = (
                body
                if isinstance(body, bytes)  # raw bytes: for answers that are not JSON
                else json.dumps(body).encode()
                if body is not None
                else b""
            )
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout test)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:  # quiet in test output
            pass

    return Handler


# -- webhook event payloads, as GITHUB_EVENT_PATH holds them -------------------------------------


def repository(repo: str = REPO) -> dict[str, Any]:
    owner, name = repo.split("/")
    return {
        "id": abs(hash(repo)) % 10**8,
        "name": name,
        "full_name": repo,
        "private": False,
        "owner": user(owner),
        "html_url": f"https://github.com/{repo}",
        "default_branch": "main",
    }


def pull_request_event(pull: dict[str, Any], *, action: str = "opened") -> dict[str, Any]:
    """A pull_request or pull_request_target event: the pull request as it was when it fired."""
    return {
        "action": action,
        "number": pull["number"],
        "pull_request": copy.deepcopy(pull),
        "repository": repository(pull["base"]["repo"]["full_name"]),
        "sender": pull["user"],
    }


def review_event(pull: dict[str, Any], review: dict[str, Any]) -> dict[str, Any]:
    return {
        "action": "submitted",
        "review": copy.deepcopy(review),
        "pull_request": copy.deepcopy(pull),
        "repository": repository(pull["base"]["repo"]["full_name"]),
        "sender": review["user"],
    }


def comment_event(
    number: int, comment: dict[str, Any], *, on_pull: bool = True, repo: str = REPO
) -> dict[str, Any]:
    """An issue_comment event; GitHub marks an issue that is a pull request with pull_request."""
    issue: dict[str, Any] = {
        "number": number,
        "title": f"#{number}",
        "state": "open",
        "user": user("alice"),
        "html_url": f"https://github.com/{repo}/{'pull' if on_pull else 'issues'}/{number}",
    }
    if on_pull:
        issue["pull_request"] = {
            "url": f"https://api.github.com/repos/{repo}/pulls/{number}",
            "html_url": f"https://github.com/{repo}/pull/{number}",
        }
    return {
        "action": "created",
        "issue": issue,
        "comment": copy.deepcopy(comment),
        "repository": repository(repo),
        "sender": comment["user"],
    }


def merge_group_event(
    number: int,
    *,
    head: str,
    base: str,
    base_ref: str = "main",
    action: str = "checks_requested",
    head_ref: str | None = None,
    repo: str = REPO,
) -> dict[str, Any]:
    """A merge_group event: the group GitHub built for pull request `number` on `base`.

    The group's ref is the one GitHub names, gh-readonly-queue/<base>/pr-<number>-<base commit>,
    unless head_ref gives another.
    """
    ref = head_ref or f"refs/heads/gh-readonly-queue/{base_ref}/pr-{number}-{base}"
    return {
        "action": action,
        "merge_group": {
            "head_sha": head,
            "head_ref": ref,
            "base_sha": base,
            "base_ref": f"refs/heads/{base_ref}",
            "head_commit": {
                "id": head,
                "tree_id": "0" * 40,
                "message": f"Merge pull request #{number}",
                "timestamp": "2026-01-05T09:00:00Z",
                "author": {"name": "GitHub", "email": "noreply@github.com"},
                "committer": {"name": "GitHub", "email": "noreply@github.com"},
            },
        },
        "repository": repository(repo),
        "sender": user("github-merge-queue[bot]"),
    }
