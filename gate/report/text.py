"""The plain-text report, for terminals and CI logs."""

from __future__ import annotations

from collections.abc import Iterable

from gate.report.records import Report, SystemResult
from gate.report.terminal_text import shown
from gate.report.words import (
    CHAINS_CUT,
    NO_SYSTEM,
    NOT_COUNTED,
    VIOLATED,
    counted,
    headline,
    rule_phrase,
    unsignable_sentence,
    version_phrase,
    violation_sentence,
)

# Every value in the report (paths, versions, ids, logins, a comment's words) goes through
# shown(): a control character from the change must not move the cursor or end a line.


def render(report: Report) -> str:
    lines = [headline(report), ""]
    lines.append(
        f"change  {shown(report.merge_base[:12])}..{shown(report.head[:12])}"
        f"  ({counted(len(report.changed), 'changed path')}; base {shown(report.base[:12])})"
    )
    lines.append(f"map     {shown(_short(report.map_source))}")
    violations = [v for result in report.systems for v in result.violations]
    if violations:
        lines += ["", f"{VIOLATED} (these block whatever the sign-offs say):"]
        lines += [
            f"  {violation_sentence(v, value=shown, quote=_quoted, prose=shown)}"
            for v in violations
        ]
    if not report.systems:
        lines += ["", NO_SYSTEM]
    for result in report.systems:
        lines += ["", *_system(result)]
    if report.unmapped:
        lines += ["", f"Unmapped (policy: {report.unmapped_policy}): changed files no system owns"]
        lines += [f"  {shown(path)}" for path in report.unmapped]
    if report.ignored:
        lines += ["", NOT_COUNTED]
        lines += [
            f"  {shown(i.by)} for {shown(i.system)} ({i.source}): {shown(i.reason)}"
            for i in report.ignored
        ]
    for note in report.notes:
        lines += ["", f"note: {shown(note)}"]
    if report.unsignable:
        lines += ["", unsignable_sentence(report.unsignable, value=shown)]
    if report.pending:
        lines += ["", "Who must still sign off:"]
        lines += [
            f"  {shown(owner)}{_asked(report.people.get(owner, ()))}: {_listed(ids)}"
            for owner, ids in report.waiting().items()
        ]
    return "\n".join(lines) + "\n"


def _system(result: SystemResult) -> list[str]:
    kind = f"  [{shown(result.kind)}]" if result.kind else ""
    lines = [f"{shown(result.id)}  {result.affected}{kind}  owners: {_listed(result.owners)}"]
    for chain in result.because:
        lines.append("  via " + " -> ".join(map(shown, chain)))
    if result.because_truncated:
        lines.append(f"  ({CHAINS_CUT})")
    if result.version is not None:
        lines.append("  version " + version_phrase(result.version, value=shown))
    for violation in result.violations:
        lines.append(
            f"  VIOLATES {shown(violation.requires)}, required by {shown(violation.dependency)}"
            f" {shown(violation.dependency_version)}"
        )
    lines.append("  sign-off: " + _signoff(result))
    return lines


def _signoff(result: SystemResult) -> str:
    signoff = result.signoff
    if not signoff.required:
        return "not required (policy signoff-touched: false)"
    given = ", ".join(f"{shown(s.by)} ({s.source}, {shown(s.commit[:12])})" for s in signoff.by)
    if signoff.satisfied:
        return f"done by {given}"
    waiting = f"waiting for {_listed(signoff.waiting_for)} ({rule_phrase(signoff.rule)})"
    return f"{waiting}; so far {given}" if given else waiting


def _listed(values: Iterable[str]) -> str:
    return ", ".join(map(shown, values))


def _quoted(text: str) -> str:
    return f'"{shown(text)}"'


def _short(source: str) -> str:
    name, at, sha = source.rpartition("@")
    return f"{name}@{sha[:12]}" if at and len(sha) == 40 else source


def _asked(people: tuple[str, ...]) -> str:
    """' (ask alice, bob)' beside a team: who to ask for it; nothing for a login or no one."""
    return f" (ask {', '.join(shown(person) for person in people)})" if people else ""
