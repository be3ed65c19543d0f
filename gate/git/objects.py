"""Blobs by object id: one `git cat-file --batch` for any number of them."""

from __future__ import annotations

import re

from gate.errors import GateError
from gate.git.run import run

_BLOB_HEADER = re.compile(r"(?P<sha>[0-9a-f]+) blob (?P<size>[0-9]+)")


def cat_blobs(repo: str, shas: list[str]) -> dict[str, bytes]:
    """The content of each blob, by its id; a blob asked for twice is read once."""
    if not shas:
        return {}
    stdin = "".join(f"{sha}\n" for sha in dict.fromkeys(shas)).encode()
    output = run(repo, ("cat-file", "--batch"), stdin=stdin).stdout
    contents: dict[str, bytes] = {}
    position = 0
    for sha in dict.fromkeys(shas):
        newline = output.find(b"\n", position)
        header = output[position:newline].decode("ascii", "replace")
        match = _BLOB_HEADER.fullmatch(header)
        if newline == -1 or match is None or match["sha"] != sha:
            raise GateError(f"git cat-file answered {header!r} for blob {sha}; cannot read it")
        end = newline + 1 + int(match["size"])
        if output[end : end + 1] != b"\n":
            raise GateError(f"git cat-file gave blob {sha} cut short; cannot read it")
        contents[sha] = output[newline + 1 : end]
        position = end + 1
    return contents
