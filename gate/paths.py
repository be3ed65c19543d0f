"""Path patterns: their gitignore semantics, and an index that matches paths to systems fast."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_WILDCARD = re.compile(r"[*?\[]")

# git's wildmatch classes, by their ASCII definitions (git's own ctype: \v and \f are not space).
_POSIX_CLASSES = {
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "blank": " \\t",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": " \\t\\n\\r",
    "upper": "A-Z",
    "xdigit": "0-9A-Fa-f",
}


class _Problem(Exception):
    """A pattern that cannot be read; pattern_error turns it into a message."""


def pattern_error(pattern: str) -> str | None:
    """What is wrong with a pattern, or None when it is fine."""
    try:
        _split(pattern)
    except _Problem as problem:
        return str(problem)
    return None


def pattern_regex(pattern: str) -> str:
    """The regular expression (for re.match with re.DOTALL) of every path the pattern matches.

    This is the plain meaning of a pattern, one at a time; Matcher's index must agree with it.
    """
    anchored, components, dir_only = _split(pattern)
    lead = "" if anchored else "(?:.*/)?"
    return lead + _regex(components, dir_only)


def _split(pattern: str) -> tuple[bool, list[str], bool]:
    """(anchored, components, directory only) of a pattern, or _Problem."""
    if not pattern:
        raise _Problem("empty pattern")
    if "\\" in pattern:
        raise _Problem("backslash escapes are not supported")
    if pattern != pattern.strip():
        raise _Problem("starts or ends with whitespace; remove it")
    if any(char < " " or char == "\x7f" for char in pattern):
        raise _Problem("contains a control character")
    if pattern.startswith("!"):
        raise _Problem("negation ('!') is not supported; list the paths the system does own")
    dir_only = pattern.endswith("/")
    body = pattern[:-1] if dir_only else pattern
    # gitignore: a slash at the start or in the middle anchors the pattern at the root.
    anchored = "/" in body
    if body.startswith("/"):
        body = body[1:]
    if not body:
        raise _Problem("matches nothing; write '**' to match every path")
    components: list[str] = []
    for component in body.split("/"):
        if not component:
            raise _Problem("contains '//' (an empty path component)")
        if component in (".", ".."):
            raise _Problem("'.' and '..' never match; write the path from the repository root")
        if "**" in component and component != "**":
            raise _Problem(
                "'**' only means 'any depth' as a whole path component ('**/x', 'x/**', "
                "'a/**/b'); use '*' within a name"
            )
        if "[" in component:
            _component_regex(component)  # raises on a bad character class
        if component != "**" or components[-1:] != ["**"]:
            components.append(component)  # '**/**' is '**', and the regex is faster without
    return anchored, components, dir_only


def _regex(components: Sequence[str], dir_only: bool) -> str:
    """The regex of a run of components, matching a path prefix that ends at a boundary."""
    parts: list[str] = []
    last = len(components) - 1
    for index, component in enumerate(components):
        if component == "**":
            parts.append(".*" if index == last else "(?:.*/)?")
            continue
        parts.append(_component_regex(component))
        if index != last:
            parts.append("/")
    # A pattern that matches a directory matches everything below it.
    parts.append("/" if dir_only else "(?:/|\\Z)")
    return "".join(parts)


def _component_regex(component: str) -> str:
    parts: list[str] = []
    index = 0
    while index < len(component):
        char = component[index]
        if char == "*":
            parts.append("[^/]*")
            while index < len(component) and component[index] == "*":
                index += 1
            continue
        if char == "?":
            parts.append("[^/]")
        elif char == "[":
            fragment, index = _class_regex(component, index)
            parts.append(fragment)
            continue
        else:
            parts.append(re.escape(char))
        index += 1
    return "".join(parts)


def _class_regex(component: str, start: int) -> tuple[str, int]:
    """The regex of the class opening at component[start], and the index after it.

    Follows git's wildmatch: '!' or '^' negates, a ']' first is literal, 'a-z' ranges,
    '[:alpha:]' classes; a class never matches '/'.
    """
    unterminated = "unterminated character class '[' (a class cannot contain '/')"
    index = start + 1
    negated = index < len(component) and component[index] in "!^"
    if negated:
        index += 1
    items: list[str] = []
    range_start: str | None = None  # the previous literal, which a '-' may extend to a range
    first = True
    while True:
        if index >= len(component):
            raise _Problem(unterminated)
        char = component[index]
        if char == "]" and not first:
            break
        first = False
        following = component[index + 1] if index + 1 < len(component) else ""
        if char == "-" and range_start is not None and following not in ("", "]"):
            if following < range_start:
                raise _Problem(f"character range '{range_start}-{following}' is reversed")
            items[-1] = f"{re.escape(range_start)}-{re.escape(following)}"
            range_start = None
            index += 2
            continue
        if char == "[" and following == ":":
            close = component.find("]", index + 2)
            if close == -1:
                raise _Problem(unterminated)
            if close - (index + 2) >= 1 and component[close - 1] == ":":
                name = component[index + 2 : close - 1]
                if name not in _POSIX_CLASSES:
                    raise _Problem(f"unknown character class '[:{name}:]'")
                items.append(_POSIX_CLASSES[name])
                range_start = None
                index = close + 1
                continue
        items.append(re.escape(char))
        range_start = char
        index += 1
    body = "".join(items)
    fragment = f"[^{body}/]" if negated else f"(?!/)[{body}]"
    return fragment, index + 1


class _Tail:
    """The rest of a pattern from its first component with a wildcard, compiled on first use."""

    __slots__ = ("_compiled", "_source", "systems")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None
        self.systems: set[str] = set()

    def matches(self, path: str, position: int) -> bool:
        if self._compiled is None:
            self._compiled = re.compile(self._source, re.DOTALL)
        return self._compiled.match(path, position) is not None


class _Node:
    """A trie node: the patterns whose literal leading components lead here."""

    __slots__ = (
        "by_prefix",
        "by_suffix",
        "children",
        "ends",
        "ends_dir_only",
        "prefix_lengths",
        "residue",
        "suffix_lengths",
        "tails",
    )

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.ends: set[str] = set()  # patterns that end here: this path or directory
        self.ends_dir_only: set[str] = set()  # ... that end here with '/': directory only
        self.tails: dict[str, _Tail] = {}  # by regex source, so equal tails compile once
        # Tails indexed by the literal start or end of their first component, which must
        # then start or end the path's next component; the residue has neither.
        self.by_prefix: dict[str, list[_Tail]] = {}
        self.by_suffix: dict[str, list[_Tail]] = {}
        self.residue: list[_Tail] = []
        self.prefix_lengths: tuple[int, ...] = ()
        self.suffix_lengths: tuple[int, ...] = ()

    def add_tail(self, system: str, components: list[str], dir_only: bool) -> None:
        source = _regex(components, dir_only)
        tail = self.tails.get(source)
        if tail is None:
            tail = self.tails[source] = _Tail(source)
            head = components[0]
            wildcard = _WILDCARD.search(head)
            prefix = head[: wildcard.start()] if wildcard else head
            suffix = head[max(head.rfind("*"), head.rfind("?"), head.rfind("]")) + 1 :]
            if prefix:
                self.by_prefix.setdefault(prefix, []).append(tail)
                self.prefix_lengths = tuple(sorted({*self.prefix_lengths, len(prefix)}))
            elif suffix:
                self.by_suffix.setdefault(suffix, []).append(tail)
                self.suffix_lengths = tuple(sorted({*self.suffix_lengths, len(suffix)}))
            else:
                self.residue.append(tail)
        tail.systems.add(system)


class Matcher:
    """Which systems a path belongs to, for many patterns at once.

    Anchored patterns sit in a trie keyed by their literal leading components and are tried
    only from the root; unanchored ones (and those starting with '**/') sit in a second trie
    tried from every component of the path. Past the literal components, a pattern's tail is
    tried only when its literal start or end fits the path's next component.
    """

    def __init__(self, owners: Iterable[tuple[str, Sequence[str]]]) -> None:
        self._anchored = _Node()
        self._floating = _Node()
        for system, patterns in owners:
            for pattern in patterns:
                self._add(system, pattern)

    def _add(self, system: str, pattern: str) -> None:
        try:
            anchored, components, dir_only = _split(pattern)
        except _Problem as problem:
            raise ValueError(f"pattern {pattern!r} of {system!r}: {problem}") from None
        root = self._anchored if anchored else self._floating
        # A leading '**/' matches any depth: the same as trying the rest from every component.
        if len(components) > 1 and components[0] == "**":
            components = components[1:]
            root = self._floating
        node = root
        for index, component in enumerate(components):
            if _WILDCARD.search(component):
                node.add_tail(system, components[index:], dir_only)
                return
            child = node.children.get(component)
            if child is None:
                child = node.children[component] = _Node()
            node = child
        (node.ends_dir_only if dir_only else node.ends).add(system)

    def systems_for(self, path: str) -> frozenset[str]:
        """Every system any of whose patterns matches path (relative to the repository root)."""
        if not path or path.startswith("/") or path.endswith("/") or "//" in path:
            raise ValueError(f"not a repository path: {path!r}")
        components = path.split("/")
        starts = [0]
        for component in components[:-1]:
            starts.append(starts[-1] + len(component) + 1)
        found: set[str] = set()
        _walk(self._anchored, path, components, starts, 0, found)
        for first in range(len(components)):
            _walk(self._floating, path, components, starts, first, found)
        return frozenset(found)


def _walk(
    node: _Node,
    path: str,
    components: list[str],
    starts: list[int],
    depth: int,
    found: set[str],
) -> None:
    """Add to found the systems of patterns under node that match path from components[depth]."""
    count = len(components)
    while True:
        if node.ends:
            found |= node.ends
        if node.ends_dir_only and depth < count:
            found |= node.ends_dir_only
        if depth == count:
            return
        if node.tails:
            component = components[depth]
            size = len(component)
            position = starts[depth]
            for length in node.prefix_lengths:
                if length > size:
                    break
                for tail in node.by_prefix.get(component[:length], ()):
                    if tail.matches(path, position):
                        found |= tail.systems
            for length in node.suffix_lengths:
                if length > size:
                    break
                for tail in node.by_suffix.get(component[-length:], ()):
                    if tail.matches(path, position):
                        found |= tail.systems
            for tail in node.residue:
                if tail.matches(path, position):
                    found |= tail.systems
        child = node.children.get(components[depth])
        if child is None:
            return
        node = child
        depth += 1
