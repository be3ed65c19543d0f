from __future__ import annotations

import pytest

from gate.versions.dockerfile import from_references
from gate.versions.found import Unreadable


def refs(text: str) -> list[tuple[str, int]]:
    return [(reference.text, reference.line) for reference in from_references(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM postgres:16\n", [("postgres:16", 1)]),
        ("from postgres:16 as db\n", [("postgres:16", 1)]),
        ("FROM --platform=$BUILDPLATFORM postgres:16 AS db\n", [("postgres:16", 1)]),
        ("FROM --platform=linux/amd64 --quiet postgres:16\n", [("postgres:16", 1)]),
        ("  FROM postgres:16\r\n", [("postgres:16", 1)]),
        ("\ufeffFROM postgres:16\n", [("postgres:16", 1)]),
        ('FROM "postgres:16"\n', [("postgres:16", 1)]),
        ("FROM \\\n  postgres:16 \\\n  AS db\n", [("postgres:16", 2)]),
        ("FROM \\\n# a comment\n\n  postgres:16\n", [("postgres:16", 4)]),
        ("FROM a:1 AS one\nRUN true\nFROM b:2\nCOPY --from=one / /\n", [("a:1", 1), ("b:2", 3)]),
        ("FROM postgres:${V:-16}\n", [("postgres:${V:-16}", 1)]),
    ],
)
def test_every_from_instruction_and_its_line(text, expected):
    assert refs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "# FROM postgres:9\nFROM postgres:16\n",
        "    # FROM postgres:9\nFROM postgres:16\n",
        "RUN echo \\\n FROM postgres:9\nFROM postgres:16\n",
        "LABEL a=b \\\n  c=d\nFROM postgres:16\n",
        "RUN <<EOF\nFROM postgres:9\nEOF\nFROM postgres:16\n",
        "RUN <<-EOF\nFROM postgres:9\n\t\tEOF\nFROM postgres:16\n",
        "RUN cat <<'EOF' > /x\nFROM postgres:9\nEOF\nFROM postgres:16\n",
        'COPY <<"A" <<B /dest/\nFROM postgres:9\nA\nFROM postgres:8\nB\nFROM postgres:16\n',
        "RUN --mount=type=cache,target=/c <<EOF\nFROM postgres:9\nEOF\nFROM postgres:16\n",
        "ONBUILD RUN <<EOF\nFROM postgres:9\nEOF\nFROM postgres:16\n",
        "ARG IMAGE=postgres:9\nENV X=postgres:9\nFROM postgres:16\n",
        "RUN echo FROM postgres:9\nFROM postgres:16\n",
    ],
)
def test_comments_heredocs_and_other_instructions_hold_no_reference(text):
    assert [reference for reference, _ in refs(text)] == ["postgres:16"]


def test_a_json_run_takes_no_heredoc():
    assert refs('RUN ["echo", "<<EOF"]\nFROM postgres:16\n') == [("postgres:16", 2)]


def test_the_escape_directive_sets_the_continuation_character():
    text = "# escape=`\nFROM `\n  postgres:16\nRUN dir c:\\\nFROM postgres:17\n"
    assert refs(text) == [("postgres:16", 3), ("postgres:17", 5)]


def test_a_directive_after_an_instruction_is_a_comment():
    text = "FROM postgres:16\n# escape=`\nRUN a `\nFROM postgres:17\n"
    assert [reference for reference, _ in refs(text)] == ["postgres:16", "postgres:17"]


@pytest.mark.parametrize("directive", ["check=skip=all", "syntax=docker/dockerfile:1"])
def test_the_escape_directive_holds_after_another_directive_buildkit_knows(directive):
    text = f"# {directive}\n# escape=`\nRUN echo \\\nFROM postgres:16\n"
    assert refs(text) == [("postgres:16", 4)]


def test_an_unknown_directive_ends_the_directives():
    text = "# platform=linux\n# escape=`\nRUN echo \\\nFROM postgres:16\n"
    assert refs(text) == []


@pytest.mark.parametrize(
    ("ending", "expected"),
    [("\r\n", []), ("\r\r\n", [("postgres:16", 2)]), ("\r \r\n", [("postgres:16", 2)])],
)
def test_one_carriage_return_goes_with_the_line_feed(ending, expected):
    assert refs(f"RUN echo \\{ending}FROM postgres:16\n") == expected


def test_an_escaped_escape_character_continues_nothing():
    assert refs("RUN echo \\\\\nFROM postgres:16\n") == [("postgres:16", 2)]


def test_only_args_above_the_first_from_reach_a_from():
    (first, second) = from_references('ARG A=1 B="2"\nARG C\nFROM x:$A\nARG D=4\nFROM y:$D\n')
    assert dict(first.arguments) == {"A": "1", "B": "2", "C": None}
    assert second.arguments is first.arguments


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("RUN <<EOF\nFROM postgres:16\n", "here-document 'EOF' on line 1 never ends"),
        ("FROM --platform=x\n", "the FROM on line 1 names no image"),
        ("# escape=x\nFROM postgres:16\n", "escape directive on line 1"),
    ],
)
def test_problems(text, message):
    with pytest.raises(Unreadable, match=message):
        from_references(text)


def test_reading_is_linear_in_the_size_of_the_file():
    text = "ARG X=1\nRUN <<EOF\nx\nEOF\nFROM postgres:16 \\\n AS a\n" * 40_000
    assert len(from_references(text)) == 40_000


def test_quotes_and_escapes_in_an_instruction_are_shell_words():
    text = "RUN echo \"a <<b\" 'c <<d' \\<<e <<'E F'\nFROM postgres:9\nE F\nFROM postgres:16\n"
    assert refs(text) == [("postgres:16", 4)]


def test_an_onbuild_without_an_instruction_opens_nothing():
    assert refs("ONBUILD <<EOF\nFROM postgres:16\n") == [("postgres:16", 2)]
