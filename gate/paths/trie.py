"""The matcher's trie as tuples: the form the map cache keeps, and how a tail matches."""

from __future__ import annotations

import re
from typing import NamedTuple

from gate.tuples import pickled_as_tuples

# How a tail matches one path component: its kind, and two strings or a compiled regex.
LITERAL, GLOB, REGEX, ANY_DEPTH = range(4)
Op = tuple[int, str, str, "re.Pattern[str] | None"]


class Tail(NamedTuple):
    """The rest of a pattern from its first component with a wildcard, matched component-wise.

    Each component of a pattern matches exactly one component of the path, except '**', which
    matches any number of them: the same meaning as pattern_regex, without a regex per pattern.
    """

    ops: tuple[Op, ...]
    dir_only: bool
    systems: frozenset[str]

    def matches(self, parts: list[str], start: int) -> bool:
        return _match(self.ops, 0, parts, start, self.dir_only)


class Lookup(NamedTuple):
    """Patterns by a literal text a path component must hold for them to match, and the rest."""

    exact: dict[str, tuple[Tail, ...]]
    prefixes: dict[str, tuple[Tail, ...]]
    suffixes: dict[str, tuple[Tail, ...]]
    prefix_lengths: tuple[int, ...]
    suffix_lengths: tuple[int, ...]
    residue: tuple[Tail, ...]

    def candidates(self, part: str, into: dict[int, Tail]) -> None:
        """Add the patterns whose literal fits part, and the rest (by identity: each once)."""
        exact = self.exact.get(part)
        if exact is not None:
            for pattern in exact:
                into[id(pattern)] = pattern
        size = len(part)
        for length in self.prefix_lengths:
            if length > size:
                break
            fitting = self.prefixes.get(part[:length])
            if fitting is not None:
                for pattern in fitting:
                    into[id(pattern)] = pattern
        for length in self.suffix_lengths:
            if length > size:
                break
            fitting = self.suffixes.get(part[-length:])
            if fitting is not None:
                for pattern in fitting:
                    into[id(pattern)] = pattern
        for pattern in self.residue:
            into[id(pattern)] = pattern


class Trie(NamedTuple):
    """A trie node: the patterns whose literal leading components lead here.

    Empty parts are None, not empty containers: a large map's trie has tens of thousands of
    nodes, most of them leaves, and is kept (pickled) with the map.
    """

    children: dict[str, Trie] | None
    ends: frozenset[str] | None  # patterns that end here: this path or directory
    ends_dir_only: frozenset[str] | None  # ... that end here with '/': directory only
    # Patterns by the literal start or end of their first component, which the path's next
    # component must then have; patterns whose first component can be any component ('*',
    # '**') by a literal of a later one, which some component further on must have.
    next: Lookup | None
    below: Lookup | None


pickled_as_tuples(Tail, Lookup, Trie)


def _match(ops: tuple[Op, ...], index: int, parts: list[str], at: int, dir_only: bool) -> bool:
    """Whether ops[index:] match parts from parts[at] on, as a prefix that ends at a boundary."""
    count = len(parts)
    last = len(ops) - 1
    while index <= last:
        kind, prefix, suffix, compiled = ops[index]
        if kind == ANY_DEPTH:
            if index == last:
                # A final '**' is '.*' after a '/': at least one more component, or two
                # when a '/' must follow it.
                return count - at >= (2 if dir_only else 1)
            return any(_match(ops, index + 1, parts, skip, dir_only) for skip in range(at, count))
        if at >= count:
            return False
        part = parts[at]
        if kind == LITERAL:
            if part != prefix:
                return False
        elif kind == GLOB:
            if (
                len(part) < len(prefix) + len(suffix)
                or not part.startswith(prefix)
                or not part.endswith(suffix)
            ):
                return False
        elif compiled is not None and compiled.fullmatch(part) is None:
            return False
        index += 1
        at += 1
    # A pattern that matches a directory matches everything below it.
    return at < count if dir_only else True
