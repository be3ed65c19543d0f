"""Sign-offs recorded outside GitHub: a change review board's decisions, from a file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from gate.depmap.reader import Reader
from gate.depmap.records import Map
from gate.errors import MapError
from gate.files import read_limited
from gate.git.refs import is_commit_id
from gate.git.worktree import from_outside
from gate.signoffs.records import Offer, OfferSource

_KEYS = ("system", "by", "commit", "note")
_REQUIRED = ("system", "by", "commit")


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
    reader = Reader(source)
    offers: list[Offer] = []
    for item in root.items:
        if item.kind != "mapping":
            reader.problem(item, "each sign-off is a mapping of system, by, commit, note")
            continue
        fields: dict[str, str] = {}
        for key, value in item.pairs:
            if key.text not in _KEYS:
                reader.problem(key, f"unknown key '{key.text}'; use system, by, commit, note")
            elif value.tag != "str":
                reader.problem(key, f"'{key.text}' must be a string; quote it")
            else:
                fields[key.text] = value.text
        missing = [k for k in _REQUIRED if k not in fields]
        if missing:
            reader.problem(item, f"missing {', '.join(missing)}")
            continue
        if fields["system"] not in names:
            reader.problem(item, f"unknown system '{fields['system']}' (not in the base map)")
        commit = fields["commit"]
        if not is_commit_id(commit):
            reader.problem(
                item, "commit must be the full id of the head commit (40 or 64 hex digits)"
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
    if reader.problems:
        raise MapError(reader.messages())
    return offers


def ledger_source(path: str, *, repo: str, base: str) -> OfferSource:
    """The sign-offs in the file at path, read once the map that names the systems is known.

    A file inside repo's work tree counts only as the base commit has it there: otherwise the
    change under check may have written its own sign-offs.
    """

    def offers(depmap: Map) -> list[Offer]:
        data = read_limited(path, "--signoffs file")
        from_outside(repo, base, path, hashlib.sha256(data).hexdigest(), what="--signoffs")
        known = set(depmap.systems)
        if depmap.path is not None:
            known.add(depmap.path)
        return load_ledger(data, path, known)

    return offers
