"""The --github mode: a pull request from the Actions event, back as status, comment and summary."""

from __future__ import annotations

import os
import sys

from gate.errors import EXIT_BLOCKED, EXIT_PASS, GateError
from gate.github.actions import (
    MERGE_GROUP,
    Actions,
    append_summary,
    outcome_outputs,
    pull_request_number,
    read_environment,
    write_outputs,
)
from gate.github.connect import clients, status_client
from gate.github.evaluation import Evaluation, Options, evaluate
from gate.github.identity import Identity, Writers, announce
from gate.github.payloads import PullRequest
from gate.github.post import description, post_status, state_of, update_comment
from gate.github.pull import HeadMoved, confirm_head, fetch_commits, fetch_event_pull
from gate.github.siblings import Blocked, blocked_sibling
from gate.report.records import Report


def check_pull_request(
    *,
    repo: str,
    map_path: str,
    map_file: str | None,
    form: str,
    output: str | None,
    evidence: str | None,
    deepen: bool,
    signoffs: str | None,
    advisory: bool = False,
) -> int:
    """Evaluate the event's open pull request; post the verdict back to it; exit with it.

    With `advisory` a blocked pull request exits 0 (errors still exit 2): the status, the
    comment, the summary and the outputs say what they would say otherwise, and the comment
    says it is advisory. For a rollout before the status is made required.

    A run that cannot decide (any error or crash) replaces the gate's verdict on a head that
    is still current with `error`, so no earlier `success` stands for it.
    """
    actions = read_environment(os.environ)
    if actions.event_name == MERGE_GROUP:
        from gate.github.merge_queue import check_merge_group

        return check_merge_group(actions, repo=repo, deepen=deepen, advisory=advisory)
    target = pull_request_number(actions)
    if target is None:
        print(
            f"gate: the {actions.event_name} event is not about a pull request: there is no"
            " change under review, so nothing to check"
        )
        return EXIT_PASS
    number, event_head = target
    github, teams = clients(os.environ)
    writers = Writers(github=github, statuses=status_client(os.environ, github))
    options = Options(
        repo=repo, map_path=map_path, map_file=map_file, deepen=deepen, signoffs=signoffs
    )
    pull: PullRequest | None = None
    try:
        pull = fetch_event_pull(github, actions.repository, number, event_head)
        if pull.state != "open":
            print(
                f"gate: pull request #{number} is {pull.state}, not open: only open pull"
                " requests are checked, so nothing was posted"
            )
            return EXIT_PASS
        identity = announce(writers, pull)
        fetch_commits(repo, (pull.base, pull.head), fetch=deepen)
        evaluation = evaluate(github, teams, pull, options, vouches=identity.vouches)
        report = evaluation.report
        if evidence is not None:
            from gate.evidence import with_evidence

            report = with_evidence(report, repo=repo, path=evidence)
        passed = report.verdict == "pass"
        blocked = (
            blocked_sibling(github, teams, pull, options, vouches=identity.vouches)
            if passed
            else None
        )
        post_verdict(
            writers, actions, pull, report, evaluation, identity, blocked, advisory=advisory
        )
        if passed and blocked is None:
            # Another pull request with this head, given it or revoked while this run
            # evaluated, may have had its own run post `failure` before this `success`: the
            # pull requests with the head are checked again, reading what is now on GitHub.
            blocked = blocked_sibling(github, teams, pull, options, vouches=identity.vouches)
            if blocked is not None:
                post_blocked(writers, actions, pull, blocked)
    except HeadMoved as error:
        fail(writers, actions, None, str(error))  # the new head's own run decides
        raise
    except GateError as error:
        fail(writers, actions, pull, str(error))
        raise
    except Exception as error:
        fail(writers, actions, pull, f"the gate crashed ({type(error).__name__})")
        raise
    from gate.output import write_text
    from gate.report.render import render

    write_text(render(report, form), output)
    code = report.exit_code
    if blocked is not None:
        sys.stderr.write(f"gate: {sibling_line(blocked)}\n")
        code = EXIT_BLOCKED
    if advisory and code == EXIT_BLOCKED:
        sys.stderr.write("gate: advisory: the pull request is blocked; the job passes anyway\n")
        return EXIT_PASS
    return code


def post_verdict(
    writers: Writers,
    actions: Actions,
    pull: PullRequest,
    report: Report,
    evaluation: Evaluation,
    identity: Identity,
    blocked: Blocked | None,
    *,
    advisory: bool = False,
) -> None:
    """The comment, the job's summary and outputs; last, once the head is confirmed, the status.

    `success` is the last write of a run, so nothing that fails after it can leave it standing
    for a run that did not finish.
    """
    from gate.report import comment

    asked, stale = evaluation.ask, evaluation.stale_signoffs
    body = comment.render(report, ask=asked, stale_signoffs=stale, advisory=advisory)
    comment_url = update_comment(
        writers.github, pull, body, evaluation.comments, mine=identity.wrote
    )
    summary = comment.render(
        report, ask=asked, stale_signoffs=stale, marker=False, advisory=advisory
    )
    outputs = outcome_outputs(report)
    state, line = state_of(report), description(report)
    if blocked is not None:
        state, line = "failure", sibling_line(blocked)
        summary += f"\n\n**Blocked:** {line}"
        outputs["verdict"] = "blocked"
    append_summary(actions.summary, summary)
    write_outputs(actions.outputs, outputs)
    confirm_head(writers.github, pull)
    post_status(writers.statuses, pull, state, line, comment_url)


def post_blocked(writers: Writers, actions: Actions, pull: PullRequest, blocked: Blocked) -> None:
    """After `success`: another pull request with the head is blocked, so the head is too."""
    line = sibling_line(blocked)
    append_summary(actions.summary, f"**Blocked:** {line}")
    write_outputs(actions.outputs, {"verdict": "blocked"})  # the last value of a name counts
    post_status(writers.statuses, pull, "failure", line, None)


def sibling_line(blocked: Blocked) -> str:
    return (
        f"pull request #{blocked.number} has the same head commit and is blocked:"
        f" {description(blocked.report)}"
    )


def fail(writers: Writers, actions: Actions, pull: PullRequest | None, message: str) -> None:
    """On an error: the status says the gate could not decide; outputs and summary say why.

    The `error` status goes on the head with the main token, and with the status token too
    when there is one (its `success` is the one branch rules may require), unless the head
    moved (pull None: the new head's own run decides).
    """
    notes: list[str] = []
    if pull is not None:
        first = message.splitlines()[0] if message else "error"
        for client in writers.status_clients():
            try:
                post_status(client, pull, "error", f"could not decide: {first}", None)
            except GateError as again:
                notes.append(f"posting the error status failed too: {again}")
    try:
        write_outputs(actions.outputs, {"verdict": "error", "affected": "[]", "pending": "[]"})
        from gate.report.markdown_text import fence

        append_summary(
            actions.summary, f"### ⚠️ change-impact-gate could not decide\n\n{fence(message)}"
        )
    except GateError as again:
        notes.append(str(again))
    for note in notes:
        sys.stderr.write(f"gate: {note}\n")
