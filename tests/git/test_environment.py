"""The environment git runs in: what of the caller's reaches it."""

from __future__ import annotations

import os

import pytest

from gate.git.environment import environment

FIXED = {
    "LC_ALL": "C",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_GRAFT_FILE": os.path.join(os.devnull, "grafts"),
}


def test_only_the_variables_that_reach_a_remote_or_name_configuration_files_are_kept() -> None:
    given = {
        "PATH": "/usr/bin",
        "GIT_DIR": "/elsewhere/.git",
        "GIT_WORK_TREE": "/elsewhere",
        "GIT_INDEX_FILE": "/elsewhere/index",
        "GIT_OBJECT_DIRECTORY": "/elsewhere/objects",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES": "/elsewhere/objects",
        "GIT_REPLACE_REF_BASE": "refs/elsewhere/",
        "GIT_NO_REPLACE_OBJECTS": "0",
        "GIT_GRAFT_FILE": "/elsewhere/grafts",
        "GIT_CONFIG_GLOBAL": "/ci/gitconfig",
        "GIT_SSH_COMMAND": "ssh -i key",
        "GIT_ASKPASS": "/usr/bin/askpass",
        "LC_ALL": "fr_FR.UTF-8",
    }
    assert environment(given) == {
        "PATH": "/usr/bin",
        "GIT_CONFIG_GLOBAL": "/ci/gitconfig",
        "GIT_SSH_COMMAND": "ssh -i key",
        "GIT_ASKPASS": "/usr/bin/askpass",
        **FIXED,
    }


def _counted(*settings: tuple[str, str]) -> dict[str, str]:
    variables = {"GIT_CONFIG_COUNT": str(len(settings))}
    for n, (key, value) in enumerate(settings):
        variables[f"GIT_CONFIG_KEY_{n}"], variables[f"GIT_CONFIG_VALUE_{n}"] = key, value
    return variables


def test_of_the_counted_settings_only_the_allowed_reach_git_numbered_again() -> None:
    given = _counted(
        ("core.fsmonitor", "/tmp/hook"),
        ("safe.directory", "/work"),
        ("protocol.ext.allow", "always"),
        ("HTTP.https://github.com/.extraHeader", "AUTHORIZATION: basic x"),
        ("Url.https://mirror/.InsteadOf", "https://github.com/"),
        ("url.https://mirror/.pushInsteadOf", "https://github.com/"),
        ("core.askPass", "/tmp/askpass"),
    )
    assert environment({**given, "GIT_CONFIG_KEY_9": "core.pager"}) == {
        **_counted(
            ("safe.directory", "/work"),
            ("HTTP.https://github.com/.extraHeader", "AUTHORIZATION: basic x"),
            ("Url.https://mirror/.InsteadOf", "https://github.com/"),
        ),
        **FIXED,
    }


@pytest.mark.parametrize(
    "given",
    [
        {"GIT_CONFIG_COUNT": "two", "GIT_CONFIG_KEY_0": "safe.directory"},
        {"GIT_CONFIG_COUNT": "-1"},
        {"GIT_CONFIG_COUNT": "9" * 5000},
        {**_counted(("safe.directory", "/work")), "GIT_CONFIG_COUNT": "2"},
        {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "safe.directory"},
        _counted(("core.fsmonitor", "/tmp/hook")),
    ],
)
def test_counted_settings_that_git_would_refuse_or_not_allowed_are_dropped_whole(
    given: dict[str, str],
) -> None:
    assert environment(given) == FIXED


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("'safe.directory'='/work'", "'safe.directory'='/work'"),
        ("'core.fsmonitor'='/tmp/hook' 'safe.directory'='/work'", "'safe.directory'='/work'"),
        ("'safe.directory=/work'  'diff.external=/tmp/x'", "'safe.directory'='/work'"),
        ("'safe.directory'= 'core.bare'", "'safe.directory'="),
        ("'safe.directory'", "'safe.directory'="),
        (
            "'http.extraheader'='it'\\''s'\\!'' 'core.pager'='less'",
            "'http.extraheader'='it'\\''s'\\!''",
        ),
        ("'url.https://a/?x=1.insteadof'='b'", "'url.https://a/?x=1.insteadof'='b'"),
        ("'url.https://a/?x=1.insteadof=b'", ""),
        ("'core.fsmonitor'='/tmp/hook'", ""),
        ("'http.proxy'\n'='x'", ""),
    ],
)
def test_of_the_parameters_only_the_allowed_settings_reach_git(given: str, kept: str) -> None:
    expected = {"GIT_CONFIG_PARAMETERS": kept} if kept else {}
    assert environment({"GIT_CONFIG_PARAMETERS": given}) == {**expected, **FIXED}


@pytest.mark.parametrize(
    "given",
    [
        " 'safe.directory'='/work'",
        "'safe.directory'='/work",
        "'safe.directory'='/work'x",
        "'safe.directory'=/work",
        "'safe.directory'\\x'",
        "safe.directory=/work",
    ],
)
def test_parameters_git_would_refuse_are_dropped_whole(given: str) -> None:
    assert environment({"GIT_CONFIG_PARAMETERS": given}) == FIXED
