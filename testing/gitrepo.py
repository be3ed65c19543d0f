"""Scratch git repositories for tests: real git, in a temporary directory."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

# A fixed identity and no user or system configuration, so tests behave the same everywhere.
# Run from a git hook, the environment also holds GIT_DIR, GIT_INDEX_FILE...: _environment()
# drops them, so that a scratch repository is never the hook's.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Committer",
    "GIT_COMMITTER_EMAIL": "committer@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def _environment() -> dict[str, str]:
    outside = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    return {**outside, **GIT_ENV}


class GitRepo:
    """A working tree, with methods to write files and commit them."""

    def __init__(self, path: Path, *, branch: str = "main", object_format: str = "sha1") -> None:
        """A new repository at path; object_format "sha256" gives 64-digit object ids."""
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", branch, f"--object-format={object_format}")

    @classmethod
    def clone(cls, source: str, path: Path, *options: str) -> GitRepo:
        """A clone of source (a path or URL) at path; options such as "--bare", "--depth=1"."""
        subprocess.run(
            ["git", "clone", "-q", *options, source, str(path)],
            env=_environment(),
            check=True,
            capture_output=True,
        )
        repo = cls.__new__(cls)
        repo.path = path
        return repo

    def run(
        self, *args: str | bytes, stdin: bytes = b"", check: bool = True
    ) -> subprocess.CompletedProcess[bytes]:
        """git with bytes in and out, for output that is not text (-z lists, blobs)."""
        return subprocess.run(
            ["git", *args],
            cwd=self.path,
            env=_environment(),
            input=stdin,
            check=check,
            capture_output=True,
        )

    def git(self, *args: str | bytes) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=self.path,
            env=_environment(),
            check=True,
            capture_output=True,
        )
        return result.stdout.decode("utf-8", "replace").strip()

    def write(self, relpath: str | bytes, content: str | bytes = "") -> Path:
        target = Path(os.fsdecode(relpath)) if isinstance(relpath, bytes) else Path(relpath)
        full = self.path / target
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_bytes(content.encode() if isinstance(content, str) else content)
        return full

    def remove(self, relpath: str) -> None:
        self.git("rm", "-q", "-r", "--", relpath)

    def commit(self, message: str = "change", *files: tuple[str, str]) -> str:
        for relpath, content in files:
            self.write(relpath, content)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.head()

    def symlink(self, relpath: str, target: str) -> Path:
        full = self.path / relpath
        full.parent.mkdir(parents=True, exist_ok=True)
        full.symlink_to(target)
        return full

    def commit_chain(self, count: int, relpath: str = "chain.txt") -> str:
        """Add count commits to the current branch in one git process, each rewriting relpath."""
        branch = self.git("symbolic-ref", "HEAD")
        parent = self.head()
        commands = []
        for step in range(count):
            message = f"step {step}".encode()
            content = f"{step}\n".encode()
            commands += [
                f"commit {branch}\n".encode(),
                b"committer Test Committer <committer@example.com> 1700000000 +0000\n",
                b"data %d\n%s\n" % (len(message), message),
                f"from {parent}\n".encode() if step == 0 else b"",
                f"M 100644 inline {relpath}\n".encode(),
                b"data %d\n%s\n" % (len(content), content),
            ]
        self.run("fast-import", "--quiet", "--force", stdin=b"".join(commands))
        self.git("reset", "-q", "--hard")
        return self.head()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD")

    def checkout(self, *args: str) -> None:
        self.git("checkout", "-q", *args)
