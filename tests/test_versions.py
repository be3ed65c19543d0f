from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.version import Version as Pep440Version

from gate.depmap.records import ImageRule, KeyRule, OnFilter, PatternRule, Scheme
from gate.errors import GateError
from gate.versions.read import VersionUnreadable, read_version
from gate.versions.requirements import fill_requirement, satisfies
from gate.versions.schemes import Version, bump, crosses, is_downgrade, parse_under

OMNIBUS = r"""default_version ['"](?P<version>[^'"]+)['"]"""


def version(text: str, scheme: Scheme = "pep440", suffix: str = "") -> Version:
    return Version(text=text, file="f", line=1, scheme=scheme, suffix=suffix)


def read(data: bytes | None, **spec: str) -> Version:
    rule = PatternRule if "pattern" in spec else KeyRule if "key" in spec else ImageRule
    return read_version(
        rule(**spec),  # type: ignore[arg-type]
        data,
        system="postgresql",
        commit_label="head 0123abc",
    )


# schemes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "text"),
    [
        ("pep440", "1.2.3"),
        ("pep440", "1!2.0"),
        ("pep440", "2.0rc1.post2.dev3+local"),
        ("pep440", "v1.0"),
        ("semver", "1.2.3"),
        ("semver", "v1.2.3"),
        ("semver", "1.2.3-rc.1+build.5"),
        ("semver", "0.0.0-0"),
        ("postgresql", "9.6"),
        ("postgresql", "9.6.1"),
        ("postgresql", "10"),
        ("postgresql", "16.2"),
        ("postgresql", "17beta1"),
        ("postgresql", "9.6rc1"),
        ("postgresql", "17devel"),
        ("loose", "8.0.36"),
        ("loose", "5.7.44-oracle"),
        ("loose", "v2.10"),
        ("loose", "20"),
    ],
)
def test_valid_under_scheme(scheme, text):
    parse_under(text, scheme)


@pytest.mark.parametrize(
    ("scheme", "text", "message"),
    [
        ("pep440", "15.1-alpine", "not a PEP 440 version"),
        ("pep440", "lts", "not a PEP 440 version"),
        ("semver", "1.2", "not a semantic version"),
        ("semver", "01.2.3", "not a semantic version"),
        ("semver", "1.2.3-", "not a semantic version"),
        ("postgresql", "9", "not a PostgreSQL version"),
        ("postgresql", "9.6.24.1", "not a PostgreSQL version"),
        ("postgresql", "16.2.1", "not a PostgreSQL version"),
        ("postgresql", "9.6.1beta1", "not a PostgreSQL version"),
        ("postgresql", "16.2beta1", "not a PostgreSQL version"),
        ("postgresql", "16-alpine", "not a PostgreSQL version"),
        ("loose", "lts", "does not start with a version number"),
        ("loose", "", "does not start with a version number"),
        ("calver", "2024.01", "unknown version scheme 'calver'"),
    ],
)
def test_invalid_under_scheme(scheme, text, message):
    with pytest.raises(GateError, match=message):
        parse_under(text, scheme)


def test_semver_precedence_follows_the_specification():
    # https://semver.org/#spec-item-11
    ordered = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.0.1",
        "1.1.0",
        "2.0.0",
    ]
    keys = [parse_under(text, "semver") for text in ordered]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert parse_under("1.0.0+build.1", "semver") == parse_under("1.0.0", "semver")


@pytest.mark.parametrize(
    ("scheme", "lower", "higher"),
    [
        ("postgresql", "9.6", "10"),
        ("postgresql", "9.2.24", "9.6"),
        ("postgresql", "16beta2", "16.0"),
        ("postgresql", "17devel", "17alpha1"),
        ("postgresql", "17beta1", "17beta2"),
        ("loose", "9.6", "11"),
        ("loose", "5.7.44-oracle", "8.0"),
        ("pep440", "9.6", "11"),
        ("pep440", "1.0rc1", "1.0"),
    ],
)
def test_order_is_by_version_never_by_text(scheme, lower, higher):
    assert parse_under(lower, scheme) < parse_under(higher, scheme)


@pytest.mark.parametrize(
    ("scheme", "first", "second"),
    [
        ("pep440", "15.1", "15.1.0"),
        ("loose", "15.1-alpine", "15.1"),
        ("postgresql", "10", "10.0"),
        ("semver", "1.0.0+a", "1.0.0+b"),
    ],
)
def test_equal_versions(scheme, first, second):
    assert parse_under(first, scheme) == parse_under(second, scheme)


# bump -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "expected", "downgrade"),
    [
        ("9.2", "9.6", "major", False),
        ("9.6", "10", "major", False),
        ("10.1", "10.4", "minor", False),
        ("9.2.18", "9.2.24", "minor", False),
        ("9.6.1", "9.6.2", "minor", False),
        ("10", "9.6", "major", True),
        ("16.4", "16.2", "minor", True),
        ("9.6", "9.6.0", "other", False),
        ("16beta2", "16.0", "minor", False),
        ("16.2", "17beta1", "major", False),
    ],
)
def test_postgresql_bumps(before, after, expected, downgrade):
    old, new = version(before, "postgresql"), version(after, "postgresql")
    assert bump(old, new) == expected
    assert is_downgrade(old, new) is downgrade


@pytest.mark.parametrize(
    ("scheme", "before", "after", "expected"),
    [
        ("pep440", "1.2.3", "2.0.0", "major"),
        ("pep440", "1.2.3", "1.3", "minor"),
        ("pep440", "1.2.3", "1.2.4", "patch"),
        ("pep440", "1.2.3.4", "1.2.3.5", "patch"),
        ("pep440", "1.2.3rc1", "1.2.3", "patch"),
        ("pep440", "1.2.3", "1.2.3.post1", "patch"),
        ("pep440", "15.1", "15.1.0", "other"),
        ("pep440", "1.0", "1!1.0", "major"),
        ("pep440", "9.6", "9.10", "minor"),
        ("semver", "1.2.3", "2.0.0", "major"),
        ("semver", "1.2.3", "1.3.0", "minor"),
        ("semver", "1.2.3", "1.2.4", "patch"),
        ("semver", "1.2.3-rc.1", "1.2.3", "patch"),
        ("semver", "1.2.3+a", "1.2.3+b", "other"),
        ("semver", "v1.2.3", "1.2.3", "other"),
        ("loose", "8.0.36", "8.4", "minor"),
        ("loose", "5.7.44", "8.0.36", "major"),
        ("loose", "7.2.4", "7.2.5", "patch"),
        ("loose", "15.1-alpine", "15.1-bookworm", "other"),
        ("loose", "15.1", "15.1.0", "other"),
    ],
)
def test_bumps(scheme, before, after, expected):
    assert bump(version(before, scheme), version(after, scheme)) == expected


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (None, None, None),
        (None, version("1.0"), "added"),
        (version("1.0"), None, "removed"),
        (version("1.0"), version("1.0"), None),
        (version("15.1", "loose", "-alpine"), version("15.1", "loose", "-alpine"), None),
        (version("15.1", "loose", "-alpine"), version("15.1", "loose", "-bookworm"), "other"),
        (version("15.1", "loose", "-alpine"), version("16.0", "loose", "-alpine"), "major"),
    ],
)
def test_bump_presence_and_suffix(before, after, expected):
    assert bump(before, after) == expected


@pytest.mark.parametrize(
    ("before", "after"),
    [(None, version("1.0")), (version("1.0"), None), (None, None), (version("1"), version("1"))],
)
def test_no_downgrade_without_two_different_versions(before, after):
    assert is_downgrade(before, after) is False


def test_bump_of_a_text_the_scheme_cannot_read_is_an_error():
    with pytest.raises(GateError, match="not a PostgreSQL version"):
        bump(version("9.6", "postgresql"), version("latest", "postgresql"))


# crosses ----------------------------------------------------------------------------------

ON_FILTERS: list[OnFilter] = ["any", "version", "patch", "minor", "major"]  # widest first
BUMPS = ["major", "minor", "patch", "other", "added", "removed", None]


@pytest.mark.parametrize(
    ("bump_class", "crossed"),
    [
        ("major", {"any", "version", "patch", "minor", "major"}),
        ("added", {"any", "version", "patch", "minor", "major"}),
        ("removed", {"any", "version", "patch", "minor", "major"}),
        ("minor", {"any", "version", "patch", "minor"}),
        ("patch", {"any", "version", "patch"}),
        ("other", {"any", "version"}),
        (None, {"any"}),
    ],
)
def test_crosses(bump_class, crossed):
    assert {on for on in ON_FILTERS if crosses(on, bump_class)} == crossed


def test_unknown_bump_class_is_a_bug():
    with pytest.raises(ValueError, match="unknown bump class"):
        crosses("any", "huge")


@given(st.sampled_from(BUMPS), st.integers(0, 3))
def test_crosses_is_monotone(bump_class, narrower_at):
    # Whatever crosses a narrow filter crosses every wider one.
    narrow, wide = ON_FILTERS[narrower_at + 1], ON_FILTERS[narrower_at]
    if crosses(narrow, bump_class):
        assert crosses(wide, bump_class)


# requirements -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requires", "dependency", "expected"),
    [
        (">={major}", version("9.6.1", "postgresql"), ">=9.6"),
        (">={major}", version("16.2", "postgresql"), ">=16"),
        (">={major}", version("17beta1", "postgresql"), ">=17"),
        ("=={major}.{minor}", version("9.6.1", "postgresql"), "==9.6.1"),
        ("=={major}.{minor}", version("9.6", "postgresql"), "==9.6.0"),
        ("=={major}.{minor}", version("10.4", "postgresql"), "==10.4"),
        (">={major}", version("9.6.1"), ">=9"),
        (">={major}.{minor}", version("9.6.1"), ">=9.6"),
        (">={major}.{minor}", version("9"), ">=9.0"),
        (">={major}", version("1!2.0"), ">=1!2"),
        (">={major}.{minor},<{version}", version("1.2.3", "semver"), ">=1.2,<1.2.3"),
        ("~={version}", version("15.1", "loose", "-alpine"), "~=15.1"),
        (">={version}", version("5.7.44-oracle", "loose"), ">=5.7.44"),
        (">={version}", version("17devel", "postgresql"), ">=17.dev0"),
        (">={version}", version("17beta1", "postgresql"), ">=17b1"),
        (">={version}", version("1.2.3-rc.1+build", "semver"), ">=1.2.3rc1"),
        (">={version}", version("1.2.3-snapshot", "semver"), ">=1.2.3-snapshot"),
        (">={version}", version("v1.0"), ">=1.0"),
        (">=1.0", version("9.6"), ">=1.0"),
    ],
)
def test_fill_requirement(requires, dependency, expected):
    assert fill_requirement(requires, dependency) == expected


def test_fill_requirement_refuses_unknown_placeholders():
    with pytest.raises(GateError, match=r"uses \{patch\}"):
        fill_requirement(">={major}.{minor}.{patch}", version("1.2.3"))


@pytest.mark.parametrize(
    ("text", "scheme", "requirement", "expected"),
    [
        ("9.2.18", "postgresql", ">=9.6", False),
        ("9.6.1", "postgresql", ">=9.6", True),
        ("16beta2", "postgresql", ">=16b1", True),
        ("16beta2", "postgresql", ">=16", False),
        ("17devel", "postgresql", "<17a1", True),
        ("1.2.3", "pep440", ">=1.2,<2", True),
        ("2.0rc1", "pep440", ">=2.0a1", True),
        ("1.2.3-rc.1+build", "semver", ">=1.2.3rc1", True),
        ("1.2.3-beta", "semver", "<1.2.3b1", True),
        ("1.2.3-alpha.2", "semver", "==1.2.3a2", True),
        ("5.7.44-oracle", "loose", ">=8.0", False),
        ("8.0.36", "loose", "~=8.0", True),
    ],
)
def test_satisfies(text, scheme, requirement, expected):
    assert satisfies(version(text, scheme), requirement) is expected


@pytest.mark.parametrize("requirement", ["", " ", ",", " , "])
def test_empty_requirement(requirement):
    with pytest.raises(GateError, match="is empty"):
        satisfies(version("1.0"), requirement)


@pytest.mark.parametrize("requirement", [">=9.6;", ">={major}", "9.6", ">=nine", "=>9.6"])
def test_invalid_requirement(requirement):
    with pytest.raises(GateError, match="is not a PEP 440 specifier set"):
        satisfies(version("9.6"), requirement)


def test_semver_pre_release_without_a_pep440_form_cannot_be_checked():
    with pytest.raises(GateError, match=r"1.2.3-snapshot \(f:1, scheme semver\) has no PEP 440"):
        satisfies(version("1.2.3-snapshot", "semver"), ">=1.0")


def test_the_2017_upgrade():
    server, client = version("9.6.1", "postgresql"), version("9.2.18", "postgresql")
    requirement = fill_requirement(">={major}", server)
    assert requirement == ">=9.6"
    assert satisfies(client, requirement) is False


# read_version -----------------------------------------------------------------------------


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


# properties -------------------------------------------------------------------------------

numbers = st.integers(min_value=0, max_value=30)


@st.composite
def pep440_texts(draw: st.DrawFn) -> str:
    release = ".".join(map(str, draw(st.lists(numbers, min_size=1, max_size=4))))
    pre = draw(st.sampled_from(["", "a", "b", "rc"]))
    if pre:
        release += f"{pre}{draw(numbers)}"
    if draw(st.booleans()):
        release += f".post{draw(numbers)}"
    if draw(st.booleans()):
        release += f".dev{draw(numbers)}"
    return release


@st.composite
def semver_texts(draw: st.DrawFn) -> str:
    text = ".".join(map(str, draw(st.lists(numbers, min_size=3, max_size=3))))
    identifiers = draw(
        st.lists(
            st.one_of(numbers.map(str), st.sampled_from(["alpha", "beta", "rc", "x-y"])), max_size=3
        )
    )
    if identifiers:
        text += "-" + ".".join(identifiers)
    return text


@st.composite
def postgresql_texts(draw: st.DrawFn) -> str:
    major = draw(st.integers(min_value=6, max_value=18))
    if major < 10:
        text = f"{major}.{draw(numbers)}"
        return text + draw(st.sampled_from(["", f".{draw(numbers)}", "beta1", "rc2"]))
    return f"{major}" + draw(st.sampled_from(["", f".{draw(numbers)}", "beta2", "devel"]))


@st.composite
def loose_texts(draw: st.DrawFn) -> str:
    text = ".".join(map(str, draw(st.lists(numbers, min_size=1, max_size=4))))
    return text + draw(st.sampled_from(["", "-alpine", "-slim-bookworm", "b"]))


TEXTS: dict[Scheme, st.SearchStrategy[str]] = {
    "pep440": pep440_texts(),
    "semver": semver_texts(),
    "postgresql": postgresql_texts(),
    "loose": loose_texts(),
}


@given(pep440_texts(), pep440_texts())
def test_pep440_order_is_packaging_order(first, second):
    a, b = parse_under(first, "pep440"), parse_under(second, "pep440")
    assert (a < b) == (Pep440Version(first) < Pep440Version(second))
    assert (a == b) == (Pep440Version(first) == Pep440Version(second))


@st.composite
def pairs(draw: st.DrawFn) -> tuple[Scheme, str, str, str]:
    scheme = draw(st.sampled_from(list(TEXTS)))
    return scheme, draw(TEXTS[scheme]), draw(TEXTS[scheme]), draw(TEXTS[scheme])


@given(pairs())
def test_order_is_total(case):
    scheme, *texts = case
    a, b, c = (parse_under(text, scheme) for text in texts)
    assert sum([a < b, a == b, b < a]) == 1
    if a <= b <= c:
        assert a <= c


@given(pairs())
def test_bump_class_is_symmetric_and_downgrade_flips(case):
    scheme, first, second, _ = case
    a, b = version(first, scheme), version(second, scheme)
    assert bump(a, b) == bump(b, a)
    if parse_under(first, scheme) == parse_under(second, scheme):
        assert not is_downgrade(a, b)
        assert not is_downgrade(b, a)
        assert bump(a, b) in (None, "other")
    else:
        assert is_downgrade(a, b) != is_downgrade(b, a)
        assert bump(a, b) in ("major", "minor", "patch")
