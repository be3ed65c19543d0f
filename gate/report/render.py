"""Rendering a report in the format asked for."""

from __future__ import annotations

from gate.report.records import Report


def render(report: Report, form: str) -> str:
    """The report in one of the formats: text, json, markdown."""
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
