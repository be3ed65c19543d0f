"""The GitHub REST client: timeouts, bounded retries, pagination, rate limits, clear refusals."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from gate import __version__
from gate.errors import GateError

if TYPE_CHECKING:
    import requests

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
# Retried with backoff by urllib3: the answers of a server that may work a moment later.
RETRY_STATUSES = (500, 502, 503, 504)
# Safe to repeat: reads, PATCH (it sets the same body again) and POSTs the caller marks as
# idempotent (a commit status: posting it twice leaves the same latest state). Creating a
# comment is not: a POST that timed out after GitHub stored it would post it twice.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PATCH", "POST"})
# What GitHub asks of a client after a secondary rate limit without a retry-after header.
SECONDARY_LIMIT_WAIT = 60.0

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


class GitHub:
    """A small REST v3 client: JSON in and out, every request bounded in time and retries."""

    def __init__(
        self,
        api_url: str,
        token: str | None,
        *,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self._sleep = sleep
        self._clock = clock
        self._sessions: dict[bool, requests.Session] = {}

    @classmethod
    def from_environment(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        token_variable: str = "GITHUB_TOKEN",
        **options: Any,
    ) -> GitHub:
        """The client GitHub Actions sets up for: GITHUB_API_URL (GHES) and GITHUB_TOKEN."""
        env = os.environ if environ is None else environ
        token = env.get(token_variable) or None
        if token is None:
            raise GateError(
                f"{token_variable} is not set: the gate needs a token to read reviews and comments"
                f" and to post its status; in a workflow, pass `env: {token_variable}:"
                " ${{ github.token }}` (the action does this for you)"
            )
        return cls(env.get("GITHUB_API_URL") or DEFAULT_API_URL, token, **options)

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._json(self._request("GET", path, params=params))

    def paginate(self, path: str, params: Mapping[str, Any] | None = None) -> list[Any]:
        """Every item of a list endpoint: page after page, following Link rel="next" to the end."""
        items: list[Any] = []
        url: str | None = path
        query: dict[str, Any] | None = {"per_page": 100, **(params or {})}
        while url is not None:
            response = self._request("GET", url, params=query)
            page = self._json(response)
            if not isinstance(page, list):
                raise GitHubError(
                    f"GitHub answered GET {path} with {type(page).__name__}, not a list;"
                    f" is GITHUB_API_URL ({self.api_url}) a GitHub REST API?",
                    method="GET",
                    path=path,
                    status=response.status_code,
                )
            items.extend(page)
            url = response.links.get("next", {}).get("url")
            query = None  # the next link carries the query
        return items

    def post(self, path: str, body: Any, *, idempotent: bool = False) -> Any:
        return self._json(self._request("POST", path, body=body, idempotent=idempotent))

    def patch(self, path: str, body: Any) -> Any:
        return self._json(self._request("PATCH", path, body=body, idempotent=True))

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()
        self._sessions.clear()

    def _session(self, idempotent: bool) -> requests.Session:
        if idempotent not in self._sessions:
            import requests
            from requests.adapters import HTTPAdapter
            from urllib3.util.retry import Retry

            # A 503's retry-after is waited out by urllib3 itself: within our bound, where the
            # installed urllib3 can cap it (recent 2.x).
            capped: dict[str, Any] = (
                {"retry_after_max": max(int(self.max_wait), 0)}
                if hasattr(Retry, "DEFAULT_RETRY_AFTER_MAX")
                else {}
            )
            # Connection failures happen before GitHub saw the request, so they are retried
            # for every method; server errors only where repeating the request is harmless.
            retry = Retry(
                total=None,
                connect=self.retries,
                read=self.retries if idempotent else 0,
                status=self.retries if idempotent else 0,
                other=0,
                redirect=0,
                status_forcelist=RETRY_STATUSES if idempotent else (),
                allowed_methods=IDEMPOTENT_METHODS if idempotent else frozenset({"GET", "HEAD"}),
                backoff_factor=self.backoff,
                backoff_max=max(self.backoff, 0.0) * 8,
                respect_retry_after_header=True,
                **capped,
                raise_on_status=False,
                raise_on_redirect=False,
            )
            session = requests.Session()
            session.mount("http://", HTTPAdapter(max_retries=retry))
            session.mount("https://", HTTPAdapter(max_retries=retry))
            session.headers.update(
                {
                    "Accept": "application/vnd.github+json",
                    "X-GitHub-Api-Version": API_VERSION,
                    "User-Agent": f"change-impact-gate/{__version__}",
                }
            )
            if self.token:
                session.headers["Authorization"] = f"Bearer {self.token}"
            self._sessions[idempotent] = session
        return self._sessions[idempotent]

    def _request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        idempotent: bool = True,
    ) -> requests.Response:
        import requests

        url = self._url(path_or_url)
        path = urlsplit(url).path
        waited = 0.0
        while True:
            try:
                response = self._session(idempotent).request(
                    method,
                    url,
                    params=params,
                    json=body,
                    timeout=self.timeout,
                    allow_redirects=False,
                )
            except requests.RequestException as error:
                raise GitHubError(
                    f"cannot reach GitHub for {method} {path} at {self.api_url}"
                    f" ({self._why(error)}, after {self.retries} retries): check GITHUB_API_URL"
                    " and the runner's network, then re-run the job",
                    method=method,
                    path=path,
                    status=None,
                ) from None
            pause = self._rate_limit_pause(response)
            if pause is None:
                break
            if waited + pause > self.max_wait:
                raise RateLimited(
                    f"GitHub rate-limited {method} {path} ({response.status_code}) and asks to"
                    f" wait {pause:g} s more, past the bound of {self.max_wait:g} s: the gate"
                    " cannot decide now; re-run the job later, or give it a token with its own"
                    " limit (a GitHub App installation token)",
                    method=method,
                    path=path,
                    status=response.status_code,
                )
            self._sleep(pause)
            waited += pause
        if response.status_code >= 300:
            raise self._refusal(method, path, response)
        return response

    def _why(self, error: Exception) -> str:
        # After its retries urllib3 raises MaxRetryError, which requests turns into a
        # ConnectionError even for a timeout; the last attempt's failure is its reason.
        reason = getattr(error.args[0], "reason", None) if error.args else None
        name = type(reason if isinstance(reason, Exception) else error).__name__
        if "Timeout" in name:
            return f"no answer within {self.timeout:g} s"
        return name

    def _url(self, path_or_url: str) -> str:
        if not path_or_url.startswith(("http://", "https://")):
            return self.api_url + "/" + path_or_url.lstrip("/")
        # A next link is followed only on the API's own origin, so the token goes nowhere else.
        if _origin(path_or_url) != _origin(self.api_url):
            raise GitHubError(
                f"GitHub's pagination pointed to {path_or_url}, outside {self.api_url}; refusing"
                " to send the token there",
                method="GET",
                path=path_or_url,
                status=None,
            )
        return path_or_url

    def _rate_limit_pause(self, response: requests.Response) -> float | None:
        """How long to wait before repeating a rate-limited request; None if it was not limited.

        https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
        """
        if response.status_code not in (403, 429):
            return None
        headers = response.headers
        retry_after = headers.get("retry-after")
        if retry_after is not None:
            try:
                return max(float(retry_after), 0.0)
            except ValueError:
                return SECONDARY_LIMIT_WAIT
        if headers.get("x-ratelimit-remaining") == "0":
            try:
                reset = float(headers.get("x-ratelimit-reset", ""))
            except ValueError:
                return SECONDARY_LIMIT_WAIT
            return max(reset - self._clock(), 1.0)
        if response.status_code == 429 or "secondary rate limit" in _message(response).lower():
            return SECONDARY_LIMIT_WAIT
        return None

    def _refusal(self, method: str, path: str, response: requests.Response) -> GitHubError:
        status = response.status_code
        said = _message(response)
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
            advice = f"GitHub kept failing after {self.retries} retries; re-run the job later"
        else:
            advice = "this is unexpected; re-run the job, and report it if it persists"
        return GitHubError(f"{what}: {advice}", method=method, path=path, status=status)

    @staticmethod
    def _json(response: requests.Response) -> Any:
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise GitHubError(
                f"GitHub's answer to {response.request.method} {urlsplit(response.url).path}"
                " is not JSON; is GITHUB_API_URL a GitHub REST API?",
                method=str(response.request.method),
                path=urlsplit(response.url).path,
                status=response.status_code,
            ) from None


def needed_permission(method: str, path: str) -> str | None:
    """The token permission a request needs, in the words of a workflow's `permissions:`."""
    for verb, pattern, needs in _PERMISSIONS:
        if verb == method and re.fullmatch(r"(/api/v3)?" + pattern, path):
            return needs
    return None


def _message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    message = body.get("message") if isinstance(body, dict) else None
    return str(message) if message else ""


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc
