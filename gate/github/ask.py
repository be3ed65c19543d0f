"""Whom the gate's comment asks to sign off: the people behind each owner entry of the map."""

from __future__ import annotations

from collections.abc import Mapping

from gate.depmap.records import Map
from gate.report.records import Report


def ask(depmap: Map, report: Report, *, author: str) -> Mapping[str, tuple[str, ...]]:
    """Owner entry (team key or @login) -> the people to mention; never the change's author."""
    asked: dict[str, tuple[str, ...]] = {}
    for key, team in depmap.teams.items():
        people = [f"@{login}" for login in sorted(team.members) if login != author.lower()]
        if team.github_team is not None:
            people.append(f"@{team.github_team}")
        asked[key] = tuple(people)
    for result in report.systems:
        for owner in result.owners:
            if owner.startswith("@") and owner[1:].lower() != author.lower():
                asked[owner] = (owner,)
    return asked
