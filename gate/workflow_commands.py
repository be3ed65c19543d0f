"""The GitHub Actions log: no workflow command in what the gate prints there."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping


def stop_workflow_commands(environ: Mapping[str, str]) -> str:
    """In GitHub Actions, nothing the gate prints is a workflow command; the line resuming them.

    Paths, versions and messages quoting a change reach the step's log, where a line such as
    `::add-mask::` or `##[set-env ...]` anywhere in it would be obeyed. The markers go to
    stderr, which the runner logs with stdout: a report on stdout may be piped into another
    program, which must get it unchanged. The runner reads the two streams on two threads, so
    a resume on stderr could be read before the end of a report on stdout: when stdout is a
    pipe (the runner's, or another program's), commands stay stopped for the rest of the step.
    https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions#stopping-and-starting-workflow-commands
    """
    if environ.get("GITHUB_ACTIONS") != "true":
        return ""
    import secrets

    token = secrets.token_hex(16)
    try:
        sys.stderr.write(f"::stop-commands::{token}\n")
        sys.stderr.flush()
    except OSError:
        return ""  # no log to protect
    return f"::{token}::\n"


def stdout_is_a_pipe() -> bool:
    import stat

    try:
        return stat.S_ISFIFO(os.fstat(1).st_mode) or stat.S_ISSOCK(os.fstat(1).st_mode)
    except OSError:
        return False  # no stdout: nothing of the report is in the log
