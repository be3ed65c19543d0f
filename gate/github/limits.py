"""GitHub's rate limits: how long an answer asks the client to wait before asking again."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from gate.github.refusals import message_of

if TYPE_CHECKING:
    import requests

# What GitHub asks of a client after a secondary rate limit without a retry-after header.
SECONDARY_LIMIT_WAIT = 60.0
# The shortest wait: `retry-after: 0`, or a reset already past, must not ask again at once.
MIN_WAIT = 1.0


def rate_limit_pause(response: requests.Response, clock: Callable[[], float]) -> float | None:
    """How long to wait before repeating a rate-limited request; None if it was not limited.

    Never less than MIN_WAIT.
    https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
    """
    pause = _asked_pause(response, clock)
    return None if pause is None else max(pause, MIN_WAIT)


def _asked_pause(response: requests.Response, clock: Callable[[], float]) -> float | None:
    if response.status_code not in (403, 429):
        return None
    headers = response.headers
    retry_after = headers.get("retry-after")
    if retry_after is not None:
        try:
            seconds = float(retry_after)
        except ValueError:
            return SECONDARY_LIMIT_WAIT
        # nan or inf asks for no wait that can be bounded: wait as after a secondary limit.
        return seconds if math.isfinite(seconds) else SECONDARY_LIMIT_WAIT
    if headers.get("x-ratelimit-remaining") == "0":
        try:
            reset = float(headers.get("x-ratelimit-reset", ""))
        except ValueError:
            return SECONDARY_LIMIT_WAIT
        return reset - clock() if math.isfinite(reset) else SECONDARY_LIMIT_WAIT
    if response.status_code == 429 or "secondary rate limit" in message_of(response).lower():
        return SECONDARY_LIMIT_WAIT
    return None
