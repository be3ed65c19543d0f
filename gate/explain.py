"""Explaining one system: what it depends on, what depends on it, and why a change reaches it."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from gate.depmap.records import Map, System
from gate.errors import GateError
from gate.report.words import counted, version_phrase, violation_sentence


def explain(
    repo: str, map_path: str, map_file: str | None, sid: str, base: str | None, head: str | None
) -> str:
    if head is not None and base is None:
        raise GateError("--head needs --base: explain compares a head with a base")
    if base is not None:
        return _in_change(repo, map_path, map_file, sid, base, head or "HEAD")
    from gate.depmap.read import working_map

    return describe(working_map(repo, map_path, map_file), sid)


def describe(depmap: Map, sid: str) -> str:
    system = _system(depmap, sid)
    lines = [f"{sid}" + (f"  [{system.kind}]" if system.kind else "")]
    if system.description:
        lines.append(f"  {system.description}")
    lines.append("owners: " + ", ".join(_owner(depmap, owner) for owner in system.owners))
    lines.append(f"sign-off: {system.signoff}")
    if system.paths:
        lines.append("paths: " + ", ".join(system.paths))
    if system.version is not None:
        spec = system.version
        how, rule = spec.written
        lines.append(f"version: {spec.file} ({how} {rule}; scheme {spec.scheme})")
    lines.append("depends on:" if system.depends_on else "depends on: nothing")
    for edge in system.depends_on:
        lines.append(
            f"  {edge.dependency}{_edge_terms(edge.on, edge.requires)}"
            + (f": {edge.reason}" if edge.reason else "")
        )
    dependents = [edge for edge in depmap.edges if edge.dependency == sid]
    lines.append("depended on by:" if dependents else "depended on by: nothing")
    for edge in dependents:
        lines.append(
            f"  {edge.dependent}{_edge_terms(edge.on, edge.requires)}"
            + (f": {edge.reason}" if edge.reason else "")
        )
    reach = _reachable(depmap, sid)
    if reach:
        lines.append("a major upgrade here reaches: " + ", ".join(sorted(reach)))
    return _shown(lines)


def _in_change(
    repo: str, map_path: str, map_file: str | None, sid: str, base: str, head: str
) -> str:
    from gate.check import Change, check

    report = check(Change(repo=repo, base=base, head=head, map_path=map_path, map_file=map_file))
    result = next((r for r in report.systems if r.id == sid), None)
    if result is None:
        _known_at_base(repo, map_path, map_file, report.base, sid)
        known = [r.id for r in report.systems]
        affected = ", ".join(known) if known else "nothing"
        return _shown([f"{sid} is not affected by {base}..{head}. The change affects: {affected}."])
    lines = [f"{sid} is {result.affected} by {base}..{head}."]
    if result.affected == "touched":
        paths = [c.path for c in report.changed]
        lines.append(
            "  the change edits its files or its definition"
            f" ({counted(len(paths), 'path')} changed)"
        )
    for chain in result.because:
        lines.append("  via " + " -> ".join(chain))
    if result.version is not None:
        lines.append("  version " + version_phrase(result.version))
    for violation in result.violations:
        lines.append("  VIOLATION " + violation_sentence(violation))
    state = result.signoff
    if state.required:
        waiting = ", ".join(state.waiting_for)
        lines.append("  sign-off: " + ("done" if state.satisfied else f"waiting for {waiting}"))
    return _shown(lines)


def _known_at_base(repo: str, map_path: str, map_file: str | None, base: str, sid: str) -> None:
    """A system the change leaves alone must still be one of the map it is judged by: a
    mistyped id is an error, never "not affected"."""
    from gate.depmap.read import map_reading, read_map, with_map_system

    with map_reading(repo, base, map_path, map_file) as reading:
        depmap = read_map(repo, base, map_path, map_file, reading)
    _system(depmap, sid, with_map_system(depmap))


def _system(depmap: Map, sid: str, systems: Mapping[str, System] | None = None) -> System:
    systems = depmap.systems if systems is None else systems
    if sid in systems:
        return systems[sid]
    close = difflib.get_close_matches(sid, list(systems), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise GateError(f"no system '{sid}' in {depmap.source}{hint}")


def _owner(depmap: Map, owner: str) -> str:
    if owner.startswith("@"):
        return owner
    team = depmap.teams[owner]
    people = sorted(team.members)
    if team.github_team:
        people.append(f"GitHub team {team.github_team}")
    return f"{owner} ({', '.join(people)})"


def _edge_terms(on: str, requires: str | None) -> str:
    terms = [] if on == "any" else [f"on {on}"]
    if requires:
        terms.append(f"requires {requires}")
    return f" ({'; '.join(terms)})" if terms else ""


def _reachable(depmap: Map, sid: str) -> set[str]:
    """What the largest change of `sid` reaches, `on:` filters and all: a major version bump."""
    from gate.impact import impacted
    from gate.versions.schemes import crosses

    return set(impacted(depmap.edges, {sid: "major"}, crosses=crosses).impacted)


def _shown(lines: list[str]) -> str:
    """The lines for a terminal: versions, paths and text from a map at a commit of the change
    may hold escapes that would rewrite what the screen shows."""
    from gate.report.terminal_text import shown

    return "".join(shown(line) + "\n" for line in lines)
