"""The one user-facing error type, and what each outcome exits with."""

from __future__ import annotations

EXIT_PASS = 0
EXIT_BLOCKED = 1
EXIT_ERROR = 2
EXIT_CRASH = 3


class GateError(Exception):
    """The gate cannot decide: bad input, bad map, git or API failure. Exits 2.

    The message says what went wrong and what to do next.
    """

    exit_code = EXIT_ERROR


class MapError(GateError):
    """One or more problems in a dependency map, each as FILE:LINE:COLUMN: message."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))
