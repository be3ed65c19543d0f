"""Blobs by object id, in one batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.errors import GateError
from gate.files import MAX_BYTES
from gate.git.objects import TooLarge, cat_blobs
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


def test_a_blob_above_the_limit_is_skipped_unread(repo: GitRepo) -> None:
    big = "x" * (MAX_BYTES + 1)
    repo.commit("files", ("big", big), ("small", "small\n"))
    ids = [repo.git("rev-parse", f"HEAD:{name}") for name in ("big", "small")]
    assert cat_blobs(str(repo.path), ids) == {ids[0]: TooLarge(MAX_BYTES + 1), ids[1]: b"small\n"}


def test_git_failing_is_an_error_that_says_so(tmp_path: Path) -> None:
    with pytest.raises(GateError, match=r"git failed .*cat-file"):
        cat_blobs(str(tmp_path), ["0" * 40])


def test_a_blob_above_the_limit_is_left_unread_and_the_rest_read(repo: GitRepo) -> None:
    repo.commit("files", ("small", "1\n"), ("large", "x" * 100), ("after", "2\n"))
    ids = [repo.git("rev-parse", f"HEAD:{name}") for name in ("small", "large", "after")]
    found = cat_blobs(str(repo.path), ids, limit=10)
    assert found == {ids[0]: b"1\n", ids[1]: TooLarge(100), ids[2]: b"2\n"}
    assert cat_blobs(str(repo.path), ids[1:2], limit=100) == {ids[1]: b"x" * 100}
