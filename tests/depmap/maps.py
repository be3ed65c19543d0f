"""Maps for the loader's tests, and the problems a map's loading reports."""

from __future__ import annotations

import textwrap

import pytest

from gate.depmap.load import load_map
from gate.errors import EXIT_ERROR, MapError

# Eight lines; the systems given to with_systems start on line 9, indented by two columns.
HEAD = """\
version: 1
map-owners: [platform]
teams:
  platform:
    members: [erin]
  dba:
    members: [alice, bob]
systems:
"""


def with_systems(body: str) -> str:
    return HEAD + textwrap.indent(textwrap.dedent(body), "  ")


def problems_of(text: str | bytes, *, path: str | None = "dependency-map.yaml") -> list[str]:
    data = text if isinstance(text, bytes) else text.encode()
    with pytest.raises(MapError) as caught:
        load_map(data, "m.yaml", path=path)
    assert caught.value.exit_code == EXIT_ERROR
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems
