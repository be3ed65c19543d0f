"""Bypass class: the workspace is the pull request's, and the action ran Python inside it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
ACTION = ROOT / "action.yml"


def _install_step() -> dict[str, Any]:
    action = yaml.safe_load(ACTION.read_text())
    steps: list[dict[str, Any]] = action["runs"]["steps"]
    return next(step for step in steps if step.get("name") == "Install change-impact-gate")


def test_a_pull_request_adding_venv_or_pip_packages_runs_none_of_them(tmp_path):
    # On pull_request and pull_request_review the checkout is the pull request's merge commit.
    # A change that adds `venv/__main__.py` or `pip/__main__.py` at the top of the repository
    # would run in the job (with its token) if the action ran `python -m venv` or `-m pip`
    # with the workspace as the current directory.
    workspace = tmp_path / "workspace"
    marker = tmp_path / "ran"
    for package in ("venv", "pip", "ensurepip"):
        (workspace / package).mkdir(parents=True)
        (workspace / package / "__main__.py").write_text(
            f"open({str(marker)!r}, 'a').write({package!r})\n"
        )
        (workspace / package / "__init__.py").write_text("")
    # Nothing to install (an empty action directory, no index): the step fails at pip, after
    # both Python commands ran, which is what is under test.
    action_path = tmp_path / "action"
    action_path.mkdir()
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    script = tmp_path / "install.sh"
    script.write_text(_install_step()["run"])
    environment = {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
        "HOME": str(tmp_path),
        "GATE_INSTALL": "true",
        "GITHUB_ACTION_PATH": str(action_path),
        "GITHUB_PATH": str(tmp_path / "github_path"),
        "RUNNER_TEMP": str(runner_temp),
        "PIP_NO_INDEX": "1",
        "PYTHONPATH": str(workspace),  # a variable an earlier step could have set: ignored too
    }
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=workspace,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert (runner_temp / "change-impact-gate" / "bin" / "python").exists(), done.stderr
    assert done.returncode != 0  # pip found nothing to install: it did run, from the venv
    assert not marker.exists(), marker.read_text()
