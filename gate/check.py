"""The check: resolve the range, set git to work on it, then run the stages in order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gate import DEFAULT_MAP_PATH
from gate.git import blobs, diff, refs

if TYPE_CHECKING:
    from gate.depmap.records import Map
    from gate.git.diff import Changed
    from gate.report.records import Report
    from gate.signoffs.owners import TeamLookup
    from gate.signoffs.records import OfferSource


@dataclass(frozen=True, kw_only=True)
class Change:
    """What to evaluate: a range of commits in a repository, and where the map comes from."""

    repo: str
    base: str | None  # None: the remote's default branch
    head: str = "HEAD"
    map_path: str = DEFAULT_MAP_PATH
    map_file: str | None = None  # a map on disk instead of the one in the repository
    author: str | None = None
    deepen: bool = False


@dataclass(frozen=True, kw_only=True)
class Context:
    """The change once read: what sign-off sources and reporters need to know of it."""

    repo: str
    base: str
    head: str
    merge_base: str
    depmap: Map
    changed: tuple[Changed, ...]


def check(
    change: Change,
    *,
    offers: Sequence[OfferSource] = (),
    lookup: TeamLookup | None = None,
) -> Report:
    """Evaluate one change.

    Once the range is known git lists the change and reads the map while the stages' code is
    loaded: on a large change git takes as long as everything else.
    """
    base, head, merge_base = resolve_range(change)
    listing = diff.Listing(change.repo, merge_base, head)
    map_blob = None
    try:
        if change.map_file is None:
            map_blob = blobs.FileReading(change.repo, base, change.map_path)
        from gate import stages
    except BaseException:
        listing.stop()
        if map_blob is not None:
            map_blob.stop()
        raise
    return stages.run(
        change, base, head, merge_base, listing, map_blob, offers=offers, lookup=lookup
    )


def resolve_range(change: Change) -> tuple[str, str, str]:
    """Base, head and their merge base as commits, before anything else is read."""
    if change.base is None:
        base = refs.default_base(change.repo)
    else:
        base = refs.resolve(change.repo, change.base, what="--base")
    head = refs.resolve(change.repo, change.head, what="--head")
    return base, head, refs.merge_base(change.repo, base, head, deepen=change.deepen)
