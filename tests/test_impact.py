from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gate import impact
from gate.depmap.graph import Graph
from gate.depmap.records import Edge
from gate.impact import MAX_CHAINS, impacted
from gate.versions.schemes import crosses


def edges(*specs: str) -> list[Edge]:
    """'a->b' means b depends on a (impact flows a to b); 'a-major->b' sets on: major."""
    found = []
    for spec in specs:
        source, _, target = spec.partition("->")
        source, _, on = source.partition("-")
        found.append(Edge(dependency=source, dependent=target, on=on or "any"))  # type: ignore[arg-type]
    return found


@pytest.mark.parametrize(
    ("graph", "touched", "expected"),
    [
        # a straight line is followed to its end
        (
            ["db->backup", "backup->alerts"],
            {"db": None},
            {"backup": [["db", "backup"]], "alerts": [["db", "backup", "alerts"]]},
        ),
        # nothing upstream or unrelated is reported
        (["db->backup", "mail->alerts"], {"backup": None}, {}),
        # a diamond gives both chains
        (
            ["db->a", "db->b", "a->c", "b->c"],
            {"db": None},
            {"a": [["db", "a"]], "b": [["db", "b"]], "c": [["db", "a", "c"], ["db", "b", "c"]]},
        ),
        # a cycle terminates and each chain is simple
        (["a->b", "b->c", "c->a"], {"a": None}, {"b": [["a", "b"]], "c": [["a", "b", "c"]]}),
        # on: major is crossed by a major bump, not by a non-version change
        (["db-major->replica"], {"db": "major"}, {"replica": [["db", "replica"]]}),
        (["db-major->replica"], {"db": None}, {}),
        (["db-major->replica"], {"db": "minor"}, {}),
        (["db-minor->replica"], {"db": "patch"}, {}),
        (["db-version->replica"], {"db": "other"}, {"replica": [["db", "replica"]]}),
        (["db-major->replica"], {"db": "added"}, {"replica": [["db", "replica"]]}),
        # an impacted system passes impact on across on: any only
        (
            ["db->backup", "backup-major->x", "backup->y"],
            {"db": "major"},
            {"backup": [["db", "backup"]], "y": [["db", "backup", "y"]]},
        ),
        # chains start at a touched system: a touched system in the middle starts its own
        (
            ["db->backup", "backup->alerts"],
            {"db": None, "backup": None},
            {"alerts": [["backup", "alerts"]]},
        ),
    ],
)
def test_impacted(graph, touched, expected):
    result = impacted(edges(*graph), touched, crosses=crosses)
    assert {k: [list(c) for c in v] for k, v in result.impacted.items()} == expected
    assert result.touched == frozenset(touched)


def test_silent_systems_carry_no_impact():
    result = impacted(edges("db->backup"), {"db": None}, crosses=crosses, silent=frozenset({"db"}))
    assert result.affected() == {"db"}


def test_forced_edges_are_crossed_whatever_their_filter():
    graph = edges("db-major->backup", "backup->alerts")
    forced = frozenset({graph[0]})
    result = impacted(graph, {"db": None}, crosses=crosses, forced=forced)
    assert set(result.impacted) == {"backup", "alerts"}


def test_chains_are_cut_and_flagged_when_too_many():
    # Layers of two nodes each, fully connected: 2**layers paths to the sink.
    specs = ["src->l0a", "src->l0b"]
    for layer in range(8):
        for a in "ab":
            for b in "ab":
                specs.append(f"l{layer}{a}->l{layer + 1}{b}")
    result = impacted(edges(*specs), {"src": None}, crosses=crosses)
    assert len(result.impacted["l8a"]) == MAX_CHAINS
    assert result.because("l8a")[1]  # cut at MAX_CHAINS
    assert not result.because("l0a")[1]


def reference_impacted(
    edges_: Any, touched: Any, *, crosses: Any, silent: Any, forced: Any, limit: int
) -> Any:
    """The walk as first written: one generator per system, and a search per impacted system."""
    dependents = defaultdict(list)
    for edge in edges_:
        dependents[edge.dependency].append(edge)

    def crossing(source: str) -> Iterator[Edge]:
        for edge in dependents.get(source, ()):
            if edge in forced:
                yield edge
            elif source in touched:
                if source not in silent and crosses(edge.on, touched[source]):
                    yield edge
            elif edge.on == "any":
                yield edge

    reached, crossed = set(), []
    queue, seen = deque(touched), set(touched)
    while queue:
        source = queue.popleft()
        for edge in crossing(source):
            crossed.append(edge)
            if edge.dependent not in touched:
                reached.add(edge.dependent)
            if edge.dependent not in seen:
                seen.add(edge.dependent)
                queue.append(edge.dependent)
    into = defaultdict(list)
    for edge in crossed:
        into[edge.dependent].append(edge.dependency)
    chains, truncated = {}, set()
    for target in sorted(reached):
        found, cut = [], False
        stack: list[tuple[str, tuple[str, ...]]] = [(target, (target,))]
        while stack and not cut:
            node, path = stack.pop()
            for source in sorted(set(into.get(node, ())), reverse=True):
                if source in path:
                    continue
                if source in touched:
                    found.append((source, *reversed(path)))
                    if len(found) >= limit:
                        cut = True
                        break
                else:
                    stack.append((source, (*path, source)))
        chains[target] = tuple(sorted(found, key=lambda chain: (len(chain), chain)))
        if cut:
            truncated.add(target)
    return chains, truncated, tuple(crossed)


NAMES = [f"s{number}" for number in range(9)]
ONS = ["any", "any", "any", "major", "version"]


@st.composite
def walks(draw):
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES), st.sampled_from(ONS)),
            max_size=40,
        )
    )
    graph: dict[tuple[str, str], Any] = {}
    for dependency, dependent, on in pairs:
        if dependency != dependent:
            graph.setdefault((dependency, dependent), on)
    edges_ = [Edge(dependency=a, dependent=b, on=on) for (a, b), on in graph.items()]
    touched = draw(
        st.dictionaries(
            st.sampled_from(NAMES), st.sampled_from([None, "major", "minor"]), min_size=1
        )
    )
    silent = draw(st.frozensets(st.sampled_from(sorted(touched))))
    forced = draw(st.frozensets(st.sampled_from(edges_))) if edges_ else frozenset()
    return edges_, touched, silent, forced


# With a low limit most searches are cut, which is where the order they find chains in shows.
@pytest.mark.parametrize("limit", [2, 5, MAX_CHAINS])
def test_the_walk_agrees_with_a_search_per_system(limit, monkeypatch):
    """Same reach, chains (in order, cut at the same place) and crossed edges as the plain walk."""
    monkeypatch.setattr(impact, "MAX_CHAINS", limit)

    @settings(max_examples=300, deadline=None)
    @given(walks())
    def agrees(walk):
        edges_, touched, silent, forced = walk
        result = impacted(edges_, touched, crosses=crosses, silent=silent, forced=forced)
        chains, truncated, crossed = reference_impacted(
            edges_, touched, crosses=crosses, silent=silent, forced=forced, limit=limit
        )
        assert dict(result.impacted) == chains
        assert list(result.impacted) == list(chains)
        assert {target for target in chains if result.because(target)[1]} == truncated
        assert result.crossed == crossed

    agrees()


def test_a_graph_is_walked_as_its_edges_are():
    graph = edges("db->backup", "backup->alerts", "db-major->replica")
    by_edges = impacted(graph, {"db": "minor"}, crosses=crosses)
    by_graph = impacted(Graph(graph), {"db": "minor"}, crosses=crosses)
    assert dict(by_graph.impacted) == dict(by_edges.impacted)
    assert by_graph.crossed == by_edges.crossed
