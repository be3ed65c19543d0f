"""Edited definitions: the systems a change redefines in the in-repository map."""

from __future__ import annotations

from collections.abc import Mapping

from gate.depmap.cache import load_cached
from gate.depmap.records import Map
from gate.errors import GateError, MapError
from gate.git import blobs


def edited_definitions(
    repo: str, depmap: Map, merge_base: str, head: str, matches: Mapping[str, frozenset[str]]
) -> frozenset[str]:
    """Systems of the base map whose definition the change edits in the in-repository map."""
    if depmap.path is None or depmap.path not in matches:
        return frozenset()
    path = depmap.path
    read = blobs.read_blobs(repo, [merge_base, head], [path])
    before, after = read[merge_base][path], read[head][path]
    if after is None:
        return frozenset(depmap.systems)
    try:
        new = load_cached(after, f"{path}@{head}", path=path)
    except MapError as error:
        raise GateError(
            f"the change leaves {path} invalid, so the gate cannot tell which systems it"
            f" redefines; fix these in the change:\n{error}"
        ) from None
    old = load_cached(before, f"{path}@{merge_base}", path=path) if before is not None else None
    return frozenset(
        sid for sid in depmap.systems if old is None or old.systems.get(sid) != new.systems.get(sid)
    )
