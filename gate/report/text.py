"""The plain-text report, for terminals and CI logs."""

from __future__ import annotations

from gate.report.records import Report, SystemResult
from gate.report.words import (
    CHAINS_CUT,
    NO_SYSTEM,
    NOT_COUNTED,
    VIOLATED,
    headline,
    rule_phrase,
    version_phrase,
    violation_sentence,
)


def render(report: Report) -> str:
    lines = [headline(report), ""]
    lines.append(
        f"change  {report.merge_base[:12]}..{report.head[:12]}"
        f"  ({len(report.changed)} changed path(s); base {report.base[:12]})"
    )
    lines.append(f"map     {_short(report.map_source)}")
    violations = [v for result in report.systems for v in result.violations]
    if violations:
        lines += ["", f"{VIOLATED} (these block whatever the sign-offs say):"]
        lines += [f"  {violation_sentence(v)}" for v in violations]
    if not report.systems:
        lines += ["", NO_SYSTEM]
    for result in report.systems:
        lines += ["", *_system(result)]
    if report.unmapped:
        lines += ["", f"Unmapped (policy: {report.unmapped_policy}): changed files no system owns"]
        lines += [f"  {path}" for path in report.unmapped]
    if report.ignored:
        lines += ["", NOT_COUNTED]
        lines += [f"  {i.by} for {i.system} ({i.source}): {i.reason}" for i in report.ignored]
    for note in report.notes:
        lines += ["", f"note: {note}"]
    if report.pending:
        lines += ["", "Who must still sign off:"]
        lines += [f"  {owner}: {', '.join(ids)}" for owner, ids in report.waiting().items()]
    return "\n".join(lines) + "\n"


def _system(result: SystemResult) -> list[str]:
    kind = f"  [{result.kind}]" if result.kind else ""
    lines = [f"{result.id}  {result.affected}{kind}  owners: {', '.join(result.owners)}"]
    for chain in result.because:
        lines.append("  via " + " -> ".join(chain))
    if result.because_truncated:
        lines.append(f"  ({CHAINS_CUT})")
    if result.version is not None:
        lines.append("  version " + version_phrase(result.version))
    for violation in result.violations:
        lines.append(
            f"  VIOLATES {violation.requires}, required by {violation.dependency}"
            f" {violation.dependency_version}"
        )
    lines.append("  sign-off: " + _signoff(result))
    return lines


def _signoff(result: SystemResult) -> str:
    signoff = result.signoff
    if not signoff.required:
        return "not required (policy signoff-touched: false)"
    given = ", ".join(f"{s.by} ({s.source}, {s.commit[:12]})" for s in signoff.by)
    if signoff.satisfied:
        return f"done by {given}"
    waiting = f"waiting for {', '.join(signoff.waiting_for)} ({rule_phrase(signoff.rule)})"
    return f"{waiting}; so far {given}" if given else waiting


def _short(source: str) -> str:
    name, at, sha = source.rpartition("@")
    return f"{name}@{sha[:12]}" if at and len(sha) == 40 else source
