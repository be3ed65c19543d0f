"""Fixtures of the --github tests: a fake GitHub on loopback, a pull request's run."""

from __future__ import annotations

import pytest

from testing.fakegithub import FakeGitHub
from testing.infra import infra_repo
from testing.pullrequest import Run


@pytest.fixture
def fake():
    with FakeGitHub() as server:
        yield server


@pytest.fixture
def run(tmp_path, monkeypatch, fake):
    repo = infra_repo(tmp_path / "repo")
    return Run(tmp_path, monkeypatch, fake, repo)
