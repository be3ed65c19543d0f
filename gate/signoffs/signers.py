"""Systems no one can sign off: every owner who could is someone whose sign-off never counts."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from gate.depmap.records import Team
from gate.signoffs.owners import bare_login
from gate.signoffs.records import Owned


def unsignable(owned: Owned, teams: Mapping[str, Team], cannot: Collection[str]) -> bool:
    """Whether owned's rule can be met by no one but those in cannot (bare, lower-cased logins:
    the change's author, the authors and committers of its commits).

    Bots are never listed (a `[bot]` login in the map is a loader error). A team defined by a
    GitHub team may hold anyone the map does not list, so it is taken to have signers: this
    says unsignable only where the map alone proves it.
    """
    eligible: set[str] = set()
    entries: list[bool] = []  # for each owner entry, whether someone could sign for it
    unlisted = False  # an owner entry is a GitHub team: people the map does not list
    for owner in owned.owners:
        if owner.startswith("@"):
            people, open_ended = {bare_login(owner)}, False
        else:
            team = teams[owner]
            people, open_ended = {bare_login(m) for m in team.members}, team.github_team is not None
        people.difference_update(cannot)
        eligible |= people
        entries.append(bool(people) or open_ended)
        unlisted = unlisted or open_ended
    rule = owned.rule
    if rule == "all":
        return not all(entries)
    if unlisted:
        return False
    return not eligible if rule == "any" else len(eligible) < rule
