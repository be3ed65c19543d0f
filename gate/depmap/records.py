"""The dependency map as typed, frozen records: teams, systems, dependencies, policy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeAlias

from gate.tuples import pickled_as_tuples

if TYPE_CHECKING:
    from gate.depmap.graph import Graph
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


class PatternRule(NamedTuple):
    """The version is the group named 'version' of a regular expression's match in the file."""

    file: str
    pattern: str
    select: Select = "first"  # which match, when there are several
    scheme: Scheme = "pep440"

    @property
    def written(self) -> tuple[str, str]:
        """The rule as the map writes it: ("pattern", its value)."""
        return "pattern", self.pattern

    # Compared as tuples, a key rule would equal an image rule with the same strings.
    def __eq__(self, other: object) -> bool:
        return type(other) is PatternRule and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return tuple.__hash__(self)


class KeyRule(NamedTuple):
    """The version is the value at a dotted key of a YAML, JSON or TOML file."""

    file: str
    key: str
    scheme: Scheme = "pep440"

    @property
    def written(self) -> tuple[str, str]:
        """The rule as the map writes it: ("key", its value)."""
        return "key", self.key

    # Compared as tuples, a key rule would equal an image rule with the same strings.
    def __eq__(self, other: object) -> bool:
        return type(other) is KeyRule and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return tuple.__hash__(self)


def is_dockerfile(file: str) -> bool:
    """Dockerfile, Containerfile, Dockerfile.dev, dev.Dockerfile ...; anything else is YAML."""
    name = file.rpartition("/")[2].lower()
    if name.endswith((".yml", ".yaml", ".json")):
        return False
    return "dockerfile" in name or "containerfile" in name


class ImageRule(NamedTuple):
    """The version is the tag of every reference to a container image in the file."""

    file: str
    image: str
    scheme: Scheme = "pep440"

    @property
    def written(self) -> tuple[str, str]:
        """The rule as the map writes it: ("image", its value)."""
        return "image", self.image

    @property
    def env_file(self) -> str | None:
        """The `.env` beside a compose file, whose values Compose puts in `${VAR:-default}`
        before the default; None for a Dockerfile.
        https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/
        """
        if is_dockerfile(self.file):
            return None
        directory = self.file.rpartition("/")[0]
        return f"{directory}/.env" if directory else ".env"

    # Compared as tuples, a key rule would equal an image rule with the same strings.
    def __eq__(self, other: object) -> bool:
        return type(other) is ImageRule and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return tuple.__hash__(self)


# A system's `version:` block: where its version is declared, and how to read it.
VersionSpec: TypeAlias = PatternRule | KeyRule | ImageRule


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
        """Every pattern whose match touches this system, the files its version is read from
        included (a compose file's `.env` too)."""
        if self.version is None:
            return self.paths
        return (*self.paths, *("/" + file for file in rule_files(self.version)))


def rule_files(spec: VersionSpec) -> tuple[str, ...]:
    """The files a version rule reads: its file, and for an image in YAML the `.env` beside it."""
    env = spec.env_file if isinstance(spec, ImageRule) else None
    return (spec.file,) if env is None else (spec.file, env)


pickled_as_tuples(PatternRule, KeyRule, ImageRule, Edge, System)


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
    # Built by the loader and kept in the map cache with the map: compiling tens of thousands
    # of patterns costs more than a check's lookups. The matcher covers the map's own file;
    # the graph indexes the dependencies for impact walks.
    matcher: Matcher = field(compare=False, repr=False)
    graph: Graph[Edge] = field(compare=False, repr=False)

    @property
    def own_system(self) -> System | None:
        """The map file as a system owned by map-owners; None for a map outside the repository."""
        return map_as_system(self.path, self.map_owners)

    @property
    def edges(self) -> tuple[Edge, ...]:
        """Every dependency of every system, in map order."""
        return self.graph.edges


def map_as_system(path: str | None, map_owners: tuple[str, ...]) -> System | None:
    """The map file at `path` as a system owned by map-owners; None for a map outside the
    repository."""
    if path is None:
        return None
    return System(
        id=path,
        owners=map_owners,
        paths=("/" + path,),
        kind="map",
        description="the dependency map",
    )
