"""The JSON report (change-impact-gate/report/v1)."""

from __future__ import annotations

import json
from typing import Any

import orjson

from gate.report.records import SCHEMA, Report, SystemResult


def render(report: Report) -> str:
    # Compact, by orjson: a large change's report is megabytes, and json.dumps takes 3x longer.
    return orjson.dumps(document(report), option=orjson.OPT_APPEND_NEWLINE).decode()


def document(report: Report) -> dict[str, Any]:
    # Tuples stay tuples: both encoders write them as arrays, and copying them costs.
    return {
        "schema": SCHEMA,
        "verdict": report.verdict,
        "base": report.base,
        "head": report.head,
        "merge_base": report.merge_base,
        "map": {"source": report.map_source, "sha256": report.map_sha256},
        "changed": [flat(entry) for entry in report.changed],
        "systems": [system_document(result) for result in report.systems],
        "pending": list(report.pending),
        "unsignable": list(report.unsignable),
        "unmapped": list(report.unmapped),
        "author": report.author,
        "ignored_signoffs": [flat(entry) for entry in report.ignored],
        "notes": list(report.notes),
        "evidence_sha256": report.evidence_sha256,
    }


def system_document(result: SystemResult) -> dict[str, Any]:
    return {
        "id": result.id,
        "kind": result.kind,
        "affected": result.affected,
        "because": result.because,
        "because_truncated": result.because_truncated,
        "owners": result.owners,
        "version": flat(result.version) if result.version is not None else None,
        "violations": [flat(violation) for violation in result.violations],
        "signoff": {
            "required": result.signoff.required,
            "satisfied": result.signoff.satisfied,
            "rule": result.signoff.rule,
            "by": [flat(signoff) for signoff in result.signoff.by],
            "waiting_for": result.signoff.waiting_for,
        },
    }


def error_document(message: str) -> str:
    return json.dumps({"schema": SCHEMA, "verdict": "error", "error": message}, indent=2) + "\n"


def flat(record: Any) -> dict[str, Any]:
    """A flat record's fields, in order: what dataclasses.asdict gives, without its deep copy."""
    return dict(vars(record))
