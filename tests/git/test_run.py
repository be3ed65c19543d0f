"""Running git: its errors, and an environment that cannot point it elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.errors import GateError
from gate.git import refs
from testing.gitrepo import GitRepo


def test_resolve_outside_a_repository_names_the_command(tmp_path: Path) -> None:
    with pytest.raises(GateError, match=r"(?s)git failed.*rev-parse.*not a git repository"):
        refs.resolve(str(tmp_path), "HEAD")


def test_a_missing_git_is_an_error(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo.path))
    with pytest.raises(GateError, match=r"cannot run git .*install git"):
        refs.resolve(str(repo.path), "HEAD")


def test_git_dir_in_the_environment_does_not_redirect(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = GitRepo(tmp_path / "other")
    other.commit("other")
    head = repo.head()
    monkeypatch.setenv("GIT_DIR", str(other.path / ".git"))
    assert refs.resolve(str(repo.path), "HEAD") == head
