"""Who owns what: owner entries of the map resolved to people."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from gate.depmap.records import Team
from gate.errors import GateError

# Answers whether a login is an active member of a GitHub team ("org/slug"); raises GateError
# when that cannot be read.
TeamLookup = Callable[[str, str], bool]


def owners_matched(
    login: str,
    owners: tuple[str, ...],
    teams: Mapping[str, Team],
    lookup: TeamLookup | None,
) -> tuple[str, ...]:
    """The owner entries (team keys or "@login") that `login` stands for, in map order."""
    who = login.lower()
    matched: list[str] = []
    for owner in owners:
        if owner.startswith("@"):
            if owner[1:].lower() == who:
                matched.append(owner)
            continue
        team = teams[owner]
        if who in team.members:
            matched.append(owner)
        elif team.github_team is not None:
            if lookup is None:
                raise GateError(
                    f"team '{owner}' is defined by the GitHub team {team.github_team}, which can"
                    f" only be read with --github; list its members in the map, or run with"
                    f" --github to check whether {login} belongs to it"
                )
            if lookup(team.github_team, who):
                matched.append(owner)
    return tuple(matched)
