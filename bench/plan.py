"""Benchmark inputs, planned: systems with their patterns, files, versions and dependencies."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

# Bump this whenever what the generator makes changes: the cache is keyed by it.
GENERATOR_VERSION = 5

PATTERNS_PER_SYSTEM = 4
PLATFORM = ("ci", "containers", "build", "security", "docs")
# The share of the non-platform systems of each kind.
SHARES = (("service", 0.64), ("software", 0.08), ("module", 0.12), ("library", 0.12))
SOFTWARE = (
    "postgresql", "redis", "nginx", "haproxy", "rabbitmq", "elasticsearch", "memcached",
    "openssl", "zlib", "curl", "git", "ruby", "python", "nodejs", "golang", "libxml2",
)  # fmt: skip
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-south-1", "sa-east-1")
ENVIRONMENTS = ("prod", "staging", "dev")
STACKS = ("network", "compute", "storage", "edge", "data", "identity")
WORDS = (
    "api", "auth", "billing", "cache", "client", "config", "core", "events", "handlers",
    "jobs", "metrics", "models", "queue", "router", "schema", "server", "store", "sync",
    "tasks", "views", "worker", "util", "admin", "search", "export", "import", "notify",
)  # fmt: skip
# Which kinds a system of each kind depends on, and how often.
DEPENDS_ON = {
    "service": (("database", 0.2), ("library", 0.35), ("module", 0.15), ("service", 0.2),
                ("software", 0.1)),
    "software": (("software", 0.7), ("module", 0.3)),
    "module": (("module", 0.7), ("software", 0.3)),
    "library": (("library", 1.0),),
    "database": (("module", 0.5), ("software", 0.5)),
}  # fmt: skip
# The share of edges within a kind that point the other way, and so may close a cycle.
CYCLES = 0.03
ON_FILTERS = (("any", 0.8), ("major", 0.08), ("version", 0.06), ("minor", 0.04), ("patch", 0.02))
REASONS = {
    "service": "calls its API",
    "software": "is built against it",
    "module": "reads its outputs",
    "library": "links it",
    "database": "stores its data there",
}
DB_VERSIONS = ("9.6.24", "10.23", "11.22", "12.17", "13.13", "14.10", "15.5", "16.1")
SOFTWARE_SCHEMES = ("semver", "pep440", "loose")
PATTERN_RULE = "default_version ['\"](?P<version>[^'\"]+)['\"]"


@dataclass(frozen=True, kw_only=True)
class Sizes:
    files: int
    commits: int
    systems: int
    edges: int
    pull_requests: tuple[int, ...]
    seed: int = 2017

    @property
    def patterns(self) -> int:
        return self.systems * PATTERNS_PER_SYSTEM

    def key(self) -> str:
        """Names the cache entry: a new generator or other sizes make new inputs."""
        prs = "-".join(map(str, self.pull_requests))
        return (
            f"g{GENERATOR_VERSION}-f{self.files}-c{self.commits}-s{self.systems}"
            f"-e{self.edges}-pr{prs}-seed{self.seed}"
        )


FULL = Sizes(files=100_000, commits=300, systems=5_000, edges=20_000, pull_requests=(1, 100, 5_000))


def scaled(divisor: int) -> Sizes:
    """FULL made smaller by divisor, for tests that must run in seconds."""
    return Sizes(
        files=FULL.files // divisor,
        commits=max(20, FULL.commits // divisor),
        systems=FULL.systems // divisor,
        edges=FULL.edges // divisor,
        pull_requests=tuple(sorted({max(1, size // divisor) for size in FULL.pull_requests})),
        seed=FULL.seed,
    )


@dataclass(frozen=True, kw_only=True)
class Version:
    file: str
    rule: str  # "pattern", "key" or "image"
    value: str  # the pattern, key or image name
    scheme: str
    text: str  # the version the file declares at first


@dataclass(kw_only=True)
class Planned:
    id: str
    kind: str
    owners: list[str]
    patterns: list[str]
    files: list[str] = field(default_factory=list)  # files of the repository it owns
    version: Version | None = None
    signoff: str | int | None = None
    depends_on: list[tuple[str, str, str | None]] = field(default_factory=list)  # id, on, requires


@dataclass(frozen=True, kw_only=True)
class Plan:
    sizes: Sizes
    teams: dict[str, list[str]]
    systems: list[Planned]
    files: list[str]  # every file of the repository, the map's own file excluded

    def version_files(self) -> dict[str, Version]:
        return {s.version.file: s.version for s in self.systems if s.version is not None}


def plan(sizes: Sizes) -> Plan:
    """The whole plan, from the sizes and the seed alone."""
    rng = random.Random(sizes.seed)
    teams = {
        f"team{index:03}": [f"user{index:03}{letter}" for letter in "abcde"[: rng.randint(2, 5)]]
        for index in range(max(2, sizes.systems // 20))
    }
    names = list(teams)
    systems = [_platform(name) for name in PLATFORM[: max(1, min(5, sizes.systems // 20))]]
    rest = sizes.systems - len(systems)
    counts = {kind: int(rest * share) for kind, share in SHARES}
    counts["database"] = rest - sum(counts.values())
    services = [f"svc{index:04}" for index in range(counts["service"])]
    for index, sid in enumerate(services):
        systems.append(_service(rng, index, sid))
    software_names = [*SOFTWARE, *(f"pkg{index:03}" for index in range(len(SOFTWARE), 10_000))]
    for index in range(counts["software"]):
        systems.append(_software(rng, index, software_names[index]))
    for index in range(counts["module"]):
        systems.append(_module(rng, f"mod{index:03}"))
    for index in range(counts["library"]):
        systems.append(_library(rng, index, f"lib{index:03}", services))
    for index in range(counts["database"]):
        systems.append(_database(rng, index, f"db{index:03}"))
    _own_platform_files(rng, systems, services)
    for system in systems:
        system.owners = _owners(rng, names)
        roll = rng.random()
        if roll < 0.05:
            system.signoff = "all"
        elif roll < 0.08 and system.owners[0] in teams and len(teams[system.owners[0]]) >= 2:
            system.signoff = 2
    _depend(rng, systems, sizes.edges)
    files = list(dict.fromkeys(path for system in systems for path in system.files))
    files += _unmapped(rng, sizes.files - len(files))
    assert len(files) == sizes.files, "the systems own more files than the repository holds"
    return Plan(sizes=sizes, teams=teams, systems=systems, files=files)


def _owners(rng: random.Random, teams: list[str]) -> list[str]:
    roll = rng.random()
    if roll < 0.02:
        return [f"@{rng.choice(teams)}-lead"]
    first = rng.choice(teams)
    if roll < 0.12:
        second = rng.choice(teams)
        return [first, second] if second != first else [first]
    return [first]


def _platform(name: str) -> Planned:
    patterns = {
        "ci": ["Jenkinsfile", ".github/", "ci/**", "*.jenkins"],
        "containers": ["Dockerfile", "docker-compose*.yml", ".dockerignore", "images/"],
        "build": ["Makefile", "*.bzl", "BUILD.bazel", "/WORKSPACE"],
        "security": ["CODEOWNERS", "**/secrets/**", "*.pem", "security/"],
        "docs": ["/docs/", "mkdocs.yml", "/README.md", "*.rst"],
    }[name]
    return Planned(id=name, kind="platform", owners=[], patterns=patterns)


def _own_platform_files(rng: random.Random, systems: list[Planned], services: list[str]) -> None:
    by_id = {system.id: system for system in systems}
    extra = {
        "ci": [f".github/workflows/{word}.yml" for word in WORDS[:12]]
        + [f"ci/scripts/{word}/{other}.sh" for word in WORDS[:8] for other in WORDS[:4]]
        + [f"services/{sid}/Jenkinsfile" for sid in services[::10]],
        "containers": ["docker-compose.yml", "docker-compose.ci.yml"]
        + [f"images/{word}/Dockerfile" for word in WORDS],
        "build": ["Makefile", "WORKSPACE", "BUILD.bazel"]
        + [f"tools/bazel/{word}.bzl" for word in WORDS],
        "security": ["CODEOWNERS", "security/policy.rego"]
        + [f"services/{sid}/secrets/vault.hcl" for sid in services[::25]],
        "docs": ["README.md", "mkdocs.yml"]
        + [f"docs/{word}/{other}.rst" for word in WORDS[:10] for other in WORDS[:10]],
    }
    for name, paths in extra.items():
        if name in by_id:
            by_id[name].files.extend(paths)


def _service(rng: random.Random, index: int, sid: str) -> Planned:
    fourth = (f"{sid}.env", f"config/services/{sid}-*.json", f"docs/services/{sid}.md")[index % 3]
    patterns = [f"services/{sid}/", f"deploy/*/{sid}.yaml", f"infra/**/{sid}.tf", fourth]
    modules = rng.sample(WORDS, rng.randint(2, 12))
    files = [f"services/{sid}/{name}" for name in ("Dockerfile", "README.md", "Makefile")]
    files += [f"services/{sid}/src/{name}.py" for name in modules]
    files += [f"services/{sid}/tests/test_{name}.py" for name in modules[: rng.randint(1, 5)]]
    files += [f"services/{sid}/config/app.yaml"]
    files += [f"deploy/{env}/{sid}.yaml" for env in ENVIRONMENTS[:2]]
    files += [f"infra/regions/{region}/{sid}.tf" for region in rng.sample(REGIONS, 2)]
    files += (
        [f"env/{rng.choice(ENVIRONMENTS)}/{sid}.env"],
        [f"config/services/{sid}-{env}.json" for env in ENVIRONMENTS[:2]],
        [f"docs/services/{sid}.md"],
    )[index % 3]
    version = None
    if index % 40 == 7:
        text = f"3.{rng.randint(8, 12)}.{rng.randint(0, 9)}"
        version = Version(
            file=f"services/{sid}/Dockerfile", rule="image", value="python", scheme="loose",
            text=text,
        )  # fmt: skip
    return Planned(
        id=sid, kind="service", owners=[], patterns=patterns, files=files, version=version
    )


def _software(rng: random.Random, index: int, name: str) -> Planned:
    patterns = [f"config/software/{name}*.rb", f"cookbooks/{name}/", f"files/{name}/**/*.erb"]
    patterns.append(f"{name}.conf")
    files = [f"config/software/{name}.rb", f"config/software/{name}-client.rb"]
    files += [f"cookbooks/{name}/recipes/{word}.rb" for word in ("default", "install", "config")]
    files += [f"cookbooks/{name}/metadata.rb", f"cookbooks/{name}/attributes/default.rb"]
    files += [f"files/{name}/templates/{word}.erb" for word in rng.sample(WORDS, 3)]
    files += [f"files/{name}/{word}/conf.d/{name}.erb" for word in rng.sample(WORDS, 2)]
    files += [f"etc/{name}/{name}.conf"]
    version = None
    if index % 4 == 0:
        scheme = "postgresql" if name == "postgresql" else SOFTWARE_SCHEMES[index // 4 % 3]
        text = f"{rng.randint(12, 17)}.{rng.randint(0, 9)}.{rng.randint(0, 20)}"
        if scheme == "postgresql":
            text = text.rsplit(".", 1)[0]  # from 10 on, two numbers: 16.4
        version = Version(
            file=f"config/software/{name}.rb", rule="pattern", value=PATTERN_RULE, scheme=scheme,
            text=text,
        )  # fmt: skip
    return Planned(
        id=f"sw-{name}", kind="software", owners=[], patterns=patterns, files=files,
        version=version,
    )  # fmt: skip


def _module(rng: random.Random, name: str) -> Planned:
    patterns = [f"infra/modules/{name}/", f"infra/**/{name}_*.tf", f"infra/envs/*/{name}.tfvars"]
    patterns.append(f"terraform/{name}/")
    files = [f"infra/modules/{name}/{word}.tf" for word in ("main", "variables", "outputs")]
    files += [
        f"infra/stacks/{stack}/{name}_{word}.tf"
        for stack, word in zip(rng.sample(STACKS, 2), rng.sample(WORDS, 2), strict=True)
    ]
    files += [f"infra/envs/{env}/{name}.tfvars" for env in ENVIRONMENTS]
    files += [f"terraform/{name}/{word}.tf" for word in ("backend", "providers")]
    return Planned(id=name, kind="module", owners=[], patterns=patterns, files=files)


def _library(rng: random.Random, index: int, name: str, services: list[str]) -> Planned:
    patterns = [f"libs/{name}/", f"proto/{name}/*.proto", f"third_party/{name}/", f"**/{name}.lock"]
    files = [f"libs/{name}/src/{word}.go" for word in rng.sample(WORDS, rng.randint(3, 20))]
    files += [f"libs/{name}/go.mod", f"libs/{name}/README.md", f"libs/{name}/package.json"]
    files += [f"proto/{name}/{word}.proto" for word in rng.sample(WORDS, rng.randint(1, 3))]
    files += [f"third_party/{name}/LICENSE", f"third_party/{name}/VERSION"]
    if services:
        files += [f"services/{sid}/{name}.lock" for sid in rng.sample(services, 2)]
    version = None
    if index % 20 == 3:
        text = f"{rng.randint(0, 4)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"
        version = Version(
            file=f"libs/{name}/package.json", rule="key", value="version", scheme="semver",
            text=text,
        )  # fmt: skip
    return Planned(
        id=name, kind="library", owners=[], patterns=patterns, files=files, version=version
    )


def _database(rng: random.Random, index: int, name: str) -> Planned:
    patterns = [f"databases/{name}/", f"config/db/{name}.yml", f"migrations/{name}/**/*.sql"]
    patterns.append(f"charts/{name}/")
    files = [f"databases/{name}/{word}" for word in ("schema.sql", "README.md", "pg_hba.conf")]
    files += [f"config/db/{name}.yml"]
    files += [
        f"migrations/{name}/{2015 + number // 8}/{number:04}_{rng.choice(WORDS)}.sql"
        for number in range(rng.randint(5, 30))
    ]
    files += [f"charts/{name}/{word}" for word in ("Chart.yaml", "values.yaml")]
    files += [f"charts/{name}/templates/statefulset.yaml"]
    version = Version(
        file=f"config/db/{name}.yml", rule="key", value="server.version", scheme="postgresql",
        text=DB_VERSIONS[index % len(DB_VERSIONS)],
    )  # fmt: skip
    return Planned(
        id=name, kind="database", owners=[], patterns=patterns, files=files, version=version
    )


def _unmapped(rng: random.Random, count: int) -> list[str]:
    """Files no system claims: vendored code and tools, the bulk of many repositories."""
    files: list[str] = []
    for index in itertools.count():
        if len(files) >= count:
            break
        package = f"vendor/github.com/org{index % 97:02}/pkg{index // 40:04}"
        files.append(f"{package}/{WORDS[index % len(WORDS)]}_{index}.go")
    return files[:count]


def _zipf_table(members: list[Planned]) -> list[float]:
    """Cumulative weights: a few systems are depended on by many (hubs), most by few."""
    return list(itertools.accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(members))))


def _depend(rng: random.Random, systems: list[Planned], edges: int) -> None:
    by_kind: dict[str, list[Planned]] = {}
    for system in systems:
        by_kind.setdefault(system.kind, []).append(system)
    for members in by_kind.values():
        rng.shuffle(members)  # the hubs are not the lowest ids
    tables = {kind: _zipf_table(members) for kind, members in by_kind.items()}
    rank = {
        system.id: index for members in by_kind.values() for index, system in enumerate(members)
    }
    dependents = [system for system in systems if system.kind in DEPENDS_ON]
    declared: set[tuple[str, str]] = set()
    on_values = [on for on, _ in ON_FILTERS]
    on_weights = [weight for _, weight in ON_FILTERS]
    while len(declared) < edges:
        dependent = rng.choice(dependents)
        kinds, weights = zip(*DEPENDS_ON[dependent.kind], strict=True)
        kind = rng.choices(kinds, weights)[0]
        if kind not in by_kind:
            continue
        dependency = rng.choices(by_kind[kind], cum_weights=tables[kind])[0]
        pair = (dependent.id, dependency.id)
        if dependency is dependent or pair in declared:
            continue
        # Within a kind, systems mostly depend on those before them; a few cycles remain.
        backwards = kind == dependent.kind and rank[dependency.id] > rank[dependent.id]
        if backwards and rng.random() >= CYCLES:
            continue
        declared.add(pair)
        requires = None
        if (
            dependent.version is not None
            and dependency.version is not None
            and dependent.kind == "software"
            and dependency.kind == "database"
        ):
            requires = ">={major}"
        dependent.depends_on.append(
            (dependency.id, rng.choices(on_values, on_weights)[0], requires)
        )
