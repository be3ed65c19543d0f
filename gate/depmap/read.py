"""Finding a map to read outside a change: the working tree's, or a file given by name."""

from __future__ import annotations

import os

from gate.depmap.cache import load_cached
from gate.depmap.records import Map
from gate.errors import GateError


def working_map(repo: str, path: str, map_file: str | None) -> Map:
    """The map as it is on disk now: `--map-file FILE`, or `--map PATH` under `--repo`."""
    location = map_file if map_file is not None else os.path.normpath(os.path.join(repo, path))
    try:
        with open(location, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise GateError(
            f"cannot read the map {location}: {error.strerror}; pass --map PATH or --map-file FILE"
        ) from None
    return load_cached(data, location, path=None if map_file is not None else path)
