"""Requirements: `requires` filled from the dependency's version, and whether a version meets it."""

from __future__ import annotations

import re

from gate.errors import GateError
from gate.versions.schemes import Version, parse_under

_PLACEHOLDER = re.compile(r"\{(?P<name>[^{}]*)\}")


def fill_requirement(requires: str, dependency: Version) -> str:
    """`requires` with {version}, {major}, {minor} replaced by the dependency's values.

    {version} is written the PEP 440 way when the version has such a form, because the result
    is a PEP 440 specifier set: 17beta1 -> 17b1, 1.2.3-rc.1+build -> 1.2.3rc1, and under loose
    only the leading numbers (5.7.44-oracle -> 5.7.44).
    """
    parsed = parse_under(dependency.text, dependency.scheme)
    values = {
        "version": dependency.text if parsed.pep440 is None else str(parsed.pep440),
        "major": parsed.major_text,
        "minor": parsed.minor_text,
    }

    def value(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in values:
            raise GateError(
                f"requires {requires!r} uses {{{name}}}; only {{version}}, {{major}} and "
                "{minor} can be filled in: fix the map"
            )
        return values[name]

    return _PLACEHOLDER.sub(value, requires)


def satisfies(version: Version, requirement: str) -> bool:
    """Whether `version` meets `requirement`, a PEP 440 specifier set (pre-releases included)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        specifiers = SpecifierSet(requirement)
    except InvalidSpecifier:
        raise GateError(
            f"requirement {requirement!r} is not a PEP 440 specifier set (such as '>=9.6,<10'); "
            "fix requires: in the map"
        ) from None
    if not len(specifiers):
        # An empty set allows every version: a requirement that checks nothing is a mistake.
        raise GateError(
            f"requirement {requirement!r} is empty; write one such as '>=9.6' in the map"
        )
    pep440 = parse_under(version.text, version.scheme).pep440
    if pep440 is None:
        raise GateError(
            f"version {version.text} ({version.at}, scheme {version.scheme}) has no PEP 440 "
            f"form, so requirement {requirement!r} cannot be checked; use a pre-release label "
            "alpha, beta or rc"
        )
    return specifiers.contains(pep440, prereleases=True)
