"""The --github mode: a pull request from the Actions event, back as status, comment and summary."""

from __future__ import annotations

import datetime
import json
import os
import re
import sys
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gate.errors import EXIT_PASS, GateError
from gate.github import GitHub, RateLimited
from gate.report import Report
from gate.reviews import (
    comment_offers,
    is_bot,
    parse_time,
    review_offers,
    team_lookup,
    text_of,
)
from gate.signoffs import Offer

CONTEXT = "change-impact-gate"
PULL_EVENTS = ("pull_request", "pull_request_target", "pull_request_review")
# Issue events after which the pull request's head may be a commit it was at before, so the
# gate's earlier statuses no longer show the head has been current since then.
HEAD_RESETS = frozenset(
    {"head_ref_force_pushed", "head_ref_deleted", "head_ref_restored", "reopened"}
)
# The review states that decide; COMMENTED and PENDING leave a reviewer's standing as it was.
MAX_DESCRIPTION = 140  # GitHub's limit for a commit status description


class HeadMoved(GateError):
    """The pull request's head is no longer the commit this run evaluated."""


@dataclass(frozen=True, kw_only=True)
class Actions:
    """The GitHub Actions environment the --github mode runs in."""

    event_name: str
    event: Mapping[str, Any]
    repository: str  # owner/name
    summary: str  # GITHUB_STEP_SUMMARY
    outputs: str  # GITHUB_OUTPUT


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    """A pull request's report, and what the comment needs besides: who to ask, what was read."""

    report: Report
    ask: Mapping[str, tuple[str, ...]]  # owner entry (team key or @login) -> people to mention
    stale_signoffs: str
    comments: list[Any]  # the pull request's comments as read for the sign-offs


@dataclass(frozen=True, kw_only=True)
class PullRequest:
    repository: str
    number: int
    head: str
    base: str
    author: str
    html_url: str
    state: str


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
    github = client(os.environ)
    teams = (
        client(os.environ, token_variable="GATE_TEAMS_TOKEN")
        if os.environ.get("GATE_TEAMS_TOKEN")
        else github
    )
    pull: PullRequest | None = None
    try:
        pull = fetch_pull(github, actions.repository, number)
        if event_head is not None and pull.head != event_head:
            raise HeadMoved(
                f"this run was started for {event_head[:12]}, but pull request #{number} is now at"
                f" {pull.head[:12]}: the push that moved it starts its own run, which decides;"
                " nothing was posted for the old commit"
            )
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
        from gate.report import comment

        ask, stale = evaluation.ask, evaluation.stale_signoffs
        body = comment.render(report, ask=ask, stale_signoffs=stale)
        comment_url = update_comment(github, pull, body, evaluation.comments)
        confirm_head(github, pull)
        post_status(github, pull, state_of(report), description(report), comment_url)
        summary = comment.render(report, ask=ask, stale_signoffs=stale, marker=False)
        append_summary(actions.summary, summary)
        write_outputs(actions.outputs, outcome_outputs(report))
    except GateError as error:
        fail(github, actions, pull, error)
        raise
    from gate.output import write_text
    from gate.report import render

    write_text(render(report, form), output)
    return report.exit_code


# -- the environment and the event ------------------------------------------------------------


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
    event = actions.event
    if actions.event_name in PULL_EVENTS:
        pull = _field(event, "pull_request", dict)
        return _field(pull, "number", int, "pull_request."), _sha(pull, "head.sha", "pull_request.")
    if actions.event_name == "issue_comment":
        issue = _field(event, "issue", dict)
        if not issue.get("pull_request"):
            return None
        body = (event.get("comment") or {}).get("body") or ""
        if isinstance(body, str) and body.startswith(_marker()):
            return None  # editing our own comment triggered this: nothing new to read
        return _field(issue, "number", int, "issue."), None
    raise GateError(
        f"--github does not handle the {actions.event_name!r} event; run it on pull_request or"
        " pull_request_target, pull_request_review and issue_comment"
    )


def client(environ: Mapping[str, str], *, token_variable: str = "GITHUB_TOKEN") -> GitHub:
    """The REST client, with the bounds GATE_GITHUB_* may set (retries, waits, timeout)."""
    options: dict[str, Any] = {}
    for name, key, kind in (
        ("GATE_GITHUB_TIMEOUT", "timeout", float),
        ("GATE_GITHUB_RETRIES", "retries", int),
        ("GATE_GITHUB_BACKOFF", "backoff", float),
        ("GATE_GITHUB_MAX_WAIT", "max_wait", float),
    ):
        value = environ.get(name)
        if value:
            try:
                options[key] = kind(value)
            except ValueError:
                raise GateError(f"{name}={value!r} is not a number") from None
            if options[key] < 0:
                raise GateError(f"{name}={value!r} must not be negative")
    return GitHub.from_environment(environ, token_variable=token_variable, **options)


def fetch_pull(github: GitHub, repository: str, number: int) -> PullRequest:
    data = github.get(f"/repos/{repository}/pulls/{number}")
    where = f"pull request #{number}: "
    if not isinstance(data, dict):
        raise GateError(f"{where}GitHub's answer is not a pull request object")
    user = _field(data, "user", dict, where)
    return PullRequest(
        repository=repository,
        number=number,
        head=_sha(data, "head.sha", where),
        base=_sha(data, "base.sha", where),
        author=_field(user, "login", str, where + "user."),
        html_url=_field(data, "html_url", str, where),
        state=_field(data, "state", str, where),
    )


def confirm_head(github: GitHub, pull: PullRequest) -> None:
    """Re-read the pull request: a verdict is posted only for the head it is about."""
    now = fetch_pull(github, pull.repository, pull.number)
    if now.head != pull.head:
        raise HeadMoved(
            f"pull request #{pull.number} moved from {pull.head[:12]} to {now.head[:12]} while"
            " this run evaluated it: its verdict is for an old commit, so no status was posted;"
            " the push starts its own run, which decides"
        )


# -- evaluating -------------------------------------------------------------------------------


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
    from gate.check import Change, Context, OfferSource, check

    fetch_commits(repo, (pull.base, pull.head), fetch=deepen)
    since = head_since(github, pull)
    reviews = github.paginate(f"/repos/{pull.repository}/pulls/{pull.number}/reviews")
    comments = github.paginate(f"/repos/{pull.repository}/issues/{pull.number}/comments")
    seen: list[Context] = []

    def from_github(context: Context) -> Iterable[Offer]:
        seen.append(context)
        return [*review_offers(reviews), *comment_offers(comments, head=pull.head, since=since)]

    sources: list[OfferSource] = [from_github]
    if signoffs is not None:
        from gate.ledger import ledger_source

        sources.append(ledger_source(signoffs))
    change = Change(
        repo=repo,
        base=pull.base,
        head=pull.head,
        map_path=map_path,
        map_file=map_file,
        author=pull.author,
        deepen=deepen,
    )
    report = check(change, offers=sources, lookup=team_lookup(teams))
    ask: dict[str, tuple[str, ...]] = {}
    stale = "head"
    if seen:
        depmap = seen[0].depmap
        stale = depmap.policy.stale_signoffs
        for key, team in depmap.teams.items():
            people = [f"@{login}" for login in sorted(team.members) if login != pull.author.lower()]
            if team.github_team is not None:
                people.append(f"@{team.github_team}")
            ask[key] = tuple(people)
        for result in report.systems:
            for owner in result.owners:
                if owner.startswith("@") and owner[1:].lower() != pull.author.lower():
                    ask[owner] = (owner,)
    return Evaluation(report=report, ask=ask, stale_signoffs=stale, comments=comments)


def fetch_commits(repo: str, commits: Sequence[str], *, fetch: bool) -> None:
    """Make sure base and head are in the repository, fetching them from origin with --deepen.

    actions/checkout leaves a shallow clone of one commit; the pull request's commits are
    fetched by id (GitHub serves any commit reachable from its refs, forks' pull heads too),
    and git.merge_base then deepens until base and head meet.
    """
    from gate import git

    missing = [commit for commit in commits if not git.is_commit(repo, commit)]
    if not missing:
        return
    if not fetch:
        raise GateError(
            f"the pull request's commit(s) {', '.join(c[:12] for c in missing)} are not in {repo};"
            " pass --deepen to fetch them from origin, or fetch them before running the gate"
        )
    git.fetch_commits(repo, missing)


def head_since(
    github: GitHub, pull: PullRequest, *, witness: bool = True
) -> datetime.datetime | None:
    """Since when the head has been the pull request's head, as far as GitHub can vouch.

    A `/signoff` comment must count for the head that was current when it was posted, never a
    later push, yet GitHub records no push times for pull requests (the timeline's commits
    carry the author's own, forgeable dates). What it does record: the time of each commit
    status, and an issue event for every push that is not a fast-forward (force push, branch
    deleted or restored, reopening). So each run posts this gate's status on the head it has
    just read from the pull request, with the pull request as its target; the earliest such
    status on the head after the last of those events shows the head has been current since
    then: a fast-forward away from it could only come back by a force push. Comments posted
    earlier count for no commit (fail closed: the owner is asked to sign off again).
    Only accounts with write access can post statuses; they are trusted not to forge this one.
    With witness=False (a reader such as the board's agenda) nothing is posted: without an
    earlier status on the head, no comment counts.
    """
    events = github.paginate(f"/repos/{pull.repository}/issues/{pull.number}/events")
    resets = [parse_time(e.get("created_at")) for e in events if e.get("event") in HEAD_RESETS]
    reset = max((t for t in resets if t is not None), default=None)
    statuses = github.paginate(f"/repos/{pull.repository}/commits/{pull.head}/statuses")
    seen = [
        parse_time(status.get("created_at"))
        for status in statuses
        if status.get("context") == CONTEXT and _for_pull(status.get("target_url"), pull)
    ]
    valid = [t for t in seen if t is not None and (reset is None or t >= reset)]
    if valid:
        return min(valid)
    if not witness:
        return None
    posted = post_status(github, pull, "pending", f"evaluating {pull.head[:7]}", pull.html_url)
    return parse_time(posted.get("created_at")) if isinstance(posted, dict) else None


def _for_pull(target_url: object, pull: PullRequest) -> bool:
    return isinstance(target_url, str) and (
        target_url == pull.html_url or target_url.startswith(pull.html_url + "#")
    )


# -- writing back -----------------------------------------------------------------------------


def update_comment(
    github: GitHub, pull: PullRequest, body: str, comments: Iterable[Mapping[str, Any]]
) -> str | None:
    """Edit the gate's one comment (found by its marker) in place, or create it; its URL."""
    mine = [
        c
        for c in comments
        if isinstance(c.get("body"), str)
        and c["body"].startswith(_marker())
        and is_bot(c.get("user"))
    ]
    if mine:
        found = mine[0]
        if found["body"] != body:
            github.patch(f"/repos/{pull.repository}/issues/comments/{found['id']}", {"body": body})
        return text_of(found.get("html_url"))
    created = github.post(f"/repos/{pull.repository}/issues/{pull.number}/comments", {"body": body})
    return text_of(created.get("html_url")) if isinstance(created, dict) else None


def post_status(
    github: GitHub, pull: PullRequest, state: str, description: str, target_url: str | None
) -> Any:
    target = target_url if target_url and _for_pull(target_url, pull) else pull.html_url
    if len(description) > MAX_DESCRIPTION:
        description = description[: MAX_DESCRIPTION - 1] + "…"
    return github.post(
        f"/repos/{pull.repository}/statuses/{pull.head}",
        {"state": state, "context": CONTEXT, "description": description, "target_url": target},
        idempotent=True,
    )


def state_of(report: Report) -> str:
    return "success" if report.verdict == "pass" else "failure"


def description(report: Report) -> str:
    """The status line: who is still to sign off, or that it passed."""
    if report.verdict == "pass":
        count = sum(1 for r in report.systems if r.signoff.required)
        return (
            f"{count} affected system(s) signed off"
            if count
            else "no affected system needs sign-off"
        )
    waiting: dict[str, None] = {}
    for result in report.systems:
        if not result.signoff.satisfied:
            waiting.update(dict.fromkeys(result.signoff.waiting_for or result.owners))
    parts = []
    if waiting:
        parts.append("waiting for " + ", ".join(waiting))
    violations = sum(len(r.violations) for r in report.systems)
    if violations:
        parts.append(f"{violations} version requirement(s) violated")
    if report.unmapped and report.unmapped_policy == "fail":
        parts.append(f"{len(report.unmapped)} unmapped file(s)")
    return "; ".join(parts) or "blocked"


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
        append_summary(
            actions.summary, f"### ⚠️ change-impact-gate could not decide\n\n```\n{message}\n```\n"
        )
    except GateError as again:
        notes.append(str(again))
    for note in notes:
        sys.stderr.write(f"gate: {note}\n")


# -- reading payloads -----------------------------------------------------------------------------


def _field(data: Mapping[str, Any], key: str, kind: type, where: str = "") -> Any:
    value = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise GateError(
            f"the event or API payload lacks '{where}{key}' ({kind.__name__}); is this a"
            " pull request event from GitHub?"
        )
    return value


def _sha(data: Mapping[str, Any], dotted: str, where: str) -> str:
    value: Any = data
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", value):
        raise GateError(f"the payload's '{where}{dotted}' is not a commit id: {value!r}")
    return value


def _marker() -> str:
    from gate.report.comment import MARKER

    return MARKER
