"""The GitHub REST client: JSON in and out, each request bounded in time, retries and waits."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from gate.errors import GateError
from gate.github.limits import rate_limit_pause
from gate.github.refusals import GitHubError, RateLimited, refusal
from gate.github.session import new_session

if TYPE_CHECKING:
    import requests

DEFAULT_API_URL = "https://api.github.com"
# No list the gate reads has more than 10,000 items; a longer one is a server that never ends.
MAX_PAGES = 100
# Rate-limit waits for one request; each is at least limits.MIN_WAIT, and all within max_wait.
MAX_RATE_WAITS = 5
CHUNK = 65536


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
        max_pages: int = MAX_PAGES,
        max_rate_waits: int = MAX_RATE_WAITS,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.max_pages = max_pages
        self.max_rate_waits = max_rate_waits
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
        """Every item of a list endpoint: page after page, following Link rel="next" to the end.

        At most max_pages pages, and never a page twice: a next link back to a page already
        read would loop for ever.
        """
        items: list[Any] = []
        url: str | None = path
        query: dict[str, Any] | None = {"per_page": 100, **(params or {})}
        read: set[str] = set()
        while url is not None:
            if len(read) >= self.max_pages:
                raise GitHubError(
                    f"GitHub's list GET {path} goes on past {self.max_pages} pages: the gate"
                    f" reads no longer list; is GITHUB_API_URL ({self.api_url}) a GitHub REST"
                    " API?",
                    method="GET",
                    path=path,
                    status=None,
                )
            response = self._request("GET", url, params=query)
            read.add(response.url)
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
            if url is not None and self._url(url) in read:
                raise GitHubError(
                    f"GitHub's list GET {path} links back to a page already read ({url}):"
                    f" following it would never end; is GITHUB_API_URL ({self.api_url}) a"
                    " GitHub REST API?",
                    method="GET",
                    path=path,
                    status=response.status_code,
                )
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
            self._sessions[idempotent] = new_session(
                self.token,
                idempotent=idempotent,
                retries=self.retries,
                backoff=self.backoff,
                max_wait=self.max_wait,
            )
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
        waits = 0
        while True:
            try:
                response = self._session(idempotent).request(
                    method,
                    url,
                    params=params,
                    json=body,
                    timeout=self.timeout,
                    allow_redirects=False,
                    stream=True,
                )
                self._read_body(response, method, path)
            except requests.RequestException as error:
                raise GitHubError(
                    f"cannot reach GitHub for {method} {path} at {self.api_url}"
                    f" ({self._why(error)}, after {self.retries} retries): check GITHUB_API_URL"
                    " and the runner's network, then re-run the job",
                    method=method,
                    path=path,
                    status=None,
                ) from None
            pause = rate_limit_pause(response, self._clock)
            if pause is None:
                break
            if waited + pause > self.max_wait or waits >= self.max_rate_waits:
                bound = (
                    f"past the bound of {self.max_wait:g} s"
                    if waited + pause > self.max_wait
                    else f"after {waits} waits, the most the gate makes"
                )
                raise RateLimited(
                    f"GitHub rate-limited {method} {path} ({response.status_code}) and asks to"
                    f" wait {pause:g} s more, {bound}: the gate cannot decide now; re-run the"
                    " job later, or give it a token with its own limit (a GitHub App"
                    " installation token)",
                    method=method,
                    path=path,
                    status=response.status_code,
                )
            self._sleep(pause)
            waited += pause
            waits += 1
        if response.status_code >= 300:
            raise refusal(method, path, response, retries=self.retries)
        return response

    def _read_body(self, response: requests.Response, method: str, path: str) -> None:
        """Read the whole body within the timeout: a body that trickles in is a timeout too.

        requests' timeout bounds each read of the socket, not the body: a server sending a
        byte now and then keeps every read short and the answer endless.
        """
        import requests
        from urllib3.exceptions import HTTPError, ReadTimeoutError

        deadline = time.monotonic() + self.timeout
        body = bytearray()
        try:
            while chunk := response.raw.read1(CHUNK, decode_content=True):
                body += chunk
                if time.monotonic() > deadline:
                    raise GitHubError(
                        f"GitHub's answer to {method} {path} at {self.api_url} did not arrive"
                        f" within {self.timeout:g} s (it trickles in); check GITHUB_API_URL"
                        " and the runner's network, then re-run the job",
                        method=method,
                        path=path,
                        status=None,
                    )
        except (TimeoutError, ReadTimeoutError) as error:
            raise requests.Timeout(error) from None
        except (OSError, HTTPError) as error:
            raise requests.ConnectionError(error) from None
        finally:
            response.close()
        # requests keeps a read body here; content, json() and links then read it.
        response._content = bytes(body)

    def _why(self, error: Exception) -> str:
        # After its retries urllib3 raises MaxRetryError, which requests turns into a
        # ConnectionError even for a timeout; the last attempt's failure is its reason. A body
        # cut short is urllib3's error itself (_read_body).
        cause = error.args[0] if error.args else None
        reason = getattr(cause, "reason", cause)
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


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc
