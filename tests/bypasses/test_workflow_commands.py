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


def _run(repo: Path, *args: str, actions: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if actions:
        env["GITHUB_ACTIONS"] = "true"
    return subprocess.run(
        [str(GATE), *args], cwd=repo, env=env, capture_output=True, text=True, check=False
    )


def _between_markers(result: subprocess.CompletedProcess[str]) -> str:
    """stderr between a stop-commands marker that opens it and the resume that closes it."""
    stopped = re.fullmatch(
        r"::stop-commands::(?P<token>[0-9a-f]{32})\n(?P<inside>.*)::(?P=token)::\n",
        result.stderr,
        re.DOTALL,
    )
    assert stopped is not None, result.stderr
    return stopped.group("inside")


def test_a_file_name_in_the_report_is_no_workflow_command_in_actions(tmp_path):
    repo = infra_repo(tmp_path)
    upgrade(repo)
    repo.commit("odd name", (f"{INJECTED}.rb", "x\n"))
    result = _run(repo.path, "check", "--base", "main")
    assert result.returncode == 1, result.stderr
    assert INJECTED in result.stdout  # the report names the file, as it should
    # Everything the gate printed lies between the markers: the stop came first, on the stream
    # the runner reads with stdout, before any output; the resume came last.
    assert _between_markers(result) == ""


def test_an_error_quoting_the_change_is_inside_the_markers(tmp_path):
    repo = infra_repo(tmp_path)
    result = _run(repo.path, "check", "--base", f"{INJECTED}")
    assert result.returncode == 2
    assert "::add-mask::" in _between_markers(result)  # where the runner does not obey it


def test_outside_actions_nothing_is_added(tmp_path):
    repo = infra_repo(tmp_path)
    upgrade(repo)
    result = _run(repo.path, "check", "--base", "main", "--format", "json", actions=False)
    assert result.returncode == 1
    assert "stop-commands" not in result.stderr + result.stdout
