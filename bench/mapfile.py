"""Benchmark inputs: the plan written out as a dependency map, in the format users write."""

from __future__ import annotations

import json

from bench.plan import REASONS, Plan, Planned

MAP_PATH = "dependency-map.yaml"


def map_yaml(plan: Plan) -> str:
    """The map: block style for the structure, flow lists and quoted strings for the values."""
    lines = [
        "# Generated for the benchmark: systems, their paths and their dependencies.",
        "version: 1",
        'map-owners: ["team000"]',
        "",
        "teams:",
    ]
    for team, members in plan.teams.items():
        lines.append(f"  {team}:")
        lines.append(f"    members: {_flow(members)}")
    lines += ["", "systems:"]
    kinds = {system.id: system.kind for system in plan.systems}
    for system in plan.systems:
        lines += _system(system, kinds)
    lines += ["", "policy:", "  unmapped: warn", "  signoff-touched: true", ""]
    return "\n".join(lines)


def _flow(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(value) for value in values) + "]"


def _system(system: Planned, kinds: dict[str, str]) -> list[str]:
    lines = [
        f"  {system.id}:",
        f"    kind: {system.kind}",
        f'    description: "The {system.id} {system.kind}"',
        f"    owners: {_flow(system.owners)}",
    ]
    if system.signoff is not None:
        lines.append(f"    signoff: {system.signoff}")
    lines.append("    paths:")
    lines += [f"      - {json.dumps(pattern)}" for pattern in system.patterns]
    if system.version is not None:
        version = system.version
        lines += [
            "    version:",
            f"      file: {json.dumps(version.file)}",
            f"      {version.rule}: {json.dumps(version.value)}",
            f"      scheme: {version.scheme}",
        ]
    if system.depends_on:
        lines.append("    depends_on:")
        for dependency, on, requires in system.depends_on:
            lines.append(f"      - system: {dependency}")
            lines.append(f'        reason: "{system.id} {REASONS[kinds[dependency]]}"')
            if on != "any":
                lines.append(f"        on: {on}")
            if requires is not None:
                lines.append(f'        requires: "{requires}"')
    return lines
