"""Systems no one can sign off: owners and rule against those whose sign-off never counts."""

from __future__ import annotations

import pytest

from gate.depmap.records import SignoffRule, Team
from gate.errors import GateError
from gate.signoffs.records import Owned
from gate.signoffs.signers import unsignable

TEAMS = {
    "dba": Team(id="dba", members=frozenset({"alice", "bob"})),
    "solo": Team(id="solo", members=frozenset({"carol"})),
    "empty": Team(id="empty", members=frozenset()),
    "gh": Team(id="gh", members=frozenset(), github_team="acme/sre"),
    "gh-carol": Team(id="gh-carol", members=frozenset({"carol"}), github_team="acme/dba"),
}


@pytest.mark.parametrize(
    ("owners", "rule", "cannot", "expected"),
    [
        # an ordinary system: someone else can sign
        (("dba",), "any", {"carol"}, False),
        (("@carol",), "any", set(), False),
        # owned only by the author
        (("@carol",), "any", {"carol"}, True),
        (("@Carol",), "any", {"carol"}, True),
        (("solo",), "any", {"carol"}, True),
        (("solo", "@carol"), "any", {"carol"}, True),
        # the author and a committer between them are every owner
        (("dba",), "any", {"alice", "bob"}, True),
        (("dba",), "any", {"alice"}, False),
        # all: one owner entry that only the author stands for is enough
        (("dba", "solo"), "all", {"carol"}, True),
        (("dba", "solo"), "all", {"dave"}, False),
        (("dba", "@carol"), "all", {"carol"}, True),
        # N: fewer people who can sign than the rule asks for
        (("dba", "solo"), 3, {"carol"}, True),
        (("dba", "solo"), 3, set(), False),
        (("dba", "solo"), 2, {"carol"}, False),
        (("dba", "@alice"), 3, set(), True),  # alice counts once
        # a team with no one in it and nobody excluded
        (("empty",), "any", set(), True),
        # a GitHub team may hold anyone: it may have signers
        (("gh",), "any", {"carol"}, False),
        (("gh-carol",), "any", {"carol"}, False),
        (("gh", "solo"), 5, {"carol"}, False),
        # ... but under all, another entry no one can sign for still is unsignable
        (("gh", "solo"), "all", {"carol"}, True),
        (("gh", "dba"), "all", {"carol"}, False),
    ],
)
def test_unsignable(
    owners: tuple[str, ...], rule: SignoffRule, cannot: set[str], expected: bool
) -> None:
    assert unsignable(Owned(id="s", owners=owners, rule=rule), TEAMS, cannot) is expected


@pytest.mark.parametrize(
    ("owners", "rule", "cannot", "read"),
    [
        # the listed members decide: no GitHub team is read
        (("dba", "gh"), "any", {"carol"}, []),
        (("gh-carol", "dba"), "all", {"dave"}, []),
        # only the GitHub team may hold a signer: it is read
        (("gh", "solo"), "any", {"carol"}, ["acme/sre"]),
        (("gh-carol", "dba"), "all", {"carol"}, ["acme/dba"]),
        (("gh-carol", "@bob"), "all", {"carol"}, ["acme/dba"]),
        (("gh-carol", "dba"), 3, {"carol"}, ["acme/dba"]),
        (("gh", "gh-carol"), "any", {"carol"}, ["acme/sre", "acme/dba"]),
    ],
)
def test_a_github_team_is_read_where_it_decides(
    owners: tuple[str, ...], rule: SignoffRule, cannot: set[str], read: list[str]
) -> None:
    seen: list[str] = []
    owned = Owned(id="s", owners=owners, rule=rule)
    assert unsignable(owned, TEAMS, cannot, read_team=seen.append) is False
    assert seen == read


def test_a_github_team_that_cannot_be_read_is_an_error_not_unsignable() -> None:
    def unreadable(team: str) -> None:
        raise GateError(f"cannot read the members of the GitHub team {team}")

    owned = Owned(id="s", owners=("gh", "solo"), rule="any")
    with pytest.raises(GateError, match="acme/sre"):
        unsignable(owned, TEAMS, {"carol"}, read_team=unreadable)
