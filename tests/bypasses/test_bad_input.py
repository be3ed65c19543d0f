"""Bypass class: input that crashes the gate (exit 3) or exhausts it instead of being refused.

A crash is not a verdict anyone can act on, and an input that makes the gate read without end
stops every check that depends on it: each must be a clear error (exit 2) or, for an evidence
record, exit 1 (not intact).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from gate.files import MAX_BYTES
from gate.main import main
from testing.infra import MAP as TEMPLATE
from testing.infra import infra_repo, upgrade

MAP = TEMPLATE.replace("{policy}", "")

GATE = Path(sys.executable).with_name("gate")
RECORD = '{"schema": "change-impact-gate/evidence/v1", "sha256": "%s", "verdict": "pass", %s}'


def _record(tmp_path: Path, body: str, sha256: str = "0" * 64) -> str:
    path = tmp_path / "evidence.json"
    path.write_text(RECORD % (sha256, body), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param('"n": 1e400', id="a float beyond any double"),
        pytest.param('"n": -1e400', id="a negative float beyond any double"),
        pytest.param('"n": ' + "9" * 5000, id="an integer of 5000 digits"),
        pytest.param('"n": "\\ud800"', id="a lone surrogate in a value"),
        pytest.param('"\\udfff": 1', id="a lone surrogate in a key"),
        pytest.param('"n": ' + "[" * 100_000 + "]" * 100_000, id="100000 nested lists"),
        pytest.param('"n": ' + '{"a":' * 5000 + "1" + "}" * 5000, id="5000 nested objects"),
    ],
)
def test_verify_evidence_on_any_json_is_a_verdict_or_an_error_never_a_crash(tmp_path, capsys, body):
    code = main(["verify-evidence", _record(tmp_path, body)])
    captured = capsys.readouterr()
    assert code in (1, 2), captured.err
    assert "Traceback" not in captured.err
    assert "bug" not in captured.err


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        "[]",
        "1",
        '"change-impact-gate/evidence/v1"',
        "null",
        '{"schema": ["change-impact-gate/evidence/v1"], "sha256": "x"}',
        '{"schema": "change-impact-gate/evidence/v1", "sha256": ["0"]}',
        '{"schema": "change-impact-gate/evidence/v1", "sha256": null}',
    ],
    ids=["deep", "list", "number", "string", "null", "schema list", "hash list", "hash null"],
)
def test_verify_evidence_on_json_that_is_no_record_is_an_error(tmp_path, capsys, text):
    path = tmp_path / "evidence.json"
    path.write_text(text)
    code = main(["verify-evidence", str(path)])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert "Traceback" not in captured.err


def test_a_record_whose_hash_field_is_no_hash_is_altered_and_not_echoed_whole(tmp_path, capsys):
    long = "a" * 100_000
    code = main(["verify-evidence", _record(tmp_path, '"n": 1', sha256=long)])
    out = capsys.readouterr().out
    assert code == 1
    assert long not in out
    assert out.startswith("ALTERED: ")


def test_the_installed_gate_verifies_deeply_nested_json_without_a_crash(tmp_path):
    path = _record(tmp_path, '"n": ' + "[" * 100_000 + "]" * 100_000)
    result = subprocess.run(
        [str(GATE), "verify-evidence", path], capture_output=True, text=True, check=False
    )
    assert result.returncode in (1, 2), result.stderr
    assert "Traceback" not in result.stderr


BACKUP_FILE = 'file: "backup/backup.yml"'


@pytest.mark.parametrize(
    "file",
    [
        " backup/backup.yml",
        "backup/backup.yml ",
        "backup/backup.yml\\n",
        "backup/\\tbackup.yml",
        "backup/\\0backup.yml",
        "backup/\\ebackup.yml",
        "backup/\\x7fbackup.yml",
        "backup/\\x85backup.yml",
        "\\u00a0backup/backup.yml",
    ],
    ids=["leading", "trailing", "newline", "tab", "nul", "escape", "delete", "nel", "nbsp"],
)
def test_a_version_file_with_whitespace_or_control_characters_is_a_loader_error(
    tmp_path, capsys, file
):
    repo = infra_repo(tmp_path, map_text=MAP.replace(BACKUP_FILE, f'file: "{file}"'))
    upgrade(repo)
    assert main(["validate", "--repo", str(repo.path)]) == 2
    err = capsys.readouterr().err
    assert "dependency-map.yaml:28:13: 'file' of 'version' of system 'pg-dump-backup'" in err
    assert "Traceback" not in err
    assert main(["check", "--repo", str(repo.path), "--base", "main"]) == 2
    err = capsys.readouterr().err
    assert ":28:13: 'file' of 'version' of system 'pg-dump-backup'" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "requires",
    [">=" + "9" * 5000, ">={major}." + "9" * 5000, "==" + "1" * 4400 + ".*"],
    ids=["huge version", "huge minor after a placeholder", "huge prefix"],
)
def test_a_requirement_validate_accepts_can_be_checked(tmp_path, capsys, requires):
    text = MAP.replace('requires: ">={major}"', f'requires: "{requires}"')
    repo = infra_repo(tmp_path, map_text=text)
    upgrade(repo)
    code = main(["validate", "--repo", str(repo.path)])
    err = capsys.readouterr().err
    if code == 0:  # then a check runs to a verdict
        code = main(["check", "--repo", str(repo.path), "--base", "main"])
        err = capsys.readouterr().err
        assert code in (0, 1), err
    else:
        assert code == 2
        assert "dependency-map.yaml:34:19: 'requires' of" in err
    assert "Traceback" not in err


def test_a_map_path_with_whitespace_or_a_control_character_is_refused_clearly(tmp_path, capsys):
    repo = infra_repo(tmp_path)
    upgrade(repo)
    for path in (" dependency-map.yaml", "dependency-map.yaml\n", "dependency\tmap.yaml"):
        with pytest.raises(SystemExit) as stop:  # a usage error, as argparse ends it
            main(["check", "--repo", str(repo.path), "--base", "main", "--map", path])
        err = capsys.readouterr().err
        assert stop.value.code == 2, err
        assert "--map" in err
        assert "whitespace" in err or "control character" in err
        assert "Traceback" not in err


def _limited(limit: int = 1024 * 1024 * 1024) -> None:
    # However the gate reads, this process cannot take the machine's memory with it.
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_dev_zero_as_a_map_is_refused_unread(tmp_path):
    result = subprocess.run(
        [str(GATE), "validate", "--map-file", "/dev/zero"],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
        preexec_fn=_limited,
    )
    assert result.returncode == 2, result.stderr
    assert "larger than 10 MiB" in result.stderr


def _fifo_feeding(path: Path, size: int) -> threading.Thread:
    """A FIFO at path that a thread fills with `size` bytes for whoever opens it."""
    os.mkfifo(path)

    def feed() -> None:
        with open(path, "wb") as fifo:
            chunk = b"#" * 65536
            with_sent = 0
            try:
                while with_sent < size:
                    fifo.write(chunk)
                    with_sent += len(chunk)
            except BrokenPipeError:
                pass  # the reader stopped reading: what the gate should do

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("what", ["--map-file", "--signoffs"])
def test_a_fifo_larger_than_the_limit_is_refused_before_it_is_read_whole(tmp_path, capsys, what):
    repo = infra_repo(tmp_path / "repo")
    upgrade(repo)
    fifo = tmp_path / "endless"
    map_file = tmp_path / "map.yaml"
    map_file.write_text(MAP)
    given = {"--map-file": str(map_file), what: str(fifo)}
    feeder = _fifo_feeding(fifo, MAX_BYTES + 4 * 1024 * 1024)
    args = ["check", "--repo", str(repo.path), "--base", "main"]
    code = main([*args, *(item for pair in given.items() for item in pair)])
    feeder.join(timeout=10)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "larger than 10 MiB" in err


def test_an_evidence_record_larger_than_the_limit_is_refused_unread(tmp_path, capsys):
    fifo = tmp_path / "evidence.json"
    feeder = _fifo_feeding(fifo, MAX_BYTES + 4 * 1024 * 1024)
    code = main(["verify-evidence", str(fifo)])
    feeder.join(timeout=10)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "larger than 10 MiB" in err


def test_an_evidence_record_of_a_large_hash_string_is_refused_unread(tmp_path, capsys):
    path = _record(tmp_path, '"n": 1', sha256="a" * (MAX_BYTES + 1))
    assert main(["verify-evidence", path]) == 2
    assert "larger than 10 MiB" in capsys.readouterr().err


def test_a_record_just_below_the_limit_is_still_read(tmp_path, capsys):
    body = '"n": "' + "x" * (MAX_BYTES - 200) + '"'
    assert main(["verify-evidence", _record(tmp_path, body)]) == 1
    assert json.loads(Path(tmp_path / "evidence.json").read_text())["n"].startswith("x")
    capsys.readouterr()


@pytest.mark.parametrize("command", ["validate", "graph", "explain"])
def test_a_huge_map_file_is_refused_before_it_is_read_whole(tmp_path, capsys, command):
    huge = tmp_path / "map.yaml"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_BYTES * 4)  # sparse: takes no disk, reads as zeros
    args = [command, *(["postgresql"] if command == "explain" else []), "--map-file", str(huge)]
    assert main(args) == 2
    assert "larger than 10 MiB" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("line", "replacement"),
    [
        ("version: 1", "version: 0x" + "f" * 6000),  # a hex number converts, but never prints
        ("version: 1", "version: 1" + "0" * 6000),  # a decimal one does not even convert
        ('    owners: ["backup"]', '    owners: ["backup"]\n    signoff: 0x' + "f" * 6000),
    ],
    ids=["hex version", "decimal version", "hex signoff"],
)
def test_a_huge_number_in_the_map_is_a_loader_error_not_a_crash(
    tmp_path, capsys, line, replacement
):
    text = MAP.replace("{policy}", "").replace(line, replacement, 1)
    (tmp_path / "dependency-map.yaml").write_text(text)
    assert main(["validate", "--repo", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "dependency-map.yaml:" in err
    assert len(err) < 2000
