"""Reading the change from git: refs, the merge base, changed paths, and files at a commit."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING

from gate.errors import GateError

if TYPE_CHECKING:
    from gate.report import Changed

# Variables that would point git at another repository than --repo (git exports them to
# hooks, where the gate may run).
_REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR")
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_STATUSES = frozenset("AMDT")
_RENAME_OR_COPY = re.compile(r"[RC][0-9]{0,3}")
_BLOB_HEADER = re.compile(r"(?P<sha>[0-9a-f]+) blob (?P<size>[0-9]+)")
_DEEPEN_STEPS = (64, 512, 4096)
_PATHS_PER_CALL = 1000  # keeps each command line far below the system's limit

# Each option also overrides the configuration (diff.relative, diff.renames=copies,
# diff.ignoreSubmodules, diff.external, color.ui) that would change what the diff says.
_DIFF_OPTIONS = (
    "--raw",
    "--no-abbrev",
    "-z",
    "-M",
    "--no-ext-diff",
    "--no-textconv",
    "--no-color",
    "--ignore-submodules=none",
    "--no-relative",
)


def _environment() -> dict[str, str]:
    environment = {
        name: value for name, value in os.environ.items() if name not in _REPOSITORY_VARIABLES
    }
    environment.update(LC_ALL="C", GIT_TERMINAL_PROMPT="0")
    return environment


def _run(
    repo: str, args: Sequence[str], *, stdin: bytes = b"", ok: Iterable[int] = (0,)
) -> subprocess.CompletedProcess[bytes]:
    """Run git in repo; an exit status outside ok is a GateError naming the command."""
    command = ["git", "-C", repo, *args]
    try:
        result = subprocess.run(command, input=stdin, capture_output=True, env=_environment())
    except OSError as error:
        raise GateError(
            f"cannot run git ({error.strerror}); install git and make sure it is on PATH"
        ) from None
    if result.returncode not in tuple(ok):
        raise _failed(command, repo, result.returncode, result.stderr)
    return result


def _failed(command: list[str], repo: str, returncode: int, stderr: bytes) -> GateError:
    return GateError(
        f"git failed (exit {returncode}): {' '.join(command)}\n"
        f"{stderr.decode('utf-8', 'replace').strip()}\n"
        f"Check that {repo} is a git repository that holds the commits involved."
    )


class _Background:
    """A git command left to run while the gate does other work; finish() is _run's second half.

    Its output goes to temporary files, not pipes: git must not stall on a full pipe meanwhile.
    """

    def __init__(self, repo: str, args: Sequence[str]) -> None:
        self._repo = repo
        self._command = ["git", "-C", repo, *args]
        self._stdout = _temporary_file()
        try:
            self._stderr = _temporary_file()
        except GateError:
            self._stdout.close()
            raise
        try:
            self._process = subprocess.Popen(
                self._command,
                stdin=subprocess.DEVNULL,
                stdout=self._stdout,
                stderr=self._stderr,
                env=_environment(),
            )
        except OSError as error:
            self._close()
            raise GateError(
                f"cannot run git ({error.strerror}); install git and make sure it is on PATH"
            ) from None

    def running(self) -> bool:
        return self._process.poll() is None

    def finish(self) -> bytes:
        returncode = self._process.wait()
        self._stdout.seek(0)
        self._stderr.seek(0)
        output, stderr = self._stdout.read(), self._stderr.read()
        self._close()
        if returncode != 0:
            raise _failed(self._command, self._repo, returncode, stderr)
        return output

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._close()

    def _close(self) -> None:
        self._stdout.close()
        self._stderr.close()


def _temporary_file() -> IO[bytes]:
    try:
        # Closed by _Background.finish() or stop(), whichever ends the command.
        return tempfile.TemporaryFile()
    except OSError as error:
        raise GateError(
            f"cannot create a temporary file for git's output ({error.strerror}); "
            "check that TMPDIR names a writable directory"
        ) from None


def _commit(output: bytes, command: str) -> str:
    sha = output.decode("ascii", "replace").strip()
    if not _SHA.fullmatch(sha):
        raise GateError(f"git {command} printed {sha!r} where a commit id was expected")
    return sha


def _revision(value: str) -> str:
    # Values here come from resolve(); this keeps one that slipped past from reading as an option.
    if not value or value.startswith("-"):
        raise GateError(f"{value!r} is not a commit; resolve refs before using them")
    return value


def resolve(repo: str, ref: str, *, what: str = "ref") -> str:
    """The full commit id ref names in repo; what names the ref's origin in messages."""
    if ref.startswith("-"):
        raise GateError(
            f"{what} {ref!r} looks like an option, not a ref; name a branch, tag or commit"
        )
    if not ref or "\0" in ref:
        raise GateError(f"{what} {ref!r} is not a ref; name a branch, tag or commit")
    args = ("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    result = _run(repo, args, ok=(0, 1))
    if result.returncode == 1:
        raise GateError(
            f"cannot resolve {what} {ref!r} to a commit in {repo}; fetch it or check the name"
        )
    return _commit(result.stdout, "rev-parse")


def is_commit(repo: str, commit: str) -> bool:
    """Whether commit is the full id of a commit repo holds (a sign-off may name any string)."""
    if not _SHA.fullmatch(commit):
        return False
    args = ("rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}")
    return _run(repo, args, ok=(0, 1)).returncode == 0


def remote_url(repo: str) -> str | None:
    """origin's URL without any credentials in it, for evidence; None when there is no origin."""
    result = _run(repo, ("config", "--get", "remote.origin.url"), ok=(0, 1))
    if result.returncode == 1:
        return None
    url = result.stdout.decode("utf-8", "replace").strip()
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        rest = rest.split("@", 1)[1]
    return f"{scheme}{sep}{rest}"


def fetch_commits(repo: str, commits: Sequence[str]) -> None:
    """Fetch commits by id from origin (one commit deep in a shallow clone; merge_base deepens).

    GitHub serves any commit reachable from its refs by id, a fork's pull request head too.
    """
    depth = ("--depth=1",) if _is_shallow(repo) else ()
    _run(repo, ("fetch", "--quiet", "--no-tags", *depth, "origin", *commits))
    still = [commit for commit in commits if not is_commit(repo, commit)]
    if still:
        raise GateError(
            f"fetched from origin, but {', '.join(still)} is still missing in {repo}; check that"
            " origin is the repository the commits belong to and that it may be read"
        )


def default_base(repo: str) -> str:
    """The commit of the remote's default branch (refs/remotes/origin/HEAD)."""
    args = ("rev-parse", "--verify", "--quiet", "refs/remotes/origin/HEAD^{commit}")
    result = _run(repo, args, ok=(0, 1))
    if result.returncode == 1:
        raise GateError(
            f"no --base given, and {repo} does not know the remote's default branch "
            "(refs/remotes/origin/HEAD); pass --base, or run `git remote set-head origin --auto`"
        )
    return _commit(result.stdout, "rev-parse")


def merge_base(repo: str, base: str, head: str, *, deepen: bool = False) -> str:
    """The commit base and head grew from, as a pull request compares them.

    With deepen, a shallow repository fetches more history from origin until they meet.
    """
    found = _merge_base(repo, base, head)
    if found is None and deepen and _is_shallow(repo) and _has_origin(repo):
        for depth in _DEEPEN_STEPS:
            _run(repo, ("fetch", "--quiet", f"--deepen={depth}", "origin"))
            found = _merge_base(repo, base, head)
            if found is not None or not _is_shallow(repo):
                break
        else:
            _run(repo, ("fetch", "--quiet", "--unshallow", "origin"))
            found = _merge_base(repo, base, head)
    if found is not None:
        return found
    if _is_shallow(repo):
        raise GateError(
            f"{base} and {head} have no merge base in {repo}, a shallow clone: its history "
            "stops before they meet, so the change cannot be read in full. Fetch the history "
            "with `git fetch --unshallow` (or `git fetch --deepen=N` until they meet); in "
            "GitHub Actions, give actions/checkout `fetch-depth: 0`"
        )
    raise GateError(
        f"{base} and {head} share no history (no merge base) in {repo}; "
        "compare a head with the branch it grew from"
    )


def _merge_base(repo: str, base: str, head: str) -> str | None:
    result = _run(repo, ("merge-base", _revision(base), _revision(head)), ok=(0, 1))
    if result.returncode == 1:
        return None
    return _commit(result.stdout, "merge-base")


def _is_shallow(repo: str) -> bool:
    output = _run(repo, ("rev-parse", "--is-shallow-repository")).stdout.strip()
    return output == b"true"


def _has_origin(repo: str) -> bool:
    remotes = _run(repo, ("remote",)).stdout.decode("utf-8", "replace").split()
    return "origin" in remotes


def changed(repo: str, merge_base: str, head: str) -> tuple[Changed, ...]:
    """Every path that differs between merge_base and head, as git reports it."""
    return _changes(_run(repo, _diff(merge_base, head)).stdout)[0]


# A path's entry in a commit's tree: (mode, object id).
Entry = tuple[str, str]


class Listing:
    """changed(), started now and read later: git lists the change while the gate reads the map."""

    def __init__(self, repo: str, merge_base: str, head: str) -> None:
        self._git = _Background(repo, _diff(merge_base, head))
        self._before: dict[str, Entry] = {}

    def changed(self) -> tuple[Changed, ...]:
        changed, self._before = _changes(self._git.finish())
        return changed

    def running(self) -> bool:
        """Whether git is still listing the change."""
        return self._git.running()

    def before(self) -> Mapping[str, Entry]:
        """Each changed path's entry at the merge base, where it had one (after changed())."""
        return self._before

    def stop(self) -> None:
        """Give up on the listing (what it was for failed): end git, drop its output."""
        self._git.stop()


def _diff(merge_base: str, head: str) -> tuple[str, ...]:
    return ("diff", *_DIFF_OPTIONS, _revision(merge_base), _revision(head), "--")


def _changes(output: bytes) -> tuple[tuple[Changed, ...], dict[str, Entry]]:
    """The change's records, and each changed path's entry at the merge base, from --raw -z."""
    from gate.report import Changed

    if output and not output.endswith(b"\0"):
        unterminated = output[output.rfind(b"\0") + 1 :]
        raise GateError(
            f"git diff output ends without a NUL ({unterminated!r}); the change cannot be read "
            "in full"
        )
    try:
        fields = output.decode("utf-8").split("\0")
    except UnicodeDecodeError:
        for raw in output.split(b"\0"):
            _decode_path(raw)  # raises, naming the path
        raise
    fields.pop()  # after the last NUL
    records: list[Changed] = []
    before: dict[str, Entry] = {}
    index, count = 0, len(fields)
    while index < count:
        meta = fields[index].split(" ")  # ":old_mode new_mode old_id new_id status"
        status = meta[-1]
        if len(meta) == 5 and status in _STATUSES and index + 1 < count:
            path = fields[index + 1]
            records.append(Changed(status=status, path=path))
            index += 2
        elif len(meta) == 5 and _RENAME_OR_COPY.fullmatch(status) and index + 2 < count:
            path, old_path = fields[index + 2], fields[index + 1]
            records.append(Changed(status=status[0], path=path, old_path=old_path))
            path = old_path  # the merge base has the old path, and not the new one
            index += 3
        else:
            raise GateError(
                f"unexpected record in git diff output: {fields[index : index + 3]!r}; "
                "the change cannot be read in full"
            )
        if meta[0] != ":000000":
            before[path] = (meta[0][1:], meta[2])
    return tuple(records), before


# Between two commits of any relation, the listing is the same.


def _decode_path(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise GateError(
            f"the change has a path that is not UTF-8: {raw!r}; the gate cannot decide on a "
            "path it cannot read. Rename it to a UTF-8 name"
        ) from None


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


class Reading:
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
                if not _SHA.fullmatch(entry[1]):
                    raise GateError(f"git named {entry[1]!r} as the object of {path}; not an id")
                wanted.append((commit, path, entry[1]))
    contents = _cat_blobs(repo, list(dict.fromkeys(object_id for _, _, object_id in wanted)))
    for commit, path, object_id in wanted:
        found[commit][path] = contents[object_id]
    return found


class FileReading:
    """One file at one commit, read in the background: git lists it (for what kind of entry it
    is) and reads it side by side, where a Reading reads only once its listing is done."""

    def __init__(self, repo: str, commit: str, path: str) -> None:
        self._commit = commit
        self._path = path
        self._problem = _path_error(path)
        self._listings: list[tuple[str, _Background]] = []
        self._content: _Background | None = None
        self._result: bytes | GateError | None = self._problem
        if self._problem is None:
            self._listings = _list_trees(repo, [commit], [path])
            try:
                self._content = _Background(
                    repo, ("cat-file", "blob", f"{_revision(commit)}:{path}")
                )
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


def _list_trees(repo: str, commits: list[str], paths: list[str]) -> list[tuple[str, _Background]]:
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
    listings: list[tuple[str, _Background]] = []
    try:
        for commit in commits:
            for chunk in chunks:
                listing = _Background(repo, (*args, _revision(commit), "--", *chunk))
                listings.append((commit, listing))
    except BaseException:
        for _, listing in listings:
            listing.stop()
        raise
    return listings


def _tree_entries(
    listings: list[tuple[str, _Background]], commits: list[str], paths: list[str]
) -> dict[str, dict[str, tuple[str, str]]]:
    """(mode, object id) of each of paths that exists, at each commit, once listed."""
    entries: dict[str, dict[str, tuple[str, str]]] = {commit: {} for commit in commits}
    wanted = set(paths)
    for commit, listing in listings:
        for record in listing.finish().split(b"\0")[:-1]:
            meta, _, raw_path = record.partition(b"\t")
            fields = meta.decode("ascii", "replace").split(" ")
            if len(fields) != 3 or not _SHA.fullmatch(fields[2]):
                raise GateError(f"unexpected record in git ls-tree output: {record!r}")
            path = _decode_path(raw_path)
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
    output = _run(repo, ("cat-file", "--batch"), stdin=stdin).stdout
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


# Scratch repositories, for the demo: the user's identity, signing and hooks stay out of them.
_SCRATCH_CONFIG = (
    "-c", "user.name=change-impact-gate demo",
    "-c", "user.email=demo@change-impact-gate.invalid",
    "-c", "commit.gpgSign=false",
    "-c", f"core.hooksPath={os.devnull}",
)  # fmt: skip


def init_scratch(repo: str, branch: str) -> None:
    """Make the directory repo a new repository whose first branch is branch."""
    _run(repo, ("init", "--quiet", f"--initial-branch={branch}"))


def commit_all(repo: str, message: str) -> str:
    """Commit every file of the working tree; the new commit's id."""
    _run(repo, ("add", "--all"))
    _run(repo, (*_SCRATCH_CONFIG, "commit", "--quiet", "--no-verify", f"--message={message}"))
    return resolve(repo, "HEAD")


def switch_new_branch(repo: str, branch: str) -> None:
    _run(repo, ("switch", "--quiet", "--create", branch))
