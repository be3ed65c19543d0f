"""A clock for tests of waiting: sleeping records the wait and moves the time, at no cost."""

from __future__ import annotations


class Clock:
    """A sleep that only records, and a clock it moves, so waits cost no time."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def time(self) -> float:
        return self.now
