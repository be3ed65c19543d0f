"""The check's stages: map, change, touched systems, impact, versions, sign-offs, verdict."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter

from gate.check import Change, Context
from gate.depmap.cache import load_cached
from gate.depmap.read import working_map
from gate.depmap.records import Edge, Map, SignoffRule, System
from gate.errors import GateError, MapError
from gate.git import blobs, diff, refs
from gate.git.diff import Changed
from gate.impact import Impact, impacted
from gate.report.records import Ignored, Report, Signoff, SignoffState, SystemResult, Violation
from gate.signoffs.count import count, state
from gate.signoffs.owners import TeamLookup
from gate.signoffs.records import OfferSource, Owned, StillHolds
from gate.versions.schemes import crosses
from gate.versions.versioned import Versions, load_parsers, version_files
from gate.versions.violations import violations_of


def run(
    change: Change,
    base: str,
    head: str,
    merge_base: str,
    listing: diff.Listing,
    map_blob: blobs.FileReading | None,
    *,
    offers: Sequence[OfferSource],
    lookup: TeamLookup | None,
) -> Report:
    """The stages, in order, once git lists the change (and reads the map) in `listing`."""
    depmap, at_head, changed = map_and_change(change, base, head, listing, map_blob)
    systems = with_map_system(depmap)
    paths = changed_paths(changed)
    before = listing.before()
    versions = Versions(
        change.repo,
        merge_base,
        head,
        systems,
        changed={path: before.get(path) for path in paths},
        at_head=at_head,
    )
    with versions:
        context = Context(
            repo=change.repo,
            base=base,
            head=head,
            merge_base=merge_base,
            depmap=depmap,
            changed=changed,
        )
        matches = systems_for(depmap, paths)
        edited = edited_definitions(change, depmap, merge_base, head, matches)
        touched, silent = touched_by(matches, edited, versions)
        impact, violations = impact_and_violations(depmap, touched, silent, versions)
        needing = needing_signoff(systems, depmap, impact, edited)
        offered = [offer for source in offers for offer in source(depmap)]
        counted, ignored = count(
            offered,
            needing,
            depmap,
            head=head,
            author=change.author,
            lookup=lookup,
            still_holds=unchanged_impact(context, impact),
        )
        return decide(
            context,
            systems,
            impact,
            versions,
            violations,
            needing,
            counted,
            ignored,
            unmapped=tuple(path for path, ids in matches.items() if not ids),
            lookup=lookup,
            author=change.author,
        )


def map_and_change(
    change: Change, base: str, head: str, listing: diff.Listing, map_blob: blobs.FileReading | None
) -> tuple[Map, blobs.Reading, tuple[Changed, ...]]:
    """The map, its version files at head, and the changed paths.

    git lists the change while the map is loaded, then reads the version files while the
    listing finishes: side by side.
    """
    try:
        depmap = read_map(change, base, map_blob)
        at_head = version_files(change.repo, head, depmap.systems)  # the map file has none
    except BaseException:
        listing.stop()
        raise
    try:
        if listing.running():
            # A large change: while git lists it, load what reading its versions will take.
            load_parsers(depmap.systems)
        changed = listing.changed()
    except BaseException:
        listing.stop()
        at_head.stop()
        raise
    return depmap, at_head, changed


def read_map(change: Change, base: str, map_blob: blobs.FileReading | None) -> Map:
    """The map the change is judged by: from the base commit (being read in `map_blob`), or a
    file outside the change."""
    if map_blob is None:
        return working_map(change.repo, change.map_path, change.map_file)
    blob = map_blob.result()
    if isinstance(blob, GateError):
        raise blob
    if blob is None:
        raise GateError(
            f"there is no {change.map_path} at the base commit {base[:12]}. The map is read from"
            " the base so that a change cannot rewrite the rules it is judged by; a change that"
            " adds the map has nothing to be judged by. Merge the map on its own first (reviewed"
            " by hand), pass --map PATH if it lives elsewhere, or --map-file FILE."
        )
    return load_cached(blob, f"{change.map_path}@{base}", path=change.map_path)


def with_map_system(depmap: Map) -> dict[str, System]:
    """The map's systems, plus the in-repository map file as a system owned by map-owners."""
    systems = dict(depmap.systems)
    if depmap.own_system is not None:
        systems[depmap.own_system.id] = depmap.own_system
    return systems


def changed_paths(changed: Iterable[Changed]) -> list[str]:
    """Every path the change shows, both sides of a rename included, in order, once each."""
    paths: dict[str, None] = {}
    for entry in changed:
        if entry.old_path is not None:
            paths[entry.old_path] = None
        paths[entry.path] = None
    return list(paths)


def systems_for(depmap: Map, paths: Iterable[str]) -> dict[str, frozenset[str]]:
    """The systems each path touches (the map's own file is one)."""
    return depmap.matcher.systems_of(paths)


def edited_definitions(
    change: Change,
    depmap: Map,
    merge_base: str,
    head: str,
    matches: Mapping[str, frozenset[str]],
) -> frozenset[str]:
    """Systems of the base map whose definition the change edits in the in-repository map."""
    if depmap.path is None or depmap.path not in matches:
        return frozenset()
    path = depmap.path
    read = blobs.read_blobs(change.repo, [merge_base, head], [path])
    before, after = read[merge_base][path], read[head][path]
    if after is None:
        return frozenset(depmap.systems)
    try:
        new = load_cached(after, f"{path}@{head}", path=path)
    except MapError as error:
        raise GateError(
            f"the change leaves {path} invalid, so the gate cannot tell which systems it"
            f" redefines; fix these in the change:\n{error}"
        ) from None
    old = load_cached(before, f"{path}@{merge_base}", path=path) if before is not None else None
    return frozenset(
        sid for sid in depmap.systems if old is None or old.systems.get(sid) != new.systems.get(sid)
    )


def touched_by(
    matches: Mapping[str, frozenset[str]], edited: frozenset[str], versions: Versions
) -> tuple[dict[str, str | None], frozenset[str]]:
    """Touched systems with their version bump (None: not a version change), and the silent ones.

    A system touched only by an edit of its definition in the map carries no impact further.
    """
    by_files = {sid for ids in matches.values() for sid in ids}
    touched: dict[str, str | None] = dict.fromkeys(edited)
    touched.update({sid: versions.bump(sid) for sid in by_files})
    return touched, frozenset(edited - by_files)


def impact_and_violations(
    depmap: Map, touched: Mapping[str, str | None], silent: frozenset[str], versions: Versions
) -> tuple[Impact, tuple[Violation, ...]]:
    """Impact, then requirements on every edge with an affected end, until nothing new is reached.

    A violated requirement makes its dependent affected whatever the edge's `on:`, and what is
    affected then passes impact on, which can reach further requirements.
    """
    graph = depmap.graph
    forced: frozenset[Edge] = frozenset()
    while True:
        impact = impacted(graph, touched, crosses=crosses, silent=silent, forced=forced)
        affected = impact.affected()
        violations = violations_of(depmap.edges, affected, versions)
        violated = {(v.dependent, v.dependency) for v in violations}
        newly = frozenset(
            edge
            for edge in depmap.edges
            if (edge.dependent, edge.dependency) in violated and edge.dependent not in affected
        )
        if not newly - forced:
            return impact, violations
        forced |= newly


def needing_signoff(
    systems: Mapping[str, System], depmap: Map, impact: Impact, edited: frozenset[str]
) -> dict[str, Owned]:
    """Affected systems whose owners must sign off, under the base map's policy."""
    needing: dict[str, Owned] = {}
    every = depmap.policy.signoff_touched  # then touched systems need it as impacted ones do
    for sid in impact.affected():
        if every or sid in impact.impacted or sid in edited or sid == depmap.path:
            system = systems[sid]
            needing[sid] = Owned(id=sid, owners=system.owners, rule=system.signoff)
    return needing


def unchanged_impact(context: Context, impact: Impact) -> StillHolds | None:
    """Under `stale-signoffs: impact`: does a sign-off on an earlier commit still hold at head?

    It does when nothing between that commit and head touches the system or any system on a
    chain that reaches it, and the map itself is unchanged.
    """
    if context.depmap.policy.stale_signoffs != "impact":
        return None
    into: dict[str, set[str]] = {}
    for edge in impact.crossed:
        into.setdefault(edge.dependent, set()).add(edge.dependency)

    def upstream(system: str) -> set[str]:
        """The system and every system whose change reached it in this evaluation."""
        seen, todo = {system}, [system]
        while todo:
            for source in into.get(todo.pop(), ()):
                if source not in seen:
                    seen.add(source)
                    todo.append(source)
        return seen

    cache: dict[str, frozenset[str] | None] = {}

    def still_holds(commit: str, system: str) -> bool:
        if commit not in cache:
            if not refs.is_commit(context.repo, commit):
                cache[commit] = None
            else:
                since = diff.changed(context.repo, commit, context.head)
                cache[commit] = frozenset().union(
                    *systems_for(context.depmap, changed_paths(since)).values()
                )
        touched_since = cache[commit]
        if touched_since is None:
            return False
        if context.depmap.path is not None and context.depmap.path in touched_since:
            return False
        return not touched_since & upstream(system)

    return still_holds


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
    lookup: TeamLookup | None,
    author: str | None,
) -> Report:
    """The verdict, and the report that explains it."""
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
            signoff = state(owned, given, context.depmap, lookup)
        else:
            key = (system.owners, system.signoff, owned is not None)
            found = unsigned.get(key)
            if found is None:
                found = unsigned[key] = (
                    state(owned, [], context.depmap, lookup)
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
    policy = context.depmap.policy
    blocked = bool(pending or violations or (unmapped and policy.unmapped == "fail"))
    notes: list[str] = []
    if unmapped and policy.unmapped == "warn":
        notes.append(f"{len(unmapped)} changed file(s) match no system in the map")
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
        unmapped=unmapped if policy.unmapped != "ignore" else (),
        unmapped_policy=policy.unmapped,
        author=author,
        ignored=tuple(ignored),
        edges=tuple(map(attrgetter("dependency", "dependent"), impact.crossed)),
        notes=tuple(notes),
    )
