"""Text from a change made inert for a terminal: control characters shown as escapes."""

from __future__ import annotations

import re

# C0 and C1 controls (ESC, CR, backspace, newline ...), DEL, line and paragraph separators, and
# the marks that reorder text on screen (bidi embeddings, overrides and isolates): any of them
# could move the cursor, erase a line or make a name read as something else.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(text: str) -> str:
    """`text` with every control character written as its escape, `\\x1b` for ESC."""
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    point = ord(char)
    return _NAMED.get(char) or (f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}")
