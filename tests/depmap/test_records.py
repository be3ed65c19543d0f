"""The map's records: version rules by kind, and a Map's copies sharing its indexes."""

from __future__ import annotations

import dataclasses
import pickle

from gate.depmap.load import load_map
from gate.depmap.records import ImageRule, KeyRule, PatternRule, System
from testing.infra import MAP


def test_a_rule_equals_only_a_rule_of_its_kind() -> None:
    key, image = KeyRule(file="f", key="postgres"), ImageRule(file="f", image="postgres")
    assert key != image
    assert not key == image  # noqa: SIM201 -- both operators, each way
    assert image != key
    assert key == KeyRule(file="f", key="postgres")
    assert hash(key) == hash(KeyRule(file="f", key="postgres"))
    with_key = System(id="s", owners=("t",), version=key)
    assert with_key != with_key._replace(version=image)
    assert PatternRule(file="f", pattern="(?P<version>.*)").written == (
        "pattern",
        "(?P<version>.*)",
    )
    assert image.written == ("image", "postgres")


def test_rules_pickle_as_themselves() -> None:
    rules = [PatternRule(file="f", pattern="p", select="max"), KeyRule(file="f", key="k")]
    assert [type(rule) for rule in pickle.loads(pickle.dumps(rules))] == [PatternRule, KeyRule]
    assert pickle.loads(pickle.dumps(rules)) == rules


def test_a_copy_of_a_map_shares_its_matcher_and_graph() -> None:
    depmap = load_map(MAP.replace("{policy}", "").encode(), "a", path="dependency-map.yaml")
    copy = dataclasses.replace(depmap, source="b")
    assert copy.matcher is depmap.matcher
    assert copy.graph is depmap.graph
    assert copy.edges is depmap.edges
    assert copy.matcher.systems_for("dependency-map.yaml") == {"dependency-map.yaml"}
