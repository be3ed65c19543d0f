"""The HTML report: one self-contained page for a change review board, to read, print or attach."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from gate import __version__
from gate.git.diff import Changed
from gate.report.records import Report, Signoff, SystemResult, Violation
from gate.report.words import headline, rule_phrase, version_phrase, violation_sentence

CHAINS_SHOWN = 3  # more chains than this fold into a <details>
FILES_SHOWN = 40  # more changed files than this fold too
LISTED = 6  # the summary of what blocks lists this many of each kind, and folds the rest

# Inline and system fonts only: the page must render the same offline, attached to a record.
STYLE = """
:root{--ink:#101828;--muted:#475467;--line:#e4e7ec;--panel:#f9fafb;--bad:#b42318;
--bad-bg:#fef3f2;--good:#067647;--good-bg:#ecfdf3;--warn:#93370d;--warn-line:#b54708;
--warn-bg:#fffaeb;--link:#175cd3;
--sans:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans",
"DejaVu Sans",sans-serif;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 var(--sans);color:var(--ink);background:#fff}
main,.verdict-inner{max-width:1120px;margin:0 auto;padding:0 24px}
a{color:var(--link)}
code,.mono{font-family:var(--mono);font-size:.9em}
h2{font-size:13px;letter-spacing:.08em;text-transform:uppercase;color:var(--muted);
margin:36px 0 10px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:0}
.verdict{border-bottom:1px solid var(--line);padding:28px 0 22px}
.verdict.blocked{background:var(--bad-bg);border-top:6px solid var(--bad)}
.verdict.pass{background:var(--good-bg);border-top:6px solid var(--good)}
.verdict.error{background:var(--bad-bg);border-top:6px double var(--bad)}
.verdict.agenda{background:var(--panel);border-top:6px solid #344054}
.product{margin:0 0 8px;color:var(--muted);font-size:13px}
.badge{display:inline-block;font-weight:700;letter-spacing:.06em;border-radius:4px;
padding:2px 10px;font-size:14px;color:#fff;vertical-align:middle}
.badge.blocked,.badge.error{background:var(--bad)}
.badge.pass{background:var(--good)}
.badge.agenda{background:#344054}
.verdict h1{display:inline;font-size:22px;line-height:1.35;margin:0 0 0 10px;
vertical-align:middle}
.facts{display:flex;flex-wrap:wrap;gap:8px 22px;margin:14px 0 0;padding:0;list-style:none;
color:var(--muted)}
.facts b{color:var(--ink);font-size:17px}
.blocking{border:1px solid #fecdca;border-left:6px solid var(--bad);background:#fff;
border-radius:6px;padding:12px 18px;margin-top:24px}
.blocking h2{border:0;margin:4px 0 6px;color:var(--bad)}
.blocking h3{font-size:14px;margin:12px 0 2px}
.blocking ul{margin:0;padding-left:20px}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;margin:0}
dl.meta dt{color:var(--muted)}
dl.meta dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;font-size:14px}
th{text-align:left;font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;
letter-spacing:.05em;border-bottom:1px solid var(--line);padding:6px 10px}
td{border-bottom:1px solid var(--line);padding:8px 10px;vertical-align:top;
overflow-wrap:anywhere}
td.path{font-family:var(--mono);font-size:13px}
.status-letter{display:inline-block;min-width:1.6em;text-align:center;font-weight:700;
font-family:var(--mono);border:1px solid var(--line);border-radius:4px;background:var(--panel)}
.legend{display:flex;flex-wrap:wrap;gap:6px 20px;margin:0 0 10px;color:var(--muted);
font-size:13px;padding:0;list-style:none}
.swatch{display:inline-block;width:26px;height:14px;border-radius:4px;vertical-align:-2px;
margin-right:6px}
.swatch.touched{border:3px solid var(--bad);background:var(--bad-bg)}
.swatch.impacted{border:2px dashed var(--warn-line);background:var(--warn-bg)}
.swatch.violated{border:0;border-top:3px solid var(--bad);height:0;width:26px;border-radius:0}
.graph{overflow-x:auto;border:1px solid var(--line);border-radius:8px;background:var(--panel);
padding:4px}
.graph svg{display:block;font-family:var(--sans)}
svg .layer{font-size:12px;fill:var(--muted);letter-spacing:.05em;text-transform:uppercase}
svg .node rect{fill:#fff;stroke-width:1.5}
svg .node.touched rect{fill:var(--bad-bg);stroke:var(--bad);stroke-width:3.5}
svg .node.impacted rect{fill:var(--warn-bg);stroke:var(--warn-line);stroke-dasharray:7 4;
stroke-width:1.8}
svg .node a:hover rect,svg .node a:focus rect{filter:brightness(.96)}
svg .name{font-size:13.5px;font-weight:700;fill:var(--ink)}
svg .detail{font-size:12px;fill:var(--muted)}
svg .node.touched .detail{fill:var(--bad);font-weight:600}
svg .node.impacted .detail{fill:var(--warn)}
svg .status{font-size:12px;fill:var(--muted)}
svg .status.bad{fill:var(--bad);font-weight:700}
svg .status.good{fill:var(--good);font-weight:600}
svg .edge{fill:none;stroke:#98a2b3;stroke-width:1.5}
svg .edge.violated{stroke:var(--bad);stroke-width:2.5}
svg.dense .edge{stroke-opacity:.35}
svg.dense .edge.violated{stroke-opacity:.9}
.pill{display:inline-block;font-size:11px;font-weight:700;letter-spacing:.06em;
border-radius:10px;padding:0 8px;white-space:nowrap}
.pill.touched{background:var(--bad);color:#fff;border:2px solid var(--bad)}
.pill.impacted{color:var(--warn);border:2px dashed var(--warn-line);background:var(--warn-bg)}
table.systems{table-layout:fixed}
table.systems th:nth-child(1){width:21%}
table.systems th:nth-child(2){width:23%}
table.systems th:nth-child(3){width:10%}
table.systems th:nth-child(4){width:12%}
table.systems th:nth-child(5){width:16%}
table.systems th:nth-child(6){width:18%}
tr.system:target td{background:#eff8ff}
.sys-name{font-weight:700;font-family:var(--mono);font-size:14px}
.kind,.muted{color:var(--muted);font-size:13px}
ul.plain{list-style:none;margin:0;padding:0}
ul.chains{margin:4px 0 0;padding-left:18px;font-family:var(--mono);font-size:12.5px}
.ok{color:var(--good);font-weight:600}
.nowrap{white-space:nowrap}
.wait{color:var(--warn);font-weight:600}
.bad{color:var(--bad);font-weight:700}
.violation{border-left:3px solid var(--bad);padding:2px 0 2px 8px;margin:0 0 6px}
details summary{cursor:pointer;color:var(--link)}
.evidence{background:var(--panel);border:1px solid var(--line);border-radius:8px;
padding:12px 18px}
.evidence code.digest{font-size:13px;overflow-wrap:anywhere}
.card{border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:0 0 14px}
.card.blocked{border-left:6px solid var(--bad)}
.card.pass{border-left:6px solid var(--good)}
.card.error{border-left:6px double var(--bad);background:var(--bad-bg)}
.card h3 a{text-decoration:none}
.card dl.meta{grid-template-columns:8em 1fr;margin-top:8px}
.chip{display:inline-block;margin:0 14px 4px 0;white-space:nowrap}
.chip .pill{margin-right:5px}
footer{max-width:1120px;margin:40px auto 30px;padding:12px 24px 0;color:var(--muted);
font-size:12px;border-top:1px solid var(--line)}
@media print{
@page{margin:14mm}
body{font-size:10.5pt}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
main,.verdict-inner{max-width:none;padding:0}
.verdict{padding:10px 12px}
.graph{overflow:visible;border:0;padding:0;background:none}
.graph svg{max-width:100%;height:auto}
tr,.card,.violation,.blocking{break-inside:avoid}
h2{break-after:avoid}
details summary{color:var(--muted)}
a{color:inherit;text-decoration:none}
}
"""

# Printing shows every folded list: a board's printed copy must not hide chains behind a click.
PRINT_OPENS_DETAILS = (
    "<script>addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details').forEach(function(d){d.open=true})})</script>"
)


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
        _systems(report, anchors),
        _unmapped(report),
        _ignored(report),
        _notes(report),
        _evidence(report),
        "</main>",
    ]
    return page(f"change-impact-gate: {title}", "".join(body))


def page(title: str, body: str) -> str:
    """A complete, self-contained HTML document around `body`."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="generator" content="change-impact-gate '
        f'{escape(__version__)}"><title>{escape(title)}</title><style>{STYLE}</style>'
        f"{PRINT_OPENS_DETAILS}</head><body>{body}"
        f"<footer>change-impact-gate {escape(__version__)}</footer></body></html>\n"
    )


def verdict_header(
    state: str, badge: str, line: str, facts: Sequence[tuple[int | str, str]]
) -> str:
    """The band at the top: `state` (pass, blocked, error, agenda) sets its colour."""
    items = "".join(f"<li><b>{escape(str(n))}</b> {escape(what)}</li>" for n, what in facts)
    return (
        f'<header class="verdict {escape(state)}"><div class="verdict-inner">'
        '<p class="product">change-impact-gate</p>'
        f'<span class="badge {escape(state)}" id="verdict">{escape(badge)}</span>'
        f"<h1>{escape(line)}</h1>"
        f'<ul class="facts">{items}</ul></div></header>'
    )


def affected_pill(affected: str) -> str:
    label = "TOUCHED" if affected == "touched" else "impacted"
    return f'<span class="pill {escape(affected)}">{label}</span>'


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
            f"<h3>Version requirements violated ({len(violations)})</h3>"
            + _folded([escape(sentence) for sentence in violations])
        )
    waiting = report.waiting()
    if waiting:
        owners = [
            f"<strong>{escape(owner)}</strong> for {_system_links(systems, anchors)}"
            for owner, systems in waiting.items()
        ]
        parts.append(
            f"<h3>Waiting for sign-off ({len(report.pending)} system(s))</h3>" + _folded(owners)
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
    links = [f'<a href="#{anchors[sid]}">{escape(sid)}</a>' for sid in systems[:LISTED]]
    more = len(systems) - LISTED
    return ", ".join(links) + (f" and {more} more" if more > 0 else "")


def _change(report: Report) -> str:
    rows = [
        ("Base", _commit(report.base)),
        ("Merge base", _commit(report.merge_base)),
        ("Head", _commit(report.head)),
        (
            "Author",
            escape(report.author) if report.author else '<span class="muted">not given</span>',
        ),
        ("Map", f"<code>{escape(report.map_source)}</code>"),
        ("Map sha256", f"<code>{escape(report.map_sha256)}</code>"),
    ]
    meta = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return (
        '<section id="change"><h2>The change</h2>'
        f'<dl class="meta">{meta}</dl>{_changed_files(report.changed)}</section>'
    )


def _commit(sha: str) -> str:
    return f'<code title="{escape(sha)}">{escape(sha)}</code>'


def _changed_files(changed: Sequence[Changed]) -> str:
    if not changed:
        return '<p class="muted">No files changed.</p>'
    head = "<tr><th>Status</th><th>Path</th><th>Old path</th></tr>"
    rows = "".join(
        f'<tr><td><span class="status-letter" title="{_status_word(c.status)}">'
        f'{escape(c.status)}</span></td><td class="path">{escape(c.path)}</td>'
        f'<td class="path">{escape(c.old_path) if c.old_path else ""}</td></tr>'
        for c in changed
    )
    table = f"<table><thead>{head}</thead><tbody>{rows}</tbody></table>"
    opened = " open" if len(changed) <= FILES_SHOWN else ""
    return f"<details{opened}><summary>{len(changed)} changed file(s)</summary>{table}</details>"


def _status_word(status: str) -> str:
    words = {"A": "added", "M": "modified", "D": "deleted", "R": "renamed", "C": "copied"}
    return words.get(status[:1], "type changed" if status.startswith("T") else status)


def _impact(report: Report, anchors: dict[str, str]) -> str:
    from gate.report import svg

    if not report.systems:
        return (
            '<section id="impact"><h2>Impact</h2>'
            "<p>The change touches no system in the map.</p></section>"
        )
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


def _systems(report: Report, anchors: dict[str, str]) -> str:
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
        f'<div class="sys-name">{escape(result.id)}</div>'
        f"{affected_pill(result.affected)}"
        + (f' <span class="kind">{escape(result.kind)}</span>' if result.kind else "")
        + (f'<div class="muted">{escape(result.description)}</div>' if result.description else "")
    )
    version = escape(version_phrase(result.version)) if result.version is not None else ""
    if result.version is not None and result.version.bump == "major":
        version = f"<strong>{version}</strong>"
    return (
        f'<tr class="system {escape(result.affected)}" id="{anchor}">'
        f"<td>{name}</td><td>{_why(result)}</td>"
        f"<td>{escape(', '.join(result.owners))}</td><td>{version}</td>"
        f"<td>{_signoff(result)}</td><td>{_violations(result.violations)}</td></tr>"
    )


def _why(result: SystemResult) -> str:
    if result.affected == "touched":
        return '<span class="muted">the change edits it</span>'
    chains = "".join(f"<li>{escape(' → '.join(chain))}</li>" for chain in result.because)
    if result.because_truncated:
        chains += '<li class="muted">… more chains lead here; the list is cut</li>'
    listed = f'<ul class="chains">{chains}</ul>'
    count = len(result.because)
    if count <= CHAINS_SHOWN and not result.because_truncated:
        return f"via{listed}"
    return f"<details><summary>via {count} chain(s)</summary>{listed}</details>"


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
        f'<span class="wait">waiting for {escape(waiting)}</span>'
        f'<div class="muted">needs {escape(rule)}</div>{so_far}'
    )


def _signoff_line(signoff: Signoff) -> str:
    who = escape(signoff.by)
    if signoff.url and signoff.url.startswith(("https://", "http://")):
        who = f'<a href="{escape(signoff.url)}">{who}</a>'
    parts = [
        who,
        escape(signoff.source),
        f'for <code title="{escape(signoff.commit)}">{escape(signoff.commit[:12])}</code>',
    ]
    if signoff.at:
        parts.append(f'<time class="nowrap">{escape(signoff.at)}</time>')
    line = " · ".join(parts)
    if signoff.note:
        line += f'<div class="muted">“{escape(signoff.note)}”</div>'
    return line


def _violations(violations: Iterable[Violation]) -> str:
    return "".join(
        '<div class="violation">'
        f'<span class="bad">requires {escape(v.dependency)} {escape(v.requires)}</span>'
        f" (rule <code>{escape(v.rule)}</code>): has {escape(v.version)}, "
        f"{escape(v.dependency)} is {escape(v.dependency_version)}"
        + (f'<div class="muted">{escape(v.reason)}</div>' if v.reason else "")
        + (
            '<div class="muted">already violated at the merge base</div>'
            if v.already_at_base
            else ""
        )
        + "</div>"
        for v in violations
    )


def _unmapped(report: Report) -> str:
    if not report.unmapped:
        return ""
    items = "".join(f"<li><code>{escape(path)}</code></li>" for path in report.unmapped)
    return (
        f'<section id="unmapped"><h2>Unmapped files ({len(report.unmapped)})</h2>'
        f"<p>Changed files that match no system in the map (policy"
        f" <code>unmapped: {escape(report.unmapped_policy)}</code>).</p><ul>{items}</ul></section>"
    )


def _ignored(report: Report) -> str:
    if not report.ignored:
        return ""
    head = (
        "<tr><th>By</th><th>System</th><th>Source</th><th>Commit</th>"
        "<th>Why it does not count</th></tr>"
    )
    rows = "".join(
        f"<tr><td>{escape(i.by)}</td><td>{escape(i.system)}</td><td>{escape(i.source)}</td>"
        f"<td><code>{escape((i.commit or '')[:12])}</code></td><td>{escape(i.reason)}</td></tr>"
        for i in report.ignored
    )
    return (
        f'<section id="ignored"><h2>Sign-offs that do not count ({len(report.ignored)})</h2>'
        f"<table><thead>{head}</thead><tbody>{rows}</tbody></table></section>"
    )


def _notes(report: Report) -> str:
    if not report.notes:
        return ""
    items = "".join(f"<li>{escape(note)}</li>" for note in report.notes)
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
            f'<p><code class="digest" id="evidence-sha256">{escape(report.evidence_sha256)}'
            "</code></p><p>To check that the record is intact, run"
            " <code>gate verify-evidence FILE</code> on it: it recomputes the hash, prints it"
            " and exits 0 when it matches, 1 when the record was altered.</p>"
        )
    return f'<section id="evidence"><h2>Evidence</h2><div class="evidence">{body}</div></section>'
