from __future__ import annotations

import subprocess
import sys

import pytest

from gate.depmap.records import ImageRule, KeyRule, PatternRule
from gate.versions.extract import PatternTooSlow, found, key_path
from gate.versions.found import Found, Unreadable
from gate.versions.image import split_tag
from testing.bounded import finishes

OMNIBUS = r"""default_version ['"](?P<version>[^'"]+)['"]"""


def by_pattern(pattern: str, text: str) -> list[Found]:
    return found(PatternRule(file="config/software/postgresql.rb", pattern=pattern), text.encode())


def by_key(key: str, file: str, text: str) -> Found:
    (result,) = found(KeyRule(file=file, key=key), text.encode())
    return result


def by_image(image: str, text: str, file: str = "docker-compose.yml") -> list[Found]:
    return found(ImageRule(file=file, image=image), text.encode())


# pattern ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name 'postgresql'\ndefault_version '9.2.18'\n", [("9.2.18", 2)]),
        ('name "postgresql"\n\n\ndefault_version "9.6.1"\n', [("9.6.1", 4)]),
        ("default_version '9.2.18'\n# default_version '9.6.1'\n", [("9.2.18", 1), ("9.6.1", 2)]),
    ],
)
def test_pattern_finds_every_match_with_its_line(text, expected):
    assert [(f.text, f.line) for f in by_pattern(OMNIBUS, text)] == expected


def test_pattern_line_is_the_line_of_the_group_not_of_the_match():
    (result,) = by_pattern(r"version:\s*(?P<version>\S+)", "version:\n  \n  9.6\n")
    assert (result.text, result.line) == ("9.6", 3)


def test_pattern_skips_matches_where_the_group_did_not_take_part():
    results = by_pattern(r"^v(?:=(?P<version>\S+))?$", "v\nv=1.2\n")
    assert [(f.text, f.line) for f in results] == [("1.2", 2)]


def test_pattern_reads_past_bytes_that_are_not_utf8():
    data = b"# caf\xe9\ndefault_version '9.6.1'\n"
    (result,) = found(PatternRule(file="a.rb", pattern=OMNIBUS), data)
    assert (result.text, result.line) == ("9.6.1", 2)


@pytest.mark.parametrize(
    ("pattern", "text", "message"),
    [
        (OMNIBUS, "name 'postgresql'\n", "the pattern matches nothing"),
        (r"default_version '([^']+)'", "default_version '9.6'", "no group named 'version'"),
        (r"(?P<version>[", "", "does not compile"),
        (r"^v(?:=(?P<version>\S+))?$", "v\n", "matches nothing"),
    ],
)
def test_pattern_problems(pattern, text, message):
    with pytest.raises(Unreadable, match=message):
        by_pattern(pattern, text)


# key --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "parts"),
    [
        ("pg_dump.client_version", ("pg_dump", "client_version")),
        ("services.0.image", ("services", "0", "image")),
        ("services[0].image", ("services", 0, "image")),
        ("matrix[1][2]", ("matrix", 1, 2)),
        ("version", ("version",)),
        ("a-b.c_d", ("a-b", "c_d")),
    ],
)
def test_key_path(key, parts):
    assert key_path(key) == parts


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "the key is empty"),
        ("a..b", "not a dotted path"),
        (".a", "not a dotted path"),
        ("a.", "ends with '.'"),
        ("a[x]", "not a dotted path"),
        ("a[0]b", "not a dotted path"),
    ],
)
def test_key_path_problems(key, message):
    with pytest.raises(Unreadable, match=message):
        key_path(key)


YAML = """\
pg_dump:
  client_version: "9.2.18"
  retries: 3
  ratio: 9.10
  enabled: true
  missing: null
  options: {verbose: "yes"}
services:
  - name: db
    image: postgres:15.1
  - name: cache
    image: redis:7.2
"""


@pytest.mark.parametrize(
    ("key", "text", "line"),
    [
        ("pg_dump.client_version", "9.2.18", 2),
        ("pg_dump.retries", "3", 3),
        ("services.1.image", "redis:7.2", 12),
        ("services[0].image", "postgres:15.1", 10),
        ("pg_dump.options.verbose", "yes", 7),
    ],
)
def test_yaml_key(key, text, line):
    result = by_key(key, "backup/backup.yml", YAML)
    assert (result.text, result.line) == (text, line)


@pytest.mark.parametrize("file", ["a.yaml", "a.YML", "a.conf", "Chart.lock"])
def test_yaml_is_read_for_yaml_files_and_anything_unknown(file):
    assert by_key("a.b", file, "a:\n  b: '1.2'\n").text == "1.2"


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("pg_dump.server_version", "pg_dump has no 'server_version'"),
        ("backup.client_version", "the top level has no 'backup'"),
        ("pg_dump.client_version.x", "pg_dump.client_version is a single value"),
        ("pg_dump.ratio", r"the number 9.10, not a version string; quote the version in "),
        ("pg_dump.enabled", "is a bool, not a version"),
        ("pg_dump.missing", "is empty"),
        ("pg_dump", "is a mapping, not a version"),
        ("services", "is a sequence, not a version"),
        ("services.2.image", r"services is a list with no item 2"),
        ("services.name", r"services is a list with no item name"),
    ],
)
def test_yaml_key_problems(key, message):
    with pytest.raises(Unreadable, match=message):
        by_key(key, "backup/backup.yml", YAML)


def test_yaml_float_message_names_file_and_line():
    with pytest.raises(
        Unreadable, match=r'quote the version in backup/backup.yml on line 4 \("9.10"\)'
    ):
        by_key("pg_dump.ratio", "backup/backup.yml", YAML)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("a: [1\n", "not valid YAML: backup.yml:"),
        ("a: &x 1\nb: *x\n", "not valid YAML: .*anchor"),
        ("a: 1\na: 2\n", "not valid YAML: .*duplicate key"),
        ("a: 0x1F\n", "the number 0x1F"),
        ("a: '1'\n---\na: '2'\n", "not valid YAML: .*a second YAML document"),
    ],
)
def test_yaml_file_problems(text, message):
    with pytest.raises(Unreadable, match=message):
        by_key("a", "backup.yml", text)


JSON = """{
  "name": "backup",
  "engines": {"pg_dump": "9.2.18", "psql": 9.10, "count": 3, "on": true, "off": null},
  "list": ["1.0", {"v": "2.0"}],
  "dup": "1.0",
  "other": "1.0"
}
"""


@pytest.mark.parametrize(
    ("key", "text", "line"),
    [
        ("engines.pg_dump", "9.2.18", 3),
        ("engines.count", "3", 3),
        ("list[1].v", "2.0", 4),
        ("list.0", "1.0", None),
        ("dup", "1.0", 5),
        ("other", "1.0", 6),
    ],
)
def test_json_key(key, text, line):
    result = by_key(key, "package.json", JSON)
    assert (result.text, result.line) == (text, line)


def test_json_line_is_none_when_the_text_does_not_tell():
    result = by_key("a.v", "x.json", '{"a": {"v": "1.0"}, "b": {"v": "1.0"}}')
    assert (result.text, result.line) == ("1.0", None)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (
            "engines.psql",
            r"the number 9.10, not a version string; quote the version in "
            r'package.json on line 3 \("9.10"\)',
        ),
        ("engines.on", "is a boolean"),
        ("engines.off", "is null"),
        ("engines", "is an object, not a version"),
        ("list", "is a list, not a version"),
        ("list.5", "has no item 5"),
        ("list.x", "has no item x"),
        ("engines.node", "engines has no 'node'"),
        ("name.first", "name is not a table or list"),
    ],
)
def test_json_key_problems(key, message):
    with pytest.raises(Unreadable, match=message):
        by_key(key, "package.json", JSON)


def test_json_that_does_not_parse():
    with pytest.raises(Unreadable, match=r"not valid JSON .*fix x.json"):
        by_key("a", "x.json", '{"a": ')


TOML = """\
[tool.poetry]
name = "backup"

[tool.poetry.dependencies]
psycopg = "3.1.18"
postgres = 9.10
count = 16
started = 1979-05-27
"quoted.key" = '2.0'
"""


@pytest.mark.parametrize(
    ("key", "text", "line"),
    [
        ("tool.poetry.dependencies.psycopg", "3.1.18", 5),
        ("tool.poetry.dependencies.count", "16", 7),
        ("tool.poetry.name", "backup", 2),
    ],
)
def test_toml_key(key, text, line):
    result = by_key(key, "pyproject.toml", TOML)
    assert (result.text, result.line) == (text, line)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("tool.poetry.dependencies.postgres", r"quote the version in pyproject.toml on line 6"),
        ("tool.poetry.dependencies.started", "is a date, not a version string"),
        ("tool.poetry", "is an object"),
        ("tool.flit", "tool has no 'flit'"),
    ],
)
def test_toml_key_problems(key, message):
    with pytest.raises(Unreadable, match=message):
        by_key(key, "pyproject.toml", TOML)


@pytest.mark.parametrize("data", [b"a = ", b"a = '\xff'"])
def test_toml_that_does_not_parse(data):
    with pytest.raises(Unreadable, match="not valid TOML"):
        found(KeyRule(file="x.toml", key="a"), data)


# image ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "version", "suffix"),
    [
        ("16.4", "16.4", ""),
        ("15.1-alpine", "15.1", "-alpine"),
        ("9.6.24-bookworm", "9.6.24", "-bookworm"),
        ("17beta1", "17beta1", ""),
        ("5.7.44-oracle", "5.7.44", "-oracle"),
        ("7.2.4-alpine3.19", "7.2.4", "-alpine3.19"),
        ("20.11.1-bookworm-slim", "20.11.1", "-bookworm-slim"),
        ("3.12.2-slim-bookworm", "3.12.2", "-slim-bookworm"),
        ("lts-alpine", "lts", "-alpine"),
        ("1.2.3-rc.1", "1.2.3-rc.1", ""),
        ("1.2.3-beta2-alpine", "1.2.3-beta2", "-alpine"),
        ("16.2.0-debian-12-r6", "16.2.0", "-debian-12-r6"),
    ],
)
def test_split_tag(tag, version, suffix):
    assert split_tag(tag) == (version, suffix)


@pytest.mark.parametrize(
    ("text", "image", "expected"),
    [
        ("services:\n  db:\n    image: postgres:15.1-alpine\n", "postgres", ("15.1", "-alpine", 3)),
        ('    image: "postgres:16.4"  # pinned\n', "postgres", ("16.4", "", 1)),
        ("      - image: docker.io/library/postgres:16.4\n", "postgres", ("16.4", "", 1)),
        ("image: registry.example.com:5000/library/postgres:15\n", "postgres", ("15", "", 1)),
        ("image: postgres:15.1@sha256:" + "a" * 64 + "\n", "postgres", ("15.1", "", 1)),
        ('{"image": "mysql:8.0.36", "name": "db"}\n', "mysql", ("8.0.36", "", 1)),
        ('[{"name": "db", "image": "mysql:8.4"}]\n', "mysql", ("8.4", "", 1)),
        ("  - {name: db, image: 'mysql:8.4'}\n", "mysql", ("8.4", "", 1)),
        (
            "image: bitnami/postgresql:16.2.0-debian-12-r6\n",
            "bitnami/postgresql",
            ("16.2.0", "-debian-12-r6", 1),
        ),
        ("image: postgres:9.6\n", "library/postgres", ("9.6", "", 1)),
        ("image: postgres:9.6\n", "docker.io/library/postgres", ("9.6", "", 1)),
        ("image: ${PG_IMAGE:-postgres:15.1}\n", "postgres", ("15.1", "", 1)),
        ("image: postgres:${PG_VERSION:-15.1}-alpine\n", "postgres", ("15.1", "-alpine", 1)),
        ("image: postgres:${PG_VERSION-9.6}\n", "postgres", ("9.6", "", 1)),
        ("image: ${REGISTRY}/postgres:16\n", "postgres", ("16", "", 1)),
        ("image: postgres:16${VARIANT:+-alpine}\n", "postgres", ("16", "", 1)),
    ],
)
def test_image_in_compose_and_kubernetes(text, image, expected):
    (result,) = by_image(image, text)
    assert (result.text, result.suffix, result.line) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM postgres:15.1\n", ("15.1", 1)),
        ("from --platform=linux/amd64 postgres:15.1-bookworm AS db\n", ("15.1", 1)),
        ("ARG PG_VERSION=15.1\nFROM postgres:${PG_VERSION}\n", ("15.1", 2)),
        ("ARG PG_VERSION=15.1\nFROM postgres:$PG_VERSION-alpine\n", ("15.1", 2)),
        ('ARG PG_VERSION="16.4"\nFROM postgres:$PG_VERSION\n', ("16.4", 2)),
        ("ARG PG_VERSION\nFROM postgres:${PG_VERSION:-14}\n", ("14", 2)),
        ("ARG V=9.6\nARG V=16\nFROM postgres:$V\n", ("16", 3)),
        ("ARG BASE=debian\nFROM $BASE AS build\nFROM postgres:16.4\n", ("16.4", 3)),
    ],
)
def test_image_in_dockerfile(text, expected):
    (result,) = by_image("postgres", text, file="Dockerfile")
    assert (result.text, result.line) == expected


def test_image_ignores_other_images_with_a_similar_name():
    text = (
        "image: postgres-exporter:0.15\n"
        "image: quay.io/prometheuscommunity/postgres-exporter:0.15\n"
        "image: mypostgres:1\n"
        "image: postgres:16.4\n"
    )
    assert [(f.text, f.line) for f in by_image("postgres", text)] == [("16.4", 4)]


def test_image_finds_every_reference_in_order():
    text = "FROM postgres:15 AS old\nRUN true\nFROM postgres:16.4-alpine\n"
    results = by_image("postgres", text, file="Dockerfile")
    assert [(f.text, f.suffix, f.line) for f in results] == [("15", "", 1), ("16.4", "-alpine", 3)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("image: redis:7.2\n", r"no 'image: postgres:TAG' or 'FROM postgres:TAG' in the file"),
        ("# image: postgres:15\n", "no 'image: postgres:TAG'"),
        ("# FROM postgres:15\n", "no 'image: postgres:TAG'"),
        ("RUN echo FROM postgres:15\n", "no 'image: postgres:TAG'"),
        ("image: postgres\n", r"has no tag \(it means 'latest'\)"),
        ("image: registry:5000/postgres\n", "has no tag"),
        ("image: postgres@sha256:abc\n", "pinned by digest only"),
        ("image: postgres:${PG_VERSION}\n", r"uses \$\{PG_VERSION\}, which nothing in"),
        ("image: postgres:$PG_VERSION\n", r"uses \$PG_VERSION"),
        ("image: postgres:${PG_VERSION:?set it}\n", r"uses \$\{PG_VERSION:\?set it\}"),
        ("image: ${IMAGE}:15\n", r"could not be resolved: \$\{IMAGE\}:15 \(line 1\)"),
    ],
)
def test_image_problems(text, message):
    with pytest.raises(Unreadable, match=message):
        by_image("postgres", text)


def test_image_arg_without_default_is_unresolved():
    with pytest.raises(Unreadable, match=r"uses \$PG_VERSION, which nothing in Dockerfile sets"):
        by_image("postgres", "ARG PG_VERSION\nFROM postgres:$PG_VERSION\n", file="Dockerfile")


def test_image_arg_declared_below_the_reference_does_not_count():
    with pytest.raises(Unreadable, match="nothing in Dockerfile sets"):
        by_image("postgres", "FROM postgres:$V\nARG V=15\n", file="Dockerfile")


def test_image_name_must_not_be_empty():
    with pytest.raises(Unreadable, match="image name is empty"):
        by_image("/", "image: postgres:15\n")


@pytest.mark.parametrize(
    ("rule", "fields"),
    [
        (PatternRule, {"file": "x"}),
        (KeyRule, {"file": "x"}),
        (ImageRule, {"file": "x"}),
        (KeyRule, {"file": "x", "key": "v", "image": "postgres"}),
        (ImageRule, {"file": "x", "image": "postgres", "select": "max"}),
    ],
)
def test_a_rule_is_exactly_one_of_pattern_key_or_image(rule, fields):
    with pytest.raises(TypeError):
        rule(**fields)


@pytest.mark.parametrize(
    ("specs", "loaded"),
    [
        ("[]", "[]"),
        ("[PatternRule(file='p.rb', pattern='v(.*)')]", "['packaging.version']"),
        ("[KeyRule(file='b.yml', key='v')]", "['packaging.version', 'yaml']"),
        ("[KeyRule(file='p.json', key='v')]", "['packaging.version']"),
        ("[ImageRule(file='c.yml', image='postgres')]", "['packaging.version', 'yaml']"),
        ("[ImageRule(file='Dockerfile', image='postgres')]", "['packaging.version']"),
    ],
)
def test_prepare_loads_the_parsers_the_rules_take_and_no_more(specs, loaded):
    probe = (
        "import sys\n"
        "from gate.depmap.records import ImageRule, KeyRule, PatternRule\n"
        "from gate.versions.extract import prepare\n"
        f"prepare({specs})\n"
        "print(sorted({'yaml', 'packaging.version'} & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == loaded


@pytest.mark.parametrize(
    ("rule", "data"),
    [
        (PatternRule(file="v.rb", pattern=r"v=(?P<version>.*)"), b"v=9.6 1\n"),
        (PatternRule(file="v.rb", pattern=r"v=(?P<version>.*)"), b"v=9.6\x1b[2J\n"),
        (PatternRule(file="v.rb", pattern=r"v=(?P<version>.*)"), "v=9.6\u202e\n".encode()),
        (PatternRule(file="v.rb", pattern=r"v=(?P<version>.*)"), "v=9.6\u00a01\n".encode()),
        (KeyRule(file="v.json", key="v"), b'{"v": "9.6\\t1"}'),
        (KeyRule(file="v.yml", key="v"), b'v: "9.6\\n1"\n'),
        (ImageRule(file="c.yml", image="postgres"), b'image: "postgres:16-a\\x1bb"\n'),
        (ImageRule(file="c.yml", image="postgres"), b'image: "postgres:16 alpine"\n'),
    ],
)
def test_a_version_with_whitespace_or_a_control_character_is_refused(rule, data):
    with pytest.raises(Unreadable, match="holds whitespace or a control character"):
        found(rule, data)


def test_the_refused_version_is_shown_escaped():
    with pytest.raises(Unreadable, match=r"'9\.6\\x1b\[2J'"):
        by_pattern(r"v=(?P<version>.*)", "v=9.6\x1b[2J\n")


def test_first_stops_a_pattern_at_its_first_match():
    rule = PatternRule(file="v.rb", pattern=r"v=(?P<version>.*)")
    assert [f.text for f in found(rule, b"v=1\nv=2 x\n", first=True)] == ["1"]


@pytest.mark.parametrize(
    ("file", "text"),
    [
        ("v.json", '{"a": {"v": 9.10}, "b": {"v": 16}}'),
        ("v.toml", "[a]\nv = 9.10\n[b]\nv = 16\n"),
    ],
)
def test_a_number_is_the_one_at_the_path_not_another_key_of_the_name(file, text):
    assert by_key("b.v", file, text).text == "16"
    with pytest.raises(Unreadable, match=r"the number 9\.10"):
        by_key("a.v", file, text)


def test_json_with_a_key_twice_in_one_object_is_refused():
    with pytest.raises(Unreadable, match="the key 'v' appears twice"):
        by_key("v", "v.json", '{"v": "9.2", "v": "9.6"}')


def test_a_pattern_that_backtracks_without_end_is_stopped():
    with pytest.raises(PatternTooSlow, match="more than 1 second"):
        by_pattern(r"(?P<version>(a|a)+$)", "a" * 30 + "!\n")


def test_reading_a_pattern_is_linear_in_the_size_of_the_file():
    text = 'default_version "9.6.1"\n' * 200_000  # 4.8 MB: quadratic, that took half an hour
    assert len(finishes(lambda: by_pattern(OMNIBUS, text))) == 200_000


@pytest.mark.parametrize(
    ("file", "text"),
    [
        ("Dockerfile", "# FROM postgres:9\nRUN <<EOF\nFROM postgres:8\nEOF\nFROM postgres:16\n"),
        (
            "docker-compose.yml",
            "# ,image: postgres:9\nx: |\n  image: postgres:8\nimage: postgres:16\n",
        ),
        ("build/app.Dockerfile", "FROM postgres:16\n"),
        ("Containerfile", "FROM postgres:16\n"),
    ],
)
def test_image_reads_the_structure_of_the_file(file, text):
    assert [f.text for f in by_image("postgres", text, file=file)] == ["16"]


def test_image_in_a_file_that_is_not_yaml_nor_a_dockerfile_is_unreadable():
    with pytest.raises(Unreadable, match="not valid YAML"):
        by_image("postgres", "FROM postgres:16\nRUN x: [\n", file="build/recipe")
