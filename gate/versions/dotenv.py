"""A Compose `.env` file: the variables it sets for `${VAR}` in the compose file beside it."""

from __future__ import annotations

import re

from gate.versions.found import decoded_text

_ASSIGNMENT = re.compile(r"\s*(?:export\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=(?P<value>.*)")


def variables(data: bytes) -> dict[str, str | None]:
    """NAME=value lines, as Compose reads them: `#` comments, quoted values, `export` allowed.

    https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax
    """
    found: dict[str, str | None] = {}
    for line in decoded_text(data).splitlines():
        assignment = _ASSIGNMENT.fullmatch(line)
        if assignment is None:
            continue  # blank, a comment, or no assignment Compose would take
        value = assignment["value"].strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        else:
            value = value.split(" #", 1)[0].strip()
        found[assignment["name"]] = value
    return found
