"""Evidence records: one evaluation as a hashed JSON document, and the check that it is intact."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from gate import __version__
from gate.errors import GateError
from gate.git import refs
from gate.report.json import document as report_document
from gate.report.json import flat
from gate.report.records import Report

SCHEMA = "change-impact-gate/evidence/v1"
HASH_FIELD = "sha256"
INTACT = 0  # the exit codes of `gate verify-evidence`; an unreadable record is a GateError (2)
ALTERED = 1


def record(report: Report, *, repo: str, now: datetime | None = None) -> dict[str, Any]:
    """What was evaluated and decided, and by which tool when; without its hash.

    The JSON report's document, less the hash of this very record, with the tool, the time,
    the repository, the unmapped policy, and the sign-offs and violations gathered in one list.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    evaluated = report_document(report)
    del evaluated["evidence_sha256"]
    return {
        **evaluated,
        "schema": SCHEMA,
        "tool": {"name": "change-impact-gate", "version": __version__},
        "evaluated_at": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "repository": {"path": os.path.abspath(repo), "remote": refs.remote_url(repo)},
        "signoffs": [flat(s) for result in report.systems for s in result.signoff.by],
        "violations": [flat(v) for result in report.systems for v in result.violations],
        "unmapped_policy": report.unmapped_policy,
    }


def canonical(document: dict[str, Any]) -> bytes:
    """The form the hash is computed over: sorted keys, no insignificant whitespace, UTF-8."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def digest(document: dict[str, Any]) -> str:
    """The sha256 of the record's canonical form, without its own hash field."""
    body = {key: value for key, value in document.items() if key != HASH_FIELD}
    return hashlib.sha256(canonical(body)).hexdigest()


def write_evidence(report: Report, *, repo: str, path: str, now: datetime | None = None) -> str:
    """Write the record atomically to `path`; return its sha256."""
    from gate.output import write_text

    document = record(report, repo=repo, now=now)
    document[HASH_FIELD] = digest(document)
    # Indented for the people who read it; the hash covers the content, not the layout.
    write_text(json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n", path)
    return str(document[HASH_FIELD])


def with_evidence(report: Report, *, repo: str, path: str) -> Report:
    """Write the record of `report` to `path`; the report, now naming the record's hash."""
    import dataclasses

    return dataclasses.replace(report, evidence_sha256=write_evidence(report, repo=repo, path=path))


def verify(path: str, out: TextIO | None = None) -> int:
    """Recompute a record's hash: 0 when intact, 1 when altered; GateError when not a record."""
    stream = out if out is not None else sys.stdout
    document = load(path)
    recorded = document[HASH_FIELD]
    computed = digest(document)
    if computed == recorded:
        stream.write(f"intact: sha256 {computed} ({path}, verdict {document.get('verdict')})\n")
        return INTACT
    stream.write(
        f"ALTERED: {path}: the record says sha256 {recorded}, its content hashes to {computed}."
        " It was changed after it was written; do not rely on it.\n"
    )
    return ALTERED


def load(path: str) -> dict[str, Any]:
    """Read an evidence record strictly: JSON, no duplicate keys, the schema, a hash field."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise GateError(f"cannot read evidence record {path}: {error.strerror}") from None
    try:
        document = json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_unique_keys,
            parse_constant=_no_constant,
        )
    except (UnicodeDecodeError, ValueError) as error:
        raise GateError(
            f"{path} is not an evidence record: it is not valid UTF-8 JSON ({error})."
            " Pass the file that `gate check --evidence FILE` wrote."
        ) from None
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        found = document.get("schema") if isinstance(document, dict) else None
        raise GateError(
            f"{path} is not an evidence record: its schema is {found!r}, not {SCHEMA!r}."
            " Pass the file that `gate check --evidence FILE` wrote."
        )
    recorded = document.get(HASH_FIELD)
    if not isinstance(recorded, str):
        raise GateError(
            f"{path} has no {HASH_FIELD} field, so it cannot be verified; a record written by"
            " `gate check --evidence` always has one. Treat it as unverified."
        )
    return document


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # A duplicate key would let the file show one value while the hash covers another.
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise ValueError(f"duplicate key {key!r}")
        document[key] = value
    return document


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
