"""The `/signoff` lines of a comment that count."""

from __future__ import annotations

import pytest

from gate.github.commands import signoff_commands


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("/signoff a b", [("a", "b")]),
        ("/signoff a, b\n/signoff c", [("a", "b"), ("c",)]),
        ("  /signoff all", [("all",)]),
        ("/signoff", []),
        ("/signoffs a", []),
        ("text /signoff a", []),
        ("LGTM\r\n/signoff a\r\n", [("a",)]),
        ("> /signoff a", []),
        ("> quoted\nlazy\n/signoff a", []),
        ("> quoted\n\n/signoff a", [("a",)]),
        ("```\n/signoff a\n```\n/signoff b", [("b",)]),
        ("~~~~\n/signoff a\n~~~\n/signoff b\n~~~~", []),
        ("\t/signoff a", []),
        ("<!-- /signoff a -->\n/signoff b", [("b",)]),
        ("<!--\n/signoff a\n-->\n/signoff b", [("b",)]),
    ],
)
def test_signoff_commands(body, expected):
    assert signoff_commands(body) == expected
