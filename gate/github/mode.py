"""The --github mode: a pull request from the Actions event, back as status, comment and summary."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from gate.depmap.records import Map
from gate.errors import EXIT_PASS, GateError
from gate.github.actions import (
    Actions,
    append_summary,
    outcome_outputs,
    pull_request_number,
    read_environment,
    write_outputs,
)
from gate.github.ask import ask
from gate.github.client import GitHub
from gate.github.connect import clients
from gate.github.payloads import Comment, PullRequest
from gate.github.post import description, post_status, state_of, update_comment
from gate.github.pull import HeadMoved, confirm_head, fetch_commits, fetch_event_pull
from gate.github.refusals import RateLimited
from gate.github.signoffs import gather
from gate.github.teams import team_lookup
from gate.report.records import Report
from gate.signoffs.records import Offer, OfferSource


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    """A pull request's report, and what the comment needs besides: who to ask, what was read."""

    report: Report
    ask: Mapping[str, tuple[str, ...]]  # owner entry (team key or @login) -> people to mention
    stale_signoffs: str
    comments: tuple[Comment, ...]  # the pull request's comments as read for the sign-offs


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
) -> int:
    """Evaluate the event's pull request; post the verdict back to it; exit with the verdict."""
    actions = read_environment(os.environ)
    target = pull_request_number(actions)
    if target is None:
        print(
            f"gate: the {actions.event_name} event is not about a pull request: there is no"
            " change under review, so nothing to check"
        )
        return EXIT_PASS
    number, event_head = target
    github, teams = clients(os.environ)
    pull: PullRequest | None = None
    try:
        pull = fetch_event_pull(github, actions.repository, number, event_head)
        fetch_commits(repo, (pull.base, pull.head), fetch=deepen)
        evaluation = evaluate(
            github,
            teams,
            pull,
            repo=repo,
            map_path=map_path,
            map_file=map_file,
            deepen=deepen,
            signoffs=signoffs,
        )
        report = evaluation.report
        if evidence is not None:
            from gate.evidence import with_evidence

            report = with_evidence(report, repo=repo, path=evidence)
        post_verdict(github, actions, pull, report, evaluation)
    except GateError as error:
        fail(github, actions, pull, error)
        raise
    from gate.output import write_text
    from gate.report.render import render

    write_text(render(report, form), output)
    return report.exit_code


def evaluate(
    github: GitHub,
    teams: GitHub,
    pull: PullRequest,
    *,
    repo: str,
    map_path: str,
    map_file: str | None,
    deepen: bool,
    signoffs: str | None,
) -> Evaluation:
    """The check of the pull request, with the sign-offs its reviews and comments give."""
    from gate.check import Change, check

    gathered = gather(github, pull)
    seen: list[Map] = []

    def from_github(depmap: Map) -> Iterable[Offer]:
        seen.append(depmap)
        return gathered.offers(depmap)

    sources: list[OfferSource] = [from_github]
    change = Change(
        repo=repo,
        base=pull.base,
        head=pull.head,
        map_path=map_path,
        map_file=map_file,
        signoffs=signoffs,
        author=pull.author,
        deepen=deepen,
    )
    report = check(change, offers=sources, lookup=team_lookup(teams))
    return Evaluation(
        report=report,
        ask=ask(seen[0], report, author=pull.author) if seen else {},
        stale_signoffs=seen[0].policy.stale_signoffs if seen else "head",
        comments=gathered.comments,
    )


def post_verdict(
    github: GitHub, actions: Actions, pull: PullRequest, report: Report, evaluation: Evaluation
) -> None:
    """The comment, then the status once the head is confirmed; the job's summary and outputs."""
    from gate.report import comment

    asked, stale = evaluation.ask, evaluation.stale_signoffs
    body = comment.render(report, ask=asked, stale_signoffs=stale)
    comment_url = update_comment(github, pull, body, evaluation.comments)
    confirm_head(github, pull)
    post_status(github, pull, state_of(report), description(report), comment_url)
    summary = comment.render(report, ask=asked, stale_signoffs=stale, marker=False)
    append_summary(actions.summary, summary)
    write_outputs(actions.outputs, outcome_outputs(report))


def fail(github: GitHub, actions: Actions, pull: PullRequest | None, error: GateError) -> None:
    """On an error: the status says the gate could not decide; outputs and summary say why.

    Nothing is posted for a head that moved (its own run decides) or while rate-limited (it
    would only wait again).
    """
    message = str(error)
    notes: list[str] = []
    if pull is not None and not isinstance(error, (HeadMoved, RateLimited)):
        first = message.splitlines()[0] if message else "error"
        try:
            post_status(github, pull, "error", f"could not decide: {first}", None)
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
