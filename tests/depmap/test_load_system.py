"""Loading a map's systems: owners, paths, version rules, sign-off rules and dependencies."""

from __future__ import annotations

import pytest

from tests.depmap.maps import problems_of, with_systems


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
