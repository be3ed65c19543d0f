from __future__ import annotations

from collections import Counter, defaultdict, deque
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


def test_a_silent_system_impact_reaches_passes_it_on_as_an_impacted_one():
    graph = edges("db->backup", "backup->alerts", "backup-major->drill")
    touched = {"db": "major", "backup": None}
    result = impacted(graph, touched, crosses=crosses, silent=frozenset({"backup"}))
    assert set(result.impacted) == {"alerts"}  # not drill: impacted systems cross `on: any` only
    assert result.impacted["alerts"] == (("db", "backup", "alerts"),)
    assert result.because("backup") == ((), False)
    assert result.reached() == {"backup", "alerts"}


def test_a_silent_system_reached_after_its_forced_edges_adds_only_its_other_edges():
    graph = edges("quiet-major->x", "x->quiet", "quiet->y")
    forced = frozenset({graph[0]})
    result = impacted(
        graph, {"quiet": None}, crosses=crosses, silent=frozenset({"quiet"}), forced=forced
    )
    assert set(result.impacted) == {"x", "y"}
    assert sorted(result.crossed, key=str) == sorted(graph, key=str)  # each edge once
    assert result.impacted["x"] == (("quiet", "x"),)  # its violated requirement starts a chain


def test_a_touched_system_is_reached_only_across_an_edge_impact_crosses():
    graph = edges("db-major->replica")
    assert impacted(graph, {"db": "minor", "replica": None}, crosses=crosses).reached() == set()
    assert impacted(graph, {"db": "major", "replica": None}, crosses=crosses).reached() == {
        "replica"
    }


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


def cycle(size: int) -> list[Edge]:
    """size systems in a ring, each depending on the next two."""
    return edges(*(f"s{(i + step) % size}->s{i}" for i in range(size) for step in (1, 2)))


def test_chains_in_a_large_cycle_stop_at_the_cut():
    result = impacted(cycle(80), {"s0": None, "s40": None}, crosses=crosses)
    assert len(result.impacted) == 78
    for target in result.impacted:
        chains, _ = result.because(target)
        assert chains
        assert all(chain[0] in {"s0", "s40"} and chain[-1] == target for chain in chains)
        assert all(len(set(chain)) == len(chain) for chain in chains)
    assert any(result.because(target)[1] for target in result.impacted)


def test_a_search_that_runs_out_of_steps_still_holds_the_shortest_chain(monkeypatch):
    monkeypatch.setattr(impact, "MAX_STEPS", 1)
    result = impacted(cycle(12), {"s0": None}, crosses=crosses)
    chains, cut = result.because("s6")
    assert cut
    assert chains == (("s0", "s10", "s8", "s6"),)


def reference_impacted(
    edges_: Any, touched: Any, *, crosses: Any, silent: Any, forced: Any, limit: int
) -> Any:
    """The walk as first written: one generator per system, and a search per impacted system.

    The silent systems impact reaches (relayed) are found by walking again until they stay the
    same; they pass impact on as impacted systems do, and chains run through them.
    """
    dependents = defaultdict(list)
    for edge in edges_:
        dependents[edge.dependency].append(edge)

    def crossing(source: str, relayed: set[str]) -> Iterator[Edge]:
        for edge in dependents.get(source, ()):
            if edge in forced:
                yield edge
            elif source in touched and source not in relayed:
                if source not in silent and crosses(edge.on, touched[source]):
                    yield edge
            elif edge.on == "any":
                yield edge

    relayed: set[str] = set()
    while True:
        reached, crossed = set(), []
        queue, seen = deque(touched), set(touched)
        while queue:
            source = queue.popleft()
            for edge in crossing(source, relayed):
                crossed.append(edge)
                if edge.dependent not in touched:
                    reached.add(edge.dependent)
                if edge.dependent not in seen:
                    seen.add(edge.dependent)
                    queue.append(edge.dependent)
        again = {edge.dependent for edge in crossed if edge.dependent in silent}
        if again <= relayed:
            break
        relayed |= again
    starts = set(touched) - relayed
    origins = {
        (e.dependency, e.dependent) for e in crossed if e.dependency in relayed and e in forced
    }
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
                if source in starts or (source, node) in origins:
                    found.append((source, *reversed(path)))
                    if len(found) >= limit:
                        cut = True
                        break
                if source not in starts:
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
    monkeypatch.setattr(impact, "MAX_STEPS", 10**9)  # the reference searches without a bound

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
        assert Counter(result.crossed) == Counter(crossed)

    agrees()


def test_a_graph_is_walked_as_its_edges_are():
    graph = edges("db->backup", "backup->alerts", "db-major->replica")
    by_edges = impacted(graph, {"db": "minor"}, crosses=crosses)
    by_graph = impacted(Graph(graph), {"db": "minor"}, crosses=crosses)
    assert dict(by_graph.impacted) == dict(by_edges.impacted)
    assert by_graph.crossed == by_edges.crossed
