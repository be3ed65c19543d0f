"""Dockerfiles as BuildKit reads them: the image reference of every FROM instruction."""

# Instructions are split the way BuildKit's parser splits them (moby/buildkit,
# frontend/dockerfile/parser/parser.go): parser directives, comments, line continuations with
# the escape character, and here-documents, whose lines belong to the instruction above and are
# never instructions. One pass over the lines: linear in the file's size.

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from gate.versions.found import Unreadable

_DIRECTIVE = re.compile(r"#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*")
_HEREDOC = re.compile(r"([0-9]*)<<(-?)([^<]*)")
_WORD = re.compile(r"\S+")
_QUOTING = re.compile(r"""['"\\]""")
_HEREDOC_INSTRUCTIONS = frozenset(("RUN", "COPY", "ADD"))
# The parser directives BuildKit knows; any other `# name=value` ends the directives.
_DIRECTIVES = frozenset(("syntax", "escape", "check"))


class Reference(NamedTuple):
    """The image of a FROM instruction as written, its line, and the ARGs it may use."""

    text: str
    line: int
    arguments: Mapping[str, str | None]


class _Instruction(NamedTuple):
    keyword: str  # upper case
    text: str  # the whole instruction, continuations joined, without its keyword's line breaks
    starts: tuple[tuple[int, int], ...]  # (offset in text, line) of each joined line


def from_references(text: str) -> list[Reference]:
    """The reference of each FROM in file order; an ARG before the first FROM is visible to all
    of them, one after it to none (Docker's scope for FROM)."""
    arguments: dict[str, str | None] = {}
    references: list[Reference] = []
    for instruction in _instructions(text):
        if instruction.keyword == "ARG" and not references:
            arguments.update(_declared(instruction.text))
        elif instruction.keyword == "FROM":
            words = [word for word in _WORD.finditer(instruction.text)][1:]
            while words and words[0][0].startswith("--"):
                words.pop(0)
            if not words:
                raise Unreadable(f"the FROM on line {_line(instruction, 0)} names no image")
            word = words[0]
            # Only ARGs above the first FROM reach a FROM: from here on they are fixed, and the
            # references share them.
            references.append(
                Reference(_unquoted(word[0]), _line(instruction, word.start()), arguments)
            )
    return references


def _line(instruction: _Instruction, offset: int) -> int:
    line = instruction.starts[0][1]
    for start, number in instruction.starts:
        if start > offset:
            break
        line = number
    return line


def _instructions(text: str) -> Iterator[_Instruction]:
    lines = text.removeprefix("\ufeff").split("\n")
    escape = "\\"
    directives = True
    index = 0
    while index < len(lines):
        # A line feed ends a line, and one carriage return before it goes with it (Go's
        # bufio.ScanLines): another one is the line's own, so an escape before it continues
        # nothing.
        raw = lines[index].removesuffix("\r")
        index += 1
        stripped = raw.lstrip()
        if directives:
            directive = _DIRECTIVE.fullmatch(stripped)
            if directive is None or directive[1].lower() not in _DIRECTIVES:
                directives = False
            elif directive[1].lower() == "escape":
                if directive[2] not in ("\\", "`"):
                    raise Unreadable(f"the escape directive on line {index} is not \\ or `")
                escape = directive[2]
        if not stripped or stripped.startswith("#"):
            continue
        joined, more = _continued(stripped, escape)
        starts = [(0, index)]
        while more and index < len(lines):
            raw = lines[index].removesuffix("\r")
            index += 1
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            starts.append((len(joined), index))
            piece, more = _continued(raw, escape)
            joined += piece
        instruction = _Instruction(_keyword(joined), joined, tuple(starts))
        yield instruction
        for chomp, name in _heredocs(instruction):
            start = index
            while index < len(lines):
                candidate = lines[index].rstrip("\r")
                index += 1
                if (candidate.lstrip("\t") if chomp else candidate) == name:
                    break
            else:
                raise Unreadable(f"the here-document {name!r} on line {start} never ends")


def _keyword(text: str) -> str:
    return text.split(None, 1)[0].upper()


def _continued(line: str, escape: str) -> tuple[str, bool]:
    """The line without its continuation character, and whether the instruction goes on."""
    trimmed = line.rstrip(" \t")
    if trimmed.endswith(escape) and (len(trimmed) == 1 or trimmed[-2] != escape):
        return trimmed[:-1], True
    return line, False


def _heredocs(instruction: _Instruction) -> list[tuple[bool, str]]:
    """(strips tabs, terminator) of each here-document the instruction opens, in order."""
    if "<<" not in instruction.text:
        return []
    words = _shell_words(instruction.text)
    keyword = instruction.keyword
    arguments = words[1:]
    if keyword == "ONBUILD" and arguments:
        keyword, arguments = arguments[0].upper(), arguments[1:]
    if keyword not in _HEREDOC_INSTRUCTIONS:
        return []
    while arguments and arguments[0].startswith("--"):
        arguments = arguments[1:]
    if arguments and arguments[0].startswith("["):
        return []  # the JSON form takes no here-documents
    found = []
    for word in arguments:
        heredoc = _HEREDOC.fullmatch(word)
        if heredoc is not None and heredoc[3]:
            found.append((heredoc[2] == "-", _unquoted(heredoc[3])))
    return found


def _shell_words(text: str) -> list[str]:
    """Words split at blanks outside quotes, quotes and escapes kept as written."""
    words: list[str] = []
    word: list[str] = []
    quote = ""
    escaped = False
    for character in text:
        if escaped:
            escaped = False
        elif character == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = "" if character == quote else quote
        elif character in "'\"":
            quote = character
        elif character in " \t":
            if word:
                words.append("".join(word))
                word = []
            continue
        word.append(character)
    if word:
        words.append("".join(word))
    return words


def _unquoted(word: str) -> str:
    """A shell word without its quotes and escapes."""
    if not _QUOTING.search(word):
        return word
    out: list[str] = []
    quote = ""
    escaped = False
    for character in word:
        if escaped:
            out.append(character)
            escaped = False
        elif character == "\\" and quote != "'":
            escaped = True
        elif quote and character == quote:
            quote = ""
        elif not quote and character in "'\"":
            quote = character
        else:
            out.append(character)
    return "".join(out)


def _declared(text: str) -> Iterator[tuple[str, str | None]]:
    """The names an ARG instruction declares, each with its default (None: it has none)."""
    for word in _shell_words(text)[1:]:
        name, equals, value = word.partition("=")
        yield name, _unquoted(value) if equals else None
