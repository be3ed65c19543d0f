"""Reading a file the gate is given: whole, but never more than it will hold in memory."""

from __future__ import annotations

from gate.errors import GateError

MAX_BYTES = 10 * 1024 * 1024  # a map, sign-offs, evidence or version file; far above any real one


def read_limited(path: str, what: str) -> bytes:
    """The bytes of `path` (a `what`, for the message), refused above MAX_BYTES before all is read.

    Reading at most one byte more than the limit stops on /dev/zero and on a FIFO that never
    ends as it does on a large file.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise GateError(f"cannot read the {what} {path}: {error.strerror}") from None
    if len(data) > MAX_BYTES:
        raise GateError(
            f"the {what} {path} is larger than {MAX_BYTES // (1024 * 1024)} MiB, which no real"
            " one is: refused unread"
        )
    return data
