"""The change as git lists it: changed paths with their status, from `git diff -z`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from gate.errors import GateError
from gate.git.refs import revision
from gate.git.run import Background, Stops, run
from gate.git.tree import Entry, decode_path


@dataclass(frozen=True, kw_only=True)
class Changed:
    status: str  # git's letter: A, M, D, R, C, T
    path: str
    old_path: str | None = None


_STATUSES = frozenset("AMDT")
_GITLINK = "160000"
_RENAME_OR_COPY = re.compile(r"[RC][0-9]{0,3}")

# Each option also overrides the configuration (diff.relative, diff.renames=copies,
# diff.ignoreSubmodules, diff.external, color.ui) that would change what the diff says.
_DIFF_OPTIONS = (
    "--raw",
    "--no-abbrev",
    "-z",
    "-M",
    "--no-ext-diff",
    "--no-textconv",
    "--no-color",
    "--ignore-submodules=none",
    "--no-relative",
)


def changed(repo: str, merge_base: str, head: str) -> tuple[Changed, ...]:
    """Every path that differs between merge_base and head, as git reports it."""
    return _changes(run(repo, _diff(merge_base, head)).stdout).changed


def changed_with_submodules(
    repo: str, merge_base: str, head: str
) -> tuple[tuple[Changed, ...], frozenset[str]]:
    """changed(), and the paths among them that are a submodule on either side."""
    listed = _changes(run(repo, _diff(merge_base, head)).stdout)
    return listed.changed, listed.submodules


class Listing(Stops):
    """changed(), started now and read later: git lists the change while the gate reads the map."""

    def __init__(self, repo: str, merge_base: str, head: str) -> None:
        self._git = Background(repo, _diff(merge_base, head))
        self._before: dict[str, Entry] = {}
        self._submodules: frozenset[str] = frozenset()

    def changed(self) -> tuple[Changed, ...]:
        listed = _changes(self._git.finish())
        self._before, self._submodules = listed.before, listed.submodules
        return listed.changed

    def running(self) -> bool:
        """Whether git is still listing the change."""
        return self._git.running()

    def before(self) -> Mapping[str, Entry]:
        """Each changed path's entry at the merge base, where it had one (after changed())."""
        return self._before

    def submodules(self) -> frozenset[str]:
        """The changed paths that are a submodule (gitlink) on either side (after changed())."""
        return self._submodules

    def stop(self) -> None:
        """Give up on the listing (what it was for failed): end git, drop its output."""
        self._git.stop()


def _diff(merge_base: str, head: str) -> tuple[str, ...]:
    return ("diff", *_DIFF_OPTIONS, revision(merge_base), revision(head), "--")


class _Listed(NamedTuple):
    changed: tuple[Changed, ...]
    before: dict[str, Entry]  # each changed path's entry at the merge base
    submodules: frozenset[str]  # the paths that are a submodule at either commit


def _changes(output: bytes) -> _Listed:
    """The change's records, each changed path's entry at the merge base, and which paths are
    submodules, from --raw -z."""
    if output and not output.endswith(b"\0"):
        unterminated = output[output.rfind(b"\0") + 1 :]
        raise GateError(
            f"git diff output ends without a NUL ({unterminated!r}); the change cannot be read "
            "in full"
        )
    try:
        fields = output.decode("utf-8").split("\0")
    except UnicodeDecodeError:
        for raw in output.split(b"\0"):
            decode_path(raw)  # raises, naming the path
        raise
    fields.pop()  # after the last NUL
    records: list[Changed] = []
    before: dict[str, Entry] = {}
    submodules: set[str] = set()
    index, count = 0, len(fields)
    while index < count:
        meta = fields[index].split(" ")  # ":old_mode new_mode old_id new_id status"
        status = meta[-1]
        if len(meta) == 5 and status in _STATUSES and index + 1 < count:
            path = fields[index + 1]
            records.append(Changed(status=status, path=path))
            if _GITLINK in (meta[0][1:], meta[1]):
                submodules.add(path)
            index += 2
        elif len(meta) == 5 and _RENAME_OR_COPY.fullmatch(status) and index + 2 < count:
            path, old_path = fields[index + 2], fields[index + 1]
            records.append(Changed(status=status[0], path=path, old_path=old_path))
            if _GITLINK in (meta[0][1:], meta[1]):
                submodules.update((path, old_path))
            path = old_path  # the merge base has the old path, and not the new one
            index += 3
        else:
            raise GateError(
                f"unexpected record in git diff output: {fields[index : index + 3]!r}; "
                "the change cannot be read in full"
            )
        if meta[0] != ":000000":
            before[path] = (meta[0][1:], meta[2])
    return _Listed(tuple(records), before, frozenset(submodules))
