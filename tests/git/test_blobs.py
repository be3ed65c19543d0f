"""Files at commits, by path and by entry."""

from __future__ import annotations

import re

import pytest

from gate.errors import GateError
from gate.files import MAX_BYTES
from gate.git import blobs
from testing.gitrepo import GitRepo


def read_at(repo: GitRepo, commit: str, paths: list[str]) -> dict[str, bytes | None]:
    return blobs.read_blobs(str(repo.path), [commit], paths)[commit]


def read_each(path: str, commits: list[str], paths: list[str]) -> blobs.Contents:
    with blobs.Reading(path, commits, paths) as reading:
        return reading.result()


def test_read_blobs(repo: GitRepo) -> None:
    before = repo.head()
    repo.commit(
        "files",
        ("backup/backup.yml", "pg_dump:\n  client_version: '9.2'\n"),
        ("line\nbreak.txt", "newline in the name\n"),
        ("[glob]*.rb", "a name git could read as a pattern\n"),
        ("empty", ""),
    )
    head = repo.head()
    paths = [
        "backup/backup.yml",
        "line\nbreak.txt",
        "[glob]*.rb",
        "empty",
        "missing",
        "backup/nope",
    ]
    expected = {
        "backup/backup.yml": b"pg_dump:\n  client_version: '9.2'\n",
        "line\nbreak.txt": b"newline in the name\n",
        "[glob]*.rb": b"a name git could read as a pattern\n",
        "empty": b"",
        "missing": None,
        "backup/nope": None,
    }
    assert read_at(repo, head, paths) == expected
    for path, content in expected.items():
        assert blobs.FileReading(str(repo.path), head, path).result() == content
    assert read_at(repo, before, ["backup/backup.yml", "README.md"]) == {
        "backup/backup.yml": None,
        "README.md": b"hello\n",
    }
    assert read_at(repo, head, []) == {}


def test_read_blobs_of_many_paths(repo: GitRepo) -> None:
    files = [(f"dir/file{number}.txt", f"{number}\n") for number in range(1200)]
    head = repo.commit("many", *files)
    read = read_at(repo, head, [name for name, _ in files])
    assert read == {name: body.encode() for name, body in files}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("backup", "is a directory at .*, not a file"),
        ("vendor/lib", "is a submodule at .*, not a file"),
        ("link", "is a symbolic link"),
        ("./README.md", "not a file path from the repository root"),
        ("/README.md", "not a file path from the repository root"),
        ("backup/", "not a file path from the repository root"),
        ("", "not a file path from the repository root"),
    ],
)
def test_read_blobs_refuses(repo: GitRepo, path: str, message: str) -> None:
    repo.commit("setup", ("backup/backup.yml", "x"))
    repo.symlink("link", "README.md")
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{repo.head()},vendor/lib")
    (repo.path / "vendor/lib").mkdir(parents=True)  # as an uninitialised submodule looks
    repo.commit("more")
    with pytest.raises(GateError, match=message):
        read_at(repo, repo.head(), [path])
    reading = blobs.FileReading(str(repo.path), repo.head(), path)
    problem = reading.result()
    assert isinstance(problem, GateError)
    assert re.search(message, str(problem))
    assert reading.result() is problem  # asked again, answered again


def test_a_reading_keeps_each_paths_error_to_itself(repo: GitRepo) -> None:
    before = repo.commit("setup", ("backup/backup.yml", "9.2\n"), ("shared.txt", "same\n"))
    repo.symlink("link", "README.md")
    head = repo.commit("more", ("backup/backup.yml", "9.6\n"))
    read = read_each(
        str(repo.path), [before, head], ["backup/backup.yml", "shared.txt", "link", "backup", "/x"]
    )
    assert read[before]["backup/backup.yml"] == b"9.2\n"
    assert read[head]["backup/backup.yml"] == b"9.6\n"
    assert read[before]["shared.txt"] == read[head]["shared.txt"] == b"same\n"
    assert read[before]["link"] is None  # not there yet
    assert isinstance(read[head]["link"], GateError)
    assert "symbolic link" in str(read[head]["link"])
    assert "is a directory" in str(read[head]["backup"])
    assert "not a file path" in str(read[before]["/x"])
    assert list(read[head]) == ["backup/backup.yml", "shared.txt", "link", "backup", "/x"]
    assert blobs.read_blobs(str(repo.path), [before, head], ["shared.txt"]) == {
        before: {"shared.txt": b"same\n"},
        head: {"shared.txt": b"same\n"},
    }
    with pytest.raises(GateError, match="symbolic link"):
        blobs.read_blobs(str(repo.path), [before, head], ["link"])


def test_a_reading_of_many_paths(repo: GitRepo) -> None:
    files = [(f"dir/file{number}.txt", f"{number}\n") for number in range(2100)]
    before = repo.head()
    head = repo.commit("many", *files)
    read = read_each(str(repo.path), [before, head], [name for name, _ in files])
    assert read[head] == {name: body.encode() for name, body in files}
    assert set(read[before].values()) == {None}


def test_an_entry_that_names_no_object_is_refused(repo: GitRepo) -> None:
    head = repo.head()
    with pytest.raises(GateError, match="not an id"):
        blobs.read_entries(str(repo.path), {head: {"README.md": ("100644", "HEAD")}})


def test_a_file_above_the_limit_is_its_own_error_naming_it(repo: GitRepo) -> None:
    repo.write("huge.yml", b"a: 1\n" * (MAX_BYTES // 5 + 1))
    head = repo.commit("huge", ("small.yml", "a: 1\n"))
    read = read_each(str(repo.path), [head], ["huge.yml", "small.yml"])
    assert read[head]["small.yml"] == b"a: 1\n"
    problem = read[head]["huge.yml"]
    assert isinstance(problem, GateError)
    assert str(problem).startswith(
        f"huge.yml at {head} is larger than 10 MiB ({MAX_BYTES + 5:,} bytes), which no map,"
    )
    with blobs.FileReading(str(repo.path), head, "huge.yml") as reading:
        one = reading.result()
    assert isinstance(one, GateError)
    assert str(one).startswith(f"huge.yml at {head} is larger than 10 MiB, which no map,")
    with blobs.FileReading(str(repo.path), head, "small.yml") as reading:
        assert reading.result() == b"a: 1\n"
