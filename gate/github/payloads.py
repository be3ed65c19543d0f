"""GitHub's JSON as the gate's records: each read once, with the key path in every error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gate.errors import GateError
from gate.git.refs import is_commit_id


@dataclass(frozen=True, kw_only=True)
class PullRequest:
    repository: str
    number: int
    head: str
    base: str
    author: str
    html_url: str
    state: str


# -- reading payloads -----------------------------------------------------------------------------


def field_of(data: Mapping[str, Any], key: str, kind: type, where: str = "") -> Any:
    value = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise GateError(
            f"the event or API payload lacks '{where}{key}' ({kind.__name__}); is this a"
            " pull request event from GitHub?"
        )
    return value


def sha_of(data: Mapping[str, Any], dotted: str, where: str) -> str:
    value: Any = data
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if not isinstance(value, str) or not is_commit_id(value):
        raise GateError(f"the payload's '{where}{dotted}' is not a commit id: {value!r}")
    return value


def is_for_pull(target_url: object, pull: PullRequest) -> bool:
    return isinstance(target_url, str) and (
        target_url == pull.html_url or target_url.startswith(pull.html_url + "#")
    )
