"""Sign-offs on earlier commits under `stale-signoffs: impact`: what git is asked, and answers."""

from __future__ import annotations

from pathlib import Path

from gate.depmap.load import load_map
from gate.impact import impacted
from gate.signoffs.records import Offer, Owned
from gate.signoffs.stale import unchanged_since
from gate.versions.schemes import crosses
from testing.infra import MAP, infra_repo, upgrade

POLICY = "policy:\n  stale-signoffs: impact\n"


def test_git_is_asked_only_about_commits_an_owner_signed_off(tmp_path: Path) -> None:
    repo = infra_repo(tmp_path / "infra", policy=POLICY)
    depmap = load_map(MAP.replace("{policy}", POLICY).encode(), "m", path="dependency-map.yaml")
    earlier = upgrade(repo)
    by_stranger = repo.commit("readme", ("README.md", "more\n"))
    head = repo.commit("recipe", ("cookbooks/postgresql/recipe.rb", "# tuned\n"))
    impact = impacted(depmap.graph, {"postgresql": "minor"}, crosses=crosses)
    needing = {"postgresql": Owned(id="postgresql", owners=("dba",), rule="any")}
    offers = [
        Offer(by="bob", systems=None, commit=earlier, source="review"),
        Offer(by="dave", systems=None, commit=by_stranger, source="review"),  # owns none
        Offer(by="alice", systems=None, commit=by_stranger, source="review"),  # the author
        Offer(by="bob", systems=None, commit=head, source="review"),  # for head: nothing to ask
    ]
    unchanged = unchanged_since(
        str(repo.path), head, depmap, impact, offers, needing, author="alice", members={}
    )
    assert unchanged is not None
    assert dict(unchanged.since) == {earlier: frozenset({"postgresql"})}
    assert not unchanged.holds(earlier, "postgresql")  # the recipe changed since
