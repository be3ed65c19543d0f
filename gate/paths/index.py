"""The fast matcher: every system's patterns in one trie, matched against a change's paths."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from gate.paths.build import tries
from gate.paths.trie import Tail, Trie


class Matcher:
    """Which systems a path belongs to, for many patterns at once.

    Anchored patterns sit in a trie keyed by their literal leading components and are tried
    only from the root; unanchored ones (and those starting with '**/') sit in a second trie
    tried from every component of the path. Past the literal components, a pattern's tail is
    tried only when a literal it holds fits the path: its first component's start or end the
    next component, or else a later literal component one of the components further on.
    """

    def __init__(self, owners: Iterable[tuple[str, Sequence[str]]]) -> None:
        self._anchored, self._floating = tries(owners)

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


def _walk(node: Trie, parts: list[str], depth: int, found: set[str]) -> None:
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
