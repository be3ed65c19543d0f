"""What a path pattern means: gitignore's semantics, with git check-ignore as the oracle."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gate.paths.index import Matcher
from gate.paths.pattern import pattern_error, pattern_regex
from testing.gitrepo import GitRepo

CASES = [
    # '*' stays within a name, '**' crosses directories
    ("*.md", "README.md", True),
    ("*.md", "docs/guide/intro.md", True),
    ("docs/*.md", "docs/intro.md", True),
    ("docs/*.md", "docs/guide/intro.md", False),
    ("docs/**/*.md", "docs/intro.md", True),
    ("docs/**/*.md", "docs/guide/deep/intro.md", True),
    ("/*.md", "README.md", True),
    ("/*.md", "docs/intro.md", False),
    ("*/x", "a/x", True),
    ("*/x", "a/b/x", False),
    ("a/*", "a/b/c", True),
    ("*", "a/b", True),
    # anchoring: a slash before the end anchors at the root
    ("/a", "a", True),
    ("/a", "a/b", True),
    ("/a", "x/a", False),
    ("a/b", "a/b", True),
    ("a/b", "a/b/c", True),
    ("a/b", "x/a/b", False),
    ("a", "x/y/a", True),
    ("a", "a/z", True),
    ("a", "ab", False),
    ("a", "ba/c", False),
    # a trailing slash: the directory, everything below it, at any depth unless anchored
    ("svc_a/", "svc_a/main.py", True),
    ("svc_a/", "svc_a_legacy/main.py", False),
    ("svc_a/", "svc_a", False),
    ("svc_a/", "lib/svc_a/main.py", True),
    ("/svc_a/", "lib/svc_a/main.py", False),
    ("svc_a", "svc_a_legacy/main.py", False),
    ("svc_a", "svc_a", True),
    ("services/svc_a/", "services/svc_a/main.py", True),
    ("services/svc_a/", "services/svc_a_legacy/main.py", False),
    ("services/svc_a/", "services/svc_a", False),
    # a pattern that matches a directory matches everything below it
    ("cookbooks/postgresql", "cookbooks/postgresql/recipes/default.rb", True),
    ("cookbooks/postgresql", "cookbooks/postgresql-client/recipes/default.rb", False),
    ("docs", "a/docs/x", True),
    ("config/software/postgresql*.rb", "config/software/postgresql.rb", True),
    ("config/software/postgresql*.rb", "config/software/postgresql-common.rb", True),
    ("config/software/postgresql*.rb", "config/software/postgresql/x.rb", False),
    ("config/software/postgresql*.rb", "config/software/pg.rb", False),
    # shapes a large map has many of: tried only when a literal they hold fits the path
    ("infra/**/svc1.tf", "infra/svc1.tf", True),
    ("infra/**/svc1.tf", "infra/us/east/svc1.tf", True),
    ("infra/**/svc1.tf", "infra/us/svc1.tf/main.tf", True),
    ("infra/**/svc1.tf", "infra/us/svc10.tf", False),
    ("infra/**/mod1_*.tf", "infra/stacks/mod1_db.tf", True),
    ("infra/**/mod1_*.tf", "infra/stacks/mod10_db.tf", False),
    ("infra/**/mod1_*.tf", "infra/mod1_/x.tf", False),
    ("deploy/*/svc1.yaml", "deploy/prod/svc1.yaml", True),
    ("deploy/*/svc1.yaml", "deploy/svc1.yaml", False),
    ("deploy/*/svc1.yaml", "deploy/a/b/svc1.yaml", False),
    ("*/x/*.tf", "a/x/b.tf", True),
    ("*/x/*.tf", "a/y/x/b.tf", False),
    ("**/secrets/**", "svc/secrets/vault.hcl", True),
    ("**/secrets/**", "secrets", False),
    ("migrations/db1/**/*.sql", "migrations/db1/2017/0001.sql", True),
    ("migrations/db1/**/*.sql", "migrations/db1/0001.sql", True),
    ("migrations/db1/**/*.sql", "migrations/db10/0001.sql", False),
    # dotfiles are names like any other
    ("*", ".env", True),
    ("*.yml", ".github/workflows/ci.yml", True),
    (".github/", ".github/workflows/ci.yml", True),
    ("*rc", ".bashrc", True),
    ("a/*", "a/.hidden", True),
    (".*", "x/.cache/y", True),
    # spaces
    ("my docs/", "my docs/read me.txt", True),
    ("read me.txt", "x/read me.txt", True),
    ("read*me.txt", "read me.txt", True),
    ("read me.txt", "readme.txt", False),
    # non-ASCII names
    ("données/", "données/x.csv", True),
    ("*.ü", "a/b.ü", True),
    ("café", "x/café", True),
    ("caf*", "café", True),
    ("naïve/*.txt", "naïve/é.txt", True),
    ("café", "cafe", False),
    # '?' is one character, never '/'
    ("?.txt", "a.txt", True),
    ("?.txt", "ab.txt", False),
    ("a?c", "abc", True),
    ("a?c", "a/c", False),
    # classes
    ("[abc].txt", "b.txt", True),
    ("[abc].txt", "d.txt", False),
    ("[!abc].txt", "d.txt", True),
    ("[!abc].txt", "a.txt", False),
    ("[^abc].txt", "a.txt", False),
    ("[a-c]x", "bx", True),
    ("[a-c]x", "dx", False),
    ("[]]x", "]x", True),
    ("[a-]x", "-x", True),
    ("[[:digit:]]x", "7x", True),
    ("[[:digit:]]x", "ax", False),
    ("[[:upper:]][[:lower:]]", "Ab", True),
    ("[[:punct:]]x", "_x", True),
    ("[[:]x", ":x", True),
    ("[Dd]ockerfile", "svc/dockerfile", True),
    ("a[!x]b", "a/b", False),  # no class matches '/'
    ("a[[:punct:]]b", "a/b", False),
    ("a[[:punct:]]b", "a.b", True),
    # '**' as a whole component
    ("**/x", "x", True),
    ("**/x", "a/b/x", True),
    ("**/x", "a/xb", False),
    ("**/x/y", "a/x/y", True),
    ("**/x/y", "x/y/z", True),
    ("**/x/y", "x/z/y", False),
    ("x/**", "x/a", True),
    ("x/**", "x/a/b", True),
    ("x/**", "x", False),
    ("x/**", "a/x/b", False),
    ("a/**/b", "a/b", True),
    ("a/**/b", "a/x/b", True),
    ("a/**/b", "a/x/y/b", True),
    ("a/**/b", "a/xb", False),
    ("a/**/b", "a/b/c", True),
    ("a/**/b/", "a/x/b", False),
    ("a/**/b/", "a/x/b/c", True),
    ("**", "a/b", True),
    ("/**", "a", True),
    ("**/", "a/b", True),
    ("**/", "a", False),
    ("**/*.tf", "modules/net/main.tf", True),
    ("**/*.tf", "main.tf", True),
    ("**/*.tf", "main.tfvars", False),
    # deep nesting
    ("a/b/c/d/e/f/", "a/b/c/d/e/f/g/h/i/j", True),
    ("f", "a/b/c/d/e/f/g/h/i/j", True),
    ("j", "a/b/c/d/e/f/g/h/i/j", True),
    ("g/h/i", "a/b/c/d/e/f/g/h/i/j", False),
    ("a/b/c/*/e/**/j", "a/b/c/d/e/f/g/h/i/j", True),
    # case matters
    ("Makefile", "makefile", False),
]


def git_matches(tmp_path: Path, cases: list[tuple[str, str]]) -> list[bool]:
    """git check-ignore's answer for each (pattern, path): one scratch directory per case."""
    repo = GitRepo(tmp_path / "oracle")
    queries = []
    for number, (pattern, path) in enumerate(cases):
        case = f"case{number}"
        repo.write(f"{case}/.gitignore", pattern + "\n")
        repo.write(f"{case}/{path}", "")
        queries.append(f"{case}/{path}")
    stdin = b"".join(query.encode() + b"\0" for query in queries)
    result = repo.run(
        "check-ignore", "--stdin", "-z", "-v", "-n", "--no-index", stdin=stdin, check=False
    )
    assert result.returncode in (0, 1), result.stderr
    fields = result.stdout.split(b"\0")[:-1]
    records = [fields[index : index + 4] for index in range(0, len(fields), 4)]
    assert [record[3].decode() for record in records] == queries
    return [record[0] != b"" for record in records]


def test_cases_agree_with_git(tmp_path: Path) -> None:
    pairs = [(pattern, path) for pattern, path, _ in CASES]
    expected = [matches for _, _, matches in CASES]
    assert git_matches(tmp_path, pairs) == expected
    got = [bool(Matcher([("system", [pattern])]).systems_for(path)) for pattern, path in pairs]
    # The matcher also matches what git does once case is folded (see test_index).
    folded = [
        git or pattern.casefold() == path.casefold()
        for (pattern, path), git in zip(pairs, expected, strict=True)
    ]
    assert got == folded


@pytest.mark.parametrize(("pattern", "path", "matches"), CASES)
def test_pattern_regex_states_the_meaning(pattern: str, path: str, matches: bool) -> None:
    assert bool(re.match(pattern_regex(pattern), path, re.DOTALL)) is matches


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("", "empty pattern"),
        ("/", "matches nothing"),
        ("a\\*", "backslash"),
        (" a", "whitespace"),
        ("a ", "whitespace"),
        ("a\tb", "control character"),
        ("a\nb", "control character"),
        ("!a", "negation"),
        ("a//b", "'//'"),
        ("//a", "'//'"),
        ("./a", "'.' and '..'"),
        ("a/../b", "'.' and '..'"),
        ("a**", "whole path component"),
        ("a/**b", "whole path component"),
        ("***", "whole path component"),
        ("[abc", "unterminated character class"),
        ("[]", "unterminated character class"),
        ("[!]", "unterminated character class"),
        ("a[/]b", "unterminated character class"),
        ("[[:alpha:]", "unterminated character class"),
        ("[[:alpah:]]", "unknown character class '[:alpah:]'"),
        ("[[::]]", "unknown character class '[::]'"),
        ("[z-a]", "character range 'z-a' is reversed"),
    ],
)
def test_pattern_error(pattern: str, problem: str) -> None:
    message = pattern_error(pattern)
    assert message is not None
    assert problem in message


@pytest.mark.parametrize(
    "pattern",
    ["a", "/a/b/", "**", "**/", "a/**/b", "[]a]", "[a-]", "[[:]", "#notes", "a b", "é/*.ü", "x]"],
)
def test_pattern_error_accepts(pattern: str) -> None:
    assert pattern_error(pattern) is None
