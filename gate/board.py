"""The change review board's agenda: every open pull request, evaluated, riskiest first."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING, Any

from gate.errors import EXIT_ERROR, EXIT_PASS, GateError
from gate.report import Report, headline, version_phrase, violation_sentence

if TYPE_CHECKING:
    from gate.check import Context
    from gate.github import GitHub
    from gate.owners import TeamLookup
    from gate.pullrequest import PullRequest
    from gate.signoffs import Offer

_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
SIGNOFFS_COUNTED = (
    "Sign-offs counted here are the ones the gate on the pull request counts: each owner's"
    " latest approving review, and /signoff comments posted after the gate's first status on"
    " the current head."
)


@dataclass(frozen=True, kw_only=True)
class Item:
    """One open pull request and what its evaluation found (or why there is none)."""

    number: int
    title: str
    url: str
    author: str
    base: str
    head: str
    base_ref: str = ""
    draft: bool = False
    report: Report | None = None
    error: str | None = None


@dataclass(frozen=True, kw_only=True)
class Agenda:
    repository: str
    generated_at: str  # ISO 8601, UTC
    items: tuple[Item, ...]  # riskiest first
    notes: tuple[str, ...] = ()


def board(
    *,
    github_repo: str,
    repo: str,
    map_path: str,
    map_file: str | None,
    html: str | None,
    markdown: str | None,
    now: datetime | None = None,
) -> int:
    """List the open pull requests, evaluate each, write the agenda; 2 if any could not be."""
    from gate.output import write_text
    from gate.pullrequest import client
    from gate.reviews import team_lookup

    if not _REPOSITORY.fullmatch(github_repo):
        raise GateError(f"--github-repo {github_repo!r} is not OWNER/NAME")
    if not os.path.isdir(repo):
        raise GateError(f"--git {repo} is not a directory; pass a local clone of {github_repo}")
    github = client(os.environ)
    # As for the gate on a pull request: a separate token may read the organisation's teams.
    teams = (
        client(os.environ, token_variable="GATE_TEAMS_TOKEN")
        if os.environ.get("GATE_TEAMS_TOKEN")
        else github
    )
    lookup = team_lookup(teams)
    try:
        pulls = github.paginate(f"/repos/{github_repo}/pulls", {"state": "open"})
        items = [
            evaluate(
                pull,
                github=github,
                github_repo=github_repo,
                lookup=lookup,
                repo=repo,
                map_path=map_path,
                map_file=map_file,
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
    pull: Any,
    *,
    github: GitHub,
    github_repo: str,
    lookup: TeamLookup | None,
    repo: str,
    map_path: str,
    map_file: str | None,
) -> Item:
    """One pull request through the check; a failure is kept on the item, never dropped."""
    from gate import git
    from gate.check import Change, check
    from gate.pullrequest import head_since
    from gate.reviews import comment_offers, review_offers

    item = _item(pull)
    if item.error is not None:
        return item
    try:
        for role, sha in (("base", item.base), ("head", item.head)):
            if not git.is_commit(repo, sha):
                branch = f" {item.base_ref}" if role == "base" and item.base_ref else ""
                raise GateError(
                    f"its {role} commit {sha} is not in the local clone {repo}; fetch it first:"
                    f" git -C {repo} fetch origin pull/{item.number}/head{branch}"
                )
        reviews = github.paginate(f"/repos/{github_repo}/pulls/{item.number}/reviews")
        comments = github.paginate(f"/repos/{github_repo}/issues/{item.number}/comments")
        since = head_since(github, _pull(item, github_repo), witness=False)

        def from_github(context: Context) -> Iterable[Offer]:
            return [
                *review_offers(reviews),
                *comment_offers(comments, head=item.head, since=since),
            ]

        change = Change(
            repo=repo,
            base=item.base,
            head=item.head,
            map_path=map_path,
            map_file=map_file,
            author=item.author,
        )
        return _replace(item, report=check(change, offers=[from_github], lookup=lookup))
    except GateError as error:
        return _replace(item, error=str(error))


def _pull(item: Item, github_repo: str) -> PullRequest:
    from gate.pullrequest import PullRequest

    return PullRequest(
        repository=github_repo,
        number=item.number,
        head=item.head,
        base=item.base,
        author=item.author,
        html_url=item.url,
        state="open",
    )


def _item(pull: Any) -> Item:
    """The fields the agenda needs from a pull request as the API sent it, checked."""
    number = pull.get("number") if isinstance(pull, Mapping) else None
    if not isinstance(number, int) or isinstance(number, bool):
        return Item(
            number=0,
            title="",
            url="",
            author="",
            base="",
            head="",
            error="GitHub listed a pull request without a number",
        )
    problems: list[str] = []

    def text(*keys: str, required: bool = True) -> str:
        value: Any = pull
        for key in keys:
            value = value.get(key) if isinstance(value, Mapping) else None
        if not isinstance(value, str):
            if required:
                problems.append(f"'{'.'.join(keys)}' is missing")
            return ""
        return value

    item = Item(
        number=number,
        title=text("title"),
        url=text("html_url"),
        author=text("user", "login"),
        base=text("base", "sha"),
        head=text("head", "sha"),
        base_ref=text("base", "ref", required=False),
        draft=pull.get("draft") is True,
    )
    if not item.url.startswith(("https://", "http://")):
        item = _replace(item, url="")  # a link only to the web, never a javascript: one
    for role in ("base", "head"):
        sha = getattr(item, role)
        if sha and not _SHA.fullmatch(sha):
            problems.append(f"'{role}.sha' is {sha!r}, not a commit id")
    if problems:
        return _replace(item, error="GitHub's answer is incomplete: " + "; ".join(problems))
    return item


def _replace(item: Item, **fields: Any) -> Item:
    import dataclasses

    return dataclasses.replace(item, **fields)


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


def major_bumps(report: Report) -> list[str]:
    return [
        f"{s.id} {version_phrase(s.version)}"
        for s in report.systems
        if s.version is not None and s.version.bump == "major"
    ]


def pending_owners(report: Report) -> dict[str, list[str]]:
    """Owner -> the systems that wait for their sign-off."""
    waiting: dict[str, list[str]] = {}
    for result in report.systems:
        if not result.signoff.satisfied:
            for owner in result.signoff.waiting_for or result.owners:
                waiting.setdefault(owner, []).append(result.id)
    return waiting


def _counts(agenda: Agenda) -> tuple[int, int, int]:
    failed = sum(1 for i in agenda.items if i.report is None)
    blocked = sum(1 for i in agenda.items if i.report is not None and i.report.verdict != "pass")
    return failed, blocked, len(agenda.items) - failed - blocked


# -- HTML ---------------------------------------------------------------------------------------


def render_html(agenda: Agenda) -> str:
    from gate.report import html

    failed, blocked, passed = _counts(agenda)
    header = html.verdict_header(
        "error" if failed else "agenda",
        "INCOMPLETE" if failed else "AGENDA",
        f"Change review board agenda for {agenda.repository}",
        [
            (len(agenda.items), "open pull requests"),
            (failed, "could not be evaluated"),
            (blocked, "blocked"),
            (passed, "pass"),
        ],
    )
    notes = "".join(f'<p class="muted">{escape(note)}</p>' for note in agenda.notes)
    intro = (
        f'<p class="muted">Generated {escape(agenda.generated_at)}; riskiest first: pull'
        " requests that could not be evaluated, then by violated requirements, impacted"
        f" systems and major version bumps.</p>{notes}"
    )
    cards = "".join(_card(item) for item in agenda.items)
    if not agenda.items:
        cards = "<p>No open pull requests.</p>"
    body = f'{header}<main><section id="agenda"><h2>Agenda</h2>{intro}{cards}</section></main>'
    return html.page(f"Change review board agenda: {agenda.repository}", body)


def _card(item: Item) -> str:
    from gate.report import html

    title = f"#{item.number} {item.title}".strip()
    link = f'<a href="{escape(item.url)}">{escape(title)}</a>' if item.url else escape(title)
    who = f"by {escape(item.author)}" if item.author else ""
    draft = " · draft" if item.draft else ""
    commits = (
        f" · <code>{escape(item.base[:12])}..{escape(item.head[:12])}</code>" if item.head else ""
    )
    report = item.report
    if report is None:
        return (
            f'<article class="card error" data-pull="{item.number}"><h3>{link}</h3>'
            f'<p class="muted">{who}{draft}{commits}</p>'
            f'<p><span class="badge error">ERROR</span> <strong>could not evaluate:</strong>'
            f" {escape(item.error or '')}</p></article>"
        )
    rows = [
        (
            "Verdict",
            f'<span class="badge {report.verdict}">{report.verdict.upper()}</span> '
            f"{escape(headline(report).split(': ', 1)[-1])}",
        )
    ]
    chips = "".join(
        f'<span class="chip">{html.affected_pill(s.affected)}<code>{escape(s.id)}</code></span>'
        for s in report.systems
    )
    rows.append(("Affected", chips or '<span class="muted">no system</span>'))
    waiting = pending_owners(report)
    if waiting:
        rows.append(
            (
                "Waiting for",
                "; ".join(
                    f"<strong>{escape(owner)}</strong> ({escape(', '.join(systems))})"
                    for owner, systems in waiting.items()
                ),
            )
        )
    bumps = major_bumps(report)
    if bumps:
        rows.append(("Major bumps", "; ".join(escape(b) for b in bumps)))
    violations = [violation_sentence(v) for s in report.systems for v in s.violations]
    if violations:
        rows.append(
            ("Violations", "".join(f'<div class="violation">{escape(v)}</div>' for v in violations))
        )
    if report.unmapped:
        rows.append(("Unmapped", ", ".join(f"<code>{escape(p)}</code>" for p in report.unmapped)))
    table = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return (
        f'<article class="card {report.verdict}" data-pull="{item.number}"><h3>{link}</h3>'
        f'<p class="muted">{who}{draft}{commits}</p><dl class="meta">{table}</dl></article>'
    )


# -- Markdown -----------------------------------------------------------------------------------


def render_markdown(agenda: Agenda) -> str:
    failed, blocked, passed = _counts(agenda)
    lines = [
        f"# Change review board agenda: {_md(agenda.repository)}",
        "",
        f"{len(agenda.items)} open pull request(s): {failed} could not be evaluated, {blocked}"
        f" blocked, {passed} pass. Generated {agenda.generated_at}, riskiest first.",
    ]
    lines += [f"\n> {_md(note)}" for note in agenda.notes]
    if not agenda.items:
        lines += ["", "No open pull requests."]
    for item in agenda.items:
        lines += ["", *_markdown_item(item)]
    return "\n".join(lines) + "\n"


def _markdown_item(item: Item) -> list[str]:
    title = _md(f"#{item.number} {item.title}".strip())
    link = f"[{title}]({_md_url(item.url)})" if item.url else title
    report = item.report
    if report is None:
        return [f"## ⛔ {link}", "", f"**could not evaluate:** {_md(item.error or '')}"]
    icon = "✅" if report.verdict == "pass" else "⛔"
    lines = [
        f"## {icon} {link}",
        "",
        f"by @{_md(item.author)}{' (draft)' if item.draft else ''},"
        f" `{item.base[:12]}..{item.head[:12]}`: **{_md(headline(report))}**",
        "",
    ]
    affected = ", ".join(f"`{_code(s.id)}` ({s.affected})" for s in report.systems)
    lines.append(f"- Affected: {affected or 'no system'}")
    waiting = pending_owners(report)
    if waiting:
        lines.append(
            "- Waiting for: "
            + "; ".join(f"{_md(o)} ({', '.join(_md(s) for s in ss)})" for o, ss in waiting.items())
        )
    bumps = major_bumps(report)
    if bumps:
        lines.append("- Major bumps: " + "; ".join(_md(b) for b in bumps))
    for result in report.systems:
        for violation in result.violations:
            lines.append(f"- Violation: {_md(violation_sentence(violation))}")
    if report.unmapped:
        lines.append("- Unmapped: " + ", ".join(f"`{_code(p)}`" for p in report.unmapped))
    return lines


# What can start emphasis, code, links, tables or HTML mid-line; each line begins with our text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def _md(text: str) -> str:
    """Text from the repository or the API, inert in Markdown (and in the HTML GitHub allows)."""
    flat = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat).replace("&", "&amp;")


def _code(text: str) -> str:
    return " ".join(text.split()).replace("`", "'")


def _md_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
