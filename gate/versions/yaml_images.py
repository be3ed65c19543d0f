"""Image references in YAML files: the value of every `image` key, in every document."""

from __future__ import annotations

from gate.versions.found import Unreadable


def image_values(text: str) -> list[tuple[str, int]]:
    """(value, line) of each scalar under an `image` key, in file order.

    An `image` key may also hold a mapping of the reference's parts, as Helm charts write it
    ({registry, repository, tag, digest}); its reference is assembled from them.
    Read from the parser's events: comments and the text of block scalars are never keys, an
    alias to an anchored scalar is that scalar, and an alias to a collection is not walked again
    (its keys were read where it was anchored), so no document expands ("billion laughs").
    """
    import yaml
    from yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        MappingStartEvent,
        ScalarEvent,
    )

    loader_class = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    anchored: dict[str, str] = {}  # anchor -> the scalar it names
    # Each open collection: [is a mapping, the next node is a key, the last key was `image`].
    open_collections: list[list[bool]] = []
    # For each open collection, the parts of a reference when it is an `image` key's mapping
    # or an anchored one (an `image` key may name it by alias): (of an image key, anchor, parts).
    parts: list[tuple[bool, str | None, dict[str, tuple[str, int]]] | None] = []
    anchored_parts: dict[str, dict[str, tuple[str, int]]] = {}
    key = ""  # the last key read in the innermost mapping
    values: list[tuple[str, int]] = []
    try:
        loader = loader_class(text)
        try:
            while (event := loader.get_event()) is not None:
                scalar: str | None = None
                if isinstance(event, ScalarEvent):
                    scalar = event.value
                    if event.anchor is not None:
                        anchored[event.anchor] = scalar
                elif isinstance(event, AliasEvent):
                    scalar = anchored.get(event.anchor or "")
                    named = anchored_parts.get(event.anchor or "")
                    if named and "repository" in named and _at_image_value(open_collections):
                        line = (
                            event.start_mark.line + 1
                            if event.start_mark
                            else named["repository"][1]
                        )
                        values.append((_assembled(named)[0], line))
                elif isinstance(event, CollectionEndEvent):
                    open_collections.pop()
                    if (ended := parts.pop()) is not None:
                        of_image, anchor, held = ended
                        if anchor is not None:
                            anchored_parts[anchor] = held
                        if of_image and "repository" in held:
                            values.append(_assembled(held))
                    continue
                elif not isinstance(event, CollectionStartEvent):
                    continue
                if open_collections and open_collections[-1][0]:
                    state = open_collections[-1]
                    if state[1]:
                        state[2] = scalar == "image"
                        key = scalar or ""
                    elif scalar is not None and event.start_mark is not None:
                        line = event.start_mark.line + 1
                        if state[2]:
                            values.append((scalar, line))
                        elif (open_parts := parts[-1]) is not None and key in _PARTS:
                            open_parts[2][key] = (scalar, line)
                    state[1] = not state[1]
                if isinstance(event, CollectionStartEvent):
                    is_mapping = isinstance(event, MappingStartEvent)
                    of_image = bool(open_collections and open_collections[-1][2])
                    open_collections.append([is_mapping, True, False])
                    anchor = event.anchor if is_mapping else None
                    kept = is_mapping and (of_image or anchor is not None)
                    parts.append((of_image, anchor, {}) if kept else None)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" on line {mark.line + 1}" if mark is not None else ""
        raise Unreadable(
            f"the file is not valid YAML{where} ({error.problem or error.context}); the image "
            "rule reads Dockerfiles (named Dockerfile, Containerfile or *.Dockerfile) and YAML"
        ) from None
    except yaml.YAMLError as error:
        raise Unreadable(f"the file is not valid YAML ({error})") from None
    return values


_PARTS = ("registry", "repository", "tag", "digest")


def _at_image_value(open_collections: list[list[bool]]) -> bool:
    """Whether the next node is the value of an `image` key."""
    if not open_collections:
        return False
    is_mapping, next_is_key, last_key_image = open_collections[-1]
    return is_mapping and not next_is_key and last_key_image


def _assembled(held: dict[str, tuple[str, int]]) -> tuple[str, int]:
    """The reference a Helm-style image mapping names, at the line of its repository."""
    repository, line = held["repository"]
    reference = repository
    if "registry" in held and held["registry"][0]:
        reference = f"{held['registry'][0]}/{reference}"
    if "tag" in held and held["tag"][0]:
        reference += f":{held['tag'][0]}"
    if "digest" in held and held["digest"][0]:
        reference += f"@{held['digest'][0]}"
    return reference, line
