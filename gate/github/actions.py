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
from gate.github.post import comment_marker
from gate.report.records import Report

PULL_EVENTS = ("pull_request", "pull_request_target", "pull_request_review")


@dataclass(frozen=True, kw_only=True)
class Actions:
    """The GitHub Actions environment the --github mode runs in."""

    event_name: str
    event: Mapping[str, Any]
    repository: str  # owner/name
    summary: str  # GITHUB_STEP_SUMMARY
    outputs: str  # GITHUB_OUTPUT


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
    try:
        with open(path, "rb") as handle:
            event = json.load(handle)
    except OSError as error:
        raise GateError(f"cannot read GITHUB_EVENT_PATH {path}: {error.strerror}") from None
    except ValueError:
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
    )


def pull_request_number(actions: Actions) -> tuple[int, str | None] | None:
    """The pull request's number, and the head the event names (None: read it from the API).

    None when the event is a comment on a plain issue, or the gate's own comment.
    """
    if actions.event_name in PULL_EVENTS:
        pull = PullRequestEvent.from_dict(actions.event)
        return pull.number, pull.head
    if actions.event_name == "issue_comment":
        comment = IssueCommentEvent.from_dict(actions.event)
        if comment.number is None:
            return None
        if comment.body.startswith(comment_marker()):
            return None  # editing our own comment triggered this: nothing new to read
        return comment.number, None
    raise GateError(
        f"--github does not handle the {actions.event_name!r} event; run it on pull_request or"
        " pull_request_target, pull_request_review and issue_comment"
    )


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
