"""Touched systems: the change's paths matched to the map's systems."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from gate.depmap.records import Map
from gate.git.diff import Changed
from gate.paths.pattern import WILDCARD
from gate.versions.versioned import Versions


def changed_paths(changed: Iterable[Changed]) -> list[str]:
    """Every path the change shows, both sides of a rename included, in order, once each."""
    paths: dict[str, None] = {}
    for entry in changed:
        if entry.old_path is not None:
            paths[entry.old_path] = None
        paths[entry.path] = None
    return list(paths)


def systems_for(
    depmap: Map, paths: Iterable[str], submodules: Collection[str] = ()
) -> dict[str, frozenset[str]]:
    """The systems each path touches (the map's own file is one, at exactly its path); a
    submodule is a directory."""
    matches = depmap.matcher.systems_of(paths, directories=submodules)
    own = depmap.path
    if own is None or WILDCARD.search(own) is None:
        return matches
    # The matcher reads the map's path as a pattern, where `[`, `*` and `?` are wildcards.
    only = frozenset({own})
    return {path: ids | only if path == own else ids - only for path, ids in matches.items()}


def unmapped(matches: Mapping[str, frozenset[str]]) -> tuple[str, ...]:
    """The paths that match no system."""
    return tuple(path for path, ids in matches.items() if not ids)


def touched_by(
    matches: Mapping[str, frozenset[str]], edited: frozenset[str], versions: Versions
) -> tuple[dict[str, str | None], frozenset[str]]:
    """Touched systems with their version bump (None: not a version change), and the silent ones.

    A system touched only by an edit of its definition in the map carries no impact further.
    """
    by_files = {sid for ids in matches.values() for sid in ids}
    touched: dict[str, str | None] = dict.fromkeys(edited)
    touched.update({sid: versions.bump(sid) for sid in by_files})
    return touched, frozenset(edited - by_files)
