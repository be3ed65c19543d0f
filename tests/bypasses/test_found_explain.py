"""Bypass class: `gate explain --base --head` saying a system is not affected when the map has
no such system (a mistyped id reads as an all-clear)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.main import main
from testing.infra import infra_repo, upgrade


def test_explaining_a_system_the_map_lacks_is_an_error_not_an_all_clear(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = infra_repo(tmp_path / "infra")
    upgrade(repo)
    where = ["--repo", str(repo.path), "--base", "main", "--head", "change"]
    assert main(["explain", "postgresq", *where]) == 2
    captured = capsys.readouterr()
    assert "not affected" not in captured.out
    assert "no system 'postgresq'" in captured.err
    assert "did you mean 'postgresql'?" in captured.err


def test_a_system_the_change_leaves_alone_is_still_explained_as_not_affected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = infra_repo(tmp_path / "infra")
    repo.commit("docs", ("README.md", "infra, documented\n"))
    where = ["--repo", str(repo.path), "--base", "main", "--head", "change"]
    for system in ("postgresql", "dependency-map.yaml"):
        assert main(["explain", system, *where]) == 0
        assert f"{system} is not affected by main..change" in capsys.readouterr().out
