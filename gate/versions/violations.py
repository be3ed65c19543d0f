"""Violations: the requirements an edge's versions break at head, and the impact they add."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from gate.depmap.records import Edge, Map
from gate.errors import GateError
from gate.impact import Impact, impacted
from gate.report.records import Violation
from gate.versions.requirements import fill_requirement, satisfies
from gate.versions.schemes import crosses
from gate.versions.versioned import Versions


def impact_and_violations(
    depmap: Map, touched: Mapping[str, str | None], silent: frozenset[str], versions: Versions
) -> tuple[Impact, tuple[Violation, ...]]:
    """Impact, then requirements on every edge with an affected end, until nothing new is reached.

    A violated requirement makes its dependent affected whatever the edge's `on:`, and what is
    affected then passes impact on, which can reach further requirements.
    """
    graph = depmap.graph
    forced: frozenset[Edge] = frozenset()
    while True:
        impact = impacted(graph, touched, crosses=crosses, silent=silent, forced=forced)
        affected = impact.affected()
        violations = violations_of(depmap.edges, affected, versions)
        violated = {(v.dependent, v.dependency) for v in violations}
        newly = frozenset(
            edge
            for edge in depmap.edges
            if (edge.dependent, edge.dependency) in violated and edge.dependent not in affected
        )
        if not newly - forced:
            return impact, violations
        forced |= newly


def violations_of(
    edges: Iterable[Edge], affected: frozenset[str], versions: Versions
) -> tuple[Violation, ...]:
    """Requirements broken at head on every edge with an affected end, whatever its `on:`."""
    found: list[Violation] = []
    for edge in edges:
        if edge.requires is None:
            continue
        if edge.dependent not in affected and edge.dependency not in affected:
            continue
        dependency, dependent = versions.after(edge.dependency), versions.after(edge.dependent)
        if dependency is None or dependent is None:
            # The loader refuses `requires` without a version at both ends; never pass on it.
            raise GateError(
                f"{edge.dependent} requires {edge.requires} of {edge.dependency}, but one of them"
                " declares no version; give both a `version:` in the map"
            )
        required = fill_requirement(edge.requires, dependency)
        if satisfies(dependent, required):
            continue
        was_dependency, was_dependent = (
            versions.before(edge.dependency),
            versions.before(edge.dependent),
        )
        already = (
            was_dependency is not None
            and was_dependent is not None
            and not satisfies(was_dependent, fill_requirement(edge.requires, was_dependency))
        )
        found.append(
            Violation(
                dependent=edge.dependent,
                dependency=edge.dependency,
                requires=required,
                rule=edge.requires,
                version=dependent.text,
                dependency_version=dependency.text,
                already_at_base=already,
                reason=edge.reason,
                version_at=dependent.at,
                dependency_version_at=dependency.at,
            )
        )
    return tuple(found)
