from __future__ import annotations

import pytest

from gate.report.words import rule_phrase


@pytest.mark.parametrize(
    ("rule", "phrase"), [("any", "one owner"), ("all", "one per owner"), ("2", "2 approvals")]
)
def test_every_format_words_a_signoff_rule_the_same_way(rule, phrase):
    assert rule_phrase(rule) == phrase
