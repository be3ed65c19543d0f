"""A commit's tree: the entries of the paths asked for."""

from __future__ import annotations

import pytest

from gate.errors import GateError
from gate.git import tree
from testing.gitrepo import GitRepo


def test_a_listing_gives_the_entry_of_each_path_that_exists(repo: GitRepo) -> None:
    before = repo.head()
    head = repo.commit("files", ("backup/backup.yml", "x\n"), ("[glob]*", "y\n"))
    blob = repo.git("rev-parse", f"{head}:backup/backup.yml")
    directory = repo.git("rev-parse", f"{head}:backup")
    paths = ["backup", "backup/backup.yml", "[glob]*", "missing", "backup/missing"]
    with tree.Listing(str(repo.path), [before, head], paths) as listing:
        entries = listing.entries()
    assert entries[before] == {}
    assert entries[head]["backup"] == ("040000", directory)  # a directory of another path asked
    assert entries[head]["backup/backup.yml"] == ("100644", blob)
    assert set(entries[head]) == {"backup", "backup/backup.yml", "[glob]*"}


def test_a_listing_of_no_paths_runs_no_git(repo: GitRepo) -> None:
    listing = tree.Listing(str(repo.path), [repo.head()], [])
    assert listing.entries() == {repo.head(): {}}


@pytest.mark.parametrize("path", ["", "/etc/passwd", "./a", "a/../b", "a//b", "a/"])
def test_a_path_not_from_the_root_is_refused(path: str) -> None:
    problem = tree.path_error(path)
    assert isinstance(problem, GateError)
    assert "not a file path from the repository root" in str(problem)


def test_a_path_from_the_root_is_accepted() -> None:
    assert tree.path_error("config/postgresql.rb") is None


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("040000", "is a directory at c0, not a file"),
        ("160000", "is a submodule at c0, not a file"),
        ("120000", "is a symbolic link at c0"),
    ],
)
def test_an_entry_that_is_no_file_says_what_it_is(mode: str, message: str) -> None:
    assert message in str(tree.not_a_file("p", "c0", mode))


@pytest.mark.parametrize("mode", ["100644", "100755"])
def test_a_file_entry_is_a_file(mode: str) -> None:
    assert tree.not_a_file("p", "c0", mode) is None


def test_a_path_that_is_not_utf8_names_its_bytes() -> None:
    assert tree.decode_path("données".encode()) == "données"
    with pytest.raises(GateError, match=r"not UTF-8: b'caf\\xe9'"):
        tree.decode_path(b"caf\xe9")
