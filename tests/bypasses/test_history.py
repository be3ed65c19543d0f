"""Bypass class: a history with several merge bases hiding part of the change from the diff."""

from __future__ import annotations

import pytest

from gate.main import main
from testing.infra import FILES, infra_repo, upgrade


def test_criss_cross_merges_cannot_hide_the_revert_of_a_signed_off_change(tmp_path, capsys):
    repo = infra_repo(tmp_path)
    repo.checkout("main")
    repo.checkout("-b", "feature")
    documented = repo.commit("document", ("README.md", "infra, documented\n"))
    repo.checkout("main")
    upgraded = upgrade(repo)  # signed off and merged
    repo.git("merge", "-q", "--no-edit", "feature")
    repo.checkout("feature")
    repo.git("merge", "-q", "--no-edit", upgraded)
    repo.commit("undo", ("config/software/postgresql.rb", FILES["config/software/postgresql.rb"]))
    bases = repo.git("merge-base", "--all", "main", "feature").split()
    assert sorted(bases) == sorted([documented, upgraded])
    # From one of the merge bases the head shows no change at all.
    assert repo.git("diff", "--name-only", documented, "feature") == ""
    code = main(["check", "--repo", str(repo.path), "--base", "main", "--head", "feature"])
    err = capsys.readouterr().err
    assert code == 2
    assert "2 merge bases" in err
    assert "Merge the base into the branch (or rebase" in err
    for sha in bases:
        assert sha[:12] in err


def test_after_merging_the_base_into_the_branch_the_change_is_read(tmp_path, capsys):
    repo = infra_repo(tmp_path)
    repo.checkout("main")
    repo.checkout("-b", "feature")
    repo.commit("document", ("README.md", "infra, documented\n"))
    repo.checkout("main")
    upgraded = upgrade(repo)
    repo.git("merge", "-q", "--no-edit", "feature")
    repo.checkout("feature")
    repo.git("merge", "-q", "--no-edit", upgraded)
    repo.commit("undo", ("config/software/postgresql.rb", FILES["config/software/postgresql.rb"]))
    repo.git("merge", "-q", "--no-edit", "main")
    code = main(["check", "--repo", str(repo.path), "--base", "main", "--head", "feature"])
    out = capsys.readouterr().out
    assert code == 1
    assert "postgresql" in out


@pytest.mark.parametrize("ordinary", [True, False])
def test_one_merge_base_is_still_one_diff(tmp_path, capsys, ordinary):
    repo = infra_repo(tmp_path)
    upgrade(repo)
    if ordinary:
        repo.checkout("main")
        repo.commit("elsewhere", ("README.md", "infra, elsewhere\n"))
        repo.checkout("change")
        repo.git("merge", "-q", "--no-edit", "main")
    code = main(["check", "--repo", str(repo.path), "--base", "main"])
    assert code == 1
    assert "postgresql" in capsys.readouterr().out
