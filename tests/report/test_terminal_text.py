"""Text from a change made inert for a terminal: control characters shown as escapes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gate.report.terminal_text import shown


@pytest.mark.parametrize(
    ("text", "seen"),
    [
        ("backup/db.yml", "backup/db.yml"),
        ("données/é→ü", "données/é→ü"),
        ("\x1b[2K\rPASS", "\\x1b[2K\\rPASS"),
        ("a\nb\tc", "a\\nb\\tc"),
        ("back\bspace\x7f", "back\\x08space\\x7f"),
        ("\x9b2J", "\\x9b2J"),  # the C1 control sequence introducer
        ("evil\u202etxt.exe", "evil\\u202etxt.exe"),
        ("\u2066x\u2069 \u200f\u061c", "\\u2066x\\u2069 \\u200f\\u061c"),
        ("one\u2028two\u2029", "one\\u2028two\\u2029"),
        ("\x00", "\\x00"),
    ],
)
def test_control_characters_show_as_escapes(text, seen):
    assert shown(text) == seen


@given(st.text())
def test_nothing_shown_moves_the_cursor_or_reorders_text(text):
    seen = shown(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in seen)
    assert not set(seen) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
