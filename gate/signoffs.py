"""Sign-offs: which offered approvals count, for which systems, and whether each rule is met."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from gate.depmap import Map, SignoffRule
from gate.errors import MapError
from gate.owners import TeamLookup, owners_matched
from gate.report import Ignored, Signoff, SignoffState

Source = Literal["review", "comment", "ledger"]
ANY_SYSTEM = "*"  # what an approval of the whole change names, in the list of ignored ones
# Whether a sign-off given on an earlier commit still holds for a system at head.
StillHolds = Callable[[str, str], bool]


@dataclass(frozen=True, kw_only=True)
class Offer:
    """An approval someone gave: for named systems, or (systems None) all they own."""

    by: str
    systems: tuple[str, ...] | None
    commit: str
    source: Source
    note: str | None = None
    at: str | None = None
    url: str | None = None
    bot: bool = False
    # Set when the source already knows the offer cannot count (an edited comment, a revoked
    # approval): it is reported as ignored, for the systems named or else the ones they own.
    reject_reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class Owned:
    """A system that needs sign-off, as the sign-off rules see it."""

    id: str
    owners: tuple[str, ...]
    rule: SignoffRule


def load_ledger(data: bytes, source: str, known: Iterable[str]) -> list[Offer]:
    """Parse a sign-offs file: a YAML list of {system, by, commit, note}."""
    from gate import yamlstrict

    root = yamlstrict.parse(data, source)
    if root is None or root.kind != "sequence":
        line, col = (root.line, root.column) if root is not None else (1, 1)
        raise MapError(
            [f"{source}:{line}:{col}: a sign-offs file is a list of {{system, by, commit, note}}"]
        )
    names = set(known)
    problems: list[str] = []
    offers: list[Offer] = []
    for item in root.items:
        where = f"{source}:{item.line}:{item.column}"
        if item.kind != "mapping":
            problems.append(f"{where}: each sign-off is a mapping of system, by, commit, note")
            continue
        fields: dict[str, str] = {}
        for key, value in item.pairs:
            at = f"{source}:{key.line}:{key.column}"
            if key.text not in ("system", "by", "commit", "note"):
                problems.append(f"{at}: unknown key '{key.text}'; use system, by, commit, note")
            elif value.tag != "str":
                problems.append(f"{at}: '{key.text}' must be a string; quote it")
            else:
                fields[key.text] = value.text
        missing = [k for k in ("system", "by", "commit") if k not in fields]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
            continue
        if fields["system"] not in names:
            problems.append(f"{where}: unknown system '{fields['system']}' (not in the base map)")
        commit = fields["commit"]
        if len(commit) != 40 or any(c not in "0123456789abcdef" for c in commit):
            problems.append(f"{where}: commit must be the full 40-character id of the head commit")
        offers.append(
            Offer(
                by=fields["by"].removeprefix("@"),
                systems=(fields["system"],),
                commit=commit,
                source="ledger",
                note=fields.get("note"),
            )
        )
    if problems:
        raise MapError(problems)
    return offers


def count(
    offers: Iterable[Offer],
    needing: Mapping[str, Owned],
    depmap: Map,
    *,
    head: str,
    author: str | None,
    lookup: TeamLookup | None,
    still_holds: StillHolds | None = None,
) -> tuple[dict[str, list[Signoff]], list[Ignored]]:
    """Split offers into the sign-offs that count per system and the ones ignored, with why."""
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
        if author is not None and offer.by.lower() == author.lower():
            for system in named:
                ignore(system, "the change's author cannot sign off their own change")
            continue
        if offer.reject_reason is not None:
            for system in named:
                owned = needing.get(system)
                if offer.systems is not None or (
                    owned is not None
                    and owners_matched(offer.by, owned.owners, depmap.teams, lookup)
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
            if not owners_matched(offer.by, owned.owners, depmap.teams, lookup):
                if offer.systems is not None:
                    ignore(system, f"{offer.by} is not an owner ({', '.join(owned.owners)})")
                continue
            owns_any = True
            if offer.commit != head and not (
                still_holds is not None and still_holds(offer.commit, system)
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
    owned: Owned, signoffs: list[Signoff], depmap: Map, lookup: TeamLookup | None
) -> SignoffState:
    """Whether `owned`'s rule is met by `signoffs` (already known to be from its owners)."""
    signers: dict[str, Signoff] = {}
    for signoff in signoffs:
        signers.setdefault(signoff.by.lower(), signoff)
    covered = {
        owner
        for signoff in signers.values()
        for owner in owners_matched(signoff.by, owned.owners, depmap.teams, lookup)
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
