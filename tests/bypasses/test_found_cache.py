"""Bypass class: a map cache entry the change (or another user) placed, loaded as the base's map.

The map is read from the base commit so that a change cannot rewrite the rules it is judged by.
A large map is loaded through a per-user cache; an entry there that the gate did not write must
never stand in for the base's map, wherever the cache directory is.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from gate.depmap import cache
from gate.depmap.load import load_map
from testing.gitrepo import GitRepo
from testing.infra import MAP, infra_repo, upgrade

GATE = str(Path(sys.executable).with_name("gate"))
# A comment that makes the map large enough to be cached (cache.MIN_BYTES).
PADDING = "".join(f"# {'x' * 76}\n" for _ in range(cache.MIN_BYTES // 78 + 1))
BIG_MAP = MAP.replace("{policy}", "") + PADDING
# What a change would like to be judged by: a map in which nothing it touches is owned.
LENIENT = """\
version: 1
map-owners: ["mallory"]
teams:
  mallory:
    members: ["mallory"]
systems: {}
"""


@pytest.fixture(autouse=True)
def git_checkout_modes() -> object:
    """Files and directories as git checks them out on a runner: umask 022."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _forged_entry(directory: Path, data: bytes) -> tuple[Path, bytes]:
    """Where the gate looks for the cached map of `data`, and an entry holding another map."""
    sha256 = hashlib.sha256(data).hexdigest()
    forged = load_map(LENIENT.encode(), "x", path="dependency-map.yaml", sha256=sha256)
    payload = pickle.dumps(forged, protocol=pickle.HIGHEST_PROTOCOL)
    where = hashlib.sha256(repr(("dependency-map.yaml", cache._fingerprint())).encode())
    entry = directory / f"{sha256}-{where.hexdigest()[:16]}.map"
    return entry, cache._MAGIC + hashlib.sha256(payload).digest() + payload


def _gate(repo: GitRepo, cache_home: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    return subprocess.run(
        [GATE, "check", "--repo", str(repo.path), "--base", "main", "--head", "change"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_cache_entry_committed_in_the_change_does_not_replace_the_base_map(
    tmp_path: Path,
) -> None:
    """XDG_CACHE_HOME (or HOME) inside the checkout: the change's files are the user's own."""
    repo = infra_repo(tmp_path / "infra", map_text=BIG_MAP)
    upgrade(repo)  # blocked: postgresql's owners and its dependents' must sign off
    cache_home = repo.path / ".cache"
    entry, content = _forged_entry(cache_home / "change-impact-gate", BIG_MAP.encode())
    repo.write(str(entry.relative_to(repo.path)), content)
    repo.commit("a cache entry")
    result = _gate(repo, cache_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "postgresql" in result.stdout


def test_a_cache_directory_that_is_a_symlink_is_not_written_through(tmp_path: Path) -> None:
    """A cache home others can write (/tmp): its change-impact-gate may be a link planted there
    pointing at a private directory of the user, whose *.map files pruning would delete."""
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    mine = [private / f"{number:02}.map" for number in range(cache.MAX_ENTRIES + 4)]
    for number, path in enumerate(mine):
        path.write_text("the user's own file\n")
        os.utime(path, (1_000_000 + number, 1_000_000 + number))
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "change-impact-gate").symlink_to(private)
    repo = infra_repo(tmp_path / "infra", map_text=BIG_MAP)
    upgrade(repo)
    assert _gate(repo, shared).returncode == 1
    assert sorted(private.iterdir()) == mine
