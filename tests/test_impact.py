from __future__ import annotations

import pytest

from gate.depmap import Edge
from gate.impact import MAX_CHAINS, impacted
from gate.versions import crosses


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
    assert "l8a" in result.truncated
    assert "l0a" not in result.truncated
