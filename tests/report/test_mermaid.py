"""Drawing systems and their dependencies: Mermaid and Graphviz DOT."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gate.report.mermaid import mermaid


def test_a_graph_names_each_system_once_and_styles_what_is_affected():
    drawn = mermaid({"db": "touched", "backup": "impacted", "docs": ""}, [("db", "backup", "")])
    assert drawn.splitlines()[:5] == [
        "flowchart LR",
        '  s0["db"]',
        '  s1["backup"]',
        '  s2["docs"]',
        "  s0 --> s1",
    ]
    assert "  class s0 touched" in drawn
    assert "  class s1 impacted" in drawn


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("pg-dump-backup", "pg-dump-backup"),
        ("team/app.v2@eu", "team/app.v2@eu"),
        ('a"b', "a#34;b"),
        ("a|b", "a#124;b"),
        ("```", "#96;#96;#96;"),
        ("x\n# PASS", "x#10;#35; PASS"),
        ("<b>x</b>", "#60;b#62;x#60;/b#62;"),
        ("a[b](c)", "a#91;b#93;#40;c#41;"),
        ("#quot;", "#35;quot#59;"),
    ],
)
def test_a_label_keeps_plain_text_and_writes_the_rest_as_entity_codes(name, label):
    assert f'  s0["{label}"]' in mermaid({name: ""}, [])


def test_an_arrow_label_cannot_end_the_arrow():
    drawn = mermaid({"a": "", "b": ""}, [("a", "b", "on major|x")])
    assert "  s0 -->|on major#124;x| s1" in drawn


@given(st.text(min_size=1))
def test_any_name_is_one_line_one_label_and_no_backtick(name):
    drawn = mermaid({name: "touched"}, [(name, name, name)])
    lines = drawn.splitlines()
    assert re.fullmatch(r'  s0\["[^"\[\]`<>|\n]*"\]', lines[1])
    assert re.fullmatch(r"  s0 -->\|[^\"\[\]`<>|\n]*\| s0", lines[2])
