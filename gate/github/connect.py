"""The REST clients as the environment sets them up: tokens, API URL, GATE_GITHUB_* bounds."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from gate.errors import GateError
from gate.github.client import GitHub


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
                what = "a whole number" if kind is int else "a number"
                raise GateError(f"{name}={value!r} is not {what}") from None
            if not math.isfinite(options[key]) or options[key] < 0:
                raise GateError(f"{name}={value!r} must be a finite number, not negative")
            if key == "timeout" and options[key] == 0:
                raise GateError(f"{name}={value!r}: a request needs time; give seconds above 0")
    return GitHub.from_environment(environ, token_variable=token_variable, **options)


def clients(environ: Mapping[str, str]) -> tuple[GitHub, GitHub]:
    """The client for the repository, and the one for team lookups.

    A separate token (GATE_TEAMS_TOKEN) may read the organisation's teams.
    """
    github = client(environ)
    teams = (
        client(environ, token_variable="GATE_TEAMS_TOKEN")
        if environ.get("GATE_TEAMS_TOKEN")
        else github
    )
    return github, teams


def status_client(environ: Mapping[str, str], github: GitHub) -> GitHub:
    """The client commit statuses are posted with: GATE_STATUS_TOKEN's, or the main one.

    GATE_STATUS_TOKEN (the action's `status-token`) is meant to be a GitHub App installation
    token: a status posted with it has that app as its creator, which branch rules can require
    as the status's expected source, and which is then the gate's identity (identity.py).
    """
    if environ.get("GATE_STATUS_TOKEN"):
        return client(environ, token_variable="GATE_STATUS_TOKEN")
    return github
