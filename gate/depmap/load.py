"""Loading the dependency map: strict YAML in, typed frozen records out, every problem at once."""

from __future__ import annotations

import hashlib
import re

from gate.depmap.graph import Graph
from gate.depmap.load_system import LOGIN, SystemReader
from gate.depmap.reader import describe, known_keys_only
from gate.depmap.records import Map, Policy, Stale, System, Team, Unmapped, map_as_system
from gate.depmap.strict_yaml import Node, scalar_value
from gate.errors import MapError
from gate.files import MAX_BYTES
from gate.paths.index import Matcher

_MAP_KEYS = ("version", "map-owners", "teams", "systems", "policy")
_TEAM_KEYS = ("members", "github-team")
_POLICY_KEYS = ("unmapped", "signoff-touched", "stale-signoffs")

_UNMAPPED: tuple[Unmapped, ...] = ("warn", "fail", "ignore")
_STALE: tuple[Stale, ...] = ("head", "impact")

_ID = re.compile(r"[A-Za-z0-9._-]+")
_GITHUB_TEAM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*")


def load_map(data: bytes, source: str, *, path: str | None, sha256: str | None = None) -> Map:
    """Read a dependency map strictly; every problem found is raised at once as a MapError.

    `source` names the map in messages ("FILE:LINE:COLUMN: message"); `path` is its path inside
    the repository (None for a map given as a file outside it).
    """
    from gate.depmap import strict_yaml

    with strict_yaml.collector_paused():
        root = strict_yaml.parse(data, source, max_bytes=MAX_BYTES)
        if root is None:
            raise MapError(
                [
                    f"{source}:1:1: the map is empty; "
                    "start it with 'version: 1' and 'map-owners: [TEAM]'"
                ]
            )
        reader = _MapReader(source, path)
        depmap = reader.read(root, sha256 or hashlib.sha256(data).hexdigest())
        problems = reader.sorted_messages()
        # Freed while the collector is paused, the node tree is never traversed by it.
        del root, reader
    if problems or depmap is None:
        raise MapError(problems)
    return depmap


class _MapReader(SystemReader):
    """The map's top level, teams and policy; systems as SystemReader reads them."""

    def __init__(self, source: str, path: str | None) -> None:
        super().__init__(source)
        self.path = path

    def read(self, root: Node, sha256: str) -> Map | None:
        fields = self.fields(root, "the map", _MAP_KEYS)
        if fields is None:
            return None
        complete = known_keys_only(root, _MAP_KEYS)
        if "version" not in fields:
            if complete:
                self.problem(
                    root, "the map has no 'version'; add 'version: 1' (the format it is in)"
                )
        elif fields["version"].tag != "int" or scalar_value(fields["version"]) != 1:
            self.problem(
                fields["version"],
                f"'version' must be the number 1, not {describe(fields['version'])}; "
                "write 'version: 1'",
            )
        team_entries = self.entries(fields.get("teams"), "'teams'", "team key")
        self.team_ids = {team_id for team_id, _, _ in team_entries}
        for team_id, key, body in team_entries:
            team = self.team(team_id, key, body)
            if team is not None:
                self.teams[team_id] = team
        if "map-owners" in fields:
            map_owners = self.owners(fields["map-owners"], "'map-owners'")
        else:
            map_owners = ()
            if complete:
                self.problem(
                    root,
                    "the map has no 'map-owners'; add 'map-owners: [TEAM]' naming who signs off "
                    "changes to the map",
                )
        system_entries = self.entries(fields.get("systems"), "'systems'", "system id")
        self.system_ids = {system_id for system_id, _, _ in system_entries}
        systems: dict[str, System] = {}
        for system_id, key, body in system_entries:
            if system_id == self.path:
                self.problem(
                    key,
                    f"system id '{system_id}' is the map's own path, which is already a system "
                    "owned by map-owners; rename this system",
                )
            system = self.system(system_id, key, body)
            if system is not None:
                systems[system_id] = system
        self.check_requirements()
        policy = self.policy(fields["policy"]) if "policy" in fields else Policy()
        if self.problems:
            return None
        return Map(
            source=self.source,
            sha256=sha256,
            path=self.path,
            map_owners=map_owners,
            teams=self.teams,
            systems=systems,
            policy=policy,
            matcher=_matcher(systems, self.path, map_owners),
            graph=Graph(edge for system in systems.values() for edge in system.depends_on),
        )

    def entries(self, node: Node | None, what: str, label: str) -> list[tuple[str, Node, Node]]:
        """The (id, key, body) entries of `teams` or `systems`, ids checked."""
        if node is None:
            return []
        if node.kind != "mapping":
            self.problem(node, f"{what} must be a mapping of {label}s, not {describe(node)}")
            return []
        entries = []
        for key, body in node.pairs:
            name = self.text(key, f"{label} {key.text}")
            if name is not None and not _ID.fullmatch(name):
                self.problem(
                    key,
                    f"{label} '{name}' may hold only letters, digits, '.', '_' and '-'; rename it",
                )
            # Kept even when invalid, so references to it are not reported a second time.
            entries.append((key.text, key, body))
        return entries

    def team(self, team_id: str, key: Node, body: Node) -> Team | None:
        context = f"team '{team_id}'"
        fields = self.fields(body, context, _TEAM_KEYS)
        if fields is None:
            return None
        members: set[str] = set()
        member_nodes: tuple[Node, ...] | None = ()
        if "members" in fields:
            member_nodes = self.items(fields["members"], f"'members' of {context}")
        for item in member_nodes or ():
            login = self.text(item, f"a member of {context}")
            if login is None:
                continue
            bare = login.removeprefix("@")
            if LOGIN.fullmatch(bare):
                members.add(bare.lower())
            else:
                self.problem(
                    item, f"'{login}' in {context} is not a GitHub login; write one such as 'alice'"
                )
        github_team = None
        if "github-team" in fields:
            github_team = self.text(fields["github-team"], f"'github-team' of {context}")
            if github_team is not None and not _GITHUB_TEAM.fullmatch(github_team):
                self.problem(
                    fields["github-team"],
                    f"'github-team' of {context} must be 'org/team-slug', as in 'acme/dba', "
                    f"not '{github_team}'",
                )
        if member_nodes == () and "github-team" not in fields and known_keys_only(body, _TEAM_KEYS):
            self.problem(
                key,
                f"{context} has no members and no github-team; list its members "
                "(members: [alice]) or name its GitHub team (github-team: org/slug)",
            )
        return Team(id=team_id, members=frozenset(members), github_team=github_team)

    def policy(self, node: Node) -> Policy:
        fields = self.fields(node, "'policy'", _POLICY_KEYS)
        if fields is None:
            return Policy()
        default = Policy()
        unmapped = default.unmapped
        if "unmapped" in fields:
            unmapped = (
                self.choice(fields["unmapped"], "'unmapped' of 'policy'", _UNMAPPED) or unmapped
            )
        signoff_touched = default.signoff_touched
        if "signoff-touched" in fields:
            value = self.boolean(fields["signoff-touched"], "'signoff-touched' of 'policy'")
            signoff_touched = signoff_touched if value is None else value
        stale = default.stale_signoffs
        if "stale-signoffs" in fields:
            stale = (
                self.choice(fields["stale-signoffs"], "'stale-signoffs' of 'policy'", _STALE)
                or stale
            )
        return Policy(unmapped=unmapped, signoff_touched=signoff_touched, stale_signoffs=stale)


def _matcher(systems: dict[str, System], path: str | None, map_owners: tuple[str, ...]) -> Matcher:
    """Which systems a changed path touches, the map's own file (when in the repository) too."""
    every = [*systems.values(), *filter(None, [map_as_system(path, map_owners)])]
    return Matcher((system.id, system.patterns) for system in every)
