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
