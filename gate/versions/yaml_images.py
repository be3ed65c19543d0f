"""Image references in YAML files: the value of every `image` key, in every document."""

from __future__ import annotations

from gate.versions.found import Unreadable


def image_values(text: str) -> list[tuple[str, int]]:
    """(value, line) of each scalar under an `image` key, in file order.

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
                elif isinstance(event, CollectionEndEvent):
                    open_collections.pop()
                    continue
                elif not isinstance(event, CollectionStartEvent):
                    continue
                if open_collections and open_collections[-1][0]:
                    state = open_collections[-1]
                    if state[1]:
                        state[2] = scalar == "image"
                    elif state[2] and scalar is not None and event.start_mark is not None:
                        values.append((scalar, event.start_mark.line + 1))
                    state[1] = not state[1]
                if isinstance(event, CollectionStartEvent):
                    open_collections.append([isinstance(event, MappingStartEvent), True, False])
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
