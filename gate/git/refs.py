"""Refs and commits: resolving, fetching, and the merge base."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from gate.errors import GateError
from gate.git.run import run

# A full commit id: SHA-1 (40 hex digits) or SHA-256 (64).
_COMMIT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def is_commit_id(text: str) -> bool:
    """Whether text is a full commit id, as git writes it, in a SHA-1 or a SHA-256 repository."""
    return _COMMIT_ID.fullmatch(text) is not None


_DEEPEN_STEPS = (64, 512, 4096)


def _commit(output: bytes, command: str) -> str:
    sha = output.decode("ascii", "replace").strip()
    if not is_commit_id(sha):
        raise GateError(f"git {command} printed {sha!r} where a commit id was expected")
    return sha


def revision(value: str) -> str:
    """value, as a revision argument of a git command; it must come from resolve().

    This keeps a value that slipped past resolve() from reading as an option.
    """
    if not value or value.startswith("-"):
        raise GateError(f"{value!r} is not a commit; resolve refs before using them")
    return value


def resolve(repo: str, ref: str, *, what: str = "ref") -> str:
    """The full commit id ref names in repo; what names the ref's origin in messages."""
    if ref.startswith("-"):
        raise GateError(
            f"{what} {ref!r} looks like an option, not a ref; name a branch, tag or commit"
        )
    if not ref or "\0" in ref:
        raise GateError(f"{what} {ref!r} is not a ref; name a branch, tag or commit")
    args = ("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    result = run(repo, args, ok=(0, 1))
    if result.returncode == 1:
        raise GateError(
            f"cannot resolve {what} {ref!r} to a commit in {repo}; fetch it or check the name"
        )
    return _commit(result.stdout, "rev-parse")


def is_commit(repo: str, commit: str) -> bool:
    """Whether commit is the full id of a commit repo holds (a sign-off may name any string)."""
    if not is_commit_id(commit):
        return False
    args = ("rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}")
    return run(repo, args, ok=(0, 1)).returncode == 0


def remote_url(repo: str) -> str | None:
    """origin's URL without any credentials in it, for evidence; None when there is no origin."""
    result = run(repo, ("config", "--get", "remote.origin.url"), ok=(0, 1))
    if result.returncode == 1:
        return None
    url = result.stdout.decode("utf-8", "replace").strip()
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        rest = rest.split("@", 1)[1]
    return f"{scheme}{sep}{rest}"


def fetch_commits(repo: str, commits: Sequence[str]) -> None:
    """Fetch commits by id from origin (one commit deep in a shallow clone; merge_base deepens).

    GitHub serves any commit reachable from its refs by id, a fork's pull request head too.
    """
    depth = ("--depth=1",) if _is_shallow(repo) else ()
    run(repo, ("fetch", "--quiet", "--no-tags", *depth, "origin", *commits))
    still = [commit for commit in commits if not is_commit(repo, commit)]
    if still:
        raise GateError(
            f"fetched from origin, but {', '.join(still)} is still missing in {repo}; check that"
            " origin is the repository the commits belong to and that it may be read"
        )


def default_base(repo: str) -> str:
    """The commit of the remote's default branch (refs/remotes/origin/HEAD)."""
    args = ("rev-parse", "--verify", "--quiet", "refs/remotes/origin/HEAD^{commit}")
    result = run(repo, args, ok=(0, 1))
    if result.returncode == 1:
        raise GateError(
            f"no --base given, and {repo} does not know the remote's default branch "
            "(refs/remotes/origin/HEAD); pass --base, or run `git remote set-head origin --auto`"
        )
    return _commit(result.stdout, "rev-parse")


def merge_base(repo: str, base: str, head: str, *, deepen: bool = False) -> str:
    """The commit base and head grew from, as a pull request compares them.

    With deepen, a shallow repository fetches more history from origin until they meet, and
    until nothing between the merge base and either tip is cut off.
    """
    found = _merge_base(repo, base, head)
    shallow = _is_shallow(repo)
    if deepen and shallow and _has_origin(repo) and not _whole(repo, base, head, found):
        for depth in _DEEPEN_STEPS:
            run(repo, ("fetch", "--quiet", f"--deepen={depth}", "origin"))
            found = _merge_base(repo, base, head)
            shallow = _is_shallow(repo)
            if not shallow or _whole(repo, base, head, found):
                break
        else:
            run(repo, ("fetch", "--quiet", "--unshallow", "origin"))
            found = _merge_base(repo, base, head)
            shallow = _is_shallow(repo)
    if found is not None and (not shallow or _whole(repo, base, head, found)):
        return found
    if shallow:
        meet = "have no merge base" if found is None else f"meet at {found[:12]}, but"
        raise GateError(
            f"{base} and {head} {meet} in {repo}, a shallow clone: its history "
            "stops before they meet, so the change cannot be read in full (a cut-off commit "
            "may hide another merge base). Fetch the history "
            "with `git fetch --unshallow` (or `git fetch --deepen=N` until they meet); in "
            "GitHub Actions, give actions/checkout `fetch-depth: 0`"
        )
    raise GateError(
        f"{base} and {head} share no history (no merge base) in {repo}; "
        "compare a head with the branch it grew from"
    )


def _whole(repo: str, base: str, head: str, found: str | None) -> bool:
    """Whether a shallow repository holds every commit between the merge base found and the two
    tips with all its parents: only then can no second merge base hide beyond its cut."""
    if found is None:
        return False
    where = run(repo, ("rev-parse", "--git-path", "shallow")).stdout
    cut_file = os.path.join(repo, where.decode("utf-8", "surrogateescape").rstrip("\n"))
    try:
        with open(cut_file, "rb") as lines:
            cut = set(lines.read().split())
    except FileNotFoundError:
        return True
    args = ("rev-list", revision(base), revision(head), "--not", revision(found))
    return cut.isdisjoint(run(repo, args).stdout.split())


def _merge_base(repo: str, base: str, head: str) -> str | None:
    """The one merge base of base and head; None when they have none.

    With several (criss-cross merges), which one git names is arbitrary, and the diff from it
    can leave out a change the other holds, such as the revert of a signed-off change.
    """
    args = ("merge-base", "--all", revision(base), revision(head))
    result = run(repo, args, ok=(0, 1))
    if result.returncode == 1:
        return None
    found = result.stdout.split()
    if len(found) > 1:
        listed = ", ".join(_commit(sha, "merge-base")[:12] for sha in found)
        raise GateError(
            f"{base} and {head} have {len(found)} merge bases in {repo} ({listed}): criss-cross"
            " merges left no single point the change grew from, so it is not one diff. Merge"
            " the base into the branch (or rebase the branch onto it) and run again"
        )
    return _commit(result.stdout, "merge-base")


def _is_shallow(repo: str) -> bool:
    output = run(repo, ("rev-parse", "--is-shallow-repository")).stdout.strip()
    return output == b"true"


def _has_origin(repo: str) -> bool:
    remotes = run(repo, ("remote",)).stdout.decode("utf-8", "replace").split()
    return "origin" in remotes
