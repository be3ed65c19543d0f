"""Evidence records: what one evaluation wrote down, and that any change to it is detected."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from gate import __version__, evidence
from gate.check import Change, check
from gate.errors import GateError
from gate.main import main
from gate.report import json as json_report
from gate.report.records import Report
from testing.infra import infra_repo, upgrade

MOMENT = datetime(2017, 1, 31, 23, 0, 0, tzinfo=UTC)


@pytest.fixture
def evaluated(tmp_path: Path) -> tuple[Report, str]:
    """The 2017 upgrade with one sign-off that counts and one that does not."""
    repo = infra_repo(tmp_path / "repo")
    head = upgrade(repo)
    ledger = tmp_path / "signoffs.yml"
    ledger.write_text(
        f"- {{system: backup-alerts, by: dave, commit: '{head}', note: checked}}\n"
        f"- {{system: postgresql, by: alice, commit: '{head}'}}\n"
    )
    change = Change(repo=str(repo.path), base="main", author="alice", signoffs=str(ledger))
    return check(change), str(repo.path)


def written(tmp_path: Path, evaluated: tuple[Report, str]) -> tuple[Path, str]:
    report, repo = evaluated
    path = tmp_path / "evidence.json"
    return path, evidence.write_evidence(report, repo=repo, path=str(path), now=MOMENT)


def test_the_record_holds_the_whole_evaluation(tmp_path, evaluated):
    report, repo = evaluated
    path, digest = written(tmp_path, evaluated)
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["schema"] == "change-impact-gate/evidence/v1"
    assert record["tool"] == {"name": "change-impact-gate", "version": __version__}
    assert record["evaluated_at"] == "2017-01-31T23:00:00Z"
    assert record["repository"] == {"path": os.path.abspath(repo), "remote": None}
    assert (record["base"], record["merge_base"], record["head"]) == (
        report.base,
        report.merge_base,
        report.head,
    )
    assert record["map"] == {"source": report.map_source, "sha256": report.map_sha256}
    assert record["changed"] == [
        {"status": "M", "path": "config/software/postgresql.rb", "old_path": None}
    ]
    systems = {s["id"]: s for s in record["systems"]}
    assert systems["backup-alerts"]["because"] == [
        ["postgresql", "pg-dump-backup", "backup-alerts"]
    ]
    assert [(s["system"], s["by"], s["note"]) for s in record["signoffs"]] == [
        ("backup-alerts", "dave", "checked")
    ]
    [ignored] = record["ignored_signoffs"]
    assert (ignored["by"], ignored["system"]) == ("alice", "postgresql")
    assert ignored["reason"]
    [violation] = record["violations"]
    assert (violation["dependent"], violation["requires"]) == ("pg-dump-backup", ">=9.6")
    assert record["verdict"] == "blocked"
    assert record["sha256"] == digest


def test_the_record_is_the_json_report_and_what_only_a_record_needs(evaluated):
    report, repo = evaluated
    record = evidence.record(report, repo=repo, now=MOMENT)
    document = json_report.document(report)
    only_evidence = {"tool", "evaluated_at", "repository", "signoffs", "violations"}
    assert set(record) == (set(document) - {"evidence_sha256"}) | only_evidence | {
        "unmapped_policy"
    }
    shared = set(document) - {"schema", "evidence_sha256"}
    assert {key: record[key] for key in shared} == {key: document[key] for key in shared}
    assert record["unmapped_policy"] == report.unmapped_policy


def test_the_hash_is_over_the_canonical_form_without_itself(tmp_path, evaluated):
    path, digest = written(tmp_path, evaluated)
    record = json.loads(path.read_text(encoding="utf-8"))
    del record["sha256"]
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(canonical.encode("utf-8")).hexdigest() == digest


def test_the_canonical_form_ignores_key_order_and_keeps_unicode():
    assert evidence.canonical({"b": 1, "a": ["é", None]}) == '{"a":["é",null],"b":1}'.encode()
    assert evidence.digest({"b": 1, "a": 2}) == evidence.digest({"a": 2, "b": 1})


@pytest.mark.parametrize(
    ("now", "stamp"),
    [
        (MOMENT, "2017-01-31T23:00:00Z"),
        (datetime(2017, 2, 1, 1, 0, tzinfo=timezone(timedelta(hours=2))), "2017-01-31T23:00:00Z"),
    ],
)
def test_the_time_is_utc(evaluated, now, stamp):
    report, repo = evaluated
    assert evidence.record(report, repo=repo, now=now)["evaluated_at"] == stamp


def test_a_record_round_trips_intact(tmp_path, evaluated, capsys):
    path, digest = written(tmp_path, evaluated)
    assert main(["verify-evidence", str(path)]) == 0
    assert capsys.readouterr().out.startswith(f"intact: sha256 {digest}")


def edit_text(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return edit


def edit_record(change: Callable[[dict[str, Any]], object]) -> Callable[[str], str]:
    def edit(text: str) -> str:
        record = json.loads(text)
        change(record)
        return json.dumps(record, indent=2)

    return edit


@pytest.mark.parametrize(
    "alter",
    [
        edit_text('"verdict": "blocked"', '"verdict": "pass"'),
        edit_text('"by": "dave"', '"by": "davE"'),
        edit_text("2017-01-31T23:00:00Z", "2017-01-31T23:00:01Z"),
        edit_record(lambda r: r["violations"].clear()),
        edit_record(lambda r: r.update(pending=[])),
        edit_record(lambda r: r.update(extra="added")),
        edit_record(lambda r: r.pop("ignored_signoffs")),
        edit_record(lambda r: r.update(sha256="0" * 64)),
    ],
)
def test_an_altered_record_is_detected(tmp_path, evaluated, capsys, alter):
    path, _ = written(tmp_path, evaluated)
    path.write_text(alter(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["verify-evidence", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"ALTERED: {path}: the record says sha256 ")
    assert "its content hashes to" in out


def test_every_single_byte_of_content_counts(tmp_path, evaluated, capsys):
    path, _ = written(tmp_path, evaluated)
    original = path.read_bytes()
    head = json.loads(original)["head"].encode()
    start = original.index(head)
    for offset in range(0, 40, 7):
        flipped = bytearray(original)
        flipped[start + offset] = ord("0") if flipped[start + offset] != ord("0") else ord("1")
        path.write_bytes(bytes(flipped))
        assert evidence.verify(str(path)) == 1
    capsys.readouterr()


def test_the_layout_is_not_content(tmp_path, evaluated, capsys):
    path, digest = written(tmp_path, evaluated)
    path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8"))), encoding="utf-8")
    assert main(["verify-evidence", str(path)]) == 0
    assert digest in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "not valid UTF-8 JSON"),
        (b"\xff\xfe{}", "not valid UTF-8 JSON"),
        (b'{"schema": "change-impact-gate/evidence/v1", "x": NaN, "sha256": "00"}', "NaN"),
        (b"[]", "its schema is None"),
        (b'{"schema": "change-impact-gate/report/v1", "sha256": "00"}', "its schema is"),
        (b'{"schema": "change-impact-gate/evidence/v1"}', "has no sha256 field"),
        (b'{"schema": "change-impact-gate/evidence/v1", "sha256": 7}', "has no sha256 field"),
        (
            b'{"schema": "change-impact-gate/evidence/v1", "verdict": "blocked",'
            b' "verdict": "pass", "sha256": "00"}',
            "duplicate key 'verdict'",
        ),
    ],
)
def test_what_is_not_an_evidence_record_is_an_error(tmp_path, capsys, content, message):
    path = tmp_path / "evidence.json"
    path.write_bytes(content)
    assert main(["verify-evidence", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_a_record_without_its_hash_is_an_error_not_intact(tmp_path, evaluated):
    path, _ = written(tmp_path, evaluated)
    record = json.loads(path.read_text(encoding="utf-8"))
    del record["sha256"]
    path.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(GateError, match="has no sha256 field"):
        evidence.verify(str(path))


def test_a_missing_file_is_an_error(tmp_path, capsys):
    assert main(["verify-evidence", str(tmp_path / "absent.json")]) == 2
    assert "cannot read the evidence record" in capsys.readouterr().err


def test_gate_check_writes_the_record_and_the_report_shows_its_hash(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    upgrade(repo)
    record, page = tmp_path / "evidence.json", tmp_path / "report.html"
    code = main(
        [
            "check",
            "--repo",
            str(repo.path),
            "--base",
            "main",
            "--format",
            "html",
            "--output",
            str(page),
            "--evidence",
            str(record),
        ]
    )
    assert code == 1
    digest = json.loads(record.read_text(encoding="utf-8"))["sha256"]
    assert f'id="evidence-sha256">{digest}</code>' in page.read_text(encoding="utf-8")
    assert main(["verify-evidence", str(record)]) == 0
    assert digest in capsys.readouterr().out


def test_an_unwritable_record_is_an_error(tmp_path, evaluated):
    report, repo = evaluated
    with pytest.raises(GateError, match="cannot write"):
        evidence.write_evidence(report, repo=repo, path=str(tmp_path / "absent" / "e.json"))
