"""Who the gate is on GitHub: the creator GitHub records on the statuses it posts in this run."""

from __future__ import annotations

from dataclasses import dataclass

from gate.errors import GateError
from gate.github.client import GitHub
from gate.github.payloads import Comment, PullRequest, Status
from gate.github.post import post_status
from gate.github.signoffs import created_by


@dataclass(frozen=True, kw_only=True)
class Writers:
    """The clients the gate writes with: the main token, and the one statuses are posted with.

    statuses is the main client itself unless GATE_STATUS_TOKEN gives a token of its own.
    """

    github: GitHub
    statuses: GitHub

    def status_clients(self) -> tuple[GitHub, ...]:
        """Every client a verdict of the gate may be posted with, the main token's first."""
        return (self.github,) if self.statuses is self.github else (self.github, self.statuses)


@dataclass(frozen=True, kw_only=True)
class Identity:
    """The logins the gate writes as: its statuses' creator, and its comments' author.

    Both are read from what GitHub answered to statuses posted in this run, never from a
    payload anyone else could write, so a status or comment by anyone else is never the gate's.
    """

    statuses: str  # the creator of the statuses posted with the status token
    comments: str  # the creator of a status posted with the main token, which writes comments

    def vouches(self, status: Status) -> bool:
        return created_by(self.statuses)(status)

    def wrote(self, comment: Comment) -> bool:
        login = comment.user.login
        return login is not None and login.lower() == self.comments.lower()


def announce(writers: Writers, pull: PullRequest) -> Identity:
    """Post `pending` on the head ("evaluating"), and learn from GitHub's answer who the gate is.

    The status is posted with the main token first when a status token is set, so that the
    author of the gate's comments is known too; the status token's status comes last, so the
    pull request shows it.
    """
    description = f"evaluating {pull.head[:7]}"
    # Status.created_object refuses an answer without a creator; "" would match no one.
    creators = [
        post_status(client, pull, "pending", description, pull.html_url).creator or ""
        for client in writers.status_clients()
    ]
    identity = Identity(statuses=creators[-1], comments=creators[0])
    for login in dict.fromkeys((identity.statuses, identity.comments)):
        if login.lower() == pull.author.lower():
            raise GateError(
                f"the gate posts its statuses and comments as {login}, the pull request's"
                f" author: a status {login} posts on a commit before pushing it would vouch"
                " that the commit was the head, so the gate cannot decide; give the gate"
                " GITHUB_TOKEN, or a GitHub App's token (`status-token`), not a person's"
            )
    return identity
