"""Bypass class: settings in the caller's environment run programs through the gate's git.

GIT_CONFIG_COUNT with GIT_CONFIG_KEY_n/GIT_CONFIG_VALUE_n, and GIT_CONFIG_PARAMETERS (what
`git -c` passes on), give git settings from the environment. Of them only safe.directory,
http.* and url.<base>.insteadOf reach the gate's git: core.sshCommand, core.fsmonitor,
diff.external and the like, which run programs, have no effect.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from gate.errors import GateError
from gate.git import refs, run
from testing.gitrepo import GitRepo


def _counted(key: str, value: str) -> dict[str, str]:
    return {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": key, "GIT_CONFIG_VALUE_0": value}


def _parameters(key: str, value: str) -> dict[str, str]:
    """GIT_CONFIG_PARAMETERS as `git -c key=value` passes it on (to an alias that prints it)."""
    alias = "alias.parameters=!printenv GIT_CONFIG_PARAMETERS"
    printed = subprocess.run(
        ["git", "-c", alias, "-c", f"{key}={value}", "parameters"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return {"GIT_CONFIG_PARAMETERS": printed.rstrip("\n")}


def _parameters_old_style(key: str, value: str) -> dict[str, str]:
    """The 'key=value' of git before 2.31."""
    quoted = f"{key}={value}".replace("'", "'\\''").replace("!", "'\\!'")
    return {"GIT_CONFIG_PARAMETERS": f"'{quoted}'"}


Given = Callable[[str, str], dict[str, str]]
MECHANISMS: list[Given] = [_counted, _parameters, _parameters_old_style]


def _script(path: Path, marker: Path) -> Path:
    path.write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 1\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "work")
    repo.commit("first", ("README.md", "hello\n"))
    repo.commit("second", ("README.md", "edited\n"))
    return repo


def _given(monkeypatch: pytest.MonkeyPatch, variables: dict[str, str]) -> None:
    for name in ("GIT_CONFIG_COUNT", "GIT_CONFIG_PARAMETERS", "GIT_SSH_COMMAND", "GIT_SSH"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("given", MECHANISMS)
def test_an_fsmonitor_from_the_environment_does_not_run(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: Given
) -> None:
    marker = tmp_path / "ran"
    hook = _script(tmp_path / "fsmonitor", marker)
    _given(monkeypatch, given("core.fsmonitor", str(hook)))
    run.run(str(repo.path), ("status", "--porcelain"))
    assert not marker.exists()


@pytest.mark.parametrize("given", MECHANISMS)
def test_an_external_diff_from_the_environment_does_not_run(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: Given
) -> None:
    marker = tmp_path / "ran"
    external = _script(tmp_path / "external", marker)
    _given(monkeypatch, given("diff.external", str(external)))
    output = run.run(str(repo.path), ("diff", "HEAD~1", "HEAD")).stdout
    assert b"+edited" in output
    assert not marker.exists()


@pytest.mark.parametrize("given", MECHANISMS)
def test_an_ssh_command_from_the_environment_does_not_run_on_a_fetch(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: Given
) -> None:
    """GIT_SSH, which core.sshCommand would win over, runs instead (and fails the fetch)."""
    hostile, meant = tmp_path / "hostile-ran", tmp_path / "meant-ran"
    repo.git("remote", "add", "origin", "ssh://git.invalid/repo.git")
    _given(monkeypatch, given("core.sshCommand", str(_script(tmp_path / "hostile", hostile))))
    monkeypatch.setenv("GIT_SSH", str(_script(tmp_path / "meant", meant)))
    with pytest.raises(GateError, match="git failed"):
        refs.fetch_commits(str(repo.path), ["1" * 40])
    assert meant.exists()
    assert not hostile.exists()


@pytest.mark.parametrize("given", MECHANISMS)
@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("safe.directory", "/home/runner/work/infra/infra"),
        ("http.https://github.com/.extraheader", "AUTHORIZATION: basic it's a secret!"),
        ("url.https://mirror.example/.insteadOf", "https://github.com/"),
    ],
)
def test_the_settings_a_runner_passes_reach_git(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch, given: Given, key: str, value: str
) -> None:
    _given(monkeypatch, given(key, value))
    read = run.run(str(repo.path), ("config", "--get", key)).stdout
    assert read.decode() == value + "\n"
