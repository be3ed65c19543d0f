"""The report in the format asked for: each renderer loaded only when it is asked for."""

from __future__ import annotations

from gate.report.records import Report


def render(report: Report, form: str) -> str:
    """The report as text (the default), json, markdown or html."""
    if form == "json":
        from gate.report import json

        return json.render(report)
    if form == "markdown":
        from gate.report import markdown

        return markdown.render(report)
    if form == "html":
        from gate.report import html

        return html.render(report)
    from gate.report import text

    return text.render(report)
