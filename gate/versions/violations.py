"""Violations: the requirements an edge's versions break at head."""

from __future__ import annotations

from collections.abc import Iterable

from gate.depmap.records import Edge
from gate.errors import GateError
from gate.report.records import Violation
from gate.versions.requirements import fill_requirement, satisfies
from gate.versions.versioned import Versions


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
