"""Writing results: to stdout, through to a FIFO or device, or to a file replaced atomically."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from typing import TextIO

from gate.errors import GateError


def write_text(text: str, path: str | None) -> None:
    """Deliver `text` in full to stdout (path None or "-") or to `path`; GateError if it was not.

    A regular file is replaced whole, so that a reader never sees half a report; a FIFO or a
    character device named directly is written through. A symbolic link is followed only to a
    FIFO, to the process's own stdout or stderr (/dev/stdout, /dev/fd/2) or to the null device:
    in a work tree it may be the change's own, placed at the report's path to have the gate
    overwrite another file or write to a device such as /dev/mem.
    """
    if path is None or path == "-":
        _to_stdout(text)
        return
    status = _status(path)
    if status is not None and stat.S_ISLNK(status.st_mode):
        target = _status(path, follow=True)
        if target is not None and _is_stdout(target):
            _to_stdout(text)  # /dev/stdout with stdout a file: written as stdout writes it
            return
        if target is None or not _followed(target):
            raise GateError(
                f"cannot write {path}: it is a symbolic link (to {os.readlink(path)}), and a"
                " report is written through a link only to a FIFO, stdout, stderr or the null"
                " device; name the file itself"
            )
        status = target
    if status is None or stat.S_ISREG(status.st_mode):
        _replace(text, path)
    elif _is_stream(status.st_mode):
        _write_through(text, path)
    else:
        kind = "a directory" if stat.S_ISDIR(status.st_mode) else "no file, FIFO or device"
        raise GateError(f"cannot write {path}: it is {kind}; name a file to write the report to")


def _to_stdout(text: str) -> None:
    stream = sys.stdout
    if stream is None:
        raise GateError(
            "cannot write the report: stdout is closed; run with stdout open or pass --output FILE"
        )
    try:
        stream.write(text)
        stream.flush()
    except OSError as error:
        discard_stdout(stream)
        raise GateError(f"the output could not be written in full: {error.strerror}") from None


def discard_stdout(stream: TextIO) -> None:
    """Point stdout at devnull: what it still buffers is dropped at exit instead of raising
    again, as Python's documentation advises for a broken pipe."""
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError):  # io.UnsupportedOperation is a ValueError: no descriptor
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


def _status(path: str, *, follow: bool = False) -> os.stat_result | None:
    """The status of `path` (of the link itself unless `follow`); None when there is nothing."""
    try:
        return os.stat(path) if follow else os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise GateError(f"cannot write {path}: {error.strerror}") from None


def _is_stdout(status: os.stat_result) -> bool:
    """Whether `status` is of the file stdout writes to."""
    try:
        return sys.stdout is not None and os.path.samestat(status, os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError):  # no descriptor behind sys.stdout
        return False


def _followed(target: os.stat_result) -> bool:
    """Whether a report is written through a link to `target`."""
    if stat.S_ISFIFO(target.st_mode):
        return True
    if not stat.S_ISCHR(target.st_mode):
        return False
    if os.path.samestat(target, os.stat(os.devnull)):
        return True
    try:
        return os.path.samestat(target, os.fstat(2))
    except OSError:
        return False


def _is_stream(mode: int) -> bool:
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _write_through(text: str, path: str) -> None:
    data = text.encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as error:
        raise GateError(f"cannot write {path}: {error.strerror}") from None
    try:
        if not _is_stream(os.fstat(fd).st_mode):
            raise GateError(f"cannot write {path}: it changed while it was opened; run again")
        written = 0
        while written < len(data):
            written += os.write(fd, data[written:])
    except OSError as error:
        raise GateError(f"cannot write {path}: {error.strerror}") from None
    finally:
        os.close(fd)


def _replace(text: str, path: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".gate-", suffix=".tmp")
    except OSError as error:
        raise GateError(f"cannot write {path}: {error.strerror}") from None
    try:
        # mkstemp creates the file private; a report is as readable as any file the user writes.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as error:
        os.unlink(temporary)
        raise GateError(f"cannot write {path}: {error.strerror}") from None
