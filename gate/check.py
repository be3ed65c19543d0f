"""The check: every stage of evaluating a change, in order."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import ExitStack
from dataclasses import dataclass

from gate import DEFAULT_MAP_PATH
from gate.depmap.edits import edited_definitions
from gate.depmap.read import map_reading, read_map, with_map_system
from gate.errors import GateError
from gate.git import diff, refs
from gate.report.records import Report
from gate.signoffs.count import count
from gate.signoffs.memberships import memberships
from gate.signoffs.owners import TeamLookup
from gate.signoffs.records import OfferSource
from gate.signoffs.stale import unchanged_since
from gate.touched import changed_paths, systems_for, touched_by, unmapped
from gate.verdict import Context, decide, needing_signoff
from gate.versions.files import load_parsers, read_version_files, version_files
from gate.versions.versioned import Versions
from gate.versions.violations import impact_and_violations


@dataclass(frozen=True, kw_only=True)
class Change:
    """What to evaluate: a range of commits in a repository, and where the map comes from."""

    repo: str
    base: str | None  # None: the remote's default branch
    head: str = "HEAD"
    map_path: str = DEFAULT_MAP_PATH
    map_file: str | None = None  # a map on disk instead of the one in the repository
    signoffs: str | None = None  # a file of sign-offs recorded outside GitHub
    author: str | None = None
    deepen: bool = False


def check(
    change: Change,
    *,
    offers: Sequence[OfferSource] = (),
    lookup: TeamLookup | None = None,
    contributors: Collection[str] = (),
) -> Report:
    """Evaluate one change.

    git lists the change while the map is read and loaded, then reads the version files at
    head while the listing finishes: on a large change git takes as long as everything else.
    `lookup` answers GitHub team memberships; the only calls that can reach GitHub.
    `contributors`: the authors and committers of the change's commits, who like its author
    cannot sign off (a system only they could sign off is reported as unsignable).
    """
    repo, author = change.repo, _author(change.author)
    base, head, merge_base = resolve_range(change)
    # git reads in the background while the gate works; whatever is still running ends with the
    # check, however it ends. The version files at head are waited for only if a version is read.
    with ExitStack() as git_at_work:
        listing = git_at_work.enter_context(diff.Listing(repo, merge_base, head))
        map_blob = git_at_work.enter_context(
            map_reading(repo, base, change.map_path, change.map_file)
        )
        depmap = read_map(repo, base, change.map_path, change.map_file, map_blob)
        if change.map_file is not None:
            from gate.git.worktree import from_outside

            from_outside(repo, base, change.map_file, depmap.sha256, what="--map-file")
        at_head = git_at_work.enter_context(version_files(repo, head, depmap.systems))
        if listing.running():
            # A large change: while git lists it, load what reading its versions will take.
            load_parsers(depmap.systems)
        changed = listing.changed()
        paths = changed_paths(changed)
        files = read_version_files(
            repo,
            merge_base,
            head,
            depmap.systems,
            at_head=at_head,
            paths=paths,
            before=listing.before(),
        )
        systems = with_map_system(depmap)
        versions = Versions(systems, files, merge_base=merge_base, head=head)
        matches = systems_for(depmap, paths, listing.submodules())
        edited = edited_definitions(repo, depmap, merge_base, head, matches)
        touched, silent = touched_by(matches, edited, versions)
        impact, violations = impact_and_violations(depmap, touched, silent, versions)
        needing = needing_signoff(systems, depmap, impact, edited)
        if change.signoffs is not None:
            from gate.signoffs.ledger import ledger_source

            offers = [*offers, ledger_source(change.signoffs, repo=repo, base=base)]
        offered = [offer for source in offers for offer in source(depmap)]
        members = memberships(offered, needing, depmap.teams, author=author, lookup=lookup)
        unchanged = unchanged_since(
            repo, head, depmap, impact, offered, needing, author=author, members=members
        )
        counted, ignored = count(
            offered,
            needing,
            depmap.teams,
            head=head,
            author=author,
            members=members,
            unchanged=unchanged,
        )
        # A GitHub team is read as its memberships are: a team that cannot be read is an error.
        read_team = (lambda team: lookup(team, author)) if lookup is not None and author else None
        context = Context(
            base=base, head=head, merge_base=merge_base, depmap=depmap, changed=changed
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
            unmapped=unmapped(matches),
            members=members,
            author=author,
            contributors=contributors,
            read_team=read_team,
        )


def _author(written: str | None) -> str | None:
    """The author's login as given (`@carol` is carol); sign-offs compare it case-blind."""
    if written is None:
        return None
    bare = written.strip().removeprefix("@")
    if not bare or any(char.isspace() for char in bare):
        raise GateError(
            f"--author {written!r} is not a GitHub login; name the change's author, such as"
            " --author carol"
        )
    return bare


def resolve_range(change: Change) -> tuple[str, str, str]:
    """Base, head and their merge base as commits, before anything else is read."""
    if change.base is None:
        base = refs.default_base(change.repo)
    else:
        base = refs.resolve(change.repo, change.base, what="--base")
    head = refs.resolve(change.repo, change.head, what="--head")
    return base, head, refs.merge_base(change.repo, base, head, deepen=change.deepen)
