"""Running git: one command to completion, or in the background while the gate works."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from typing import IO, Self

from gate.errors import GateError
from gate.git.environment import environment

# Configuration, from the repository or the caller's GIT_CONFIG_* (kept for a runner's
# safe.directory), can turn replace refs back on (core.useReplaceRefs=true wins over
# GIT_NO_REPLACE_OBJECTS); a -c of the command itself wins over both.
_OPTIONS = ("-c", "core.useReplaceRefs=false")


def git_command(repo: str, args: Sequence[str]) -> list[str]:
    """The command line of git running args in repo, replace refs off."""
    return ["git", *_OPTIONS, "-C", repo, *args]


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
        raise _cannot_run(error) from None
    if result.returncode not in tuple(ok):
        raise _failed(command, repo, result.returncode, result.stderr)
    return result


def _cannot_run(error: OSError) -> GateError:
    return GateError(f"cannot run git ({error.strerror}); install git and make sure it is on PATH")


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


class _Process(Stops):
    """git started with its stderr to a temporary file (read when it failed), the file closed
    whichever way the command ends."""

    def __init__(
        self, repo: str, args: Sequence[str], stdin: IO[bytes] | int, stdout: IO[bytes] | int
    ) -> None:
        self._repo = repo
        self._command = git_command(repo, args)
        self._files = [file for file in (stdin, stdout) if not isinstance(file, int)]
        try:
            self._files.append(_temporary_file())
            self._process = subprocess.Popen(
                self._command,
                stdin=stdin,
                stdout=stdout,
                stderr=self._files[-1],
                env=environment(os.environ),
            )
        except GateError:
            self._close()
            raise
        except OSError as error:
            self._close()
            raise _cannot_run(error) from None

    def _wait(self) -> None:
        """Wait for git to end; a failure is the GateError naming it."""
        returncode = self._process.wait()
        if returncode != 0:
            stderr = self._files[-1]
            stderr.seek(0)
            message = stderr.read()
            self._close()
            raise _failed(self._command, self._repo, returncode, message)

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._close()

    def _close(self) -> None:
        if hasattr(self, "_process") and self._process.stdout is not None:
            self._process.stdout.close()
        for file in self._files:
            file.close()


class Background(_Process):
    """A git command left to run while the gate does other work; finish() is run's second half.

    Its output goes to temporary files, not pipes: git must not stall on a full pipe meanwhile.
    """

    def __init__(self, repo: str, args: Sequence[str]) -> None:
        self._stdout = _temporary_file()
        super().__init__(repo, args, subprocess.DEVNULL, self._stdout)

    def running(self) -> bool:
        return self._process.poll() is None

    def finish(self) -> bytes:
        self._wait()
        self._stdout.seek(0)
        output = self._stdout.read()
        self._close()
        return output


class Piped(_Process):
    """A git command whose output is read as it comes, from a pipe.

    git waits while its output is not read: what the gate does not read (the rest of a blob
    too large to hold) git never makes, and stop() ends it. Its input comes from a file, so
    that git never waits on the gate's writing while the gate waits on its reading.
    """

    def __init__(self, repo: str, args: Sequence[str], *, stdin: bytes = b"") -> None:
        given = _temporary_file()
        try:
            given.write(stdin)
            given.seek(0)
        except OSError as error:
            given.close()
            raise GateError(
                f"cannot write git's input to a temporary file ({error.strerror}); "
                "check that TMPDIR names a writable directory"
            ) from None
        super().__init__(repo, args, given, subprocess.PIPE)

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
        self._wait()
        self._close()


def _temporary_file() -> IO[bytes]:
    try:
        # Closed by finish() or stop(), whichever ends the command.
        return tempfile.TemporaryFile()
    except OSError as error:
        raise GateError(
            f"cannot create a temporary file for git's output ({error.strerror}); "
            "check that TMPDIR names a writable directory"
        ) from None
