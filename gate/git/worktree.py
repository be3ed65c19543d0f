"""Files given by name: whether one lies in the work tree, where the change could have put it."""

from __future__ import annotations

import hashlib
import os

from gate.errors import GateError
from gate.git.blobs import Reading
from gate.git.run import run


def from_outside(repo: str, base: str, location: str, sha256: str, *, what: str) -> None:
    """Refuse the file at `location` (its content's `sha256`) when it lies in repo's work tree
    and differs from that path's content in the base commit: the change may have written it.

    A work tree holds the change's files (a pull request's checkout does); the base commit holds
    only what was reviewed before it. Both the path as given and the file it leads to through
    links are held to this.
    """
    top = _top(repo)
    if top is None:
        return  # a bare repository: no checkout of the change
    inside = {
        relative
        for path, root in (
            (os.path.realpath(location), os.path.realpath(top)),
            (os.path.abspath(location), os.path.abspath(top)),
        )
        if (relative := _under(path, root)) is not None
    }
    if not inside:
        return
    with Reading(repo, [base], sorted(inside)) as reading:
        at_base = reading.result()[base]
    for relative in sorted(inside):
        content = at_base.get(relative)
        if isinstance(content, bytes) and hashlib.sha256(content).hexdigest() == sha256:
            continue
        state = "is not" if content is None else "is not the same as"
        raise GateError(
            f"{what} {location} lies inside the work tree of {repo} and {state} {relative} at"
            f" the base commit {base[:12]}, so it may be the change's own. Keep it outside the"
            " repository, or let it come from the base (commit it there first)"
        )


def _top(repo: str) -> str | None:
    """The root of repo's work tree; None for a bare repository."""
    args = ("rev-parse", "--is-bare-repository", "--is-inside-work-tree", "--absolute-git-dir")
    bare, inside, git_dir = run(repo, args).stdout.decode("utf-8", "surrogateescape").splitlines()
    if bare == "true":
        return None
    if inside == "true":
        top = run(repo, ("rev-parse", "--show-toplevel")).stdout
        return top.decode("utf-8", "surrogateescape").rstrip("\n")
    return os.path.dirname(git_dir)  # run from inside .git: its work tree holds it


def _under(path: str, root: str) -> str | None:
    """path relative to root, with '/' between its parts, when it lies below root."""
    try:
        if os.path.commonpath([path, root]) != root or path == root:
            return None
    except ValueError:
        return None  # on different drives
    return os.path.relpath(path, root).replace(os.sep, "/")
