"""The `/signoff` lines of a comment that count, and why the others count for nothing."""

from __future__ import annotations

import pytest

from gate.github.commands import SEPARATORS, Command, signoff_commands

KNOWN = frozenset({"a", "b", "c", "pg-dump-backup", "backup-alerts"})


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("/signoff a b", [("a", "b")]),
        ("/signoff a, b\n/signoff c", [("a", "b"), ("c",)]),
        ("/signoff a a", [("a",)]),
        ("  /signoff all", [None]),
        ("/signoff", []),
        ("/signoffs a", []),
        ("text /signoff a", []),
        ("LGTM\r\n/signoff a\r\n", [("a",)]),
        ("LGTM\r/signoff a", [("a",)]),
        ("> /signoff a", []),
        ("> quoted\nlazy\n/signoff a", []),
        ("> quoted\n\n/signoff a", [("a",)]),
        ("- > quoted in a list\n/signoff a", []),
        ("1. > quoted in a list\n  /signoff a", []),
        ("- a list item\n\n/signoff a", [("a",)]),
        ("```\n/signoff a\n```\n/signoff b", [("b",)]),
        ("~~~~\n/signoff a\n~~~\n/signoff b\n~~~~", []),
        ("```\n   ```  \n/signoff a", [("a",)]),
        ("```\n~~~\n/signoff a\n```\n/signoff b", [("b",)]),
        ("- ```\n  /signoff a\n  ```\n\n/signoff b", [("b",)]),
        ("10. ```\n    /signoff a\n     ```\n\n/signoff b", [("b",)]),
        ("``` `a`\n```\n/signoff a\n```", []),  # no fence opens at the first line
        ("  ```\n\n  ```\n/signoff a", [("a",)]),
        ("* - ```\n    /signoff a", []),
        ("\t/signoff a", []),
        ("    /signoff a", []),
        ("a < b, and <3\n/signoff a", [("a",)]),
        ("see [the docs](https://example.com) and [x][y]\n/signoff a", [("a",)]),
        ("see <https://example.com/x> and <me@example.com>\n/signoff a", [("a",)]),
        ("/signoff a\n<!-- after the command -->", [("a",)]),
        ("/signoff a\n\u2028", [("a",)]),  # after the command: nothing it can change
    ],
)
def test_the_systems_each_counted_line_names(body, expected):
    commands = signoff_commands(body, KNOWN)
    assert [command.refused for command in commands] == [None] * len(expected)
    assert [command.systems for command in commands] == expected


@pytest.mark.parametrize(
    ("body", "systems", "reason"),
    [
        ("/signoff all a", ("a",), "`all` alone on the line"),
        ("/signoff a all", ("a",), "`all` alone on the line"),
        (
            "/signoff pg-dump-backup (not backup-alerts yet)",
            ("pg-dump-backup", "backup-alerts"),
            "also names (not, yet), not a system of the base map",
        ),
        ("/signoff typo", (), "also names typo, not a system"),
        ("/signoff w x y z", (), "names w, x, y and 1 more, not"),
        ("/signoff " + "x" * 50, (), "names " + "x" * 40 + "..., not"),
        ("/signoff A", (), "names A, not"),  # ids are exact
        ("<!-- /signoff a -->\n/signoff b", ("b",), "raw HTML (<!--...)"),
        ("```\n    ```\n/signoff a\n```", ("a",), "a code block in a list item"),
        ("- ```\n```\n/signoff a\n```", ("a",), "a code block in a list item"),
        ("- a\n  ```\nx\n  ```\n  /signoff a\n  ```", ("a",), "may end"),
        ("    ```\n    ```\n/signoff b", ("b",), "indented"),
        ("ok\n\n[x]: /url '\n/signoff a\n'", ("a",), "a link reference definition"),
        ("[x]: /url (\n/signoff a\n)", ("a",), "a link reference definition"),
        ("- [a\\]b]:\n  /url\n  '\n  /signoff a\n  '", ("a",), "a link reference definition"),
        ("> [x]: /url\n\n/signoff a", ("a",), "a link reference definition"),
        ("<!--\n/signoff a\n-->", ("a",), "raw HTML (<!--...)"),
        ("text <!-- opened mid-line\n/signoff a\n-->", ("a",), "raw HTML (<!--...)"),
        ("<pre>\n/signoff a\n</pre>", ("a",), "raw HTML (<pre...)"),
        ("<blockquote>\n\n/signoff a\n\n</blockquote>", ("a",), "raw HTML (<blockquote...)"),
        ("<details><summary>x</summary>\n\n/signoff a", ("a",), "raw HTML (<details...)"),
        ("<DIV CLASS=x>\n/signoff a", ("a",), "raw HTML (<DIV...)"),
        ("</p>\n/signoff a", ("a",), "raw HTML (</p...)"),
        ("<span\n/signoff a", ("a",), "raw HTML (<span...)"),
        ("<?php\n/signoff a", ("a",), "raw HTML (<?...)"),
        ("<!DOCTYPE html>\n/signoff a", ("a",), "raw HTML (<!...)"),
        ("<![CDATA[\n/signoff a\n]]>", ("a",), "raw HTML (<![CDATA[...)"),
        ("`<pre>` in code is HTML to this reader too\n/signoff a", ("a",), "raw HTML"),
        ("/signoff a <b>", ("a",), "raw HTML (<b...)"),
        *(
            (f"note{char}\n/signoff a", ("a",), f"holds {name} before")
            for char, name in SEPARATORS.items()
        ),
        ("/signoff a\u2028b", ("a", "b"), "U+2028 (LINE SEPARATOR)"),
    ],
)
def test_a_line_that_counts_for_nothing_says_why(body, systems, reason):
    [*_, command] = signoff_commands(body, KNOWN)
    assert command.systems == systems
    assert command.refused is not None
    assert reason in command.refused


def test_each_line_counts_or_not_on_its_own():
    assert signoff_commands("/signoff a\n/signoff typo\n/signoff all", KNOWN) == [
        Command(systems=("a",)),
        Command(systems=(), refused=signoff_commands("/signoff typo", KNOWN)[0].refused),
        Command(systems=None),
    ]


@pytest.mark.parametrize("separator", list(SEPARATORS))
def test_lines_end_only_where_markdown_ends_them(separator):
    # str.splitlines would make each of these a line end, and the quoted command a line.
    assert signoff_commands(f"> please sign off{separator}/signoff a\n\nNot yet.", KNOWN) == []
