"""The GitHub Actions environment: the event, and the outputs and job summary written back."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gate.errors import GateError
from gate.github.payloads import IssueCommentEvent, PullRequestEvent
from gate.report.records import Report

PULL_EVENTS = ("pull_request", "pull_request_target", "pull_request_review")
MERGE_GROUP = "merge_group"  # judged by merge_queue.py, for the pull request its ref names


@dataclass(frozen=True, kw_only=True)
class Actions:
    """The GitHub Actions environment the --github mode runs in."""

    event_name: str
    event: Mapping[str, Any]
    repository: str  # owner/name
    summary: str  # GITHUB_STEP_SUMMARY
    outputs: str  # GITHUB_OUTPUT
    pull_request: str | None = None  # GATE_PULL_REQUEST, read on workflow_run only


def read_environment(environ: Mapping[str, str]) -> Actions:
    """The Actions variables the mode needs; a missing one is an error that names it."""
    names = (
        "GITHUB_EVENT_NAME",
        "GITHUB_EVENT_PATH",
        "GITHUB_REPOSITORY",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_OUTPUT",
    )
    missing = [name for name in names if not environ.get(name)]
    if missing:
        raise GateError(
            f"--github runs inside GitHub Actions, which sets {', '.join(missing)}; it is not set"
            " here. Outside Actions, run `gate check --base REF --head REF` instead"
        )
    path = environ["GITHUB_EVENT_PATH"]
    from gate.files import read_limited

    data = read_limited(path, "GITHUB_EVENT_PATH file")
    try:
        event = json.loads(data)
    except (ValueError, RecursionError):
        raise GateError(f"GITHUB_EVENT_PATH {path} is not a JSON event payload") from None
    if not isinstance(event, dict):
        raise GateError(f"GITHUB_EVENT_PATH {path} is not a JSON object")
    repository = environ["GITHUB_REPOSITORY"]
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repository):
        raise GateError(f"GITHUB_REPOSITORY {repository!r} is not OWNER/NAME")
    return Actions(
        event_name=environ["GITHUB_EVENT_NAME"],
        event=event,
        repository=repository,
        summary=environ["GITHUB_STEP_SUMMARY"],
        outputs=environ["GITHUB_OUTPUT"],
        pull_request=environ.get("GATE_PULL_REQUEST"),
    )


def pull_request_number(actions: Actions) -> tuple[int, str | None] | None:
    """The pull request's number, and the head the event names (None: read it from the API).

    None when the event is a comment on a plain issue. A comment event is never skipped for
    its text: a comment that looks like the gate's own (its marker) may be anyone's, and a
    skipped run could only leave an older verdict standing. On `workflow_run` (the privileged
    follow-up of a read-only review workflow, for pull requests from forks) the number is
    GATE_PULL_REQUEST (the action's `pull-request` input), and the head is read from the API,
    never from the event or an artifact.
    """
    if actions.event_name in PULL_EVENTS:
        pull = PullRequestEvent.from_dict(actions.event)
        return pull.number, pull.head
    if actions.event_name == "issue_comment":
        comment = IssueCommentEvent.from_dict(actions.event)
        return None if comment.number is None else (comment.number, None)
    if actions.event_name == "workflow_run":
        return workflow_run_number(actions.pull_request), None
    if actions.event_name == MERGE_GROUP:
        raise GateError(
            "a merge_group event names no pull request to evaluate, only one to vouch for"
        )
    raise GateError(
        f"--github does not handle the {actions.event_name!r} event; run it on pull_request or"
        " pull_request_target, pull_request_review, issue_comment, workflow_run and"
        " merge_group"
    )


def workflow_run_number(value: str | None) -> int:
    """GATE_PULL_REQUEST: a positive decimal number, nothing else."""
    if not value:
        raise GateError(
            "on workflow_run the gate checks the pull request GATE_PULL_REQUEST names (the"
            " action's `pull-request` input), and it is not set: pass the number the reviewing"
            " workflow recorded, e.g. `pull-request: ${{ steps.read.outputs.number }}`"
        )
    if re.fullmatch(r"[0-9]{1,18}", value) is None or int(value) == 0:
        raise GateError(
            f"GATE_PULL_REQUEST={value!r} is not a pull request number (a positive decimal integer)"
        )
    return int(value)


def outcome_outputs(report: Report) -> dict[str, str]:
    return {
        "verdict": report.verdict,
        "affected": json.dumps([r.id for r in report.systems]),
        "pending": json.dumps(list(report.pending)),
    }


def write_outputs(path: str, values: Mapping[str, str]) -> None:
    """Step outputs in GITHUB_OUTPUT's multi-line form, name<<DELIMITER ... DELIMITER."""
    text = ""
    for name, value in values.items():
        delimiter = f"ghadelimiter_{uuid.uuid4()}"
        text += f"{name}<<{delimiter}\n{value}\n{delimiter}\n"
    _append(path, text, "GITHUB_OUTPUT")


def append_summary(path: str, markdown: str) -> None:
    _append(path, markdown + "\n", "GITHUB_STEP_SUMMARY")


def _append(path: str, text: str, name: str) -> None:
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise GateError(f"cannot write {name} {path}: {error.strerror}") from None
