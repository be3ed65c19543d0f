"""Writing results: to stdout, or to a file replaced atomically so it is never half-written."""

from __future__ import annotations

import os
import sys
import tempfile

from gate.errors import GateError


def write_text(text: str, path: str | None) -> None:
    if path is None or path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
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
