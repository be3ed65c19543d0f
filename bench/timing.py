"""Benchmark timing: several rounds of each measurement, reported as median and spread."""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Sample:
    """Seconds per round; the median is what ratios use, min and max show the spread."""

    seconds: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def low(self) -> float:
        return min(self.seconds)

    @property
    def high(self) -> float:
        return max(self.seconds)

    def scaled(self, factor: float) -> Sample:
        return Sample(seconds=tuple(seconds * factor for seconds in self.seconds))

    def text(self) -> str:
        return f"{_ms(self.median)} [{_ms(self.low)}-{_ms(self.high)}]"


def _ms(seconds: float) -> str:
    if seconds >= 10:
        return f"{seconds:.1f}s"
    if seconds >= 1:
        return f"{seconds:.2f}s"
    return f"{seconds * 1000:.1f}ms" if seconds < 0.1 else f"{seconds * 1000:.0f}ms"


def interleaved(measures: Sequence[Callable[[], float]], rounds: int) -> list[Sample]:
    """Each measure run once per round, in turn, so that drift in the machine hits them alike.

    One unrecorded round first warms the file cache and the interpreter.
    """
    for measure in measures:
        measure()
    times: list[list[float]] = [[] for _ in measures]
    for _ in range(rounds):
        for index, measure in enumerate(measures):
            times[index].append(measure())
    return [Sample(seconds=tuple(seconds)) for seconds in times]


def timed(call: Callable[[], object]) -> Callable[[], float]:
    """A measure of an in-process call, with the collector off while it runs (as timeit does):
    otherwise a collection of the benchmark's own large heap lands in whichever call is next.
    """

    def measure() -> float:
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            call()
            return time.perf_counter() - start
        finally:
            gc.enable()

    return measure


@dataclass(frozen=True, kw_only=True)
class Finished:
    seconds: float
    returncode: int
    max_rss_kib: int  # of the process and the children it waited for (wait4's ru_maxrss)


def run(
    argv: Sequence[str], *, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)
) -> Finished:
    """Run a command with its output discarded; its wall time, exit code and peak memory."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in ok:
        raise RuntimeError(
            f"{' '.join(argv)} exited {process.returncode}:\n{stderr.decode(errors='replace')}"
        )
    return Finished(seconds=seconds, returncode=process.returncode, max_rss_kib=usage.ru_maxrss)
