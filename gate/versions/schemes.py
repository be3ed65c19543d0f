"""Version schemes: parsing under semver, pep440, postgresql or loose, and bump classes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gate.depmap.records import OnFilter, Scheme
from gate.errors import GateError

if TYPE_CHECKING:
    from packaging.version import Version as Pep440Version

Bump = str  # "major" | "minor" | "patch" | "other" | "added" | "removed"


@dataclass(frozen=True, kw_only=True)
class Version:
    text: str  # as read, e.g. "9.6.1", "15.1" (an image's "-alpine" is kept in `suffix`)
    file: str
    line: int | None  # 1-based; None when the file's format does not tell
    scheme: Scheme
    suffix: str = ""

    @property
    def at(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


@dataclass(frozen=True, kw_only=True, order=True)
class Parsed:
    """A version under its scheme; instances compare by the scheme's order and nothing else."""

    order: tuple[object, ...]
    major: tuple[int, ...] = field(compare=False)  # what must match for a change to be minor
    release: tuple[int, ...] = field(compare=False)  # every number, the major's first
    major_text: str = field(compare=False)  # {major}: "9.6" under postgresql
    minor_text: str = field(compare=False)  # {minor}: the number after the major
    pep440: Pep440Version | None = field(compare=False)  # for requirements; None: none exists


class NotUnderScheme(Exception):
    """The text is no version under the scheme; the message says why."""


def parse_under(text: str, scheme: Scheme) -> Parsed:
    """The version `text` under `scheme`: the key that orders versions for select and bump."""
    try:
        return parsed_under(text, scheme)
    except NotUnderScheme as error:
        raise GateError(str(error)) from None


def parsed_under(text: str, scheme: Scheme) -> Parsed:
    if scheme == "pep440":
        return _pep440(text)
    if scheme == "semver":
        return _semver(text)
    if scheme == "postgresql":
        return _postgresql(text)
    if scheme == "loose":
        return _loose(text)
    raise NotUnderScheme(
        f"unknown version scheme {scheme!r}; use semver, pep440, postgresql or loose"
    )


def _pep440(text: str) -> Parsed:
    from packaging.version import InvalidVersion
    from packaging.version import Version as Pep440Version

    try:
        version = Pep440Version(text)
    except InvalidVersion:
        raise NotUnderScheme(f"{text!r} is not a PEP 440 version (such as 1.2.3)") from None
    release = version.release
    epoch = f"{version.epoch}!" if version.epoch else ""
    return Parsed(
        order=(version,),
        major=(version.epoch, release[0]),
        release=release,
        major_text=f"{epoch}{release[0]}",
        minor_text=str(release[1]) if len(release) > 1 else "0",
        pep440=version,
    )


_SEMVER = re.compile(
    r"v?(?P<major>0|[1-9][0-9]*)\.(?P<minor>0|[1-9][0-9]*)\.(?P<patch>0|[1-9][0-9]*)"
    r"(?:-(?P<pre>(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
    r"(?:\.(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+(?P<build>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
)  # https://semver.org/#is-there-a-suggested-regular-expression-regex-to-check-a-semver-string
# The semver pre-releases that PEP 440 can say, and so that requirements can check.
_SEMVER_PRE_AS_PEP440 = re.compile(r"(?P<label>alpha|a|beta|b|rc)(?:\.?(?P<number>[0-9]+))?")


def _semver(text: str) -> Parsed:
    from packaging.version import Version as Pep440Version

    match = _SEMVER.fullmatch(text)
    if match is None:
        raise NotUnderScheme(
            f"{text!r} is not a semantic version (MAJOR.MINOR.PATCH, such as 1.2.3 or 1.2.3-rc.1)"
        )
    release = (int(match["major"]), int(match["minor"]), int(match["patch"]))
    pre = match["pre"]
    # semver 11: a release sorts after its pre-releases; numeric identifiers sort numerically and
    # before alphanumeric ones; a longer list of equal identifiers sorts later; build is ignored.
    identifiers: tuple[object, ...] = (1,)
    pep440: Pep440Version | None = Pep440Version(".".join(map(str, release)))
    if pre is not None:
        identifiers = (
            0,
            *((0, int(part), "") if part.isdigit() else (1, 0, part) for part in pre.split(".")),
        )
        label = _SEMVER_PRE_AS_PEP440.fullmatch(pre)
        pep440 = Pep440Version(f"{pep440}{label['label']}{label['number'] or 0}") if label else None
    return Parsed(
        order=(*release, identifiers),
        major=release[:1],
        release=release,
        major_text=str(release[0]),
        minor_text=str(release[1]),
        pep440=pep440,
    )


_POSTGRESQL = re.compile(
    r"(?P<numbers>[0-9]+(?:\.[0-9]+){0,2})(?:(?P<label>alpha|beta|rc|devel)(?P<number>[0-9]*))?"
)
_POSTGRESQL_LABEL = {"alpha": "a", "beta": "b", "rc": "rc", "devel": ".dev"}


def _postgresql(text: str) -> Parsed:
    from packaging.version import Version as Pep440Version

    match = _POSTGRESQL.fullmatch(text)
    release = tuple(int(part) for part in match["numbers"].split(".")) if match else ()
    # Before 10 the major is two numbers (9.6) and a release three (9.6.24); from 10 on the
    # major is one number (16) and a release two (16.2). A pre-release names a major (17beta1).
    major_parts = 2 if release and release[0] < 10 else 1
    if (
        match is None
        or len(release) not in (major_parts, major_parts + 1)
        or (match["label"] and len(release) != major_parts)
    ):
        raise NotUnderScheme(
            f"{text!r} is not a PostgreSQL version (such as 9.6, 9.6.24, 16, 16.2 or 17beta1)"
        )
    pre = f"{_POSTGRESQL_LABEL[match['label']]}{match['number'] or 0}" if match["label"] else ""
    version = Pep440Version(".".join(map(str, release)) + pre)
    return Parsed(
        order=(version,),
        major=release[:major_parts],
        release=release,
        major_text=".".join(map(str, release[:major_parts])),
        minor_text=str(release[major_parts]) if len(release) > major_parts else "0",
        pep440=version,
    )


_LOOSE = re.compile(r"v?(?P<numbers>[0-9]+(?:\.[0-9]+)*)")


def _loose(text: str) -> Parsed:
    from packaging.version import Version as Pep440Version

    match = _LOOSE.match(text)
    if match is None:
        raise NotUnderScheme(
            f"{text!r} does not start with a version number (such as 8.0.36 or 15.1-alpine)"
        )
    release = tuple(int(part) for part in match["numbers"].split("."))
    # Only the leading numbers order a loose version: 15.1-alpine and 15.1 are the same one.
    version = Pep440Version(match["numbers"])
    return Parsed(
        order=(version,),
        major=release[:1],
        release=release,
        major_text=str(release[0]),
        minor_text=str(release[1]) if len(release) > 1 else "0",
        pep440=version,
    )


# comparing --------------------------------------------------------------------------------


def bump(before: Version | None, after: Version | None) -> Bump | None:
    """How a version changed; None when it did not (same text, same suffix).

    major, minor, patch: the first number that differs (under postgresql any change below the
    major is minor). A change past the third number, or of a pre-release, post-release or local
    part only, is patch: it is a real version change, so it counts as the finest numeric class.
    other: equal versions written differently (15.1 and 15.1.0 under pep440) or a different
    image suffix (15.1-alpine, 15.1-bookworm). added, removed: absent on one side.
    """
    if before is None or after is None:
        if before is None and after is None:
            return None
        return "added" if before is None else "removed"
    if before.text == after.text and before.suffix == after.suffix:
        return None
    old, new = parse_under(before.text, after.scheme), parse_under(after.text, after.scheme)
    if old.major != new.major:
        return "major"
    if old == new:
        return "other"
    if after.scheme == "postgresql":
        return "minor"
    padded_old, padded_new = _padded(old.release), _padded(new.release)
    if padded_old[1] != padded_new[1]:
        return "minor"
    return "patch"


def _padded(release: tuple[int, ...]) -> tuple[int, ...]:
    return release + (0,) * (3 - len(release))


def is_downgrade(before: Version | None, after: Version | None) -> bool:
    """Whether `after` is an older version than `before` under after's scheme."""
    if before is None or after is None or before.text == after.text:
        return False
    return parse_under(after.text, after.scheme) < parse_under(before.text, after.scheme)


# Which bump classes each `on:` lets across an edge.
_CROSSING: dict[OnFilter, frozenset[Bump]] = {
    "any": frozenset({"major", "minor", "patch", "other"}),
    "version": frozenset({"major", "minor", "patch", "other"}),
    "patch": frozenset({"major", "minor", "patch"}),
    "minor": frozenset({"major", "minor"}),
    "major": frozenset({"major"}),
}


def crosses(on: OnFilter, bump: Bump | None) -> bool:
    """Whether a change of a dependency with this bump crosses an edge with this `on:`.

    bump None is a change that is not a version change: it crosses `on: any` alone.
    """
    if bump is None:
        return on == "any"
    if bump in ("added", "removed"):
        bump = "major"
    if bump not in _CROSSING["any"]:
        raise ValueError(f"unknown bump class {bump!r}")
    return bump in _CROSSING[on]
