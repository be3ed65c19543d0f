"""Container images: the tag of `image:` and `FROM` references to one image name."""

from __future__ import annotations

import re
from collections.abc import Mapping

from gate.depmap.records import is_dockerfile
from gate.versions import dockerfile, yaml_images
from gate.versions.dockerfile import Reference
from gate.versions.found import Found, Unreadable, decoded_text

_VARIABLE = re.compile(
    r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<operator>:?[-+?])(?P<word>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)
# Stands in for a variable no default resolves; it cannot occur in an image reference.
_UNRESOLVED = "\0"
# Hyphenated parts of a tag that continue the version (1.2.3-rc.1) rather than name a variant.
_PRE_RELEASE_PART = re.compile(r"(?:a|alpha|b|beta|rc)(?:\.?[0-9]+)?", re.IGNORECASE)


def references(
    file: str, data: bytes, env: Mapping[str, str | None] | None = None
) -> list[Reference]:
    """Every image reference in the file's structure: FROM instructions of a Dockerfile, the
    values of `image` keys of a YAML file, with the variables `env` (its `.env`) sets."""
    text = decoded_text(data)
    if is_dockerfile(file):
        return dockerfile.from_references(text)
    known = env or {}
    return [Reference(value, line, known) for value, line in yaml_images.image_values(text)]


def by_image(
    image: str, file: str, data: bytes, env: Mapping[str, str | None] | None = None
) -> list[Found]:
    wanted = tuple(part for part in image.lower().split("/") if part)
    if not wanted:
        raise Unreadable("the image name is empty; name the image, such as 'postgres'")
    results: list[Found] = []
    unsure: list[str] = []
    canonical: dict[str, tuple[str, ...]] = {}  # a file names few images, many times
    for reference, line, arguments in references(file, data, env):
        resolved, unresolved = _substituted(reference, arguments)
        name, tag, digest = _split_reference(resolved)
        if name not in canonical:
            canonical[name] = _canonical(name)[-len(wanted) :]
        components = canonical[name]
        if _UNRESOLVED in "".join(components):
            unsure.append(f"{reference} (line {line})")
            continue
        if components != wanted:
            continue
        if _UNRESOLVED in tag:
            raise Unreadable(
                f"the tag of {reference} (line {line}) uses {', '.join(unresolved)}, which "
                f"nothing in {file} sets (no ARG default above the first FROM, no "
                "${NAME:-default}); give it a default in the file"
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
            Found(
                text=version,
                line=line,
                suffix=suffix,
                origin=f"the tag {tag!r} on line {line}",
                written=reference,
            )
        )
    if not results:
        note = f"; these references could not be resolved: {', '.join(unsure)}" if unsure else ""
        raise Unreadable(
            f"no 'image: {image}:TAG' or 'FROM {image}:TAG' in the file{note}; check the "
            "image name in the map"
        )
    return results


def _substituted(reference: str, known: Mapping[str, str | None]) -> tuple[str, list[str]]:
    """The reference with variables replaced, those nothing sets as _UNRESOLVED (and named)."""
    unresolved: list[str] = []

    def value(match: re.Match[str]) -> str:
        name = match["braced"] or match["bare"]
        current = known.get(name)
        operator, word = match["operator"], match["word"] or ""
        if operator in (":-", "-") and not current:
            # Compose reads values from the environment, which the gate cannot see, then from
            # the .env beside the file (`known`), then the default written in the file.
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
