"""The outcome of one evaluation: the record every renderer draws from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from gate.errors import EXIT_BLOCKED, EXIT_PASS

Verdict = Literal["pass", "blocked"]
Affected = Literal["touched", "impacted"]
SCHEMA = "change-impact-gate/report/v1"


@dataclass(frozen=True, kw_only=True)
class Changed:
    status: str  # git's letter: A, M, D, R, C, T
    path: str
    old_path: str | None = None


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
    unmapped_policy: str = "warn"
    author: str | None = None
    ignored: tuple[Ignored, ...] = ()
    edges: tuple[tuple[str, str], ...] = ()  # (dependency, dependent) edges impact crossed
    notes: tuple[str, ...] = field(default=())  # warnings a reader should see
    evidence_sha256: str | None = None  # of the evidence record written for this evaluation

    @property
    def exit_code(self) -> int:
        return EXIT_PASS if self.verdict == "pass" else EXIT_BLOCKED


def violation_sentence(violation: Violation) -> str:
    """A violation in words a reviewer reads once and understands."""
    mine = f"{violation.dependent} {violation.version}"
    if violation.version_at:
        mine += f" ({violation.version_at})"
    theirs = f"{violation.dependency} {violation.dependency_version}"
    if violation.dependency_version_at:
        theirs += f" ({violation.dependency_version_at})"
    rule = violation.requires
    if violation.rule != violation.requires:
        rule += f' (rule "{violation.rule}")'
    sentence = f"{mine} does not satisfy {rule} required by {theirs}"
    if violation.reason:
        sentence += f": {violation.reason}"
    if violation.already_at_base:
        sentence += " [already violated at the merge base]"
    return sentence


def version_phrase(version: VersionChange) -> str:
    """'9.2.18 -> 9.6.1 (major)', 'unchanged 9.2.18', 'added 1.0', ..."""
    if version.bump is None:
        return f"{version.after or version.before} (unchanged)"
    phrase = f"{version.before or 'none'} -> {version.after or 'none'} ({version.bump}"
    if version.downgrade:
        phrase += ", DOWNGRADE"
    return phrase + ")"


def rule_phrase(rule: str) -> str:
    """What a sign-off rule asks for: 'one owner', 'one per owner', '2 approvals'."""
    return {"any": "one owner", "all": "one per owner"}.get(rule, f"{rule} approvals")


def headline(report: Report) -> str:
    """One line: the verdict and why."""
    if report.verdict == "pass":
        affected = len(report.systems)
        return f"PASS: {affected} affected system(s), every required sign-off is in."
    reasons = []
    if report.pending:
        reasons.append(f"{len(report.pending)} system(s) wait for sign-off")
    violations = sum(len(result.violations) for result in report.systems)
    if violations:
        reasons.append(f"{violations} version requirement(s) violated")
    if report.unmapped and report.unmapped_policy == "fail":
        reasons.append(f"{len(report.unmapped)} changed file(s) match no system")
    return "BLOCKED: " + "; ".join(reasons) + "."


def render(report: Report, form: str) -> str:
    """The report in one of the formats: text, json, markdown."""
    if form == "json":
        from gate.report import jsondoc

        return jsondoc.render(report)
    if form == "markdown":
        from gate.report import markdown

        return markdown.render(report)
    if form == "html":
        from gate.report import html

        return html.render(report)
    from gate.report import text

    return text.render(report)
