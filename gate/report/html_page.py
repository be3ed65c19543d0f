"""The HTML page around a report or an agenda: the document, its style, the verdict band."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from html import escape
from importlib import resources

from gate import __version__
from gate.report.terminal_text import shown

# Printing shows every folded list: a board's printed copy must not hide chains behind a click.
PRINT_OPENS_DETAILS = (
    "<script>addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details').forEach(function(d){d.open=true})})</script>"
)


@functools.cache
def style() -> str:
    """The page's style sheet, html.css: inline, with system fonts, to render the same offline."""
    return "\n" + resources.files("gate.report").joinpath("html.css").read_text(encoding="utf-8")


def inert(text: str) -> str:
    """`text` as HTML that stays text: markup escaped, quotes too (it may be an attribute's
    value), control characters and bidi marks shown as escapes so that it reads as it is."""
    return escape(shown(text))


def page(title: str, body: str) -> str:
    """A complete, self-contained HTML document around `body`."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="generator" content="change-impact-gate '
        f'{escape(__version__)}"><title>{inert(title)}</title><style>{style()}</style>'
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
        f"<h1>{inert(line)}</h1>"
        f'<ul class="facts">{items}</ul></div></header>'
    )


def affected_pill(affected: str) -> str:
    label = "TOUCHED" if affected == "touched" else "impacted"
    return f'<span class="pill {escape(affected)}">{label}</span>'
