from __future__ import annotations

import re
from pathlib import Path

import pytest

from gate.errors import GateError
from gate.git import blobs, diff, refs
from gate.git.diff import Changed
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


def test_resolve_names_a_commit(repo: GitRepo) -> None:
    first = repo.head()
    second = repo.commit("second")
    repo.git("tag", "light", first)
    repo.git("tag", "-a", "-m", "annotated", "annotated", first)
    path = str(repo.path)
    assert refs.resolve(path, second) == second
    assert refs.resolve(path, second[:8]) == second
    assert refs.resolve(path, "main") == second
    assert refs.resolve(path, "HEAD~1") == first
    assert refs.resolve(path, "light") == first
    assert refs.resolve(path, "annotated") == first  # the tag object peels to its commit


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("-x", "--base '-x' looks like an option"),
        ("--output=/tmp/x", "looks like an option"),
        ("nope", "cannot resolve --base 'nope' to a commit in .*; fetch it or check the name"),
        ("HEAD:README.md", "cannot resolve --base"),  # a blob, not a commit
        ("", "is not a ref"),
    ],
)
def test_resolve_rejects(repo: GitRepo, ref: str, message: str) -> None:
    with pytest.raises(GateError, match=message):
        refs.resolve(str(repo.path), ref, what="--base")


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


def test_default_base_is_origin_head(repo: GitRepo, tmp_path: Path) -> None:
    clone = GitRepo.clone(str(repo.path), tmp_path / "clone")
    clone.commit("local work")
    assert refs.default_base(str(clone.path)) == repo.head()


def test_default_base_without_origin_head_asks_for_base(repo: GitRepo) -> None:
    with pytest.raises(GateError, match="pass --base"):
        refs.default_base(str(repo.path))


def test_merge_base_of_a_branch(forked: tuple[GitRepo, str]) -> None:
    repo, fork = forked
    path = str(repo.path)
    main, feature = refs.resolve(path, "main"), refs.resolve(path, "feature")
    assert refs.merge_base(path, main, feature) == fork


def test_unrelated_histories(repo: GitRepo) -> None:
    repo.checkout("--orphan", "elsewhere")
    other = repo.commit("a new root")
    with pytest.raises(GateError, match="share no history"):
        refs.merge_base(str(repo.path), refs.resolve(str(repo.path), "main"), other)


@pytest.fixture
def shallow(forked: tuple[GitRepo, str], tmp_path: Path) -> tuple[GitRepo, str]:
    """A depth-1 clone whose main is far past the fork: more than one deepening step."""
    source, fork = forked
    source.commit_chain(70)
    clone = GitRepo.clone(
        f"file://{source.path}", tmp_path / "shallow", "--depth=1", "--no-single-branch"
    )
    return clone, fork


def test_shallow_clone_without_merge_base_says_how_to_fix(shallow: tuple[GitRepo, str]) -> None:
    clone, _ = shallow
    path = str(clone.path)
    base, head = refs.resolve(path, "origin/main"), refs.resolve(path, "origin/feature")
    with pytest.raises(GateError, match="shallow clone") as raised:
        refs.merge_base(path, base, head)
    assert "git fetch --unshallow" in str(raised.value)
    assert "fetch-depth: 0" in str(raised.value)


def test_shallow_clone_deepens_until_the_merge_base(shallow: tuple[GitRepo, str]) -> None:
    clone, fork = shallow
    path = str(clone.path)
    base, head = refs.resolve(path, "origin/main"), refs.resolve(path, "origin/feature")
    assert refs.merge_base(path, base, head, deepen=True) == fork


def test_shallow_clone_without_origin_cannot_deepen(shallow: tuple[GitRepo, str]) -> None:
    clone, _ = shallow
    path = str(clone.path)
    base, head = refs.resolve(path, "origin/main"), refs.resolve(path, "origin/feature")
    clone.git("remote", "remove", "origin")
    with pytest.raises(GateError, match="git fetch --unshallow"):
        refs.merge_base(path, base, head, deepen=True)


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


def test_a_bare_clone_works(forked: tuple[GitRepo, str], tmp_path: Path) -> None:
    source, fork = forked
    bare = GitRepo.clone(str(source.path), tmp_path / "bare.git", "--bare")
    path = str(bare.path)
    base, head = refs.resolve(path, "main"), refs.resolve(path, "feature")
    assert refs.merge_base(path, base, head) == fork
    assert diff.changed(path, fork, head) == (Changed(status="A", path="feature.txt"),)
    assert blobs.read_blobs(path, head, ["feature.txt"]) == {"feature.txt": b"2\n"}
    with pytest.raises(GateError, match="pass --base"):
        refs.default_base(path)


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
    assert blobs.read_blobs(str(repo.path), head, paths) == expected
    for path, content in expected.items():
        assert blobs.FileReading(str(repo.path), head, path).result() == content
    assert blobs.read_blobs(str(repo.path), before, ["backup/backup.yml", "README.md"]) == {
        "backup/backup.yml": None,
        "README.md": b"hello\n",
    }
    assert blobs.read_blobs(str(repo.path), head, []) == {}


def test_read_blobs_of_many_paths(repo: GitRepo) -> None:
    files = [(f"dir/file{number}.txt", f"{number}\n") for number in range(1200)]
    head = repo.commit("many", *files)
    read = blobs.read_blobs(str(repo.path), head, [name for name, _ in files])
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
        blobs.read_blobs(str(repo.path), repo.head(), [path])
    reading = blobs.FileReading(str(repo.path), repo.head(), path)
    problem = reading.result()
    assert isinstance(problem, GateError)
    assert re.search(message, str(problem))
    assert reading.result() is problem  # asked again, answered again


def test_is_commit(repo: GitRepo) -> None:
    path = str(repo.path)
    head = repo.head()
    assert refs.is_commit(path, head)
    assert not refs.is_commit(path, "0" * 40)  # well formed, but not here
    assert not refs.is_commit(path, repo.git("rev-parse", "HEAD^{tree}"))
    for not_an_id in ["HEAD", "main", head[:12], "-x", ""]:
        assert not refs.is_commit(path, not_an_id)


def test_a_scratch_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    marker = tmp_path / "hook-ran"
    for name in ("pre-commit", "commit-msg", "post-commit"):
        (hooks / name).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (hooks / name).chmod(0o755)
    config = tmp_path / "gitconfig"
    config.write_text(f"[core]\n\thooksPath = {hooks}\n[commit]\n\tgpgSign = true\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
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
    refs.init_scratch(str(repo), "main")
    first = refs.commit_all(str(repo), "Baseline")
    refs.switch_new_branch(str(repo), "upgrade")
    (repo / "config/postgresql.rb").write_text('default_version "9.6.1"\n')
    second = refs.commit_all(str(repo), "Upgrade")
    assert refs.resolve(str(repo), "main") == first
    assert refs.resolve(str(repo), "upgrade") == second
    assert diff.changed(str(repo), first, second) == (
        Changed(status="M", path="config/postgresql.rb"),
    )
    assert not marker.exists()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://user:secret@example.com/acme/infra.git", "https://example.com/acme/infra.git"),
        ("https://example.com/acme/infra.git", "https://example.com/acme/infra.git"),
        ("git@example.com:acme/infra.git", "git@example.com:acme/infra.git"),
        ("ssh://git@example.com/acme/infra.git", "ssh://example.com/acme/infra.git"),
    ],
)
def test_remote_url_never_carries_credentials(tmp_path, url, expected):
    repo = GitRepo(tmp_path)
    assert refs.remote_url(str(repo.path)) is None
    repo.git("remote", "add", "origin", url)
    assert refs.remote_url(str(repo.path)) == expected


def test_read_each_blob_at_keeps_each_paths_error_to_itself(repo: GitRepo) -> None:
    before = repo.commit("setup", ("backup/backup.yml", "9.2\n"), ("shared.txt", "same\n"))
    repo.symlink("link", "README.md")
    head = repo.commit("more", ("backup/backup.yml", "9.6\n"))
    read = blobs.read_each_blob_at(
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
    assert blobs.read_blobs_at(str(repo.path), [before, head], ["shared.txt"]) == {
        before: {"shared.txt": b"same\n"},
        head: {"shared.txt": b"same\n"},
    }
    with pytest.raises(GateError, match="symbolic link"):
        blobs.read_blobs_at(str(repo.path), [before, head], ["link"])


def test_read_each_blob_at_of_many_paths(repo: GitRepo) -> None:
    files = [(f"dir/file{number}.txt", f"{number}\n") for number in range(2100)]
    before = repo.head()
    head = repo.commit("many", *files)
    read = blobs.read_each_blob_at(str(repo.path), [before, head], [name for name, _ in files])
    assert read[head] == {name: body.encode() for name, body in files}
    assert set(read[before].values()) == {None}


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


def test_an_entry_that_names_no_object_is_refused(repo: GitRepo) -> None:
    head = repo.head()
    with pytest.raises(GateError, match="not an id"):
        blobs.read_entries(str(repo.path), {head: {"README.md": ("100644", "HEAD")}})


def test_fetching_a_commit_origin_does_not_have_is_an_error(tmp_path: Path) -> None:
    origin = GitRepo(tmp_path / "origin")
    clone = GitRepo.clone(str(origin.path), tmp_path / "clone")
    with pytest.raises(GateError, match="git failed") as error:
        refs.fetch_commits(str(clone.path), ["0" * 40])
    assert "holds the commits involved" in str(error.value)
