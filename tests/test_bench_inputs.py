"""The benchmark's inputs, made small by its own generator: the gate's answers on them are exact."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
from collections import deque
from pathlib import Path

import pytest

from bench.graph import graph
from bench.plan import PATTERNS_PER_SYSTEM, scaled
from bench.repository import BASE, GIT_ENV, Inputs, inputs
from gate.check import Change, check
from gate.depmap.graph import Graph
from gate.depmap.load import load_map
from gate.depmap.read import with_map_system
from gate.impact import impacted
from gate.main import main
from gate.paths.index import Matcher
from gate.paths.pattern import pattern_regex
from gate.touched import changed_paths
from gate.versions.schemes import crosses

SIZES = scaled(50)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    return inputs(SIZES, cache=tmp_path_factory.mktemp("bench-cache"))


def git(inputs_: Inputs, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(inputs_.repo), *args],
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_map_passes_the_strict_loader(made: Inputs, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--map-file", str(made.map_file)]) == 0
    depmap = load_map(made.map_file.read_bytes(), "m", path="dependency-map.yaml")
    assert len(depmap.systems) == SIZES.systems
    assert len(depmap.edges) == SIZES.edges
    assert sum(len(system.paths) for system in depmap.systems.values()) == SIZES.patterns
    assert sum(1 for system in depmap.systems.values() if system.version is not None) > 0
    assert PATTERNS_PER_SYSTEM * SIZES.systems == SIZES.patterns
    shapes = {pattern for system in depmap.systems.values() for pattern in system.paths}
    # The shapes real maps use: directories, globs, '**', names that match at any depth.
    assert any(pattern.endswith("/") and "*" not in pattern for pattern in shapes)
    assert any("/**/" in pattern for pattern in shapes)
    assert any("/" not in pattern and "*" not in pattern for pattern in shapes)
    assert any(re.fullmatch(r"config/software/[a-z]+\*\.rb", pattern) for pattern in shapes)


def test_the_repository_has_the_planned_size(made: Inputs) -> None:
    files = git(made, "ls-tree", "-r", "--name-only", "-z", BASE).split("\0")[:-1]
    assert len(files) == SIZES.files + 1  # and the map
    assert int(git(made, "rev-list", "--count", BASE)) == SIZES.commits
    for size, branch in made.pull_requests.items():
        merge_base = git(made, "merge-base", BASE, branch).strip()
        assert merge_base != git(made, "rev-parse", BASE).strip()
        listed = git(made, "diff", "--name-status", "-z", merge_base, branch).split("\0")[:-1]
        records = sum(1 for field in listed if re.fullmatch(r"[AMDT]|[RC][0-9]*", field))
        # git pairs a few deleted and added files as renames: one record for two changes
        assert size * 0.98 <= records <= size


def test_generating_again_makes_the_same_repository(made: Inputs, tmp_path: Path) -> None:
    again = inputs(SIZES, cache=tmp_path)
    for branch in [BASE, *made.pull_requests.values()]:
        assert git(again, "rev-parse", branch) == git(made, "rev-parse", branch)
    assert again.map_file.read_bytes() == made.map_file.read_bytes()


def test_the_cache_is_reused(made: Inputs) -> None:
    stamp = (made.directory / "complete").stat().st_mtime_ns
    again = inputs(SIZES, cache=made.directory.parent)
    assert again.directory == made.directory
    assert (again.directory / "complete").stat().st_mtime_ns == stamp


def test_matching_agrees_with_one_regex_per_pattern(made: Inputs) -> None:
    depmap = load_map(made.map_file.read_bytes(), "m", path="dependency-map.yaml")
    systems = with_map_system(depmap)
    matcher = Matcher((system.id, system.patterns) for system in systems.values())
    compiled = [
        (system.id, re.compile(pattern_regex(pattern), re.DOTALL))
        for system in systems.values()
        for pattern in system.patterns
    ]
    paths = set(git(made, "ls-tree", "-r", "--name-only", "-z", BASE).split("\0")[:-1])
    for branch in made.pull_requests.values():
        merge_base = git(made, "merge-base", BASE, branch).strip()
        paths |= set(git(made, "diff", "--name-only", "-z", merge_base, branch).split("\0")[:-1])
    found = matcher.systems_of(sorted(paths))  # as a check matches them: one batch
    matched = 0
    for path in sorted(paths):
        expected = frozenset(sid for sid, regex in compiled if regex.match(path))
        assert found[path] == expected, path
        matched += bool(expected)
    assert 0.5 * len(paths) < matched < len(paths)  # most files are some system's; not all


def test_impact_reaches_what_a_plain_traversal_reaches() -> None:
    made = graph(2_000)
    assert 2.5 * len(made.nodes) < len(made.edges) < 3.5 * len(made.nodes)
    dependents: dict[str, list[str]] = {}
    for edge in made.edges:
        dependents.setdefault(edge.dependency, []).append(edge.dependent)
    seen, queue = set(made.touched), deque(made.touched)
    while queue:
        for target in dependents.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    result = impacted(Graph(made.edges), made.touched, crosses=crosses)
    assert result.affected() == seen
    assert len(seen) > len(made.touched)
    # Every chain is a path of the graph from a touched system.
    pairs = {(edge.dependency, edge.dependent) for edge in made.edges}
    for target in sorted(result.impacted)[:200]:
        for chain in result.impacted[target]:
            assert chain[0] in made.touched
            assert chain[-1] == target
            assert all(pair in pairs for pair in itertools.pairwise(chain))


def test_the_check_touches_what_one_regex_per_pattern_touches(made: Inputs) -> None:
    depmap = load_map(made.map_file.read_bytes(), "m", path="dependency-map.yaml")
    systems = with_map_system(depmap)
    compiled = [
        (system.id, re.compile(pattern_regex(pattern), re.DOTALL))
        for system in systems.values()
        for pattern in system.patterns
    ]
    for branch in made.pull_requests.values():
        report = check(Change(repo=str(made.repo), base=BASE, head=branch))
        paths = changed_paths(report.changed)
        expected = {sid for sid, regex in compiled for path in paths if regex.match(path)}
        touched = {result.id for result in report.systems if result.affected == "touched"}
        assert touched == expected
        for result in report.systems:
            for chain in result.because:
                assert chain[0] in touched
                assert chain[-1] == result.id
