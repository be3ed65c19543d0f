"""The fast matcher: every system's patterns in one trie, matched against a change's paths."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from gate.paths.build import tries
from gate.paths.trie import MATCHED, NOT_FROM_HERE, Lookup, Tail, Trie


class Matcher:
    """Which systems a path belongs to, for many patterns at once.

    Anchored patterns sit in a trie keyed by their literal leading components and are tried
    only from the root; unanchored ones (and those starting with '**/') sit in a second trie
    tried from every component of the path. Past the literal components, a pattern's tail is
    tried only when a literal it holds fits the path: its first component's start or end the
    next component, or else a later literal component one of the components further on.

    Paths match case-sensitively, as git compares them; a path also belongs to the systems it
    would once case is folded (a checkout on a case-insensitive file system makes `Backup/x`
    the file `backup/x`): a path whose case folding changes it is matched a second time,
    folded, and the tries hold the few patterns case folding changes (`Dockerfile`) folded
    too.
    """

    def __init__(self, owners: Iterable[tuple[str, Sequence[str]]]) -> None:
        self._anchored, self._floating = tries(owners)

    def systems_for(self, path: str, *, directory: bool = False) -> frozenset[str]:
        """Every system any of whose patterns matches path (relative to the repository root).

        A directory (a submodule's path) is matched as the directory it is: `vendor/x/` and
        `vendor/x/**` match the directory `vendor/x`, as they would every file in it.
        """
        return self.systems_of([path], directories={path} if directory else ())[path]

    def systems_of(
        self, paths: Iterable[str], directories: Collection[str] = ()
    ) -> dict[str, frozenset[str]]:
        """systems_for of each path; those in directories are directories.

        Unanchored patterns are tried from every component, but most components start none:
        which ones can is found once per distinct component.
        """
        matching = _Tries(self._anchored, self._floating)
        systems: dict[str, frozenset[str]] = {}
        for path in paths:
            if not path or path.startswith("/") or path.endswith("/") or "//" in path:
                raise ValueError(f"not a repository path: {path!r}")
            # An empty last component stands for any name in the directory: it is what '*'
            # and '**' match, and no literal.
            below = "/" if path in directories else ""
            found: set[str] = set()
            parts = (path + below).split("/")
            matching.find(parts, found)
            caseless = path.casefold()
            if caseless != path:
                matching.find((caseless + below).split("/"), found)
            systems[path] = frozenset(found)
        return systems


class _Tries:
    """The anchored and the floating trie, with what matching paths against them learns."""

    __slots__ = ("anchored", "floating", "starts")

    def __init__(self, anchored: Trie, floating: Trie) -> None:
        self.anchored = anchored
        self.floating = floating
        self.starts: dict[str, bool] = {}

    def find(self, parts: list[str], found: set[str]) -> None:
        """Add to found the systems of the patterns that match the path of parts."""
        _walk(self.anchored, parts, 0, found, None)
        floating, starts = self.floating, self.starts
        walked: _Walked | None = None
        for first, part in enumerate(parts):
            start = starts.get(part)
            if start is None:
                start = starts[part] = _may_start(floating, part)
            if start:
                if walked is None:
                    walked = _Walked()
                _walk(floating, parts, first, found, walked)


class _Walked:
    """What walks of one path from each of its components learn, so that none repeats work.

    A walk from a later component reaches a node deeper in the path than one from an earlier
    component: the candidates of a `below` lookup found from the first depth it is reached
    are enough for every later one, and a tail that cannot match from a depth cannot match
    from any later one (NOT_FROM_HERE). Without this, every start would scan the rest of the
    path again: quadratic in its length.
    """

    __slots__ = ("below", "failed")

    def __init__(self) -> None:
        self.below: dict[int, dict[int, Tail]] = {}
        self.failed: dict[int, int] = {}


def _may_start(node: Trie, part: str) -> bool:
    """Whether walking node from a component `part` can find anything (False: it finds nothing)."""
    if node.ends or node.ends_dir_only or node.below is not None:
        return True
    if node.children is not None and part in node.children:
        return True
    fitting: dict[int, Tail] = {}
    if node.next is not None:
        node.next.candidates(part, fitting)
    return bool(fitting)


def _walk(
    node: Trie, parts: list[str], depth: int, found: set[str], walked: _Walked | None
) -> None:
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
            candidates: dict[int, Tail] = {}
            if next_ is not None:
                next_.candidates(parts[depth], candidates)
            if below is not None:
                candidates.update(_below(below, parts, depth, walked))
            for pattern in candidates.values():
                if not pattern.systems <= found and _matches(pattern, parts, depth, walked):
                    found |= pattern.systems
        if children is None:
            return
        child = children.get(parts[depth])
        if child is None:
            return
        node = child
        depth += 1


def _below(below: Lookup, parts: list[str], depth: int, walked: _Walked | None) -> dict[int, Tail]:
    """The tails of below whose literal some component from parts[depth] on fits."""
    known = None if walked is None else walked.below.get(id(below))
    if known is None:
        known = {}
        for part in parts[depth:]:
            below.candidates(part, known)
        if walked is not None:
            walked.below[id(below)] = known
    return known


def _matches(pattern: Tail, parts: list[str], depth: int, walked: _Walked | None) -> bool:
    if walked is None:
        return pattern.matches(parts, depth)
    failed = walked.failed.get(id(pattern))
    if failed is not None and depth >= failed:
        return False
    result = pattern.match_from(parts, depth)
    if result == NOT_FROM_HERE:
        walked.failed[id(pattern)] = depth
    return result == MATCHED
