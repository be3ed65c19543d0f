"""Which token permission a request needs, in the words of a workflow's `permissions:`."""

from __future__ import annotations

import pytest

from gate.github.refusals import needed_permission


@pytest.mark.parametrize(
    ("method", "path", "needs"),
    [
        ("POST", "/api/v3/repos/o/r/statuses/abc", "`statuses: write`"),
        ("GET", "/repos/o/r/commits/abc/statuses", "`statuses: read`"),
        ("GET", "/repos/o/r/issues/3/events", "`pull-requests: read`"),
        ("DELETE", "/repos/o/r/issues/comments/3", None),
        ("GET", "/user", None),
    ],
)
def test_needed_permission(method, path, needs):
    assert needed_permission(method, path) == needs
