"""The board's agenda, drawn: one HTML page or a Markdown list of pull requests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gate.report.html_page import affected_pill, inert, page, verdict_header
from gate.report.markdown import violation_line
from gate.report.markdown_text import code, fence, link_target, plain
from gate.report.records import Report
from gate.report.words import counted, headline, icon, version_phrase, violation_sentence


@dataclass(frozen=True, kw_only=True)
class Item:
    """One open pull request and what its evaluation found (or why there is none)."""

    number: int
    title: str
    url: str
    author: str
    base: str
    head: str
    base_ref: str = ""
    draft: bool = False
    report: Report | None = None
    error: str | None = None


@dataclass(frozen=True, kw_only=True)
class Agenda:
    repository: str
    generated_at: str  # ISO 8601, UTC
    items: tuple[Item, ...]  # riskiest first
    notes: tuple[str, ...] = ()


def major_bumps(report: Report, *, value: Callable[[str], str] = str) -> list[str]:
    """Each system whose major version the change bumps, with the bump; values through `value`."""
    return [
        f"{value(s.id)} {version_phrase(s.version, value=value)}"
        for s in report.systems
        if s.version is not None and s.version.bump == "major"
    ]


def _web(url: str) -> bool:
    """Whether `url` is a web address a page may link to (never javascript: or data:)."""
    return url.startswith(("https://", "http://"))


def _counts(agenda: Agenda) -> tuple[int, int, int]:
    failed = sum(1 for i in agenda.items if i.report is None)
    blocked = sum(1 for i in agenda.items if i.report is not None and i.report.verdict != "pass")
    return failed, blocked, len(agenda.items) - failed - blocked


# -- HTML ---------------------------------------------------------------------------------------


def render_html(agenda: Agenda) -> str:
    failed, blocked, passed = _counts(agenda)
    header = verdict_header(
        "error" if failed else "agenda",
        "INCOMPLETE" if failed else "AGENDA",
        f"Change review board agenda for {agenda.repository}",
        [
            (len(agenda.items), "open pull requests"),
            (failed, "could not be evaluated"),
            (blocked, "blocked"),
            (passed, "pass"),
        ],
    )
    notes = "".join(f'<p class="muted">{inert(note)}</p>' for note in agenda.notes)
    intro = (
        f'<p class="muted">Generated {inert(agenda.generated_at)}; riskiest first: pull'
        " requests that could not be evaluated, then by violated requirements, impacted"
        f" systems and major version bumps.</p>{notes}"
    )
    cards = "".join(_card(item) for item in agenda.items)
    if not agenda.items:
        cards = "<p>No open pull requests.</p>"
    body = f'{header}<main><section id="agenda"><h2>Agenda</h2>{intro}{cards}</section></main>'
    return page(f"Change review board agenda: {agenda.repository}", body)


def _card(item: Item) -> str:
    title = f"#{item.number} {item.title}".strip()
    link = f'<a href="{inert(item.url)}">{inert(title)}</a>' if _web(item.url) else inert(title)
    who = f"by {inert(item.author)}" if item.author else ""
    draft = " · draft" if item.draft else ""
    commits = (
        f" · <code>{inert(item.base[:12])}..{inert(item.head[:12])}</code>" if item.head else ""
    )
    report = item.report
    if report is None:
        error = " ".join(map(inert, (item.error or "").split("\n")))
        return (
            f'<article class="card error" data-pull="{item.number}"><h3>{link}</h3>'
            f'<p class="muted">{who}{draft}{commits}</p>'
            f'<p><span class="badge error">ERROR</span> <strong>could not evaluate:</strong>'
            f" {error}</p></article>"
        )
    rows = [
        (
            "Verdict",
            f'<span class="badge {report.verdict}">{report.verdict.upper()}</span> '
            f"{inert(headline(report).split(': ', 1)[-1])}",
        )
    ]
    chips = "".join(
        f'<span class="chip">{affected_pill(s.affected)}<code>{inert(s.id)}</code></span>'
        for s in report.systems
    )
    rows.append(("Affected", chips or '<span class="muted">no system</span>'))
    waiting = report.waiting()
    if waiting:
        rows.append(
            (
                "Waiting for",
                "; ".join(
                    f"<strong>{inert(owner)}</strong> ({inert(', '.join(systems))})"
                    for owner, systems in waiting.items()
                ),
            )
        )
    bumps = major_bumps(report)
    if bumps:
        rows.append(("Major bumps", "; ".join(inert(b) for b in bumps)))
    violations = [violation_sentence(v) for s in report.systems for v in s.violations]
    if violations:
        rows.append(
            ("Violations", "".join(f'<div class="violation">{inert(v)}</div>' for v in violations))
        )
    if report.unmapped:
        rows.append(("Unmapped", ", ".join(f"<code>{inert(p)}</code>" for p in report.unmapped)))
    table = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return (
        f'<article class="card {report.verdict}" data-pull="{item.number}"><h3>{link}</h3>'
        f'<p class="muted">{who}{draft}{commits}</p><dl class="meta">{table}</dl></article>'
    )


# -- Markdown -----------------------------------------------------------------------------------


def render_markdown(agenda: Agenda) -> str:
    failed, blocked, passed = _counts(agenda)
    lines = [
        f"# Change review board agenda: {_md(agenda.repository)}",
        "",
        f"{counted(len(agenda.items), 'open pull request')}: {failed} could not be evaluated,"
        f" {blocked} blocked, {passed} pass. Generated {agenda.generated_at}, riskiest first.",
    ]
    lines += [f"\n> {_md(note)}" for note in agenda.notes]
    if not agenda.items:
        lines += ["", "No open pull requests."]
    for item in agenda.items:
        lines += ["", *_markdown_item(item)]
    return "\n".join(lines) + "\n"


def _markdown_item(item: Item) -> list[str]:
    # The title is the pull request author's words: code, after the number that links.
    number = f"[#{item.number}]({link_target(item.url)})" if _web(item.url) else f"#{item.number}"
    link = f"{number} {code(item.title)}" if item.title else number
    report = item.report
    if report is None:
        return [
            f"## ⛔ {link}",
            "",
            "**could not evaluate:**",
            "",
            fence(item.error or "").rstrip(),
        ]
    lines = [
        f"## {icon(report)} {link}",
        "",
        f"by {code('@' + item.author)}{' (draft)' if item.draft else ''},"
        f" {code(f'{item.base[:12]}..{item.head[:12]}')}: **{_md(headline(report))}**",
        "",
    ]
    affected = ", ".join(f"{code(s.id)} ({s.affected})" for s in report.systems)
    lines.append(f"- Affected: {affected or 'no system'}")
    waiting = report.waiting()
    if waiting:
        lines.append(
            "- Waiting for: "
            + "; ".join(f"{_md(o)} ({', '.join(_md(s) for s in ss)})" for o, ss in waiting.items())
        )
    bumps = major_bumps(report, value=code)
    if bumps:
        lines.append("- Major bumps: " + "; ".join(bumps))
    for result in report.systems:
        for violation in result.violations:
            lines.append(f"- Violation: {violation_line(violation)}")
    if report.unmapped:
        lines.append("- Unmapped: " + ", ".join(code(p) for p in report.unmapped))
    return lines


def _md(text: str) -> str:
    """Text from the repository or the API, inert in Markdown, `>` included: notes are quoted."""
    return plain(text, quote=True)
