"""Files at a commit: blobs read by path or by the entries git listed, in batches."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from gate.errors import GateError
from gate.git.diff import Entry, decode_path
from gate.git.refs import is_commit_id, revision
from gate.git.run import Background, Stops, run

_BLOB_HEADER = re.compile(r"(?P<sha>[0-9a-f]+) blob (?P<size>[0-9]+)")
_PATHS_PER_CALL = 1000  # keeps each command line far below the system's limit


def read_blobs(repo: str, commit: str, paths: Iterable[str]) -> dict[str, bytes | None]:
    """The content of each path at commit; None where the path does not exist there."""
    return read_blobs_at(repo, [commit], paths)[commit]


def read_blobs_at(
    repo: str, commits: Sequence[str], paths: Iterable[str]
) -> dict[str, dict[str, bytes | None]]:
    """read_blobs at each of several commits, at once; a path that is no file is a GateError."""
    found: dict[str, dict[str, bytes | None]] = {}
    for commit, contents in read_each_blob_at(repo, commits, paths).items():
        found[commit] = {}
        for path, content in contents.items():
            if isinstance(content, GateError):
                raise content
            found[commit][path] = content
    return found


def read_each_blob_at(
    repo: str, commits: Sequence[str], paths: Iterable[str]
) -> dict[str, dict[str, bytes | GateError | None]]:
    """The content of each path at each commit, in a few git processes however many, with each
    path's own error: a path that is no file there gets the GateError that reading it alone
    would raise, so that reading many at once fails only for a path that is then asked for.

    The commits' trees are listed side by side, and a blob that several commits share is read
    once (the same bytes object at each).
    """
    reading = Reading(repo, commits, paths)
    try:
        return reading.result()
    finally:
        reading.stop()


class Reading(Stops):
    """read_each_blob_at, started now and finished when asked: git lists the trees meanwhile."""

    def __init__(self, repo: str, commits: Sequence[str], paths: Iterable[str]) -> None:
        self._repo = repo
        self._commits = list(dict.fromkeys(commits))
        self._wanted = list(dict.fromkeys(paths))
        self._invalid: dict[str, bytes | GateError | None] = {
            path: problem for path in self._wanted if (problem := _path_error(path)) is not None
        }
        self._listed = [path for path in self._wanted if path not in self._invalid]
        self._listings = _list_trees(repo, self._commits, self._listed)
        self._result: dict[str, dict[str, bytes | GateError | None]] | None = None

    def result(self) -> dict[str, dict[str, bytes | GateError | None]]:
        """Each commit's {path: content, None where absent, or the GateError reading it raises}."""
        if self._result is None:
            self._result = self._read()
        return self._result

    def stop(self) -> None:
        """End the listings still running (the reading is no longer wanted)."""
        for _, listing in self._listings:
            listing.stop()

    def _read(self) -> dict[str, dict[str, bytes | GateError | None]]:
        entries = _tree_entries(self._listings, self._commits, self._listed)
        found = read_entries(
            self._repo,
            {commit: dict.fromkeys(self._listed) | entries[commit] for commit in entries},
        )
        return {
            commit: {
                path: self._invalid[path] if path in self._invalid else found[commit][path]
                for path in self._wanted
            }
            for commit in self._commits
        }


def read_entries(
    repo: str, entries: Mapping[str, Mapping[str, Entry | None]]
) -> dict[str, dict[str, bytes | GateError | None]]:
    """At each commit, each path's content by its entry there (None: there is none).

    A path that is no file gets the GateError that reading it alone would raise. One git
    process for all, and a blob several paths share is read once (the same bytes object).
    """
    found: dict[str, dict[str, bytes | GateError | None]] = {}
    wanted: list[tuple[str, str, str]] = []  # (commit, path, object id) of each file to read
    for commit, at in entries.items():
        found[commit] = {}
        for path, entry in at.items():
            found[commit][path] = None if entry is None else _not_a_file(path, commit, entry[0])
            if entry is not None and found[commit][path] is None:
                if not is_commit_id(entry[1]):
                    raise GateError(f"git named {entry[1]!r} as the object of {path}; not an id")
                wanted.append((commit, path, entry[1]))
    contents = _cat_blobs(repo, list(dict.fromkeys(object_id for _, _, object_id in wanted)))
    for commit, path, object_id in wanted:
        found[commit][path] = contents[object_id]
    return found


class FileReading(Stops):
    """One file at one commit, read in the background: git lists it (for what kind of entry it
    is) and reads it side by side, where a Reading reads only once its listing is done."""

    def __init__(self, repo: str, commit: str, path: str) -> None:
        self._commit = commit
        self._path = path
        self._problem = _path_error(path)
        self._listings: list[tuple[str, Background]] = []
        self._content: Background | None = None
        self._result: bytes | GateError | None = self._problem
        if self._problem is None:
            self._listings = _list_trees(repo, [commit], [path])
            try:
                self._content = Background(repo, ("cat-file", "blob", f"{revision(commit)}:{path}"))
            except BaseException:
                self.stop()
                raise

    def result(self) -> bytes | GateError | None:
        """The content; None where there is no such path; the GateError reading it raises."""
        if self._content is None:
            return self._result
        try:
            entries = _tree_entries(self._listings, [self._commit], [self._path])[self._commit]
            entry = entries.get(self._path)
            if entry is None:
                self._result = None
            else:
                problem = _not_a_file(self._path, self._commit, entry[0])
                self._result = problem if problem is not None else self._content.finish()
        finally:
            self.stop()
            self._content = None
        return self._result

    def stop(self) -> None:
        for _, listing in self._listings:
            listing.stop()
        if self._content is not None:
            self._content.stop()


def _path_error(path: str) -> GateError | None:
    if not path or path.startswith("/") or {"", ".", ".."} & set(path.split("/")):
        return GateError(f"{path!r} is not a file path from the repository root")
    return None


def _not_a_file(path: str, commit: str, mode: str) -> GateError | None:
    if mode == "040000":
        return GateError(f"{path} is a directory at {commit}, not a file; name a file")
    if mode == "160000":
        return GateError(f"{path} is a submodule at {commit}, not a file; name a file")
    if mode == "120000":
        return GateError(
            f"{path} is a symbolic link at {commit}; the gate reads files as committed and "
            "does not follow links: name the file it points to"
        )
    return None


def _list_trees(repo: str, commits: list[str], paths: list[str]) -> list[tuple[str, Background]]:
    """Start listing (mode, object id) of each of paths at each commit, side by side.

    ls-tree reads paths literally (never as patterns), and object ids, unlike paths, fit
    the line-based cat-file input whatever characters the names hold.
    """
    if not paths:
        return []
    # ls-tree shows what is inside a directory named with a path below it, not the directory:
    # a path that is a directory of another one asked for is listed on its own.
    parents = {path[:slash] for path in paths for slash in _slashes(path)}
    chunks = [[path] for path in paths if path in parents]
    together = [path for path in paths if path not in parents]
    chunks += [
        together[at : at + _PATHS_PER_CALL] for at in range(0, len(together), _PATHS_PER_CALL)
    ]
    args = ("--literal-pathspecs", "ls-tree", "-z", "--full-tree")
    listings: list[tuple[str, Background]] = []
    try:
        for commit in commits:
            for chunk in chunks:
                listing = Background(repo, (*args, revision(commit), "--", *chunk))
                listings.append((commit, listing))
    except BaseException:
        for _, listing in listings:
            listing.stop()
        raise
    return listings


def _tree_entries(
    listings: list[tuple[str, Background]], commits: list[str], paths: list[str]
) -> dict[str, dict[str, tuple[str, str]]]:
    """(mode, object id) of each of paths that exists, at each commit, once listed."""
    entries: dict[str, dict[str, tuple[str, str]]] = {commit: {} for commit in commits}
    wanted = set(paths)
    for commit, listing in listings:
        for record in listing.finish().split(b"\0")[:-1]:
            meta, _, raw_path = record.partition(b"\t")
            fields = meta.decode("ascii", "replace").split(" ")
            if len(fields) != 3 or not is_commit_id(fields[2]):
                raise GateError(f"unexpected record in git ls-tree output: {record!r}")
            path = decode_path(raw_path)
            if path in wanted:
                entries[commit][path] = (fields[0], fields[2])
    return entries


def _slashes(path: str) -> Iterator[int]:
    slash = path.find("/")
    while slash != -1:
        yield slash
        slash = path.find("/", slash + 1)


def _cat_blobs(repo: str, shas: list[str]) -> dict[str, bytes]:
    if not shas:
        return {}
    stdin = "".join(f"{sha}\n" for sha in dict.fromkeys(shas)).encode()
    output = run(repo, ("cat-file", "--batch"), stdin=stdin).stdout
    contents: dict[str, bytes] = {}
    position = 0
    for sha in dict.fromkeys(shas):
        newline = output.find(b"\n", position)
        header = output[position:newline].decode("ascii", "replace")
        match = _BLOB_HEADER.fullmatch(header)
        if newline == -1 or match is None or match["sha"] != sha:
            raise GateError(f"git cat-file answered {header!r} for blob {sha}; cannot read it")
        end = newline + 1 + int(match["size"])
        if output[end : end + 1] != b"\n":
            raise GateError(f"git cat-file gave blob {sha} cut short; cannot read it")
        contents[sha] = output[newline + 1 : end]
        position = end + 1
    return contents
