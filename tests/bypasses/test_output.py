"""Bypass class: a report not delivered, or delivered elsewhere, while the exit code says it was.

A check whose report cannot be written has not told anyone its verdict: it exits 2, for a pass
as for a block. `--output` writes through to a FIFO or a device and replaces only a regular file;
it never replaces a symbolic link, nor writes a report through one to another file.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from gate.main import main
from testing.gitrepo import GitRepo
from testing.infra import infra_repo, upgrade

GATE = Path(sys.executable).with_name("gate")


def _change(tmp_path: Path, outcome: str) -> GitRepo:
    repo = infra_repo(tmp_path / outcome)
    if outcome == "blocked":
        upgrade(repo)
    else:
        repo.commit("docs", ("README.md", "infra, documented\n"))
    return repo


OUTCOMES = ["pass", "blocked"]


def _is_an_error(result: subprocess.CompletedProcess[str], message: str) -> None:
    """Exit 2 with message, not a traceback."""
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def _gate(repo: GitRepo, *args: str, **streams: object) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    result: subprocess.CompletedProcess[str] = subprocess.run(
        [str(GATE), "check", "--repo", str(repo.path), "--base", "main", *args],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        **streams,  # type: ignore[call-overload]
    )
    return result


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="needs /dev/full")
@pytest.mark.parametrize("outcome", OUTCOMES)
def test_a_report_to_a_full_stdout_is_an_error_not_the_verdict(tmp_path, outcome):
    repo = _change(tmp_path, outcome)
    with open("/dev/full", "w") as full:
        result = _gate(repo, stdout=full)
    _is_an_error(result, "No space left on device")


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_a_report_to_a_closed_stdout_is_an_error_not_the_verdict(tmp_path, outcome):
    repo = _change(tmp_path, outcome)
    result = _gate(repo, stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(1))
    _is_an_error(result, "stdout is closed")


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_a_report_to_a_pipe_nobody_reads_is_an_error_not_the_verdict(tmp_path, outcome):
    repo = _change(tmp_path, outcome)
    read, write = os.pipe()
    os.close(read)
    try:
        result = _gate(repo, stdout=write)
    finally:
        os.close(write)
    _is_an_error(result, "")


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="needs /dev/full")
@pytest.mark.parametrize("outcome", OUTCOMES)
def test_main_with_a_full_stdout_exits_2(tmp_path, capsys, monkeypatch, outcome):
    repo = _change(tmp_path, outcome)
    with open("/dev/full", "w") as full:
        monkeypatch.setattr(sys, "stdout", full)
        code = main(["check", "--repo", str(repo.path), "--base", "main"])
        monkeypatch.undo()
    assert code == 2
    assert "No space left on device" in capsys.readouterr().err


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_main_with_a_closed_pipe_as_stdout_exits_2(tmp_path, capsys, monkeypatch, outcome):
    repo = _change(tmp_path, outcome)
    read, write = os.pipe()
    os.close(read)
    with os.fdopen(write, "w") as closed:
        monkeypatch.setattr(sys, "stdout", closed)
        code = main(["check", "--repo", str(repo.path), "--base", "main"])
        monkeypatch.undo()
    assert code == 2
    capsys.readouterr()


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_main_with_no_stdout_exits_2(tmp_path, capsys, monkeypatch, outcome):
    repo = _change(tmp_path, outcome)
    monkeypatch.setattr(sys, "stdout", None)
    code = main(["check", "--repo", str(repo.path), "--base", "main"])
    monkeypatch.undo()
    assert code == 2
    assert "stdout is closed" in capsys.readouterr().err


class _FifoReader:
    """A FIFO at path, read to its end by a thread; a writer of our own keeps it from ending
    before the gate has written."""

    def __init__(self, path: Path) -> None:
        os.mkfifo(path)
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        fcntl.fcntl(self.fd, fcntl.F_SETFL, fcntl.fcntl(self.fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        self.keeper = os.open(path, os.O_WRONLY)
        self.chunks: list[bytes] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while chunk := os.read(self.fd, 65536):
            self.chunks.append(chunk)
        os.close(self.fd)

    def received(self) -> bytes:
        os.close(self.keeper)
        self.thread.join(timeout=10)
        return b"".join(self.chunks)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_output_to_a_fifo_writes_through_to_its_reader(tmp_path, capsys, outcome):
    repo = _change(tmp_path, outcome)
    fifo = tmp_path / "report.fifo"
    reader = _FifoReader(fifo)
    code = main(["check", "--repo", str(repo.path), "--base", "main", "--output", str(fifo)])
    received = reader.received()
    assert code == (0 if outcome == "pass" else 1), capsys.readouterr().err
    assert fifo.is_fifo()
    assert received.decode().startswith("PASS" if outcome == "pass" else "BLOCKED")


def test_output_through_a_link_to_a_device_writes_to_the_device(tmp_path, capsys):
    # As /dev/stdout and /dev/fd/N are links to what the descriptors are.
    repo = _change(tmp_path, "pass")
    link = tmp_path / "null"
    link.symlink_to(os.devnull)
    code = main(["check", "--repo", str(repo.path), "--base", "main", "--output", str(link)])
    assert code == 0, capsys.readouterr().err
    assert link.is_symlink()
    assert Path(os.devnull).is_char_device()


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="needs /dev/full")
@pytest.mark.parametrize("option", ["--output", "--evidence"])
def test_output_to_a_full_device_is_an_error(tmp_path, option):
    # --output /dev/stdout with stdout /dev/full; the link in tmp_path is what /dev/stdout is.
    repo = _change(tmp_path, "pass")
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    with open("/dev/full", "w") as full:
        result = _gate(repo, option, str(link), stdout=full)
    assert result.returncode == 2, result.stderr
    assert "No space left on device" in result.stderr
    assert link.is_symlink()


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="needs /dev/full")
def test_output_naming_a_link_to_another_device_is_refused(tmp_path, capsys):
    # Such as /dev/mem: a device is written to when it is named, never through a link.
    repo = _change(tmp_path, "pass")
    link = tmp_path / "report.txt"
    link.symlink_to("/dev/full")
    code = main(["check", "--repo", str(repo.path), "--base", "main", "--output", str(link)])
    assert code == 2
    assert "symbolic link (to /dev/full)" in capsys.readouterr().err
    assert link.is_symlink()


@pytest.mark.parametrize("option", ["--output", "--evidence"])
def test_output_naming_a_link_to_a_file_is_refused_and_both_are_left_alone(
    tmp_path, capsys, option
):
    # A link in the work tree at the report's path may be the change's own, placed there to
    # have the gate overwrite another file: neither the link nor its target is written.
    repo = _change(tmp_path, "pass")
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n")
    link = tmp_path / "report.txt"
    link.symlink_to(target)
    code = main(["check", "--repo", str(repo.path), "--base", "main", option, str(link)])
    err = capsys.readouterr().err
    assert code == 2
    assert "symbolic link" in err
    assert link.is_symlink()
    assert target.read_text() == "keep me\n"


def test_output_naming_a_dangling_link_is_refused(tmp_path, capsys):
    repo = _change(tmp_path, "pass")
    link = tmp_path / "report.txt"
    link.symlink_to(tmp_path / "elsewhere" / "new.txt")
    code = main(["check", "--repo", str(repo.path), "--base", "main", "--output", str(link)])
    assert code == 2
    assert "symbolic link" in capsys.readouterr().err
    assert link.is_symlink()
    assert not (tmp_path / "elsewhere").exists()


def test_output_naming_a_directory_is_an_error(tmp_path, capsys):
    repo = _change(tmp_path, "pass")
    code = main(["check", "--repo", str(repo.path), "--base", "main", "--output", str(tmp_path)])
    assert code == 2
    assert "directory" in capsys.readouterr().err


def test_output_replaces_a_regular_file_whole(tmp_path, capsys):
    repo = _change(tmp_path, "blocked")
    report = tmp_path / "report.txt"
    report.write_text("old report, longer than the new one would be if it were cut short\n" * 100)
    before = report.stat().st_ino
    code = main(["check", "--repo", str(repo.path), "--base", "main", "--output", str(report)])
    assert code == 1, capsys.readouterr().err
    assert report.read_text().startswith("BLOCKED")
    assert "old report" not in report.read_text()
    assert report.stat().st_ino != before  # a new file took its place: never half-written
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".gate-")] == []
