"""Strict YAML reading: untrusted bytes in, one typed node tree with positions out."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeAlias

from gate.errors import MapError

if TYPE_CHECKING:
    from yaml.events import Event

NodeKind = Literal["scalar", "sequence", "mapping"]
NodeValue: TypeAlias = "str | tuple[Node, ...] | tuple[tuple[Node, Node], ...]"
NodeTag = Literal["str", "int", "float", "bool", "null", "seq", "map"]

MAX_BYTES = 16 * 1024 * 1024
# Deep enough for any real configuration file, shallow enough that walking a tree never
# reaches Python's recursion limit.
MAX_DEPTH = 128
# Past this many problems the file is not worth reading further, and a flood of aliases must not
# become a flood of messages.
MAX_PROBLEMS = 100
# The longest integer a map may hold: its numbers are counts and the format's version. CPython
# refuses to convert a decimal string of more than 4,300 digits (CVE-2020-10735) and to print an
# integer that long, however it was written (0x...).
MAX_NUMBER_CHARS = 64

# YAML 1.2 core schema, https://yaml.org/spec/1.2.2/#1032-tag-resolution
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
# A plain scalar that starts with none of these ("" for empty) is a string; most do.
_NON_STR_START = frozenset(("", *"0123456789+-.~nNtTfF"))

_TAG_SHORTHAND = "tag:yaml.org,2002:"


class Node(NamedTuple):
    """A YAML node with its position. A tuple: a large map has several hundred thousand."""

    kind: NodeKind
    # scalar text / items / (key, value) pairs in document order
    value: NodeValue
    tag: NodeTag
    line: int  # 1-based
    column: int  # 1-based

    @property
    def text(self) -> str:
        """The scalar's text as written (without quotes); a collection has none."""
        return self.value if isinstance(self.value, str) else ""

    @property
    def items(self) -> tuple[Node, ...]:
        """A sequence's items; () for anything else."""
        if self.kind != "sequence":
            return ()
        return self.value  # type: ignore[return-value]

    @property
    def pairs(self) -> tuple[tuple[Node, Node], ...]:
        """A mapping's (key, value) pairs in order; () for anything else."""
        if self.kind != "mapping":
            return ()
        return self.value  # type: ignore[return-value]


_tuple = tuple.__new__  # Node(...) without its generated __new__, for the walk's inner loop

Problem: TypeAlias = tuple[int, int, str]  # line, column, message
Plain: TypeAlias = "dict[object, Plain] | list[Plain] | str | int | float | bool | None"


def resolve(text: str) -> NodeTag:
    """The core-schema tag of a plain (unquoted) scalar."""
    if text[:1] not in _NON_STR_START:
        return "str"
    if _NULL.fullmatch(text):
        return "null"
    if text in _BOOL:
        return "bool"
    if _INT.fullmatch(text):
        return "int"
    if _FLOAT.fullmatch(text):
        return "float"
    return "str"


def scalar_value(node: Node) -> str | int | float | bool | None:
    """A scalar node as the Python value its tag names."""
    text = node.text
    if node.tag == "str":
        return text
    if node.tag == "null":
        return None
    if node.tag == "bool":
        return _BOOL[text]
    if node.tag == "int":
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text)
    if node.tag == "float":
        lowered = text.lower()
        if lowered.endswith(".nan"):
            return float("nan")
        if lowered.endswith(".inf"):
            return float("-inf") if text.startswith("-") else float("inf")
        return float(text)
    raise ValueError(f"not a scalar: {node.kind}")


def plain(node: Node | None) -> Plain:
    """The node tree as plain Python: dict, list, str, int, float, bool, None."""
    if node is None:
        return None
    if node.kind == "mapping":
        return {scalar_value(key): plain(value) for key, value in node.pairs}
    if node.kind == "sequence":
        return [plain(item) for item in node.items]
    return scalar_value(node)


def _position(source: str, line: int, column: int) -> str:
    return f"{source}:{line}:{column}"


def parse(data: bytes, source: str, *, max_bytes: int = MAX_BYTES) -> Node | None:
    """Parse one YAML document strictly; None when the file holds no document or nothing.

    Every problem is "SOURCE:LINE:COL: message"; all that can be found are raised together
    as a MapError.
    """
    if len(data) > max_bytes:
        raise MapError(
            [
                f"{_position(source, 1, 1)}: the file is {len(data)} bytes, over the limit of "
                f"{max_bytes} bytes; split it or remove what it does not need"
            ]
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _line_column(data, error.start)
        raise MapError(
            [
                f"{_position(source, line, column)}: the file is not valid UTF-8 "
                f"(byte 0x{data[error.start]:02x}); save it as UTF-8"
            ]
        ) from None
    import yaml

    # The C parser (libyaml) is an order of magnitude faster; the pure-Python one is the fallback.
    loader_class = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    problems: list[Problem] = []
    root = None
    try:
        # The pure-Python reader checks the characters as it is created, so inside the try.
        loader = loader_class(data)
        try:
            with collector_paused():
                root = _walk(loader, problems)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        what = error.problem or error.context or "cannot be read"
        context = f" ({error.context})" if error.context and error.problem else ""
        problems.append(
            (
                line,
                column,
                f"YAML syntax error: {what}{context}; "
                "check the indentation and quoting here and on the lines above",
            )
        )
    except yaml.reader.ReaderError as error:
        offset = error.position
        if loader_class is yaml.BaseLoader:  # it counts characters; libyaml counts bytes
            offset = len(data.decode("utf-8")[:offset].encode("utf-8"))
        line, column = _line_column(data, offset)
        problems.append(
            (
                line,
                column,
                f"{error.reason} (character 0x{error.character:02x}); remove it or write it "
                'as an escape in a double-quoted string ("\\x..")',
            )
        )
    except yaml.YAMLError as error:
        problems.append((1, 1, f"YAML error: {error}; check the file is YAML"))
    if problems:
        raise MapError(
            [
                f"{_position(source, line, column)}: {text}"
                for line, column, text in sorted(problems)
            ]
        )
    return root


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a tree, or records from it, are built.

    A large map is several hundred thousand nodes; building them triggers full collections that
    walk the growing tree again and again, which more than doubles the time. Nothing built here
    has cycles. Then every object made so far is frozen (gc.freeze, constant time: moved out of
    the collector's generations): a map lives as long as the check, and otherwise the next
    collections would walk all of it again, several times over. A frozen object is still freed
    when its last reference goes; only a cycle made before a freeze is never collected.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _line_column(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    prefix = data[line_start:offset].decode("utf-8", errors="replace")
    return data.count(b"\n", 0, offset) + 1, len(prefix) + 1


def _tag_name(tag: str) -> str:
    if tag.startswith(_TAG_SHORTHAND):
        return "!!" + tag[len(_TAG_SHORTHAND) :]
    return tag


def _walk(loader: Any, problems: list[Problem]) -> Node | None:
    """Build the tree from parser events, refusing what strict input must not contain.

    Anchors and aliases are refused here, at the event level, so a document built to expand
    exponentially ("billion laughs") is never expanded: nothing in this module composes aliases.
    The loop is kept flat because a large map is hundreds of thousands of events.
    """
    from yaml.events import (
        AliasEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
    )

    get_event = loader.get_event
    # The open collections, each with the children list of its parent; a mapping's children
    # alternate key, value.
    stack: list[tuple[NodeKind, int, int, list[Node]]] = []
    children: list[Node] = []  # of the innermost open collection, or of the document
    documents = 0
    while (event := get_event()) is not None:
        if len(problems) >= MAX_PROBLEMS:
            problems.append((*_start(event), "too many problems; fix the ones above first"))
            break
        event_type = type(event)
        if event_type is ScalarEvent:
            mark = event.start_mark
            line, column = mark.line + 1, mark.column + 1
            text = event.value
            tag: NodeTag = "str"
            if event.anchor is not None or event.tag is not None:
                _refuse(event, problems)
            elif not event.style and text[:1] in _NON_STR_START:
                # Quoted and block scalars are strings, and so is most plain text (checked inline
                # for speed); a tagged one is refused above.
                tag = resolve(text)
            if tag == "int" and len(text) > MAX_NUMBER_CHARS:
                tag = "str"
                problems.append(
                    (
                        line,
                        column,
                        f"a number of more than {MAX_NUMBER_CHARS} characters; quote it if it is"
                        " text",
                    )
                )
            node = _tuple(Node, ("scalar", text, tag, line, column))
            children.append(node)
        elif event_type is MappingStartEvent or event_type is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                _refuse(event, problems)
            line, column = _start(event)
            if len(stack) >= MAX_DEPTH:
                problems.append(
                    (line, column, f"nested deeper than {MAX_DEPTH} levels; flatten the file")
                )
                break
            kind: NodeKind = "mapping" if event_type is MappingStartEvent else "sequence"
            stack.append((kind, line, column, children))
            children = []
        elif event_type is MappingEndEvent or event_type is SequenceEndEvent:
            kind, line, column, parent = stack.pop()
            if kind == "mapping":
                node = _node(kind, _pairs(children, problems), "map", line, column)
            else:
                node = _node(kind, tuple(children), "seq", line, column)
            children = parent
            children.append(node)
        elif event_type is AliasEvent:
            _refuse(event, problems)
            line, column = _start(event)
            children.append(_node("scalar", "", "null", line, column))
        elif event_type is DocumentStartEvent:
            documents += 1
            if documents > 1:
                problems.append(
                    (
                        *_start(event),
                        "a second YAML document starts here; the file must hold exactly one: "
                        "remove this '---' and what follows, or merge it into the first",
                    )
                )
                break
    if not children:
        return None
    root = children[0]
    if root.kind == "scalar" and root.tag == "null" and root.text == "":
        return None
    return root


def _node(kind: NodeKind, value: NodeValue, tag: NodeTag, line: int, column: int) -> Node:
    return _tuple(Node, (kind, value, tag, line, column))


def _start(event: Event) -> tuple[int, int]:
    mark = event.start_mark
    # Both parsers mark every event; the type stubs allow None.
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _refuse(event: Event, problems: list[Problem]) -> None:
    from yaml.events import AliasEvent

    line, column = _start(event)
    anchor = getattr(event, "anchor", None)
    if isinstance(event, AliasEvent):
        problems.append(
            (line, column, f"alias '*{anchor}' is not allowed; write the value out in full")
        )
        return
    if anchor is not None:
        problems.append(
            (line, column, f"anchor '&{anchor}' is not allowed; write the value out in full")
        )
    tag = getattr(event, "tag", None)
    if tag is not None:
        problems.append(
            (
                line,
                column,
                f"explicit tag '{_tag_name(tag)}' is not allowed; remove it "
                "(quote the value if it is text)",
            )
        )


def _pairs(children: list[Node], problems: list[Problem]) -> tuple[tuple[Node, Node], ...]:
    """A mapping's alternating keys and values as pairs, with its keys checked."""
    keys = children[0::2]
    seen: dict[object, Node] = {}
    for key in keys:
        if key.kind != "scalar":
            problems.append(
                (
                    key.line,
                    key.column,
                    f"a mapping key must be a scalar, not a {key.kind}; use a string",
                )
            )
            continue
        identity = key.value if key.tag == "str" else scalar_value(key)
        first = seen.get(identity)
        if first is None:
            seen[identity] = key
            continue
        problems.append(
            (
                key.line,
                key.column,
                f"duplicate key {key.text!r} (first on line {first.line}); keep one of the two",
            )
        )
    return tuple(zip(keys, children[1::2], strict=True))
