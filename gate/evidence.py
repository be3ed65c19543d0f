"""Evidence records: one evaluation as a hashed JSON document, and the check that it is intact."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import re
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
    return dataclasses.replace(report, evidence_sha256=write_evidence(report, repo=repo, path=path))


def verify(path: str, out: TextIO | None = None) -> int:
    """Recompute a record's hash: 0 when intact, 1 when altered; GateError when not a record."""
    document = load(path)
    recorded = document[HASH_FIELD]
    computed = digest(document)
    if computed == recorded:
        verdict = document.get("verdict")
        shown = verdict if verdict in _VERDICTS else _quoted(verdict)
        message = f"intact: sha256 {computed} ({path}, verdict {shown})\n"
        code = INTACT
    else:
        said = (
            recorded if _SHA256.fullmatch(recorded) else f"{_quoted(recorded)}, which is no sha256"
        )
        message = (
            f"ALTERED: {path}: the record says sha256 {said}, its content hashes to {computed}."
            " It was changed after it was written; do not rely on it.\n"
        )
        code = ALTERED
    if out is None:
        from gate.output import write_text

        write_text(message, None)
    else:
        out.write(message)
    return code


def load(path: str) -> dict[str, Any]:
    """Read an evidence record strictly: JSON, no duplicate keys, the schema, a hash field."""
    from gate.files import read_limited

    data = read_limited(path, "evidence record")
    try:
        document = json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_unique_keys,
            parse_constant=_no_constant,
            parse_float=_finite_float,
            parse_int=_bounded_int,
        )
    except RecursionError:
        document = _TOO_DEEP
    except (UnicodeDecodeError, ValueError) as error:
        raise GateError(
            f"{path} is not an evidence record: it is not valid UTF-8 JSON ({error})."
            " Pass the file that `gate check --evidence FILE` wrote."
        ) from None
    problem = _value_problem(document)
    if problem is not None:
        raise GateError(
            f"{path} is not an evidence record: {problem}, which no record holds."
            " Pass the file that `gate check --evidence FILE` wrote."
        )
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        found = document.get("schema") if isinstance(document, dict) else None
        raise GateError(
            f"{path} is not an evidence record: its schema is {_quoted(found)}, not {SCHEMA!r}."
            " Pass the file that `gate check --evidence FILE` wrote."
        )
    recorded = document.get(HASH_FIELD)
    if not isinstance(recorded, str):
        raise GateError(
            f"{path} has no {HASH_FIELD} field, so it cannot be verified; a record written by"
            " `gate check --evidence` always has one. Treat it as unverified."
        )
    return document


_SHA256 = re.compile(r"[0-9a-f]{64}")
_VERDICTS = ("pass", "blocked")
_MAX_DEPTH = 64  # a record nests a few levels; this is far above, and far below the stack
_MAX_DIGITS = 4300  # what Python converts between int and text (sys.get_int_max_str_digits)
_TOO_DEEP = object()


def _value_problem(document: object) -> str | None:
    """What in a parsed document cannot be hashed as a record's canonical form, or None.

    Walked without recursion: the hash is computed over every value, so each must encode as
    UTF-8 (no lone surrogates) within a bounded depth.
    """
    if document is _TOO_DEEP:
        return f"it nests deeper than {_MAX_DEPTH} levels"
    pending: list[tuple[object, int]] = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > _MAX_DEPTH:
            return f"it nests deeper than {_MAX_DEPTH} levels"
        if isinstance(value, dict):
            pending.extend((key, depth) for key in value)
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and not _encodes(value):
            return "it holds a lone surrogate (\\ud800 to \\udfff), which is not text"
    return None


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _quoted(value: object) -> str:
    """A value from the record for a message: escaped, and cut short when long."""
    shown = ascii(value)
    return shown if len(shown) <= 80 else f"{shown[:72]}... ({len(shown)} characters)"


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"the number {text[:40]} is beyond what a record holds")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise ValueError(f"a number of {len(text)} digits is beyond what a record holds")
    return int(text)


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
