"""Versions of the map's systems at the merge base and at head, parsed from files already read."""

from __future__ import annotations

from collections.abc import Mapping

from gate.depmap.records import System, rule_files
from gate.errors import GateError
from gate.report.records import VersionChange
from gate.versions.files import Content, VersionFiles
from gate.versions.read import VersionUnreadable, read_version
from gate.versions.schemes import Version, bump, is_downgrade


class Versions:
    """Parses each declared version once, only for the systems asked about; no I/O.

    A version file the change does not touch holds the same bytes at the merge base as at head,
    so it is read from head's copy.
    """

    def __init__(
        self, systems: Mapping[str, System], files: VersionFiles, *, merge_base: str, head: str
    ) -> None:
        self._systems = systems
        self._files = {"base": files.base, "head": files.head}
        self._commits = {"base": merge_base, "head": head}
        self._read: dict[tuple[str, str], Version | None] = {}

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
            files = rule_files(spec) if spec is not None else ()
            if spec is None:
                self._read[key] = None
            elif which == "base" and not any(file in self._files["base"] for file in files):
                # The same bytes as at head: the same version, or none where head has none.
                try:
                    self._read[key] = self._version(sid, "head")
                except VersionUnreadable:
                    self._read[key] = None
            else:
                data, *env = (_content(self._file(which, file)) for file in files)
                label = f"{which} {self._commits[which][:12]}"
                try:
                    self._read[key] = read_version(
                        spec, data, system=sid, commit_label=label, env=env[0] if env else None
                    )
                except VersionUnreadable:
                    # At the merge base an unreadable version is an absent one: "added".
                    if which == "head":
                        raise
                    self._read[key] = None
        return self._read[key]

    def _file(self, which: str, file: str) -> Content:
        """A file at the merge base or head; at the base one the change leaves alone is the
        same as at head (only the touched ones were read there)."""
        if which == "base" and file not in self._files["base"]:
            return self._files["head"][file]
        return self._files[which][file]


def _content(data: Content) -> bytes | None:
    if isinstance(data, GateError):
        raise data
    return data
