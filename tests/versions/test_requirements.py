"""Requirements: filling `requires` from a version, and whether a version meets it."""

from __future__ import annotations

import pytest

from gate.depmap.records import Scheme
from gate.errors import GateError
from gate.versions.requirements import fill_requirement, satisfies
from gate.versions.schemes import Version


def version(text: str, scheme: Scheme = "pep440", suffix: str = "") -> Version:
    return Version(text=text, file="f", line=1, scheme=scheme, suffix=suffix)


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
