"""The REST client against a fake GitHub on loopback: pages, retries, rate limits, refusals."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from gate.errors import GateError
from gate.github.client import GitHub
from gate.github.refusals import GitHubError, RateLimited
from testing.clock import Clock
from testing.fakegithub import REPO, FakeGitHub

SHA = "a" * 40


def request(
    github: GitHub, method: str, path: str, body: dict[str, Any], *, idempotent: bool
) -> Any:
    if method == "GET":
        return github.get(path)
    if method == "POST":
        return github.post(path, body, idempotent=idempotent)
    return github.patch(path, body)


@pytest.fixture
def fake():
    with FakeGitHub() as server:
        server.add_pull(7, head=SHA, base="b" * 40)
        yield server


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def github(fake, clock):
    client = GitHub(
        fake.url,
        "secret",
        backoff=0.001,
        retries=2,
        max_wait=60,
        sleep=clock.sleep,
        clock=clock.time,
    )
    yield client
    client.close()


def test_requests_carry_the_token_and_the_api_version(fake, github):
    assert github.get(f"/repos/{REPO}/pulls/7")["number"] == 7
    [request] = fake.requests
    assert request.headers["authorization"] == "Bearer secret"
    assert request.headers["accept"] == "application/vnd.github+json"
    assert request.headers["x-github-api-version"] == "2022-11-28"
    assert request.headers["user-agent"].startswith("change-impact-gate/")


@pytest.mark.parametrize(
    ("count", "page_size", "pages"), [(0, 2, 1), (5, 2, 3), (4, 2, 2), (250, 100, 3)]
)
def test_paginate_follows_link_headers_to_the_end(fake, github, count, page_size, pages):
    fake.max_per_page = page_size
    for index in range(count):
        fake.add_review(7, f"user{index}", "COMMENTED", commit=SHA)
    reviews = github.paginate(f"/repos/{REPO}/pulls/7/reviews")
    assert [r["user"]["login"] for r in reviews] == [f"user{i}" for i in range(count)]
    asked = fake.requests_to("GET", "/reviews$")
    assert len(asked) == pages
    assert asked[0].query == {"per_page": "100"}


def test_paginate_lists_open_pull_requests(fake, github):
    fake.max_per_page = 1
    fake.add_pull(8, head="c" * 40, base="b" * 40)
    fake.add_pull(9, head="d" * 40, base="b" * 40, state="closed")
    pulls = github.paginate(f"/repos/{REPO}/pulls", {"state": "open"})
    assert sorted(p["number"] for p in pulls) == [7, 8]
    assert all(r.query["state"] == "open" for r in fake.requests)


def test_a_next_link_to_another_host_is_refused(fake, github):
    def elsewhere(fake, request, match):
        return 200, [1]

    fake.route("GET", r"/elsewhere", elsewhere)
    original = fake._page

    def page(request, items):
        status, _, body = original(request, items)
        return status, {"Link": '<https://evil.example/steal?page=2>; rel="next"'}, body

    fake._page = page
    with pytest.raises(GitHubError, match="refusing to send the token"):
        github.paginate(f"/repos/{REPO}/pulls/7/reviews")


def test_a_list_endpoint_answering_an_object_is_an_error(github):
    with pytest.raises(GitHubError, match="not a list"):
        github.paginate(f"/repos/{REPO}/pulls/7")


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried_then_succeed(fake, github, status):
    fake.fail("GET", "/pulls/7$", status=status, times=2)
    assert github.get(f"/repos/{REPO}/pulls/7")["number"] == 7
    assert len(fake.requests) == 3


def test_server_errors_past_the_retries_are_an_error(fake, github):
    fake.fail("GET", "/pulls/7$", status=503, times=None)
    with pytest.raises(GitHubError, match=r"\(503.*after 2 retries") as caught:
        github.get(f"/repos/{REPO}/pulls/7")
    assert caught.value.status == 503
    assert len(fake.requests) == 3


@pytest.mark.parametrize(
    ("method", "path", "idempotent", "tries"),
    [
        ("POST", f"/repos/{REPO}/issues/7/comments", False, 1),  # could post the comment twice
        ("POST", f"/repos/{REPO}/statuses/{SHA}", True, 3),
        ("PATCH", f"/repos/{REPO}/issues/comments/1", True, 3),
    ],
)
def test_writes_are_retried_only_where_repeating_is_harmless(
    fake, github, method, path, idempotent, tries
):
    fake.fail(method, path, status=502, times=None)
    body = {"body": "x", "state": "success"}
    with pytest.raises(GitHubError):
        request(github, method, path, body, idempotent=idempotent)
    assert len(fake.requests_to(method)) == tries


def test_a_connection_failure_is_an_error_without_a_status(clock):
    client = GitHub("http://127.0.0.1:9", "t", retries=1, backoff=0.001, sleep=clock.sleep)
    with pytest.raises(GitHubError, match="cannot reach GitHub") as caught:
        client.get("/repos/a/b/pulls/1")
    assert caught.value.status is None


def test_a_slow_answer_times_out(fake, clock):
    fake.on("GET", "/pulls/7$", lambda fake, request: time.sleep(0.3))
    client = GitHub(fake.url, "t", timeout=0.05, retries=0, sleep=clock.sleep)
    with pytest.raises(GitHubError, match=r"no answer within 0\.05 s"):
        client.get(f"/repos/{REPO}/pulls/7")


@pytest.mark.parametrize(
    ("status", "headers", "message", "waited"),
    [
        (
            403,
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "RESET+30"},
            "API rate limit",
            30,
        ),
        (429, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "RESET-5"}, "", 1),
        (403, {"retry-after": "7"}, "", 7),
        (429, {"retry-after": "2"}, "", 2),
        (403, {}, "You have exceeded a secondary rate limit. Please wait.", 60),
        (429, {}, "", 60),
    ],
)
def test_rate_limits_are_waited_out(fake, github, clock, status, headers, message, waited):
    headers = {
        name: str(int(clock.now) + int(value[5:])) if value.startswith("RESET") else value
        for name, value in headers.items()
    }
    fake.fail("GET", "/pulls/7$", status=status, headers=headers, body={"message": message})
    assert github.get(f"/repos/{REPO}/pulls/7")["number"] == 7
    assert clock.slept == [pytest.approx(waited, abs=1)]


def test_a_rate_limit_past_the_bound_is_an_error(fake, clock):
    client = GitHub(fake.url, "t", max_wait=10, sleep=clock.sleep, clock=clock.time)
    fake.fail("GET", "/pulls/7$", status=429, headers={"retry-after": "4"}, times=None)
    with pytest.raises(RateLimited, match="past the bound of 10 s"):
        client.get(f"/repos/{REPO}/pulls/7")
    assert clock.slept == [4, 4]


@pytest.mark.parametrize(
    ("method", "path", "status", "words"),
    [
        (
            "POST",
            f"/repos/{REPO}/statuses/{SHA}",
            403,
            ["`statuses: write`", "pull_request_target"],
        ),
        ("POST", f"/repos/{REPO}/issues/7/comments", 403, ["`pull-requests: write`"]),
        ("PATCH", f"/repos/{REPO}/issues/comments/5", 404, ["`pull-requests: write`"]),
        ("GET", f"/repos/{REPO}/pulls/7/reviews", 403, ["`pull-requests: read`"]),
        ("GET", "/orgs/acme/teams/dba/memberships/bob", 403, ["Members: read", "GitHub App"]),
        ("GET", f"/repos/{REPO}/pulls/7", 401, ["token is missing, expired or invalid"]),
        ("GET", "/rate_limit", 404, ["GITHUB_REPOSITORY"]),
        ("GET", f"/repos/{REPO}/pulls/7", 422, ["unexpected"]),
    ],
)
def test_refusals_say_what_is_missing(fake, github, method, path, status, words):
    fake.fail(method, path + "$", status=status, body={"message": "Resource not accessible"})
    with pytest.raises(GitHubError) as caught:
        request(github, method, path, {}, idempotent=True)
    message = str(caught.value)
    assert f"({status}: Resource not accessible)" in message
    for word in words:
        assert word in message
    assert caught.value.status == status


def test_an_answer_that_is_not_json_is_an_error(fake, github):
    fake.route("GET", r"/html", lambda fake, request, match: (200, b"<html>login</html>"))
    fake.route("GET", r"/empty", lambda fake, request, match: (204, None))
    assert github.get("/empty") is None
    with pytest.raises(GitHubError, match="is not JSON"):
        github.get("/html")


def test_from_environment(fake):
    client = GitHub.from_environment({"GITHUB_TOKEN": "t", "GITHUB_API_URL": fake.url + "/"})
    assert client.api_url == fake.url
    assert GitHub.from_environment({"GITHUB_TOKEN": "t"}).api_url == "https://api.github.com"
    with pytest.raises(GateError, match="GITHUB_TOKEN is not set"):
        GitHub.from_environment({"GITHUB_API_URL": fake.url})
    with pytest.raises(GateError, match="OTHER_TOKEN is not set"):
        GitHub.from_environment({}, token_variable="OTHER_TOKEN")


def test_the_page_bound_is_an_option(fake):
    fake.max_per_page = 1
    for index in range(3):
        fake.add_review(7, f"user{index}", "COMMENTED", commit=SHA)
    assert len(GitHub(fake.url, "t", max_pages=3).paginate(f"/repos/{REPO}/pulls/7/reviews")) == 3
    with pytest.raises(GitHubError, match="past 2 pages"):
        GitHub(fake.url, "t", max_pages=2).paginate(f"/repos/{REPO}/pulls/7/reviews")


def test_the_number_of_rate_limit_waits_is_an_option(fake, clock):
    client = GitHub(
        fake.url, "t", max_wait=600, max_rate_waits=2, sleep=clock.sleep, clock=clock.time
    )
    fake.fail("GET", "/pulls/7$", status=429, headers={"retry-after": "nan"}, times=None)
    with pytest.raises(RateLimited, match="after 2 waits, the most the gate makes"):
        client.get(f"/repos/{REPO}/pulls/7")
    assert clock.slept == [60, 60]


@pytest.mark.parametrize(
    ("headers", "waited"),
    [
        ({"retry-after": "soon"}, 60),
        ({"retry-after": "inf"}, 60),
        ({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "tomorrow"}, 60),
        ({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "nan"}, 60),
    ],
)
def test_a_rate_limit_that_asks_for_no_number_waits_as_after_a_secondary_limit(
    fake, github, clock, headers, waited
):
    fake.fail("GET", "/pulls/7$", status=429, headers=headers)
    assert github.get(f"/repos/{REPO}/pulls/7")["number"] == 7
    assert clock.slept == [waited]


class Broken(BaseHTTPRequestHandler):
    """Answers with 3 bytes of a body of 10, then stops: closing, or waiting (`/slow`)."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "10")
        self.end_headers()
        self.wfile.write(b"[1,")
        self.wfile.flush()
        if self.path.startswith("/slow"):
            time.sleep(0.5)
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def broken():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Broken)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("path", "words"), [("/closed", "ProtocolError"), ("/slow", "no answer within")]
)
def test_a_body_cut_short_is_an_error(broken, path, words):
    client = GitHub(broken, "t", timeout=0.2, retries=0)
    with pytest.raises(GitHubError, match=rf"cannot reach GitHub for GET {path}.*({words})"):
        client.get(path)
