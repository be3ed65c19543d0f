"""Files given by name: refused inside the work tree unless the base commit has them as they are."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from gate.errors import GateError
from gate.git.worktree import from_outside
from testing.gitrepo import GitRepo


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def tracked(repo: GitRepo) -> tuple[GitRepo, str]:
    repo.commit("records", ("records/signoffs.yml", "[]\n"))
    return repo, repo.head()


def test_a_file_outside_the_work_tree_is_taken(tracked, tmp_path):
    repo, base = tracked
    outside = tmp_path / "signoffs.yml"
    outside.write_text("anything\n")
    from_outside(str(repo.path), base, str(outside), _digest(outside), what="--signoffs")


def test_a_file_as_the_base_has_it_is_taken_from_any_directory_of_the_repository(tracked):
    repo, base = tracked
    path = repo.path / "records/signoffs.yml"
    from_outside(str(repo.path / "records"), base, str(path), _digest(path), what="--signoffs")


@pytest.mark.parametrize(
    ("relative", "content", "message"),
    [
        ("records/signoffs.yml", "- changed\n", "is not the same as records/signoffs.yml"),
        ("untracked.yml", "[]\n", "is not untracked.yml at the base"),
        ("records", None, "is not the same as records at the base"),
    ],
)
def test_a_file_the_change_may_have_written_is_refused(tracked, relative, content, message):
    repo, base = tracked
    path = repo.path / relative
    if content is not None:
        path.write_text(content)
    digest = _digest(path) if path.is_file() else "0" * 64
    with pytest.raises(GateError, match=message):
        from_outside(str(repo.path), base, str(path), digest, what="--signoffs")


def test_from_inside_the_git_directory_the_work_tree_still_counts(tracked):
    repo, base = tracked
    path = repo.write("untracked.yml", "[]\n")
    with pytest.raises(GateError, match="may be the change's own"):
        from_outside(str(repo.path / ".git"), base, str(path), _digest(path), what="--signoffs")


def test_a_bare_repository_has_no_work_tree(tracked, tmp_path):
    repo, base = tracked
    bare = GitRepo.clone(str(repo.path), tmp_path / "bare.git", "--bare")
    inside = bare.path / "signoffs.yml"
    inside.write_text("[]\n")
    from_outside(str(bare.path), base, str(inside), _digest(inside), what="--signoffs")


def test_a_work_tree_linked_to_a_bare_repository_is_one_of_its_work_trees(tracked, tmp_path):
    repo, base = tracked
    bare = GitRepo.clone(str(repo.path), tmp_path / "bare.git", "--bare")
    linked = tmp_path / "linked"
    bare.git("worktree", "add", "-q", "--detach", str(linked), base)
    same = linked / "records/signoffs.yml"
    from_outside(str(bare.path), base, str(same), _digest(same), what="--signoffs")
    written = linked / "signoffs.yml"
    written.write_text("[]\n")
    with pytest.raises(GateError, match=f"inside the work tree {linked} of"):
        from_outside(str(bare.path), base, str(written), _digest(written), what="--signoffs")


def test_a_linked_work_tree_whose_directory_is_gone_holds_nothing(tracked, tmp_path):
    repo, base = tracked
    linked = tmp_path / "linked"
    repo.git("worktree", "add", "-q", "--detach", str(linked), base)
    shutil.rmtree(linked)
    outside = tmp_path / "signoffs.yml"
    outside.write_text("[]\n")
    from_outside(str(repo.path), base, str(outside), _digest(outside), what="--signoffs")
