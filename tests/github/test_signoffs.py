"""Reviews and `/signoff` comments as sign-offs, through `gate check --github`."""

from __future__ import annotations

import pytest

from gate.github.payloads import Review
from testing import fakegithub
from testing.fakegithub import FakeGitHub
from testing.infra import infra_repo
from testing.pullrequest import NUMBER, Run, alerting_change


@pytest.mark.parametrize(
    ("login", "reason"),
    [
        ("erin", "erin owns none of the systems this change affects"),
        ("dependabot[bot]", "bots cannot sign off"),
        ("alice", "the change's author cannot sign off"),
    ],
)
def test_approvals_that_do_not_count_are_listed(run, capsys, login, reason):
    head = alerting_change(run)
    run.open(head)
    review = run.fake.add_review(NUMBER, login, "APPROVED", commit=head)
    run.event("pull_request_review", fakegithub.review_event(run.pull, review))
    code, report = run.check(capsys)
    assert code == 1
    assert run.statuses()[-1] == ("failure", head)
    [ignored] = report["ignored_signoffs"]
    assert (ignored["by"], ignored["source"]) == (login, "review")
    assert reason in ignored["reason"]


def test_a_comment_signs_off_for_the_head_it_was_posted_on(run, capsys):
    head = alerting_change(run)
    run.open(head)
    assert run.on_push(capsys, "opened")[0] == 1
    comment = run.fake.add_comment(NUMBER, "dave", "Looks fine.\n/signoff backup-alerts\n")
    run.event("issue_comment", fakegithub.comment_event(NUMBER, comment))
    code, report = run.check(capsys)
    assert code == 0
    [signoff] = report["systems"][0]["signoff"]["by"]
    assert (signoff["by"], signoff["commit"], signoff["source"]) == ("dave", head, "comment")
    assert run.statuses()[-1] == ("success", head)


def test_a_push_after_the_comment_needs_a_new_sign_off(run, capsys):
    first = alerting_change(run)
    run.open(first)
    run.on_push(capsys, "opened")
    run.fake.add_comment(NUMBER, "dave", "/signoff all")
    second = run.repo.commit("more", ("alerting/crontab", "MAILTO=pager@example.com\n"))
    run.fake.push(NUMBER, second)
    code, report = run.on_push(capsys)
    assert code == 1
    [ignored] = report["ignored_signoffs"]
    assert ignored["by"] == "dave"
    assert "posted before" in ignored["reason"]
    assert run.statuses()[-2:] == [("pending", second), ("failure", second)]


def test_a_force_push_back_to_an_earlier_head_does_not_revive_old_comments(run, capsys):
    first = alerting_change(run)
    run.open(first)
    run.on_push(capsys, "opened")  # the gate's status on `first` vouches for it from here
    second = run.repo.commit("other", ("alerting/crontab", "MAILTO=x@example.com\n"))
    run.fake.push(NUMBER, second, force=True)
    run.on_push(capsys)
    run.fake.add_comment(NUMBER, "dave", "/signoff backup-alerts")  # dave looked at `second`
    run.fake.push(NUMBER, first, force=True)
    code, report = run.on_push(capsys)
    assert code == 1
    assert "posted before" in report["ignored_signoffs"][0]["reason"]


@pytest.mark.parametrize(
    ("policy", "counts"),
    [("", False), ("policy:\n  stale-signoffs: impact\n", True)],
)
def test_an_approval_of_an_earlier_commit(tmp_path, monkeypatch, fake, capsys, policy, counts):
    run = Run(tmp_path, monkeypatch, fake, infra_repo(tmp_path / "repo", policy=policy))
    first = alerting_change(run)
    run.open(first)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=first)
    second = run.repo.commit("docs", ("README.md", "infra, documented\n"))  # touches no system
    run.fake.push(NUMBER, second)
    code, report = run.on_push(capsys)
    assert code == (0 if counts else 1)
    if not counts:
        assert report is not None
        [ignored] = report["ignored_signoffs"]
        assert "not for the head" in ignored["reason"]


def test_a_stale_approval_does_not_survive_a_relevant_push_under_impact(
    tmp_path, monkeypatch, fake, capsys
):
    policy = "policy:\n  stale-signoffs: impact\n"
    run = Run(tmp_path, monkeypatch, fake, infra_repo(tmp_path / "repo", policy=policy))
    first = alerting_change(run)
    run.open(first)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=first)
    second = run.repo.commit("again", ("alerting/crontab", "MAILTO=y@example.com\n"))
    run.fake.push(NUMBER, second)
    assert run.on_push(capsys)[0] == 1


@pytest.mark.parametrize(
    ("login", "body", "options", "reason"),
    [
        ("alice", "/signoff backup-alerts", {}, "author cannot sign off"),
        ("erin", "/signoff backup-alerts", {}, "erin is not an owner (sre)"),
        ("dave", "/signoff postgresql", {}, "not affected by this change"),
        ("deploy-bot[bot]", "/signoff all", {}, "bots cannot sign off"),
        ("dave", "/signoff backup-alerts", {"bot": True}, "bots cannot sign off"),
        ("dave", "/signoff backup-alerts", {"edited": True}, "edited after it was posted"),
        ("dave", "> /signoff backup-alerts", {}, None),
        ("dave", "> dave said\n/signoff backup-alerts", {}, None),
        ("dave", "```\n/signoff backup-alerts\n```", {}, None),
        ("dave", "    /signoff backup-alerts", {}, None),
        ("dave", "<!--\n/signoff backup-alerts\n-->", {}, "raw HTML (<!--...)"),
        ("dave", "please `/signoff backup-alerts`", {}, None),
    ],
)
def test_comments_that_do_not_sign_off(run, capsys, login, body, options, reason):
    head = alerting_change(run)
    run.open(head)
    run.on_push(capsys, "opened")
    comment = run.fake.add_comment(NUMBER, login, body, **options)
    run.event("issue_comment", fakegithub.comment_event(NUMBER, comment))
    code, report = run.check(capsys)
    assert code == 1
    assert report["pending"] == ["backup-alerts"]
    reasons = [i["reason"] for i in report["ignored_signoffs"]]
    if reason is None:
        assert reasons == []
    else:
        assert len(reasons) == 1
        assert reason in reasons[0]
    assert run.statuses()[-1] == ("failure", head)


def test_each_reviewers_latest_state_wins_across_pages(tmp_path, monkeypatch, capsys):
    with FakeGitHub(max_per_page=4) as fake:
        run = Run(tmp_path, monkeypatch, fake, infra_repo(tmp_path / "repo"))
        head = run.repo.commit(
            "both",
            ("alerting/crontab", "x\n"),
            ("backup/backup.yml", 'pg_dump:\n  client_version: "9.2.18" # same\n'),
        )
        run.open(head)
        fake.add_review(NUMBER, "dave", "APPROVED", commit=head)  # page 1
        fake.add_review(NUMBER, "carol", "APPROVED", commit=head)
        for index in range(6):  # pages 1-2: chatter that changes nothing
            fake.add_review(NUMBER, f"reader{index}", "COMMENTED", commit=head)
        fake.add_review(NUMBER, "carol", "COMMENTED", commit=head)  # page 3
        fake.add_review(NUMBER, "dave", "CHANGES_REQUESTED", commit=head)
        code, report = run.on_push(capsys)
        pages = [r.query.get("page", "1") for r in fake.requests_to("GET", "/reviews$")]
        assert pages == ["1", "2", "3"]
        assert code == 1
        assert report is not None
        assert report["pending"] == ["backup-alerts"]
        [ignored] = report["ignored_signoffs"]
        assert (ignored["by"], ignored["system"]) == ("dave", "backup-alerts")
        assert "requesting changes" in ignored["reason"]


def test_a_dismissed_approval_no_longer_counts(run, capsys):
    head = alerting_change(run)
    run.open(head)
    review = run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    assert run.on_push(capsys, "opened")[0] == 0
    run.fake.dismiss(review)
    code, report = run.on_push(capsys, "synchronize")
    assert code == 1
    assert "dismissed" in report["ignored_signoffs"][0]["reason"]
    assert run.statuses()[-1] == ("failure", head)


def _review(state: str, at: str | None, login: str = "dave") -> Review:

    return Review.from_dict(
        {
            "id": 1,
            "user": {"login": login},
            "state": state,
            "commit_id": "a" * 40,
            "submitted_at": at,
        }
    )


@pytest.mark.parametrize(
    ("at", "counts"),
    [
        ("2026-01-05T09:00:01Z", True),
        ("2026-01-05T09:00:00Z", False),  # the same second: it may predate the change
        ("2026-01-05T08:59:59Z", False),
        (None, False),  # no time: it cannot be shown to be after
    ],
)
def test_an_approval_counts_only_after_the_last_change_of_base(at, counts):
    import datetime

    from gate.github.signoffs import review_offers

    changed = datetime.datetime(2026, 1, 5, 9, 0, 0, tzinfo=datetime.UTC)
    [offer] = review_offers([_review("APPROVED", at)], base_changed=changed)
    assert (offer.reject_reason is None) is counts
    [plain] = review_offers([_review("APPROVED", at)])
    assert plain.reject_reason is None


def test_only_a_status_by_the_named_login_vouches():
    from gate.github.payloads import Status
    from gate.github.signoffs import created_by

    vouches = created_by("github-actions[bot]")
    assert vouches(Status.from_dict({"creator": {"login": "GitHub-Actions[bot]"}}))
    assert not vouches(Status.from_dict({"creator": {"login": "other-app[bot]"}}))
    assert not vouches(Status.from_dict({"creator": {"login": "alice"}}))
    assert not vouches(Status.from_dict({}))
