from __future__ import annotations

import os
import stat

import pytest

from gate.errors import GateError
from gate.output import write_text


def test_a_report_file_is_replaced_whole_and_readable(tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("old")
    old = os.umask(0o022)
    try:
        write_text("new\n", str(target))
    finally:
        os.umask(old)
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_an_unwritable_place_is_an_error_and_leaves_nothing(tmp_path):
    with pytest.raises(GateError, match="cannot write"):
        write_text("x", str(tmp_path / "missing-dir" / "report.txt"))
    assert list(tmp_path.iterdir()) == []


def test_dash_is_stdout(capsys):
    write_text("report\n", "-")
    assert capsys.readouterr().out == "report\n"


def test_no_stdout_is_an_error(monkeypatch):
    monkeypatch.setattr("sys.stdout", None)
    with pytest.raises(GateError, match="stdout is closed"):
        write_text("report\n", None)


def test_a_link_to_a_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_text("through\n", str(link))
        assert os.read(reader, 100) == b"through\n"
    finally:
        os.close(reader)
    assert link.is_symlink()
    assert fifo.is_fifo()


def test_a_link_to_a_file_is_refused_naming_its_target(tmp_path):
    (tmp_path / "target").write_text("kept")
    (tmp_path / "link").symlink_to("target")
    with pytest.raises(GateError, match=r"is a symbolic link \(to target\)"):
        write_text("x", str(tmp_path / "link"))
    assert (tmp_path / "target").read_text() == "kept"


def test_a_socket_is_no_place_for_a_report(tmp_path):
    import socket

    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(GateError, match="no file, FIFO or device"):
            write_text("x", str(path))


def test_a_link_to_the_file_that_is_stdout_writes_to_stdout(tmp_path, monkeypatch):
    # `gate check --output /dev/stdout > report.txt`: /dev/stdout links to the file.
    report = tmp_path / "report.txt"
    (tmp_path / "stdout").symlink_to(report)
    with open(report, "w") as stdout:
        stdout.write("before\n")
        monkeypatch.setattr("sys.stdout", stdout)
        write_text("report\n", str(tmp_path / "stdout"))
    assert report.read_text() == "before\nreport\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_device_named_directly_is_written_through_and_its_failure_is_an_error():
    from gate.output import _write_through

    # Through the writer directly: a check through write_text("/dev/full") would, if ever the
    # file-or-device test failed, replace the device with a file when run as root.
    with pytest.raises(GateError, match="cannot write /dev/full: No space left on device"):
        _write_through("x", "/dev/full")
    _write_through("x", os.devnull)
