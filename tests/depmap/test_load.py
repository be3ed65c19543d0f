"""Loading a map: its top level, teams and policy, and every problem at once."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest

from gate.depmap.load import load_map
from gate.depmap.records import Edge, ImageRule, KeyRule, Map, PatternRule, Policy, System, Team
from gate.errors import MapError
from tests.depmap.maps import problems_of, with_systems

MAPS = Path(__file__).parent.parent / "data" / "maps"


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


def test_a_map_over_10_mib_is_refused_before_parsing():
    # The limit of every file the gate reads; a map at the base commit comes as bytes from git.
    data = b"version: 1\n" + b"#" * (10 * 1024 * 1024)
    assert problems_of(data) == [
        f"m.yaml:1:1: the file is {len(data)} bytes, over the limit of 10485760 bytes; "
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
