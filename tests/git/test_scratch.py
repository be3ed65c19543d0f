"""Scratch repositories: the user's hooks, signing and identity stay out."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.git import diff, refs, scratch
from gate.git.diff import Changed


def test_a_scratch_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    marker = tmp_path / "hook-ran"
    for name in ("pre-commit", "commit-msg", "post-commit"):
        (hooks / name).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (hooks / name).chmod(0o755)
    # The user's own configuration (git reads it from HOME; GIT_CONFIG_GLOBAL never reaches it).
    (tmp_path / ".gitconfig").write_text(
        f"[core]\n\thooksPath = {hooks}\n[commit]\n\tgpgSign = true\n"
    )
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    for name in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
    ):
        monkeypatch.delenv(name, raising=False)
    repo = tmp_path / "scratch"
    (repo / "config").mkdir(parents=True)
    (repo / "config/postgresql.rb").write_text('default_version "9.2.18"\n')
    scratch.init_scratch(str(repo), "main")
    first = scratch.commit_all(str(repo), "Baseline")
    scratch.switch_new_branch(str(repo), "upgrade")
    (repo / "config/postgresql.rb").write_text('default_version "9.6.1"\n')
    second = scratch.commit_all(str(repo), "Upgrade")
    assert refs.resolve(str(repo), "main") == first
    assert refs.resolve(str(repo), "upgrade") == second
    assert diff.changed(str(repo), first, second) == (
        Changed(status="M", path="config/postgresql.rb"),
    )
    assert not marker.exists()
