"""Version files read from git: every declared one at head, the touched ones at the merge base."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from gate.depmap.records import System, rule_files
from gate.errors import GateError
from gate.git import blobs
from gate.git.tree import Entry
from gate.versions import extract

_SYMLINK = "120000"  # the mode git records for a symbolic link

# A file's content; None where there is no such file; the GateError reading it raises.
Content = bytes | GateError | None


class AtHead(Mapping[str, Content]):
    """Every declared version file at head, as git reads it in the background: the first look
    waits for git, so a change that needs no version never waits (a ls-tree of every version
    file takes 15-30 ms on a map of 5,000 systems)."""

    def __init__(self, reading: blobs.Reading, head: str, systems: Mapping[str, System]) -> None:
        self._reading = reading
        self._head = head
        self._systems = systems
        self._files: Mapping[str, Content] | None = None

    def _read(self) -> Mapping[str, Content]:
        if self._files is None:
            load_parsers(self._systems)  # while git may still be at work: they will be needed
            self._files = self._reading.result()[self._head]
        return self._files

    def __getitem__(self, path: str) -> Content:
        return self._read()[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


class VersionFiles(NamedTuple):
    """The bytes versions are read from, once git has read them."""

    head: Mapping[str, Content]  # every declared version file, at head
    base: Mapping[str, Content]  # the declared version files the change touches, at the merge base


def version_files(repo: str, head: str, systems: Mapping[str, System]) -> blobs.Reading:
    """Start reading every declared version file at head: git reads them while the gate works."""
    return blobs.Reading(repo, [head], sorted(_declared_files(systems)))


def read_version_files(
    repo: str,
    merge_base: str,
    head: str,
    systems: Mapping[str, System],
    *,
    at_head: blobs.Reading,
    paths: Iterable[str],
    before: Mapping[str, Entry],
) -> VersionFiles:
    """The files at head as `at_head` reads them, and at the merge base those among the change's
    `paths`, read by the entries git listed with the change (`before`): the rest are the same
    bytes. `at_head` must run until the versions are read."""
    changed = set(paths)
    touched = {
        path: _file_entry(before.get(path))
        for path in sorted(_declared_files(systems))
        if path in changed
    }
    at_base = blobs.read_entries(repo, {merge_base: touched})[merge_base] if touched else {}
    return VersionFiles(head=AtHead(at_head, head, systems), base=at_base)


def _file_entry(entry: Entry | None) -> Entry | None:
    # A link declares no version at the merge base, as no file does: the change that makes it
    # a file adds the version. (At head a link is an error: the gate does not follow links.)
    return None if entry is not None and entry[0] == _SYMLINK else entry


def load_parsers(systems: Mapping[str, System]) -> None:
    """Import now what reading the systems' version files will take (extract.prepare)."""
    extract.prepare(system.version for system in systems.values() if system.version is not None)


def _declared_files(systems: Mapping[str, System]) -> set[str]:
    """Every file a version is read from: the declared ones, and the `.env` beside a compose
    file (a missing one reads as None)."""
    return {
        file
        for system in systems.values()
        if system.version is not None
        for file in rule_files(system.version)
    }
