"""Bypass class: a version file's text, not its structure, decides the version the gate reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gate.main import main
from testing.bounded import finishes
from testing.gitrepo import GitRepo
from testing.infra import MAP, infra_repo

OMNIBUS_RULE = """\
    version:
      file: "config/software/postgresql.rb"
      pattern: "default_version ['\\"](?P<version>[^'\\"]+)['\\"]"
      scheme: postgresql
"""


def _map_with(rule: str, paths: str = '"db/"') -> str:
    text = MAP.replace("{policy}", "")
    assert OMNIBUS_RULE in text
    text = text.replace(OMNIBUS_RULE, rule)
    return text.replace(
        '      - "config/software/postgresql*.rb"\n      - "cookbooks/postgresql/"\n',
        f"      - {paths}\n",
    )


def _repo(tmp_path: Path, rule: str, files: dict[str, str]) -> GitRepo:
    repo = infra_repo(tmp_path, map_text=_map_with(rule))
    repo.checkout("main")
    for path, content in files.items():
        repo.write(path, content)
    repo.commit("the version file", *())
    repo.checkout("change")
    repo.git("reset", "-q", "--hard", "main")
    return repo


def _check(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any], str]:
    code = main(["check", "--repo", str(repo.path), "--base", "main", "--format", "json"])
    out, err = capsys.readouterr()
    report: dict[str, Any] = json.loads(out)
    return code, report, report["error"] if code == 2 else err


def _postgresql(report: dict[str, Any]) -> dict[str, Any]:
    (system,) = [system for system in report["systems"] if system["id"] == "postgresql"]
    return dict(system)


def _violated(report: dict[str, Any]) -> list[str]:
    return [str(system["id"]) for system in report["systems"] if system["violations"]]


IMAGE_RULE = """\
    version:
      file: "db/{file}"
      image: postgres
      scheme: postgresql
"""


def _image_repo(tmp_path: Path, file: str, base: str) -> GitRepo:
    return _repo(tmp_path, IMAGE_RULE.replace("{file}", file), {f"db/{file}": base})


@pytest.mark.parametrize(
    ("file", "head"),
    [
        ("Dockerfile", "# FROM postgres:9.2.18\nFROM postgres:9.6.1\n"),
        ("Dockerfile", "RUN <<EOF\nFROM postgres:9.2.18\nEOF\nFROM postgres:9.6.1\n"),
        ("Dockerfile", "RUN echo \\\nFROM postgres:9.2.18\nFROM postgres:9.6.1\n"),
        ("Dockerfile", "ARG OLD=postgres:9.2.18\nLABEL x=\\\n  1\nFROM postgres:9.6.1\n"),
        (
            "compose.yml",
            "# old,image: postgres:9.2.18\nservices:\n  db: {image: 'postgres:9.6.1'}\n",
        ),
        (
            "compose.yml",
            "x-notes: |\n  image: postgres:9.2.18\nservices:\n  db:\n    image: postgres:9.6.1\n",
        ),
    ],
)
def test_a_comment_heredoc_or_other_text_does_not_hide_an_image_upgrade(
    tmp_path, capsys, file, head
):
    repo = _image_repo(tmp_path, file, head.replace("9.6.1", "9.2.18"))
    repo.commit("upgrade postgres", (f"db/{file}", head))
    code, report, err = _check(repo, capsys)
    assert code == 1, err
    version = _postgresql(report)["version"]
    assert isinstance(version, dict)
    assert (version["before"], version["after"], version["bump"]) == ("9.2.18", "9.6.1", "major")
    assert "pg-dump-backup" in _violated(report)


def test_an_earlier_build_stage_with_the_old_tag_makes_the_image_ambiguous(tmp_path, capsys):
    repo = _image_repo(tmp_path, "Dockerfile", "FROM postgres:9.2.18\n")
    repo.commit(
        "upgrade postgres",
        (
            "db/Dockerfile",
            "FROM --platform=linux/amd64 postgres:9.2.18 AS tools\n"
            "RUN true\nFROM \\\n  postgres:9.6.1\n",
        ),
    )
    code, _, err = _check(repo, capsys)
    assert code == 2
    assert "ambiguous" in err
    assert "db/Dockerfile:1: postgres:9.2.18" in err
    assert "db/Dockerfile:4: postgres:9.6.1" in err


def test_a_compose_file_with_two_tags_of_the_image_is_ambiguous(tmp_path, capsys):
    repo = _image_repo(tmp_path, "compose.yml", "services:\n  db:\n    image: postgres:9.2.18\n")
    repo.commit(
        "upgrade postgres",
        (
            "db/compose.yml",
            "services:\n  tools:\n    image: postgres:9.2.18\n  db:\n    image: postgres:9.6.1\n",
        ),
    )
    code, _, err = _check(repo, capsys)
    assert code == 2
    assert "db/compose.yml:3: postgres:9.2.18" in err
    assert "db/compose.yml:5: postgres:9.6.1" in err


KEY_RULE = """\
    version:
      file: "db/{file}"
      key: "server.version"
      scheme: postgresql
"""


@pytest.mark.parametrize(
    ("file", "base"),
    [
        ("v.json", '{"client": {"version": 16}, "server": {"version": 15}}\n'),
        ("v.toml", "[client]\nversion = 16\n[server]\nversion = 15\n"),
        ("v.yml", "client:\n  version: 16\nserver:\n  version: 15\n"),
    ],
)
def test_a_key_reads_the_value_at_its_path_not_another_key_of_the_same_name(
    tmp_path, capsys, file, base
):
    repo = _repo(tmp_path, KEY_RULE.replace("{file}", file), {f"db/{file}": base})
    head = base.replace("15", "16")
    repo.commit("upgrade postgres", (f"db/{file}", head))
    code, report, err = _check(repo, capsys)
    assert code == 1, err
    version = _postgresql(report)["version"]
    assert isinstance(version, dict)
    assert (version["before"], version["after"], version["bump"]) == ("15", "16", "major")


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("9.6.1 extra", "'9.6.1 extra'"),
        ("9.6.1\x1b[2J", r"'9.6.1\x1b[2J'"),
        ("9.6.1\u202e", r"'9.6.1\u202e'"),
    ],
)
def test_a_version_with_whitespace_or_a_control_character_is_an_error(
    tmp_path, capsys, written, shown
):
    # Under `loose` the leading numbers are the version: the rest would reach the report.
    rule = OMNIBUS_RULE.replace("scheme: postgresql", "scheme: loose")
    repo = infra_repo(tmp_path, map_text=MAP.replace("{policy}", "").replace(OMNIBUS_RULE, rule))
    repo.commit(
        "upgrade",
        ("config/software/postgresql.rb", f'name "postgresql"\ndefault_version "{written}"\n'),
    )
    code, _, err = _check(repo, capsys)
    assert code == 2
    assert "config/software/postgresql.rb" in err
    assert shown in err


@pytest.mark.parametrize(
    ("pattern", "message"),
    [("(a+)+$", "the pattern matches nothing"), ("(a|a)+$", "more than 1 second")],
)
def test_a_pattern_that_backtracks_without_end_is_an_error_within_seconds(
    tmp_path, capsys, pattern, message
):
    pattern_line = OMNIBUS_RULE.splitlines()[2]
    rule = OMNIBUS_RULE.replace(pattern_line, f'      pattern: "(?P<version>{pattern})"')
    repo = infra_repo(tmp_path, map_text=MAP.replace("{policy}", "").replace(OMNIBUS_RULE, rule))
    repo.commit("upgrade", ("config/software/postgresql.rb", "a" * 30 + "!\n"))
    code, _, err = finishes(lambda: _check(repo, capsys))
    assert code == 2
    assert message in err
    assert "config/software/postgresql.rb" in err


def test_reading_versions_from_a_large_file_is_linear(tmp_path, capsys):
    repo = infra_repo(tmp_path)
    # Quadratic before: 274 s for 2 MiB, so about 20 minutes for these 4.
    many = 'default_version "9.6.1"\n' * (4 * 1024 * 1024 // 24)
    repo.commit("upgrade", ("config/software/postgresql.rb", many))
    code, _, err = finishes(lambda: _check(repo, capsys))
    assert code == 1, err


def test_an_image_file_with_many_references_reads_in_linear_time(tmp_path, capsys):
    repo = _image_repo(tmp_path, "Dockerfile", "FROM postgres:9.2.18\n")
    many = "ARG X=1\nFROM postgres:9.6.1\n" * (2 * 1024 * 1024 // 28)  # over 300 s before
    repo.commit("upgrade", ("db/Dockerfile", many))
    code, _, err = finishes(lambda: _check(repo, capsys))
    assert code == 1, err


def test_a_version_file_that_is_a_symlink_at_the_merge_base_has_no_version_there(tmp_path, capsys):
    repo = infra_repo(tmp_path)
    repo.checkout("main")
    repo.git("rm", "-q", "config/software/postgresql.rb")
    repo.write("config/software/real.rb", 'default_version "9.2.18"\n')
    repo.symlink("config/software/postgresql.rb", "real.rb")
    repo.commit("a link")
    repo.checkout("change")
    repo.git("reset", "-q", "--hard", "main")
    repo.git("rm", "-q", "config/software/postgresql.rb")
    repo.commit("a file", ("config/software/postgresql.rb", 'default_version "9.6.1"\n'))
    code, report, err = _check(repo, capsys)
    assert code == 1, err
    version = _postgresql(report)["version"]
    assert isinstance(version, dict)
    assert (version["before"], version["after"], version["bump"]) == (None, "9.6.1", "added")


def test_a_version_file_above_the_size_limit_is_refused_unread(tmp_path, capsys):
    repo = infra_repo(tmp_path)
    big = 'default_version "9.6.1"\n' + "#" * (10 * 1024 * 1024) + "\n"
    repo.commit("upgrade", ("config/software/postgresql.rb", big))
    code, _, err = _check(repo, capsys)
    assert code == 2
    assert "config/software/postgresql.rb" in err
    assert "larger than 10 MiB" in err


def test_a_version_of_thousands_of_digits_is_an_error_not_a_crash(tmp_path, capsys):
    from testing.infra import upgrade

    repo = infra_repo(tmp_path)
    upgrade(repo, "9." + "9" * 5000)
    assert main(["check", "--repo", str(repo.path), "--base", "main"]) == 2
    assert "5002 characters long" in capsys.readouterr().err
