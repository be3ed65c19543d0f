"""A small infrastructure repository with a dependency map, as the tests' common ground."""

from __future__ import annotations

from pathlib import Path

from testing.gitrepo import GitRepo

MAP = """\
version: 1
map-owners: ["platform"]
teams:
  dba:
    members: ["alice", "bob"]
  backup:
    members: ["carol"]
  sre:
    members: ["dave"]
  platform:
    members: ["erin"]
systems:
  postgresql:
    kind: database
    owners: ["dba"]
    paths:
      - "config/software/postgresql*.rb"
      - "cookbooks/postgresql/"
    version:
      file: "config/software/postgresql.rb"
      pattern: "default_version ['\\"](?P<version>[^'\\"]+)['\\"]"
      scheme: postgresql
  pg-dump-backup:
    kind: backup
    owners: ["backup"]
    paths: ["backup/"]
    version:
      file: "backup/backup.yml"
      key: "pg_dump.client_version"
      scheme: postgresql
    depends_on:
      - system: postgresql
        reason: "pg_dump refuses to dump a server of a newer major version"
        requires: ">={major}"
  replica:
    kind: database
    owners: ["dba", "@frank"]
    paths: ["replica/"]
    depends_on:
      - system: postgresql
        reason: "replication needs the same major"
        on: major
  backup-alerts:
    kind: alerting
    owners: ["sre"]
    paths: ["alerting/"]
    depends_on:
      - system: pg-dump-backup
        reason: "pages on-call when a backup fails"
{policy}"""

FILES = {
    "config/software/postgresql.rb": 'name "postgresql"\ndefault_version "9.2.18"\n',
    "cookbooks/postgresql/recipe.rb": "# server config\n",
    "backup/backup.yml": 'pg_dump:\n  client_version: "9.2.18"\n',
    "replica/recipe.rb": "# replica\n",
    "alerting/crontab": "MAILTO=ops@example.com\n",
    "README.md": "infra\n",
}


def infra_repo(
    path: Path, *, policy: str = "", map_text: str | None = None, object_format: str = "sha1"
) -> GitRepo:
    """A repository with the map and files committed on main, and branch `change` checked out."""
    repo = GitRepo(path, object_format=object_format)
    text = map_text if map_text is not None else MAP.replace("{policy}", policy)
    repo.commit("baseline", ("dependency-map.yaml", text), *FILES.items())
    repo.checkout("-b", "change")
    return repo


def upgrade(repo: GitRepo, version: str = "9.6.1") -> str:
    return repo.commit(
        "upgrade postgresql",
        ("config/software/postgresql.rb", f'name "postgresql"\ndefault_version "{version}"\n'),
    )
