"""The HTML report: self-contained, escaped, the verdict first, one row per system."""

from __future__ import annotations

import re

import pytest

from gate.git.diff import Changed
from gate.main import main
from gate.report import html as html_report
from gate.report.records import Ignored, SignoffState
from gate.report.words import headline
from testing.infra import infra_repo, upgrade
from tests.report.samples import EVIL, Page, report_of, system, unsigned, upgrade_report


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


@pytest.mark.parametrize(("count", "folded"), [(1, False), (3, False), (4, True)])
def test_long_chain_lists_fold(count, folded):
    chains = tuple(("a", *(f"via-{i}" for i in range(n)), "x") for n in range(count))
    page = Page(html_report.render(report_of(system("a"), system("x", *chains))))
    assert len(page.find("details")) == 1 + folded  # the changed files fold too, open
    assert (f"via {count} chains" in page.words()) == folded


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
