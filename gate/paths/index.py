"""The fast matcher: every system's patterns in one trie, matched against a change's paths."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from gate.paths.pattern import WILDCARD, Problem, component_regex, split_pattern
from gate.tuples import pickled_as_tuples

# How a tail matches one path component: its kind, and two strings or a compiled regex.
_LITERAL, _GLOB, _REGEX, _ANY_DEPTH = range(4)
_Op = tuple[int, str, str, "re.Pattern[str] | None"]


def _op(component: str, made: dict[str, _Op]) -> _Op:
    """The matcher of one component, made once and shared (the map cache then stores it once)."""
    op = made.get(component)
    if op is None:
        op = made[component] = _new_op(component)
    return op


def _new_op(component: str) -> _Op:
    """Most components are a literal or one '*' between two literals."""
    if component == "**":
        return (_ANY_DEPTH, "", "", None)
    if WILDCARD.search(component) is None:
        return (_LITERAL, component, "", None)
    if "?" not in component and "[" not in component and component.count("*") == 1:
        star = component.index("*")
        return (_GLOB, component[:star], component[star + 1 :], None)
    return (_REGEX, "", "", re.compile(component_regex(component), re.DOTALL))


def _literal_ends(component: str) -> tuple[str, str]:
    """The literal text a wildcard component starts and ends with ("" where it has none)."""
    wildcard = WILDCARD.search(component)
    prefix = component[: wildcard.start()] if wildcard else component
    suffix = component[max(component.rfind("*"), component.rfind("?"), component.rfind("]")) + 1 :]
    return prefix, suffix


class _Pattern(NamedTuple):
    """The rest of a pattern from its first component with a wildcard, matched component-wise.

    Each component of a pattern matches exactly one component of the path, except '**', which
    matches any number of them: the same meaning as pattern_regex, without a regex per pattern.
    """

    ops: tuple[_Op, ...]
    dir_only: bool
    systems: frozenset[str]

    def matches(self, parts: list[str], start: int) -> bool:
        return _match(self.ops, 0, parts, start, self.dir_only)


class _Lookup(NamedTuple):
    """Patterns by a literal text a path component must hold for them to match, and the rest."""

    exact: dict[str, tuple[_Pattern, ...]]
    prefixes: dict[str, tuple[_Pattern, ...]]
    suffixes: dict[str, tuple[_Pattern, ...]]
    prefix_lengths: tuple[int, ...]
    suffix_lengths: tuple[int, ...]
    residue: tuple[_Pattern, ...]

    def candidates(self, part: str, into: dict[int, _Pattern]) -> None:
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


class _Trie(NamedTuple):
    """A trie node: the patterns whose literal leading components lead here.

    Empty parts are None, not empty containers: a large map's trie has tens of thousands of
    nodes, most of them leaves, and is kept (pickled) with the map.
    """

    children: dict[str, _Trie] | None
    ends: frozenset[str] | None  # patterns that end here: this path or directory
    ends_dir_only: frozenset[str] | None  # ... that end here with '/': directory only
    # Patterns by the literal start or end of their first component, which the path's next
    # component must then have; patterns whose first component can be any component ('*',
    # '**') by a literal of a later one, which some component further on must have.
    next: _Lookup | None
    below: _Lookup | None


pickled_as_tuples(_Pattern, _Lookup, _Trie)


class _Tail:
    """A _Pattern while the trie is built: the systems that share it still being added."""

    __slots__ = ("dir_only", "ops", "systems")

    def __init__(self, ops: tuple[_Op, ...], dir_only: bool) -> None:
        self.ops = ops
        self.dir_only = dir_only
        self.systems: set[str] = set()

    def frozen(self) -> _Pattern:
        return _Pattern(self.ops, self.dir_only, frozenset(self.systems))


def _match(ops: tuple[_Op, ...], index: int, parts: list[str], at: int, dir_only: bool) -> bool:
    """Whether ops[index:] match parts from parts[at] on, as a prefix that ends at a boundary."""
    count = len(parts)
    last = len(ops) - 1
    while index <= last:
        kind, prefix, suffix, compiled = ops[index]
        if kind == _ANY_DEPTH:
            if index == last:
                # A final '**' is '.*' after a '/': at least one more component, or two
                # when a '/' must follow it.
                return count - at >= (2 if dir_only else 1)
            return any(_match(ops, index + 1, parts, skip, dir_only) for skip in range(at, count))
        if at >= count:
            return False
        part = parts[at]
        if kind == _LITERAL:
            if part != prefix:
                return False
        elif kind == _GLOB:
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


class _Index:
    """A _Lookup while the trie is built."""

    __slots__ = ("exact", "prefix_lengths", "prefixes", "residue", "suffix_lengths", "suffixes")

    def __init__(self) -> None:
        self.exact: dict[str, list[_Tail]] = {}
        self.prefixes: dict[str, list[_Tail]] = {}
        self.suffixes: dict[str, list[_Tail]] = {}
        self.prefix_lengths: tuple[int, ...] = ()
        self.suffix_lengths: tuple[int, ...] = ()
        self.residue: list[_Tail] = []

    def add(self, tail: _Tail, exact: str, prefix: str, suffix: str) -> None:
        if exact:
            self.exact.setdefault(exact, []).append(tail)
        elif prefix:
            self.prefixes.setdefault(prefix, []).append(tail)
            if len(prefix) not in self.prefix_lengths:
                self.prefix_lengths = tuple(sorted((*self.prefix_lengths, len(prefix))))
        elif suffix:
            self.suffixes.setdefault(suffix, []).append(tail)
            if len(suffix) not in self.suffix_lengths:
                self.suffix_lengths = tuple(sorted((*self.suffix_lengths, len(suffix))))
        else:
            self.residue.append(tail)

    def frozen(self) -> _Lookup:
        def patterns(tails: list[_Tail]) -> tuple[_Pattern, ...]:
            return tuple(tail.frozen() for tail in tails)

        return _Lookup(
            exact={text: patterns(tails) for text, tails in self.exact.items()},
            prefixes={text: patterns(tails) for text, tails in self.prefixes.items()},
            suffixes={text: patterns(tails) for text, tails in self.suffixes.items()},
            prefix_lengths=self.prefix_lengths,
            suffix_lengths=self.suffix_lengths,
            residue=patterns(self.residue),
        )


_Built = dict[tuple[int, tuple[_Op, ...], bool], _Tail]  # tails being added, by node and form


class _Node:
    """A _Trie node while the trie is built."""

    __slots__ = ("below", "children", "ends", "ends_dir_only", "next")

    def __init__(self) -> None:
        self.children: dict[str, _Node] | None = None
        self.ends: set[str] | None = None
        self.ends_dir_only: set[str] | None = None
        self.next: _Index | None = None
        self.below: _Index | None = None

    def child(self, component: str) -> _Node:
        if self.children is None:
            self.children = {}
        child = self.children.get(component)
        if child is None:
            child = self.children[component] = _Node()
        return child

    def end(self, system: str, dir_only: bool) -> None:
        if dir_only:
            if self.ends_dir_only is None:
                self.ends_dir_only = set()
            self.ends_dir_only.add(system)
        else:
            if self.ends is None:
                self.ends = set()
            self.ends.add(system)

    def add_tail(
        self,
        system: str,
        components: list[str],
        dir_only: bool,
        built: _Built,
        made: dict[str, _Op],
    ) -> None:
        ops = tuple(_op(component, made) for component in components)
        tail = built.get((id(self), ops, dir_only))
        if tail is None:
            tail = built[(id(self), ops, dir_only)] = _Tail(ops, dir_only)
            prefix, suffix = _literal_ends(components[0])
            if prefix or suffix:
                if self.next is None:
                    self.next = _Index()
                self.next.add(tail, "", prefix, suffix)
            else:
                if self.below is None:
                    self.below = _Index()
                self.below.add(tail, *_later_literal(components))
        tail.systems.add(system)


def _frozen(root: _Node) -> _Trie:
    """The built trie as tuples, children before parents (without recursion: paths run deep)."""
    done: dict[int, _Trie] = {}
    stack: list[tuple[_Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for child in (node.children or {}).values())
            continue
        done[id(node)] = _Trie(
            children=(
                None
                if node.children is None
                else {name: done[id(child)] for name, child in node.children.items()}
            ),
            ends=None if node.ends is None else frozenset(node.ends),
            ends_dir_only=None if node.ends_dir_only is None else frozenset(node.ends_dir_only),
            next=None if node.next is None else node.next.frozen(),
            below=None if node.below is None else node.below.frozen(),
        )
    return done[id(root)]


def _later_literal(components: list[str]) -> tuple[str, str, str]:
    """(exact, prefix, suffix): a literal some later component of the path must be or have."""
    best = ("", "", "")
    for component in components[1:]:
        if component == "**":
            continue
        if not WILDCARD.search(component):
            return (component, "", "")
        if best == ("", "", ""):
            prefix, suffix = _literal_ends(component)
            if prefix:
                best = ("", prefix, "")
            elif suffix:
                best = ("", "", suffix)
    return best


class Matcher:
    """Which systems a path belongs to, for many patterns at once.

    Anchored patterns sit in a trie keyed by their literal leading components and are tried
    only from the root; unanchored ones (and those starting with '**/') sit in a second trie
    tried from every component of the path. Past the literal components, a pattern's tail is
    tried only when a literal it holds fits the path: its first component's start or end the
    next component, or else a later literal component one of the components further on.
    """

    def __init__(self, owners: Iterable[tuple[str, Sequence[str]]]) -> None:
        anchored, floating = _Node(), _Node()
        built: _Built = {}  # equal tails under one node are one
        made: dict[str, _Op] = {}  # each component's op, made once
        for system, patterns in owners:
            for pattern in patterns:
                _add(anchored, floating, system, pattern, built, made)
        self._anchored = _frozen(anchored)
        self._floating = _frozen(floating)

    def systems_for(self, path: str) -> frozenset[str]:
        """Every system any of whose patterns matches path (relative to the repository root)."""
        return self.systems_of([path])[path]

    def systems_of(self, paths: Iterable[str]) -> dict[str, frozenset[str]]:
        """systems_for of each path.

        Unanchored patterns are tried from every component, but most components start none:
        which ones can is found once per distinct component.
        """
        floating = self._floating
        starts: dict[str, bool] = {}
        systems: dict[str, frozenset[str]] = {}
        for path in paths:
            if not path or path.startswith("/") or path.endswith("/") or "//" in path:
                raise ValueError(f"not a repository path: {path!r}")
            parts = path.split("/")
            found: set[str] = set()
            _walk(self._anchored, parts, 0, found)
            for first, part in enumerate(parts):
                start = starts.get(part)
                if start is None:
                    start = starts[part] = _may_start(floating, part)
                if start:
                    _walk(floating, parts, first, found)
            systems[path] = frozenset(found)
        return systems


def _may_start(node: _Trie, part: str) -> bool:
    """Whether walking node from a component `part` can find anything (False: it finds nothing)."""
    if node.ends or node.ends_dir_only or node.below is not None:
        return True
    if node.children is not None and part in node.children:
        return True
    fitting: dict[int, _Pattern] = {}
    if node.next is not None:
        node.next.candidates(part, fitting)
    return bool(fitting)


def _add(
    anchored: _Node,
    floating: _Node,
    system: str,
    pattern: str,
    built: _Built,
    made: dict[str, _Op],
) -> None:
    try:
        is_anchored, components, dir_only = split_pattern(pattern)
    except Problem as problem:
        raise ValueError(f"pattern {pattern!r} of {system!r}: {problem}") from None
    node = anchored if is_anchored else floating
    # A leading '**/' matches any depth: the same as trying the rest from every component.
    if len(components) > 1 and components[0] == "**":
        components = components[1:]
        node = floating
    for index, component in enumerate(components):
        if WILDCARD.search(component):
            node.add_tail(system, components[index:], dir_only, built, made)
            return
        node = node.child(component)
    node.end(system, dir_only)


def _walk(node: _Trie, parts: list[str], depth: int, found: set[str]) -> None:
    """Add to found the systems of patterns under node that match parts from parts[depth]."""
    count = len(parts)
    while True:
        children, ends, ends_dir_only, next_, below = node
        if ends:
            found |= ends
        if ends_dir_only and depth < count:
            found |= ends_dir_only
        if depth == count:
            return
        if next_ is not None or below is not None:
            candidates: dict[int, _Pattern] = {}
            if next_ is not None:
                next_.candidates(parts[depth], candidates)
            if below is not None:
                for part in parts[depth:]:
                    below.candidates(part, candidates)
            for pattern in candidates.values():
                if not pattern.systems <= found and pattern.matches(parts, depth):
                    found |= pattern.systems
        if children is None:
            return
        child = children.get(parts[depth])
        if child is None:
            return
        node = child
        depth += 1
