"""GitHub's rate limits: how long an answer asks the client to wait before asking again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from gate.github.refusals import message_of

if TYPE_CHECKING:
    import requests

# What GitHub asks of a client after a secondary rate limit without a retry-after header.
SECONDARY_LIMIT_WAIT = 60.0


def rate_limit_pause(response: requests.Response, clock: Callable[[], float]) -> float | None:
    """How long to wait before repeating a rate-limited request; None if it was not limited.

    https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
    """
    if response.status_code not in (403, 429):
        return None
    headers = response.headers
    retry_after = headers.get("retry-after")
    if retry_after is not None:
        try:
            return max(float(retry_after), 0.0)
        except ValueError:
            return SECONDARY_LIMIT_WAIT
    if headers.get("x-ratelimit-remaining") == "0":
        try:
            reset = float(headers.get("x-ratelimit-reset", ""))
        except ValueError:
            return SECONDARY_LIMIT_WAIT
        return max(reset - clock(), 1.0)
    if response.status_code == 429 or "secondary rate limit" in message_of(response).lower():
        return SECONDARY_LIMIT_WAIT
    return None
