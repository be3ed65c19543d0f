"""Finding the map to judge by: the base commit's, the working tree's, or a file given by name."""

from __future__ import annotations

import contextlib
import os

from gate.depmap.cache import load_cached
from gate.depmap.records import Map, System
from gate.errors import GateError
from gate.files import read_limited
from gate.git import blobs


def map_reading(
    repo: str, base: str, path: str, map_file: str | None
) -> contextlib.AbstractContextManager[blobs.FileReading | None]:
    """Start git reading the map at the base commit; None for a map file outside the change."""
    if map_file is not None:
        return contextlib.nullcontext()
    return blobs.FileReading(repo, base, path)


def read_map(
    repo: str, base: str, path: str, map_file: str | None, reading: blobs.FileReading | None
) -> Map:
    """The map the change is judged by: the base commit's (being read in `reading`), or a file
    outside the change."""
    if reading is None:
        return working_map(repo, path, map_file)
    return _map_at_base(reading.result(), path, base)


def _map_at_base(blob: bytes | GateError | None, path: str, base: str) -> Map:
    """The map at the base commit, from its file there (None: there is none): a change cannot
    rewrite the rules it is judged by."""
    if isinstance(blob, GateError):
        raise blob
    if blob is None:
        raise GateError(
            f"there is no {path} at the base commit {base[:12]}. The map is read from"
            " the base so that a change cannot rewrite the rules it is judged by; a change that"
            " adds the map has nothing to be judged by. Merge the map on its own first (reviewed"
            " by hand), pass --map PATH if it lives elsewhere, or --map-file FILE."
        )
    return load_cached(blob, f"{path}@{base}", path=path)


def working_map(repo: str, path: str, map_file: str | None) -> Map:
    """The map as it is on disk now: `--map-file FILE`, or `--map PATH` under `--repo`."""
    location = map_file if map_file is not None else os.path.normpath(os.path.join(repo, path))
    try:
        data = read_limited(location, "map")
    except GateError as error:
        raise GateError(f"{error}; pass --map PATH or --map-file FILE") from None
    return load_cached(data, location, path=None if map_file is not None else path)


def with_map_system(depmap: Map) -> dict[str, System]:
    """The map's systems, plus the in-repository map file as a system owned by map-owners."""
    systems = dict(depmap.systems)
    if depmap.own_system is not None:
        systems[depmap.own_system.id] = depmap.own_system
    return systems
