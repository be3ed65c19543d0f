"""Counting sign-offs: which offers count, for which systems, and whether each rule is met."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from gate.depmap.records import Team
from gate.report.records import Ignored, Signoff, SignoffState
from gate.signoffs.owners import Members, owners_matched
from gate.signoffs.records import ANY_SYSTEM, Offer, Owned
from gate.signoffs.stale import Unchanged


def count(
    offers: Iterable[Offer],
    needing: Mapping[str, Owned],
    teams: Mapping[str, Team],
    *,
    head: str,
    author: str | None,
    members: Members,
    unchanged: Unchanged | None = None,
) -> tuple[dict[str, list[Signoff]], list[Ignored]]:
    """Split offers into the sign-offs that count per system and the ones ignored, with why.

    `members`: the GitHub team memberships this asks about (memberships.memberships);
    `unchanged`: under `stale-signoffs: impact`, where a sign-off on an earlier commit holds.
    """
    counted: dict[str, list[Signoff]] = {system: [] for system in needing}
    ignored: list[Ignored] = []
    for offer in offers:
        named = offer.systems if offer.systems is not None else tuple(needing)

        def ignore(system: str, reason: str, offer: Offer = offer) -> None:
            ignored.append(
                Ignored(
                    by=offer.by,
                    system=system,
                    source=offer.source,
                    reason=reason,
                    commit=offer.commit or None,
                )
            )

        if offer.bot:
            for system in named:
                ignore(system, "bots cannot sign off")
            continue
        if offer.by_author(author):
            for system in named:
                ignore(system, "the change's author cannot sign off their own change")
            continue
        if offer.reject_reason is not None:
            for system in named:
                owned = needing.get(system)
                if offer.systems is not None or (
                    owned is not None and owners_matched(offer.by, owned.owners, teams, members)
                ):
                    ignore(system, offer.reject_reason)
            continue
        owns_any = False
        for system in named:
            owned = needing.get(system)
            if owned is None:
                if offer.systems is not None:
                    ignore(system, "not affected by this change, or needs no sign-off")
                continue
            if not owners_matched(offer.by, owned.owners, teams, members):
                if offer.systems is not None:
                    ignore(system, f"{offer.by} is not an owner ({', '.join(owned.owners)})")
                continue
            owns_any = True
            if offer.commit != head and not (
                unchanged is not None and unchanged.holds(offer.commit, system)
            ):
                ignore(system, f"given for {offer.commit[:12]}, not for the head {head[:12]}")
                continue
            counted[system].append(
                Signoff(
                    system=system,
                    by=offer.by,
                    commit=offer.commit,
                    source=offer.source,
                    note=offer.note,
                    at=offer.at,
                    url=offer.url,
                )
            )
        if offer.systems is None and not owns_any and needing:
            ignore(ANY_SYSTEM, f"{offer.by} owns none of the systems this change affects")
    return counted, ignored


def state(
    owned: Owned, signoffs: list[Signoff], teams: Mapping[str, Team], members: Members
) -> SignoffState:
    """Whether `owned`'s rule is met by `signoffs` (already known to be from its owners)."""
    signers: dict[str, Signoff] = {}
    for signoff in signoffs:
        signers.setdefault(signoff.by.lower(), signoff)
    covered = {
        owner
        for signoff in signers.values()
        for owner in owners_matched(signoff.by, owned.owners, teams, members)
    }
    rule = owned.rule
    if rule == "any":
        satisfied = bool(signers)
        waiting = () if satisfied else owned.owners
    elif rule == "all":
        waiting = tuple(owner for owner in owned.owners if owner not in covered)
        satisfied = not waiting
    else:
        satisfied = len(signers) >= rule
        waiting = () if satisfied else owned.owners
    return SignoffState(
        required=True,
        satisfied=satisfied,
        rule=str(rule),
        by=tuple(signers.values()),
        waiting_for=waiting,
    )
