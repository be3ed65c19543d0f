"""A version string as a rule found it in a file, and where."""

from __future__ import annotations

from dataclasses import dataclass


class Unreadable(Exception):
    """The rule finds no version in the file; the message says why and what to fix."""


@dataclass(frozen=True, kw_only=True)
class Found:
    text: str
    line: int | None  # 1-based; None when the format does not tell
    suffix: str = ""  # an image tag's variant, such as "-alpine"
    origin: str = ""  # where it was found, for messages: "the tag 'lts-alpine' on line 3"
    written: str = ""  # an image reference as the file writes it: "postgres:${PG:-16}"


def decoded_text(data: bytes) -> str:
    # A stray non-UTF-8 byte elsewhere in the file must not hide the version; a replaced byte
    # inside the version itself makes it unparsable, so nothing is read wrong.
    return data.decode("utf-8", errors="replace")


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


class Lines:
    """Line numbers of offsets asked for in increasing order, in one pass over the text."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1

    def of(self, offset: int) -> int:
        if offset < self._offset:
            return line_of(self._text, offset)
        self._line += self._text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line
