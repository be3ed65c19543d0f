"""Impact: from the touched systems to every dependent the change reaches, with each chain."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from gate.depmap import Edge, OnFilter

# Chains grow with the number of paths through the graph, which can be exponential; past
# this many per system the report says the list is cut rather than hang.
MAX_CHAINS = 20

Crosses = Callable[[OnFilter, "str | None"], bool]


@dataclass(frozen=True, kw_only=True)
class Impact:
    touched: frozenset[str]
    impacted: Mapping[str, tuple[tuple[str, ...], ...]]  # system -> chains from a touched system
    truncated: frozenset[str]  # systems whose chains were cut at MAX_CHAINS
    crossed: tuple[Edge, ...]  # the edges impact crossed

    def affected(self) -> frozenset[str]:
        return self.touched | self.impacted.keys()


def impacted(
    edges: Iterable[Edge],
    touched: Mapping[str, str | None],
    *,
    crosses: Crosses,
    silent: frozenset[str] = frozenset(),
    forced: frozenset[Edge] = frozenset(),
) -> Impact:
    """Walk impact from `touched` (system -> its version bump, None for other changes).

    A touched system's change crosses an edge when `crosses(edge.on, bump)` says so; a system
    reached only through impact passes it on across `on: any` edges alone. `silent` systems are
    touched but carry no impact (an edit of their definition in the map); `forced` edges are
    crossed whatever their `on:` (a violated requirement).
    """
    dependents: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        dependents[edge.dependency].append(edge)

    def crossing(source: str) -> Iterable[Edge]:
        for edge in dependents.get(source, ()):
            if edge in forced:
                yield edge
            elif source in touched:
                if source not in silent and crosses(edge.on, touched[source]):
                    yield edge
            elif edge.on == "any":
                yield edge

    reached: set[str] = set()
    crossed: list[Edge] = []
    queue = deque(touched)
    seen = set(touched)
    while queue:
        source = queue.popleft()
        for edge in crossing(source):
            crossed.append(edge)
            target = edge.dependent
            if target not in touched:
                reached.add(target)
            if target not in seen:
                seen.add(target)
                queue.append(target)

    into: dict[str, list[str]] = defaultdict(list)
    for edge in crossed:
        into[edge.dependent].append(edge.dependency)
    chains: dict[str, tuple[tuple[str, ...], ...]] = {}
    truncated: set[str] = set()
    for target in sorted(reached):
        found, cut = _chains_to(target, into, frozenset(touched))
        chains[target] = found
        if cut:
            truncated.add(target)
    return Impact(
        touched=frozenset(touched),
        impacted=chains,
        truncated=frozenset(truncated),
        crossed=tuple(crossed),
    )


def _chains_to(
    target: str, into: Mapping[str, list[str]], touched: frozenset[str]
) -> tuple[tuple[tuple[str, ...], ...], bool]:
    """Every simple path from a touched system to `target` through impacted systems only."""
    found: list[tuple[str, ...]] = []
    # Depth-first from the target backwards; the path is kept reversed.
    stack: list[tuple[str, tuple[str, ...]]] = [(target, (target,))]
    while stack:
        node, path = stack.pop()
        for source in sorted(set(into.get(node, ())), reverse=True):
            if source in path:
                continue
            if source in touched:
                found.append((source, *reversed(path)))
                if len(found) >= MAX_CHAINS:
                    return tuple(sorted(found, key=lambda c: (len(c), c))), True
            else:
                stack.append((source, (*path, source)))
    return tuple(sorted(found, key=lambda c: (len(c), c))), False
