"""Systems no one can sign off: every owner who could is someone whose sign-off never counts."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from gate.depmap.records import Team
from gate.signoffs.owners import bare_login
from gate.signoffs.records import Owned

# Reads a GitHub team ("org/slug"), raising GateError when it cannot be read.
TeamRead = Callable[[str], object]


def unsignable(
    owned: Owned,
    teams: Mapping[str, Team],
    cannot: Collection[str],
    *,
    read_team: TeamRead | None = None,
) -> bool:
    """Whether owned's rule can be met by no one but those in cannot (bare, lower-cased logins:
    the change's author, the authors and committers of its commits).

    Bots are never listed (a `[bot]` login in the map is a loader error). A team defined by a
    GitHub team may hold anyone the map does not list, so it is taken to have signers; where
    that decides the answer it is read first (read_team), and one that cannot be read is an
    error, never "unsignable". Without read_team (no GitHub to ask) it is taken as it is.
    """
    rule = owned.rule
    eligible: set[str] = set()
    unlisted: list[str] = []  # GitHub teams that may hold signers the map does not list
    for owner in owned.owners:
        if owner.startswith("@"):
            people, github_team = {bare_login(owner)}, None
        else:
            team = teams[owner]
            people, github_team = {bare_login(m) for m in team.members}, team.github_team
        people.difference_update(cannot)
        eligible |= people
        if github_team is not None and (not people or isinstance(rule, int)):
            unlisted.append(github_team)
        elif not people and rule == "all":
            return True  # an owner entry no one can sign for
    if (rule == "any" and eligible) or (isinstance(rule, int) and len(eligible) >= rule):
        return False
    if rule == "all" and not unlisted:
        return False  # someone can sign for every entry
    if not unlisted:
        return True
    if read_team is not None:
        for github_team in unlisted:
            read_team(github_team)
    return False
