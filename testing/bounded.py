"""A guard for tests of inputs that once made the gate work without end: they must finish."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import pytest

T = TypeVar("T")

# The inputs under guard took hours, or for ever, before the fix, and take milliseconds after:
# a bound this far from both says "it ends", never how fast (the benchmark measures speed).
HANG_SECONDS = 120.0


def finishes(work: Callable[[], T]) -> T:
    """work()'s result; the test fails, rather than hangs, when work does not end."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:  # noqa: BLE001 -- handed back to the test's thread
            failure.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG_SECONDS)
    if thread.is_alive():
        pytest.fail(f"did not finish within {HANG_SECONDS:.0f} s: the work has no end")
    if failure:
        raise failure[0]
    return outcome[0]
