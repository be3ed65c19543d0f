"""Blobs by object id: one `git cat-file --batch` for any number of them."""

from __future__ import annotations

import re
from typing import NamedTuple

from gate.errors import GateError
from gate.files import MAX_BYTES
from gate.git.run import Piped

_BLOB_HEADER = re.compile(r"(?P<sha>[0-9a-f]+) blob (?P<size>[0-9]+)\n")
_HEADER_BYTES = 256  # "<id> blob <size>\n", or "<id> missing\n": far shorter


class TooLarge(NamedTuple):
    """A blob above the limit, left unread: its size, as git gave it before the content."""

    size: int


def cat_blobs(repo: str, shas: list[str], *, limit: int = MAX_BYTES) -> dict[str, bytes | TooLarge]:
    """The content of each blob, by its id, or TooLarge above limit bytes (never read whole).

    cat-file gives each blob's size before its content: a blob above the limit ends that git
    process unread, and another one reads the blobs after it. A blob asked for twice is read
    once.
    """
    contents: dict[str, bytes | TooLarge] = {}
    pending = list(dict.fromkeys(shas))
    while pending:
        stdin = "".join(f"{sha}\n" for sha in pending).encode()
        with Piped(repo, ("cat-file", "--batch"), stdin=stdin) as git:
            for index, sha in enumerate(pending):
                line = git.readline(_HEADER_BYTES)
                header = line.decode("ascii", "replace")
                match = _BLOB_HEADER.fullmatch(header)
                if match is None or match["sha"] != sha:
                    if not line:
                        git.finish()  # the output ended: a git that failed says why
                    raise GateError(
                        f"git cat-file answered {header.strip()!r} for blob {sha}; cannot read it"
                    )
                size = int(match["size"])
                if size > limit:
                    contents[sha] = TooLarge(size)
                    pending = pending[index + 1 :]
                    break
                content = git.read(size + 1)
                if len(content) != size + 1 or content[-1:] != b"\n":
                    raise GateError(f"git cat-file gave blob {sha} cut short; cannot read it")
                contents[sha] = content[:-1]
            else:
                git.finish()
                pending = []
    return contents
