"""The requests session GitHub is asked through: retries by urllib3, the API's headers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gate import __version__

if TYPE_CHECKING:
    import requests
    from urllib3.response import BaseHTTPResponse
    from urllib3.util.retry import Retry

API_VERSION = "2022-11-28"
# Retried with backoff by urllib3: the answers of a server that may work a moment later.
RETRY_STATUSES = (500, 502, 503, 504)
# Safe to repeat: reads, PATCH (it sets the same body again) and POSTs the caller marks as
# idempotent (a commit status: posting it twice leaves the same latest state). Creating a
# comment is not: a POST that timed out after GitHub stored it would post it twice.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PATCH", "POST"})


def new_session(
    token: str | None, *, idempotent: bool, retries: int, backoff: float, max_wait: float
) -> requests.Session:
    """A session whose adapters retry what is safe to repeat (idempotent: any method)."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    # Connection failures happen before GitHub saw the request, so they are retried
    # for every method; server errors only where repeating the request is harmless.
    retry = capped_retry(Retry, max_wait)(
        total=None,
        connect=retries,
        read=retries if idempotent else 0,
        status=retries if idempotent else 0,
        other=0,
        redirect=0,
        status_forcelist=RETRY_STATUSES if idempotent else (),
        allowed_methods=IDEMPOTENT_METHODS if idempotent else frozenset({"GET", "HEAD"}),
        backoff_factor=backoff,
        backoff_max=max(backoff, 0.0) * 8,
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
    )
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.headers.update(
        {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": f"change-impact-gate/{__version__}",
        }
    )
    if token:
        session.headers["Authorization"] = f"Bearer {token}"
    return session


def capped_retry(retry: type[Retry], max_wait: float) -> type[Retry]:
    """urllib3's Retry, waiting out a 503's Retry-After for at most max_wait seconds.

    urllib3 sleeps whatever Retry-After asks (`Retry-After: 3600` is an hour) unless the
    installed version caps it (`retry_after_max`, recent 2.x only); this caps it in every one.
    Retry.new() copies through type(self), so each attempt keeps the cap.
    """

    class CappedRetry(retry):  # type: ignore[misc, valid-type]
        def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
            seconds = super().get_retry_after(response)
            return None if seconds is None else min(seconds, max(max_wait, 0.0))

    return CappedRetry
