"""The `/signoff` commands of a comment: the lines that render as the commenter's plain text."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

ALL = "all"
# Markdown ends a line only at these; str.splitlines also splits at the separators below.
_LINE_END = re.compile(r"\r\n|\r|\n")
# What a line may hold that some reader (str.splitlines, a browser) takes for a line or
# paragraph break and Markdown does not: the comment may not read as it shows.
SEPARATORS = {
    "\v": "a vertical tab",
    "\f": "a form feed",
    "\x1c": "U+001C (FILE SEPARATOR)",
    "\x1d": "U+001D (GROUP SEPARATOR)",
    "\x1e": "U+001E (RECORD SEPARATOR)",
    "\x85": "U+0085 (NEXT LINE)",
    "\u2028": "U+2028 (LINE SEPARATOR)",
    "\u2029": "U+2029 (PARAGRAPH SEPARATOR)",
}
_SEPARATOR = re.compile("[" + "".join(SEPARATORS) + "]")
# The start of raw HTML, a block or inline (CommonMark 0.31.2, 4.6 and 6.6): a comment, a
# declaration or CDATA (`<!`), a processing instruction (`<?`), an opening or closing tag
# (`<pre>`, `<details`, `</blockquote>`). Autolinks (`<https://...>`) are not: no tag name
# is followed by `:`.
_HTML = re.compile(r"<(?:!--|!\[CDATA\[|!|\?|/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$))")
# The start of a link reference definition (`[x]: /url 'title`), also in a quote or list: it
# shows nothing, and its title may go on over the lines after it (CommonMark 0.31.2, 4.7).
_DEFINITION = re.compile(r"^[ >*+0-9.)-]*\[.*\]:", re.MULTILINE)
# The opening of a fenced code block, also in a list item (`- ````); and a closing fence.
_FENCE = re.compile(
    r"(?P<lead> *(?:(?:[-+*]|[0-9]{1,9}[.)]) +)*)(?P<fence>`{3,}|~{3,})(?P<info>.*)"
)
_CLOSING = re.compile(r"(?P<indent> *)(?P<fence>`+|~+) *")
UNSURE_FENCE = (
    "the comment holds a code block in a list item or indented, which Markdown may end"
    " elsewhere than where the gate reads it, so it may not read as it shows; sign off in a"
    " new comment without such a code block"
)
# A quote, also inside list items (`- > text`).
_QUOTE = re.compile(r" {0,3}(?:(?:[-+*]|[0-9]{1,9}[.)])[ \t]+)*>")
_COMMAND = re.compile(r" {0,3}/signoff(?:[ \t]+(?P<words>.*))?")
_SHOWN = 3  # unknown words a reason quotes
_WORD = 40  # characters of each


@dataclass(frozen=True, kw_only=True)
class Command:
    """One `/signoff` line: what it signs off, or why it counts for nothing.

    systems: the system ids it names (None for `all`: every system the signer owns). When
    refused is set the line signs off nothing; systems are then the ids among its words, for
    the report to name.
    """

    systems: tuple[str, ...] | None
    refused: str | None = None


def signoff_commands(body: str, known: Collection[str]) -> list[Command]:
    """The `/signoff` lines of a comment, from the lines that render as plain text.

    `known`: the system ids of the base map. Lines in fenced or indented code and in quotes
    (with their lazy continuation lines) are no commands: they show someone's words, not the
    commenter's. A command counts only when each of its words is a known id, or its one word
    is `all`, and nothing before it (no separator Markdown does not break a line at, no raw
    HTML, which can hide or quote text) can make the comment read otherwise than it shows.
    """
    commands: list[Command] = []
    for end, words, unsure in _command_lines(body):
        commands.append(_command(body[:end], words, known, unsure=unsure))
    return commands


def _command(
    before: str, words: tuple[str, ...], known: Collection[str], *, unsure: bool
) -> Command:
    named = tuple(dict.fromkeys(word for word in words if word in known and word != ALL))
    separator = _SEPARATOR.search(before)
    if separator is not None:
        return Command(
            systems=named,
            refused=f"the comment holds {SEPARATORS[separator.group()]} before its /signoff"
            " line, where Markdown does not end a line, so it may not read as it shows;"
            " sign off in a new comment without it",
        )
    html = _HTML.search(before)
    if html is not None:
        return Command(
            systems=named,
            refused=f"the comment holds raw HTML ({html.group()}...) before its /signoff line,"
            " which can hide or quote it; sign off in a new comment without HTML",
        )
    if _DEFINITION.search(before) is not None:
        return Command(
            systems=named,
            refused="the comment holds a link reference definition (`[label]: url`) before"
            " its /signoff line, which shows nothing and can hide the lines after it; sign off"
            " in a new comment without one",
        )
    if unsure:
        return Command(systems=named, refused=UNSURE_FENCE)
    if words == (ALL,):
        return Command(systems=None)
    if ALL in words:
        return Command(
            systems=named,
            refused="`/signoff all` signs off every system only with `all` alone on the line;"
            " sign off in a new comment with `/signoff all` or with system ids only",
        )
    unknown = tuple(dict.fromkeys(word for word in words if word not in known))
    if unknown:
        shown = ", ".join(_cut(word) for word in unknown[:_SHOWN])
        more = f" and {len(unknown) - _SHOWN} more" if len(unknown) > _SHOWN else ""
        return Command(
            systems=named,
            refused=f"the /signoff line also names {shown}{more}, not a system of the base"
            " map, and a line with any such word counts for nothing; sign off in a new"
            " comment naming system ids only",
        )
    return Command(systems=named)


def _cut(word: str) -> str:
    return word if len(word) <= _WORD else word[:_WORD] + "..."


def _command_lines(body: str) -> Iterator[tuple[int, tuple[str, ...], bool]]:
    """(where the line ends in body, its words, unsure) for each `/signoff` line of plain text.

    unsure: a code block before the line may end elsewhere than where it is read to end here.
    Where a fence ends depends on the container it is in (a list item's content indent),
    which is not tracked; a fence is read to end at the first line that could close it, and
    is sure to end there only when that line is where Markdown closes a fence in any
    container (between the opening's indent and three more spaces: CommonMark 0.31.2, 4.5).
    """
    fence: tuple[str, int, int] | None = None  # the fence, and the indents that surely close it
    quoted = unsure = False
    for end, raw in _lines(body):
        line = raw.expandtabs(4)
        stripped = line.strip()
        if fence is not None:
            closing = _CLOSING.fullmatch(line)
            run, low, high = fence
            # A line indented less than the opening may end the fence's container.
            unsure = unsure or (stripped != "" and len(line) - len(line.lstrip()) < low)
            if closing is not None and closing["fence"].startswith(run):
                unsure = unsure or not low <= len(closing["indent"]) <= high
                fence = None
            continue
        if not stripped:
            quoted = False
            continue
        opening = _FENCE.match(line)
        if opening is not None and not (opening["fence"][0] == "`" and "`" in opening["info"]):
            lead = opening["lead"]
            listed = lead.strip() != ""
            unsure = unsure or (not listed and len(lead) > 3)
            fence = (opening["fence"], len(lead), len(lead) + 3 if listed else 3)
            continue
        if _QUOTE.match(line):
            quoted = True
            continue
        if quoted or line.startswith("    "):
            continue
        command = _COMMAND.fullmatch(line.rstrip())
        if command is not None:
            words = tuple((command.group("words") or "").replace(",", " ").split())
            if words:
                yield end, words, unsure


def _lines(body: str) -> Iterator[tuple[int, str]]:
    """(where it ends, the line) for each line, ended only at \\n, \\r\\n or \\r."""
    start = 0
    for ending in _LINE_END.finditer(body):
        yield ending.start(), body[start : ending.start()]
        start = ending.end()
    yield len(body), body[start:]
