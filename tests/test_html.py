"""The HTML report: self-contained, escaped, the verdict first, one drawn node per system."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from itertools import pairwise

import pytest

from gate.git.diff import Changed
from gate.main import main
from gate.report import html as html_report
from gate.report import svg
from gate.report.records import (
    Ignored,
    Report,
    Signoff,
    SignoffState,
    SystemResult,
    VersionChange,
    Violation,
)
from gate.report.words import headline
from testing.infra import infra_repo, upgrade

# Elements that start a new line (or a new box) on the page: their text never runs together.
BLOCKS = {"p", "div", "li", "td", "th", "h1", "h2", "dt", "dd", "summary", "text", "header"}
EVIL = '<img src=x onerror="alert(1)">&amp;'


class Page(HTMLParser):
    """The tags, attributes and visible text of a page, as a browser's parser sees them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._skip = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "script", "title"):
            self._skip += 1
        self.text.append(" " if tag in BLOCKS else "")

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self._skip -= 1
        self.text.append(" " if tag in BLOCKS else "")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)

    def find(self, tag: str, cls: str | None = None) -> list[dict[str, str | None]]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and (cls is None or cls in (attrs.get("class") or "").split())
        ]

    def words(self) -> str:
        return " ".join("".join(self.text).split())


def unsigned(*waiting: str) -> SignoffState:
    return SignoffState(required=True, satisfied=False, rule="any", waiting_for=waiting)


def system(sid: str, *chains: tuple[str, ...], **fields) -> SystemResult:
    defaults: dict = {
        "affected": "impacted" if chains else "touched",
        "because": chains,
        "owners": ("team",),
        "signoff": unsigned("team"),
    }
    return SystemResult(id=sid, **{**defaults, **fields})


def report_of(*systems: SystemResult, **fields) -> Report:
    edges = tuple(
        dict.fromkeys(pair for s in systems for chain in s.because for pair in pairwise(chain))
    )
    defaults: dict = {
        "verdict": "blocked",
        "base": "b" * 40,
        "head": "h" * 40,
        "merge_base": "m" * 40,
        "map_source": "dependency-map.yaml@" + "b" * 40,
        "map_sha256": "5" * 64,
        "changed": (Changed(status="M", path="config/db.rb"),),
        "systems": systems,
        "pending": tuple(s.id for s in systems if not s.signoff.satisfied),
        "unmapped": (),
        "edges": edges,
    }
    return Report(**{**defaults, **fields})


def upgrade_report(**fields) -> Report:
    violation = Violation(
        dependent="pg-dump-backup",
        dependency="postgresql",
        requires=">=9.6",
        rule=">={major}",
        version="9.2.18",
        dependency_version="9.6.1",
        already_at_base=False,
        reason="pg_dump refuses to dump a server of a newer major version",
    )
    signed = SignoffState(
        required=True,
        satisfied=True,
        rule="any",
        by=(
            Signoff(
                system="alerts",
                by="dave",
                commit="h" * 40,
                source="ledger",
                note="ok",
                at="2017-01-31T10:00:00Z",
            ),
        ),
    )
    return report_of(
        system(
            "postgresql",
            kind="database",
            version=VersionChange(before="9.2.18", after="9.6.1", bump="major"),
        ),
        system("pg-dump-backup", ("postgresql", "pg-dump-backup"), violations=(violation,)),
        system("alerts", ("postgresql", "pg-dump-backup", "alerts"), signoff=signed),
        **fields,
    )


def test_the_verdict_comes_first_in_words():
    report = upgrade_report()
    page = Page(html_report.render(report))
    words = page.words()
    assert words.startswith("change-impact-gate BLOCKED")
    assert headline(report).removeprefix("BLOCKED: ") in words
    assert words.index("What stops this change") < words.index("The change")


def test_a_passing_report_says_pass_and_lists_nothing_blocking():
    signed = SignoffState(required=True, satisfied=True, rule="any")
    page = Page(html_report.render(report_of(system("postgresql", signoff=signed), verdict="pass")))
    assert page.find("span", "badge")[0]["class"] == "badge pass"
    assert "What stops this change" not in page.words()
    assert "PASS" in page.words()


def test_every_system_is_one_node_in_the_graph_and_one_row_in_the_table():
    report = upgrade_report()
    page = Page(html_report.render(report))
    nodes = page.find("g", "node")
    assert [n["data-system"] for n in nodes] == ["postgresql", "pg-dump-backup", "alerts"]
    assert [n["class"] for n in nodes] == [
        "node touched",
        "node impacted violated",
        "node impacted",
    ]
    rows = page.find("tr", "system")
    links = [a["href"] for a in page.find("a") if (a["href"] or "").startswith("#system-")]
    assert {f"#{row['id']}" for row in rows} == set(links[-3:])


def test_touched_and_impacted_differ_by_more_than_colour():
    page = html_report.render(upgrade_report())
    assert "● TOUCHED" in page
    assert "◌ impacted" in page
    assert re.search(r"\.node\.impacted rect\{[^}]*stroke-dasharray", page)
    assert re.search(r"\.node\.touched rect\{[^}]*stroke-width:3", page)


def test_the_violated_edge_is_marked():
    page = Page(html_report.render(upgrade_report()))
    violated = page.find("path", "violated")
    assert len(violated) == 1
    assert violated[0]["marker-end"] == "url(#arrow-violated)"


def test_everything_from_the_repository_is_escaped():
    report = report_of(
        system(EVIL, kind=EVIL, description=EVIL, owners=(EVIL,), signoff=unsigned(EVIL)),
        system("b", (EVIL, "b")),
        changed=(Changed(status="R", path=EVIL, old_path=EVIL),),
        unmapped=(EVIL,),
        ignored=(Ignored(by=EVIL, system=EVIL, source="comment", reason=EVIL),),
        notes=(EVIL,),
        author=EVIL,
        map_source=EVIL,
    )
    text = html_report.render(report)
    assert "<img" not in text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;amp;" in text
    page = Page(text)
    assert not page.find("img")
    assert EVIL in page.words()


def test_the_page_is_self_contained():
    text = html_report.render(upgrade_report())
    page = Page(text)
    assert not [tag for tag, _ in page.tags if tag in ("link", "img", "iframe", "object")]
    assert all("src" not in attrs for _, attrs in page.tags)
    assert "@import" not in text
    assert "@font-face" not in text
    assert set(re.findall(r"url\(([^)]*)\)", text)) == {"#arrow", "#arrow-violated"}
    assert re.findall(r"https?://[^\"' ]+", text) == ["http://www.w3.org/2000/svg"]


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


def many(count: int) -> Report:
    """A wide change: 5 touched systems, each reaching a fan of dependents two levels deep."""
    touched = [system(f"touched-{t}") for t in range(5)]
    impacted = []
    for index in range(count - 5):
        root = f"touched-{index % 5}"
        if index < 60:
            impacted.append(system(f"service-{index:03}", (root, f"service-{index:03}")))
        else:
            parent = f"service-{index % 60:03}"
            impacted.append(
                system(
                    f"consumer-with-a-long-name-{index:03}",
                    (root, parent, f"consumer-with-a-long-name-{index:03}"),
                )
            )
    return report_of(*touched, *impacted)


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


@pytest.mark.parametrize(("count", "folded"), [(1, False), (3, False), (4, True)])
def test_long_chain_lists_fold(count, folded):
    chains = tuple(("a", *(f"via-{i}" for i in range(n)), "x") for n in range(count))
    page = Page(html_report.render(report_of(system("a"), system("x", *chains))))
    assert len(page.find("details")) == 1 + folded  # the changed files fold too, open
    assert (f"via {count} chain(s)" in page.words()) == folded


def test_sign_offs_show_who_when_which_commit_and_source():
    words = Page(html_report.render(upgrade_report())).words()
    assert "dave · ledger · for hhhhhhhhhhhh · 2017-01-31T10:00:00Z" in words
    assert "waiting for team" in words


def test_violations_show_the_rule_and_the_reason():
    words = Page(html_report.render(upgrade_report())).words()
    assert "requires postgresql >=9.6 (rule >={major}): has 9.2.18, postgresql is 9.6.1" in words
    assert "pg_dump refuses to dump a server of a newer major version" in words


def test_unmapped_files_and_ignored_sign_offs_are_listed():
    report = upgrade_report(
        unmapped=("docs/notes.txt",),
        ignored=(Ignored(by="alice", system="postgresql", source="ledger", reason="the author"),),
    )
    words = Page(html_report.render(report)).words()
    assert "Unmapped files (1)" in words
    assert "docs/notes.txt" in words
    assert "alice postgresql ledger the author" in words


@pytest.mark.parametrize(
    ("digest", "expected"),
    [(None, "No evidence record was written"), ("ab" * 32, "gate verify-evidence FILE")],
)
def test_the_evidence_block(digest, expected):
    page = Page(html_report.render(upgrade_report(evidence_sha256=digest)))
    assert expected in page.words()
    assert bool(page.find("code", "digest")) == (digest is not None)


def test_an_empty_change_says_so():
    page = Page(html_report.render(report_of(verdict="pass", changed=())))
    assert "The change touches no system in the map." in page.words()
    assert not page.find("svg")


def test_gate_check_writes_the_html_report(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    upgrade(repo)
    out = tmp_path / "report.html"
    code = main(
        [
            "check",
            "--repo",
            str(repo.path),
            "--base",
            "main",
            "--format",
            "html",
            "--output",
            str(out),
        ]
    )
    assert code == 1
    assert capsys.readouterr().out == ""
    page = Page(out.read_text(encoding="utf-8"))
    assert page.find("span", "badge")[0]["class"] == "badge blocked"
    assert {n["data-system"] for n in page.find("g", "node")} == {
        "postgresql",
        "pg-dump-backup",
        "backup-alerts",
        "replica",
    }


def test_the_picture_is_well_formed_svg_on_its_own():
    from xml.etree import ElementTree

    report = report_of(system(EVIL), system("b", (EVIL, "b")))
    root = ElementTree.fromstring(svg.render(report, {EVIL: "system-0", "b": "system-1"}))
    ns = "{http://www.w3.org/2000/svg}"
    nodes = [g for g in root.iter(f"{ns}g") if "node" in g.get("class", "").split()]
    assert [g.get("data-system") for g in nodes] == [EVIL, "b"]
    assert len(list(root.iter(f"{ns}path"))) == 3  # two arrowheads and one arrow
