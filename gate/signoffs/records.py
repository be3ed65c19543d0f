"""Sign-off offers and the systems that need them, as the counting sees them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from gate.depmap.records import Map, SignoffRule
from gate.signoffs.owners import bare_login

Source = Literal["review", "comment", "ledger"]
ANY_SYSTEM = "*"  # what an approval of the whole change names, in the list of ignored ones
# Called once the map is known, to gather sign-offs (a ledger file, GitHub reviews, ...).
OfferSource = Callable[[Map], Iterable["Offer"]]


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

    def from_author_or_bot(self, author: str | None) -> bool:
        """Whether the offer is the change's author's or a bot's: those never count."""
        return self.bot or self.by_author(author)

    def by_author(self, author: str | None) -> bool:
        """Whether the change's author gave it, however either login is written."""
        return author is not None and bare_login(self.by) == bare_login(author)


@dataclass(frozen=True, kw_only=True)
class Owned:
    """A system that needs sign-off, as the sign-off rules see it."""

    id: str
    owners: tuple[str, ...]
    rule: SignoffRule
