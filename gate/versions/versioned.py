"""Versions of the map's systems at the merge base and at head."""

from __future__ import annotations

from collections.abc import Mapping

from gate.depmap.records import System
from gate.errors import GateError
from gate.git import blobs, tree
from gate.report.records import VersionChange
from gate.versions import extract
from gate.versions.read import VersionUnreadable, read_version
from gate.versions.schemes import Version, bump, is_downgrade


class Versions:
    """Reads each declared version once, from git objects, only for the systems asked about.

    The version files at head are read in one batch (started early, see version_files); at the
    merge base only those the change touches are read, by the entries git listed with the
    change: the rest are the same bytes there.
    """

    def __init__(
        self,
        repo: str,
        merge_base: str,
        head: str,
        systems: Mapping[str, System],
        *,
        changed: Mapping[str, tree.Entry | None],
        at_head: blobs.Reading | None = None,
    ):
        """`changed`: each path the change touches, with its entry at the merge base (None where
        it has none there)."""
        self._repo = repo
        self._commits = {"base": merge_base, "head": head}
        self._systems = systems
        self._changed = changed
        self._at_head = at_head if at_head is not None else version_files(repo, head, systems)
        self._at_base: dict[str, bytes | GateError | None] | None = None
        self._prepared = False  # the parsers the version files need, loaded
        self._read: dict[tuple[str, str], Version | None] = {}

    def stop(self) -> None:
        """End the reads still running (the check ended early)."""
        self._at_head.stop()

    def __enter__(self) -> Versions:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def before(self, sid: str) -> Version | None:
        """At the merge base; None when the system declares none or it cannot be read there."""
        return self._version(sid, "base")

    def after(self, sid: str) -> Version | None:
        """At head; a declared version that cannot be read there is an error (VersionUnreadable)."""
        return self._version(sid, "head")

    def bump(self, sid: str) -> str | None:
        if self._systems[sid].version is None:
            return None
        return bump(self.before(sid), self.after(sid))

    def change(self, sid: str) -> VersionChange:
        before, after = self.before(sid), self.after(sid)
        return VersionChange(
            before=before.text if before else None,
            after=after.text if after else None,
            bump=bump(before, after),
            downgrade=is_downgrade(before, after),
            before_at=before.at if before else None,
            after_at=after.at if after else None,
        )

    def _version(self, sid: str, which: str) -> Version | None:
        key = (sid, which)
        if key not in self._read:
            spec = self._systems[sid].version
            if spec is None:
                self._read[key] = None
            elif which == "base" and spec.file not in self._changed:
                # The same bytes as at head: the same version, or none where head has none.
                try:
                    self._read[key] = self._version(sid, "head")
                except VersionUnreadable:
                    self._read[key] = None
            else:
                commit = self._commits[which]
                data = self._file(which, spec.file)
                try:
                    self._read[key] = read_version(
                        spec, data, system=sid, commit_label=f"{which} {commit[:12]}"
                    )
                except VersionUnreadable:
                    # At the merge base an unreadable version is an absent one: "added".
                    if which == "head":
                        raise
                    self._read[key] = None
        return self._read[key]

    def _file(self, which: str, file: str) -> bytes | None:
        """A version file at head, or at the merge base when the change touches it."""
        if which == "head":
            if not self._prepared:
                # Before waiting for git, which may still be listing the files.
                load_parsers(self._systems)
                self._prepared = True
            data = self._at_head.result()[self._commits["head"]][file]
        else:
            if self._at_base is None:
                # Every touched version file at once, by the entries git listed with the change.
                merge_base = self._commits["base"]
                touched = {
                    path: self._changed[path]
                    for path in sorted(_declared_files(self._systems))
                    if path in self._changed
                }
                self._at_base = blobs.read_entries(self._repo, {merge_base: touched})[merge_base]
            data = self._at_base[file]
        if isinstance(data, GateError):
            raise data
        return data


def version_files(repo: str, head: str, systems: Mapping[str, System]) -> blobs.Reading:
    """Start reading every declared version file at head: git reads them while the gate works."""
    return blobs.Reading(repo, [head], sorted(_declared_files(systems)))


def load_parsers(systems: Mapping[str, System]) -> None:
    """Import now what reading the systems' version files will take (extract.prepare)."""
    extract.prepare(system.version for system in systems.values() if system.version is not None)


def _declared_files(systems: Mapping[str, System]) -> set[str]:
    return {system.version.file for system in systems.values() if system.version is not None}
