"""Whom the gate's comment asks to sign off: the people behind each owner entry of the map."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from gate.depmap.records import Map
from gate.report.records import Report


def ask(
    depmap: Map, report: Report, *, author: str, excluded: Collection[str] = ()
) -> Mapping[str, tuple[str, ...]]:
    """Owner entry (team key or @login) -> the people to mention.

    Never the change's author, nor anyone in excluded (lower-cased logins: the authors and
    committers of its commits), who cannot sign off.
    """
    cannot = {author.lower(), *excluded}
    asked: dict[str, tuple[str, ...]] = {}
    for key, team in depmap.teams.items():
        people = [f"@{login}" for login in sorted(team.members) if login.lower() not in cannot]
        if team.github_team is not None:
            people.append(f"@{team.github_team}")
        asked[key] = tuple(people)
    for result in report.systems:
        for owner in result.owners:
            if owner.startswith("@") and owner[1:].lower() not in cannot:
                asked[owner] = (owner,)
    return asked
