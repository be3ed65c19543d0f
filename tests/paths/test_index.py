"""The matcher's index: every system's patterns at once, agreeing with each one's meaning."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gate.paths.build import case_varies
from gate.paths.index import Matcher
from gate.paths.pattern import pattern_error, pattern_regex
from testing.bounded import finishes
from tests.paths.test_pattern import git_matches


# Where git compares bytes, patterns here compare characters: '?' is one character of a
# UTF-8 name, as a reader of the map would expect (git's '?' would need two for 'é').
@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("caf?", "café", True),
        ("caf??", "café", False),
        ("caf[éè]", "café", True),
        ("[!a]", "é", True),
    ],
)
def test_wildcards_count_characters_not_bytes(pattern: str, path: str, matches: bool) -> None:
    assert bool(Matcher([("system", [pattern])]).systems_for(path)) is matches


def test_a_newline_in_a_name_is_a_character() -> None:
    matcher = Matcher([("star", ["docs/*"]), ("any", ["**/x"]), ("one", ["a?b"])])
    assert matcher.systems_for("docs/line\nbreak") == {"star"}
    assert matcher.systems_for("odd\nname/x") == {"any"}
    assert matcher.systems_for("a\nb") == {"one"}


def test_every_system_whose_pattern_matches() -> None:
    matcher = Matcher(
        [
            ("postgresql", ["config/software/postgresql*.rb", "cookbooks/postgresql/"]),
            ("backup", ["backup/", "/config/software/postgresql.rb"]),
            ("docs", ["*.md", "docs"]),
            ("nothing", []),
        ]
    )
    assert matcher.systems_for("config/software/postgresql.rb") == {"postgresql", "backup"}
    assert matcher.systems_for("cookbooks/postgresql/README.md") == {"postgresql", "docs"}
    assert matcher.systems_for("docs/backup") == {"docs"}
    assert matcher.systems_for("docs/backup/x") == {"docs", "backup"}
    assert matcher.systems_for("src/main.py") == frozenset()


def test_matcher_rejects_a_bad_pattern() -> None:
    with pytest.raises(ValueError, match=r"pattern '\[abc' of 'db': unterminated"):
        Matcher([("db", ["[abc"])])


@pytest.mark.parametrize("path", ["", "/a", "a/", "a//b"])
def test_systems_for_rejects_what_is_no_repository_path(path: str) -> None:
    with pytest.raises(ValueError, match="not a repository path"):
        Matcher([("system", ["*"])]).systems_for(path)


# Generated patterns and paths: one component vocabulary with literals, wildcards, classes,
# dotfiles, spaces and non-ASCII, so that the index's buckets collide and overlap.
PATTERN_PARTS = [
    "a", "b", "ab", ".x", "é", "x y", "*", "?", "a*", "*b", "*.x", "a*b", "[ab]", "[!a]*",
    "[a-b]?", "**", "a?", "a[!b]b",
]  # fmt: skip
PATH_PARTS = ["a", "b", "ab", "ba", "aab", ".x", "a.x", "é", "x y", "abb"]

patterns_strategy = st.builds(
    lambda lead, parts, trail: lead + "/".join(parts) + trail,
    st.sampled_from(["", "/"]),
    st.lists(st.sampled_from(PATTERN_PARTS), min_size=1, max_size=4),
    st.sampled_from(["", "", "/"]),
).filter(lambda pattern: pattern_error(pattern) is None)
paths_strategy = st.lists(st.sampled_from(PATH_PARTS), min_size=1, max_size=5).map("/".join)


def reference(patterns: list[str], path: str) -> frozenset[str]:
    return frozenset(
        f"s{index}"
        for index, pattern in enumerate(patterns)
        if re.match(pattern_regex(pattern), path, re.DOTALL)
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(patterns_strategy, min_size=1, max_size=30), st.lists(paths_strategy, max_size=20))
def test_index_agrees_with_one_regex_per_pattern(patterns: list[str], paths: list[str]) -> None:
    matcher = Matcher([(f"s{index}", [pattern]) for index, pattern in enumerate(patterns)])
    expected = {path: reference(patterns, path) for path in paths}
    # As one batch (which learns which components start no pattern), and path by path.
    assert matcher.systems_of(paths) == expected
    for path in paths:
        assert matcher.systems_for(path) == expected[path], path


def test_generated_patterns_agree_with_git(tmp_path: Path) -> None:
    generator = random.Random(2017)
    patterns: set[str] = set()
    while len(patterns) < 40:
        parts = generator.choices(PATTERN_PARTS, k=generator.randint(1, 4))
        pattern = generator.choice(["", "/"]) + "/".join(parts) + generator.choice(["", "/"])
        if pattern_error(pattern) is None:
            patterns.add(pattern)
    # No path may be a directory of another: each is created as a file. No name is a lone
    # non-ASCII character, which '?' reads differently (see above).
    parts = [part for part in PATH_PARTS if part != "é"] + ["dé.x"]
    paths: set[str] = set()
    while len(paths) < 25:
        path = "/".join(generator.choices(parts, k=generator.randint(1, 5)))
        if not any(other.startswith(path + "/") or path.startswith(other + "/") for other in paths):
            paths.add(path)
    cases = [(pattern, path) for pattern in sorted(patterns) for path in sorted(paths)]
    expected = git_matches(tmp_path, cases)
    matcher = Matcher([(pattern, [pattern]) for pattern in patterns])
    found = matcher.systems_of(sorted(paths))
    got = [pattern in found[path] for pattern, path in cases]
    mismatches = [case for case, mine, git in zip(cases, got, expected, strict=True) if mine != git]
    assert mismatches == []
    assert 0 < sum(expected) < len(cases)


@pytest.mark.parametrize(
    ("pattern", "matches"),
    [
        ("vendor/x/", True),
        ("vendor/x", True),
        ("vendor/**", True),
        ("vendor/**/", True),
        ("vendor/*/", True),
        ("vendor/x/**", True),
        ("vendor/x/*", True),
        ("x/", True),
        ("**/x/", True),
        ("vendor/x/*.tf", False),
        ("vendor/x/y", False),
        ("vendor/y/", False),
        ("*.tf", False),
    ],
)
def test_a_directory_is_matched_as_the_directory_it_is(pattern: str, matches: bool) -> None:
    matcher = Matcher([("system", [pattern])])
    assert bool(matcher.systems_for("vendor/x", directory=True)) is matches
    assert matcher.systems_of(["vendor/x", "a.tf"], directories={"vendor/x"})["vendor/x"] == (
        {"system"} if matches else frozenset()
    )


def test_a_file_is_no_directory() -> None:
    assert Matcher([("system", ["vendor/x/"])]).systems_for("vendor/x") == frozenset()


@pytest.mark.parametrize(
    ("pattern", "path"),
    [
        ("backup/", "Backup/run.sh"),
        ("Backup/", "backup/run.sh"),
        ("Makefile", "MAKEFILE"),
        ("/README.md", "readme.MD"),
        ("*.md", "NOTES.MD"),
        ("config/*.RB", "Config/x.rb"),
        ("[A-C]x/", "bX/y"),
        ("[Z-a]", "z"),  # folded, the range would be reversed
        ("Straße/", "STRASSE/x"),
        ("**/Build/**/*.TF", "src/build/a/b/main.tf"),
        ("A?c", "abC"),
    ],
)
def test_a_path_belongs_to_what_it_matches_once_case_is_folded(pattern: str, path: str) -> None:
    matcher = Matcher([("system", [pattern]), ("other", ["unrelated/"])])
    assert matcher.systems_for(path) == {"system"}


@pytest.mark.parametrize(
    ("pattern", "path"),
    [("backup/", "backups/x"), ("Makefile", "Makefile.bak"), ("*.md", "md"), ("a?c", "ac")],
)
def test_case_folding_matches_nothing_else(pattern: str, path: str) -> None:
    assert Matcher([("system", [pattern])]).systems_for(path) == frozenset()


@pytest.mark.parametrize(
    ("pattern", "varies"),
    [("backup/", False), ("*.md", False), ("a?b", False), ("Makefile", True), ("[ab]", True)],
)
def test_only_patterns_with_case_or_a_class_are_kept_folded_too(pattern: str, varies: bool) -> None:
    assert case_varies(pattern) is varies


@pytest.mark.parametrize(
    "pattern",
    [
        "/".join(["a", *["**", "a"] * 20, "z"]),
        "/".join(["**", *["a", "**"] * 20, "z"]),
        "/".join(["*", *["**", "*"] * 20, "z"]) + "/",
        "/".join(["a*", *["**", "?"] * 20, "z"]),
    ],
)
def test_matching_is_linear_in_the_paths_length_for_any_number_of_double_stars(
    pattern: str,
) -> None:
    matcher = Matcher([("system", [pattern])])
    deep = "/".join(["a"] * 2000)
    found = finishes(lambda: matcher.systems_of([deep, deep + "/b"]))
    assert found == {deep: frozenset(), deep + "/b": frozenset()}
    assert finishes(lambda: matcher.systems_for(deep + "/z/b")) == {"system"}


def test_a_deep_path_against_many_floating_patterns_is_linear() -> None:
    patterns = ["*", "**/a/**/y", "*/**/b/**/y", "a*/**/x/", "**/?/z"]
    matcher = Matcher([(f"s{index}", [pattern]) for index, pattern in enumerate(patterns)])
    deep = "/".join(["a"] * 5000)
    assert finishes(lambda: matcher.systems_for(deep)) == {"s0"}
