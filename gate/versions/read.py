"""Reading a declared version: the rule's raw finds, parsed under the system's scheme."""

from __future__ import annotations

from gate.depmap.records import ImageRule, PatternRule, Scheme, VersionSpec
from gate.errors import GateError
from gate.versions import extract
from gate.versions.extract import PatternTooSlow
from gate.versions.found import Found, Unreadable
from gate.versions.schemes import NotUnderScheme, Parsed, Version, parsed_under


class VersionUnreadable(GateError):
    """A declared version cannot be read from its file at a commit."""


def read_version(
    spec: VersionSpec,
    data: bytes | None,
    *,
    system: str,
    commit_label: str,
    env: bytes | None = None,
) -> Version:
    """The version `spec` declares in `data` (the file at a commit; None: no such file), with
    `env` the `.env` beside a compose file at that commit (None: none there).

    With `select: max | min` every match must read under the scheme and the order is the
    scheme's, never the text's ("11" > "9.6"). Every reference to an `image:` must name a
    version, whatever `select` says: a second reference pinned by digest alone runs a version
    nobody declared. Raises VersionUnreadable naming the system, the file, the commit and the
    rule.
    """
    how, what = spec.written
    rule = f"{how} {what!r}, scheme {spec.scheme}"
    select = spec.select if isinstance(spec, PatternRule) else "first"
    try:
        if data is None:
            raise Unreadable("the file does not exist; add it or correct version.file in the map")
        every = extract.found(spec, data, first=select == "first", env=env)
        if isinstance(spec, ImageRule):
            _one_tag(spec.file, every)
        candidates = [
            (_found_under(found, spec.scheme), found)
            for found in every[: 1 if select == "first" else None]
        ]
    except PatternTooSlow as error:
        # Not an unreadable version, which the merge base may have: a rule that cannot finish.
        raise GateError(
            f"{system}: the version rule ({rule}) cannot read {spec.file} at {commit_label}: "
            f"{error}"
        ) from None
    except Unreadable as error:
        raise VersionUnreadable(
            f"{system}: cannot read the version from {spec.file} at {commit_label} "
            f"(version rule: {rule}): {error}"
        ) from None
    if select == "max":
        _, chosen = max(candidates, key=lambda candidate: candidate[0])
    elif select == "min":
        _, chosen = min(candidates, key=lambda candidate: candidate[0])
    else:
        _, chosen = candidates[0]
    return Version(
        text=chosen.text,
        file=spec.file,
        line=chosen.line,
        scheme=spec.scheme,
        suffix=chosen.suffix,
    )


def _one_tag(file: str, every: list[Found]) -> None:
    """Every reference to an image counts: two tags of it say two versions, so none is read."""
    tags = {(found.text, found.suffix) for found in every}
    if len(tags) > 1:
        listed = "".join(f"\n  {file}:{found.line}: {found.written}" for found in every)
        raise Unreadable(
            f"the file refers to the image with {len(tags)} different tags, which is ambiguous: "
            f"which one is the system's version? Use one tag everywhere:{listed}"
        )


def _found_under(found: Found, scheme: Scheme) -> Parsed:
    try:
        return parsed_under(found.text, scheme)
    except NotUnderScheme as error:
        raise Unreadable(f"{found.origin}: {error}") from None
