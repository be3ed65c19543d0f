"""Bypass class: impact that stops short, because the change also edits or touches a system on
its way (an edited definition, a touched dependent under `signoff-touched: false`, a cyclic map).
"""

from __future__ import annotations

import pytest

from gate.main import main
from testing.bounded import finishes
from testing.gitrepo import GitRepo
from testing.infra import MAP, infra_repo, upgrade
from testing.reports import check_json, systems_by_id, write_ledger

NO_TOUCHED_SIGNOFF = "policy:\n  signoff-touched: false\n"


def _describe_backup(repo: GitRepo) -> str:
    text = (repo.path / "dependency-map.yaml").read_text()
    edited = text.replace(
        "    kind: backup\n", '    kind: backup\n    description: "nightly pg_dump"\n'
    )
    assert edited != text
    return repo.commit("describe the backup", ("dependency-map.yaml", edited))


def test_editing_a_description_does_not_stop_the_upgrade_reaching_backup_alerts(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    upgrade(repo)
    _describe_backup(repo)
    code, report = check_json(capsys, repo)
    assert code == 1
    found = systems_by_id(report)
    assert found["pg-dump-backup"]["affected"] == "touched"
    assert found["backup-alerts"]["affected"] == "impacted"
    assert found["backup-alerts"]["because"] == [["postgresql", "pg-dump-backup", "backup-alerts"]]
    assert "backup-alerts" in report["pending"]


def test_the_description_edit_alone_still_carries_no_impact(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo")
    _describe_backup(repo)
    code, report = check_json(capsys, repo)
    assert code == 1
    assert sorted(systems_by_id(report)) == ["dependency-map.yaml", "pg-dump-backup"]


def test_the_edited_system_passes_impact_on_only_as_an_impacted_one_does(tmp_path, capsys):
    # pg-dump-backup's dependent across `on: major` is not reached by an impacted system.
    text = MAP.replace("{policy}", "") + (
        "  restore-drill:\n"
        "    owners: ['sre']\n"
        "    paths: ['drill/']\n"
        "    depends_on:\n"
        "      - system: pg-dump-backup\n"
        "        on: major\n"
    )
    repo = infra_repo(tmp_path / "repo", map_text=text)
    upgrade(repo)
    _describe_backup(repo)
    assert check_json(capsys, repo)[0] == 1
    found = systems_by_id(check_json(capsys, repo)[1])
    assert "backup-alerts" in found
    assert "restore-drill" not in found


def test_without_touched_signoffs_a_touched_dependent_reached_by_impact_needs_its_owners(
    tmp_path, capsys
):
    repo = infra_repo(tmp_path / "repo", policy=NO_TOUCHED_SIGNOFF)
    upgrade(repo)
    repo.commit("backup follows", ("backup/backup.yml", 'pg_dump:\n  client_version: "9.6.1"\n'))
    head = repo.commit("alert on more", ("alerting/extra", "MAILTO=dba@example.com\n"))
    ledger = write_ledger(
        tmp_path / "signoffs.yml", head, ("pg-dump-backup", "carol"), ("replica", "alice")
    )
    code, report = check_json(capsys, repo, "--signoffs", ledger)
    found = systems_by_id(report)
    assert found["backup-alerts"]["affected"] == "touched"
    assert found["backup-alerts"]["signoff"]["required"] is True
    assert found["pg-dump-backup"]["signoff"]["required"] is True
    assert found["postgresql"]["signoff"]["required"] is False  # touched, reached by nothing
    assert report["pending"] == ["backup-alerts"]
    assert code == 1
    ledger = write_ledger(
        tmp_path / "signoffs.yml",
        head,
        ("pg-dump-backup", "carol"),
        ("replica", "alice"),
        ("backup-alerts", "dave"),
    )
    code, report = check_json(capsys, repo, "--signoffs", ledger)
    assert (code, report["pending"]) == (0, [])


def test_without_touched_signoffs_a_dependent_touched_alone_still_needs_none(tmp_path, capsys):
    repo = infra_repo(tmp_path / "repo", policy=NO_TOUCHED_SIGNOFF)
    repo.commit("alert on more", ("alerting/extra", "MAILTO=dba@example.com\n"))
    code, report = check_json(capsys, repo)
    assert (code, report["pending"]) == (0, [])


def _cycle_map(size: int) -> str:
    lines = [
        "version: 1",
        'map-owners: ["platform"]',
        "teams:",
        "  platform:",
        '    members: ["erin"]',
        "systems:",
    ]
    for index in range(size):
        lines += [
            f"  s{index}:",
            '    owners: ["platform"]',
            f'    paths: ["s{index}/"]',
            "    depends_on:",
            f"      - system: s{(index + 1) % size}",
            f"      - system: s{(index + 2) % size}",
        ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("command", ["check", "explain"])
def test_a_cycle_of_80_systems_does_not_hang_the_chain_enumeration(tmp_path, capsys, command):
    repo = GitRepo(tmp_path / "repo")
    repo.commit("map", ("dependency-map.yaml", _cycle_map(80)))
    repo.checkout("-b", "change")
    repo.commit("touch two", ("s0/a", "1\n"), ("s40/a", "1\n"))
    if command == "check":
        code, report = finishes(lambda: check_json(capsys, repo))
        assert code == 1
        found = systems_by_id(report)
        assert len(found) == 80
        assert any(found[sid]["because"] for sid in found)
    else:
        args = ["explain", "s20", "--repo", str(repo.path), "--base", "main", "--head", "change"]
        code = finishes(lambda: main(args))
        assert code == 0
        assert "via " in capsys.readouterr().out
