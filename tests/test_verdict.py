"""Who must sign off, and the decision: pure functions over records, by case tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pytest

from gate.depmap.load import load_map
from gate.depmap.read import with_map_system
from gate.depmap.records import Map
from gate.impact import Impact, impacted
from gate.report.records import Report, Signoff, Violation
from gate.signoffs.records import Owned
from gate.verdict import Context, decide, needing_signoff
from gate.versions.files import VersionFiles
from gate.versions.schemes import crosses
from gate.versions.versioned import Versions

HEAD = "b" * 40
MERGE_BASE = "a" * 40

MAP = """\
version: 1
map-owners: ["platform"]
teams:
  dba: {{members: ["alice", "bob"]}}
  sre: {{members: ["dave"]}}
  platform: {{members: ["erin"]}}
systems:
  db:
    owners: ["dba"]
    paths: ["db/"]
    signoff: {signoff}
  backup:
    owners: ["dba", "sre"]
    paths: ["backup/"]
    depends_on: [{{system: db}}]
  alerts:
    owners: ["sre"]
    paths: ["alerts/"]
{policy}"""


def depmap(*, policy: str = "", signoff: str = "any") -> Map:
    text = MAP.format(policy=policy, signoff=signoff)
    return load_map(text.encode(), "dependency-map.yaml", path="dependency-map.yaml")


def impact_of(depmap_: Map, touched: dict[str, str | None]) -> Impact:
    return impacted(depmap_.graph, touched, crosses=crosses)


@pytest.mark.parametrize(
    ("policy", "touched", "edited", "expected"),
    [
        # by default the touched systems need sign-off as the ones they impact do
        ("", ["db"], [], {"db", "backup"}),
        # signoff-touched: false leaves the touched ones to their own team's review
        ("policy: {signoff-touched: false}", ["db"], [], {"backup"}),
        # ... but not a system whose definition the change edits in the map
        ("policy: {signoff-touched: false}", ["db"], ["db"], {"db", "backup"}),
        # ... nor a touched system that impact reaches too
        ("policy: {signoff-touched: false}", ["db", "backup"], [], {"backup"}),
        # ... nor the map file itself
        (
            "policy: {signoff-touched: false}",
            ["alerts", "dependency-map.yaml"],
            [],
            {"dependency-map.yaml"},
        ),
        # a system nothing depends on impacts nothing
        ("", ["alerts"], [], {"alerts"}),
    ],
)
def test_who_must_sign_off(policy, touched, edited, expected):
    found = depmap(policy=policy)
    impact = impact_of(found, dict.fromkeys(touched))
    needing = needing_signoff(with_map_system(found), found, impact, frozenset(edited))
    assert set(needing) == expected
    for sid, owned in needing.items():
        assert owned.owners == with_map_system(found)[sid].owners


def signoff(system: str, by: str) -> Signoff:
    return Signoff(system=system, by=by, commit=HEAD, source="ledger")


def violation(dependent: str, dependency: str) -> Violation:
    return Violation(
        dependent=dependent,
        dependency=dependency,
        requires=">=2",
        rule=">={major}",
        version="1",
        dependency_version="2",
        already_at_base=False,
    )


def _decided(
    found: Map,
    signed: Iterable[tuple[str, str]] = (),
    *,
    violations: tuple[Violation, ...] = (),
    unmapped: tuple[str, ...] = (),
    author: str | None = None,
    contributors: tuple[str, ...] = (),
) -> tuple[Report, Mapping[str, Owned]]:
    """The decision on a change touching db in `found`, with the sign-offs `signed` gives."""
    systems = with_map_system(found)
    impact = impact_of(found, {"db": None})
    needing = needing_signoff(systems, found, impact, frozenset())
    counted: dict[str, list[Signoff]] = {sid: [] for sid in needing}
    for sid, by in signed:
        counted.setdefault(sid, []).append(signoff(sid, by))
    versions = Versions(systems, VersionFiles(head={}, base={}), merge_base=MERGE_BASE, head=HEAD)
    context = Context(base=MERGE_BASE, head=HEAD, merge_base=MERGE_BASE, depmap=found, changed=())
    report = decide(
        context,
        systems,
        impact,
        versions,
        violations,
        needing,
        counted,
        [],
        unmapped=unmapped,
        members={},
        author=author,
        contributors=contributors,
    )
    return report, needing


@pytest.mark.parametrize(
    ("policy", "signoff_rule", "signed", "violations", "unmapped", "verdict", "pending", "notes"),
    [
        # nobody signed: every system that needs it is pending
        ("", "any", [], [], (), "blocked", ("db", "backup"), ()),
        # one owner of each
        ("", "any", [("db", "bob"), ("backup", "dave")], [], (), "pass", (), ()),
        # signoff: all waits for every owner entry
        ("", "all", [("backup", "dave")], [], (), "blocked", ("db",), ()),
        # two of a team count for a rule of two
        ("", "2", [("db", "alice"), ("db", "bob"), ("backup", "dave")], [], (), "pass", (), ()),
        # a violation blocks whoever signed
        (
            "",
            "any",
            [("db", "bob"), ("backup", "dave")],
            [("backup", "db")],
            (),
            "blocked",
            (),
            (),
        ),
        # unmapped files warn by default
        (
            "",
            "any",
            [("db", "bob"), ("backup", "dave")],
            [],
            ("README.md",),
            "pass",
            (),
            ("1 changed file matches no system in the map",),
        ),
        # ... and block under unmapped: fail
        (
            "policy: {unmapped: fail}",
            "any",
            [("db", "bob"), ("backup", "dave")],
            [],
            ("README.md",),
            "blocked",
            (),
            (),
        ),
    ],
)
def test_the_decision(policy, signoff_rule, signed, violations, unmapped, verdict, pending, notes):
    report, _ = _decided(
        depmap(policy=policy, signoff=signoff_rule),
        signed,
        violations=tuple(violation(*pair) for pair in violations),
        unmapped=unmapped,
    )
    assert report.verdict == verdict
    assert report.pending == pending
    assert report.notes == notes
    assert [r.id for r in report.systems] == ["db", "backup"]
    assert report.unmapped == unmapped
    assert report.exit_code == (0 if verdict == "pass" else 1)


def test_a_system_that_needs_no_sign_off_is_satisfied():
    found = depmap(policy="policy: {signoff-touched: false}")
    report, needing = _decided(found, [("backup", "dave")])
    db, backup = report.systems
    assert (db.signoff.required, db.signoff.satisfied) == (False, True)
    assert backup.signoff.by == (signoff("backup", "dave"),)
    assert report.verdict == "pass"
    assert Owned(id="backup", owners=("dba", "sre"), rule="any") == needing["backup"]


@pytest.mark.parametrize(
    ("signoff_rule", "author", "contributors", "signed", "unsignable"),
    [
        # nobody is excluded: anyone can sign
        ("any", None, (), [], ()),
        # the author and a committer are all of dba; backup has dave besides
        ("any", "alice", ("Bob",), [], ("db",)),
        # only the author: bob can still sign
        ("any", "alice", (), [], ()),
        # a signed-off system is never unsignable, only pending ones are
        ("any", "alice", ("bob",), [("db", "bob")], ()),
        # backup is owned by ["dba", "sre"] under its default rule, any: dave can sign
        ("all", "@Alice", ("bob",), [], ("db",)),
    ],
)
def test_unsignable_systems(signoff_rule, author, contributors, signed, unsignable):
    report, _ = _decided(
        depmap(signoff=signoff_rule), signed, author=author, contributors=contributors
    )
    assert report.unsignable == unsignable
    assert set(report.unsignable) <= set(report.pending)
    assert report.verdict == "blocked"
