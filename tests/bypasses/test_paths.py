"""Bypass class: a changed path that escapes the systems owning it, or git showing other objects.

A submodule bump, a path that differs from an owned one only in case, a pattern that makes
matching take forever, a blob too large to hold, and a caller's environment, replace refs or
grafts that would make git show the gate another tree than the head it names.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from gate.files import MAX_BYTES
from gate.main import main
from testing.bounded import finishes
from testing.gitrepo import GitRepo

MAP = """\
version: 1
map-owners: ["platform"]
teams:
  platform:
    members: ["erin"]
  vendoring:
    members: ["alice"]
  everything-vendored:
    members: ["bob"]
  backup:
    members: ["carol"]
  docs:
    members: ["dave"]
systems:
  vendored-x:
    kind: library
    owners: ["vendoring"]
    paths: ["vendor/x/"]
  vendored:
    kind: library
    owners: ["everything-vendored"]
    paths: ["vendor/**/"]
  backup:
    kind: backup
    owners: ["backup"]
    paths: ["backup/", "Makefile"]
  docs:
    kind: docs
    owners: ["docs"]
    paths: ["*.md"]
"""


def _repo(path: Path, map_text: str = MAP) -> GitRepo:
    repo = GitRepo(path)
    repo.commit(
        "baseline",
        ("dependency-map.yaml", map_text),
        ("backup/run.sh", "backup\n"),
        ("Makefile", "all:\n"),
        ("README.md", "infra\n"),
    )
    repo.checkout("-b", "change")
    return repo


def _check(capsys: pytest.CaptureFixture[str], repo: GitRepo, *args: str) -> tuple[int, Any]:
    code = main(["check", "--repo", str(repo.path), "--base", "main", "--format", "json", *args])
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if captured.out else captured.err)


def _touched(report: Any) -> set[str]:
    return {s["id"] for s in report["systems"] if s["affected"] == "touched"}


def _gitlink(repo: GitRepo, path: str, commit: str) -> None:
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{commit},{path}")
    repo.git("commit", "-q", "-m", f"submodule at {path}")


def test_a_submodule_bump_touches_the_systems_owning_its_directory(tmp_path, capsys):
    repo = _repo(tmp_path / "repo")
    _gitlink(repo, "vendor/x", repo.head())
    code, report = _check(capsys, repo)
    assert code == 1
    assert _touched(report) == {"vendored-x", "vendored"}
    assert report["unmapped"] == []


def test_a_real_submodule_added_and_bumped_is_matched_as_its_directory(tmp_path, capsys):
    library = GitRepo(tmp_path / "library")
    first = library.commit("one", ("lib.txt", "1\n"))
    repo = _repo(tmp_path / "repo")
    repo.git(
        "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(library.path), "vendor/x"
    )
    repo.git("commit", "-q", "-m", "vendor x")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "change")
    repo.git("checkout", "-q", "change")
    library.commit("two", ("lib.txt", "2\n"))
    repo.git("-C", "vendor/x", "pull", "-q", "origin", "main")
    repo.git("commit", "-q", "-am", "bump x")
    assert repo.git("rev-parse", "HEAD:vendor/x") != first
    code, report = _check(capsys, repo)
    assert code == 1
    assert report["changed"] == [{"status": "M", "path": "vendor/x", "old_path": None}]
    assert _touched(report) == {"vendored-x", "vendored"}


def test_a_directory_differing_only_in_case_touches_its_owner(tmp_path, capsys):
    repo = _repo(tmp_path / "repo")
    repo.commit("case", ("Backup/run.sh", "not a backup\n"))
    code, report = _check(capsys, repo)
    assert code == 1
    assert _touched(report) == {"backup"}
    assert report["unmapped"] == []


def test_a_file_differing_only_in_case_touches_its_owner(tmp_path, capsys):
    repo = _repo(tmp_path / "repo")
    repo.commit("case", ("MAKEFILE", "all:\n\trm -rf /\n"), ("notes.MD", "x\n"))
    code, report = _check(capsys, repo)
    assert code == 1
    assert _touched(report) == {"backup", "docs"}


def test_matching_stays_fast_with_many_double_stars_against_a_deep_path(tmp_path, capsys):
    # Before matching was linear, 4 `**` took 18 s on a path 200 deep; 12 on 400, years.
    stars = "/".join(["a"] + ["**", "a"] * 12 + ["z"])
    text = MAP.replace('paths: ["*.md"]', f'paths: ["*.md", "{stars}", "**/a/**/a/**/a/**/y"]')
    repo = _repo(tmp_path / "repo", text)
    deep = "/".join(["a"] * 400) + "/b"
    repo.commit("deep", (deep, "x\n"))
    code, report = finishes(lambda: _check(capsys, repo))
    assert code == 0
    assert report["unmapped"] == [deep]


def test_a_blob_above_the_limit_is_refused_naming_it(tmp_path, capsys):
    text = MAP.replace(
        'paths: ["backup/", "Makefile"]',
        'paths: ["backup/", "Makefile"]\n    version:\n      file: "backup/version.txt"\n'
        '      pattern: "(?P<version>[0-9.]+)"\n      scheme: semver',
    )
    repo = _repo(tmp_path / "repo", text)
    repo.commit("huge", ("backup/version.txt", "1.0.0\n" + "#" * MAX_BYTES))
    code, report = _check(capsys, repo)
    assert code == 2
    assert report["verdict"] == "error"
    assert report["error"].startswith(f"backup/version.txt at {repo.head()} is larger than 10 MiB")


def _replaced(path: Path) -> tuple[GitRepo, str]:
    """A repository whose head touches backup, replaced by a commit that does not."""
    repo = _repo(path)
    repo.commit("harmless", ("README.md", "more\n"))
    innocent = repo.head()
    repo.commit("dangerous", ("backup/run.sh", "rm -rf /\n"))
    dangerous = repo.head()
    repo.git("replace", dangerous, innocent)
    return repo, dangerous


def test_a_replace_ref_does_not_make_the_gate_read_another_tree(tmp_path, capsys):
    repo, dangerous = _replaced(tmp_path / "repo")
    assert repo.git("log", "-1", "--format=%s") == "harmless"  # what git shows by default
    code, report = _check(capsys, repo)
    assert report["head"] == dangerous
    assert "backup" in _touched(report)
    assert code == 1


def test_a_graft_file_does_not_make_the_gate_read_other_parents(tmp_path, capsys):
    repo = _repo(tmp_path / "repo")
    repo.commit("dangerous", ("backup/run.sh", "rm -rf /\n"))
    dangerous = repo.head()
    repo.commit("harmless", ("README.md", "more\n"))
    # The graft makes main a descendant of the dangerous commit: only the harmless one is new.
    main = repo.git("rev-parse", "main")
    grafts = repo.path / repo.git("rev-parse", "--git-path", "info/grafts")
    grafts.parent.mkdir(exist_ok=True)
    grafts.write_text(f"{main} {dangerous}\n")
    assert repo.git("merge-base", "main", "HEAD") == dangerous  # what git finds by default
    code, report = _check(capsys, repo)
    assert "backup" in _touched(report)
    assert code == 1


@pytest.mark.parametrize(
    "variable",
    ["GIT_DIR", "GIT_WORK_TREE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES"],
)
def test_a_hostile_git_location_in_the_environment_is_ignored(
    tmp_path, capsys, monkeypatch, variable
):
    other = _repo(tmp_path / "other")
    other.commit("harmless", ("README.md", "more\n"))
    repo = _repo(tmp_path / "repo")
    repo.commit("dangerous", ("backup/run.sh", "rm -rf /\n"))
    location = {"GIT_DIR": ".git", "GIT_WORK_TREE": "."}.get(variable, ".git/objects")
    monkeypatch.setenv(variable, str(other.path / location))
    code, report = _check(capsys, repo)
    assert _touched(report) == {"backup"}
    assert code == 1


def test_a_hostile_index_external_diff_or_fsmonitor_from_the_environment_never_runs(
    tmp_path, capsys, monkeypatch
):
    repo = _repo(tmp_path / "repo")
    repo.commit("dangerous", ("backup/run.sh", "rm -rf /\n"))
    ran = tmp_path / "ran"
    script = tmp_path / "hostile.sh"
    script.write_text(f"#!/bin/sh\necho \"$0 $*\" >> {ran}\necho '{{}}'\n")
    script.chmod(0o755)
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / "no-index"))
    monkeypatch.setenv("GIT_EXTERNAL_DIFF", str(script))
    monkeypatch.setenv("GIT_PAGER", str(script))
    monkeypatch.setenv("GIT_CONFIG_COUNT", "2")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "core.fsmonitor")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", str(script))
    monkeypatch.setenv("GIT_CONFIG_KEY_1", "diff.external")
    monkeypatch.setenv("GIT_CONFIG_VALUE_1", str(script))
    code, report = _check(capsys, repo)
    assert _touched(report) == {"backup"}
    assert code == 1
    assert not ran.exists(), ran.read_text()
    assert os.environ["GIT_INDEX_FILE"] == str(tmp_path / "no-index")


@pytest.mark.parametrize("where", ["environment", "parameters", "repository"])
def test_configuration_cannot_turn_replace_refs_back_on(tmp_path, capsys, monkeypatch, where):
    repo, _ = _replaced(tmp_path / "repo")
    if where == "environment":
        monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
        monkeypatch.setenv("GIT_CONFIG_KEY_0", "core.useReplaceRefs")
        monkeypatch.setenv("GIT_CONFIG_VALUE_0", "true")
    elif where == "parameters":
        monkeypatch.setenv("GIT_CONFIG_PARAMETERS", "'core.usereplacerefs'='true'")
    else:
        repo.git("config", "core.useReplaceRefs", "true")
    code, report = _check(capsys, repo)
    assert "backup" in _touched(report)
    assert code == 1
