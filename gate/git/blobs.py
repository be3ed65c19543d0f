"""Files at commits: read by path or by the tree entries git listed, in batches."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from gate.errors import GateError
from gate.files import MAX_BYTES
from gate.git.objects import TooLarge, cat_blobs
from gate.git.refs import is_commit_id, revision
from gate.git.run import Piped, Stops
from gate.git.tree import Entry, Listing, not_a_file, path_error

# At each commit, each path's content: None where there is none, or the GateError reading it
# alone would raise (a directory, a link, a submodule, not a path from the root, a file above
# MAX_BYTES).
Contents = dict[str, dict[str, bytes | GateError | None]]


def read_blobs(
    repo: str, commits: Sequence[str], paths: Iterable[str]
) -> dict[str, dict[str, bytes | None]]:
    """Each path's content at each commit (None where absent); a path that is no file is a
    GateError."""
    with Reading(repo, commits, paths) as reading:
        contents = reading.result()
    found: dict[str, dict[str, bytes | None]] = {}
    for commit, at in contents.items():
        found[commit] = {}
        for path, content in at.items():
            if isinstance(content, GateError):
                raise content
            found[commit][path] = content
    return found


class Reading(Stops):
    """Paths at commits, started now and read when asked: git lists the trees meanwhile.

    A few git processes however many paths; each path keeps its own error, so that reading
    many at once fails only for a path that is then asked for; a blob that several commits
    share is read once (the same bytes object at each).
    """

    def __init__(self, repo: str, commits: Sequence[str], paths: Iterable[str]) -> None:
        self._repo = repo
        self._commits = list(dict.fromkeys(commits))
        self._wanted = list(dict.fromkeys(paths))
        self._invalid: dict[str, bytes | GateError | None] = {
            path: problem for path in self._wanted if (problem := path_error(path)) is not None
        }
        self._listed = [path for path in self._wanted if path not in self._invalid]
        self._listing = Listing(repo, self._commits, self._listed)
        self._result: Contents | None = None

    def result(self) -> Contents:
        """Each commit's {path: content, None where absent, or the GateError reading it raises}."""
        if self._result is None:
            self._result = self._read()
        return self._result

    def stop(self) -> None:
        """End the listings still running (the reading is no longer wanted)."""
        self._listing.stop()

    def _read(self) -> Contents:
        entries = self._listing.entries()
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


def read_entries(repo: str, entries: Mapping[str, Mapping[str, Entry | None]]) -> Contents:
    """At each commit, each path's content by its entry there (None: there is none).

    A path that is no file gets the GateError that reading it alone would raise. One git
    process for all, and a blob several paths share is read once (the same bytes object).
    """
    found: Contents = {}
    wanted: list[tuple[str, str, str]] = []  # (commit, path, object id) of each file to read
    for commit, at in entries.items():
        found[commit] = {}
        for path, entry in at.items():
            found[commit][path] = None if entry is None else not_a_file(path, commit, entry[0])
            if entry is not None and found[commit][path] is None:
                if not is_commit_id(entry[1]):
                    raise GateError(f"git named {entry[1]!r} as the object of {path}; not an id")
                wanted.append((commit, path, entry[1]))
    contents = cat_blobs(repo, list(dict.fromkeys(object_id for _, _, object_id in wanted)))
    for commit, path, object_id in wanted:
        content = contents[object_id]
        found[commit][path] = (
            too_large(path, commit, content.size) if isinstance(content, TooLarge) else content
        )
    return found


def too_large(path: str, commit: str, size: int | None = None) -> GateError:
    """The error of reading path at commit, a file above MAX_BYTES (size: its size, if known)."""
    exact = "" if size is None else f" ({size:,} bytes)"
    return GateError(
        f"{path} at {commit} is larger than {MAX_BYTES // (1024 * 1024)} MiB{exact}, which no "
        "map, version or scoped file is: refused unread. Make the map name a smaller file"
    )


class FileReading(Stops):
    """One file at one commit, read in the background: git lists it (for what kind of entry it
    is) and reads it side by side, where a Reading reads only once its listing is done."""

    def __init__(self, repo: str, commit: str, path: str) -> None:
        self._commit = commit
        self._path = path
        self._listing: Listing | None = None
        self._content: Piped | None = None
        self._result: bytes | GateError | None = path_error(path)
        if self._result is None:
            self._listing = Listing(repo, [commit], [path])
            try:
                self._content = Piped(repo, ("cat-file", "blob", f"{revision(commit)}:{path}"))
            except BaseException:
                self.stop()
                raise

    def result(self) -> bytes | GateError | None:
        """The content; None where there is no such path; the GateError reading it raises."""
        if self._content is None or self._listing is None:
            return self._result
        try:
            entry = self._listing.entries()[self._commit].get(self._path)
            if entry is None:
                self._result = None
            else:
                problem = not_a_file(self._path, self._commit, entry[0])
                self._result = problem if problem is not None else self._read(self._content)
        finally:
            self.stop()
            self._content = None
        return self._result

    def _read(self, content: Piped) -> bytes | GateError:
        """The file's bytes, or too_large when there are more than MAX_BYTES (left unread)."""
        data = content.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            return too_large(self._path, self._commit)
        content.finish()
        return data

    def stop(self) -> None:
        if self._listing is not None:
            self._listing.stop()
        if self._content is not None:
            self._content.stop()
