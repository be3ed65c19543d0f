"""Container images: the tag of `image:` and `FROM` references to one image name."""

from __future__ import annotations

import re
from collections.abc import Mapping

from gate.versions.found import Found, Unreadable, decoded_text, line_of

# image ------------------------------------------------------------------------------------

# A reference runs to a space, quote, comma or comment; a ${...} inside it may hold any of them.
_REFERENCE = r"""(?P<ref>(?:\$\{[^}\n]*\}|[^\s"',#}\]$]|\$(?!\{))+)"""
_IMAGE_LINE = re.compile(
    r"""(?:^|[{,])[ \t]*(?:-[ \t]+)?["']?image["']?[ \t]*:[ \t]*["']?""" + _REFERENCE,
    re.MULTILINE,
)
_FROM_LINE = re.compile(
    r"^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*" + _REFERENCE, re.MULTILINE | re.IGNORECASE
)
_ARG_LINE = re.compile(
    r"""^[ \t]*ARG[ \t]+(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:=(?P<value>"[^"]*"|'[^']*'|\S*))?""",
    re.MULTILINE | re.IGNORECASE,
)
_VARIABLE = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<operator>:?[-+?])(?P<word>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)
# Stands in for a variable no default resolves; it cannot occur in an image reference.
_UNRESOLVED = "\0"
# Hyphenated parts of a tag that continue the version (1.2.3-rc.1) rather than name a variant.
_PRE_RELEASE_PART = re.compile(r"(?:a|alpha|b|beta|rc)(?:\.?[0-9]+)?", re.IGNORECASE)


def by_image(image: str, file: str, data: bytes) -> list[Found]:
    text = decoded_text(data)
    wanted = tuple(part for part in image.lower().split("/") if part)
    if not wanted:
        raise Unreadable("the image name is empty; name the image, such as 'postgres'")
    references = sorted(
        (match.start("ref"), match["ref"])
        for line_pattern in (_IMAGE_LINE, _FROM_LINE)
        for match in line_pattern.finditer(text)
    )
    results: list[Found] = []
    unsure: list[str] = []
    for offset, reference in references:
        line = line_of(text, offset)
        resolved, unresolved = _substituted(reference, _arguments(text[:offset]))
        name, tag, digest = _split_reference(resolved)
        components = _canonical(name)[-len(wanted) :]
        if _UNRESOLVED in "".join(components):
            unsure.append(f"{reference} (line {line})")
            continue
        if components != wanted:
            continue
        if _UNRESOLVED in tag:
            raise Unreadable(
                f"the tag of {reference} (line {line}) uses {', '.join(unresolved)}, which "
                f"nothing in {file} sets (no ARG default, no ${{NAME:-default}}); give it a "
                "default in the file"
            )
        if not tag:
            if digest:
                raise Unreadable(
                    f"{reference} (line {line}) is pinned by digest only, which names no "
                    f"version; write the tag too ({name}:TAG@{digest})"
                )
            raise Unreadable(
                f"{reference} (line {line}) has no tag (it means 'latest'), which names no "
                "version; pin a version tag"
            )
        version, suffix = split_tag(tag)
        results.append(
            Found(text=version, line=line, suffix=suffix, origin=f"the tag {tag!r} on line {line}")
        )
    if not results:
        note = f"; these references could not be resolved: {', '.join(unsure)}" if unsure else ""
        raise Unreadable(
            f"no 'image: {image}:TAG' or 'FROM {image}:TAG' in the file{note}; check the "
            "image name in the map"
        )
    return results


def _arguments(before: str) -> dict[str, str | None]:
    """Dockerfile ARGs declared above a line: name -> default (None when it has none)."""
    arguments: dict[str, str | None] = {}
    for match in _ARG_LINE.finditer(before):
        value = match["value"]
        if value is not None and value[:1] in ("'", '"'):
            value = value[1:-1]
        arguments[match["name"]] = value
    return arguments


def _substituted(reference: str, known: Mapping[str, str | None]) -> tuple[str, list[str]]:
    """The reference with variables replaced, those nothing sets as _UNRESOLVED (and named)."""
    unresolved: list[str] = []

    def value(match: re.Match[str]) -> str:
        name = match["braced"] or match["bare"]
        current = known.get(name)
        operator, word = match["operator"], match["word"] or ""
        if operator in (":-", "-") and not current:
            # Compose reads values from the environment and .env, which the gate cannot see;
            # the default written in the file is what the repository itself declares.
            return word
        if operator in (":+", "+"):
            return word if current else ""
        if current is None:
            unresolved.append(match[0])
            return _UNRESOLVED
        return current

    return _VARIABLE.sub(value, reference), unresolved


def _canonical(name: str) -> tuple[str, ...]:
    """An image name in full, the way Docker expands it: postgres -> docker.io/library/postgres."""
    components = [part for part in name.lower().split("/") if part]
    first = components[0] if components else ""
    if len(components) < 2 or not ("." in first or ":" in first or first == "localhost"):
        components.insert(0, "docker.io")
    if components[0] == "docker.io" and len(components) == 2:
        components.insert(1, "library")
    return tuple(components)


def _split_reference(reference: str) -> tuple[str, str, str]:
    """NAME[:TAG][@DIGEST] -> (name, tag, digest); a registry's :port is part of the name."""
    named, _, digest = reference.partition("@")
    colon = named.rfind(":")
    if colon > named.rfind("/"):
        return named[:colon], named[colon + 1 :], digest
    return named, "", digest


def split_tag(tag: str) -> tuple[str, str]:
    """An image tag as (version, variant suffix): 15.1-alpine -> ("15.1", "-alpine")."""
    parts = tag.split("-")
    kept = 1
    while kept < len(parts) and _PRE_RELEASE_PART.fullmatch(parts[kept]):
        kept += 1
    suffix = "-".join(parts[kept:])
    return "-".join(parts[:kept]), f"-{suffix}" if suffix else ""
