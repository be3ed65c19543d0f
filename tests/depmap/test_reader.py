"""The typed getters over strict YAML nodes: a value, or None and a problem at its position."""

from __future__ import annotations

from typing import Any

import pytest

from gate.depmap import strict_yaml
from gate.depmap.reader import Reader, describe, did_you_mean, known_keys_only
from gate.depmap.strict_yaml import Node

KEYS = ("name", "size")


def value_of(text: str) -> Node:
    """The node under `v:` in a one-line document."""
    root = strict_yaml.parse(f"v: {text}\n".encode(), "f.yaml")
    assert root is not None
    [(_, node)] = root.pairs
    return node


@pytest.mark.parametrize(
    ("getter", "text", "args", "value", "problems"),
    [
        ("text", "abc", (), "abc", []),
        ("text", "'1.10'", (), "1.10", []),
        ("text", "1.10", (), None, [
            'f.yaml:1:4: x: 1.10 is the number 1.1 to YAML; quote it: "1.10"'
        ]),
        ("text", "yes", (), "yes", []),  # a string in YAML 1.2
        ("text", "true", (), None, [
            'f.yaml:1:4: x: true is the boolean true to YAML; quote it: "true"'
        ]),
        ("text", "", (), None, ["f.yaml:1:3: x is empty; give it a value"]),
        ("text", "[a]", (), None, ["f.yaml:1:4: x must be a string, not a list"]),
        ("text", "{a: 1}", (), None, ["f.yaml:1:4: x must be a string, not a mapping"]),
        ("boolean", "true", (), True, []),
        ("boolean", "False", (), False, []),
        ("boolean", "yes", (), None, [
            "f.yaml:1:4: x must be true or false, not the text 'yes' "
            "(only true and false are booleans)"
        ]),
        ("boolean", "1", (), None, ["f.yaml:1:4: x must be true or false, not the number 1"]),
        ("choice", "max", (("first", "max"),), "max", []),
        ("choice", "maxx", (("first", "max"),), None, [
            "f.yaml:1:4: x must be one of first, max, not the text 'maxx'; did you mean 'max'?"
        ]),
        ("choice", "'3'", (("first", "max"),), None, [
            "f.yaml:1:4: x must be one of first, max, not the text '3'"
        ]),
        ("choice", "[max]", (("first", "max"),), None, [
            "f.yaml:1:4: x must be one of first, max, not a list"
        ]),
        ("items", "[a, 1]", (), ("a", "1"), []),
        ("items", "[]", (), (), []),
        ("items", "a", (), None, ["f.yaml:1:4: x must be a list such as [a, b], not the text 'a'"]),
        ("fields", "{name: a, size: 2}", (KEYS,), {"name": "a", "size": "2"}, []),
        ("fields", "{nmae: a}", (KEYS,), {}, [
            "f.yaml:1:5: unknown key 'nmae' in x; did you mean 'name'?"
        ]),
        ("fields", "{other: a, 1: b}", (KEYS,), {}, [
            "f.yaml:1:5: unknown key 'other' in x; allowed: name, size",
            "f.yaml:1:15: unknown key '1' in x; allowed: name, size",
        ]),
        ("fields", "[a]", (KEYS,), None, [
            "f.yaml:1:4: x must be a mapping with keys name, size, not a list"
        ]),
    ],
)  # fmt: skip
def test_typed_getters(
    getter: str, text: str, args: tuple[Any, ...], value: object, problems: list[str]
) -> None:
    reader = Reader("f.yaml")
    got = getattr(reader, getter)(value_of(text), "x", *args)
    if isinstance(got, tuple):
        got = tuple(item.text for item in got)
    elif isinstance(got, dict):
        got = {name: node.text for name, node in got.items()}
    assert got == value
    assert reader.messages() == problems


def test_problems_in_the_order_found_or_in_file_order() -> None:
    root = strict_yaml.parse(b"a: 1\nb: 2\n", "f.yaml")
    assert root is not None
    (_, first), (_, second) = root.pairs
    reader = Reader("f.yaml")
    reader.problem(second, "later")
    reader.problem(first, "earlier")
    assert reader.messages() == ["f.yaml:2:4: later", "f.yaml:1:4: earlier"]
    assert reader.sorted_messages() == ["f.yaml:1:4: earlier", "f.yaml:2:4: later"]


@pytest.mark.parametrize(
    ("text", "described"),
    [
        ("{}", "a mapping"),
        ("[]", "a list"),
        ("abc", "the text 'abc'"),
        ("~", "empty (null)"),
        ("TRUE", "the boolean true"),
        ("0x10", "the number 16"),
        ("1e3", "the number 1000.0"),
    ],
)
def test_describe(text: str, described: str) -> None:
    assert describe(value_of(text)) == described


def test_known_keys_only_and_did_you_mean() -> None:
    assert known_keys_only(value_of("{name: a}"), KEYS)
    assert not known_keys_only(value_of("{name: a, nmae: b}"), KEYS)
    assert did_you_mean("sise", KEYS) == "; did you mean 'size'?"
    assert did_you_mean("colour", KEYS) == ""
