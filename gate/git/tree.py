"""A commit's tree: the entry (mode, object id) of each path asked for, from `git ls-tree -z`."""

from __future__ import annotations

from collections.abc import Iterator

from gate.errors import GateError
from gate.git.refs import is_commit_id, revision
from gate.git.run import Background, Stops

# A path's entry in a commit's tree: (mode, object id).
Entry = tuple[str, str]

_PATHS_PER_CALL = 1000  # keeps each command line far below the system's limit


class Listing(Stops):
    """The entries of paths at commits, listed by git in the background, side by side.

    ls-tree reads paths literally (never as patterns), and object ids, unlike paths, fit
    the line-based cat-file input whatever characters the names hold.
    """

    def __init__(self, repo: str, commits: list[str], paths: list[str]) -> None:
        self._commits = commits
        self._paths = paths
        self._git: list[tuple[str, Background]] = []
        if not paths:
            return
        args = ("--literal-pathspecs", "ls-tree", "-z", "--full-tree")
        try:
            for commit in commits:
                for chunk in _chunks(paths):
                    self._git.append(
                        (commit, Background(repo, (*args, revision(commit), "--", *chunk)))
                    )
        except BaseException:
            self.stop()
            raise

    def entries(self) -> dict[str, dict[str, Entry]]:
        """Each commit's {path: entry} of the paths that exist there, once git listed them."""
        entries: dict[str, dict[str, Entry]] = {commit: {} for commit in self._commits}
        wanted = set(self._paths)
        for commit, listing in self._git:
            for record in listing.finish().split(b"\0")[:-1]:
                meta, _, raw_path = record.partition(b"\t")
                fields = meta.decode("ascii", "replace").split(" ")
                if len(fields) != 3 or not is_commit_id(fields[2]):
                    raise GateError(f"unexpected record in git ls-tree output: {record!r}")
                path = decode_path(raw_path)
                if path in wanted:
                    entries[commit][path] = (fields[0], fields[2])
        return entries

    def stop(self) -> None:
        for _, listing in self._git:
            listing.stop()


def _chunks(paths: list[str]) -> list[list[str]]:
    # ls-tree shows what is inside a directory named with a path below it, not the directory:
    # a path that is a directory of another one asked for is listed on its own.
    parents = {path[:slash] for path in paths for slash in _slashes(path)}
    chunks = [[path] for path in paths if path in parents]
    together = [path for path in paths if path not in parents]
    chunks += [
        together[at : at + _PATHS_PER_CALL] for at in range(0, len(together), _PATHS_PER_CALL)
    ]
    return chunks


def _slashes(path: str) -> Iterator[int]:
    slash = path.find("/")
    while slash != -1:
        yield slash
        slash = path.find("/", slash + 1)


def path_error(path: str) -> GateError | None:
    """Why path cannot name a file from the repository root; None when it can."""
    if not path or path.startswith("/") or {"", ".", ".."} & set(path.split("/")):
        return GateError(f"{path!r} is not a file path from the repository root")
    return None


def not_a_file(path: str, commit: str, mode: str) -> GateError | None:
    """The error of reading path, whose entry at commit has mode, as a file; None for a file."""
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


def decode_path(raw: bytes) -> str:
    """A path git wrote, as text; one that is not UTF-8 is a GateError naming it."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise GateError(
            f"the change has a path that is not UTF-8: {raw!r}; the gate cannot decide on a "
            "path it cannot read. Rename it to a UTF-8 name"
        ) from None
