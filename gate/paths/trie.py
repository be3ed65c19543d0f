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
        return _match(self.ops, parts, start, self.dir_only) == MATCHED

    def match_from(self, parts: list[str], start: int) -> int:
        """MATCHED, NOT_HERE or NOT_FROM_HERE: matches(), and whether a later start can."""
        return _match(self.ops, parts, start, self.dir_only)


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


# What matching a tail from a component found: a match; no match there, though there may be one
# from a later component; or no match from there nor from any later one (the tail's first run
# matched and the rest, which begins with '**' or is only the end, did not: from further on it
# has less path to match).
MATCHED, NOT_HERE, NOT_FROM_HERE = range(3)


def _match(ops: tuple[Op, ...], parts: list[str], at: int, dir_only: bool) -> int:
    """Whether ops match parts from parts[at] on, as a prefix that ends at a boundary.

    Each run of components between '**'s is put at the first place it fits: a '**' before it
    takes any number of components, and nothing after the last run must reach the path's
    end, so the leftmost fit of each run leaves the most path to the ones after it. Each run
    is tried at each place at most once: linear in the path's length for any number of '**'.
    """
    count = len(parts)
    size = len(ops)
    index = _run_end(ops, 0)
    if not _run_fits(ops, 0, index, parts, at):
        return NOT_HERE
    at += index
    while index < size:  # ops[index] is '**'
        index += 1
        if index == size:
            # A final '**' is '.*' after a '/': at least one more component, or two when a
            # '/' must follow it.
            return MATCHED if count - at >= (2 if dir_only else 1) else NOT_FROM_HERE
        end = _run_end(ops, index)
        length = end - index
        while not _run_fits(ops, index, end, parts, at):
            at += 1
            if at + length > count:
                return NOT_FROM_HERE
        at += length
        index = end
    # A pattern that matches a directory matches everything below it.
    return NOT_FROM_HERE if dir_only and at >= count else MATCHED


def _run_end(ops: tuple[Op, ...], index: int) -> int:
    """The index of the first '**' from ops[index] on (len(ops) when there is none)."""
    size = len(ops)
    while index < size and ops[index][0] != ANY_DEPTH:
        index += 1
    return index


def _run_fits(ops: tuple[Op, ...], index: int, end: int, parts: list[str], at: int) -> bool:
    """Whether ops[index:end], none of them '**', match parts[at:] one component each."""
    if at + end - index > len(parts):
        return False
    while index < end:
        kind, prefix, suffix, compiled = ops[index]
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
    return True
