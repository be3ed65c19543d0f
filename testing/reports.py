"""`gate check` on a test repository as JSON, and the parts of its report tests read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gate.main import main
from testing.gitrepo import GitRepo


def check_json(capsys: pytest.CaptureFixture[str], repo: GitRepo, *args: str) -> tuple[int, Any]:
    """The exit code, and the JSON report of the change from main to the checked-out head."""
    code = main(["check", "--repo", str(repo.path), "--base", "main", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def systems_by_id(report: Any) -> dict[str, Any]:
    return {s["id"]: s for s in report["systems"]}


def write_ledger(path: Path, head: str, *entries: tuple[str, str]) -> str:
    """A sign-offs file at `path` of (system, by) entries for `head`; its path as a string."""
    path.write_text(
        "".join(f'- {{system: {sid}, by: "{by}", commit: "{head}"}}\n' for sid, by in entries)
    )
    return str(path)
