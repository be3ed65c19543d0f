"""Running git: its errors, and an environment that cannot point it elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gate.errors import GateError
from gate.git import blobs, diff, refs, run
from gate.git.diff import Changed
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


@pytest.mark.parametrize(
    "variable",
    ["GIT_DIR", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES"],
)
def test_a_repository_named_in_the_environment_does_not_change_what_is_read(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    other = GitRepo(tmp_path / "other")
    elsewhere = other.commit("other", ("README.md", "other\n"), ("other.txt", "x"))
    base = repo.head()
    head = repo.commit("edit", ("README.md", "edited\n"))
    values = {
        "GIT_DIR": other.path / ".git",
        "GIT_INDEX_FILE": other.path / ".git" / "index",
        "GIT_OBJECT_DIRECTORY": other.path / ".git" / "objects",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES": other.path / ".git" / "objects",
    }
    monkeypatch.setenv(variable, str(values[variable]))
    path = str(repo.path)
    assert refs.resolve(path, "HEAD") == head
    assert not refs.is_commit(path, elsewhere)
    assert diff.changed(path, base, head) == (Changed(status="M", path="README.md"),)
    assert blobs.read_blobs(path, [head], ["README.md", "other.txt"]) == {
        head: {"README.md": b"edited\n", "other.txt": None}
    }
    assert blobs.FileReading(path, head, "README.md").result() == b"edited\n"


def test_a_replace_ref_does_not_change_the_tree_read(repo: GitRepo) -> None:
    base = repo.head()
    head = repo.commit("reviewed", ("README.md", "reviewed\n"))
    repo.checkout("-q", "-b", "other", base)
    swapped = repo.commit("swapped in", ("README.md", "swapped\n"), ("extra.txt", "x"))
    repo.git("replace", head, swapped)
    assert repo.git("show", f"{head}:README.md") == "swapped"  # git alone honours it
    path = str(repo.path)
    assert diff.changed(path, base, head) == (Changed(status="M", path="README.md"),)
    assert blobs.read_blobs(path, [head], ["README.md", "extra.txt"]) == {
        head: {"README.md": b"reviewed\n", "extra.txt": None}
    }
    assert blobs.FileReading(path, head, "README.md").result() == b"reviewed\n"


def test_grafts_do_not_change_the_history_read(forked: tuple[GitRepo, str]) -> None:
    repo, fork = forked
    path = str(repo.path)
    main, feature = refs.resolve(path, "main"), refs.resolve(path, "feature")
    # The feature's last commit grafted onto main's: git alone finds another merge base.
    (repo.path / ".git" / "info" / "grafts").write_text(f"{feature} {main}\n")
    assert repo.git("merge-base", main, feature) == main
    assert refs.merge_base(path, main, feature) == fork
    assert diff.changed(path, fork, feature) == (Changed(status="A", path="feature.txt"),)


def test_a_command_in_the_background_gives_its_output_or_its_error(repo: GitRepo) -> None:
    with run.Background(str(repo.path), ("rev-parse", "HEAD")) as git:
        assert git.finish().strip().decode() == repo.head()
    failing = run.Background(str(repo.path), ("rev-parse", "--verify", "nope"))
    with failing, pytest.raises(GateError, match=r"git failed \(exit 128\).*rev-parse"):
        failing.finish()
    stopped = run.Background(str(repo.path), ("log",))
    stopped.stop()
    stopped.stop()  # twice is harmless
    assert not stopped.running()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs a repository owned by another user")
def test_the_configuration_a_runner_points_git_at_is_read(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI runner's checkout owned by another user needs its safe.directory, which lives in
    the file GIT_CONFIG_GLOBAL names."""
    head = repo.head()
    for root, directories, files in os.walk(repo.path):
        for name in [*directories, *files]:
            os.lchown(os.path.join(root, name), 65534, 65534)
    os.lchown(repo.path, 65534, 65534)
    config = tmp_path / "runner.gitconfig"
    config.write_text("[safe]\n\tdirectory = *\n")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "none"))
    with pytest.raises(GateError, match="dubious ownership"):
        refs.resolve(str(repo.path), "HEAD")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    assert refs.resolve(str(repo.path), "HEAD") == head


def test_a_piped_command_is_read_as_it_comes_and_stopped_unread(repo: GitRepo) -> None:
    head = repo.head()
    with run.Piped(str(repo.path), ("cat-file", "--batch-check"), stdin=b"HEAD\n") as git:
        assert (
            git.readline(100)
            == f"{head} commit {len(repo.git('cat-file', 'commit', 'HEAD')) + 1}\n".encode()
        )
        assert git.read(10) == b""
        git.finish()
    failing = run.Piped(str(repo.path), ("rev-parse", "--verify", "nope"))
    with failing, pytest.raises(GateError, match=r"git failed \(exit 128\).*rev-parse"):
        failing.finish()
    many = "".join(f"{head}\n" for _ in range(20000)).encode()  # far more output than a pipe holds
    stopped = run.Piped(str(repo.path), ("cat-file", "--batch"), stdin=many)
    assert stopped.readline(100).startswith(head.encode())
    stopped.stop()
    stopped.stop()  # twice is harmless
