"""Running git: one command to completion, or in the background while the gate works."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Self

from gate.errors import GateError

# Git exports GIT_DIR, GIT_INDEX_FILE and more to the hooks it runs, where the gate may run too,
# and GIT_DIR, GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES or GIT_REPLACE_REF_BASE
# would make git read other objects than the repository's. So every GIT_* variable is dropped
# but these, which say how to reach a remote or carry configuration: pre-commit's list
# (https://github.com/pre-commit/pre-commit/issues/300), and the configuration files a CI
# runner points git at. None of them can point git at other objects.
_KEPT = frozenset(
    (
        "GIT_EXEC_PATH",
        "GIT_SSH",
        "GIT_SSH_COMMAND",
        "GIT_SSL_CAINFO",
        "GIT_SSL_NO_VERIFY",
        "GIT_CONFIG_COUNT",
        "GIT_HTTP_PROXY_AUTHMETHOD",
        "GIT_ALLOW_PROTOCOL",
        "GIT_ASKPASS",
        # Which configuration files git reads (a runner's safe.directory, credentials or
        # url.insteadOf live there) and configuration given on the command line.
        "GIT_CONFIG_GLOBAL",
        "GIT_CONFIG_SYSTEM",
        "GIT_CONFIG_NOSYSTEM",
        "GIT_CONFIG_PARAMETERS",
        # How to reach a remote, for --deepen.
        "GIT_SSL_CERT",
        "GIT_SSL_KEY",
        "GIT_SSL_CAPATH",
        "GIT_PROXY_COMMAND",
        "GIT_SSH_VARIANT",
        "GIT_CEILING_DIRECTORIES",
    )
)
_KEPT_PREFIXES = ("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_")

# git reads the objects the ids name: replace refs (`git replace`) and a graft file would show
# another commit's tree or parents under a reviewed id. GIT_NO_REPLACE_OBJECTS does not turn
# grafts off (git 2.39), a graft file that cannot exist does: git is silent on its ENOTDIR.
_FIXED = {
    "LC_ALL": "C",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_GRAFT_FILE": os.path.join(os.devnull, "grafts"),
}


# Configuration, from the repository or the caller's GIT_CONFIG_* (kept for a runner's
# safe.directory), can turn replace refs back on (core.useReplaceRefs=true wins over
# GIT_NO_REPLACE_OBJECTS); a -c of the command itself wins over both.
_OPTIONS = ("-c", "core.useReplaceRefs=false")


def git_command(repo: str, args: Sequence[str]) -> list[str]:
    """The command line of git running args in repo, replace refs off."""
    return ["git", *_OPTIONS, "-C", repo, *args]


def environment(variables: Mapping[str, str]) -> dict[str, str]:
    """The environment git runs in: variables without those that redirect it, and _FIXED."""
    kept = {
        name: value
        for name, value in variables.items()
        if not name.startswith("GIT_") or name in _KEPT or name.startswith(_KEPT_PREFIXES)
    }
    kept.update(_FIXED)
    return kept


def run(
    repo: str, args: Sequence[str], *, stdin: bytes = b"", ok: Iterable[int] = (0,)
) -> subprocess.CompletedProcess[bytes]:
    """Run git in repo; an exit status outside ok is a GateError naming the command."""
    command = git_command(repo, args)
    try:
        result = subprocess.run(
            command, input=stdin, capture_output=True, env=environment(os.environ)
        )
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


class Stops:
    """A context manager for work left running in the background: leaving the block ends it.

    stop() is safe to call again, and after the work finished on its own.
    """

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


class Background(Stops):
    """A git command left to run while the gate does other work; finish() is run's second half.

    Its output goes to temporary files, not pipes: git must not stall on a full pipe meanwhile.
    """

    def __init__(self, repo: str, args: Sequence[str]) -> None:
        self._repo = repo
        self._command = git_command(repo, args)
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
                env=environment(os.environ),
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


class Piped(Stops):
    """A git command whose output is read as it comes, from a pipe.

    git waits while its output is not read: what the gate does not read (the rest of a blob
    too large to hold) git never makes, and stop() ends it. Its input comes from a file, so
    that git never waits on the gate's writing while the gate waits on its reading.
    """

    def __init__(self, repo: str, args: Sequence[str], *, stdin: bytes = b"") -> None:
        self._repo = repo
        self._command = git_command(repo, args)
        self._stdin = _temporary_file()
        try:
            self._stderr = _temporary_file()
        except GateError:
            self._stdin.close()
            raise
        try:
            self._stdin.write(stdin)
            self._stdin.seek(0)
            self._process = subprocess.Popen(
                self._command,
                stdin=self._stdin,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                env=environment(os.environ),
            )
        except OSError as error:
            self._close()
            raise GateError(
                f"cannot run git ({error.strerror}); install git and make sure it is on PATH"
            ) from None

    def read(self, size: int) -> bytes:
        """The next size bytes of the output; fewer only where it ends."""
        output = self._process.stdout
        assert output is not None  # stdout=PIPE
        return output.read(size)

    def readline(self, limit: int) -> bytes:
        """The next line of the output with its newline; at most limit bytes of it."""
        output = self._process.stdout
        assert output is not None  # stdout=PIPE
        return output.readline(limit)

    def finish(self) -> None:
        """Wait for git to end (its output read); a failure is the GateError naming it."""
        returncode = self._process.wait()
        self._stderr.seek(0)
        stderr = self._stderr.read()
        self._close()
        if returncode != 0:
            raise _failed(self._command, self._repo, returncode, stderr)

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._close()

    def _close(self) -> None:
        if hasattr(self, "_process") and self._process.stdout is not None:
            self._process.stdout.close()
        self._stdin.close()
        self._stderr.close()


def _temporary_file() -> IO[bytes]:
    try:
        # Closed by Background.finish() or stop(), whichever ends the command.
        return tempfile.TemporaryFile()
    except OSError as error:
        raise GateError(
            f"cannot create a temporary file for git's output ({error.strerror}); "
            "check that TMPDIR names a writable directory"
        ) from None
