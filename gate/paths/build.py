"""Building the matcher's trie from every system's patterns."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from gate.paths.pattern import WILDCARD, Problem, component_regex, split_pattern
from gate.paths.trie import ANY_DEPTH, GLOB, LITERAL, REGEX, Lookup, Op, Tail, Trie


def tries(owners: Iterable[tuple[str, Sequence[str]]]) -> tuple[Trie, Trie]:
    """The tries of anchored and of floating patterns, of each (system, its patterns).

    Each pattern is there as it is and, where case folding changes what it matches, case
    folded too (its classes ignoring case): a path case folded then finds every pattern it
    matches once both are folded, and a path is its folded form most of the time.
    """
    anchored, floating = _Node(), _Node()
    drafts: _Built = {}  # equal tails under one node are one
    made: dict[str, Op] = {}  # each component's op, made once
    made_folded: dict[str, Op] = {}
    for system, patterns in owners:
        for pattern in patterns:
            _add(anchored, floating, system, pattern, drafts, made, _same)
            if case_varies(pattern):
                _add(anchored, floating, system, pattern, drafts, made_folded, str.casefold)
    return _frozen(anchored), _frozen(floating)


def case_varies(pattern: str) -> bool:
    """Whether a pattern matches other paths when both are case folded (a class may: [A-Z])."""
    return pattern.casefold() != pattern or "[" in pattern


def _same(text: str) -> str:
    return text


def _op(component: str, made: dict[str, Op], fold: Callable[[str], str]) -> Op:
    """The matcher of one component, made once and shared (the map cache then stores it once)."""
    op = made.get(component)
    if op is None:
        op = made[component] = _new_op(component, fold)
    return op


def _new_op(component: str, fold: Callable[[str], str]) -> Op:
    """Most components are a literal or one '*' between two literals."""
    if component == "**":
        return (ANY_DEPTH, "", "", None)
    if WILDCARD.search(component) is None:
        return (LITERAL, fold(component), "", None)
    if "?" not in component and "[" not in component and component.count("*") == 1:
        star = component.index("*")
        return (GLOB, fold(component[:star]), fold(component[star + 1 :]), None)
    # Folding the class [Z-a] would reverse it: the regex ignores case instead.
    flags = re.DOTALL if fold is _same else re.DOTALL | re.IGNORECASE
    return (REGEX, "", "", re.compile(component_regex(component), flags))


def _literal_ends(component: str, fold: Callable[[str], str]) -> tuple[str, str]:
    """The literal text a wildcard component starts and ends with ("" where it has none)."""
    wildcard = WILDCARD.search(component)
    prefix = component[: wildcard.start()] if wildcard else component
    suffix = component[max(component.rfind("*"), component.rfind("?"), component.rfind("]")) + 1 :]
    return fold(prefix), fold(suffix)


class _TailDraft:
    """A Tail while the trie is built: the systems that share it still being added."""

    __slots__ = ("dir_only", "ops", "systems")

    def __init__(self, ops: tuple[Op, ...], dir_only: bool) -> None:
        self.ops = ops
        self.dir_only = dir_only
        self.systems: set[str] = set()

    def frozen(self) -> Tail:
        return Tail(self.ops, self.dir_only, frozenset(self.systems))


class _Index:
    """A Lookup while the trie is built."""

    __slots__ = ("exact", "prefix_lengths", "prefixes", "residue", "suffix_lengths", "suffixes")

    def __init__(self) -> None:
        self.exact: dict[str, list[_TailDraft]] = {}
        self.prefixes: dict[str, list[_TailDraft]] = {}
        self.suffixes: dict[str, list[_TailDraft]] = {}
        self.prefix_lengths: tuple[int, ...] = ()
        self.suffix_lengths: tuple[int, ...] = ()
        self.residue: list[_TailDraft] = []

    def add(self, tail: _TailDraft, exact: str, prefix: str, suffix: str) -> None:
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

    def frozen(self) -> Lookup:
        def patterns(tails: list[_TailDraft]) -> tuple[Tail, ...]:
            return tuple(tail.frozen() for tail in tails)

        return Lookup(
            exact={text: patterns(tails) for text, tails in self.exact.items()},
            prefixes={text: patterns(tails) for text, tails in self.prefixes.items()},
            suffixes={text: patterns(tails) for text, tails in self.suffixes.items()},
            prefix_lengths=self.prefix_lengths,
            suffix_lengths=self.suffix_lengths,
            residue=patterns(self.residue),
        )


_Built = dict[tuple[int, tuple[Op, ...], bool], _TailDraft]  # tails being added, by node and form


class _Node:
    """A Trie node while the trie is built."""

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
        made: dict[str, Op],
        fold: Callable[[str], str],
    ) -> None:
        ops = tuple(_op(component, made, fold) for component in components)
        tail = built.get((id(self), ops, dir_only))
        if tail is None:
            tail = built[(id(self), ops, dir_only)] = _TailDraft(ops, dir_only)
            prefix, suffix = _literal_ends(components[0], fold)
            if prefix or suffix:
                if self.next is None:
                    self.next = _Index()
                self.next.add(tail, "", prefix, suffix)
            else:
                if self.below is None:
                    self.below = _Index()
                self.below.add(tail, *_later_literal(components, fold))
        tail.systems.add(system)


def _frozen(root: _Node) -> Trie:
    """The built trie as tuples, children before parents (without recursion: paths run deep)."""
    done: dict[int, Trie] = {}
    stack: list[tuple[_Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for child in (node.children or {}).values())
            continue
        done[id(node)] = Trie(
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


def _later_literal(components: list[str], fold: Callable[[str], str]) -> tuple[str, str, str]:
    """(exact, prefix, suffix): a literal some later component of the path must be or have."""
    best = ("", "", "")
    for component in components[1:]:
        if component == "**":
            continue
        if not WILDCARD.search(component):
            return (fold(component), "", "")
        if best == ("", "", ""):
            prefix, suffix = _literal_ends(component, fold)
            if prefix:
                best = ("", prefix, "")
            elif suffix:
                best = ("", "", suffix)
    return best


def _add(
    anchored: _Node,
    floating: _Node,
    system: str,
    pattern: str,
    built: _Built,
    made: dict[str, Op],
    fold: Callable[[str], str],
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
            node.add_tail(system, components[index:], dir_only, built, made, fold)
            return
        node = node.child(fold(component))
    node.end(system, dir_only)
