"""The plain-text report, for terminals and CI logs."""

from __future__ import annotations

from gate.report import Report, SystemResult, headline, version_phrase, violation_sentence


def render(report: Report) -> str:
    lines = [headline(report), ""]
    lines.append(
        f"change  {report.merge_base[:12]}..{report.head[:12]}"
        f"  ({len(report.changed)} changed path(s); base {report.base[:12]})"
    )
    lines.append(f"map     {_short(report.map_source)}")
    if not report.systems:
        lines += ["", "The change touches no system in the map."]
    for result in report.systems:
        lines += ["", *_system(result)]
    if report.unmapped:
        lines += ["", f"Unmapped (policy: {report.unmapped_policy}): changed files no system owns"]
        lines += [f"  {path}" for path in report.unmapped]
    if report.ignored:
        lines += ["", "Sign-offs that do not count"]
        lines += [f"  {i.by} for {i.system} ({i.source}): {i.reason}" for i in report.ignored]
    for note in report.notes:
        lines += ["", f"note: {note}"]
    if report.pending:
        lines += ["", "Pending sign-off: " + ", ".join(report.pending)]
    return "\n".join(lines) + "\n"


def _system(result: SystemResult) -> list[str]:
    kind = f"  [{result.kind}]" if result.kind else ""
    lines = [f"{result.id}  {result.affected}{kind}  owners: {', '.join(result.owners)}"]
    for chain in result.because:
        lines.append("  via " + " -> ".join(chain))
    if result.because_truncated:
        lines.append("  (more chains lead here; the list is cut)")
    if result.version is not None:
        lines.append("  version " + version_phrase(result.version))
    for violation in result.violations:
        lines.append("  VIOLATION " + violation_sentence(violation))
    lines.append("  sign-off: " + _signoff(result))
    return lines


def _signoff(result: SystemResult) -> str:
    signoff = result.signoff
    if not signoff.required:
        return "not required (policy signoff-touched: false)"
    given = ", ".join(f"{s.by} ({s.source}, {s.commit[:12]})" for s in signoff.by)
    if signoff.satisfied:
        return f"done by {given}"
    rule = {"any": "one owner", "all": "every owner"}.get(signoff.rule, f"{signoff.rule} owners")
    waiting = f"waiting for {', '.join(signoff.waiting_for)} ({rule})"
    return f"{waiting}; so far {given}" if given else waiting


def _short(source: str) -> str:
    name, at, sha = source.rpartition("@")
    return f"{name}@{sha[:12]}" if at and len(sha) == 40 else source
