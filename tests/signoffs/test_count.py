"""Counting sign-offs: which offers count, the memberships asked, and stale sign-offs."""

from __future__ import annotations

import pytest

from gate.depmap.records import Team
from gate.errors import GateError
from gate.report.records import Signoff
from gate.signoffs.count import count, state
from gate.signoffs.memberships import asked, memberships
from gate.signoffs.records import Offer, Owned
from gate.signoffs.stale import Unchanged

HEAD = "b" * 40
OLD = "a" * 40
TEAMS = {
    "dba": Team(id="dba", members=frozenset({"alice", "bob"})),
    "sre": Team(id="sre", members=frozenset({"dave"}), github_team="acme/sre"),
}
NEEDING = {
    "db": Owned(id="db", owners=("dba",), rule="any"),
    "alerts": Owned(id="alerts", owners=("sre", "@frank"), rule="all"),
}


def offer(by: str, *systems: str, commit: str = HEAD, **fields: object) -> Offer:
    return Offer(
        by=by,
        systems=systems or None,
        commit=commit,
        source="ledger" if systems else "review",
        **fields,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("given", "counted", "ignored"),
    [
        # an owner's sign-off for head counts
        (offer("bob", "db"), {"db": ["bob"], "alerts": []}, []),
        # an approval of the whole change counts for every system they own
        (offer("Bob"), {"db": ["Bob"], "alerts": []}, []),
        # the author cannot sign off
        (
            offer("alice", "db"),
            {"db": [], "alerts": []},
            [("db", "the change's author cannot sign off their own change")],
        ),
        # nor can a bot
        (
            offer("ci[bot]", "db", bot=True),
            {"db": [], "alerts": []},
            [("db", "bots cannot sign off")],
        ),
        # nor someone who owns nothing named
        (
            offer("dave", "db"),
            {"db": [], "alerts": []},
            [("db", "dave is not an owner (dba)")],
        ),
        (
            offer("zoe"),
            {"db": [], "alerts": []},
            [("*", "zoe owns none of the systems this change affects")],
        ),
        # a system that needs no sign-off
        (
            offer("bob", "web"),
            {"db": [], "alerts": []},
            [("web", "not affected by this change, or needs no sign-off")],
        ),
        # a sign-off on another commit
        (
            offer("bob", "db", commit=OLD),
            {"db": [], "alerts": []},
            [("db", f"given for {OLD[:12]}, not for the head {HEAD[:12]}")],
        ),
        # rejected by its source: reported for the systems they own
        (
            offer("bob", reject_reason="revoked"),
            {"db": [], "alerts": []},
            [("db", "revoked")],
        ),
        # a GitHub team member signs for the team
        (offer("erin", "alerts"), {"db": [], "alerts": ["erin"]}, []),
    ],
)
def test_which_offers_count(given, counted, ignored):
    members = {("acme/sre", "erin"): True, ("acme/sre", "zoe"): False, ("acme/sre", "bob"): False}
    found, left = count([given], NEEDING, TEAMS, head=HEAD, author="Alice", members=members)
    assert {sid: [s.by for s in signed] for sid, signed in found.items()} == counted
    assert [(i.system, i.reason) for i in left] == ignored


@pytest.mark.parametrize(
    ("offers", "expected"),
    [
        # an approval of the whole change is matched against every system's owners
        ([offer("bob")], [("sre", "acme/sre", "bob")]),
        # named systems only
        ([offer("bob", "db")], []),
        ([offer("erin", "alerts")], [("sre", "acme/sre", "erin")]),
        # a listed member needs no lookup
        ([offer("dave", "alerts")], []),
        # an offer that cannot count asks nothing
        ([offer("alice"), offer("x[bot]", bot=True), offer("e", "alerts", reject_reason="no")], []),
        # a rejected approval of the whole change is still matched, to report it
        ([offer("erin", reject_reason="edited")], [("sre", "acme/sre", "erin")]),
    ],
)
def test_the_memberships_counting_asks_about(offers, expected):
    assert list(asked(offers, NEEDING, TEAMS, author="alice")) == expected


@pytest.mark.parametrize(
    ("rule", "expected"), [("any", []), (2, []), ("all", [("sre", "acme/sre", "Bob")])]
)
def test_a_listed_owner_is_looked_up_only_where_every_owner_team_must_sign(rule, expected):
    needing = {"db": Owned(id="db", owners=("dba", "sre"), rule=rule)}
    assert list(asked([offer("Bob", "db")], needing, TEAMS, author=None)) == expected
    # whatever the rule, someone no list names is looked up
    assert list(asked([offer("zoe", "db")], needing, TEAMS, author=None)) == [
        ("sre", "acme/sre", "zoe")
    ]


def test_a_co_owner_team_only_github_can_read_leaves_a_listed_owner_counting():
    needing = {"db": Owned(id="db", owners=("dba", "sre"), rule="any")}
    members = memberships([offer("bob", "db")], needing, TEAMS, author=None, lookup=None)
    found, left = count(
        [offer("bob", "db")], needing, TEAMS, head=HEAD, author=None, members=members
    )
    assert [s.by for s in found["db"]] == ["bob"]
    assert left == []
    assert state(needing["db"], found["db"], TEAMS, members).satisfied


@pytest.mark.parametrize("author", ["@alice", "Alice", "alice", " @ALICE "])
def test_the_author_is_one_person_however_written(author):
    found, left = count(
        [offer("alice", "db")], NEEDING, TEAMS, head=HEAD, author=author, members={}
    )
    assert found["db"] == []
    assert [i.reason for i in left] == ["the change's author cannot sign off their own change"]
    assert offer("@Alice").from_author_or_bot(author)


def test_each_membership_is_looked_up_once():
    calls: list[tuple[str, str]] = []

    def lookup(team: str, login: str) -> bool:
        calls.append((team, login))
        return login == "erin"

    offers = [offer("Erin"), offer("erin", "alerts"), offer("zoe")]
    members = memberships(offers, NEEDING, TEAMS, author=None, lookup=lookup)
    assert members == {("acme/sre", "erin"): True, ("acme/sre", "zoe"): False}
    assert calls == [("acme/sre", "erin"), ("acme/sre", "zoe")]


def test_a_github_team_without_a_lookup_is_an_error_naming_the_login():
    with pytest.raises(GateError, match="whether erin belongs to it"):
        memberships([offer("erin", "alerts")], NEEDING, TEAMS, author=None, lookup=None)


@pytest.mark.parametrize(
    ("since", "system", "holds"),
    [
        # nothing touched since: the sign-off holds
        (frozenset(), "alerts", True),
        # the system itself changed since
        (frozenset({"alerts"}), "alerts", False),
        # a system whose change reaches it changed since
        (frozenset({"db"}), "alerts", False),
        # an unrelated one did not
        (frozenset({"web"}), "alerts", True),
        # the map changed since
        (frozenset({"dependency-map.yaml"}), "alerts", False),
        # the commit is not in the repository
        (None, "alerts", False),
    ],
)
def test_a_sign_off_on_an_earlier_commit(since, system, holds):
    unchanged = Unchanged(
        since={OLD: since},
        into={"alerts": frozenset({"backup"}), "backup": frozenset({"db"})},
        map_path="dependency-map.yaml",
    )
    assert unchanged.holds(OLD, system) is holds
    given = offer("dave", system, commit=OLD)
    members = {("acme/sre", "dave"): True}
    found, _ = count(
        [given], NEEDING, TEAMS, head=HEAD, author=None, members=members, unchanged=unchanged
    )
    assert [s.by for s in found["alerts"]] == (["dave"] if holds else [])


@pytest.mark.parametrize(
    ("owned", "signers", "satisfied", "waiting"),
    [
        (Owned(id="db", owners=("dba",), rule="any"), [], False, ("dba",)),
        (Owned(id="db", owners=("dba",), rule="any"), ["bob"], True, ()),
        (Owned(id="a", owners=("sre", "@frank"), rule="all"), ["erin"], False, ("@frank",)),
        (Owned(id="a", owners=("sre", "@frank"), rule="all"), ["erin", "Frank"], True, ()),
        (Owned(id="db", owners=("dba",), rule=2), ["bob", "BOB"], False, ("dba",)),
        (Owned(id="db", owners=("dba",), rule=2), ["bob", "alice"], True, ()),
    ],
)
def test_whether_a_rule_is_met(owned, signers, satisfied, waiting):
    signoffs = [Signoff(system=owned.id, by=by, commit=HEAD, source="ledger") for by in signers]
    found = state(
        owned, signoffs, TEAMS, {("acme/sre", "erin"): True, ("acme/sre", "frank"): False}
    )
    assert (found.satisfied, found.waiting_for) == (satisfied, waiting)
