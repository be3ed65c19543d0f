"""The HTML report: one self-contained page for a change review board, to read, print or attach."""

from __future__ import annotations

from collections.abc import Sequence

from gate.git.diff import Changed
from gate.report.html_page import inert, page, verdict_header
from gate.report.html_systems import systems
from gate.report.records import Report
from gate.report.words import (
    NO_SYSTEM,
    NOT_COUNTED,
    VIOLATED,
    counted,
    headline,
    unsignable_sentence,
    violation_sentence,
)

FILES_SHOWN = 40  # more changed files than this fold too
LISTED = 6  # the summary of what blocks lists this many of each kind, and folds the rest


def render(report: Report) -> str:
    anchors = {result.id: f"system-{index}" for index, result in enumerate(report.systems)}
    title = f"{report.verdict.upper()}: change {report.merge_base[:12]}..{report.head[:12]}"
    body = [
        verdict_header(
            report.verdict,
            report.verdict.upper(),
            # The headline opens with the verdict word, which the badge carries as a shape.
            headline(report).removeprefix(report.verdict.upper() + ": "),
            _facts(report),
        ),
        "<main>",
        _blocking(report, anchors),
        _change(report),
        _impact(report, anchors),
        systems(report, anchors),
        _unmapped(report),
        _ignored(report),
        _notes(report),
        _evidence(report),
        "</main>",
    ]
    return page(f"change-impact-gate: {title}", "".join(body))


def _facts(report: Report) -> list[tuple[int | str, str]]:
    touched = sum(1 for r in report.systems if r.affected == "touched")
    violations = sum(len(r.violations) for r in report.systems)
    return [
        (touched, "touched"),
        (len(report.systems) - touched, "impacted"),
        (len(report.pending), "waiting for sign-off"),
        (violations, "violation" if violations == 1 else "violations"),
        (len(report.changed), "changed file" if len(report.changed) == 1 else "changed files"),
    ]


def _blocking(report: Report, anchors: dict[str, str]) -> str:
    """What blocks, in short: violations, then the owners to chase (each once, with systems)."""
    if report.verdict == "pass":
        return ""
    parts = []
    violations = [violation_sentence(v) for r in report.systems for v in r.violations]
    if violations:
        parts.append(
            f"<h3>{VIOLATED} ({len(violations)})</h3>"
            + _folded([inert(sentence) for sentence in violations])
        )
    waiting = report.waiting()
    if waiting:
        owners = [
            f"<strong>{inert(owner)}</strong> for {_system_links(systems, anchors)}"
            for owner, systems in waiting.items()
        ]
        parts.append(
            f"<h3>Waiting for sign-off ({counted(len(report.pending), 'system')})</h3>"
            + _folded(owners)
        )
    if report.unsignable:
        parts.append(
            f'<p class="unsignable"><strong>'
            f"{inert(unsignable_sentence(report.unsignable))}</strong></p>"
        )
    if report.unmapped and report.unmapped_policy == "fail":
        parts.append(
            f"<h3>Unmapped files ({len(report.unmapped)})</h3><p>Changed files that match no"
            ' system, under policy <code>unmapped: fail</code>; <a href="#unmapped">see the'
            " list</a>.</p>"
        )
    return (
        '<section class="blocking" id="blocking"><h2>What stops this change</h2>'
        f"{''.join(parts)}</section>"
    )


def _folded(items: Sequence[str]) -> str:
    """A list whose first few items show; the rest fold into a <details> (opened for print)."""
    shown = "".join(f"<li>{item}</li>" for item in items[:LISTED])
    rest = items[LISTED:]
    if not rest:
        return f"<ul>{shown}</ul>"
    more = "".join(f"<li>{item}</li>" for item in rest)
    return f"<ul>{shown}</ul><details><summary>{len(rest)} more</summary><ul>{more}</ul></details>"


def _system_links(systems: Sequence[str], anchors: dict[str, str]) -> str:
    links = [f'<a href="#{anchors[sid]}">{inert(sid)}</a>' for sid in systems[:LISTED]]
    more = len(systems) - LISTED
    return ", ".join(links) + (f" and {more} more" if more > 0 else "")


def _change(report: Report) -> str:
    rows = [
        ("Base", _commit(report.base)),
        ("Merge base", _commit(report.merge_base)),
        ("Head", _commit(report.head)),
        (
            "Author",
            inert(report.author) if report.author else '<span class="muted">not given</span>',
        ),
        ("Map", f"<code>{inert(report.map_source)}</code>"),
        ("Map sha256", f"<code>{inert(report.map_sha256)}</code>"),
    ]
    meta = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return (
        '<section id="change"><h2>The change</h2>'
        f'<dl class="meta">{meta}</dl>{_changed_files(report.changed)}</section>'
    )


def _commit(sha: str) -> str:
    return f'<code title="{inert(sha)}">{inert(sha)}</code>'


def _changed_files(changed: Sequence[Changed]) -> str:
    if not changed:
        return '<p class="muted">No files changed.</p>'
    head = "<tr><th>Status</th><th>Path</th><th>Old path</th></tr>"
    rows = "".join(
        f'<tr><td><span class="status-letter" title="{_status_word(c.status)}">'
        f'{inert(c.status)}</span></td><td class="path">{inert(c.path)}</td>'
        f'<td class="path">{inert(c.old_path) if c.old_path else ""}</td></tr>'
        for c in changed
    )
    table = f"<table><thead>{head}</thead><tbody>{rows}</tbody></table>"
    opened = " open" if len(changed) <= FILES_SHOWN else ""
    summary = counted(len(changed), "changed file")
    return f"<details{opened}><summary>{summary}</summary>{table}</details>"


def _status_word(status: str) -> str:
    words = {"A": "added", "M": "modified", "D": "deleted", "R": "renamed", "C": "copied"}
    return words.get(status[:1], "type changed" if status.startswith("T") else status)


def _impact(report: Report, anchors: dict[str, str]) -> str:
    from gate.report import svg

    if not report.systems:
        return f'<section id="impact"><h2>Impact</h2><p>{NO_SYSTEM}</p></section>'
    legend = (
        '<ul class="legend">'
        '<li><span class="swatch touched"></span>● TOUCHED: the change edits it (solid thick'
        " border)</li>"
        '<li><span class="swatch impacted"></span>◌ impacted: reached through a dependency'
        " (dashed border)</li>"
        '<li><span class="swatch violated"></span>a version requirement violated</li>'
        "</ul>"
    )
    return (
        '<section id="impact"><h2>Impact</h2>'
        f'{legend}<div class="graph">{svg.render(report, anchors)}</div>'
        '<p class="muted">Arrows point from a system to what depends on it. Each column is one'
        " dependency step further from what the change touches; systems the change does not"
        " affect are not drawn. Select a system to see its details.</p></section>"
    )


def _unmapped(report: Report) -> str:
    if not report.unmapped:
        return ""
    items = "".join(f"<li><code>{inert(path)}</code></li>" for path in report.unmapped)
    return (
        f'<section id="unmapped"><h2>Unmapped files ({len(report.unmapped)})</h2>'
        f"<p>Changed files that match no system in the map (policy"
        f" <code>unmapped: {inert(report.unmapped_policy)}</code>).</p><ul>{items}</ul></section>"
    )


def _ignored(report: Report) -> str:
    if not report.ignored:
        return ""
    head = (
        "<tr><th>By</th><th>System</th><th>Source</th><th>Commit</th>"
        "<th>Why it does not count</th></tr>"
    )
    rows = "".join(
        f"<tr><td>{inert(i.by)}</td><td>{inert(i.system)}</td><td>{inert(i.source)}</td>"
        f"<td><code>{inert((i.commit or '')[:12])}</code></td><td>{inert(i.reason)}</td></tr>"
        for i in report.ignored
    )
    return (
        f'<section id="ignored"><h2>{NOT_COUNTED} ({len(report.ignored)})</h2>'
        f"<table><thead>{head}</thead><tbody>{rows}</tbody></table></section>"
    )


def _notes(report: Report) -> str:
    if not report.notes:
        return ""
    items = "".join(f"<li>{inert(note)}</li>" for note in report.notes)
    return f'<section id="notes"><h2>Notes</h2><ul>{items}</ul></section>'


def _evidence(report: Report) -> str:
    if report.evidence_sha256 is None:
        body = (
            "<p>No evidence record was written for this evaluation. <code>gate check --evidence"
            " FILE</code> writes one: a JSON record of what was evaluated and decided, with a"
            " sha256 over its content.</p>"
        )
    else:
        body = (
            "<p>This evaluation was recorded in an evidence record with sha256</p>"
            f'<p><code class="digest" id="evidence-sha256">{inert(report.evidence_sha256)}'
            "</code></p><p>To check that the record is intact, run"
            " <code>gate verify-evidence FILE</code> on it: it recomputes the hash, prints it"
            " and exits 0 when it matches, 1 when the record was altered.</p>"
        )
    return f'<section id="evidence"><h2>Evidence</h2><div class="evidence">{body}</div></section>'
