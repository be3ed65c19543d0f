"""The benchmark's measurements, each against its baseline in the same run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.repository import BASE, GIT_ENV, Inputs
from bench.timing import Sample, interleaved, run, timed

GATE = str(Path(sys.executable).with_name("gate"))
# One process per module, so that each is timed from a bare interpreter.
HEAVY_MODULES = (
    "yaml", "packaging.version", "packaging.specifiers", "requests", "orjson", "gate.main",
    "gate.check", "gate.verdict", "gate.depmap", "gate.depmap.strict_yaml", "gate.paths",
    "gate.impact", "gate.git", "gate.versions", "gate.versions.versioned", "gate.report",
    "gate.report.json",
)  # fmt: skip
PATHSPEC_SAMPLE = 100  # patterns timed with pathspec; the rest is extrapolated


@dataclass(frozen=True, kw_only=True)
class Row:
    """One line of the table: the gate's time against a baseline's, and the target, if any."""

    section: str
    name: str
    gate: Sample
    baseline: Sample
    baseline_name: str
    limit: float | None = None  # the highest gate/baseline ratio that meets the target
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.gate.median / self.baseline.median

    @property
    def met(self) -> bool | None:
        return None if self.limit is None else self.ratio <= self.limit


def environment(cache_home: str) -> dict[str, str]:
    """What every command runs with: no user git configuration, a cache of our choosing."""
    return {**os.environ, **GIT_ENV, "XDG_CACHE_HOME": cache_home}


def end_to_end(inputs: Inputs, rounds: int, scratch: Path) -> list[Row]:
    """`gate check` in a subprocess against `git diff --name-status -z` of the same range."""
    rows = []
    warm = environment(str(scratch / "cache"))
    for size, branch in inputs.pull_requests.items():
        merge_base = _git(inputs.repo, "merge-base", BASE, branch)
        floor = ["git", "-C", str(inputs.repo), "diff", "--name-status", "-z", merge_base, branch]
        report = str(scratch / f"report-{size}.json")
        check = [GATE, "check", "--repo", str(inputs.repo), "--base", BASE, "--head", branch]
        check += ["--format", "json", "--output", report]
        cold_home = scratch / "cold"

        def cold(check: list[str] = check, home: Path = cold_home) -> float:
            # A cache nobody has filled: the first run on a fresh CI machine.
            shutil.rmtree(home, ignore_errors=True)
            return run(check, env=environment(str(home)), ok=(0, 1)).seconds

        def warm_check(check: list[str] = check) -> float:
            return run(check, env=warm, ok=(0, 1)).seconds

        def git_floor(floor: list[str] = floor) -> float:
            return run(floor, env=warm).seconds

        gate, gate_cold, git_diff = interleaved([warm_check, cold, git_floor], rounds)
        paths = len(_git(inputs.repo, "diff", "--name-only", "-z", merge_base, branch).split("\0"))
        label = f"{size:,} changed files"
        limit = 2.0 if size == max(inputs.pull_requests) else None
        rows.append(
            Row(
                section="gate check, end to end",
                name=label,
                gate=gate,
                baseline=git_diff,
                baseline_name="git diff --name-status -z",
                limit=limit,
                note=f"{paths - 1:,} paths in the diff",
            )
        )
        rows.append(
            Row(
                section="gate check, end to end",
                name=f"{label}, cache cold",
                gate=gate_cold,
                baseline=git_diff,
                baseline_name="git diff --name-status -z",
            )
        )
    return rows


def memory(inputs: Inputs, scratch: Path) -> list[tuple[str, int, int]]:
    """Peak resident memory (KiB) of the largest check, and of git diff of the same range.

    Each is started by a small launcher process: Linux counts the memory of the process that
    forked a command towards the command's own peak.
    """
    size = max(inputs.pull_requests)
    branch = inputs.branch(size)
    merge_base = _git(inputs.repo, "merge-base", BASE, branch)
    env = environment(str(scratch / "cache"))
    args = ["check", "--repo", str(inputs.repo), "--base", BASE, "--head", branch]
    args += ["--format", "json", "--output", str(scratch / "memory.json")]
    floor = ["git", "-C", str(inputs.repo), "diff", "--name-status", "-z", merge_base, branch]
    alone = _launched([sys.executable, "-c", _SELF_RSS, *args], env)
    tree = _launched([GATE, *args], env, field="tree")
    git_diff = _launched(floor, env, field="tree")
    return [
        (f"gate check, {size:,} files: the gate's own process", alone, git_diff),
        (f"gate check, {size:,} files: with the git it runs", tree, git_diff),
    ]


def _launched(argv: list[str], env: dict[str, str], *, field: str = "self") -> int:
    """The peak RSS (KiB) a command reports (field self) or wait4 reports for it (tree)."""
    result = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, field, *argv],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout.split()[-1])


# Runs a command, then prints its peak RSS: the one it printed itself (self), or wait4's, which
# covers the git processes it ran and waited for (tree).
_LAUNCHER = """
import os, subprocess, sys
field, argv = sys.argv[1], sys.argv[2:]
process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
output = process.stdout.read()
_, status, usage = os.wait4(process.pid, 0)
if os.waitstatus_to_exitcode(status) not in (0, 1):
    raise SystemExit(f"{argv} failed")
print(output.split()[-1].decode() if field == "self" else usage.ru_maxrss)
"""

_SELF_RSS = """
import resource, sys
from gate.main import main
code = main(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
raise SystemExit(0 if code in (0, 1) else code)
"""


def matching(inputs: Inputs, rounds: int) -> list[Row]:
    """Matcher build and lookups over a PR's paths, against pathspec pattern by pattern."""
    import pathspec

    from gate.depmap.load import load_map
    from gate.depmap.read import with_map_system
    from gate.git import diff
    from gate.paths.index import Matcher
    from gate.touched import changed_paths

    depmap = load_map(
        inputs.map_file.read_bytes(), str(inputs.map_file), path="dependency-map.yaml"
    )
    systems = with_map_system(depmap)
    owned = [(system.id, pattern) for system in systems.values() for pattern in system.patterns]
    step = max(1, len(owned) // PATHSPEC_SAMPLE)
    sample = owned[::step]
    rows = []
    size = max(inputs.pull_requests)
    branch = inputs.branch(size)
    merge_base = _git(inputs.repo, "merge-base", BASE, branch)
    paths = changed_paths(diff.changed(str(inputs.repo), merge_base, branch))

    def by_pathspec() -> None:
        for _, pattern in sample:
            spec = pathspec.PathSpec.from_lines("gitwildmatch", [pattern])
            for path in paths:
                spec.match_file(path)

    def by_gate() -> None:
        matcher = Matcher((system.id, system.patterns) for system in systems.values())
        matcher.systems_of(paths)

    gate, spec_sample = interleaved([timed(by_gate), timed(by_pathspec)], rounds)
    agree, pairs = _agreement(sample, paths)
    rows.append(
        Row(
            section="matching paths to systems",
            name=f"{len(owned):,} patterns x {len(paths):,} paths",
            gate=gate,
            baseline=spec_sample.scaled(len(owned) / len(sample)),
            baseline_name="pathspec, one spec per pattern",
            limit=1 / 20,
            note=(
                f"pathspec timed on {len(sample)} of {len(owned):,} patterns, extrapolated "
                f"linearly; it agrees with the gate on {agree:,} of {pairs:,} (pattern, path) pairs"
            ),
        )
    )
    return rows


def _agreement(sample: list[tuple[str, str]], paths: list[str]) -> tuple[int, int]:
    """How many (pattern, path) pairs pathspec and the gate's pattern semantics judge alike."""
    import pathspec

    from gate.paths.pattern import pattern_regex

    agree = pairs = 0
    for _, pattern in sample:
        spec = pathspec.PathSpec.from_lines("gitwildmatch", [pattern])
        regex = re.compile(pattern_regex(pattern), re.DOTALL)
        for path in paths:
            pairs += 1
            agree += spec.match_file(path) == (regex.match(path) is not None)
    return agree, pairs


def impact(rounds: int) -> list[Row]:
    """Impact over a large graph, against one breadth-first traversal in networkx.

    Both graphs are built before the clock starts (their building is a row of its own); the
    gate's chains are found when a report asks for them, so they are a row of their own too.
    """
    import networkx as nx

    from bench.graph import graph
    from gate.depmap.graph import Graph
    from gate.impact import MAX_CHAINS, impacted
    from gate.versions.schemes import crosses

    made = graph()
    source = "touched"  # a super-source: one traversal from every touched system at once

    def digraph() -> nx.DiGraph:
        built = nx.DiGraph()
        built.add_nodes_from(made.nodes)
        built.add_edges_from((edge.dependency, edge.dependent) for edge in made.edges)
        built.add_edges_from((source, node) for node in made.touched)
        return built

    theirs, ours = digraph(), Graph(made.edges)
    result = impacted(ours, made.touched, crosses=crosses)
    reached = nx.descendants(theirs, source)
    if set(result.impacted) | set(made.touched) != reached:
        raise RuntimeError("the gate's impact and networkx's traversal reach different systems")
    gate, floor = interleaved(
        [
            timed(lambda: impacted(ours, made.touched, crosses=crosses)),
            timed(lambda: nx.descendants(theirs, source)),
        ],
        rounds,
    )
    build_ours, build_theirs = interleaved(
        [timed(lambda: Graph(made.edges)), timed(digraph)], max(1, rounds // 2)
    )

    def every_chain() -> None:
        found = impacted(ours, made.touched, crosses=crosses)
        for target in found.impacted:
            found.impacted[target]

    chains, walk = interleaved(
        [timed(every_chain), timed(lambda: nx.descendants(theirs, source))], max(1, rounds // 2)
    )
    label = f"{len(made.nodes):,} systems, {len(made.edges):,} edges"
    impacted_count = len(reached) - len(made.touched)
    return [
        Row(
            section="impact",
            name=label,
            gate=gate,
            baseline=floor,
            baseline_name="networkx descendants from a super-source",
            limit=1.5,
            note=f"{len(made.touched)} touched systems reach {impacted_count:,}",
        ),
        Row(
            section="impact",
            name="building the graph",
            gate=build_ours,
            baseline=build_theirs,
            baseline_name="networkx DiGraph",
        ),
        Row(
            section="impact",
            name="with every system's chains",
            gate=chains,
            baseline=walk,
            baseline_name="networkx descendants",
            note=f"up to {MAX_CHAINS} chains for each of the {impacted_count:,} impacted systems",
        ),
    ]


def cold_start(rounds: int, scratch: Path) -> tuple[list[Row], list[tuple[str, float, bool]]]:
    """`gate --version` and a one-file check of the demo map, against `python -c pass`."""
    repo = _demo_repository(scratch / "demo")
    env = environment(str(scratch / "demo-cache"))
    python = [sys.executable, "-c", "pass"]
    check = [GATE, "check", "--repo", str(repo), "--base", "main", "--head", "upgrade"]
    check += ["--format", "json", "--output", str(scratch / "demo.json")]
    measures: list[Callable[[], float]] = [
        lambda: run(python, env=env).seconds,
        lambda: run([GATE, "--version"], env=env).seconds,
        lambda: run(check, env=env, ok=(0, 1)).seconds,
    ]
    bare, version, demo = interleaved(measures, rounds)
    rows = [
        Row(
            section="cold start",
            name="gate --version",
            gate=version,
            baseline=bare,
            baseline_name="python -c pass",
        ),
        Row(
            section="cold start",
            name="gate check, 1 file, demo map",
            gate=demo,
            baseline=bare,
            baseline_name="python -c pass",
        ),
    ]
    imported = _imported_by(check, env)
    imports = [
        (module, _import_seconds(module, env), module in imported) for module in HEAVY_MODULES
    ]
    return rows, imports


def _import_seconds(module: str, env: dict[str, str]) -> float:
    """The cumulative import time of module, from a fresh interpreter (python -X importtime)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    for line in result.stderr.splitlines():
        fields = line.split("|")
        if len(fields) == 3 and fields[2].strip() == module:
            return int(fields[1]) / 1e6
    return 0.0


def _imported_by(argv: list[str], env: dict[str, str]) -> set[str]:
    """Every module a command imports (its python run with -X importtime)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gate", *argv[1:]],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return {
        fields[2].strip()
        for line in result.stderr.splitlines()
        if len(fields := line.split("|")) == 3
    }


def _demo_repository(path: Path) -> Path:
    """The demo's files committed on main, and a branch `upgrade` that changes one file."""
    from importlib import resources

    shutil.rmtree(path, ignore_errors=True)
    with resources.as_file(resources.files("gate.demo") / "files") as files:
        shutil.copytree(files, path)
    env = environment(str(path.parent))
    identity = ["-c", "user.name=Bench", "-c", "user.email=bench@example.invalid"]
    for args in (
        ["init", "--quiet", "--initial-branch=main"],
        ["add", "--all"],
        [*identity, "commit", "--quiet", "--message=Baseline"],
        ["switch", "--quiet", "--create", "upgrade"],
    ):
        subprocess.run(["git", "-C", str(path), *args], env=env, check=True)
    software = path / "config/software/postgresql.rb"
    software.write_text(software.read_text().replace('"9.2.18"', '"9.6.1"'))
    for args in (["add", "--all"], [*identity, "commit", "--quiet", "--message=Upgrade"]):
        subprocess.run(["git", "-C", str(path), *args], env=env, check=True)
    return path


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args],
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def scratch_directory() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="gate-bench-")
