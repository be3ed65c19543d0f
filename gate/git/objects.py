"""Blobs by object id: one `git cat-file --batch` for any number of them."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from typing import IO, NamedTuple

from gate.errors import GateError
from gate.files import MAX_BYTES
from gate.git.run import environment

_BLOB_HEADER = re.compile(r"(?P<sha>[0-9a-f]+) blob (?P<size>[0-9]+)")
_CHUNK = 1024 * 1024


class TooLarge(NamedTuple):
    """A blob above MAX_BYTES, refused unread: git's header tells its size first."""

    size: int


def cat_blobs(repo: str, shas: list[str]) -> dict[str, bytes | TooLarge]:
    """The content of each blob, by its id; a blob asked for twice is read once.

    git's answer is read as it comes, so a blob above MAX_BYTES is skipped, never held.
    """
    if not shas:
        return {}
    unique = list(dict.fromkeys(shas))
    command = ["git", "-C", repo, "cat-file", "--batch"]
    # Files, not pipes, for what git reads and writes besides its answer: no deadlock on either.
    with tempfile.TemporaryFile() as stdin, tempfile.TemporaryFile() as stderr:
        stdin.write("".join(f"{sha}\n" for sha in unique).encode())
        stdin.seek(0)
        try:
            process = subprocess.Popen(
                command,
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=stderr,
                env=environment(os.environ),
            )
        except OSError as error:
            raise GateError(
                f"cannot run git ({error.strerror}); install git and make sure it is on PATH"
            ) from None
        try:
            assert process.stdout is not None
            contents = {sha: _blob(process.stdout, sha) for sha in unique}
        except _Ended as ended:
            # git closed its answer early: it failed, and says why, or it answered nothing.
            if process.wait() != 0:
                stderr.seek(0)
                raise GateError(
                    f"git failed (exit {process.returncode}): {' '.join(command)}\n"
                    f"{stderr.read().decode('utf-8', 'replace').strip()}\n"
                    f"Check that {repo} is a git repository that holds the commits involved."
                ) from None
            raise GateError(
                f"git cat-file answered nothing for blob {ended}; cannot read it"
            ) from None
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
    return contents


class _Ended(Exception):
    """git's answer ended before the blob named by the message."""


def _blob(answer: IO[bytes], sha: str) -> bytes | TooLarge:
    line = answer.readline(1024)
    if not line:
        raise _Ended(sha)
    header = line.rstrip(b"\n").decode("ascii", "replace")
    match = _BLOB_HEADER.fullmatch(header)
    if not line.endswith(b"\n") or match is None or match["sha"] != sha:
        raise GateError(f"git cat-file answered {header!r} for blob {sha}; cannot read it")
    size = int(match["size"])
    if size > MAX_BYTES:
        left = size
        while left > 0 and (chunk := answer.read(min(left, _CHUNK))):
            left -= len(chunk)
        content: bytes | TooLarge = TooLarge(size)
    else:
        content = answer.read(size)
        left = size - len(content)
    if left or answer.read(1) != b"\n":
        raise GateError(f"git cat-file gave blob {sha} cut short; cannot read it")
    return content
