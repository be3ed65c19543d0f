"""Scratch repositories, for the demo: a new repository, its branches and commits."""

from __future__ import annotations

import os

from gate.git.refs import resolve
from gate.git.run import run

# The user's identity, signing and hooks stay out of a scratch repository.
_SCRATCH_CONFIG = (
    "-c", "user.name=change-impact-gate demo",
    "-c", "user.email=demo@change-impact-gate.invalid",
    "-c", "commit.gpgSign=false",
    "-c", f"core.hooksPath={os.devnull}",
)  # fmt: skip


def init_scratch(repo: str, branch: str) -> None:
    """Make the directory repo a new repository whose first branch is branch."""
    run(repo, ("init", "--quiet", f"--initial-branch={branch}"))


def commit_all(repo: str, message: str) -> str:
    """Commit every file of the working tree; the new commit's id."""
    run(repo, ("add", "--all"))
    run(repo, (*_SCRATCH_CONFIG, "commit", "--quiet", "--no-verify", f"--message={message}"))
    return resolve(repo, "HEAD")


def switch_new_branch(repo: str, branch: str) -> None:
    """Start branch at the current commit, and work on it."""
    run(repo, ("switch", "--quiet", "--create", branch))
