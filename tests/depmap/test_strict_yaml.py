from __future__ import annotations

import itertools
import math
import time

import pytest

from gate.depmap.strict_yaml import MAX_DEPTH, MAX_PROBLEMS, Node, parse, plain
from gate.errors import MapError


def problems_of(data: bytes, **kwargs: int) -> list[str]:
    with pytest.raises(MapError) as caught:
        parse(data, "f.yaml", **kwargs)
    return caught.value.problems


@pytest.mark.parametrize(
    ("text", "expected", "tag"),
    [
        # YAML 1.1 booleans are strings under the 1.2 core schema.
        ("on", "on", "str"),
        ("off", "off", "str"),
        ("yes", "yes", "str"),
        ("no", "no", "str"),
        ("y", "y", "str"),
        ("n", "n", "str"),
        ("On", "On", "str"),
        ("true", True, "bool"),
        ("True", True, "bool"),
        ("TRUE", True, "bool"),
        ("false", False, "bool"),
        ("False", False, "bool"),
        ("FALSE", False, "bool"),
        ("tRUE", "tRUE", "str"),
        ("~", None, "null"),
        ("null", None, "null"),
        ("Null", None, "null"),
        ("NULL", None, "null"),
        ("", None, "null"),
        ("nULL", "nULL", "str"),
        ("9.10", 9.1, "float"),
        ("9.", 9.0, "float"),
        (".5", 0.5, "float"),
        ("-1.5e3", -1500.0, "float"),
        ("1e3", 1000.0, "float"),
        (".inf", math.inf, "float"),
        ("-.Inf", -math.inf, "float"),
        ("+.INF", math.inf, "float"),
        ("0x1F", 31, "int"),
        ("0X1F", "0X1F", "str"),
        ("0o17", 15, "int"),
        ("017", 17, "int"),  # decimal under 1.2, not octal
        ("-12", -12, "int"),
        ("+12", 12, "int"),
        ("0", 0, "int"),
        ("1_000", "1_000", "str"),
        ("0b101", "0b101", "str"),
        ("1:20", "1:20", "str"),  # sexagesimal under 1.1
        ("2001-12-14", "2001-12-14", "str"),  # a timestamp under 1.1
        ("9.6.1", "9.6.1", "str"),
        ("<<", "<<", "str"),
        ("'9.10'", "9.10", "str"),
        ('"true"', "true", "str"),
        ("'~'", "~", "str"),
        ("''", "", "str"),
        ("'0x1F'", "0x1F", "str"),
    ],
)
def test_scalars_resolve_by_the_yaml_1_2_core_schema(text, expected, tag):
    node = parse(f"key: {text}\n".encode(), "f.yaml")
    assert node is not None
    ((_, value),) = node.pairs
    assert value.tag == tag
    assert plain(value) == expected
    assert type(plain(value)) is type(expected)


def test_nan_is_a_float():
    node = parse(b"- .nan\n- .NaN\n- .NAN\n", "f.yaml")
    assert node is not None
    values = plain(node)
    assert isinstance(values, list)
    assert all(isinstance(value, float) and math.isnan(value) for value in values)


@pytest.mark.parametrize(
    "text",
    ["k: |\n  true\n", "k: >\n  9.10\n", "k: 'yes'\n", 'k: "0x1F"\n'],
)
def test_block_and_quoted_scalars_are_strings(text):
    node = parse(text.encode(), "f.yaml")
    assert node is not None
    assert node.pairs[0][1].tag == "str"


def test_nodes_carry_positions_and_order():
    data = b"b: 1\na:\n  - x\n  - {y: z}\n"
    node = parse(data, "f.yaml")
    assert node is not None
    assert (node.kind, node.tag, node.line, node.column) == ("mapping", "map", 1, 1)
    (b_key, b_value), (_, a_value) = node.pairs
    assert (b_key.text, b_key.line, b_key.column) == ("b", 1, 1)
    assert (b_value.tag, b_value.line, b_value.column) == ("int", 1, 4)
    assert (a_value.kind, a_value.tag, a_value.line, a_value.column) == ("sequence", "seq", 3, 3)
    x, flow = a_value.items
    assert x == Node(kind="scalar", value="x", tag="str", line=3, column=5)
    assert (flow.kind, flow.line, flow.column) == ("mapping", 4, 5)
    assert flow.pairs[0][1] == Node(kind="scalar", value="z", tag="str", line=4, column=9)
    assert plain(node) == {"b": 1, "a": ["x", {"y": "z"}]}


def test_columns_count_characters_not_bytes():
    node = parse("é: [x, ü]\n".encode(), "f.yaml")
    assert node is not None
    assert [(item.text, item.column) for item in node.pairs[0][1].items] == [("x", 5), ("ü", 8)]


@pytest.mark.parametrize("data", [b"", b"# nothing\n", b"---\n", b"---\n...\n", b"\n\n"])
def test_an_empty_document_is_none(data):
    assert parse(data, "f.yaml") is None
    assert plain(None) is None


def test_a_byte_order_mark_is_accepted():
    assert plain(parse("\ufeffa: 1\n".encode(), "f.yaml")) == {"a": 1}


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        pytest.param(
            b"a: &x 1\n",
            "f.yaml:1:4: anchor '&x' is not allowed; write the value out in full",
            id="anchor",
        ),
        pytest.param(
            b"a: 1\nb: *x\n",
            "f.yaml:2:4: alias '*x' is not allowed; write the value out in full",
            id="alias without anchor",
        ),
        pytest.param(
            b"a: !!python/object/apply:os.system [ls]\n",
            "f.yaml:1:4: explicit tag '!!python/object/apply:os.system' is not allowed; "
            "remove it (quote the value if it is text)",
            id="python tag",
        ),
        pytest.param(
            b"a: !!str 1\n",
            "f.yaml:1:4: explicit tag '!!str' is not allowed",
            id="str tag",
        ),
        pytest.param(b"a: !custom x\n", "f.yaml:1:4: explicit tag '!custom'", id="local tag"),
        pytest.param(b"a: ! x\n", "f.yaml:1:4: explicit tag '!'", id="non-specific tag"),
        pytest.param(b"a: !!map {}\n", "f.yaml:1:4: explicit tag '!!map'", id="collection tag"),
        pytest.param(
            b"a: 1\nb: 2\na: 3\n",
            "f.yaml:3:1: duplicate key 'a' (first on line 1); keep one of the two",
            id="duplicate key",
        ),
        pytest.param(
            b"x:\n  1: a\n  0x1: b\n",
            "f.yaml:3:3: duplicate key '0x1' (first on line 2)",
            id="duplicate key by value",
        ),
        pytest.param(
            b"? [a, b]\n: c\n",
            "f.yaml:1:3: a mapping key must be a scalar, not a sequence; use a string",
            id="sequence key",
        ),
        pytest.param(
            b"{a: 1}: c\n",
            "f.yaml:1:1: a mapping key must be a scalar, not a mapping",
            id="mapping key",
        ),
        pytest.param(
            b"a: 1\n---\nb: 2\n",
            "f.yaml:2:1: a second YAML document starts here; the file must hold exactly one",
            id="two documents",
        ),
        pytest.param(
            b"a: [1, 2\nb: 3\n",
            "f.yaml:2:2: YAML syntax error: did not find expected ',' or ']' "
            "(while parsing a flow sequence); check the indentation and quoting",
            id="unclosed flow sequence",
        ),
        pytest.param(
            b"a: b\n  c: d\n",
            "f.yaml:2:4: YAML syntax error: mapping values are not allowed in this context",
            id="bad indentation",
        ),
        pytest.param(
            b"a: 'x\n",
            "f.yaml:2:1: YAML syntax error: found unexpected end of stream",
            id="unclosed quote",
        ),
        pytest.param(
            b"a:\tb\n\tc: d\n",
            "f.yaml:2:1: YAML syntax error: found a tab character that violates indentation",
            id="tab indentation",
        ),
        pytest.param(
            b"a: 1\nb: x\x01y\n",
            "f.yaml:2:5: control characters are not allowed (character 0x01); remove it",
            id="control character",
        ),
        pytest.param(
            b"a: 1\nb: caf\xe9\n",
            "f.yaml:2:7: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8",
            id="latin-1",
        ),
        pytest.param(
            "a: 1\n".encode("utf-16"),
            "f.yaml:1:1: the file is not valid UTF-8 (byte 0xff); save it as UTF-8",
            id="utf-16",
        ),
        pytest.param(
            b"a: " + b"9" * 4301 + b"\n",
            "f.yaml:1:4: a number of more than 64 characters; quote it if it is text",
            id="huge integer",
        ),
        pytest.param(
            b"a: 0x" + b"f" * 6000 + b"\n",
            "f.yaml:1:4: a number of more than 64 characters; quote it if it is text",
            id="huge hex integer",
        ),
    ],
)
def test_bad_input_is_reported_with_its_position(data, problem):
    (reported,) = problems_of(data)
    assert reported.startswith(problem)


def test_over_the_size_limit():
    assert problems_of(b"a: 12345\n", max_bytes=8) == [
        "f.yaml:1:1: the file is 9 bytes, over the limit of 8 bytes; "
        "split it or remove what it does not need"
    ]
    assert plain(parse(b"a: 1234\n", "f.yaml", max_bytes=8)) == {"a": 1234}


def test_every_problem_is_reported_at_once():
    data = b"a: &x 1\nb: *x\nc: !!int 3\nc: 4\n? [k]\n: v\n"
    assert problems_of(data) == [
        "f.yaml:1:4: anchor '&x' is not allowed; write the value out in full",
        "f.yaml:2:4: alias '*x' is not allowed; write the value out in full",
        "f.yaml:3:4: explicit tag '!!int' is not allowed; remove it "
        "(quote the value if it is text)",
        "f.yaml:4:1: duplicate key 'c' (first on line 3); keep one of the two",
        "f.yaml:5:3: a mapping key must be a scalar, not a sequence; use a string",
    ]


def test_billion_laughs_fails_fast_without_expanding():
    lines = [b'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    names = "abcdefghijklmnopqrstuvwxyz"
    for previous, name in itertools.pairwise(names):
        refs = ", ".join([f"*{previous}"] * 9)
        lines.append(f"{name}: &{name} [{refs}]".encode())
    started = time.perf_counter()
    problems = problems_of(b"\n".join(lines) + b"\n")
    assert time.perf_counter() - started < 1
    assert problems[0] == "f.yaml:1:4: anchor '&a' is not allowed; write the value out in full"
    assert problems[-1] == "f.yaml:11:40: too many problems; fix the ones above first"
    assert len(problems) == MAX_PROBLEMS + 1


def test_nesting_is_limited():
    depth = MAX_DEPTH + 1
    problems = problems_of(b"[" * depth + b"]" * depth)
    assert problems == [
        f"f.yaml:1:{depth}: nested deeper than {MAX_DEPTH} levels; flatten the file"
    ]
    assert parse(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH, "f.yaml") is not None


def test_keys_of_different_types_are_different_keys():
    assert plain(parse(b"'1': a\n1: b\n", "f.yaml")) == {"1": "a", 1: "b"}


def test_node_accessors():
    node = parse(b"a: [x]\n", "f.yaml")
    assert node is not None
    assert node.text == ""
    assert node.items == ()
    sequence = node.pairs[0][1]
    assert sequence.pairs == ()
    assert sequence.items[0].items == ()


AGREED = [
    b"k: [on, yes, 9.10, 0x1F, 0o17, ~, True, '9.10', .inf, '', x]\n",
    b"a: &x 1\nb: *x\n",
    b"a: 1\na: 2\n",
    b"a: b\n---\nc: d\n",
    b"x: !!python/name:os.system y\n",
    b"? [a]\n: b\n",
    b"",
    "a: b\né: \x01\n".encode(),
    b"[" * (MAX_DEPTH + 1),
]


@pytest.mark.parametrize("data", AGREED)
def test_the_pure_python_parser_agrees_with_libyaml(data, monkeypatch):
    """Without libyaml the pure-Python parser is used, with the same results."""
    import yaml

    def outcome() -> object:
        try:
            return plain(parse(data, "f.yaml"))
        except MapError as error:
            return error.problems

    with_libyaml = outcome()
    monkeypatch.delattr(yaml, "CBaseLoader")
    without_libyaml = outcome()
    # The two readers word one message differently.
    assert repr(without_libyaml).replace("special characters", "control characters") == repr(
        with_libyaml
    )
