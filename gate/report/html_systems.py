"""The HTML report's table of affected systems: why, owners, version, sign-off, violations."""

from __future__ import annotations

from collections.abc import Iterable

from gate.report.html_page import affected_pill, inert
from gate.report.records import Report, Signoff, SystemResult, Violation
from gate.report.words import CHAINS_CUT, counted, rule_phrase, version_phrase

CHAINS_SHOWN = 3  # more chains than this fold into a <details>


def systems(report: Report, anchors: dict[str, str]) -> str:
    if not report.systems:
        return ""
    head = (
        "<tr><th>System</th><th>Why</th><th>Owners</th><th>Version</th><th>Sign-off</th>"
        "<th>Violations</th></tr>"
    )
    rows = "".join(_system_row(result, anchors[result.id]) for result in report.systems)
    return (
        f'<section id="systems"><h2>Affected systems ({len(report.systems)})</h2>'
        f'<table class="systems"><thead>{head}</thead><tbody>{rows}</tbody></table></section>'
    )


def _system_row(result: SystemResult, anchor: str) -> str:
    name = (
        f'<div class="sys-name">{inert(result.id)}</div>'
        f"{affected_pill(result.affected)}"
        + (f' <span class="kind">{inert(result.kind)}</span>' if result.kind else "")
        + (f'<div class="muted">{inert(result.description)}</div>' if result.description else "")
    )
    version = inert(version_phrase(result.version)) if result.version is not None else ""
    if result.version is not None and result.version.bump == "major":
        version = f"<strong>{version}</strong>"
    return (
        f'<tr class="system {inert(result.affected)}" id="{anchor}">'
        f"<td>{name}</td><td>{_why(result)}</td>"
        f"<td>{inert(', '.join(result.owners))}</td><td>{version}</td>"
        f"<td>{_signoff(result)}</td><td>{_violations(result.violations)}</td></tr>"
    )


def _why(result: SystemResult) -> str:
    if result.affected == "touched":
        return '<span class="muted">the change edits it</span>'
    chains = "".join(f"<li>{inert(' → '.join(chain))}</li>" for chain in result.because)
    if result.because_truncated:
        chains += f'<li class="muted">… {CHAINS_CUT}</li>'
    listed = f'<ul class="chains">{chains}</ul>'
    count = len(result.because)
    if count <= CHAINS_SHOWN and not result.because_truncated:
        return f"via{listed}"
    return f"<details><summary>via {counted(count, 'chain')}</summary>{listed}</details>"


def _signoff(result: SystemResult) -> str:
    state = result.signoff
    if not state.required:
        return '<span class="muted">not required</span>'
    given = "".join(f"<li>{_signoff_line(s)}</li>" for s in state.by)
    if state.satisfied:
        return f'<span class="ok">✓ signed off</span><ul class="plain">{given}</ul>'
    rule = rule_phrase(state.rule)
    waiting = ", ".join(result.waiting_on) or "its owners"
    so_far = f'<ul class="plain">{given}</ul>' if given else ""
    return (
        f'<span class="wait">waiting for {inert(waiting)}</span>'
        f'<div class="muted">needs {inert(rule)}</div>{so_far}'
    )


def _signoff_line(signoff: Signoff) -> str:
    who = inert(signoff.by)
    if signoff.url and signoff.url.startswith(("https://", "http://")):
        who = f'<a href="{inert(signoff.url)}">{who}</a>'
    parts = [
        who,
        inert(signoff.source),
        f'for <code title="{inert(signoff.commit)}">{inert(signoff.commit[:12])}</code>',
    ]
    if signoff.at:
        parts.append(f'<time class="nowrap">{inert(signoff.at)}</time>')
    line = " · ".join(parts)
    if signoff.note:
        line += f'<div class="muted">“{inert(signoff.note)}”</div>'
    return line


def _violations(violations: Iterable[Violation]) -> str:
    return "".join(
        '<div class="violation">'
        f'<span class="bad">requires {inert(v.dependency)} {inert(v.requires)}</span>'
        f" (rule <code>{inert(v.rule)}</code>): has {inert(v.version)}, "
        f"{inert(v.dependency)} is {inert(v.dependency_version)}"
        + (f'<div class="muted">{inert(v.reason)}</div>' if v.reason else "")
        + (
            '<div class="muted">already violated at the merge base</div>'
            if v.already_at_base
            else ""
        )
        + "</div>"
        for v in violations
    )
