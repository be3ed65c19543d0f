"""Reading a declared version from a file's bytes."""

from __future__ import annotations

import re

import pytest

from gate.depmap.records import ImageRule, KeyRule, PatternRule
from gate.errors import GateError
from gate.versions.read import VersionUnreadable, read_version
from gate.versions.schemes import Version

OMNIBUS = r"""default_version ['"](?P<version>[^'"]+)['"]"""


def read(data: bytes | None, **spec: str) -> Version:
    rule = PatternRule if "pattern" in spec else KeyRule if "key" in spec else ImageRule
    return read_version(
        rule(**spec),  # type: ignore[arg-type]
        data,
        system="postgresql",
        commit_label="head 0123abc",
    )


def test_read_version_by_pattern():
    result = read(
        b"name 'postgresql'\ndefault_version '9.6.1'\n",
        file="config/software/postgresql.rb",
        pattern=OMNIBUS,
        scheme="postgresql",
    )
    assert result == Version(
        text="9.6.1", file="config/software/postgresql.rb", line=2, scheme="postgresql"
    )
    assert result.at == "config/software/postgresql.rb:2"


def test_version_at_without_a_line():
    assert Version(text="1", file="x.json", line=None, scheme="pep440").at == "x.json"


@pytest.mark.parametrize(
    ("select", "expected"),
    [("first", ("9.6", 1)), ("max", ("11", 2)), ("min", ("9.2", 3))],
)
def test_select_orders_by_version_not_text(select, expected):
    data = b"v 9.6\nv 11\nv 9.2\nv 10\n"
    result = read(data, file="versions.txt", pattern=r"^v (?P<version>\S+)", select=select)
    assert (result.text, result.line) == expected


def test_select_first_reads_only_the_first_match():
    data = b"v 9.6\nv not-a-version\n"
    assert read(data, file="v.txt", pattern=r"^v (?P<version>\S+)").text == "9.6"


def test_select_max_needs_every_match_readable():
    with pytest.raises(VersionUnreadable, match="the match on line 2: 'not-a-version'"):
        read(
            b"v 9.6\nv not-a-version\n", file="v.txt", pattern=r"^v (?P<version>\S+)", select="max"
        )


def test_read_version_by_key():
    data = b"pg_dump:\n  client_version: '9.2.18'\n"
    result = read(data, file="backup/backup.yml", key="pg_dump.client_version", scheme="postgresql")
    assert (result.text, result.at) == ("9.2.18", "backup/backup.yml:2")


@pytest.mark.parametrize(
    ("image", "tag", "scheme", "text", "suffix"),
    [
        ("postgres", "16.4", "postgresql", "16.4", ""),
        ("postgres", "15.1-alpine", "postgresql", "15.1", "-alpine"),
        ("postgres", "9.6.24-bookworm", "postgresql", "9.6.24", "-bookworm"),
        ("postgres", "17beta1", "postgresql", "17beta1", ""),
        ("mysql", "8.0.36", "loose", "8.0.36", ""),
        ("mysql", "8.4", "pep440", "8.4", ""),
        ("mysql", "5.7.44-oracle", "loose", "5.7.44", "-oracle"),
        ("redis", "7.2.4-alpine3.19", "loose", "7.2.4", "-alpine3.19"),
        ("redis", "6.2", "semver", None, None),
        ("node", "20.11.1-bookworm-slim", "semver", "20.11.1", "-bookworm-slim"),
        ("node", "lts-alpine", "loose", None, None),
        ("python", "3.12.2-slim-bookworm", "pep440", "3.12.2", "-slim-bookworm"),
        ("python", "3.11-alpine", "loose", "3.11", "-alpine"),
        ("traefik", "v2.10.7", "semver", "v2.10.7", ""),
    ],
)
def test_real_world_image_tags(image, tag, scheme, text, suffix):
    data = f"services:\n  app:\n    image: {image}:{tag}\n".encode()
    spec = {"file": "compose.yaml", "image": image, "scheme": scheme}
    if text is None:
        with pytest.raises(VersionUnreadable, match=f"the tag '{tag}' on line 3"):
            read(data, **spec)
        return
    result = read(data, **spec)
    assert (result.text, result.suffix, result.line) == (text, suffix, 3)


@pytest.mark.parametrize(
    ("data", "spec", "problem"),
    [
        (None, {"file": "a.rb", "pattern": OMNIBUS}, "the file does not exist"),
        (b"name 'x'\n", {"file": "a.rb", "pattern": OMNIBUS}, "the pattern matches nothing"),
        (b"a: {}\n", {"file": "b.yml", "key": "a.b"}, "key 'a.b' not found: a has no 'b'"),
        (b"a: {b: [1]}\n", {"file": "b.yml", "key": "a.b"}, "is a sequence, not a version"),
        (
            b"a: {b: 9.10}\n",
            {"file": "b.yml", "key": "a.b"},
            r'quote the version in b.yml on line 1 \("9.10"\)',
        ),
        (b"a: {b: lts}\n", {"file": "b.yml", "key": "a.b"}, "key 'a.b' on line 1: 'lts' is not"),
        (b"image: redis:7\n", {"file": "c.yml", "image": "postgres"}, "no 'image: postgres:TAG'"),
        (b"ARG V\nFROM postgres:$V\n", {"file": "Dockerfile", "image": "postgres"}, r"uses \$V"),
        (b"FROM postgres@sha256:ab\n", {"file": "Dockerfile", "image": "postgres"}, "digest only"),
        (
            b"image: postgres:16.2.1\n",
            {"file": "c.yml", "image": "postgres", "scheme": "postgresql"},
            "not a PostgreSQL version",
        ),
    ],
)
def test_unreadable_names_system_file_commit_and_rule(data, spec, problem):
    with pytest.raises(VersionUnreadable) as raised:
        read(data, **spec)
    message = str(raised.value)
    rule = next(f"{name} {spec[name]!r}" for name in ("pattern", "key", "image") if name in spec)
    assert message.startswith(
        f"postgresql: cannot read the version from {spec['file']} at head 0123abc "
        f"(version rule: {rule}, scheme {spec.get('scheme', 'pep440')}): "
    )
    assert re.search(problem, message)
    assert isinstance(raised.value, GateError)


@pytest.mark.parametrize(
    "spec",
    [{"file": "a"}, {"file": "a", "key": "x", "image": "postgres"}],
)
def test_a_rule_needs_exactly_one_source(spec):
    # The rule's type holds exactly one; the loader reports a block with none or two.
    with pytest.raises(TypeError):
        read(b"", **spec)


def test_two_tags_of_the_image_are_ambiguous_and_each_is_listed():
    data = b"FROM postgres:15 AS old\nRUN true\nFROM postgres:${V:-16}\n"
    with pytest.raises(VersionUnreadable, match="ambiguous") as raised:
        read(data, file="db/Dockerfile", image="postgres")
    assert "\n  db/Dockerfile:1: postgres:15\n  db/Dockerfile:3: postgres:${V:-16}" in str(
        raised.value
    )


def test_the_same_tag_in_several_places_is_one_version():
    data = b"FROM postgres:16 AS a\nFROM postgres:16\n"
    assert read(data, file="Dockerfile", image="postgres").text == "16"


def test_a_pattern_that_takes_too_long_is_an_error_not_an_unreadable_version():
    with pytest.raises(GateError, match="took more than 1 second") as raised:
        read(b"a" * 30 + b"!\n", file="v.rb", pattern="(?P<version>(a|a)+$)")
    assert not isinstance(raised.value, VersionUnreadable)
    assert "postgresql" in str(raised.value)
    assert "v.rb at head 0123abc" in str(raised.value)
