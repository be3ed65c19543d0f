"""The report's phrases, each said once for every format."""

from __future__ import annotations

import pytest

from gate.report.records import VersionChange
from gate.report.words import counted, headline, rule_phrase, version_phrase, violation_sentence
from tests.report.samples import report_of, system, violation


@pytest.mark.parametrize(
    ("rule", "phrase"), [("any", "one owner"), ("all", "one per owner"), ("2", "2 approvals")]
)
def test_every_format_words_a_signoff_rule_the_same_way(rule, phrase):
    assert rule_phrase(rule) == phrase


@pytest.mark.parametrize(
    ("version", "phrase"),
    [
        (VersionChange(before="9.2.18", after="9.6.1", bump="major"), "9.2.18 -> 9.6.1 (major)"),
        (
            VersionChange(before="2.0", after="1.9", bump="minor", downgrade=True),
            "2.0 -> 1.9 (minor, DOWNGRADE)",
        ),
        (VersionChange(before=None, after="1.0", bump="added"), "none -> 1.0 (added)"),
        (VersionChange(before="9.2", after="9.2", bump=None), "9.2 (unchanged)"),
    ],
)
def test_a_version_change_in_words(version, phrase):
    assert version_phrase(version) == phrase


def test_a_violation_in_one_sentence_with_where_each_version_was_read():
    already = violation(already_at_base=True, reason="pg_dump refuses", version_at="b.yml:2")
    assert violation_sentence(already) == (
        'pg-dump-backup 9.2.18 (b.yml:2) does not satisfy >=9.6 (rule ">={major}")'
        " required by postgresql 9.6.1: pg_dump refuses [already violated at the merge base]"
    )


def test_the_headline_gives_the_verdict_and_every_reason():
    blocked = report_of(system("db"), unmapped=("README.md",), unmapped_policy="fail")
    assert headline(blocked) == (
        "BLOCKED: 1 system waits for sign-off; 1 changed file matches no system."
    )
    two = report_of(system("db"), system("cache"), unmapped=("a", "b"), unmapped_policy="fail")
    assert headline(two) == (
        "BLOCKED: 2 systems wait for sign-off; 2 changed files match no system."
    )
    assert headline(report_of(verdict="pass", pending=())) == (
        "PASS: the change touches no mapped system."
    )
    signed = report_of(system("db"), verdict="pass", pending=())
    assert headline(signed) == "PASS: 1 affected system, every required sign-off is in."


@pytest.mark.parametrize(
    ("number", "noun", "plural", "said"),
    [
        (0, "system", None, "0 systems"),
        (1, "system", None, "1 system"),
        (2, "changed path", None, "2 changed paths"),
        (3, "person", "people", "3 people"),
    ],
)
def test_counted_agrees_the_noun_with_the_number(number, noun, plural, said):
    assert counted(number, noun, plural) == said


def test_each_format_shows_the_versions_its_own_way():
    version = VersionChange(before="9.2.18", after="9.6.1", bump="major")
    assert version_phrase(version, value=lambda v: f"<{v}>", arrow="→") == (
        "<9.2.18> → <9.6.1> (major)"
    )
    added = VersionChange(before=None, after="1.0", bump="added")
    assert version_phrase(added, value=lambda v: f"<{v}>") == "none -> <1.0> (added)"
    unchanged = VersionChange(before="9.2", after="9.2", bump=None)
    assert version_phrase(unchanged, value=lambda v: f"<{v}>") == "<9.2> (unchanged)"


def test_each_format_shows_the_values_of_a_violation_its_own_way():
    values = violation(reason="it refuses", version_at="b.yml:2", dependency_version_at="d.rb:1")
    sentence = violation_sentence(
        values, value=lambda v: f"<{v}>", quote=lambda v: f"«{v}»", prose=str.upper
    )
    assert sentence == (
        "<pg-dump-backup 9.2.18> (<b.yml:2>) does not satisfy <>=9.6> (rule «>={major}»)"
        " required by <postgresql 9.6.1> (<d.rb:1>): IT REFUSES"
    )
