"""Refs and commits: resolving, the merge base (shallow clones too), fetching, scratch repos."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.errors import GateError
from gate.git import blobs, diff, refs
from gate.git.diff import Changed
from testing.gitrepo import GitRepo


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


def test_several_merge_bases_are_an_error(forked: tuple[GitRepo, str]) -> None:
    repo, _ = forked
    path = str(repo.path)
    on_main = refs.resolve(path, "main")
    repo.git("merge", "-q", "--no-edit", "feature")
    repo.checkout("feature")
    repo.git("merge", "-q", "--no-edit", on_main)
    main, feature = refs.resolve(path, "main"), refs.resolve(path, "feature")
    with pytest.raises(GateError, match=r"2 merge bases .*Merge the base into the branch"):
        refs.merge_base(path, main, feature)
    repo.git("merge", "-q", "--no-edit", "main")
    assert refs.merge_base(path, main, refs.resolve(path, "feature")) == main


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


def test_is_commit(repo: GitRepo) -> None:
    path = str(repo.path)
    head = repo.head()
    assert refs.is_commit(path, head)
    assert not refs.is_commit(path, "0" * 40)  # well formed, but not here
    assert not refs.is_commit(path, repo.git("rev-parse", "HEAD^{tree}"))
    for not_an_id in ["HEAD", "main", head[:12], "-x", ""]:
        assert not refs.is_commit(path, not_an_id)


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


def test_fetching_a_commit_origin_does_not_have_is_an_error(tmp_path: Path) -> None:
    origin = GitRepo(tmp_path / "origin")
    clone = GitRepo.clone(str(origin.path), tmp_path / "clone")
    with pytest.raises(GateError, match="git failed") as error:
        refs.fetch_commits(str(clone.path), ["0" * 40])
    assert "holds the commits involved" in str(error.value)


def test_a_bare_clone_works(forked: tuple[GitRepo, str], tmp_path: Path) -> None:
    source, fork = forked
    bare = GitRepo.clone(str(source.path), tmp_path / "bare.git", "--bare")
    path = str(bare.path)
    base, head = refs.resolve(path, "main"), refs.resolve(path, "feature")
    assert refs.merge_base(path, base, head) == fork
    assert diff.changed(path, fork, head) == (Changed(status="A", path="feature.txt"),)
    assert blobs.read_blobs(path, [head], ["feature.txt"]) == {head: {"feature.txt": b"2\n"}}
    with pytest.raises(GateError, match="pass --base"):
        refs.default_base(path)


@pytest.fixture
def cut_above(forked: tuple[GitRepo, str], tmp_path: Path) -> tuple[GitRepo, str]:
    """A clone that holds the merge base, and main's merge of a side branch cut off above it."""
    source, fork = forked
    source.checkout("-b", "side", fork)
    source.commit_chain(10, "side.txt")
    source.checkout("main")
    source.git("merge", "-q", "--no-edit", "side")
    clone = GitRepo.clone(
        f"file://{source.path}", tmp_path / "cut", "--depth=4", "--no-single-branch"
    )
    return clone, fork


def test_a_merge_base_with_history_cut_off_above_it_is_an_error(
    cut_above: tuple[GitRepo, str],
) -> None:
    clone, fork = cut_above
    path = str(clone.path)
    base, head = refs.resolve(path, "origin/main"), refs.resolve(path, "origin/feature")
    assert clone.git("merge-base", "--all", base, head).split() == [fork]
    with pytest.raises(GateError, match=f"meet at {fork[:12]}, but") as raised:
        refs.merge_base(path, base, head)
    assert "git fetch --unshallow" in str(raised.value)


def test_a_shallow_clone_deepens_until_nothing_above_the_merge_base_is_cut(
    cut_above: tuple[GitRepo, str],
) -> None:
    clone, fork = cut_above
    path = str(clone.path)
    base, head = refs.resolve(path, "origin/main"), refs.resolve(path, "origin/feature")
    assert refs.merge_base(path, base, head, deepen=True) == fork


def test_a_shallow_clone_holding_all_history_above_the_merge_base_needs_no_more(
    forked: tuple[GitRepo, str], tmp_path: Path
) -> None:
    source, fork = forked
    clone = GitRepo.clone(
        f"file://{source.path}", tmp_path / "clone", "--depth=3", "--no-single-branch"
    )
    path = str(clone.path)
    base, head = refs.resolve(path, "origin/main"), refs.resolve(path, "origin/feature")
    assert refs.merge_base(path, base, head) == fork
