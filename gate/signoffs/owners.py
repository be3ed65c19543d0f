"""Who owns what: owner entries of the map resolved to people."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from gate.depmap.records import Team

# Answers whether a login is an active member of a GitHub team ("org/slug"); raises GateError
# when that cannot be read.
TeamLookup = Callable[[str, str], bool]
# Whether each (GitHub team, lowercased login) asked about is an active membership.
Members = Mapping[tuple[str, str], bool]


def bare_login(written: str) -> str:
    """A GitHub login as people write it (`@carol`, `Carol`), as one person: lower-cased, bare."""
    return written.strip().removeprefix("@").lower()


def owners_matched(
    login: str, owners: tuple[str, ...], teams: Mapping[str, Team], members: Members
) -> tuple[str, ...]:
    """The owner entries (team keys or "@login") that `login` stands for, in map order.

    `members` holds every GitHub team membership that can change what this answers (see
    memberships.asked); one it does not hold is not taken to be one.
    """
    who = bare_login(login)
    matched: list[str] = []
    for owner in owners:
        if owner.startswith("@"):
            if owner[1:].lower() == who:
                matched.append(owner)
            continue
        team = teams[owner]
        if who in team.members or (
            team.github_team is not None and members.get((team.github_team, who), False)
        ):
            matched.append(owner)
    return tuple(matched)
