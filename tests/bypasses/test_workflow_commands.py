"""Bypass class: a change's file names and words injecting workflow commands into the step log."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from testing.infra import infra_repo, upgrade

GATE = Path(sys.executable).with_name("gate")
INJECTED = "::add-mask::secret ##[set-env name=X]y"


def _run(
    repo: Path, *args: str, actions: bool = True, stdout: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed gate; its stdout a pipe, as the runner's, or the file `stdout`."""
    env = dict(os.environ)
    if actions:
        env["GITHUB_ACTIONS"] = "true"
    if stdout is None:
        return subprocess.run(
            [str(GATE), *args], cwd=repo, env=env, capture_output=True, text=True, check=False
        )
    with stdout.open("w") as handle:
        return subprocess.run(
            [str(GATE), *args],
            cwd=repo,
            env=env,
            stdout=handle,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )


def _after_the_stop(result: subprocess.CompletedProcess[str], *, resumed: bool) -> str:
    """stderr after the stop-commands marker that opens it, up to the resume if there is one."""
    resume = r"::(?P=token)::\n" if resumed else ""
    stopped = re.fullmatch(
        rf"::stop-commands::(?P<token>[0-9a-f]{{32}})\n(?P<inside>.*){resume}",
        result.stderr,
        re.DOTALL,
    )
    assert stopped is not None, result.stderr
    if not resumed:
        assert "::" + stopped.group("token") + "::" not in result.stderr
    return stopped.group("inside")


def test_a_file_name_in_the_report_is_no_workflow_command_in_actions(tmp_path):
    repo = infra_repo(tmp_path)
    upgrade(repo)
    repo.commit("odd name", (f"{INJECTED}.rb", "x\n"))
    result = _run(repo.path, "check", "--base", "main")
    assert result.returncode == 1, result.stderr
    assert INJECTED in result.stdout  # the report names the file, as it should
    # The stop came first, before any output. stdout is a pipe, as the runner's is: a resume
    # on stderr could be read before the report's last lines, so there is none.
    assert _after_the_stop(result, resumed=False) == ""


def test_with_the_report_in_a_file_commands_resume_after_the_gate(tmp_path):
    repo = infra_repo(tmp_path)
    upgrade(repo)
    repo.commit("odd name", (f"{INJECTED}.rb", "x\n"))
    report = tmp_path / "report.txt"
    result = _run(repo.path, "check", "--base", "main", stdout=report)
    assert result.returncode == 1, result.stderr
    assert INJECTED in report.read_text()  # never in the log
    assert _after_the_stop(result, resumed=True) == ""


def test_an_error_quoting_the_change_is_inside_the_markers(tmp_path):
    repo = infra_repo(tmp_path)
    result = _run(repo.path, "check", "--base", f"{INJECTED}")
    assert result.returncode == 2
    assert "::add-mask::" in _after_the_stop(result, resumed=False)  # the runner ignores it


def test_outside_actions_nothing_is_added(tmp_path):
    repo = infra_repo(tmp_path)
    upgrade(repo)
    result = _run(repo.path, "check", "--base", "main", "--format", "json", actions=False)
    assert result.returncode == 1
    assert "stop-commands" not in result.stderr + result.stdout
