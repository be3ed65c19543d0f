"""The map cache: used only when whole, ours and current; anything else is a parse."""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from gate.depmap import cache
from gate.depmap.cache import load_cached
from gate.depmap.graph import Graph
from gate.depmap.load import load_map
from gate.depmap.records import Edge, Map
from gate.errors import MapError
from testing.infra import MAP

DATA = MAP.replace("{policy}", "").encode()


@pytest.fixture(autouse=True)
def process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a new process would: no map loaded yet."""
    monkeypatch.setattr(cache, "_LOADED", {})


def later(data: bytes, source: str, *, path: str | None) -> Map:
    """load_cached in a later process, which has loaded no map yet."""
    cache._LOADED.clear()
    return load_cached(data, source, path=path)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache home of its own, and no size below which the map is not cached."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    return tmp_path / "cache" / "change-impact-gate"


def entries(home: Path) -> list[Path]:
    return sorted(home.glob("*.map"))


def test_a_second_load_comes_from_the_cache(home: Path) -> None:
    first = load_cached(DATA, "dependency-map.yaml@aaa", path="dependency-map.yaml")
    [entry] = entries(home)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    written = entry.stat().st_mtime_ns
    second = later(DATA, "dependency-map.yaml@bbb", path="dependency-map.yaml")
    assert entry.stat().st_mtime_ns == written
    assert second == load_map(DATA, "dependency-map.yaml@bbb", path="dependency-map.yaml")
    assert second.source == "dependency-map.yaml@bbb"
    assert second.sha256 == first.sha256
    # The compiled patterns and the impact graph come with it.
    assert "matcher" in vars(second)
    assert second.matcher.systems_for("backup/backup.yml") == {"pg-dump-backup"}
    assert "graph" in vars(second)
    assert second.graph.out == Graph(second.edges).out
    assert all(type(edge) is Edge for edge in second.edges)


def test_a_process_loads_each_map_once(home: Path) -> None:
    first = load_cached(DATA, "dependency-map.yaml@aaa", path="dependency-map.yaml")
    first.matcher  # noqa: B018 -- computed, and kept with the entry
    [entry] = entries(home)
    entry.unlink()
    second = load_cached(DATA, "dependency-map.yaml@bbb", path="dependency-map.yaml")
    assert entries(home) == []  # neither read nor written again
    assert (first.source, second.source) == ("dependency-map.yaml@aaa", "dependency-map.yaml@bbb")
    assert second.systems is first.systems
    assert dataclasses.replace(second, source=first.source) == first


def test_maps_differ_by_content_and_path(home: Path) -> None:
    load_cached(DATA, "a", path="dependency-map.yaml")
    load_cached(DATA, "b", path=None)
    load_cached(DATA + b"\n# edited\n", "c", path="dependency-map.yaml")
    assert len(entries(home)) == 3
    assert load_cached(DATA, "b", path=None).path is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data[:-10] + bytes(10),  # the payload's end overwritten
        lambda data: b"garbage",
        lambda data: b"",
        lambda data: data[:40] + bytes([data[40] ^ 1]) + data[41:],  # one bit of the digest
    ],
)
def test_a_damaged_entry_is_ignored_and_rewritten(home: Path, damage: Any) -> None:
    load_cached(DATA, "m", path=None)
    [entry] = entries(home)
    whole = entry.read_bytes()
    entry.write_bytes(damage(whole))
    assert later(DATA, "m", path=None) == load_map(DATA, "m", path=None)
    assert entry.read_bytes() == whole


def test_an_entry_for_other_content_is_not_used(home: Path) -> None:
    """An entry under the wrong name (or with the wrong map inside) is a miss, not that map."""
    load_cached(DATA, "m", path=None)
    other = DATA.replace(b"dave", b"dora")
    load_cached(other, "m", path=None)
    first, second = entries(home)
    first.write_bytes(second.read_bytes())
    for data in (DATA, other):
        loaded = later(data, "m", path=None)
        assert loaded == load_map(data, "m", path=None)


def test_an_entry_of_other_code_is_not_used(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_cached(DATA, "m", path=None)
    monkeypatch.setattr(cache, "_fingerprint", lambda: "0" * 64)
    later(DATA, "m", path=None)
    assert len(entries(home)) == 2


def test_no_cache_where_there_is_no_place_for_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cache.cache_directory() is None
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert cache.cache_directory() is None
    assert load_cached(DATA, "m", path=None) == load_map(DATA, "m", path=None)


def test_a_small_map_is_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_cached(DATA, "m", path=None)
    assert not (tmp_path / "change-impact-gate").exists()


def test_a_map_with_problems_is_not_cached(home: Path) -> None:
    with pytest.raises(MapError):
        load_cached(b"version: 2\n", "m", path=None)
    assert entries(home) == []


def test_old_entries_are_pruned(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    for number in range(4):
        load_cached(DATA + f"\n# {number}\n".encode(), "m", path=None)
        for entry in entries(home):
            os.utime(entry, ns=(entry.stat().st_mtime_ns - 10**9,) * 2)
    assert len(entries(home)) == 2


# 0644 is how git checks a file out: the gate writes its entries 0600.
@pytest.mark.parametrize("mode", [0o666, 0o644], ids=["writable", "readable"])
def test_an_entry_others_can_read_or_write_is_not_used(home: Path, mode: int) -> None:
    load_cached(DATA, "m", path=None)
    [entry] = entries(home)
    entry.chmod(mode)
    written = entry.stat().st_mtime_ns
    assert later(DATA, "m", path=None) == load_map(DATA, "m", path=None)
    # Parsed again and written anew, as the gate's own.
    assert entry.stat().st_mtime_ns != written
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


@pytest.mark.parametrize("mode", [0o777, 0o755], ids=["writable", "readable"])
def test_a_directory_others_can_read_or_write_is_not_used(home: Path, mode: int) -> None:
    home.mkdir(parents=True)
    home.chmod(mode)
    load_cached(DATA, "m", path=None)
    assert entries(home) == []


def test_an_entry_that_is_a_link_is_not_followed(home: Path, tmp_path: Path) -> None:
    load_cached(DATA, "m", path=None)
    [entry] = entries(home)
    target = tmp_path / "elsewhere.map"
    entry.rename(target)
    entry.symlink_to(target)
    later(DATA, "m", path=None)
    assert not entry.is_symlink()


def test_a_directory_that_is_a_link_is_not_used(home: Path, tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    home.parent.mkdir(parents=True)
    home.symlink_to(private)
    load_cached(DATA, "m", path=None)
    assert list(private.iterdir()) == []


@pytest.mark.parametrize("git", ["directory", "file"])  # a repository, or a worktree's link
def test_no_cache_in_a_git_work_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, git: str
) -> None:
    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    if git == "directory":
        (checkout / ".git").mkdir()
    else:
        (checkout / ".git").write_text("gitdir: /elsewhere\n")
    monkeypatch.setenv("XDG_CACHE_HOME", str(checkout / "deep" / ".cache"))
    assert cache.cache_directory() is None
    assert load_cached(DATA, "m", path=None) == load_map(DATA, "m", path=None)
    assert list((checkout / "deep" / ".cache" / "change-impact-gate").iterdir()) == []
