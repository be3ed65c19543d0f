"""Bypass class: a GitHub API (or something posing as one) that keeps the gate waiting for ever.

A run that never ends decides nothing and leaves whatever status the head had: every list, wait
and answer is bounded, and past a bound the run is an error that says so.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from urllib3.util.retry import Retry

from gate.github.client import GitHub
from gate.github.refusals import GitHubError, RateLimited
from testing.clock import Clock
from testing.fakegithub import REPO, FakeGitHub

SHA = "a" * 40
REVIEWS = f"/repos/{REPO}/pulls/7/reviews"
MAX_PAGES = 100  # the product's bound on one list
MAX_RATE_WAITS = 5  # the client's default bound on rate-limit waits for one request


def within(seconds: float, call: Callable[[], Any]) -> Any:
    """call(), which must end within seconds: its result, or the error it raised."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(call())
        except Exception as error:  # noqa: BLE001 (handed to the test to look at)
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s"
    return outcome[0]


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        server.add_pull(7, head=SHA, base="b" * 40)
        yield server


def test_a_next_link_back_to_the_same_page_cannot_loop_for_ever(fake):
    fake.fail(
        "GET",
        "/reviews$",
        status=200,
        headers={"Link": f'<{fake.url}{REVIEWS}?per_page=100>; rel="next"'},
        body=[],
        times=None,
    )
    github = GitHub(fake.url, "t", retries=0)
    error = within(5, lambda: github.paginate(REVIEWS))
    assert isinstance(error, GitHubError)
    assert "links back to a page already read" in str(error)
    assert len(fake.requests) == 1


def test_a_list_of_more_than_a_hundred_pages_is_an_error(fake):
    fake.max_per_page = 1
    for index in range(MAX_PAGES + 1):
        fake.add_review(7, f"user{index}", "COMMENTED", commit=SHA)
    github = GitHub(fake.url, "t", retries=0)
    error = within(20, lambda: github.paginate(REVIEWS))
    assert isinstance(error, GitHubError)
    assert f"past {MAX_PAGES} pages" in str(error)
    assert len(fake.requests) == MAX_PAGES


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "0"},
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1000"},  # a reset long past
    ],
)
def test_a_rate_limit_asking_for_no_wait_is_no_busy_loop(fake, headers):
    clock = Clock()
    github = GitHub(fake.url, "t", retries=0, max_wait=600, sleep=clock.sleep, clock=clock.time)
    fake.fail("GET", "/pulls/7$", status=429, headers=headers, times=None)
    error = within(5, lambda: github.get(f"/repos/{REPO}/pulls/7"))
    assert isinstance(error, RateLimited)
    assert "rate-limited" in str(error)
    assert "re-run the job later" in str(error)
    assert clock.slept == [1.0] * MAX_RATE_WAITS


class Trickle(BaseHTTPRequestHandler):
    """Answers 200 with a JSON body sent one byte every 0.2 s."""

    protocol_version = "HTTP/1.1"
    body = b"[" + b" " * 28 + b"]"

    def do_GET(self) -> None:
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        try:
            for byte in self.body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: what the test wants

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def trickle() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_body_that_trickles_in_is_a_timeout_of_the_whole_answer(trickle):
    github = GitHub(trickle, "t", timeout=0.5, retries=0)
    error = within(3, lambda: github.get("/repos/o/r/pulls/1"))
    assert isinstance(error, GitHubError)
    # The whole answer's deadline ended it: each byte came well within a read's timeout.
    assert "did not arrive within 0.5 s" in str(error)


def test_a_retry_after_of_an_hour_is_not_slept_out_whatever_urllib3_is_installed(fake, monkeypatch):
    # What urllib3 before its own cap looks like: no DEFAULT_RETRY_AFTER_MAX, and nothing
    # that caps what Retry-After asks.
    monkeypatch.delattr(Retry, "DEFAULT_RETRY_AFTER_MAX", raising=False)
    monkeypatch.setattr(Retry, "__init__", _uncapped(Retry.__init__))
    fake.fail("GET", "/pulls/7$", status=503, headers={"Retry-After": "3600"}, times=1)
    github = GitHub(fake.url, "t", retries=1, backoff=0, max_wait=0.2)
    answer = within(5, lambda: github.get(f"/repos/{REPO}/pulls/7"))
    assert not isinstance(answer, Exception), answer
    assert answer["number"] == 7


def _uncapped(init: Callable[..., None]) -> Callable[..., None]:
    def without_cap(self: Retry, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("retry_after_max", None)
        init(self, *args, **kwargs)
        self.retry_after_max = 10**9

    return without_cap
