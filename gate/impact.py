"""Impact: from the touched systems to every dependent the change reaches, with each chain."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from gate.depmap.graph import Graph
from gate.depmap.records import Edge, OnFilter

# Chains grow with the number of paths through the graph, which can be exponential; past
# this many per system the report says the list is cut rather than hang.
MAX_CHAINS = 20

Crosses = Callable[[OnFilter, "str | None"], bool]
Chain = tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Impact:
    touched: frozenset[str]
    impacted: _Chains  # system -> chains from a touched system, a Mapping
    crossed: tuple[Edge, ...]  # the edges impact crossed

    def affected(self) -> frozenset[str]:
        return self.touched.union(self.impacted)

    def because(self, system: str) -> tuple[tuple[Chain, ...], bool]:
        """The chains from a touched system to an affected `system`, and whether MAX_CHAINS cut
        them; none for a touched one."""
        if system in self.touched:
            return (), False
        return self.impacted.cut(system)


def impacted(
    edges: Iterable[Edge] | Graph[Edge],
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

    The walk is one breadth-first traversal; each system's chains are found when first asked for.
    """
    graph = edges if isinstance(edges, Graph) else Graph(edges)
    crossed: list[Edge] = []
    queue = deque(touched)
    seen = set(touched)
    while queue:
        source = queue.popleft()
        if source in touched:
            out = graph.out.get(source, ())
            if source in silent:
                passing = tuple(edge for edge in out if edge in forced)
            else:
                bump = touched[source]
                passing = tuple(
                    edge for edge in out if (forced and edge in forced) or crosses(edge.on, bump)
                )
            targets: Iterable[str] = [edge.dependent for edge in passing]
        elif forced:
            passing = tuple(
                edge for edge in graph.out.get(source, ()) if edge.on == "any" or edge in forced
            )
            targets = [edge.dependent for edge in passing]
        else:
            passing = graph.out_any.get(source, ())
            targets = graph.targets_any.get(source, ())
        crossed.extend(passing)
        for target in targets:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    chains = _Chains(crossed, frozenset(touched), sorted(seen.difference(touched)))
    return Impact(
        touched=frozenset(touched),
        impacted=chains,
        crossed=tuple(crossed),
    )


class _Chains(Mapping[str, tuple[Chain, ...]]):
    """Each impacted system's chains, found when first asked for: a walk may need none."""

    def __init__(self, crossed: list[Edge], touched: frozenset[str], reached: list[str]) -> None:
        self._crossed = crossed
        self._touched = touched
        self._reached = dict.fromkeys(reached)  # in sorted order, as they are iterated
        self._first: dict[str, tuple[list[Chain], bool]] | None = None
        self._found: dict[str, tuple[tuple[Chain, ...], bool]] = {}

    def __getitem__(self, target: str) -> tuple[Chain, ...]:
        return self.cut(target)[0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._reached)

    def __len__(self) -> int:
        return len(self._reached)

    def __contains__(self, target: object) -> bool:
        return target in self._reached

    def cut(self, target: str) -> tuple[tuple[Chain, ...], bool]:
        """The chains to target, and whether they were cut at MAX_CHAINS."""
        if target not in self._reached:
            raise KeyError(target)
        found = self._found.get(target)
        if found is None:
            if self._first is None:
                self._first = _first_chains(self._crossed, self._touched, self._reached)
            chains, cut = self._first[target]
            # Shortest first, then in order: two sorts in C, not one with a Python key.
            found = self._found[target] = (tuple(sorted(sorted(chains), key=len)), cut)
        return found


def _first_chains(
    crossed: list[Edge], touched: frozenset[str], reached: Iterable[str]
) -> dict[str, tuple[list[Chain], bool]]:
    """Each reached system's first MAX_CHAINS chains, in the order a search finds them; and
    whether there were that many.

    The chains are every simple path from a touched system through impacted systems only. The
    search goes backwards from the target; at each system it takes the touched sources (in
    descending order), then searches each impacted source in turn (ascending). Searched alone,
    a source in another strongly connected component finds the same chains as inside a longer
    search (none of that search's path can lie upstream of it), so each system's first chains
    are found once, components upstream first, and reused: the cost is linear in the graph
    and the chains kept, where the search alone is exponential in the graph's depth.
    """
    into: dict[str, set[str]] = {}
    for edge in crossed:
        into.setdefault(edge.dependent, set()).add(edge.dependency)
    sources = {node: tuple(sorted(found, reverse=True)) for node, found in into.items()}
    component = _components(reached, sources, touched)
    first: dict[str, tuple[list[Chain], bool]] = {}
    for target in sorted(component, key=component.__getitem__):
        first[target] = _search(target, sources, touched, component, first)
    return first


def _search(
    target: str,
    sources: Mapping[str, tuple[str, ...]],
    touched: frozenset[str],
    component: Mapping[str, int],
    first: Mapping[str, tuple[list[Chain], bool]],
) -> tuple[list[Chain], bool]:
    """The depth-first search from target; a source in another component is its found chains.

    At each system the search takes the touched sources first, in order, then each other
    source, last first; the path so far is a list and a set, so that a step costs the same
    however deep the search is.
    """
    found: list[Chain] = []
    home = component[target]
    path = [target]
    on_path = {target}

    def others(node: str) -> list[str] | None:
        """Record node's chains from touched sources; its other sources, in the order they are
        searched; None once MAX_CHAINS are found."""
        rest: list[str] = []
        for source in sources.get(node, ()):
            if source in on_path:
                continue
            if source in touched:
                found.append((source, *reversed(path)))
                if len(found) >= MAX_CHAINS:
                    return None
            else:
                rest.append(source)
        rest.reverse()
        return rest

    start = others(target)
    if start is None:
        return found, True
    stack = [iter(start)]
    while stack:
        for source in stack[-1]:
            if component[source] == home:
                path.append(source)
                on_path.add(source)
                more = others(source)
                if more is None:
                    return found, True
                stack.append(iter(more))
                break
            rest = tuple(reversed(path))
            found.extend([chain + rest for chain in first[source][0][: MAX_CHAINS - len(found)]])
            if len(found) >= MAX_CHAINS:
                return found, True
        else:
            stack.pop()
            on_path.discard(path.pop())
    return found, False


def _components(
    nodes: Iterable[str], sources: Mapping[str, tuple[str, ...]], touched: frozenset[str]
) -> dict[str, int]:
    """The strongly connected components of impacted systems linked by their sources.

    Tarjan's algorithm, without recursion; components are numbered so that the components of
    a component's sources come before it.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    component: dict[str, int] = {}
    count = 0
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(sources.get(root, ())))]
        while work:
            node, pending = work[-1]
            for source in pending:
                if source in touched:
                    continue
                if source not in index:
                    index[source] = low[source] = len(index)
                    stack.append(source)
                    on_stack.add(source)
                    work.append((source, iter(sources.get(source, ()))))
                    break
                if source in on_stack:
                    low[node] = min(low[node], index[source])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component[member] = count
                        if member == node:
                            break
                    count += 1
    return component
