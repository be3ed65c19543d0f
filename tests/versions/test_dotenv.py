"""A Compose `.env` file read as Compose reads it."""

from __future__ import annotations

import pytest

from gate.versions.dotenv import variables


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PG_TAG=9.6.1\n", {"PG_TAG": "9.6.1"}),
        ("export PG_TAG=9.6.1\n", {"PG_TAG": "9.6.1"}),
        ("PG_TAG='9.6.1'\n", {"PG_TAG": "9.6.1"}),
        ('PG_TAG="9.6.1"\n', {"PG_TAG": "9.6.1"}),
        ("PG_TAG=9.6.1 # the server\n", {"PG_TAG": "9.6.1"}),
        ("  PG_TAG = 9.6.1  \r\n", {"PG_TAG": "9.6.1"}),
        ("# PG_TAG=9.6.1\n\n", {}),
        ("PG_TAG=9.2\nPG_TAG=9.6\n", {"PG_TAG": "9.6"}),  # the last one wins
        ("PG_TAG=\n", {"PG_TAG": ""}),
        ("not an assignment\n1BAD=x\n", {}),
        ("A=1\nB=two words\n", {"A": "1", "B": "two words"}),
    ],
)
def test_variables(text, expected):
    assert variables(text.encode()) == expected


def test_bytes_that_are_not_utf8_do_not_stop_the_reading():
    assert variables(b"\xffjunk\nPG_TAG=9.6.1\n") == {"PG_TAG": "9.6.1"}
