"""Files given by name: whether one lies in the work tree, where the change could have put it."""

from __future__ import annotations

import hashlib
import os

from gate.errors import GateError
from gate.git.blobs import Reading
from gate.git.run import run


def from_outside(repo: str, base: str, location: str, sha256: str, *, what: str) -> None:
    """Refuse the file at `location` (its content's `sha256`) when it lies in a work tree of
    repo and differs from that path's content in the base commit: the change may have written it.

    A work tree holds the change's files (a pull request's checkout does); the base commit holds
    only what was reviewed before it. Every work tree of the repository counts (`git worktree
    add` makes more than one), and both the path as given and the file it leads to through
    links are held to this. A directory is the work tree's root when it is the same directory,
    however it is reached (by another case of its name where the file system folds case, or
    through a bind mount), not only when its name is.
    """
    for top in _tops(repo):
        try:
            root = os.stat(top)
        except OSError:
            continue  # a linked work tree whose directory is gone: it holds nothing
        inside = {
            relative
            for path in (os.path.realpath(location), os.path.abspath(location))
            if (relative := _under(path, root, location, what)) is not None
        }
        if inside:
            _as_at_base(repo, base, location, sha256, what=what, top=top, inside=inside)


def _as_at_base(
    repo: str, base: str, location: str, sha256: str, *, what: str, top: str, inside: set[str]
) -> None:
    with Reading(repo, [base], sorted(inside)) as reading:
        at_base = reading.result()[base]
    for relative in sorted(inside):
        content = at_base.get(relative)
        if isinstance(content, bytes) and hashlib.sha256(content).hexdigest() == sha256:
            continue
        state = "is not" if content is None else "is not the same as"
        raise GateError(
            f"{what} {location} lies inside the work tree {top} of {repo} and {state} {relative}"
            f" at the base commit {base[:12]}, so it may be the change's own. Keep it outside the"
            " repository, or let it come from the base (commit it there first)"
        )


def _tops(repo: str) -> list[str]:
    """The root of each work tree of repo (none for a bare repository without linked ones)."""
    output = run(repo, ("worktree", "list", "--porcelain", "-z")).stdout
    tops: list[str] = []
    for entry in output.split(b"\0\0"):
        fields = entry.split(b"\0")
        if fields[0].startswith(b"worktree ") and b"bare" not in fields[1:]:
            tops.append(fields[0].removeprefix(b"worktree ").decode("utf-8", "surrogateescape"))
    return tops


def _under(path: str, root: os.stat_result, location: str, what: str) -> str | None:
    """path relative to the directory root, with '/' between its parts, when it lies below it."""
    names: list[str] = []
    current = path
    while True:
        parent, name = os.path.split(current)
        if parent == current:
            return None
        names.append(name)
        try:
            if os.path.samestat(os.stat(parent), root):
                return "/".join(reversed(names))
        except OSError as error:
            raise GateError(
                f"cannot tell whether {what} {location} lies inside the repository's work tree:"
                f" {parent}: {error.strerror}"
            ) from None
        current = parent
