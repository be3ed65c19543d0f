"""The verdict: who must sign off, and the decision with the report that explains it."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from operator import attrgetter

from gate.depmap.records import Map, SignoffRule, System, Team
from gate.git.diff import Changed
from gate.impact import Impact
from gate.report.records import Ignored, Report, Signoff, SignoffState, SystemResult, Violation
from gate.report.words import counted as count_of
from gate.signoffs.count import state
from gate.signoffs.owners import Members, bare_login
from gate.signoffs.records import Owned
from gate.signoffs.signers import TeamRead, unsignable
from gate.versions.versioned import Versions


@dataclass(frozen=True, kw_only=True)
class Context:
    """The change once read: the range and the map it is judged by."""

    base: str
    head: str
    merge_base: str
    depmap: Map
    changed: tuple[Changed, ...]


def needing_signoff(
    systems: Mapping[str, System], depmap: Map, impact: Impact, edited: frozenset[str]
) -> dict[str, Owned]:
    """Affected systems whose owners must sign off, under the base map's policy."""
    needing: dict[str, Owned] = {}
    every = depmap.policy.signoff_touched  # then touched systems need it as impacted ones do
    # A touched system that impact also reaches is impacted as well, whatever else touched it.
    reached = frozenset() if every else impact.reached()
    for sid in impact.affected():
        if every or sid in reached or sid in edited or sid == depmap.path:
            system = systems[sid]
            needing[sid] = Owned(id=sid, owners=system.owners, rule=system.signoff)
    return needing


def decide(
    context: Context,
    systems: Mapping[str, System],
    impact: Impact,
    versions: Versions,
    violations: tuple[Violation, ...],
    needing: Mapping[str, Owned],
    counted: Mapping[str, list[Signoff]],
    ignored: list[Ignored],
    *,
    unmapped: tuple[str, ...],
    members: Members,
    author: str | None,
    contributors: Collection[str] = (),
    read_team: TeamRead | None = None,
) -> Report:
    """The verdict, and the report that explains it.

    `contributors`: logins of the authors and committers of the change's commits, who cannot
    sign off any more than its author can; `read_team`: reads a GitHub team that may hold the
    only people who can sign a system off (signers.unsignable).
    """
    teams = context.depmap.teams
    order = sorted(impact.touched) + sorted(impact.impacted)
    violated: dict[str, list[Violation]] = {}
    for violation in violations:
        violated.setdefault(violation.dependent, []).append(violation)
    results: list[SystemResult] = []
    # Where no sign-off was given, a state depends on the owners and the rule alone.
    unsigned: dict[tuple[tuple[str, ...], SignoffRule, bool], SignoffState] = {}
    for sid in order:
        system = systems[sid]
        owned = needing.get(sid)
        given = counted.get(sid)
        if owned is not None and given:
            signoff = state(owned, given, teams, members)
        else:
            key = (system.owners, system.signoff, owned is not None)
            found = unsigned.get(key)
            if found is None:
                found = unsigned[key] = (
                    state(owned, [], teams, members)
                    if owned is not None
                    else SignoffState(required=False, satisfied=True, rule=str(system.signoff))
                )
            signoff = found
        because, truncated = impact.because(sid)
        results.append(
            SystemResult(
                id=sid,
                affected="touched" if sid in impact.touched else "impacted",
                because=because,
                because_truncated=truncated,
                owners=system.owners,
                kind=system.kind,
                description=system.description,
                version=versions.change(sid) if system.version is not None else None,
                violations=tuple(violated.get(sid, ())),
                signoff=signoff,
            )
        )
    pending = tuple(r.id for r in results if not r.signoff.satisfied)
    cannot = {bare_login(login) for login in contributors}
    if author is not None:
        cannot.add(bare_login(author))
    no_one = _unsignable(pending, needing, teams, cannot, read_team)
    policy = context.depmap.policy
    blocked = bool(pending or violations or (unmapped and policy.unmapped == "fail"))
    notes: list[str] = []
    if unmapped and policy.unmapped == "warn":
        matches = "matches" if len(unmapped) == 1 else "match"
        notes.append(f"{count_of(len(unmapped), 'changed file')} {matches} no system in the map")
    return Report(
        verdict="blocked" if blocked else "pass",
        base=context.base,
        head=context.head,
        merge_base=context.merge_base,
        map_source=context.depmap.source,
        map_sha256=context.depmap.sha256,
        changed=context.changed,
        systems=tuple(results),
        pending=pending,
        unsignable=no_one,
        unmapped=unmapped if policy.unmapped != "ignore" else (),
        unmapped_policy=policy.unmapped,
        author=author,
        ignored=tuple(ignored),
        edges=tuple(map(attrgetter("dependency", "dependent"), impact.crossed)),
        notes=tuple(notes),
        people=_people(results, teams, cannot),
    )


def _people(
    results: list[SystemResult], teams: Mapping[str, Team], cannot: Collection[str]
) -> dict[str, tuple[str, ...]]:
    """For each team still to sign off, its listed members who can: the people to ask."""
    waited = {owner for result in results for owner in result.waiting_on}
    return {
        owner: tuple(sorted(teams[owner].members - set(cannot)))
        for owner in sorted(waited)
        if owner in teams
    }


def _unsignable(
    pending: tuple[str, ...],
    needing: Mapping[str, Owned],
    teams: Mapping[str, Team],
    cannot: Collection[str],
    read_team: TeamRead | None,
) -> tuple[str, ...]:
    """The pending systems whose sign-offs no one but those in cannot could give."""
    # Only owners and rule matter: a large map holds few distinct pairs.
    known: dict[tuple[tuple[str, ...], SignoffRule], bool] = {}
    found: list[str] = []
    for sid in pending:
        owned = needing[sid]
        key = (owned.owners, owned.rule)
        if key not in known:
            known[key] = unsignable(owned, teams, cannot, read_team=read_team)
        if known[key]:
            found.append(sid)
    return tuple(found)
