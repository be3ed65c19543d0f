"""A pull request on the fake GitHub, checked by `gate check --github` as a job would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gate.main import main
from gate.report.comment import MARKER
from testing import fakegithub
from testing.fakegithub import REPO, FakeGitHub
from testing.gitrepo import GitRepo

NUMBER = 7


class Run:
    """One pull request on the fake GitHub, and the Actions environment a job would have."""

    def __init__(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeGitHub, repo: GitRepo
    ) -> None:
        self.tmp = tmp_path
        self.monkeypatch = monkeypatch
        self.fake = fake
        self.repo = repo
        self.base = repo.git("rev-parse", "main")
        self.summary = tmp_path / "summary.md"
        self.outputs = tmp_path / "outputs.txt"
        self.count = 0
        self.err = ""
        monkeypatch.setenv("GITHUB_API_URL", fake.url)
        monkeypatch.setenv("GITHUB_TOKEN", "test-token")
        monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(self.summary))
        monkeypatch.setenv("GITHUB_OUTPUT", str(self.outputs))
        monkeypatch.setenv("GATE_GITHUB_BACKOFF", "0.01")
        monkeypatch.setenv("GATE_GITHUB_RETRIES", "2")
        monkeypatch.setenv("GATE_GITHUB_MAX_WAIT", "3")
        for variable in ("GATE_TEAMS_TOKEN", "GATE_STATUS_TOKEN", "GATE_PULL_REQUEST"):
            monkeypatch.delenv(variable, raising=False)
        self.summary.write_text("")
        self.outputs.write_text("")

    def open(self, head: str, author: str = "alice") -> dict[str, Any]:
        return self.fake.add_pull(NUMBER, head=head, base=self.base, author=author)

    @property
    def pull(self) -> dict[str, Any]:
        return self.fake.pulls[(REPO, NUMBER)]

    def event(self, name: str, payload: dict[str, Any]) -> None:
        self.count += 1
        path = self.tmp / f"event-{self.count}.json"
        path.write_text(json.dumps(payload))
        self.monkeypatch.setenv("GITHUB_EVENT_NAME", name)
        self.monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))

    def check(
        self, capsys: pytest.CaptureFixture[str], *args: str
    ) -> tuple[int, dict[str, Any] | None]:
        code = main(["check", "--github", "--repo", str(self.repo.path), "--format", "json", *args])
        captured = capsys.readouterr()
        self.err = captured.err
        out = captured.out
        return code, json.loads(out) if out.strip().startswith("{") else None

    def on_push(
        self,
        capsys: pytest.CaptureFixture[str],
        action: str = "synchronize",
        event: str = "pull_request_target",
    ) -> tuple[int, dict[str, Any] | None]:
        self.event(event, fakegithub.pull_request_event(self.pull, action=action))
        return self.check(capsys)

    def statuses(self) -> list[tuple[str, str]]:
        return [(s["state"], s["sha"]) for s in self.fake.posted_statuses()]

    def last_status(self) -> dict[str, Any]:
        return self.fake.posted_statuses()[-1]

    def comments(self) -> list[dict[str, Any]]:
        return [c for c in self.fake.comments[(REPO, NUMBER)] if c["body"].startswith(MARKER)]

    def output_values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        lines = iter(self.outputs.read_text().splitlines())
        for line in lines:
            name, delimiter = line.split("<<", 1)
            values[name] = "\n".join(iter(lambda: next(lines), delimiter))
        return values


def alerting_change(run: Run) -> str:
    """A change that touches backup-alerts alone (owned by sre: dave)."""
    return run.repo.commit("page less", ("alerting/crontab", "MAILTO=oncall@example.com\n"))
