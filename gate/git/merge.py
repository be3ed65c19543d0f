"""Commits as a merge queue builds them: a commit's tree and parents, and a merge's tree."""

from __future__ import annotations

from dataclasses import dataclass

from gate.errors import GateError
from gate.git.refs import is_commit_id, revision
from gate.git.run import run


@dataclass(frozen=True, kw_only=True)
class Commit:
    tree: str
    parents: tuple[str, ...]


def read_commit(repo: str, commit: str) -> Commit:
    """The tree and parents the commit object records (replace refs off, as every git call)."""
    raw = run(repo, ("cat-file", "commit", revision(commit))).stdout
    header = raw.split(b"\n\n", 1)[0].decode("utf-8", "replace").splitlines()
    trees = [line.removeprefix("tree ") for line in header if line.startswith("tree ")]
    parents = tuple(line.removeprefix("parent ") for line in header if line.startswith("parent "))
    if len(trees) != 1 or not all(is_commit_id(sha) for sha in (*trees, *parents)):
        raise GateError(f"git cat-file commit {commit} printed no tree and parents git writes")
    return Commit(tree=trees[0], parents=parents)


def merged_tree(repo: str, base: str, head: str) -> str | None:
    """The tree of head merged onto base, as `git merge-tree` writes it; None: they conflict.

    Needs git 2.38 or later (`--write-tree`), and the history to their merge base.
    """
    args = ("merge-tree", "--write-tree", "--no-messages", revision(base), revision(head))
    result = run(repo, args, ok=(0, 1))
    if result.returncode == 1:
        return None
    tree = result.stdout.decode("ascii", "replace").split("\n", 1)[0].strip()
    if not is_commit_id(tree):
        raise GateError(f"git merge-tree printed {tree!r} where a tree id was expected")
    return tree
