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
# In a strongly connected part of the map most simple paths lead nowhere, and there can be
# exponentially many of them before MAX_CHAINS are found: a search stops after this many steps,
# its list cut, and holds at least the shortest chain.
MAX_STEPS = 2000

Crosses = Callable[[OnFilter, "str | None"], bool]
Chain = tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Impact:
    touched: frozenset[str]
    impacted: _Chains  # system -> chains from a touched system, a Mapping
    crossed: tuple[Edge, ...]  # the edges impact crossed

    def affected(self) -> frozenset[str]:
        return self.touched.union(self.impacted)

    def reached(self) -> frozenset[str]:
        """The systems impact reaches: the impacted ones, and touched ones it reaches too."""
        return frozenset(edge.dependent for edge in self.crossed)

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
    touched but carry no impact of their own (an edit of their definition in the map); one that
    impact reaches passes it on as an impacted system does, and chains run through it. `forced`
    edges are crossed whatever their `on:` (a violated requirement).

    The walk is one breadth-first traversal; each system's chains are found when first asked for.
    """
    graph = edges if isinstance(edges, Graph) else Graph(edges)
    crossed: list[Edge] = []
    # The silent systems wait until the walk from the others ends; one that impact reaches is
    # `relayed`: walked as an impacted system, after its forced edges if it was walked already.
    queue = deque(sid for sid in touched if sid not in silent)
    waiting = deque(sid for sid in touched if sid in silent)
    seen = set(touched)
    relayed: set[str] = set()
    quiet: set[str] = set()  # silent systems walked across their forced edges alone
    while queue or waiting:
        if queue:
            source = queue.popleft()
        else:
            source = waiting.popleft()
            if source in relayed:
                continue
            quiet.add(source)
        if source in relayed and source in quiet:
            # Its forced edges are crossed already; what impact adds is its `on: any` edges.
            passing = tuple(
                edge
                for edge in graph.out.get(source, ())
                if edge.on == "any" and edge not in forced
            )
            targets: Iterable[str] = [edge.dependent for edge in passing]
        elif source in quiet:
            passing = tuple(edge for edge in graph.out.get(source, ()) if edge in forced)
            targets = [edge.dependent for edge in passing]
        elif source in touched and source not in relayed:
            bump = touched[source]
            passing = tuple(
                edge
                for edge in graph.out.get(source, ())
                if (forced and edge in forced) or crosses(edge.on, bump)
            )
            targets = [edge.dependent for edge in passing]
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
            if target in silent and target not in relayed:
                relayed.add(target)
                queue.append(target)
            elif target not in seen:
                seen.add(target)
                queue.append(target)
    # A relayed system's violated requirements are its own: chains start at those edges too.
    origins = frozenset(
        (edge.dependency, edge.dependent)
        for edge in crossed
        if edge.dependency in relayed and edge in forced
    )
    chains = _Chains(
        crossed,
        frozenset(touched).difference(relayed),
        sorted(seen.difference(touched)),
        through=relayed,
        origins=origins,
    )
    return Impact(
        touched=frozenset(touched),
        impacted=chains,
        crossed=tuple(crossed),
    )


class _Chains(Mapping[str, tuple[Chain, ...]]):
    """Each impacted system's chains, found when first asked for: a walk may need none."""

    def __init__(
        self,
        crossed: list[Edge],
        starts: frozenset[str],
        reached: list[str],
        *,
        through: set[str],
        origins: frozenset[tuple[str, str]],
    ) -> None:
        self._crossed = crossed
        self._starts = starts  # where chains start: the touched systems but those relayed
        self._reached = dict.fromkeys(reached)  # in sorted order, as they are iterated
        self._through = sorted(through)  # touched systems impact reached: chains pass them
        self._origins = origins  # (dependency, dependent) edges that start chains, too
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
                self._first = _first_chains(
                    self._crossed,
                    self._starts,
                    [*self._reached, *self._through],
                    self._origins,
                )
            chains, cut = self._first[target]
            # Shortest first, then in order: two sorts in C, not one with a Python key.
            found = self._found[target] = (tuple(sorted(sorted(chains), key=len)), cut)
        return found


def _first_chains(
    crossed: list[Edge],
    touched: frozenset[str],
    reached: Iterable[str],
    origins: frozenset[tuple[str, str]],
) -> dict[str, tuple[list[Chain], bool]]:
    """Each reached system's first MAX_CHAINS chains, in the order a search finds them; and
    whether there were that many.

    The chains are every simple path from a touched system through impacted systems only (and
    through the touched systems in `reached`, which relay impact past an edited definition;
    from those, only `origins` edges start chains). The search goes backwards from the target;
    at each system it takes the touched sources (in descending order), then searches each
    impacted source in turn (ascending). Searched alone, a source in another strongly connected
    component finds the same chains as inside a longer search (none of that search's path can
    lie upstream of it), so each system's first chains are found once, components upstream
    first, and reused: across components the cost is linear in the graph and the chains kept.
    Inside one component the search is exponential in its size, so it stops at MAX_STEPS.
    """
    into: dict[str, set[str]] = {}
    for edge in crossed:
        into.setdefault(edge.dependent, set()).add(edge.dependency)
    sources = {node: tuple(sorted(found, reverse=True)) for node, found in into.items()}
    component = _components(reached, sources, touched)
    first: dict[str, tuple[list[Chain], bool]] = {}
    for target in sorted(component, key=component.__getitem__):
        first[target] = _search(target, sources, touched, origins, component, first)
    return first


def _search(
    target: str,
    sources: Mapping[str, tuple[str, ...]],
    touched: frozenset[str],
    origins: frozenset[tuple[str, str]],
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
    steps = 0
    incomplete = False  # a source's own chains were cut short of MAX_CHAINS

    def others(node: str) -> list[str] | None:
        """Record node's chains from touched sources; its other sources, in the order they are
        searched; None once MAX_CHAINS are found, or the search took MAX_STEPS."""
        nonlocal steps
        steps += 1
        rest: list[str] = []
        for source in sources.get(node, ()):
            if source in on_path:
                continue
            if source in touched:
                found.append((source, *reversed(path)))
                if len(found) >= MAX_CHAINS:
                    return None
            else:
                if (source, node) in origins:
                    found.append((source, *reversed(path)))
                    if len(found) >= MAX_CHAINS:
                        return None
                rest.append(source)
        if steps >= MAX_STEPS:
            return None
        rest.reverse()
        return rest

    start = others(target)
    if start is None:
        return _with_shortest(found, target, sources, touched, origins), True
    stack = [iter(start)]
    while stack:
        for source in stack[-1]:
            if component[source] == home:
                path.append(source)
                on_path.add(source)
                more = others(source)
                if more is None:
                    return _with_shortest(found, target, sources, touched, origins), True
                stack.append(iter(more))
                break
            rest = tuple(reversed(path))
            incomplete = incomplete or first[source][1]
            found.extend([chain + rest for chain in first[source][0][: MAX_CHAINS - len(found)]])
            if len(found) >= MAX_CHAINS:
                return found, True
        else:
            stack.pop()
            on_path.discard(path.pop())
    return found, incomplete


def _with_shortest(
    found: list[Chain],
    target: str,
    sources: Mapping[str, tuple[str, ...]],
    touched: frozenset[str],
    origins: frozenset[tuple[str, str]],
) -> list[Chain]:
    """found, with a shortest chain to target added when a search stopped before finding it."""
    if len(found) >= MAX_CHAINS:
        return found
    parent: dict[str, str | None] = {target: None}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        for source in sources.get(node, ()):
            if source in touched or (source, node) in origins:
                chain = [source, node]
                step = parent[node]
                while step is not None:
                    chain.append(step)
                    step = parent[step]
                shortest = tuple(chain)
                if len(set(shortest)) < len(shortest):
                    continue  # a relayed system starting a chain that passes it
                return found if shortest in found else [*found, shortest]
        for source in sources.get(node, ()):
            if source not in touched and source not in parent:
                parent[source] = node
                queue.append(source)
    return found


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
