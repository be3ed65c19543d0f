"""The dependency map as typed, frozen records: teams, systems, dependencies, policy."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

from gate.tuples import pickled_as_tuples

if TYPE_CHECKING:
    from gate.impact import Graph
    from gate.paths.index import Matcher

OnFilter = Literal["any", "version", "major", "minor", "patch"]
Scheme = Literal["semver", "pep440", "postgresql", "loose"]
Select = Literal["first", "max", "min"]
SignoffRule = Literal["any", "all"] | int
Unmapped = Literal["warn", "fail", "ignore"]
Stale = Literal["head", "impact"]


@dataclass(frozen=True, kw_only=True)
class Team:
    id: str
    members: frozenset[str]  # GitHub logins, lower-cased
    github_team: str | None = None  # "org/slug"


class VersionSpec(NamedTuple):
    file: str
    pattern: str | None = None
    key: str | None = None
    image: str | None = None
    select: Select = "first"
    scheme: Scheme = "pep440"


class Edge(NamedTuple):
    """A dependency."""

    dependent: str  # the system that declares depends_on
    dependency: str  # the system it depends on; impact flows dependency -> dependent
    reason: str = ""
    on: OnFilter = "any"
    requires: str | None = None


class System(NamedTuple):
    id: str
    owners: tuple[str, ...]  # team keys, or "@login"
    paths: tuple[str, ...] = ()  # patterns as written; version.file is matched too
    kind: str = ""
    description: str = ""
    signoff: SignoffRule = "any"
    version: VersionSpec | None = None
    depends_on: tuple[Edge, ...] = ()

    @property
    def patterns(self) -> tuple[str, ...]:
        """Every pattern whose match touches this system, the version file included."""
        if self.version is None:
            return self.paths
        return (*self.paths, "/" + self.version.file)


pickled_as_tuples(VersionSpec, Edge, System)


@dataclass(frozen=True, kw_only=True)
class Policy:
    unmapped: Unmapped = "warn"
    signoff_touched: bool = True
    stale_signoffs: Stale = "head"


@dataclass(frozen=True, kw_only=True)
class Map:
    source: str  # "dependency-map.yaml@<sha>" or a file path, for messages and reports
    sha256: str
    path: str | None  # the map's path inside the repository; None for --map-file
    map_owners: tuple[str, ...]
    teams: Mapping[str, Team]
    systems: Mapping[str, System]
    policy: Policy = Policy()

    @property
    def own_system(self) -> System | None:
        """The map file as a system owned by map-owners; None for a map outside the repository."""
        if self.path is None:
            return None
        return System(
            id=self.path,
            owners=self.map_owners,
            paths=("/" + self.path,),
            kind="map",
            description="the dependency map",
        )

    @functools.cached_property
    def matcher(self) -> Matcher:
        """Which systems a changed path touches, the map's own file included.

        Kept with the map (and in the map cache): compiling tens of thousands of patterns
        costs more than a check's lookups.
        """
        from gate.paths.index import Matcher

        systems = [*self.systems.values(), *filter(None, [self.own_system])]
        return Matcher((system.id, system.patterns) for system in systems)

    @functools.cached_property
    def edges(self) -> tuple[Edge, ...]:
        """Every dependency of every system, in map order (kept: many stages walk them)."""
        return tuple(edge for system in self.systems.values() for edge in system.depends_on)

    @functools.cached_property
    def graph(self) -> Graph:
        """The dependencies indexed for impact walks (kept in the map cache, like the matcher)."""
        from gate.impact import Graph

        return Graph(self.edges)
