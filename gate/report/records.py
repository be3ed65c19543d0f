"""The outcome of one evaluation: the record every renderer draws from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from gate.errors import EXIT_BLOCKED, EXIT_PASS
from gate.git.diff import Changed

Verdict = Literal["pass", "blocked"]
Affected = Literal["touched", "impacted"]
SCHEMA = "change-impact-gate/report/v1"


@dataclass(frozen=True, kw_only=True)
class VersionChange:
    before: str | None
    after: str | None
    bump: str | None  # major, minor, patch, other, added, removed; None when unchanged
    downgrade: bool = False
    before_at: str | None = None  # "file:line" the version was read from at the merge base
    after_at: str | None = None  # "file:line" at head


@dataclass(frozen=True, kw_only=True)
class Violation:
    dependent: str
    dependency: str
    requires: str  # the specifier with {major} etc. filled in
    rule: str  # the specifier as written in the map
    version: str
    dependency_version: str
    already_at_base: bool
    reason: str = ""
    version_at: str | None = None
    dependency_version_at: str | None = None


@dataclass(frozen=True, kw_only=True)
class Signoff:
    system: str
    by: str
    commit: str
    source: Literal["review", "comment", "ledger"]
    note: str | None = None
    at: str | None = None  # ISO 8601 time, where known
    url: str | None = None


@dataclass(frozen=True, kw_only=True)
class Ignored:
    """A sign-off that was offered but does not count, and why."""

    by: str
    system: str
    source: Literal["review", "comment", "ledger"]
    reason: str
    commit: str | None = None


@dataclass(frozen=True, kw_only=True)
class SignoffState:
    required: bool
    satisfied: bool
    rule: str  # "any", "all" or a number, as the map says
    by: tuple[Signoff, ...] = ()
    waiting_for: tuple[str, ...] = ()  # owners still to sign off, for "waiting for backup, sre"


@dataclass(frozen=True, kw_only=True)
class SystemResult:
    id: str
    affected: Affected
    because: tuple[tuple[str, ...], ...]
    owners: tuple[str, ...]
    signoff: SignoffState
    kind: str = ""
    description: str = ""
    version: VersionChange | None = None
    violations: tuple[Violation, ...] = ()
    because_truncated: bool = False

    @property
    def waiting_on(self) -> tuple[str, ...]:
        """The owners whose sign-off this system still needs: none once it is signed off."""
        if self.signoff.satisfied:
            return ()
        return self.signoff.waiting_for or self.owners


@dataclass(frozen=True, kw_only=True)
class Report:
    verdict: Verdict
    base: str
    head: str
    merge_base: str
    map_source: str
    map_sha256: str
    changed: tuple[Changed, ...]
    systems: tuple[SystemResult, ...]
    pending: tuple[str, ...]
    unmapped: tuple[str, ...]
    # Pending systems that no one whose sign-off counts can sign off (author, committers, bots).
    unsignable: tuple[str, ...] = ()
    unmapped_policy: str = "warn"
    author: str | None = None
    ignored: tuple[Ignored, ...] = ()
    edges: tuple[tuple[str, str], ...] = ()  # (dependency, dependent) edges impact crossed
    notes: tuple[str, ...] = field(default=())  # warnings a reader should see
    evidence_sha256: str | None = None  # of the evidence record written for this evaluation
    # Owner team key -> the members the map lists who can sign off (not the author or the
    # committers), for each team still to sign off: the people to ask.
    people: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def waiting(self) -> dict[str, list[str]]:
        """Who must still sign off: each owner, with the systems waiting for them, in order."""
        waiting: dict[str, list[str]] = {}
        for result in self.systems:
            for owner in result.waiting_on:
                waiting.setdefault(owner, []).append(result.id)
        return waiting

    @property
    def exit_code(self) -> int:
        return EXIT_PASS if self.verdict == "pass" else EXIT_BLOCKED
