"""Text from a change, made inert for Markdown: code spans, escaped prose, link targets."""

from __future__ import annotations

import re
from urllib.parse import quote

from gate.report.terminal_text import shown

# What can open emphasis, code, links, images, HTML, autolinks, tables, strikethrough or math
# in the middle of a line; a backslash before it makes it a literal character.
_SPECIAL = re.compile(r"([\\`*_\[\]<|~$])")
# `>` too: inert in mid-line, but it opens a quote where the text starts a line.
_SPECIAL_AND_QUOTE = re.compile(r"([\\`*_\[\]<>|~$])")
_BACKTICKS = re.compile(r"`+")
_TABLE_PIPE = re.compile(r"(\\*)\|")


def _table_pipe(found: re.Match[str]) -> str:
    return "\\x5c" * len(found.group(1)) + "\\|"


def one_line(text: str) -> str:
    """Every run of whitespace, newlines included, as one space: a newline could open a block."""
    return " ".join(text.split())


def code(text: str, *, in_table: bool = False) -> str:
    """`text` as one code span, shown exactly: fenced by more backticks than any run inside.

    In a table a pipe ends the cell even inside code, so there it is escaped (GitHub shows it);
    a backslash before it, which would escape the escape, is shown as `\\x5c`.
    Control characters, bidi overrides among them, show as escapes: they could make the span
    read as something else.
    """
    flat = shown(one_line(text))
    if not flat:
        return "`(none)`"
    if in_table:
        flat = _TABLE_PIPE.sub(_table_pipe, flat)
    runs = _BACKTICKS.findall(flat)
    fence = "`" * (max(map(len, runs), default=0) + 1)
    # A span that starts or ends with a backtick needs a space between it and the fence;
    # CommonMark strips one space from each side when both sides have one.
    if flat.startswith("`") or flat.endswith("`"):
        flat = f" {flat} "
    return f"{fence}{flat}{fence}"


def plain(text: str, *, quote: bool = False) -> str:
    """`text` as Markdown prose on one line that stays text: no markup, HTML or entities.

    `>` is left as it is (`>=9.6` reads as written) unless `quote` asks for it to be escaped
    too, for text that may open a line or sit in a quote.
    """
    special = _SPECIAL_AND_QUOTE if quote else _SPECIAL
    return special.sub(r"\\\1", one_line(text)).replace("&", "&amp;")


def link_target(url: str) -> str:
    """A URL as a link's target that cannot end the link early: no spaces, no parentheses.

    Whatever is not a URL's own punctuation, letter or digit is percent-encoded: whitespace,
    controls, `<`, `>`, backticks, quotes and backslashes among them.
    """
    return quote(url, safe="!#$%&'*+,/:;=?@[]~")


def fence(text: str, *, info: str = "") -> str:
    """`text` as a fenced code block no line of it can close: more backticks than any run inside.

    Control characters other than newlines and tabs show as escapes, as in a code span.
    """
    text = "\n".join("\t".join(map(shown, line.split("\t"))) for line in text.split("\n"))
    runs = _BACKTICKS.findall(text)
    marks = "`" * max(3, max(map(len, runs), default=0) + 1)
    return f"{marks}{info}\n{text.rstrip(chr(10))}\n{marks}\n"
