"""Sign-offs on earlier commits, under `stale-signoffs: impact`: what changed since each."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from gate.depmap.records import Map
from gate.git import diff, refs
from gate.impact import Impact
from gate.signoffs.owners import Members, owners_matched
from gate.signoffs.records import Offer, Owned
from gate.touched import changed_paths, systems_for


@dataclass(frozen=True, kw_only=True)
class Unchanged:
    """Whether a sign-off given on an earlier commit still holds for a system at head.

    It does when nothing between that commit and head touches the system or any system on a
    chain that reaches it, and the map itself is unchanged.
    """

    # Each earlier commit offered: the systems touched between it and head; None when the
    # repository holds no such commit.
    since: Mapping[str, frozenset[str] | None]
    into: Mapping[str, frozenset[str]]  # each system: the systems whose change reached it
    map_path: str | None

    def holds(self, commit: str, system: str) -> bool:
        touched_since = self.since.get(commit)
        if touched_since is None:
            return False
        if self.map_path is not None and self.map_path in touched_since:
            return False
        return not touched_since & self._upstream(system)

    def _upstream(self, system: str) -> set[str]:
        """The system and every system whose change reached it in this evaluation."""
        seen, todo = {system}, [system]
        while todo:
            for source in self.into.get(todo.pop(), ()):
                if source not in seen:
                    seen.add(source)
                    todo.append(source)
        return seen


def unchanged_since(
    repo: str,
    head: str,
    depmap: Map,
    impact: Impact,
    offers: Iterable[Offer],
    needing: Mapping[str, Owned],
    *,
    author: str | None,
    members: Members,
) -> Unchanged | None:
    """What git says has changed since each earlier commit an owner's sign-off was given for,
    under `stale-signoffs: impact`; None under any other policy (only head's sign-offs count).

    Only offers that counting would ask about are read: by an owner of a system they name, and
    neither rejected already nor the author's or a bot's.
    """
    if depmap.policy.stale_signoffs != "impact":
        return None
    into: dict[str, set[str]] = {}
    for edge in impact.crossed:
        into.setdefault(edge.dependent, set()).add(edge.dependency)
    since: dict[str, frozenset[str] | None] = {}
    for offer in offers:
        if offer.commit == head or offer.commit in since or offer.reject_reason is not None:
            continue
        if offer.from_author_or_bot(author):
            continue
        named = offer.systems if offer.systems is not None else tuple(needing)
        if any(
            owners_matched(offer.by, needing[system].owners, depmap.teams, members)
            for system in named
            if system in needing
        ):
            since[offer.commit] = _touched_since(repo, offer.commit, head, depmap)
    return Unchanged(
        since=since,
        into={system: frozenset(sources) for system, sources in into.items()},
        map_path=depmap.path,
    )


def _touched_since(repo: str, commit: str, head: str, depmap: Map) -> frozenset[str] | None:
    if not refs.is_commit(repo, commit):
        return None
    changed, submodules = diff.changed_with_submodules(repo, commit, head)
    return frozenset().union(*systems_for(depmap, changed_paths(changed), submodules).values())
