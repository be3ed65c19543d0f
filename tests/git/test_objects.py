"""Blobs by object id, in one batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.errors import GateError
from gate.git.objects import cat_blobs
from testing.gitrepo import GitRepo


def test_blobs_are_read_by_id_once_each(repo: GitRepo) -> None:
    repo.commit("files", ("a.txt", "same\n"), ("b.txt", "same\n"), ("empty", ""), ("bin", "\0\n"))
    ids = [repo.git("rev-parse", f"HEAD:{name}") for name in ("a.txt", "b.txt", "empty", "bin")]
    assert ids[0] == ids[1]
    assert cat_blobs(str(repo.path), ids) == {ids[0]: b"same\n", ids[2]: b"", ids[3]: b"\0\n"}


def test_no_blobs_run_no_git(tmp_path: Path) -> None:
    assert cat_blobs(str(tmp_path), []) == {}  # not even a repository


def test_an_id_git_does_not_have_is_an_error(repo: GitRepo) -> None:
    missing = "0" * 40
    with pytest.raises(GateError, match=f"answered '{missing} missing' for blob {missing}"):
        cat_blobs(str(repo.path), [missing])


def test_an_object_that_is_no_blob_is_an_error(repo: GitRepo) -> None:
    tree = repo.git("rev-parse", "HEAD^{tree}")
    with pytest.raises(GateError, match=f"answered '{tree} tree [0-9]+' for blob {tree}"):
        cat_blobs(str(repo.path), [tree])
