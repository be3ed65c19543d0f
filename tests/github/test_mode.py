"""gate check --github end to end: a real repository, the real CLI, a fake GitHub on loopback."""

from __future__ import annotations

import json
import time

import pytest

from gate.github.post import CONTEXT
from gate.main import main
from gate.report.comment import MARKER
from testing import fakegithub
from testing.fakegithub import FakeGitHub
from testing.infra import infra_repo, upgrade
from testing.pullrequest import NUMBER, Run, alerting_change


def test_opened_is_blocked_with_a_failure_status_and_a_comment(run, capsys):
    head = upgrade(run.repo)
    run.open(head)
    code, report = run.on_push(capsys, "opened")
    assert code == 1
    assert report["verdict"] == "blocked"
    states = run.statuses()
    assert states == [("pending", head), ("failure", head)]
    status = run.last_status()
    assert status["context"] == CONTEXT
    assert status["description"].startswith("waiting for ")
    assert "backup" in status["description"]
    assert "sre" in status["description"]
    assert len(status["description"]) <= 140
    [comment] = run.comments()
    body = comment["body"]
    assert "BLOCKED" in body
    assert "- [ ] `pg-dump-backup`" in body
    assert "does not satisfy `>=9.6`" in body
    assert "```mermaid" in body
    assert "/signoff " in body
    assert "ask @carol" in body
    assert status["target_url"] == comment["html_url"]
    assert run.output_values() == {
        "verdict": "blocked",
        "affected": json.dumps(["postgresql", "backup-alerts", "pg-dump-backup", "replica"]),
        "pending": json.dumps(["postgresql", "backup-alerts", "pg-dump-backup", "replica"]),
    }
    assert "BLOCKED" in run.summary.read_text()
    assert MARKER not in run.summary.read_text()


def test_an_owner_approves_and_the_same_comment_is_edited(run, capsys):
    head = alerting_change(run)
    run.open(head)
    assert run.on_push(capsys, "opened")[0] == 1
    review = run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    run.event("pull_request_review", fakegithub.review_event(run.pull, review))
    code, report = run.check(capsys)
    assert code == 0
    assert report["verdict"] == "pass"
    assert run.statuses()[-1] == ("success", head)
    assert len(run.fake.requests_to("POST", r"/issues/\d+/comments$")) == 1
    assert len(run.fake.requests_to("PATCH", r"/issues/comments/\d+$")) == 1
    [comment] = run.comments()
    assert "~~`backup-alerts`~~" in comment["body"]
    assert f"`@dave` for `{head[:7]}` (review" in comment["body"]
    assert run.output_values()["verdict"] == "pass"


@pytest.mark.parametrize(
    "headers",
    [
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "RESET"},
        {"retry-after": "1"},
    ],
)
def test_a_rate_limit_is_waited_out(run, capsys, headers):
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    reset = str(int(time.time()) + 1)
    run.fake.fail(
        "GET",
        "/reviews$",
        status=403,
        headers={k: v.replace("RESET", reset) for k, v in headers.items()},
        body={"message": "API rate limit exceeded"},
    )
    started = time.monotonic()
    code, _ = run.on_push(capsys)
    assert code == 0
    assert time.monotonic() - started >= 0.5 if "retry-after" in headers else True
    assert len(run.fake.requests_to("GET", "/reviews$")) == 2
    assert run.statuses()[-1] == ("success", head)


def test_a_secondary_rate_limit_past_the_bound_is_an_error(run, capsys, monkeypatch):
    monkeypatch.setenv("GATE_GITHUB_MAX_WAIT", "0.5")
    head = alerting_change(run)
    run.open(head)
    run.fake.fail(
        "GET",
        "/reviews$",
        status=403,
        times=None,
        body={"message": "You have exceeded a secondary rate limit. Please wait a few minutes."},
    )
    code, _ = run.on_push(capsys)
    assert code == 2
    assert "rate-limited" in run.err
    assert [s for s, _ in run.statuses()] == ["pending", "error"]  # no verdict left standing
    assert run.output_values()["verdict"] == "error"


def test_server_errors_until_the_retries_run_out_are_an_error(run, capsys):
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    run.fake.fail("GET", "/reviews$", status=502, times=None)
    code, _ = run.on_push(capsys)
    assert code == 2
    err = run.err
    assert "502" in err
    assert "retries" in err
    assert len(run.fake.requests_to("GET", "/reviews$")) == 3  # the first try and 2 retries
    assert "success" not in [s for s, _ in run.statuses()]
    assert run.last_status()["state"] == "error"
    assert "could not decide" in run.summary.read_text()


def test_an_api_that_always_fails_posts_no_success(run, capsys):
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    for method in ("GET", "POST", "PATCH"):
        run.fake.fail(method, "/repos/acme/infra/(statuses|issues|commits)", status=500, times=None)
    code, _ = run.on_push(capsys)
    assert code == 2
    tried = [r.body["state"] for r in run.fake.requests_to("POST", "/statuses/")]
    assert tried == ["pending"] * 3 + ["error"] * 3  # no status could be posted: no identity
    assert "posting the error status failed too" in run.err


def test_a_token_without_status_permission_is_told_what_to_grant(run, capsys):
    head = alerting_change(run)
    run.open(head)
    run.fake.fail(
        "POST",
        "/statuses/",
        status=403,
        times=None,
        body={"message": "Resource not accessible by integration"},
    )
    code, _ = run.on_push(capsys)
    assert code == 2
    err = run.err
    assert "`statuses: write`" in err
    assert "pull_request_target" in err


def test_github_enterprise_server_api_url(tmp_path, monkeypatch, capsys):
    with FakeGitHub(prefix="/api/v3") as fake:
        run = Run(tmp_path, monkeypatch, fake, infra_repo(tmp_path / "repo"))
        head = alerting_change(run)
        run.open(head)
        fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
        assert run.on_push(capsys)[0] == 0
        assert fake.url.endswith("/api/v3")
        assert run.statuses()[-1] == ("success", head)


def test_the_ledger_counts_too(run, capsys, tmp_path):
    head = alerting_change(run)
    run.open(head)
    ledger = tmp_path / "signoffs.yml"
    ledger.write_text(f"- {{system: backup-alerts, by: dave, commit: '{head}', note: CAB-12}}\n")
    run.event("pull_request_target", fakegithub.pull_request_event(run.pull))
    code, report = run.check(capsys, "--signoffs", str(ledger))
    assert code == 0
    assert report["systems"][0]["signoff"]["by"][0]["source"] == "ledger"


def test_evidence_is_written_and_named_in_the_report(run, capsys, tmp_path):
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    evidence = tmp_path / "evidence.json"
    run.event("pull_request_target", fakegithub.pull_request_event(run.pull))
    code = main(["check", "--github", "--repo", str(run.repo.path), "--evidence", str(evidence)])
    assert code == 0
    assert json.loads(evidence.read_text())
    assert "PASS" in capsys.readouterr().out


def test_words_from_comments_are_inert_in_the_gates_comment(run, capsys):
    head = alerting_change(run)
    run.open(head)
    comment = run.fake.add_comment(NUMBER, "dave", "/signoff `@everyone` [a](b) *x*")
    run.event("issue_comment", fakegithub.comment_event(NUMBER, comment))
    code, report = run.check(capsys)
    assert code == 1
    [ignored] = report["ignored_signoffs"]
    assert ignored["system"] == "*"
    assert "names `@everyone`, [a](b), *x*, not a system" in ignored["reason"]
    [mine] = run.comments()
    # The reason is shown as code: its words quoted, no link, no mention.
    assert "`the /signoff line also names '@everyone', [a](b), *x*, not a system" in mine["body"]


def test_a_change_that_touches_no_system_passes_at_once(run, capsys):
    head = run.repo.commit("docs", ("README.md", "infra, documented\n"))
    run.open(head)
    code, report = run.on_push(capsys, "opened")
    assert (code, report["systems"]) == (0, [])
    status = run.last_status()
    assert (status["state"], status["description"]) == (
        "success",
        "no affected system needs sign-off",
    )
    [mine] = run.comments()
    assert "✅" in mine["body"]
    assert "/signoff" not in mine["body"]


def test_the_gates_comment_listed_without_an_id_is_an_error_that_says_so(run, capsys):
    head = alerting_change(run)
    run.open(head)
    assert run.on_push(capsys, "opened")[0] == 1
    [comment] = run.fake.comments[("acme/infra", NUMBER)]
    del comment["id"]
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    code, _ = run.on_push(capsys)
    assert code == 2
    assert "without an id, so it cannot be edited; run the job again" in run.err
    assert run.fake.requests_to("PATCH", r"/issues/comments/") == []
    assert run.statuses()[-1] == ("error", head)


@pytest.mark.parametrize("value", ["inf", "nan", "-1"])
def test_a_bound_that_is_no_finite_number_is_an_error(run, capsys, monkeypatch, value):
    run.open(alerting_change(run))
    monkeypatch.setenv("GATE_GITHUB_MAX_WAIT", value)
    code, _ = run.on_push(capsys)
    assert code == 2
    assert f"GATE_GITHUB_MAX_WAIT='{value}' must be a finite number, not negative" in run.err


def test_a_head_that_two_passing_pull_requests_share_gets_success(run, capsys):
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    run.fake.add_pull(8, head=head, base=run.base)
    run.fake.add_review(8, "dave", "APPROVED", commit=head)
    run.fake.add_pull(9, head=head, base=run.base, state="closed")  # closed: not asked
    assert run.on_push(capsys)[0] == 0
    assert run.statuses()[-1] == ("success", head)
    assert run.fake.requests_to("GET", r"/pulls$")
    assert not run.fake.requests_to("GET", r"/pulls/9/")


def test_a_blocked_run_does_not_ask_about_other_pull_requests(run, capsys):
    head = alerting_change(run)
    run.open(head)
    assert run.on_push(capsys)[0] == 1
    assert run.fake.requests_to("GET", r"/pulls$") == []


def test_with_a_status_token_an_error_replaces_the_verdict_of_both_tokens(run, capsys, monkeypatch):
    monkeypatch.setenv("GATE_STATUS_TOKEN", "app-token")
    run.fake.token_users["app-token"] = fakegithub.user("gate-app[bot]")
    head = alerting_change(run)
    run.open(head)
    run.fake.fail("GET", "/reviews$", status=404, times=None)
    code, _ = run.on_push(capsys)
    assert code == 2
    posted = run.fake.requests_to("POST", r"/statuses/")
    assert [(r.body["state"], r.headers["authorization"]) for r in posted] == [
        ("pending", "Bearer test-token"),
        ("pending", "Bearer app-token"),
        ("error", "Bearer test-token"),
        ("error", "Bearer app-token"),
    ]


def test_a_comment_github_records_as_someone_elses_is_an_error(run, capsys):
    head = alerting_change(run)
    run.open(head)

    def by_someone(fake, request, match):
        return 201, fake.add_comment(NUMBER, "someone", request.body["body"])

    run.fake.route(
        "POST", r"/repos/(?P<repo>[^/]+/[^/]+)/issues/(?P<number>\d+)/comments", by_someone
    )
    code, _ = run.on_push(capsys)
    assert code == 2
    assert "not by the gate's own identity" in run.err
    assert run.statuses()[-1] == ("error", head)


def test_a_status_answer_without_a_creator_is_an_error(run, capsys):
    head = alerting_change(run)
    run.open(head)

    def anonymous(fake, request, match):
        status, body = fakegithub.create_status(fake, request, match)
        return status, {**body, "creator": None}

    run.fake.route(
        "POST", r"/repos/(?P<repo>[^/]+/[^/]+)/statuses/(?P<sha>[0-9a-f]{40})", anonymous
    )
    code, _ = run.on_push(capsys)
    assert code == 2
    assert "'creator.login'" in run.err


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("GATE_GITHUB_TIMEOUT", "0", "give seconds above 0"),  # the HTTP library crashed on it
        ("GATE_GITHUB_RETRIES", "1.5", "is not a whole number"),
    ],
)
def test_a_bound_the_client_cannot_take_is_an_error(run, capsys, monkeypatch, name, value, message):
    run.open(alerting_change(run))
    monkeypatch.setenv(name, value)
    code, _ = run.on_push(capsys)
    assert code == 2
    assert message in run.err


def test_advisory_passes_the_job_and_says_everything_else_as_it_would(run, capsys):
    head = alerting_change(run)
    run.open(head)
    run.event("pull_request_target", fakegithub.pull_request_event(run.pull))
    code, report = run.check(capsys, "--advisory")
    assert code == 0
    assert report is not None
    assert report["verdict"] == "blocked"  # the report, status and outputs say what they would
    assert run.last_status()["state"] == "failure"
    assert run.output_values()["verdict"] == "blocked"
    [mine] = run.comments()
    assert "\nAdvisory: " in mine["body"]
    assert "Advisory: " in run.summary.read_text()
    assert "advisory: the pull request is blocked" in run.err


def test_advisory_still_fails_an_error(run, capsys):
    head = alerting_change(run)
    run.open(head)
    run.fake.fail("GET", "/reviews$", status=502, times=None)
    run.event("pull_request_target", fakegithub.pull_request_event(run.pull))
    code, _ = run.check(capsys, "--advisory")
    assert code == 2
    assert run.statuses()[-1] == ("error", head)


def test_without_advisory_the_comment_says_nothing_of_it(run, capsys):
    run.open(alerting_change(run))
    assert run.on_push(capsys)[0] == 1
    [mine] = run.comments()
    assert "Advisory" not in mine["body"]
