"""Typed getters over a strict YAML node tree, each problem kept with its position."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TypeVar

from gate.depmap.strict_yaml import Node, Problem, scalar_value

Choice = TypeVar("Choice", bound=str)


class Reader:
    """Reads values of one file; a getter returns None (after recording a problem) when the
    value is unusable, so that every problem in the file is found in one pass."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def problem(self, node: Node, message: str) -> None:
        self.problems.append((node.line, node.column, message))

    def messages(self) -> list[str]:
        """Each problem as "FILE:LINE:COLUMN: message", in the order found."""
        return [f"{self.source}:{line}:{col}: {text}" for line, col, text in self.problems]

    def sorted_messages(self) -> list[str]:
        """Each problem as "FILE:LINE:COLUMN: message", in file order."""
        return [f"{self.source}:{line}:{col}: {text}" for line, col, text in sorted(self.problems)]

    def fields(self, node: Node, context: str, allowed: tuple[str, ...]) -> dict[str, Node] | None:
        """A mapping's values by key; an unknown key is a problem, and is left out."""
        if node.kind != "mapping":
            self.problem(
                node,
                f"{context} must be a mapping with keys {', '.join(allowed)}, not {describe(node)}",
            )
            return None
        fields: dict[str, Node] = {}
        for key, value in node.pairs:
            name = key.value
            if key.tag == "str" and name in allowed and isinstance(name, str):
                fields[name] = value
                continue
            suggestion = did_you_mean(key.text, allowed) or f"; allowed: {', '.join(allowed)}"
            self.problem(key, f"unknown key '{key.text}' in {context}{suggestion}")
        return fields

    def text(self, node: Node, what: str) -> str | None:
        value = node.value
        if node.tag == "str" and isinstance(value, str):
            return value
        if node.kind != "scalar":
            self.problem(node, f"{what} must be a string, not {describe(node)}")
        elif node.tag == "null" and not node.text:
            self.problem(node, f"{what} is empty; give it a value")
        else:
            self.problem(
                node,
                f"{what}: {node.text} is {describe(node)} to YAML; "
                f"quote it: {json.dumps(node.text)}",
            )
        return None

    def boolean(self, node: Node, what: str) -> bool | None:
        if node.kind == "scalar" and node.tag == "bool":
            return node.text.lower() == "true"
        hint = " (only true and false are booleans)" if node.tag == "str" else ""
        self.problem(node, f"{what} must be true or false, not {describe(node)}{hint}")
        return None

    def choice(self, node: Node, what: str, options: tuple[Choice, ...]) -> Choice | None:
        if node.kind == "scalar" and node.tag == "str":
            for option in options:
                if option == node.text:
                    return option
        suggestion = did_you_mean(node.text, options) if node.kind == "scalar" else ""
        self.problem(
            node,
            f"{what} must be one of {', '.join(options)}, not {describe(node)}{suggestion}",
        )
        return None

    def items(self, node: Node, what: str) -> tuple[Node, ...] | None:
        if node.kind == "sequence":
            return node.items
        self.problem(node, f"{what} must be a list such as [a, b], not {describe(node)}")
        return None


def known_keys_only(node: Node, allowed: tuple[str, ...]) -> bool:
    """Whether every key of a mapping is allowed: a missing key is not reported next to an
    unknown one, which is probably the same key misspelt, and reported already."""
    return all(key.tag == "str" and key.value in allowed for key, _ in node.pairs)


def describe(node: Node) -> str:
    """What a node is, for messages: "a list", "the text 'x'", "the number 3"."""
    if node.kind == "mapping":
        return "a mapping"
    if node.kind == "sequence":
        return "a list"
    if node.tag == "str":
        text = node.text if len(node.text) <= 60 else node.text[:57] + "..."
        return f"the text {text!r}"
    if node.tag == "null":
        return "empty (null)"
    if node.tag == "bool":
        return f"the boolean {node.text.lower()}"
    return f"the number {scalar_value(node)!r}"


def did_you_mean(name: str, options: Iterable[str]) -> str:
    """A hint naming the closest option ("; did you mean 'x'?"), or "" when none is close."""
    import difflib

    close = difflib.get_close_matches(name, list(options), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""
