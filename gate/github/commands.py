"""The `/signoff` commands of a comment: the lines that render as plain text."""

from __future__ import annotations

import re

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_QUOTE = re.compile(r" {0,3}>")
_COMMAND = re.compile(r" {0,3}/signoff(?:[ \t]+(?P<names>.*))?")


def signoff_commands(body: str) -> list[tuple[str, ...]]:
    """The systems each `/signoff` line names, from the lines that render as plain text.

    Lines in fenced or indented code, in quotes (with their lazy continuation lines) and in
    HTML comments do not count: they show or hide someone's words, not the commenter's.
    """
    commands: list[tuple[str, ...]] = []
    fence: str | None = None
    quoted = in_html = False
    for raw in body.splitlines():
        line = raw.expandtabs(4)
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            continue
        if in_html:
            in_html = "-->" not in line
            continue
        if not stripped:
            quoted = False
            continue
        opening = _FENCE.match(line)
        if opening is not None:
            fence = opening.group(1)
            continue
        if stripped.startswith("<!--"):
            in_html = "-->" not in stripped[4:]
            continue
        if _QUOTE.match(line):
            quoted = True
            continue
        if quoted or line.startswith("    "):
            continue
        command = _COMMAND.fullmatch(line.rstrip())
        if command is not None:
            names = (command.group("names") or "").replace(",", " ").split()
            if names:
                commands.append(tuple(names))
    return commands
