"""One pull request through the check: its sign-offs from GitHub, its report, whom to ask."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from gate.depmap.records import Map
from gate.github.client import GitHub
from gate.github.payloads import Comment, PullRequest, Status
from gate.github.signoffs import gather
from gate.github.teams import team_lookup
from gate.report.records import Report
from gate.signoffs.records import Offer, OfferSource


@dataclass(frozen=True, kw_only=True)
class Options:
    """What the command line says about the check of every pull request of a run."""

    repo: str
    map_path: str
    map_file: str | None
    deepen: bool
    signoffs: str | None


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    """A pull request's report, and what the comment needs besides: who to ask, what was read."""

    report: Report
    ask: Mapping[str, tuple[str, ...]]  # owner entry (team key or @login) -> people to mention
    stale_signoffs: str
    comments: tuple[Comment, ...]  # the pull request's comments as read for the sign-offs


def evaluate(
    github: GitHub,
    teams: GitHub,
    pull: PullRequest,
    options: Options,
    *,
    vouches: Callable[[Status], bool],
) -> Evaluation:
    """The check of the pull request, with the sign-offs its reviews and comments give."""
    from gate.check import Change, check
    from gate.github.ask import ask

    gathered = gather(github, pull, vouches=vouches)
    seen: list[Map] = []

    def from_github(depmap: Map) -> Iterable[Offer]:
        seen.append(depmap)
        return gathered.offers(depmap)

    sources: list[OfferSource] = [from_github]
    change = Change(
        repo=options.repo,
        base=pull.base,
        head=pull.head,
        map_path=options.map_path,
        map_file=options.map_file,
        signoffs=options.signoffs,
        author=pull.author,
        deepen=options.deepen,
    )
    report = check(
        change,
        offers=sources,
        lookup=team_lookup(teams),
        contributors=tuple(gathered.contributors),
    )
    return Evaluation(
        report=report,
        ask=ask(seen[0], report, author=pull.author, excluded=gathered.contributors)
        if seen
        else {},
        stale_signoffs=seen[0].policy.stale_signoffs if seen else "head",
        comments=gathered.comments,
    )
