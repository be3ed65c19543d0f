from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest

from gate.depmap.load import load_map
from gate.depmap.records import Edge, ImageRule, KeyRule, Map, PatternRule, Policy, System, Team
from gate.errors import EXIT_ERROR, MapError

MAPS = Path(__file__).parent.parent / "data" / "maps"

# Eight lines; the systems given to with_systems start on line 9, indented by two columns.
HEAD = """\
version: 1
map-owners: [platform]
teams:
  platform:
    members: [erin]
  dba:
    members: [alice, bob]
systems:
"""


def with_systems(body: str) -> str:
    return HEAD + textwrap.indent(textwrap.dedent(body), "  ")


def problems_of(text: str | bytes, *, path: str | None = "dependency-map.yaml") -> list[str]:
    data = text if isinstance(text, bytes) else text.encode()
    with pytest.raises(MapError) as caught:
        load_map(data, "m.yaml", path=path)
    assert caught.value.exit_code == EXIT_ERROR
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def test_the_documented_map_loads_into_records():
    data = (MAPS / "product.yaml").read_bytes()
    depmap = load_map(data, "dependency-map.yaml@abc123", path="dependency-map.yaml")
    postgresql = System(
        id="postgresql",
        kind="database",
        description="Primary PostgreSQL cluster",
        owners=("dba",),
        paths=("config/software/postgresql*.rb", "cookbooks/postgresql/"),
        version=PatternRule(
            file="config/software/postgresql.rb",
            pattern="default_version ['\"](?P<version>[^'\"]+)['\"]",
            scheme="postgresql",
        ),
    )
    backup = System(
        id="pg-dump-backup",
        kind="backup",
        owners=("backup",),
        signoff="any",
        paths=("backup/",),
        version=KeyRule(
            file="backup/backup.yml", key="pg_dump.client_version", scheme="postgresql"
        ),
        depends_on=(
            Edge(
                dependent="pg-dump-backup",
                dependency="postgresql",
                reason="pg_dump refuses to dump a server of a newer major version",
                on="any",
                requires=">={major}",
            ),
        ),
    )
    alerts = System(
        id="backup-alerts",
        kind="alerting",
        owners=("sre",),
        paths=("alerting/",),
        depends_on=(
            Edge(
                dependent="backup-alerts",
                dependency="pg-dump-backup",
                reason="pages on-call when a backup fails",
            ),
        ),
    )
    assert depmap == Map(
        source="dependency-map.yaml@abc123",
        sha256=hashlib.sha256(data).hexdigest(),
        path="dependency-map.yaml",
        map_owners=("platform",),
        teams={
            "dba": Team(id="dba", members=frozenset({"alice", "bob"}), github_team="acme/dba"),
            "backup": Team(id="backup", members=frozenset({"carol"})),
            "sre": Team(id="sre", members=frozenset({"dave"})),
            "platform": Team(id="platform", members=frozenset({"erin"})),
        },
        systems={"postgresql": postgresql, "pg-dump-backup": backup, "backup-alerts": alerts},
        policy=Policy(unmapped="warn", signoff_touched=True, stale_signoffs="head"),
        matcher=depmap.matcher,  # not compared
        graph=depmap.graph,
    )
    assert list(depmap.systems) == ["postgresql", "pg-dump-backup", "backup-alerts"]
    assert depmap.edges == (*backup.depends_on, *alerts.depends_on)


def test_defaults_and_less_common_forms():
    text = """\
        version: 1
        map-owners: ["@Root"]
        teams:
          org:
            github-team: acme/org
          people:
            members: ["@Alice", BOB]
        systems:
          svc:
            kind: yes
            owners: [org, "@Carol"]
            signoff: 5
            version:
              file: VERSION
              pattern: "^(?P<version>.+)$"
              select: max
          db:
            owners: [people]
            signoff: all
            version: {file: compose.yaml, image: docker.io/library/postgres, scheme: loose}
            depends_on:
              - system: svc
                on: major
                requires: "=={version}"
        policy:
          unmapped: fail
          signoff-touched: false
          stale-signoffs: impact
    """
    depmap = load_map(textwrap.dedent(text).encode(), "m.yaml", path=None, sha256="feed")
    assert depmap.sha256 == "feed"
    assert depmap.path is None
    assert depmap.map_owners == ("@Root",)
    assert depmap.teams["org"] == Team(id="org", members=frozenset(), github_team="acme/org")
    assert depmap.teams["people"].members == frozenset({"alice", "bob"})
    assert depmap.systems["svc"] == System(
        id="svc",
        kind="yes",  # a string under YAML 1.2
        owners=("org", "@Carol"),
        signoff=5,  # a GitHub team's size is not known here
        version=PatternRule(file="VERSION", pattern="^(?P<version>.+)$", select="max"),
    )
    assert depmap.systems["svc"].patterns == ("/VERSION",)
    assert depmap.systems["db"].signoff == "all"
    assert depmap.systems["db"].version == ImageRule(
        file="compose.yaml", image="docker.io/library/postgres", scheme="loose"
    )
    assert depmap.edges == (
        Edge(dependent="db", dependency="svc", on="major", requires="=={version}"),
    )
    assert depmap.policy == Policy(unmapped="fail", signoff_touched=False, stale_signoffs="impact")


def test_a_system_without_paths_or_teams_is_fine():
    depmap = load_map(
        b"version: 1\nmap-owners: ['@a']\nsystems:\n  x:\n    owners: ['@a']\n", "m", path=None
    )
    assert depmap.teams == {}
    assert depmap.systems["x"] == System(id="x", owners=("@a",))
    assert depmap.policy == Policy()


def test_records_compare_by_definition():
    """An edit of one system's definition changes that system's record and no other."""
    before = with_systems("""\
        a:
          owners: [dba]
        b:
          owners: [dba]
          depends_on: [{system: a}]
    """)
    after = before.replace("depends_on: [{system: a}]", "depends_on: [{system: a, on: major}]")
    old = load_map(before.encode(), "m", path="dependency-map.yaml")
    new = load_map(after.encode(), "m", path="dependency-map.yaml")
    reloaded = load_map(before.encode(), "other", path="dependency-map.yaml")
    assert old.systems["a"] == new.systems["a"]
    assert old.systems["b"] != new.systems["b"]
    assert old.systems == reloaded.systems
    assert old.sha256 != new.sha256


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param(
            "",
            "m.yaml:1:1: the map is empty; start it with 'version: 1' and 'map-owners: [TEAM]'",
            id="empty file",
        ),
        pytest.param(
            "# nothing yet\n",
            "m.yaml:1:1: the map is empty; start it with 'version: 1' and 'map-owners: [TEAM]'",
            id="only a comment",
        ),
        pytest.param(
            "- version: 1\n",
            "m.yaml:1:1: the map must be a mapping with keys version, map-owners, teams, "
            "systems, policy, not a list",
            id="top level is a list",
        ),
        pytest.param(
            "version: 1\nmap-owners: ['@a']\n---\nversion: 1\n",
            "m.yaml:3:1: a second YAML document starts here; the file must hold exactly one: "
            "remove this '---' and what follows, or merge it into the first",
            id="two documents",
        ),
        pytest.param(
            "version: 1\nmap-owners: &o ['@a']\n",
            "m.yaml:2:13: anchor '&o' is not allowed; write the value out in full",
            id="anchor",
        ),
        pytest.param(
            "version: 1\nmap-owners: ['@a']\nversion: 1\n",
            "m.yaml:3:1: duplicate key 'version' (first on line 1); keep one of the two",
            id="duplicate top-level key",
        ),
        pytest.param(
            "version: 1\nmap-owners: [!!str a]\n",
            "m.yaml:2:14: explicit tag '!!str' is not allowed; remove it "
            "(quote the value if it is text)",
            id="explicit tag",
        ),
        pytest.param(
            "version: 1\nmap-owners: ['@a'\n",
            "m.yaml:3:1: YAML syntax error: did not find expected ',' or ']' "
            "(while parsing a flow sequence); check the indentation and quoting here and on "
            "the lines above",
            id="syntax error",
        ),
        pytest.param(
            b"version: 1\nmap-owners: ['@\xe9']\n",
            "m.yaml:2:16: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8",
            id="not UTF-8",
        ),
        pytest.param(
            "map-owners: ['@a']\n",
            "m.yaml:1:1: the map has no 'version'; add 'version: 1' (the format it is in)",
            id="no version",
        ),
        pytest.param(
            "version: 2\nmap-owners: ['@a']\n",
            "m.yaml:1:10: 'version' must be the number 1, not the number 2; write 'version: 1'",
            id="version 2",
        ),
        pytest.param(
            "version: '1'\nmap-owners: ['@a']\n",
            "m.yaml:1:10: 'version' must be the number 1, not the text '1'; write 'version: 1'",
            id="version quoted",
        ),
        pytest.param(
            "version: 1\n",
            "m.yaml:1:1: the map has no 'map-owners'; add 'map-owners: [TEAM]' naming who signs "
            "off changes to the map",
            id="no map-owners",
        ),
        pytest.param(
            "version: 1\nmap-owners: []\n",
            "m.yaml:2:13: 'map-owners' is empty; name at least one team key or '@login'",
            id="empty map-owners",
        ),
        pytest.param(
            "version: 1\nmap-owners: '@a'\n",
            "m.yaml:2:13: 'map-owners' must be a list such as [a, b], not the text '@a'",
            id="map-owners not a list",
        ),
        pytest.param(
            "version: 1\nmap-owners: [platfrom]\nteams:\n  platform: {members: [a]}\n",
            "m.yaml:2:14: unknown team 'platfrom' in 'map-owners'; did you mean 'platform'?",
            id="map-owners names an unknown team",
        ),
        pytest.param(
            "version: 1\nmap-owners: [ops]\n",
            "m.yaml:2:14: unknown team 'ops' in 'map-owners'; define it under 'teams', or "
            "write '@login' for one person",
            id="map-owners names a team without a close match",
        ),
        pytest.param(
            "version: 1\nmap-owners: ['@a']\nsystem: {}\n",
            "m.yaml:3:1: unknown key 'system' in the map; did you mean 'systems'?",
            id="unknown top-level key",
        ),
        pytest.param(
            "version: 1\nmap-owners: ['@a']\nrules: {}\n",
            "m.yaml:3:1: unknown key 'rules' in the map; allowed: version, map-owners, teams, "
            "systems, policy",
            id="unknown top-level key without a close match",
        ),
        pytest.param(
            "version: 1\nmap-owners: ['@a']\nsystems:\n",
            "m.yaml:3:9: 'systems' must be a mapping of system ids, not empty (null)",
            id="systems empty",
        ),
        pytest.param(
            "version: 1\nmap-owners: ['@a']\nteams: [dba]\n",
            "m.yaml:3:8: 'teams' must be a mapping of team keys, not a list",
            id="teams a list",
        ),
        pytest.param(
            "version: 1\nmap-owners: ['@a']\npolicy: strict\n",
            "m.yaml:3:9: 'policy' must be a mapping with keys unmapped, signoff-touched, "
            "stale-signoffs, not the text 'strict'",
            id="policy not a mapping",
        ),
    ],
)
def test_bad_maps(text, problem):
    assert problems_of(text) == [problem]


@pytest.mark.parametrize(
    ("teams", "problem"),
    [
        pytest.param(
            "ops: {}",
            "m.yaml:4:3: team 'ops' has no members and no github-team; list its members "
            "(members: [alice]) or name its GitHub team (github-team: org/slug)",
            id="empty team",
        ),
        pytest.param(
            "ops: {members: []}",
            "m.yaml:4:3: team 'ops' has no members and no github-team; list its members "
            "(members: [alice]) or name its GitHub team (github-team: org/slug)",
            id="empty members",
        ),
        pytest.param(
            "ops:",
            "m.yaml:4:7: team 'ops' must be a mapping with keys members, github-team, "
            "not empty (null)",
            id="team without a body",
        ),
        pytest.param(
            "ops: {member: [a]}",
            "m.yaml:4:9: unknown key 'member' in team 'ops'; did you mean 'members'?",
            id="unknown key",
        ),
        pytest.param(
            "ops: {members: a}",
            "m.yaml:4:18: 'members' of team 'ops' must be a list such as [a, b], not the text 'a'",
            id="members not a list",
        ),
        pytest.param(
            "ops: {members: [al ice]}",
            "m.yaml:4:19: 'al ice' in team 'ops' is not a GitHub login; write one such as 'alice'",
            id="member not a login",
        ),
        pytest.param(
            "ops: {members: [a, 1e3]}",
            "m.yaml:4:22: a member of team 'ops': 1e3 is the number 1000.0 to YAML; "
            'quote it: "1e3"',
            id="member a number",
        ),
        pytest.param(
            "ops: {github-team: acme}",
            "m.yaml:4:22: 'github-team' of team 'ops' must be 'org/team-slug', as in 'acme/dba', "
            "not 'acme'",
            id="github-team without org",
        ),
        pytest.param(
            "o p: {members: [a]}",
            "m.yaml:4:3: team key 'o p' may hold only letters, digits, '.', '_' and '-'; rename it",
            id="bad team key",
        ),
        pytest.param(
            "true: {members: [a]}",
            'm.yaml:4:3: team key true: true is the boolean true to YAML; quote it: "true"',
            id="team key a boolean",
        ),
    ],
)
def test_bad_teams(teams, problem):
    text = f"version: 1\nmap-owners: ['@a']\nteams:\n  {teams}\n"
    assert problems_of(text) == [problem]


@pytest.mark.parametrize(
    ("systems", "problem"),
    [
        pytest.param(
            """\
            pg:
              owner: [dba]
              owners: [dba]
            """,
            "m.yaml:10:5: unknown key 'owner' in system 'pg'; did you mean 'owners'?",
            id="unknown key",
        ),
        pytest.param(
            """\
            pg:
              owners: [dba]
            pg:
              owners: [dba]
            """,
            "m.yaml:11:3: duplicate key 'pg' (first on line 9); keep one of the two",
            id="duplicate system",
        ),
        pytest.param(
            """\
            pg:
              kind: database
            """,
            "m.yaml:9:3: system 'pg' has no owners; add 'owners: [TEAM]' with team keys or "
            "'@login'",
            id="no owners",
        ),
        pytest.param(
            "pg: {owners: []}",
            "m.yaml:9:16: 'owners' of system 'pg' is empty; name at least one team key or '@login'",
            id="empty owners",
        ),
        pytest.param(
            "pg: {owners: [dab]}",
            "m.yaml:9:17: unknown team 'dab' in 'owners' of system 'pg'; did you mean 'dba'?",
            id="unknown owner team",
        ),
        pytest.param(
            "pg: {owners: ['@al ice']}",
            "m.yaml:9:17: '@al ice' in 'owners' of system 'pg' is not '@' and a GitHub login",
            id="bad owner login",
        ),
        pytest.param(
            "pg: {owners: [dba, '@A', dba]}",
            "m.yaml:9:28: owner 'dba' is listed twice in 'owners' of system 'pg' "
            "(first on line 9); keep one",
            id="owner listed twice",
        ),
        pytest.param(
            "pg: {owners: [dba, '@a', '@A']}",
            "m.yaml:9:28: owner '@A' is listed twice in 'owners' of system 'pg' "
            "(first on line 9); keep one",
            id="login listed twice in another case",
        ),
        pytest.param(
            "pg db: {owners: [dba]}",
            "m.yaml:9:3: system id 'pg db' may hold only letters, digits, '.', '_' and '-'; "
            "rename it",
            id="bad system id",
        ),
        pytest.param(
            "'': {owners: [dba]}",
            "m.yaml:9:3: system id '' may hold only letters, digits, '.', '_' and '-'; rename it",
            id="empty system id",
        ),
        pytest.param(
            "9.6: {owners: [dba]}",
            'm.yaml:9:3: system id 9.6: 9.6 is the number 9.6 to YAML; quote it: "9.6"',
            id="system id a number",
        ),
        pytest.param(
            "dependency-map.yaml: {owners: [dba]}",
            "m.yaml:9:3: system id 'dependency-map.yaml' is the map's own path, which is already "
            "a system owned by map-owners; rename this system",
            id="system id is the map's path",
        ),
        pytest.param(
            "pg: {owners: [dba], description: 9.10}",
            "m.yaml:9:36: 'description' of system 'pg': 9.10 is the number 9.1 to YAML; "
            'quote it: "9.10"',
            id="unquoted 9.10",
        ),
        pytest.param(
            "pg: {owners: [dba], kind: True}",
            "m.yaml:9:29: 'kind' of system 'pg': True is the boolean true to YAML; "
            'quote it: "True"',
            id="boolean where text is expected",
        ),
        pytest.param(
            "pg: {owners: [dba], kind: ~}",
            "m.yaml:9:29: 'kind' of system 'pg': ~ is empty (null) to YAML; quote it: \"~\"",
            id="null where text is expected",
        ),
        pytest.param(
            """\
            pg:
              owners: [dba]
              kind:
            """,
            "m.yaml:11:10: 'kind' of system 'pg' is empty; give it a value",
            id="empty value",
        ),
        pytest.param(
            "pg: {owners: [dba], kind: [a]}",
            "m.yaml:9:29: 'kind' of system 'pg' must be a string, not a list",
            id="list where text is expected",
        ),
        pytest.param(
            "pg: {owners: [dba], signoff: 0}",
            "m.yaml:9:32: 'signoff' of system 'pg' must be at least 1, not 0",
            id="signoff 0",
        ),
        pytest.param(
            "pg: {owners: [dba], signoff: 3}",
            "m.yaml:9:32: 'signoff' of system 'pg' asks for 3 approvals, but its owners are "
            "only 2 people; lower it or add owners",
            id="signoff above the number of owners",
        ),
        pytest.param(
            "pg: {owners: [dba, '@Alice', '@carol'], signoff: 4}",
            "m.yaml:9:52: 'signoff' of system 'pg' asks for 4 approvals, but its owners are "
            "only 3 people; lower it or add owners",
            id="signoff counts people once",
        ),
        pytest.param(
            "pg: {owners: [dba], signoff: most}",
            "m.yaml:9:32: 'signoff' of system 'pg' must be any, all or a number of approvals, "
            "not the text 'most'",
            id="signoff word",
        ),
        pytest.param(
            "pg: {owners: [dba], signoff: 2.0}",
            "m.yaml:9:32: 'signoff' of system 'pg' must be any, all or a number of approvals, "
            "not the number 2.0",
            id="signoff float",
        ),
        pytest.param(
            "pg: {owners: [dba], paths: backup/}",
            "m.yaml:9:30: 'paths' of system 'pg' must be a list such as [a, b], "
            "not the text 'backup/'",
            id="paths not a list",
        ),
        pytest.param(
            "pg: {owners: [dba], paths: ['']}",
            "m.yaml:9:31: path pattern '' of system 'pg': is empty; remove it or write a pattern "
            "such as 'backup/'",
            id="empty pattern",
        ),
        pytest.param(
            "pg: {owners: [dba], paths: ['!backup/']}",
            "m.yaml:9:31: path pattern '!backup/' of system 'pg': starts with '!', but negation "
            "is not supported; list only what the system covers",
            id="negated pattern",
        ),
        pytest.param(
            "pg: {owners: [dba], paths: ['backup\\dump']}",
            "m.yaml:9:31: path pattern 'backup\\dump' of system 'pg': contains a backslash; "
            "separate directories with '/' (escapes are not supported)",
            id="backslash",
        ),
        pytest.param(
            "pg: {owners: [dba], paths: ['//server/share']}",
            "m.yaml:9:31: path pattern '//server/share' of system 'pg': is an absolute path; "
            "write it relative to the repository root (a single leading '/' anchors it there)",
            id="leading double slash",
        ),
        pytest.param(
            "pg: {owners: [dba], paths: ['C:/repo/backup']}",
            "m.yaml:9:31: path pattern 'C:/repo/backup' of system 'pg': is an absolute path; "
            "write it relative to the repository root (a single leading '/' anchors it there)",
            id="windows drive",
        ),
        pytest.param(
            "pg: {owners: [dba], paths: ['backup/../etc/']}",
            "m.yaml:9:31: path pattern 'backup/../etc/' of system 'pg': contains a '..' "
            "segment; write it relative to the repository root without '..'",
            id="dot-dot segment",
        ),
        pytest.param(
            "pg: {owners: [dba], paths: ['backup/[a']}",
            "m.yaml:9:31: path pattern 'backup/[a' of system 'pg': ",
            id="pattern the matcher rejects",
        ),
        pytest.param(
            "pg: {owners: [dba], paths: [3]}",
            "m.yaml:9:31: a path of system 'pg': 3 is the number 3 to YAML; quote it: \"3\"",
            id="pattern a number",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {pattern: '(?P<version>.+)'}}",
            "m.yaml:9:32: 'version' of system 'pg' has no 'file'; name the file that declares "
            "the version",
            id="version without file",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {file: VERSION}}",
            "m.yaml:9:32: 'version' of system 'pg' needs one of 'pattern', 'key' or 'image' to "
            "say where the version is",
            id="version without a source",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {file: v.yml, key: a.b, image: pg}}",
            "m.yaml:9:63: 'version' of system 'pg' has both 'key' and 'image'; keep exactly one",
            id="version with two sources",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {file: '*.rb', key: a}}",
            "m.yaml:9:39: 'file' of 'version' of system 'pg' must name one file, not a pattern: "
            "remove '*', '?', '[' and ']'",
            id="version file a glob",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {file: /VERSION, key: a}}",
            "m.yaml:9:39: 'file' of 'version' of system 'pg' must be relative to the repository "
            "root: write 'VERSION'",
            id="version file absolute",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {file: ../VERSION, key: a}}",
            "m.yaml:9:39: 'file' of 'version' of system 'pg' must be a plain relative path such "
            "as 'backup/backup.yml' (no '.', '..' or '//')",
            id="version file outside",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {file: 'a\\b', key: a}}",
            "m.yaml:9:39: 'file' of 'version' of system 'pg' contains a backslash; separate "
            "directories with '/'",
            id="version file backslash",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {file: '', key: a}}",
            "m.yaml:9:39: 'file' of 'version' of system 'pg' is empty; name the file that "
            "declares the version",
            id="version file empty",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {file: V, pattern: '(?P<version>[0-9'}}",
            "m.yaml:9:51: 'pattern' of 'version' of system 'pg' is not a valid regular "
            "expression (unterminated character set at position 12); fix it, and remember YAML "
            "double quotes need \\\\ for one backslash",
            id="pattern does not compile",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {file: V, pattern: '([0-9.]+)'}}",
            "m.yaml:9:51: 'pattern' of 'version' of system 'pg' has no group named 'version'; "
            "wrap the version in (?P<version>...)",
            id="pattern without the version group",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {file: V, key: 'a..b'}}",
            "m.yaml:9:47: 'key' of 'version' of system 'pg' must be a dotted path such as "
            "'pg_dump.client_version', not 'a..b'",
            id="key with an empty part",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {file: V, image: 'postgres:15'}}",
            "m.yaml:9:49: 'image' of 'version' of system 'pg' must name the image without its "
            "tag or digest ('postgres', not 'postgres:15')",
            id="image with a tag",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {file: V, image: 'post gres'}}",
            "m.yaml:9:49: 'image' of 'version' of system 'pg' must be an image name such as "
            "'postgres'",
            id="image with a space",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {file: V, key: a, select: max}}",
            "m.yaml:9:58: 'select' of 'version' of system 'pg' works only with 'pattern'; "
            "remove it",
            id="select without pattern",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {file: V, pattern: '(?P<version>.)', select: last}}",
            "m.yaml:9:77: 'select' of 'version' of system 'pg' must be one of first, max, min, "
            "not the text 'last'",
            id="select unknown",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {file: V, key: a, scheme: semvar}}",
            "m.yaml:9:58: 'scheme' of 'version' of system 'pg' must be one of semver, pep440, "
            "postgresql, loose, not the text 'semvar'; did you mean 'semver'?",
            id="scheme misspelt",
        ),
        pytest.param(
            "pg: {owners: [dba], version: {file: V, patern: '(?P<version>.)'}}",
            "m.yaml:9:42: unknown key 'patern' in 'version' of system 'pg'; "
            "did you mean 'pattern'?",
            id="version key misspelt",
        ),
    ],
)
def test_bad_systems(systems, problem):
    reported = problems_of(with_systems(systems))
    assert len(reported) == 1
    assert reported[0].startswith(problem)


def test_the_path_matcher_judges_what_the_loader_does_not():
    from gate.paths.pattern import pattern_error

    (reported,) = problems_of(with_systems("pg: {owners: [dba], paths: ['backup/[a']}"))
    assert (
        reported
        == f"m.yaml:9:31: path pattern 'backup/[a' of system 'pg': {pattern_error('backup/[a')}"
    )


@pytest.mark.parametrize(
    ("systems", "problem"),
    [
        pytest.param(
            """\
            a: {owners: [dba]}
            b:
              owners: [dba]
              depends_on: [{system: c}]
            zz: {owners: [dba]}
            """,
            "m.yaml:12:27: unknown system 'c' in 'depends_on' entry 1 of system 'b'; "
            "define it under 'systems'",
            id="unknown system",
        ),
        pytest.param(
            """\
            postgresql: {owners: [dba]}
            b:
              owners: [dba]
              depends_on: [{system: postgres}]
            """,
            "m.yaml:12:27: unknown system 'postgres' in 'depends_on' entry 1 of system 'b'; "
            "did you mean 'postgresql'?",
            id="unknown system with a close match",
        ),
        pytest.param(
            """\
            b:
              owners: [dba]
              depends_on: [{system: b}]
            """,
            "m.yaml:11:27: system 'b' depends on itself; remove this entry",
            id="depends on itself",
        ),
        pytest.param(
            """\
            a: {owners: [dba]}
            b:
              owners: [dba]
              depends_on: [{system: a}, {reason: x}]
            """,
            "m.yaml:12:31: 'depends_on' entry 2 of system 'b' has no 'system'; name the system "
            "it depends on",
            id="entry without system",
        ),
        pytest.param(
            """\
            a: {owners: [dba]}
            b:
              owners: [dba]
              depends_on: [a]
            """,
            "m.yaml:12:18: 'depends_on' entry 1 of system 'b' must be a mapping with keys "
            "system, reason, on, requires, not the text 'a'",
            id="entry a bare name",
        ),
        pytest.param(
            """\
            a: {owners: [dba]}
            b:
              owners: [dba]
              depends_on: {system: a}
            """,
            "m.yaml:12:17: 'depends_on' of system 'b' must be a list such as [a, b], not a mapping",
            id="depends_on a mapping",
        ),
        pytest.param(
            """\
            a: {owners: [dba]}
            b:
              owners: [dba]
              depends_on:
                - system: a
                - system: a
            """,
            "m.yaml:14:17: system 'b' depends on 'a' twice (first on line 13); merge the two "
            "entries",
            id="same dependency twice",
        ),
        pytest.param(
            """\
            a: {owners: [dba]}
            b:
              owners: [dba]
              depends_on: [{system: a, reson: x}]
            """,
            "m.yaml:12:30: unknown key 'reson' in 'depends_on' entry 1 of system 'b'; "
            "did you mean 'reason'?",
            id="edge key misspelt",
        ),
        pytest.param(
            """\
            a: {owners: [dba]}
            b:
              owners: [dba]
              depends_on: [{system: a, on: majr}]
            """,
            "m.yaml:12:34: 'on' of 'depends_on' entry 1 of system 'b' must be one of any, "
            "version, major, minor, patch, not the text 'majr'; did you mean 'major'?",
            id="on misspelt",
        ),
        pytest.param(
            """\
            a: {owners: [dba]}
            b:
              owners: [dba]
              depends_on: [{system: a, on: true}]
            """,
            "m.yaml:12:34: 'on' of 'depends_on' entry 1 of system 'b' must be one of any, "
            "version, major, minor, patch, not the boolean true",
            id="on a boolean",
        ),
        pytest.param(
            """\
            a: {owners: [dba], version: {file: A, key: v}}
            b:
              owners: [dba]
              version: {file: B, key: v}
              depends_on: [{system: a, requires: '=>{major}'}]
            """,
            "m.yaml:13:40: 'requires' of 'depends_on' entry 1 of system 'b' '=>{major}' is not "
            "a PEP 440 specifier set; write one such as '>={major}' or '>=9.6,<10'",
            id="requires not a specifier",
        ),
        pytest.param(
            """\
            a: {owners: [dba], version: {file: A, key: v}}
            b:
              owners: [dba]
              version: {file: B, key: v}
              depends_on: [{system: a, requires: '>={patch}'}]
            """,
            "m.yaml:13:40: 'requires' of 'depends_on' entry 1 of system 'b' uses the unknown "
            "placeholder '{patch}'; use {version}, {major} or {minor}",
            id="requires unknown placeholder",
        ),
        pytest.param(
            """\
            a: {owners: [dba], version: {file: A, key: v}}
            b:
              owners: [dba]
              version: {file: B, key: v}
              depends_on: [{system: a, requires: ' '}]
            """,
            "m.yaml:13:40: 'requires' of 'depends_on' entry 1 of system 'b' is empty; remove it "
            "or write a specifier set such as '>={major}'",
            id="requires empty",
        ),
        pytest.param(
            """\
            a: {owners: [dba], version: {file: A, key: v}}
            b:
              owners: [dba]
              version: {file: B, key: v}
              depends_on: [{system: a, requires: 9.6}]
            """,
            "m.yaml:13:40: 'requires' of 'depends_on' entry 1 of system 'b': 9.6 is the number "
            '9.6 to YAML; quote it: "9.6"',
            id="requires a number",
        ),
        pytest.param(
            """\
            a: {owners: [dba]}
            b:
              owners: [dba]
              version: {file: B, key: v}
              depends_on: [{system: a, requires: '>={major}'}]
            """,
            "m.yaml:13:40: 'requires' compares versions, but system 'a' declares none; add a "
            "'version' block to it or remove 'requires'",
            id="requires without a version on the dependency",
        ),
        pytest.param(
            """\
            a: {owners: [dba], version: {file: A, key: v}}
            b:
              owners: [dba]
              depends_on: [{system: a, requires: '>={major}'}]
            """,
            "m.yaml:12:40: 'requires' compares versions, but system 'b' declares none; add a "
            "'version' block to it or remove 'requires'",
            id="requires without a version on the dependent",
        ),
    ],
)
def test_bad_dependencies(systems, problem):
    assert problems_of(with_systems(systems)) == [problem]


@pytest.mark.parametrize(
    ("policy", "problem"),
    [
        pytest.param(
            "signoff-touched: no",
            "m.yaml:4:20: 'signoff-touched' of 'policy' must be true or false, not the text 'no' "
            "(only true and false are booleans)",
            id="no is not a boolean",
        ),
        pytest.param(
            "signoff-touched: 'true'",
            "m.yaml:4:20: 'signoff-touched' of 'policy' must be true or false, not the text "
            "'true' (only true and false are booleans)",
            id="quoted true is text",
        ),
        pytest.param(
            "signoff-touched: 1",
            "m.yaml:4:20: 'signoff-touched' of 'policy' must be true or false, not the number 1",
            id="a number is not a boolean",
        ),
        pytest.param(
            "unmapped: fial",
            "m.yaml:4:13: 'unmapped' of 'policy' must be one of warn, fail, ignore, not the text "
            "'fial'; did you mean 'fail'?",
            id="unmapped misspelt",
        ),
        pytest.param(
            "stale-signoffs: never",
            "m.yaml:4:19: 'stale-signoffs' of 'policy' must be one of head, impact, not the text "
            "'never'",
            id="stale-signoffs unknown",
        ),
        pytest.param(
            "unmaped: warn",
            "m.yaml:4:3: unknown key 'unmaped' in 'policy'; did you mean 'unmapped'?",
            id="policy key misspelt",
        ),
    ],
)
def test_bad_policies(policy, problem):
    text = f"version: 1\nmap-owners: ['@a']\npolicy:\n  {policy}\n"
    assert problems_of(text) == [problem]


def test_every_problem_is_reported_at_once_in_file_order():
    text = """\
        version: 1
        map-owners: [platfrom]
        teams:
          platform: {members: [erin]}
        systems:
          pg:
            owner: [dba]
            description: 9.10
          backup:
            owners: [platform]
            depends_on: [{system: pgg, on: majr}]
        policy:
          signoff-touched: no
    """
    assert problems_of(textwrap.dedent(text)) == [
        "m.yaml:2:14: unknown team 'platfrom' in 'map-owners'; did you mean 'platform'?",
        "m.yaml:7:5: unknown key 'owner' in system 'pg'; did you mean 'owners'?",
        "m.yaml:8:18: 'description' of system 'pg': 9.10 is the number 9.1 to YAML; "
        'quote it: "9.10"',
        "m.yaml:11:27: unknown system 'pgg' in 'depends_on' entry 1 of system 'backup'; "
        "did you mean 'pg'?",
        "m.yaml:11:36: 'on' of 'depends_on' entry 1 of system 'backup' must be one of any, "
        "version, major, minor, patch, not the text 'majr'; did you mean 'major'?",
        "m.yaml:13:20: 'signoff-touched' of 'policy' must be true or false, not the text 'no' "
        "(only true and false are booleans)",
    ]


def test_yaml_problems_come_all_at_once_too():
    text = "version: 1\nmap-owners: &o [a]\nteams: *o\nversion: 1\n"
    assert problems_of(text) == [
        "m.yaml:2:13: anchor '&o' is not allowed; write the value out in full",
        "m.yaml:3:8: alias '*o' is not allowed; write the value out in full",
        "m.yaml:4:1: duplicate key 'version' (first on line 1); keep one of the two",
    ]


def test_messages_name_the_source_as_given():
    with pytest.raises(MapError) as caught:
        load_map(b"version: 1\n", "dependency-map.yaml@0123abc", path="dependency-map.yaml")
    assert caught.value.problems[0].startswith("dependency-map.yaml@0123abc:1:1: ")


def test_a_map_over_16_mib_is_refused_before_parsing():
    data = b"version: 1\n" + b"#" * (16 * 1024 * 1024)
    assert problems_of(data) == [
        f"m.yaml:1:1: the file is {len(data)} bytes, over the limit of 16777216 bytes; "
        "split it or remove what it does not need"
    ]


def test_a_map_file_outside_the_repository_may_name_a_system_after_any_path():
    text = with_systems("dependency-map.yaml: {owners: [dba]}")
    assert "dependency-map.yaml" in load_map(text.encode(), "m.yaml", path=None).systems


def big_map(systems: int, edges_each: int) -> bytes:
    lines = ["version: 1", "map-owners: [platform]", "teams:"]
    lines += [f"  team-{n}: {{members: [user-{n}, other-{n}]}}" for n in range(50)]
    lines += ["  platform: {github-team: acme/platform}", "systems:"]
    for number in range(systems):
        lines += [
            f"  system-{number}:",
            "    kind: service",
            f'    description: "Service number {number}"',
            f'    owners: [team-{number % 50}, "@person-{number}"]',
            f'    paths: ["services/system-{number}/", "config/system-{number}/*.yaml"]',
            "    version:",
            f'      file: "services/system-{number}/VERSION"',
            '      pattern: "^(?P<version>[0-9.]+)$"',
            "      scheme: semver",
        ]
        if number >= edges_each:
            lines.append("    depends_on:")
            for back in range(1, edges_each + 1):
                lines += [
                    f"      - system: system-{number - back}",
                    f'        reason: "calls system {number - back}"',
                    "        on: major",
                    '        requires: ">={major}"',
                ]
    return ("\n".join(lines) + "\n").encode()


def test_a_big_map_loads():
    depmap = load_map(big_map(5000, 4), "m.yaml", path="dependency-map.yaml")
    assert len(depmap.systems) == 5000
    assert len(depmap.edges) == 4 * (5000 - 4)
    assert depmap.systems["system-4999"].depends_on[0].dependency == "system-4998"


@pytest.mark.parametrize(
    ("path", "systems"),
    [
        ("config/software/postgresql.rb", {"postgresql"}),
        ("backup/backup.yml", {"pg-dump-backup"}),
        ("dependency-map.yaml", {"dependency-map.yaml"}),
        ("docs/dependency-map.yaml", set()),
        ("README.md", set()),
    ],
)
def test_the_matcher_knows_every_system_and_the_map_file(path, systems):
    data = (MAPS / "product.yaml").read_bytes()
    depmap = load_map(data, "m", path="dependency-map.yaml")
    assert depmap.matcher.systems_for(path) == systems
    assert depmap.matcher is depmap.matcher  # compiled once
    assert depmap.own_system is not None
    assert depmap.own_system.owners == depmap.map_owners


def test_a_map_outside_the_repository_is_no_system():
    depmap = load_map((MAPS / "product.yaml").read_bytes(), "m", path=None)
    assert depmap.own_system is None
    assert depmap.matcher.systems_for("dependency-map.yaml") == set()
    assert depmap.edges is depmap.edges
