"""Versions parsed from files already read: no git, one parse per system and commit."""

from __future__ import annotations

import pytest

from gate.depmap.records import PatternRule, System
from gate.errors import GateError
from gate.versions.files import Content, VersionFiles
from gate.versions.read import VersionUnreadable
from gate.versions.versioned import Versions

SPEC = PatternRule(file="db.rb", pattern=r"version '(?P<version>[^']+)'")
SYSTEMS = {
    "db": System(id="db", owners=("dba",), version=SPEC),
    "web": System(id="web", owners=("dba",)),
}


def versions(head: dict[str, Content], base: dict[str, Content]) -> Versions:
    files = VersionFiles(head=head, base=base)
    return Versions(SYSTEMS, files, merge_base="a" * 40, head="b" * 40)


@pytest.mark.parametrize(
    ("head", "base", "before", "after", "bump"),
    [
        # an untouched version file holds the same version at the merge base
        ({"db.rb": b"version '2.0.1'"}, {}, "2.0.1", "2.0.1", None),
        # a touched one is read from the merge base's bytes
        ({"db.rb": b"version '2.0.1'"}, {"db.rb": b"version '1.4.0'"}, "1.4.0", "2.0.1", "major"),
        # a file the merge base does not have: the version is added
        ({"db.rb": b"version '2.0.1'"}, {"db.rb": None}, None, "2.0.1", "added"),
        # one that cannot be read there counts as absent
        ({"db.rb": b"version '2.0.1'"}, {"db.rb": b"no version"}, None, "2.0.1", "added"),
    ],
)
def test_before_and_after(head, base, before, after, bump):
    found = versions(head, base)
    was, now = found.before("db"), found.after("db")
    assert (was.text if was else None, now.text if now else None) == (before, after)
    assert found.bump("db") == bump
    assert found.change("db").after_at == "db.rb:1"


def test_a_system_without_a_version_has_none():
    found = versions({}, {})
    assert (found.before("web"), found.after("web"), found.bump("web")) == (None, None, None)


def test_a_version_that_cannot_be_read_at_head_is_an_error_naming_the_commit():
    found = versions({"db.rb": b"nothing here"}, {})
    with pytest.raises(
        VersionUnreadable, match=r"db: cannot read the version from db.rb at head b{12}"
    ):
        found.after("db")
    assert found.before("db") is None


def test_a_file_that_could_not_be_read_raises_its_error_when_asked_for():
    found = versions({"db.rb": GateError("db.rb is a directory")}, {})
    assert found.bump("web") is None
    with pytest.raises(GateError, match="is a directory"):
        found.after("db")
