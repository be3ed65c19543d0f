"""Team owners: active membership read from GitHub, with its own token."""

from __future__ import annotations

import pytest

from testing.infra import MAP, infra_repo
from testing.pullrequest import NUMBER, Run, alerting_change

TEAM_MAP = MAP.replace(
    '  sre:\n    members: ["dave"]', '  sre:\n    members: []\n    github-team: "acme/sre"'
).replace("{policy}", "")


@pytest.mark.parametrize(
    ("members", "code"),
    [({"dave": "active"}, 0), ({"dave": "pending"}, 1), ({"erin": "active"}, 1), (None, 2)],
)
def test_team_owners_count_by_active_membership(tmp_path, monkeypatch, fake, capsys, members, code):
    run = Run(tmp_path, monkeypatch, fake, infra_repo(tmp_path / "repo", map_text=TEAM_MAP))
    if members is not None:
        fake.add_team("acme/sre", members)
    head = alerting_change(run)
    run.open(head)
    fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    got, _ = run.on_push(capsys)
    assert got == code
    if code == 2:
        err = run.err
        assert "Members: read" in err
        assert "teams-token" in err
        assert run.last_status()["state"] == "error"
    else:
        assert len(fake.requests_to("GET", "/memberships/dave$")) == 1  # asked once, cached


def test_a_teams_token_is_used_for_team_lookups(tmp_path, monkeypatch, fake, capsys):
    run = Run(tmp_path, monkeypatch, fake, infra_repo(tmp_path / "repo", map_text=TEAM_MAP))
    monkeypatch.setenv("GATE_TEAMS_TOKEN", "members-read-token")
    fake.add_team("acme/sre", {"dave": "active"})
    head = alerting_change(run)
    run.open(head)
    fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    assert run.on_push(capsys)[0] == 0
    [lookup] = fake.requests_to("GET", "/memberships/")
    assert lookup.headers["authorization"] == "Bearer members-read-token"
    assert fake.requests_to("GET", "/pulls/7$")[0].headers["authorization"] == "Bearer test-token"
