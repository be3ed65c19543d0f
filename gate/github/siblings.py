"""The other open pull requests with the same head: a status is a commit's, not a pull request's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gate.github.client import GitHub
from gate.github.evaluation import Options, evaluate
from gate.github.payloads import PayloadError, PullRequest, Status, each
from gate.github.pull import fetch_commits
from gate.report.records import Report


@dataclass(frozen=True, kw_only=True)
class Blocked:
    """An open pull request with the same head whose own check does not pass."""

    number: int
    report: Report


def open_pulls_with_head(github: GitHub, pull: PullRequest) -> list[PullRequest]:
    """The open pull requests other than pull whose head is pull's head commit.

    Every open pull request of the repository is read, not GitHub's pull requests of the
    commit (GET .../commits/{sha}/pulls): that list leaves out pull requests from forks, whose
    head is only in the fork, and names only the merged one for a commit of the default branch.
    """
    listed = each(
        github.paginate(f"/repos/{pull.repository}/pulls", {"state": "open"}),
        dict,
        "open pull requests",
    )
    found: list[PullRequest] = []
    for index, item in enumerate(listed):
        number = item.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
            raise PayloadError(
                f"GitHub listed an open pull request without a number (at [{index}])"
            )
        other = PullRequest.from_dict(item, repository=pull.repository, number=number)
        if other.number != pull.number and other.state == "open" and other.head == pull.head:
            found.append(other)
    return found


def blocked_sibling(
    github: GitHub,
    teams: GitHub,
    pull: PullRequest,
    options: Options,
    *,
    vouches: Callable[[Status], bool],
) -> Blocked | None:
    """The first other open pull request with this head that its own check blocks, if any.

    Each is checked against its own base, with its own reviews and comments: a `success` on
    the head would let every one of them merge.
    """
    for other in open_pulls_with_head(github, pull):
        fetch_commits(options.repo, (other.base,), fetch=options.deepen)
        report = evaluate(github, teams, other, options, vouches=vouches).report
        if report.verdict != "pass":
            return Blocked(number=other.number, report=report)
    return None
