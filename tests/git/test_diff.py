"""The change as git lists it, in full and in the background."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.errors import GateError
from gate.git import blobs, diff, refs
from gate.git.diff import Changed
from testing.gitrepo import GitRepo


def changes(repo: GitRepo, before: str) -> tuple[Changed, ...]:
    return diff.changed(str(repo.path), before, repo.head())


def test_changed_add_modify_delete_rename(repo: GitRepo) -> None:
    repo.commit(
        "setup", ("old/name.txt", "a body long enough to be recognised\n" * 5), ("gone", "x")
    )
    before = repo.head()
    repo.write("README.md", "changed\n")
    repo.write("new.txt", "new\n")
    (repo.path / "gone").unlink()
    (repo.path / "old/name.txt").rename(repo.path / "new-name.txt")
    repo.commit("change")
    assert set(changes(repo, before)) == {
        Changed(status="M", path="README.md"),
        Changed(status="A", path="new.txt"),
        Changed(status="D", path="gone"),
        Changed(status="R", path="new-name.txt", old_path="old/name.txt"),
    }


def test_a_copy_is_reported_by_its_path(repo: GitRepo) -> None:
    body = "a body long enough to be recognised\n" * 5
    repo.commit("setup", ("original.txt", body))
    before = repo.head()
    repo.commit("copy", ("copy.txt", body))
    assert changes(repo, before) == (Changed(status="A", path="copy.txt"),)


def test_names_with_newlines_and_non_ascii(repo: GitRepo) -> None:
    before = repo.head()
    repo.commit("odd names", ("two\nlines.txt", "x"), ("données/é.txt", "y"), ('q"uote', "z"))
    assert {change.path for change in changes(repo, before)} == {
        "two\nlines.txt",
        "données/é.txt",
        'q"uote',
    }


def test_a_path_that_is_not_utf8_is_an_error(repo: GitRepo) -> None:
    before = repo.head()
    repo.write(b"bad\xff.txt", "x")
    repo.commit("latin-1 name")
    with pytest.raises(GateError, match=r"not UTF-8: b'bad\\xff.txt'; the gate cannot decide"):
        changes(repo, before)


def test_symlinks_and_type_changes(repo: GitRepo) -> None:
    repo.commit("setup", ("config.yml", "a: 1\n"))
    before = repo.head()
    repo.symlink("link", "config.yml")
    (repo.path / "README.md").unlink()
    repo.symlink("README.md", "config.yml")
    repo.commit("links")
    assert set(changes(repo, before)) == {
        Changed(status="A", path="link"),
        Changed(status="T", path="README.md"),
    }


def test_a_submodule_pointer_change_is_its_own_path(repo: GitRepo) -> None:
    first = repo.head()
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{first},vendor/lib")
    repo.git("commit", "-q", "-m", "add submodule")
    before = repo.head()
    repo.git("update-index", "--cacheinfo", f"160000,{before},vendor/lib")
    repo.git("commit", "-q", "-m", "bump submodule")
    assert changes(repo, before) == (Changed(status="M", path="vendor/lib"),)
    listed, submodules = diff.changed_with_submodules(str(repo.path), before, repo.head())
    assert (listed, submodules) == (changes(repo, before), frozenset({"vendor/lib"}))


def test_a_listing_names_the_paths_that_are_submodules_on_either_side(repo: GitRepo) -> None:
    before = repo.commit("file", ("vendor/lib", "a file\n"), ("other", "1\n"))
    repo.git("rm", "-q", "vendor/lib")
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{before},vendor/lib")
    repo.write("other", "2\n")
    repo.git("add", "other")
    repo.git("commit", "-q", "-m", "a submodule where the file was")
    head = repo.head()
    with diff.Listing(str(repo.path), before, head) as listing:
        assert {change.path for change in listing.changed()} == {"vendor/lib", "other"}
        assert listing.submodules() == {"vendor/lib"}
    with diff.Listing(str(repo.path), head, before) as listing:
        listing.changed()
        assert listing.submodules() == {"vendor/lib"}


def test_a_binary_file(repo: GitRepo) -> None:
    repo.write("image.png", b"\x89PNG\0\1\2")
    before = repo.commit("setup")
    repo.write("image.png", b"\x89PNG\0\3\4")
    repo.commit("edit")
    assert changes(repo, before) == (Changed(status="M", path="image.png"),)


def test_an_empty_diff(repo: GitRepo) -> None:
    before = repo.head()
    repo.commit("nothing")
    assert changes(repo, before) == ()


def test_configuration_cannot_change_the_diff_or_run_code(repo: GitRepo, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    script = tmp_path / "external.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n")
    script.chmod(0o755)
    repo.write(".gitattributes", "*.txt diff=conv\n")
    body = "a body long enough to be recognised\n" * 5
    repo.commit("setup", ("sub/a.txt", "1\n"), ("original.txt", body))
    before = repo.head()
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{before},vendor/lib")
    (repo.path / "vendor/lib").mkdir(parents=True)
    repo.commit("edit", ("sub/a.txt", "2\n"), ("top.txt", "3\n"), ("copy.txt", body))
    for key, value in [
        ("diff.external", str(script)),
        ("diff.conv.textconv", str(script)),
        ("diff.relative", "true"),
        ("diff.noprefix", "true"),
        ("diff.renames", "copies"),
        ("color.ui", "always"),
        ("core.quotePath", "true"),
        ("diff.ignoreSubmodules", "all"),
    ]:
        repo.git("config", key, value)
    # Asked from a subdirectory, the paths still start at the repository root.
    listed = diff.changed(str(repo.path / "sub"), before, repo.head())
    assert set(listed) == {
        Changed(status="M", path="sub/a.txt"),
        Changed(status="A", path="top.txt"),
        Changed(status="A", path="vendor/lib"),
        Changed(status="A", path="copy.txt"),
    }
    assert not marker.exists()


def test_a_listing_reads_the_change_in_the_background(
    forked: tuple[GitRepo, str],
) -> None:
    repo, fork = forked
    path = str(repo.path)
    head = refs.resolve(path, "feature")
    listing = diff.Listing(path, fork, head)
    assert listing.changed() == diff.changed(path, fork, head)
    stopped = diff.Listing(path, fork, head)
    stopped.stop()
    stopped.stop()  # twice is harmless


def test_a_listing_gives_each_changed_paths_entry_at_the_merge_base(repo: GitRepo) -> None:
    body = "a body long enough that git finds the rename\n" * 4
    base = repo.commit("setup", ("edited.txt", "one\n"), ("gone.txt", "bye\n"), ("moved.txt", body))
    repo.symlink("link", "edited.txt")
    base = repo.commit("link")
    repo.remove("gone.txt")
    repo.remove("moved.txt")
    repo.remove("link")
    head = repo.commit(
        "change", ("edited.txt", "two\n"), ("renamed.txt", body), ("new.txt", "hi\n"), ("link", "")
    )
    listing = diff.Listing(str(repo.path), base, head)
    assert {(c.status, c.path, c.old_path) for c in listing.changed()} == {
        ("M", "edited.txt", None),
        ("D", "gone.txt", None),
        ("R", "renamed.txt", "moved.txt"),
        ("A", "new.txt", None),
        ("T", "link", None),
    }
    before = listing.before()
    assert set(before) == {"edited.txt", "gone.txt", "moved.txt", "link"}
    assert before["link"][0] == "120000"
    read = blobs.read_entries(str(repo.path), {base: {**before, "new.txt": None}})[base]
    assert read["edited.txt"] == b"one\n"
    assert read["gone.txt"] == b"bye\n"
    assert read["moved.txt"] == body.encode()
    assert read["new.txt"] is None
    assert "symbolic link" in str(read["link"])


def test_a_listing_that_fails_says_so_when_read(repo: GitRepo) -> None:
    listing = diff.Listing(str(repo.path), repo.head(), "0" * 40)
    with pytest.raises(GateError, match="git failed"):
        listing.changed()


OID = "a" * 40


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (f":100644 100644 {OID} {OID} M\0path".encode(), "ends without a NUL"),
        (f":100644 100644 {OID} {OID} X\0path\0".encode(), "unexpected record"),
        (f":100644 100644 {OID} {OID} R100\0old\0".encode(), "unexpected record"),
        (b"M\0path\0", "unexpected record"),
        (f":100644 100644 {OID} {OID} M\0caf\xe9\0".encode("latin-1"), "not UTF-8: b'caf\\\\xe9'"),
    ],
)
def test_a_listing_git_did_not_write_whole_is_refused(output: bytes, message: str) -> None:
    # Real git never writes these; if it ever did, the change could not be read exactly.
    with pytest.raises(GateError, match=message):
        diff._changes(output)
