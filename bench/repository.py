"""Benchmark inputs, made: the repository through git fast-import, with its pull requests."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.mapfile import MAP_PATH, map_yaml
from bench.plan import Plan, Planned, Sizes, Version, plan

CACHE = Path(__file__).resolve().parent / ".cache"
BASE = "main"
# Commits on the base branch after the pull requests branched off: their merge base is not base.
AFTER_FORK = 10
INITIAL_SHARE = 0.7
# What the changed files of a pull request are: the rest are modifications.
ADDED, DELETED, RENAMED = 0.06, 0.02, 0.01
VERSION_BUMPS = 0.01
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "LC_ALL": "C",
}


@dataclass(frozen=True, kw_only=True)
class Inputs:
    """What the benchmark runs on: a bare repository, its map, and a branch per pull request."""

    directory: Path
    sizes: Sizes
    repo: Path
    map_file: Path
    pull_requests: dict[int, str]  # changed files -> branch
    seconds: float  # how long generating them took, when they were made

    def branch(self, size: int) -> str:
        return self.pull_requests[size]


def inputs(sizes: Sizes, *, cache: Path = CACHE) -> Inputs:
    """The inputs for sizes: from the cache when made before, else generated into it."""
    directory = cache / sizes.key()
    if not (directory / "complete").exists():
        cache.mkdir(parents=True, exist_ok=True)
        scratch = cache / f"{sizes.key()}.tmp-{os.getpid()}"
        shutil.rmtree(scratch, ignore_errors=True)
        started = time.perf_counter()
        generate(plan(sizes), scratch)
        seconds = time.perf_counter() - started
        (scratch / "complete").write_text(f"{seconds:.1f}\n")
        shutil.rmtree(directory, ignore_errors=True)
        scratch.rename(directory)
    return Inputs(
        directory=directory,
        sizes=sizes,
        repo=directory / "repo.git",
        map_file=directory / MAP_PATH,
        pull_requests={size: f"pr-{size}" for size in sizes.pull_requests},
        seconds=float((directory / "complete").read_text()),
    )


def generate(layout: Plan, directory: Path) -> None:
    """Write the map to directory and make directory/repo.git from layout."""
    directory.mkdir(parents=True)
    text = map_yaml(layout)
    (directory / MAP_PATH).write_text(text)
    repo = directory / "repo.git"
    _git("init", "--quiet", "--bare", f"--initial-branch={BASE}", str(repo))
    process = subprocess.Popen(
        ["git", "-C", str(repo), "fast-import", "--quiet", "--done", "--date-format=raw"],
        stdin=subprocess.PIPE,
        env={**os.environ, **GIT_ENV},
    )
    assert process.stdin is not None
    for chunk in _stream(layout, text):
        process.stdin.write(chunk)
    process.stdin.close()
    if process.wait() != 0:
        raise RuntimeError("git fast-import failed")
    _git("-C", str(repo), "commit-graph", "write", "--reachable")


def _git(*args: str) -> None:
    subprocess.run(["git", *args], check=True, env={**os.environ, **GIT_ENV})


class _History:
    """The files of the branch being written, and the fast-import commands that change them."""

    def __init__(self, layout: Plan) -> None:
        self.versions = layout.version_files()
        self.revisions: dict[str, int] = {}  # path -> revision of its content
        self.version_texts = {path: version.text for path, version in self.versions.items()}
        self.marks = 0
        self.clock = 1_500_000_000

    def commit(self, branch: str, message: str, parent: int | None, changes: list[bytes]) -> bytes:
        self.marks += 1
        self.clock += 3600
        text = message.encode()
        head = (
            f"commit refs/heads/{branch}\nmark :{self.marks}\n"
            f"committer Bench <bench@example.invalid> {self.clock} +0000\n"
            f"data {len(text)}\n"
        ).encode()
        start = f"from :{parent}\n".encode() if parent is not None else b""
        return head + text + b"\n" + start + b"".join(changes) + b"\n"

    def modify(self, path: str, content: bytes | None = None) -> bytes:
        if content is None:
            revision = self.revisions.get(path, -1) + 1
            self.revisions[path] = revision
            content = _content(path, revision, self.versions.get(path), self.version_texts)
        return f"M 100644 inline {path}\ndata {len(content)}\n".encode() + content + b"\n"

    def bump(self, path: str, rng: random.Random) -> bytes:
        scheme = self.versions[path].scheme
        self.version_texts[path] = _bumped(self.version_texts[path], scheme, rng)
        return self.modify(path)


def _stream(layout: Plan, map_text: str) -> Iterator[bytes]:
    rng = random.Random(layout.sizes.seed + 1)
    history = _History(layout)
    files = list(layout.files)
    versions = set(history.versions)
    rng.shuffle(files)
    # Every version file and the map are there from the start, as in a repository that uses the
    # gate; the rest arrive over the history.
    initial = max(len(versions), int(len(files) * INITIAL_SHARE))
    first = [path for path in files if path in versions]
    first += [path for path in files if path not in versions][: initial - len(first)]
    chosen = set(first)
    later = [path for path in files if path not in chosen]
    commits = layout.sizes.commits
    present = list(first)
    changes = [history.modify(MAP_PATH, map_text.encode())]
    changes += [history.modify(path) for path in first]
    yield history.commit(BASE, "Initial import", None, changes)
    fork = 0
    step = -(-len(later) // (commits - 1))
    for index in range(1, commits):
        added = later[(index - 1) * step : index * step]
        changes = [history.modify(path) for path in added]
        changes += [history.modify(path) for path in rng.sample(present, min(5, len(present)))]
        present += added
        yield history.commit(BASE, f"Change {index}", history.marks, changes)
        if index == commits - 1 - AFTER_FORK:
            fork = history.marks
            at_fork = list(present)
    for size in layout.sizes.pull_requests:
        yield from _pull_request(history, rng, size, at_fork, versions, fork, layout)
    yield b"done\n"


def _pull_request(
    history: _History,
    rng: random.Random,
    size: int,
    present: list[str],
    versions: set[str],
    fork: int,
    layout: Plan,
) -> Iterator[bytes]:
    """The commits of one pull request changing `size` files, branched off at fork."""
    branch = f"pr-{size}"
    if size == 1:
        # The upgrade of the most depended-on database: one file, a major version bump.
        hub = _most_depended_on(layout, kind="database")
        assert hub.version is not None
        history.version_texts[hub.version.file] = _major_bump(
            history.version_texts[hub.version.file]
        )
        yield history.commit(
            branch, "Upgrade the database", fork, [history.modify(hub.version.file)]
        )
        return
    # Files at the root stay put, so that every new name has a directory.
    plain = [path for path in present if path not in versions and "/" in path]
    counts = {
        "D": int(size * DELETED),
        "R": int(size * RENAMED),
        "A": int(size * ADDED),
        "V": min(len(versions), int(size * VERSION_BUMPS)),
    }
    counts["M"] = size - sum(counts.values())
    picked = rng.sample(plain, counts["M"] + counts["D"] + counts["R"] + counts["A"])
    changes: list[bytes] = []
    taken = 0
    for kind in ("M", "D", "R", "A"):
        for path in picked[taken : taken + counts[kind]]:
            if kind == "M":
                changes.append(history.modify(path))
            elif kind == "D":
                changes.append(f"D {path}\n".encode())
            elif kind == "R":
                directory, _, name = path.rpartition("/")
                changes.append(f"R {path} {directory}/moved-{name}\n".encode())
            else:
                directory, _, name = path.rpartition("/")
                changes.append(history.modify(f"{directory}/new-{name}"))
        taken += counts[kind]
    changes += [history.bump(path, rng) for path in rng.sample(sorted(versions), counts["V"])]
    parent = fork
    parts = 3 if size >= 30 else 1
    for part in range(parts):
        chunk = changes[part * len(changes) // parts : (part + 1) * len(changes) // parts]
        yield history.commit(branch, f"Change {size} files, part {part + 1}", parent, chunk)
        parent = history.marks


def _most_depended_on(layout: Plan, *, kind: str) -> Planned:
    dependents: dict[str, int] = {}
    for system in layout.systems:
        for dependency, _, _ in system.depends_on:
            dependents[dependency] = dependents.get(dependency, 0) + 1
    candidates = [s for s in layout.systems if s.kind == kind and s.version is not None]
    return max(candidates, key=lambda system: (dependents.get(system.id, 0), system.id))


def _major_bump(text: str) -> str:
    major = int(text.split(".")[0])
    if major == 9:
        return "10.1"
    return f"{major + 1}.1"


def _bumped(text: str, scheme: str, rng: random.Random) -> str:
    parts = [int(part) for part in text.split(".")]
    position = rng.choice(range(len(parts)))
    parts[position] += 1
    parts[position + 1 :] = [0] * (len(parts) - position - 1)
    if scheme == "postgresql" and parts[0] >= 10:
        parts = parts[:2]  # from 10 on, PostgreSQL versions have two numbers
    return ".".join(map(str, parts))


def _content(path: str, revision: int, version: Version | None, texts: dict[str, str]) -> bytes:
    """A file's text at a revision; a version file declares its current version."""
    if version is not None:
        current = texts[path]
        if version.rule == "pattern":
            name = path.rsplit("/", 1)[-1].removesuffix(".rb")
            body = f'name "{name}"\ndefault_version "{current}"\nlicense "MIT"\n'
        elif path.endswith(".json"):
            document = {"name": path.split("/")[1], "version": current, "revision": revision}
            body = json.dumps(document, indent=2) + "\n"
        elif version.rule == "key":
            body = f'server:\n  version: "{current}"\n  port: 5432\n'
        else:
            body = f'FROM {version.value}:{current}-slim\nCOPY . /app\nCMD ["/app/run"]\n'
        if not path.endswith(".json"):
            body += f"# revision {revision}\n"
        return body.encode()
    if path.endswith("Dockerfile"):
        return f"FROM python:3.11-slim\nCOPY . /app\n# revision {revision}\n".encode()
    seed = hash_text(path)
    lines = [f"# {path}", f"# revision {revision}"]
    lines += [
        f"value_{seed % (97 + index)} = {seed % (1000 + index)}" for index in range(1 + seed % 12)
    ]
    return ("\n".join(lines) + "\n").encode()


def hash_text(text: str) -> int:
    """A stable hash (Python's own is salted per process)."""
    return zlib.crc32(text.encode())
