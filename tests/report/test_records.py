"""The report's records: who a system, and the whole change, still waits for."""

from __future__ import annotations

import pytest

from gate.report.records import SignoffState, SystemResult
from tests.report.samples import report_of, system

SIGNED = SignoffState(required=True, satisfied=True, rule="any")
NOT_NEEDED = SignoffState(required=False, satisfied=True, rule="any")


def waiting(*owners: str, rule: str = "any") -> SignoffState:
    return SignoffState(required=True, satisfied=False, rule=rule, waiting_for=owners)


@pytest.mark.parametrize(
    ("owners", "state", "expected"),
    [
        (("dba", "sre"), waiting("dba", "sre"), ("dba", "sre")),
        (("dba", "sre"), waiting("sre", rule="all"), ("sre",)),
        (("dba", "sre"), waiting(), ("dba", "sre")),  # a state naming no one: its owners
        (("dba",), SIGNED, ()),
        (("dba",), NOT_NEEDED, ()),
    ],
)
def test_a_system_waits_for_the_owners_still_to_sign_off(owners, state, expected):
    result: SystemResult = system("db", owners=owners, signoff=state)
    assert result.waiting_on == expected


def test_the_report_lists_each_owner_once_with_the_systems_waiting_for_them():
    report = report_of(
        system("db", owners=("dba",), signoff=waiting("dba")),
        system("backup", ("db", "backup"), owners=("backup", "dba"), signoff=waiting("backup")),
        system("replica", ("db", "replica"), owners=("dba",), signoff=waiting("dba")),
        system("alerts", ("db", "alerts"), owners=("sre",), signoff=SIGNED),
    )
    assert report.waiting() == {"dba": ["db", "replica"], "backup": ["backup"]}
