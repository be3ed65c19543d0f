"""Bypass class: text from a change (paths, versions, words from comments, errors) acting as
Markdown, HTML, Mermaid or terminal control in a report, so that it says what is not true.

Each Markdown test reads the output as CommonMark does: fenced blocks and code spans are taken
out, and what is left (the prose GitHub renders, links and @mentions in it) must hold nothing
of the hostile text.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from gate.git.diff import Changed
from gate.main import main
from gate.report import agenda, comment, html, markdown, text
from gate.report.records import Ignored, Report, Signoff, SignoffState, VersionChange, Violation
from testing.gitrepo import GitRepo
from testing.infra import MAP, infra_repo, upgrade
from tests.report.samples import Page, report_of, system

# Under `loose`, anything that starts with a number is a version: the map lets it through.
LOOSE_MAP = MAP.replace("scheme: postgresql", "scheme: loose").replace("{policy}", "")

# Versions without whitespace or control characters: extraction keeps them.
HOSTILE_VERSIONS = [
    "9.6](https://evil.example)",
    "9.6(www.evil.example)",
    "9.6(@org/everyone)",
    "9.6<img/src=x/onerror=alert(1)>",
    "9.6```",
]
# Text a renderer may be given whatever extraction refuses.
FAKE_SIGNOFF = "9.6 (unchanged)\n- [x] signed off by @dave"
FILE_NAMES = ["a``b`c", "\n# PASS", "\x1b[2K\rPASS", "<img src=x onerror=alert(1)>"]
# What must never reach Markdown prose: links, mentions, HTML, a heading, a checked box.
TRACES = ["evil.example", "@org", "@dave", "<img", "onerror", "\n- [x] signed off"]
TRACES += ["\n# PASS", "\nPASS"]
CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_RUN = re.compile(r"`+")
_FENCE = re.compile(r" {0,3}(`{3,})[^`]*")


def prose(text: str) -> str:
    """`text` without its fenced code blocks and code spans, as CommonMark delimits them."""
    kept: list[str] = []
    open_fence = ""
    for line in text.split("\n"):
        if open_fence:
            closing = re.fullmatch(r" {0,3}(`{3,})\s*", line)
            if closing and len(closing.group(1)) >= len(open_fence):
                open_fence = ""
            continue
        opening = _FENCE.fullmatch(line)
        if opening:
            open_fence = opening.group(1)
            continue
        kept.append(_without_spans(line))
    return "\n".join(kept)


def _without_spans(line: str) -> str:
    """`line` without its code spans: a run of N backticks up to the next run of exactly N.

    A backtick after an odd number of backslashes is a literal one; a run no run of the same
    length closes is literal text.
    """
    out, index = [], 0
    while (run := _RUN.search(line, index)) is not None:
        before = line[: run.start()]
        start = run.start() + (len(before) - len(before.rstrip("\\"))) % 2
        opener = line[start : run.end()]
        closer = next((r for r in _RUN.finditer(line, run.end()) if r.group() == opener), None)
        if not opener or closer is None:
            out.append(line[index : run.end()])
            index = run.end()
        else:
            out.append(line[index:start])
            index = closer.end()
    return "".join(out) + line[index:]


def assert_inert(markdown_text: str) -> None:
    rest = "\n" + prose(markdown_text)
    for trace in TRACES:
        assert trace not in rest, (trace, rest)
    assert "\x1b" not in markdown_text
    assert "\u202e" not in markdown_text


def test_the_prose_reader_finds_what_a_broken_span_lets_out():
    assert prose("a `b` c") == "a  c"
    assert prose("a ``b`c`` d") == "a  d"
    assert "evil" in prose("a `b`` evil")  # an unclosed span is literal text
    assert "evil" in prose("a \\`evil` b")  # an escaped backtick opens nothing
    assert "evil" not in prose("a \\\\`evil` b")  # an escaped backslash does not escape it
    assert "evil" not in prose("```\nevil\n```")
    assert "# PASS" in prose("```\nx\n```\n# PASS")
    assert "evil" not in prose("````\n```\nevil\n````")


def _check(repo: GitRepo, form: str, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["check", "--repo", str(repo.path), "--base", "main", "--format", form])
    out = capsys.readouterr().out
    assert code == 1, out
    return out


@pytest.mark.parametrize("version", HOSTILE_VERSIONS)
def test_a_version_read_from_the_change_is_code_in_the_markdown_report(tmp_path, capsys, version):
    repo = infra_repo(tmp_path, map_text=LOOSE_MAP)
    upgrade(repo, version)
    out = _check(repo, "markdown", capsys)
    assert "`9.2.18`" in out
    assert_inert(out)


@pytest.mark.parametrize("version", HOSTILE_VERSIONS)
def test_a_version_read_from_the_change_is_escaped_in_the_html_report(tmp_path, capsys, version):
    repo = infra_repo(tmp_path, map_text=LOOSE_MAP)
    upgrade(repo, version)
    page = Page(_check(repo, "html", capsys))
    assert not page.find("img")
    assert version in page.words()


@pytest.mark.parametrize("name", FILE_NAMES)
def test_a_file_name_is_code_in_the_markdown_report(tmp_path, capsys, name):
    repo = infra_repo(tmp_path)
    upgrade(repo)
    repo.commit("odd name", (f"{name}.txt", "x\n"))
    out = _check(repo, "markdown", capsys)
    assert "**Unmapped files**" in out
    assert_inert(out)


def test_a_file_name_cannot_fake_a_pass_on_a_terminal(tmp_path, capsys):
    repo = infra_repo(tmp_path)
    upgrade(repo)
    for name in ("\x1b[2K\rPASS", "\nPASS: every sign-off is in", "evil\u202etxt.exe"):
        repo.commit("odd name", (name, "x\n"))
    out = _check(repo, "text", capsys)
    assert not CONTROLS.search(out), out
    assert not any(line.startswith("PASS") for line in out.splitlines())
    assert "  \\x1b[2K\\rPASS\n" in out
    assert "  \\nPASS: every sign-off is in\n" in out
    assert "  evil\\u202etxt.exe\n" in out


def test_a_file_name_is_no_html_in_the_html_report(tmp_path, capsys):
    repo = infra_repo(tmp_path)
    upgrade(repo)
    repo.commit("odd name", ("<img src=x onerror=alert(1)>", "x\n"))
    page = Page(_check(repo, "html", capsys))
    assert not page.find("img")
    assert "<img src=x onerror=alert(1)>" in page.words()


def hostile_report(value: str) -> Report:
    """A report with `value` wherever text from the change or from comments can be."""
    signed = SignoffState(
        required=True,
        satisfied=True,
        rule="any",
        by=(Signoff(system="alerts", by=value, commit="h" * 40, source="ledger", note=value),),
    )
    violation = Violation(
        dependent="backup",
        dependency="db",
        requires=f">={value}",
        rule=">={major}",
        version=value,
        dependency_version=value,
        already_at_base=False,
        version_at=f"{value}:2",
        dependency_version_at=f"{value}:1",
    )
    waiting = SignoffState(
        required=True,
        satisfied=False,
        rule="any",
        by=(Signoff(system="backup", by=value, commit="h" * 40, source="ledger"),),
        waiting_for=("dba",),
    )
    return report_of(
        system("db", version=VersionChange(before="9.2", after=value, bump="major")),
        system("backup", ("db", "backup"), violations=(violation,), signoff=waiting),
        system("alerts", ("db", "backup", "alerts"), signoff=signed),
        system("cache", version=VersionChange(before=value, after=value, bump=None)),
        unmapped=(value,),
        changed=(Changed(status="M", path=value),),
        ignored=(Ignored(by=value, system=value, source="comment", reason=f"names {value}"),),
        notes=(value,),
    )


VALUES = [*HOSTILE_VERSIONS, FAKE_SIGNOFF, "[click](https://evil.example)", "@org/everyone"]
VALUES += ["9.6\\|https://evil.example|", "9.6\\\\|@org/everyone"]
VALUES += [*FILE_NAMES, "evil\u202etxt.exe"]


@pytest.mark.parametrize("value", VALUES)
def test_the_pull_request_comment_shows_every_value_from_the_change_as_code(value):
    body = comment.render(hostile_report(value), ask={"dba": ("alice",)})
    assert_inert(body)
    summary = comment.render(hostile_report(value), marker=False)
    assert_inert(summary)


@pytest.mark.parametrize("value", VALUES)
def test_the_markdown_report_shows_every_value_from_the_change_as_code(value):
    out = markdown.render(hostile_report(value))
    assert_inert(out)
    # The table keeps its six cells in every row: no value ends a cell or the row.
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert len(rows) == 5
    for row in rows:
        assert len(cell_ends(row)) == 7, row


def cell_ends(row: str) -> list[int]:
    """Where the cells of a table row end, as GitHub splits it, before any code span: at each
    pipe that is not the second character of a backslash pair."""
    ends, index = [], 0
    while index < len(row):
        if row[index] == "\\":
            index += 2
            continue
        if row[index] == "|":
            ends.append(index)
        index += 1
    return ends


@pytest.mark.parametrize("value", VALUES)
def test_the_text_report_shows_control_characters_escaped(value):
    out = text.render(hostile_report(value))
    assert not CONTROLS.search(out), out
    assert not any(line.startswith(("PASS", "- [x]", "# ")) for line in out.splitlines())


@pytest.mark.parametrize("value", [*VALUES, '"><script>alert(1)</script>', "x' onmouseover='y"])
def test_the_html_report_escapes_every_value_from_the_change(value):
    source = html.render(hostile_report(value))
    assert "\x1b" not in source
    assert "\u202e" not in source
    page = Page(source)
    assert not page.find("img")
    assert [tag for tag, _ in page.tags].count("script") == 1  # the page's own
    assert all(not name.startswith("on") for _, attrs in page.tags for name in attrs)


def test_a_system_name_cannot_end_its_mermaid_label_or_the_fence():
    name = 'db"]\n```\n# PASS\ns9["x'
    report = report_of(system(name), system("backup", (name, "backup")))
    out = markdown.render(report)
    assert_inert(out)
    graph = re.search(r"\n(`{3,})mermaid\n(.*?)\n\1\n", out, re.DOTALL)
    assert graph is not None
    labels = re.findall(r'\["([^"]*)"\]', graph.group(2))
    assert len(labels) == 2  # one node per system, no third made by the name
    assert all(re.fullmatch(r"[\w .,:/@+=#;-]*", label) for label in labels), labels


def _item(**fields: Any) -> agenda.Item:
    defaults = {"number": 7, "author": "mallory", "base": "b" * 40, "head": "h" * 40}
    return agenda.Item(**{"title": "", "url": "", **defaults, **fields})


@pytest.mark.parametrize("value", VALUES)
def test_the_board_agenda_shows_titles_logins_and_errors_from_pull_requests_inert(value):
    report = hostile_report(value)
    items = (
        _item(title=value, url="javascript:alert(1)", author=value, report=report),
        _item(number=8, title=value, url="https://github.com/acme/infra/pull/8", report=report),
        _item(number=9, title=value, error=f"cannot read {value}\n```\n# PASS"),
    )
    board = agenda.Agenda(repository="acme/infra", generated_at="2017-01-31T10:00:00Z", items=items)
    assert_inert(agenda.render_markdown(board))
    page = Page(agenda.render_html(board))
    assert not page.find("img")
    assert not [a for a in page.find("a") if not (a["href"] or "").startswith("https://")]


def test_an_ordinary_version_reads_as_before_in_text_and_is_code_in_markdown(tmp_path, capsys):
    repo = infra_repo(tmp_path)
    upgrade(repo)
    assert "  version 9.2.18 -> 9.6.1 (major)\n" in _check(repo, "text", capsys)
    out = _check(repo, "markdown", capsys)
    assert "| `postgresql` | touched | dba | `9.2.18` -> `9.6.1` (major) | waiting for dba |" in out


def test_an_error_quoting_the_change_shows_its_terminal_controls_escaped(capsys):
    # Most messages quote what they name with repr(); the handler makes sure of the rest: a
    # message that holds a path or a word from a change as it is cannot rewrite the terminal.
    from gate.main import _report_error

    _report_error("db/\x1b[2K\rPASS.yml: cannot read it\nsecond line", False, None)
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert "\r" not in err
    assert err == "gate: error: db/\\x1b[2K\\rPASS.yml: cannot read it\nsecond line\n"


def test_explain_shows_text_from_a_map_with_its_controls_escaped(tmp_path, capsys):
    from gate.main import main
    from testing.infra import MAP

    text = MAP.replace("{policy}", "").replace(
        "    kind: backup\n", '    kind: backup\n    description: "nightly\\e[2K\\rPASS"\n'
    )
    (tmp_path / "dependency-map.yaml").write_text(text)
    assert main(["explain", "pg-dump-backup", "--repo", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "\r" not in out
    assert "nightly\\x1b[2K\\rPASS" in out


def test_an_error_quoting_the_change_stays_inside_the_summarys_code_block(tmp_path):
    # Before: the summary fenced the message with three backticks, which a message quoting a
    # change could close, and the rest rendered as Markdown under the gate's heading.
    from gate.github.actions import Actions
    from gate.github.mode import fail

    summary = tmp_path / "summary.md"
    outputs = tmp_path / "outputs"
    actions = Actions(
        event_name="pull_request",
        event={},
        repository="acme/infra",
        summary=str(summary),
        outputs=str(outputs),
    )
    message = "cannot read `x`:\n```\n### ✅ PASS\n- [x] signed off by @dave\n````"
    fail(None, actions, None, message)  # type: ignore[arg-type]  # no pull request: no status
    text = summary.read_text()
    fence = "`````"  # longer than the longest run of backticks in the message
    assert text.count(fence) == 2
    inside = text.split(fence)[1]
    assert "### ✅ PASS" in inside
    assert text.split(fence)[2].strip() == ""
