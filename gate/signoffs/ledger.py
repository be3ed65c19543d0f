"""Sign-offs recorded outside GitHub: a change review board's decisions, from a file."""

from __future__ import annotations

from collections.abc import Iterable

from gate.depmap.records import Map
from gate.errors import GateError, MapError
from gate.git.refs import is_commit_id
from gate.signoffs.records import Offer, OfferSource


def load_ledger(data: bytes, source: str, known: Iterable[str]) -> list[Offer]:
    """Parse a sign-offs file: a YAML list of {system, by, commit, note}."""
    from gate.depmap import strict_yaml

    root = strict_yaml.parse(data, source)
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
        if not is_commit_id(commit):
            problems.append(
                f"{where}: commit must be the full id of the head commit (40 or 64 hex digits)"
            )
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


def ledger_source(path: str) -> OfferSource:
    """The sign-offs in the file at path, read once the map that names the systems is known."""

    def offers(depmap: Map) -> list[Offer]:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise GateError(f"cannot read --signoffs {path}: {error.strerror}") from None
        known = set(depmap.systems)
        if depmap.path is not None:
            known.add(depmap.path)
        return load_ledger(data, path, known)

    return offers
