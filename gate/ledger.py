"""Sign-offs recorded outside GitHub: a change review board's decisions, from a file."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from gate.check import Context, OfferSource
from gate.errors import GateError

if TYPE_CHECKING:
    from gate.signoffs.records import Offer


def ledger_source(path: str) -> OfferSource:
    def offers(context: Context) -> Iterable[Offer]:
        from gate.signoffs.ledger import load_ledger

        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise GateError(f"cannot read --signoffs {path}: {error.strerror}") from None
        known = set(context.depmap.systems)
        if context.depmap.path is not None:
            known.add(context.depmap.path)
        return load_ledger(data, path, known)

    return offers
