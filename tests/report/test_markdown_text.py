"""Text from a change made inert for Markdown: code spans, escaped prose, link targets."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gate.report.markdown_text import code, link_target, one_line, plain
from gate.report.terminal_text import shown


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("backup/db.yml", "`backup/db.yml`"),
        ("a`b", "``a`b``"),
        ("a``b`c", "```a``b`c```"),
        ("`edge`", "`` `edge` ``"),
        ("ends`", "`` ends` ``"),
        ("a|b", "`a|b`"),
        ("[a](b)", "`[a](b)`"),
        ("<img src=x>", "`<img src=x>`"),
        ("two\nlines", "`two lines`"),
        ("  spaced \t out  ", "`spaced out`"),
        ("", "`(none)`"),
        (" \n ", "`(none)`"),
        ("\x1b[2K\rPASS", "`\\x1b[2K PASS`"),
        ("evil\u202etxt.exe", "`evil\\u202etxt.exe`"),
    ],
)
def test_a_code_span_shows_the_text_whatever_it_holds(text, span):
    assert code(text) == span


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("a|b", "`a\\|b`"),
        ("`a|", "`` `a\\| ``"),
        ("a\\|b", "`a\\x5c\\|b`"),
        ("\\\\|", "`\\x5c\\x5c\\|`"),
    ],
)
def test_in_a_table_a_pipe_in_code_is_escaped_so_the_cell_goes_on(text, span):
    assert code(text, in_table=True) == span


@pytest.mark.parametrize(
    ("text", "prose"),
    [
        ("does not satisfy >=9.6", "does not satisfy >=9.6"),
        ("a|b", "a\\|b"),
        ("`code`", "\\`code\\`"),
        ("[a](https://x)", "\\[a\\](https://x)"),
        ("![i](x)", "!\\[i\\](x)"),
        ("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)>"),
        ("<https://x>", "\\<https://x>"),
        ("*bold* _em_ ~~gone~~", "\\*bold\\* \\_em\\_ \\~\\~gone\\~\\~"),
        ("$x^2$", "\\$x^2\\$"),
        ("&lt;b&gt; &#96;", "&amp;lt;b&amp;gt; &amp;#96;"),
        ("back\\slash", "back\\\\slash"),
        ("one\n# heading\n- item", "one # heading - item"),
        ("pg_dump", "pg\\_dump"),
    ],
)
def test_prose_keeps_every_character_and_none_of_them_acts(text, prose):
    assert plain(text) == prose


@pytest.mark.parametrize(
    ("text", "prose"),
    [("9.2.18 -> 9.6.1", "9.2.18 -\\> 9.6.1"), ("> quoted", "\\> quoted"), ("<b>", "\\<b\\>")],
)
def test_quote_also_escapes_the_quote_mark(text, prose):
    assert plain(text, quote=True) == prose


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://github.com/acme/infra/pull/7", "https://github.com/acme/infra/pull/7"),
        ("https://x/a b", "https://x/a%20b"),
        ("https://x/(y)", "https://x/%28y%29"),
        ('https://x/a\n<b>`"\\', "https://x/a%0A%3Cb%3E%60%22%5C"),
        ("https://x/?q=1&r=%20#top", "https://x/?q=1&r=%20#top"),
    ],
)
def test_a_link_target_cannot_end_the_link_early(url, target):
    assert link_target(url) == target


SPECIAL = set("\\`*_[]<|~$")


def unescaped(prose: str) -> list[str]:
    """The special characters of `prose` that no backslash makes literal."""
    found, index = [], 0
    while index < len(prose):
        if prose[index] == "\\":
            index += 2
            continue
        if prose[index] in SPECIAL:
            found.append(prose[index])
        index += 1
    return found


@given(st.text())
def test_no_special_character_survives_unescaped(text):
    prose = plain(text)
    assert "\n" not in prose
    assert unescaped(prose) == []
    assert "&" not in prose.replace("&amp;", "")


@given(st.text())
def test_a_code_span_is_one_span_holding_the_text_on_one_line(text):
    span = code(text)
    fence = re.match(r"`+", span)
    assert fence is not None
    inner = span[len(fence.group()) : -len(fence.group())]
    assert span.endswith(fence.group())
    assert all(len(run) < len(fence.group()) for run in re.findall(r"`+", inner))
    flat = shown(one_line(text))
    assert inner.strip() == (flat or "(none)").strip() or inner == f" {flat} "
