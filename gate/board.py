"""The change review board's agenda: every open pull request, evaluated, riskiest first."""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from gate.errors import EXIT_ERROR, EXIT_PASS, GateError
from gate.github.client import GitHub
from gate.github.connect import clients
from gate.github.evaluation import Options
from gate.github.evaluation import evaluate as evaluate_pull
from gate.github.payloads import ListedPull, PayloadError, PullRequest
from gate.github.signoffs import created_by
from gate.report.agenda import Agenda, Item, major_bumps, render_html, render_markdown

_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
SIGNOFFS_COUNTED = (
    "Sign-offs counted here are the ones the gate on the pull request counts: each owner's"
    " latest approving review, and /signoff comments posted after the gate's first status on"
    " the current head."
)


def board(
    *,
    github_repo: str,
    repo: str,
    map_path: str,
    map_file: str | None,
    html: str | None,
    markdown: str | None,
    gate_identity: str,
    now: datetime | None = None,
) -> int:
    """List the open pull requests, evaluate each, write the agenda; 2 if any could not be."""
    from gate.output import write_text

    if not _REPOSITORY.fullmatch(github_repo):
        raise GateError(f"--github-repo {github_repo!r} is not OWNER/NAME")
    if not os.path.isdir(repo):
        raise GateError(f"--git {repo} is not a directory; pass a local clone of {github_repo}")
    github, teams = clients(os.environ)  # as for the gate on a pull request
    try:
        pulls = github.paginate(f"/repos/{github_repo}/pulls", {"state": "open"})
        items = [
            evaluate(
                pull,
                github=github,
                teams=teams,
                github_repo=github_repo,
                options=Options(
                    repo=repo, map_path=map_path, map_file=map_file, deepen=False, signoffs=None
                ),
                gate_identity=gate_identity,
            )
            for pull in pulls
        ]
    finally:
        github.close()
        teams.close()
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    agenda = Agenda(
        repository=github_repo,
        generated_at=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        items=ordered(items),
        notes=(SIGNOFFS_COUNTED,),
    )
    if html is not None:
        write_text(render_html(agenda), html)
    if markdown is not None or html is None:
        write_text(render_markdown(agenda), markdown)
    failed = [item for item in agenda.items if item.error is not None]
    for item in failed:
        sys.stderr.write(f"gate: error: pull request #{item.number}: {item.error}\n")
    return EXIT_ERROR if failed else EXIT_PASS


def evaluate(
    listed: object,
    *,
    github: GitHub,
    teams: GitHub,
    github_repo: str,
    options: Options,
    gate_identity: str,
) -> Item:
    """One pull request of the listing through the check, as the gate on it would evaluate it
    (only posting nothing); a failure is kept on the item."""
    from gate.git import refs

    item = _item(listed)
    if item.error is not None:
        return item
    try:
        for role, sha in (("base", item.base), ("head", item.head)):
            if not refs.is_commit(options.repo, sha):
                # A command to paste into a shell: the branch name is the pull request's.
                branch = (
                    f" {shlex.quote(item.base_ref)}" if role == "base" and item.base_ref else ""
                )
                raise GateError(
                    f"its {role} commit {sha} is not in the local clone {options.repo}; fetch it"
                    f" first: git -C {shlex.quote(options.repo)} fetch origin"
                    f" pull/{item.number}/head{branch}"
                )
        pull = _pull(item, github_repo)
        vouches = created_by(gate_identity)
        report = evaluate_pull(github, teams, pull, options, vouches=vouches).report
        return replace(item, report=report)
    except GateError as error:
        return replace(item, error=str(error))


def _item(listed: object) -> Item:
    """The agenda's item for a pull request as the listing sent it; an error if incomplete."""
    try:
        pull = ListedPull.from_dict(listed)
    except PayloadError as error:
        return Item(number=0, title="", url="", author="", base="", head="", error=str(error))
    web = pull.html_url.startswith(("https://", "http://"))  # never a javascript: link
    return Item(
        number=pull.number,
        title=pull.title,
        url=pull.html_url if web else "",
        author=pull.author,
        base=pull.base,
        head=pull.head,
        base_ref=pull.base_ref,
        draft=pull.draft,
        error=(
            "GitHub's answer is incomplete: " + "; ".join(pull.problems) if pull.problems else None
        ),
    )


def _pull(item: Item, github_repo: str) -> PullRequest:
    return PullRequest(
        repository=github_repo,
        number=item.number,
        head=item.head,
        base=item.base,
        author=item.author,
        html_url=item.url,
        state="open",
    )


def risk(item: Item) -> tuple[int, ...]:
    """The sort key: could-not-evaluate first, then violations, impact, major bumps, pending."""
    report = item.report
    if report is None:
        return (0, 0, 0, 0, 0, item.number)
    return (
        1,
        -sum(len(s.violations) for s in report.systems),
        -sum(1 for s in report.systems if s.affected == "impacted"),
        -len(major_bumps(report)),
        -len(report.pending),
        item.number,
    )


def ordered(items: Sequence[Item]) -> tuple[Item, ...]:
    return tuple(sorted(items, key=risk))
