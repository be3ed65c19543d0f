"""GitHub team memberships: the ones counting sign-offs asks about, resolved before it counts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from gate.depmap.records import Team
from gate.errors import GateError
from gate.signoffs.owners import Members, TeamLookup, bare_login
from gate.signoffs.records import Offer, Owned


def asked(
    offers: Iterable[Offer],
    needing: Mapping[str, Owned],
    teams: Mapping[str, Team],
    *,
    author: str | None,
) -> Iterator[tuple[str, str, str]]:
    """(team key, GitHub team, login) for each membership counting the offers asks about, in the
    order it asks: only offers that can count are matched against owners."""
    for offer in offers:
        if offer.from_author_or_bot(author):
            continue
        if offer.reject_reason is not None and offer.systems is not None:
            continue  # ignored for the systems it names, whoever gave it
        named = offer.systems if offer.systems is not None else tuple(needing)
        for system in named:
            owned = needing.get(system)
            if owned is None:
                continue
            if owned.rule != "all" and _listed(offer.by, owned.owners, teams):
                # An owner by the map's own lists counts under `any` or N whatever GitHub teams
                # they are in: asking could only fail where the answer changes nothing.
                continue
            for owner in owned.owners:
                if owner.startswith("@"):
                    continue
                team = teams[owner]
                if team.github_team is not None and bare_login(offer.by) not in team.members:
                    yield owner, team.github_team, offer.by


def _listed(by: str, owners: tuple[str, ...], teams: Mapping[str, Team]) -> bool:
    """Whether `by` is one of owners by the map alone: "@login", or a listed team member."""
    who = bare_login(by)
    return any(
        owner[1:].lower() == who if owner.startswith("@") else who in teams[owner].members
        for owner in owners
    )


def memberships(
    offers: Iterable[Offer],
    needing: Mapping[str, Owned],
    teams: Mapping[str, Team],
    *,
    author: str | None,
    lookup: TeamLookup | None,
) -> Members:
    """Each membership counting the offers asks about, looked up once, in the order it asks."""
    found: dict[tuple[str, str], bool] = {}
    for owner, github_team, login in asked(offers, needing, teams, author=author):
        key = (github_team, bare_login(login))
        if key in found:
            continue
        if lookup is None:
            raise GateError(
                f"team '{owner}' is defined by the GitHub team {github_team}, which can"
                f" only be read with --github; list its members in the map, or run with"
                f" --github to check whether {login} belongs to it"
            )
        found[key] = lookup(*key)
    return found
