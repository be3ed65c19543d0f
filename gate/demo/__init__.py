"""The 2017 upgrade, replayed in a scratch repository: the gate stops it, then lets it pass."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from importlib import resources
from typing import TextIO

from gate.git import refs
from gate.git.scratch import commit_all, init_scratch, switch_new_branch

UPGRADE = ('default_version "9.2.18"', 'default_version "9.6.1"')
CLIENT_FIX = ('client_version: "9.2.18"', 'client_version: "9.6.1"')
SIGNERS = {  # system -> who signs it off; alice wrote the change, so bob signs for dba
    "postgresql-primary": "bob",
    "postgresql-replica": "bob",
    "pg-dump-backup": "carol",
    "backup-upload": "carol",
    "disk-snapshots": "erin",
    "staging-restore": "erin",
    "cron-email-alerts": "dave",
}


def run(out: TextIO, main: Callable[[Sequence[str]], int]) -> int:
    """Replay the upgrade, writing to `out` and running each step's `gate` command by `main`."""
    with tempfile.TemporaryDirectory(prefix="gate-demo-") as scratch:
        repo = os.path.join(scratch, "infra")
        _lay_out(repo)
        init_scratch(repo, "main")
        commit_all(repo, "Baseline: PostgreSQL 9.2, nightly pg_dump backup")
        switch_new_branch(repo, "upgrade-postgresql")
        out.write(INTRO)

        _edit(repo, "config/software/postgresql.rb", *UPGRADE)
        commit_all(repo, "Upgrade PostgreSQL to 9.6.1")
        check = ["check", "--repo", repo, "--base", "main", "--author", "alice"]
        _step(out, 1, "alice (dba) upgrades PostgreSQL from 9.2.18 to 9.6.1.", check)
        _expect(main(check), 1, out)

        _edit(repo, "backup/backup.yml", *CLIENT_FIX)
        commit_all(repo, "Upgrade the backup's pg_dump client to 9.6.1")
        _step(out, 2, "The change also upgrades the backup's pg_dump client to 9.6.1.", check)
        _expect(main(check), 1, out)

        head = refs.resolve(repo, "HEAD", what="HEAD")
        ledger = os.path.join(scratch, "signoffs.yml")
        with open(ledger, "w", encoding="utf-8") as handle:
            handle.write(_ledger(head))
        out.write(f"\n== Step 3. The owners sign off, for head commit {head[:12]}:\n\n")
        out.write(_ledger(head))
        signed = [*check, "--signoffs", ledger]
        _step(out, 4, "The gate runs again with the sign-offs.", signed)
        _expect(main(signed), 0, out)
        out.write(OUTRO)
    return 0


INTRO = """\
change-impact-gate demo: the 2017 PostgreSQL upgrade, replayed.

A scratch repository models the infrastructure of the 2017 incident: the PostgreSQL primary and
its replica, the nightly pg_dump backup and its upload to object storage, disk snapshots and
the staging restore, and cron e-mail alerts sent through a mail relay. Its dependency-map.yaml
says how they depend on each other and who owns each.
"""

OUTRO = """
In 2017 nothing said this. The upgrade shipped, pg_dump 9.2 failed against 9.6 every night, the
failure e-mails were rejected, and the backups were empty when they were needed.
"""


def _lay_out(repo: str) -> None:
    source = resources.files("gate.demo") / "files"
    with resources.as_file(source) as files:
        shutil.copytree(files, repo)


def _edit(repo: str, path: str, old: str, new: str) -> None:
    full = os.path.join(repo, path)
    with open(full, encoding="utf-8") as handle:
        text = handle.read()
    with open(full, "w", encoding="utf-8") as handle:
        handle.write(text.replace(old, new))


def _ledger(head: str) -> str:
    return "".join(
        f'- {{system: {system}, by: {login}, commit: "{head}"}}\n'
        for system, login in SIGNERS.items()
    )


def _step(out: TextIO, number: int, what: str, argv: list[str]) -> None:
    """Show the command as a user would type it inside the scratch repository."""
    shown = ["gate"]
    for arg in argv:
        if shown[-1] == "--repo":
            shown.pop()
        elif shown[-1] == "--signoffs":
            shown.append(os.path.basename(arg))
        else:
            shown.append(arg)
    out.write(f"\n== Step {number}. {what}\n\n$ {' '.join(shown)}\n\n")
    out.flush()


def _expect(code: int, expected: int, out: TextIO) -> None:
    verdict = {0: "pass", 1: "blocked"}.get(code, "error")
    out.write(f"\n(exit {code}: {verdict})\n")
    if code != expected:
        raise RuntimeError(f"the demo expected exit {expected} and got {code}")
