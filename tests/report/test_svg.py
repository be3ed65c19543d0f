"""The impact picture: layers by depth, columns when wide, names cut, well-formed SVG."""

from __future__ import annotations

import pytest

from gate.report import html as html_report
from gate.report import svg
from gate.report.records import SystemResult
from tests.report.samples import EVIL, Page, many, report_of, system, unsigned


@pytest.mark.parametrize(
    ("chains", "depth"),
    [
        ((), 0),
        ((("a", "x"),), 1),
        ((("a", "b", "x"),), 2),
        ((("a", "b", "c", "x"), ("a", "x")), 1),
        ((("a", "b", "c", "x"), ("a", "d", "x")), 2),
    ],
)
def test_a_system_sits_at_the_length_of_its_shortest_chain(chains, depth):
    others = {node for chain in chains for node in chain[1:-1]}
    report = report_of(
        system("a"),
        *(system(o, ("a", o)) for o in sorted(others)),
        *([system("x", *chains)] if chains else []),
    )
    assert svg.depths(report)[chains[0][-1] if chains else "a"] == depth


def test_a_system_without_chains_is_placed_by_the_crossed_edges():
    report = report_of(
        system("a"),
        SystemResult(id="c", affected="impacted", because=(), owners=("t",), signoff=unsigned()),
        edges=(("a", "b"), ("b", "c")),
    )
    assert svg.depths(report) == {"a": 0, "c": 2}


def test_a_layer_is_ordered_next_to_what_reaches_it():
    report = report_of(
        system("a"),
        system("z"),
        system("m", ("z", "m")),
        system("n", ("a", "n")),
    )
    assert [[s.id for s in layer] for _, layer in svg.layers(report)] == [["a", "z"], ["n", "m"]]


def test_two_hundred_systems_wrap_into_columns_and_keep_every_node():
    report = many(200)
    placed, captions, _, height = svg.place(report)
    assert len(placed) == 200
    assert len({(p.x, p.y) for p in placed}) == 200
    columns: dict[int, int] = {}
    for node in placed:
        columns[node.x] = columns.get(node.x, 0) + 1
    assert max(columns.values()) <= svg.MAX_ROWS
    assert height < 800
    assert [caption for _, caption in captions] == [
        "touched (5)",
        "1 step away (60)",
        "2 steps away (135)",
    ]
    page = Page(html_report.render(report))
    assert len(page.find("g", "node")) == 200
    assert page.find("div", "graph")  # the scrolling container


def test_long_names_are_cut_on_the_node_and_whole_in_its_tooltip():
    name = "a-system-name-much-too-long-to-fit-on-a-node"
    text = svg.render(report_of(system(name)), {})
    assert f">{name[: svg.NAME_CHARS - 1]}…</text>" in text
    assert f"<title>{name} (touched)" in text


def test_the_picture_is_well_formed_svg_on_its_own():
    from xml.etree import ElementTree

    report = report_of(system(EVIL), system("b", (EVIL, "b")))
    root = ElementTree.fromstring(svg.render(report, {EVIL: "system-0", "b": "system-1"}))
    ns = "{http://www.w3.org/2000/svg}"
    nodes = [g for g in root.iter(f"{ns}g") if "node" in g.get("class", "").split()]
    assert [g.get("data-system") for g in nodes] == [EVIL, "b"]
    assert len(list(root.iter(f"{ns}path"))) == 3  # two arrowheads and one arrow
