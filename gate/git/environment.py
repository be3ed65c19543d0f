"""The environment git runs in: the caller's, less what would redirect or reconfigure it."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

# Git exports GIT_DIR, GIT_INDEX_FILE and more to the hooks it runs, where the gate may run too,
# and GIT_DIR, GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES or GIT_REPLACE_REF_BASE
# would make git read other objects than the repository's. So every GIT_* variable is dropped
# but these, which say how to reach a remote or which configuration files to read: pre-commit's
# list (https://github.com/pre-commit/pre-commit/issues/300), and the files a CI runner points
# git at. None of them can point git at other objects.
_KEPT = frozenset(
    (
        "GIT_EXEC_PATH",
        "GIT_SSH",
        "GIT_SSH_COMMAND",
        "GIT_SSL_CAINFO",
        "GIT_SSL_NO_VERIFY",
        "GIT_HTTP_PROXY_AUTHMETHOD",
        "GIT_ALLOW_PROTOCOL",
        "GIT_ASKPASS",
        # Which configuration files git reads (a runner's safe.directory, credentials or
        # url.insteadOf live there).
        "GIT_CONFIG_GLOBAL",
        "GIT_CONFIG_SYSTEM",
        "GIT_CONFIG_NOSYSTEM",
        # How to reach a remote, for --deepen.
        "GIT_SSL_CERT",
        "GIT_SSL_KEY",
        "GIT_SSL_CAPATH",
        "GIT_PROXY_COMMAND",
        "GIT_SSH_VARIANT",
        "GIT_CEILING_DIRECTORIES",
    )
)

# git reads the objects the ids name: replace refs (`git replace`) and a graft file would show
# another commit's tree or parents under a reviewed id. GIT_NO_REPLACE_OBJECTS does not turn
# grafts off (git 2.39), a graft file that cannot exist does: git is silent on its ENOTDIR.
_FIXED = {
    "LC_ALL": "C",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_GRAFT_FILE": os.path.join(os.devnull, "grafts"),
}

# Settings given in the environment (GIT_CONFIG_COUNT with GIT_CONFIG_KEY_n/GIT_CONFIG_VALUE_n,
# and GIT_CONFIG_PARAMETERS, which `git -c` passes on) reach every git the gate runs, and many
# settings run programs (core.sshCommand, core.fsmonitor, diff.external, core.hooksPath...) or
# turn protections off (protocol.*.allow). Only those a CI runner passes this way are kept:
# safe.directory for a checkout owned by another user, http.* and http.<url>.* (the
# extraheader actions/checkout authenticates with, proxies, certificates) and
# url.<base>.insteadOf. A program to ask for a password (core.askPass, credential.helper) is
# not among them: GIT_ASKPASS says it, where the caller means it.
_SETTING = re.compile(r"(?i:safe\.directory)|(?i:http)\..+|(?i:url)\..+\.(?i:insteadof)")


def environment(variables: Mapping[str, str]) -> dict[str, str]:
    """The environment git runs in: variables without those that redirect it, the settings
    kept of those they give, and _FIXED."""
    kept = {
        name: value
        for name, value in variables.items()
        if not name.startswith("GIT_") or name in _KEPT
    }
    counted = _counted(variables)
    if counted:
        kept["GIT_CONFIG_COUNT"] = str(len(counted))
    for n, (key, value) in enumerate(counted):
        kept[f"GIT_CONFIG_KEY_{n}"], kept[f"GIT_CONFIG_VALUE_{n}"] = key, value
    parameters = _parameters(variables.get("GIT_CONFIG_PARAMETERS", ""))
    if parameters:
        kept["GIT_CONFIG_PARAMETERS"] = parameters
    kept.update(_FIXED)
    return kept


def _counted(variables: Mapping[str, str]) -> list[tuple[str, str]]:
    """The kept settings of GIT_CONFIG_COUNT, GIT_CONFIG_KEY_n and GIT_CONFIG_VALUE_n.

    A count that is not a number, or that names a key or value not given, makes git fail:
    then none is kept, and git runs as if none were given.
    """
    count = variables.get("GIT_CONFIG_COUNT", "")
    if not re.fullmatch(r"[0-9]{1,6}", count) or int(count) > len(variables):
        return []
    settings = []
    for n in range(int(count)):
        key, value = variables.get(f"GIT_CONFIG_KEY_{n}"), variables.get(f"GIT_CONFIG_VALUE_{n}")
        if key is None or value is None:
            return []
        settings.append((key, value))
    return [(key, value) for key, value in settings if _SETTING.fullmatch(key)]


# git's GIT_CONFIG_PARAMETERS (config.c, parse_config_env_list): entries apart by whitespace,
# each 'key'='value', 'key'= (no value), or the older 'key=value' and 'key'; each quoted part
# in single quotes, a ' or ! in it written '\'' or '\!' (quote.c, sq_quote_buf).
_QUOTED = r"'[^']*'(?:\\[!']'[^']*')*"
_ENTRY = re.compile(rf"({_QUOTED})(=({_QUOTED})?)?(?:[ \t\n\v\f\r]+|\Z)")
_ESCAPED = re.compile(r"'\\([!'])'")


def _parameters(given: str) -> str:
    """GIT_CONFIG_PARAMETERS with only the kept settings, or "" for none.

    What does not read exactly as git's format is dropped whole: git would refuse it.
    """
    settings: list[tuple[str, str | None]] = []
    at = 0
    while at < len(given):
        entry = _ENTRY.match(given, at)
        if entry is None:
            return ""
        key, equals, value = entry.groups()
        if equals:
            settings.append((_unquote(key), value and _unquote(value)))
        else:  # the older 'key=value', or 'key' alone
            name, equals, old_value = _unquote(key).partition("=")
            settings.append((name, old_value if equals else None))
        at = entry.end()
    return " ".join(
        _quote(key) + "=" + ("" if value is None else _quote(value))
        for key, value in settings
        if _SETTING.fullmatch(key)
    )


def _unquote(quoted: str) -> str:
    return _ESCAPED.sub(r"\1", quoted[1:-1])


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''").replace("!", "'\\!'") + "'"
