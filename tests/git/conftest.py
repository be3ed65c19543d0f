"""Fixtures of the git tests: a repository with one commit, and one forked into two branches."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.gitrepo import GitRepo


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "work")
    repo.commit("first", ("README.md", "hello\n"))
    return repo


@pytest.fixture
def forked(repo: GitRepo) -> tuple[GitRepo, str]:
    """main and feature, each two commits past the fork; returns (repo, fork commit)."""
    fork = repo.head()
    repo.checkout("-b", "feature")
    repo.commit("f1", ("feature.txt", "1\n"))
    repo.commit("f2", ("feature.txt", "2\n"))
    repo.checkout("main")
    repo.commit("m1", ("main.txt", "1\n"))
    repo.commit("m2", ("main.txt", "2\n"))
    return repo, fork
