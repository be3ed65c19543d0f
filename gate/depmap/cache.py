"""Loading the map through a per-user cache, so that a large map is parsed once per content.

A required check runs on every push, and a map of thousands of systems takes far longer to
parse than to unpickle. An entry is the loaded Map, under the SHA-256 of the map's bytes and its
path; it is used only when the gate's loader code (a fingerprint of its sources), the gate's
version and Python's are the ones that wrote it, and the entry is whole (a digest of its
payload). Entries are written to a temporary file and renamed into place. Anything wrong with
the cache (missing, unreadable, corrupt, written by another version, a directory other users
can write to, one in a git work tree) makes the gate parse the map as if there were no cache;
nothing about the cache ever fails a check.

Only the user the gate runs as can write an entry it reads: the directory and each entry must
be theirs, private (as the gate makes them), not a link, and outside any git work tree, where
a change's files are checked out as the user's own. Whoever runs code as that user can change
the gate itself, so the cache adds no way in that was not there.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import pickle
import stat
import sys
import tempfile

from gate import __version__
from gate.depmap.records import Map
from gate.depmap.strict_yaml import collector_paused

# Below this size parsing takes a few milliseconds: no entry is written, nor looked for.
MIN_BYTES = 128 * 1024
MAX_ENTRIES = 16
_MAGIC = b"change-impact-gate map cache 1\n"
# The code that makes a Map from bytes: every module of these packages, and these modules.
_FINGERPRINTED = ("depmap", "paths", "tuples.py")
# What unpickling a payload whose digest is right may still raise if its classes changed.
_STALE = (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError, ValueError)


# Every map this process has loaded, by content and path: a process that checks several
# changes (`gate board`) loads each map once. They are kept to the end of the process, which
# ends without freeing them one by one (gate.main.entry).
_LOADED: dict[tuple[str, str | None], Map] = {}


def load_cached(data: bytes, source: str, *, path: str | None) -> Map:
    """load_map(data, source, path=path), from the cache when this map was loaded before."""
    sha256 = hashlib.sha256(data).hexdigest()
    loaded = _LOADED.get((sha256, path))
    if loaded is None:
        loaded = _LOADED[(sha256, path)] = _load(data, source, sha256, path)
    # Each caller's own copy, naming its own source; the copy shares what the map holds,
    # its matcher and graph included.
    return dataclasses.replace(loaded, source=source)


def _load(data: bytes, source: str, sha256: str, path: str | None) -> Map:
    entry = _entry(sha256, path) if len(data) >= MIN_BYTES else None
    if entry is not None:
        cached = _read(entry, sha256, path)
        if cached is not None:
            return cached
    from gate.depmap.load import load_map  # only here: a check served by the cache needs no loader

    depmap = load_map(data, source, path=path, sha256=sha256)
    if entry is not None:
        _write(entry, depmap)
    return depmap


def cache_directory() -> str | None:
    """$XDG_CACHE_HOME/change-impact-gate (~/.cache/... by default); None when unsafe or unknown."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base) or not hasattr(os, "getuid"):
        return None
    directory = os.path.join(base, "change-impact-gate")
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        # lstat: a link in a cache home others can write (/tmp) would send entries, and the
        # pruning of *.map files, into another directory of the user's.
        status = os.lstat(directory)
    except OSError:
        return None
    if not stat.S_ISDIR(status.st_mode) or not _private(status) or _in_work_tree(directory):
        return None
    return directory


def _private(status: os.stat_result) -> bool:
    """The user's, and only the user's: as the gate makes them (0700, 0600), never as git
    checks files out (0755, 0644), nor as another user could leave them."""
    return status.st_uid == os.getuid() and not status.st_mode & 0o077


def _in_work_tree(directory: str) -> bool:
    """Whether the directory lies in a git work tree (a cache home or HOME in a checkout):
    its files may be a change's, checked out as the user's own, whatever their modes."""
    for start in {os.path.abspath(directory), os.path.realpath(directory)}:
        here = start
        while True:
            if os.path.lexists(os.path.join(here, ".git")):
                return True
            parent = os.path.dirname(here)
            if parent == here:
                break
            here = parent
    return False


def _entry(sha256: str, path: str | None) -> str | None:
    directory = cache_directory()
    fingerprint = _fingerprint()
    if directory is None or fingerprint is None:
        return None
    where = hashlib.sha256(repr((path, fingerprint)).encode()).hexdigest()[:16]
    return os.path.join(directory, f"{sha256}-{where}.map")


def _fingerprint() -> str | None:
    """The code that makes a Map from bytes, and the versions that pickle it: an entry's maker."""
    digest = hashlib.sha256(f"{__version__} {sys.version}".encode())
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        for name in _FINGERPRINTED:
            where = os.path.join(package, name)
            files = (
                sorted(os.path.join(where, f) for f in os.listdir(where) if f.endswith(".py"))
                if os.path.isdir(where)
                else [where]
            )
            for file in files:
                with open(file, "rb") as handle:
                    digest.update(handle.read())
    except OSError:
        return None
    return digest.hexdigest()


def _read(entry: str, sha256: str, path: str | None) -> Map | None:
    try:
        with open(os.open(entry, os.O_RDONLY | os.O_NOFOLLOW), "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode) or not _private(status):
                return None
            content = handle.read()
    except OSError:
        return None
    header = len(_MAGIC) + 32
    payload = content[header:]
    if content[: len(_MAGIC)] != _MAGIC or content[len(_MAGIC) : header] != _digest(payload):
        return None
    try:
        with collector_paused():
            depmap = pickle.loads(payload)
    except _STALE:
        return None
    if not isinstance(depmap, Map) or depmap.sha256 != sha256 or depmap.path != path:
        return None
    return depmap


def _write(entry: str, depmap: Map) -> None:
    payload = pickle.dumps(depmap, protocol=pickle.HIGHEST_PROTOCOL)
    directory = os.path.dirname(entry)
    try:
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".entry-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_MAGIC + _digest(payload) + payload)
        os.replace(temporary, entry)
    except OSError:
        _remove(temporary)
        return
    _prune(directory)


def _digest(payload: bytes) -> bytes:
    return hashlib.sha256(payload).digest()


def _prune(directory: str) -> None:
    """Keep the MAX_ENTRIES most recently written entries."""
    try:
        names = [name for name in os.listdir(directory) if name.endswith(".map")]
        paths = [os.path.join(directory, name) for name in names]
        paths.sort(key=os.path.getmtime, reverse=True)
    except OSError:
        return
    for stale in paths[MAX_ENTRIES:]:
        _remove(stale)


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
