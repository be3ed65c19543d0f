"""GitHub's refusals as errors that say what is missing: the token, a permission, GitHub itself."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gate.errors import GateError

if TYPE_CHECKING:
    import requests

# (method, path pattern, what the token needs), for refusals that name the missing permission.
_PERMISSIONS = (
    ("POST", r"/repos/[^/]+/[^/]+/statuses/[^/]+", "`statuses: write`"),
    ("GET", r"/repos/[^/]+/[^/]+/commits/[^/]+/statuses", "`statuses: read`"),
    (
        "POST",
        r"/repos/[^/]+/[^/]+/issues/\d+/comments",
        "`pull-requests: write`",
    ),
    (
        "PATCH",
        r"/repos/[^/]+/[^/]+/issues/comments/\d+",
        "`pull-requests: write`",
    ),
    ("GET", r"/repos/[^/]+/[^/]+/issues/.*", "`pull-requests: read`"),
    ("GET", r"/repos/[^/]+/[^/]+/pulls.*", "`pull-requests: read`"),
    (
        "GET",
        r"/orgs/[^/]+/teams/.*",
        "organization `Members: read`, which the default GITHUB_TOKEN never has: use a GitHub App"
        " installation token or a fine-grained personal access token with it",
    ),
)


class GitHubError(GateError):
    """GitHub refused a request or could not be reached; status is None when nothing answered."""

    def __init__(self, message: str, *, method: str, path: str, status: int | None) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.status = status


class RateLimited(GitHubError):
    """Still rate-limited after the bounded wait."""


def refusal(method: str, path: str, response: requests.Response, *, retries: int) -> GitHubError:
    """The error for an answer of 300 or more: what GitHub said, and what to do about it."""
    status = response.status_code
    said = message_of(response)
    what = f"GitHub refused {method} {path} ({status}{': ' + said if said else ''})"
    if status == 401:
        advice = (
            "the token is missing, expired or invalid: pass a valid one in GITHUB_TOKEN"
            " (in a workflow, `${{ github.token }}`)"
        )
    elif status in (403, 404):
        needs = needed_permission(method, path)
        advice = (
            f"the token probably lacks {needs}; grant it in the workflow's `permissions:`"
            if needs is not None
            else "the token cannot see or change this; check its permissions and the"
            " repository name (GITHUB_REPOSITORY)"
        )
        if method != "GET":
            advice += (
                ". On a pull request from a fork, `pull_request` and `pull_request_review`"
                " runs get a read-only token: run the gate on `pull_request_target`"
                " (see the README on forks)"
            )
    elif status >= 500:
        advice = f"GitHub kept failing after {retries} retries; re-run the job later"
    else:
        advice = "this is unexpected; re-run the job, and report it if it persists"
    return GitHubError(f"{what}: {advice}", method=method, path=path, status=status)


def needed_permission(method: str, path: str) -> str | None:
    """The token permission a request needs, in the words of a workflow's `permissions:`."""
    for verb, pattern, needs in _PERMISSIONS:
        if verb == method and re.fullmatch(r"(/api/v3)?" + pattern, path):
            return needs
    return None


def message_of(response: requests.Response) -> str:
    """The `message` of GitHub's error body, or "" when it has none."""
    try:
        body = response.json()
    except ValueError:
        return ""
    message = body.get("message") if isinstance(body, dict) else None
    return str(message) if message else ""
