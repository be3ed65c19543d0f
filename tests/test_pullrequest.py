"""gate check --github end to end: a real repository, the real CLI, a fake GitHub on loopback."""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from gate.github.post import CONTEXT
from gate.github.commands import signoff_commands
from gate.main import main
from gate.report.comment import MARKER
from testing import fakegithub
from testing.fakegithub import REPO, FakeGitHub
from testing.gitrepo import GIT_ENV, GitRepo
from testing.infra import MAP, infra_repo, upgrade

NUMBER = 7


class Run:
    """One pull request on the fake GitHub, and the Actions environment a job would have."""

    def __init__(self, tmp_path, monkeypatch, fake: FakeGitHub, repo) -> None:
        self.tmp = tmp_path
        self.monkeypatch = monkeypatch
        self.fake = fake
        self.repo = repo
        self.base = repo.git("rev-parse", "main")
        self.summary = tmp_path / "summary.md"
        self.outputs = tmp_path / "outputs.txt"
        self.count = 0
        self.err = ""
        monkeypatch.setenv("GITHUB_API_URL", fake.url)
        monkeypatch.setenv("GITHUB_TOKEN", "test-token")
        monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(self.summary))
        monkeypatch.setenv("GITHUB_OUTPUT", str(self.outputs))
        monkeypatch.setenv("GATE_GITHUB_BACKOFF", "0.01")
        monkeypatch.setenv("GATE_GITHUB_RETRIES", "2")
        monkeypatch.setenv("GATE_GITHUB_MAX_WAIT", "3")
        monkeypatch.delenv("GATE_TEAMS_TOKEN", raising=False)
        self.summary.write_text("")
        self.outputs.write_text("")

    def open(self, head: str, author: str = "alice") -> dict:
        return self.fake.add_pull(NUMBER, head=head, base=self.base, author=author)

    @property
    def pull(self) -> dict:
        return self.fake.pulls[(REPO, NUMBER)]

    def event(self, name: str, payload: dict) -> None:
        self.count += 1
        path = self.tmp / f"event-{self.count}.json"
        path.write_text(json.dumps(payload))
        self.monkeypatch.setenv("GITHUB_EVENT_NAME", name)
        self.monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))

    def check(self, capsys, *args: str) -> tuple[int, dict | None]:
        code = main(["check", "--github", "--repo", str(self.repo.path), "--format", "json", *args])
        captured = capsys.readouterr()
        self.err = captured.err
        out = captured.out
        return code, json.loads(out) if out.strip().startswith("{") else None

    def on_push(self, capsys, action: str = "synchronize", event: str = "pull_request_target"):
        self.event(event, fakegithub.pull_request_event(self.pull, action=action))
        return self.check(capsys)

    def statuses(self) -> list[tuple[str, str]]:
        return [(s["state"], s["sha"]) for s in self.fake.posted_statuses()]

    def last_status(self) -> dict:
        return self.fake.posted_statuses()[-1]

    def comments(self) -> list[dict]:
        return [c for c in self.fake.comments[(REPO, NUMBER)] if c["body"].startswith(MARKER)]

    def output_values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        lines = iter(self.outputs.read_text().splitlines())
        for line in lines:
            name, delimiter = line.split("<<", 1)
            values[name] = "\n".join(iter(lambda: next(lines), delimiter))
        return values


@pytest.fixture
def fake():
    with FakeGitHub() as server:
        yield server


@pytest.fixture
def run(tmp_path, monkeypatch, fake):
    repo = infra_repo(tmp_path / "repo")
    return Run(tmp_path, monkeypatch, fake, repo)


def alerting_change(run: Run) -> str:
    """A change that touches backup-alerts alone (owned by sre: dave)."""
    return run.repo.commit("page less", ("alerting/crontab", "MAILTO=oncall@example.com\n"))


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
    assert "does not satisfy >=9.6" in body
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
    assert f"@dave for `{head[:7]}` (review" in comment["body"]
    assert run.output_values()["verdict"] == "pass"


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
        ("dave", "<!--\n/signoff backup-alerts\n-->", {}, None),
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


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("/signoff a b", [("a", "b")]),
        ("/signoff a, b\n/signoff c", [("a", "b"), ("c",)]),
        ("  /signoff all", [("all",)]),
        ("/signoff", []),
        ("/signoffs a", []),
        ("text /signoff a", []),
        ("LGTM\r\n/signoff a\r\n", [("a",)]),
        ("> /signoff a", []),
        ("> quoted\nlazy\n/signoff a", []),
        ("> quoted\n\n/signoff a", [("a",)]),
        ("```\n/signoff a\n```\n/signoff b", [("b",)]),
        ("~~~~\n/signoff a\n~~~\n/signoff b\n~~~~", []),
        ("\t/signoff a", []),
        ("<!-- /signoff a -->\n/signoff b", [("b",)]),
        ("<!--\n/signoff a\n-->\n/signoff b", [("b",)]),
    ],
)
def test_signoff_commands(body, expected):
    assert signoff_commands(body) == expected


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
    assert [s for s, _ in run.statuses()] == ["pending"]  # nothing more while limited
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
    assert tried == ["error"] * 3  # the events could not be read: no witness, no verdict
    assert "posting the error status failed too" in run.err


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


def test_a_head_that_moves_before_posting_gets_no_success(run, capsys):
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    newer = run.repo.commit("newer", ("alerting/crontab", "MAILTO=z@example.com\n"))
    reads = []

    def move_on_second_read(fake, request):
        reads.append(request)
        if len(reads) == 2:
            fake.push(NUMBER, newer)

    run.fake.on("GET", r"/pulls/7$", move_on_second_read)
    code, _ = run.on_push(capsys)
    assert code == 2
    assert "moved from" in run.err
    assert run.statuses() == [("pending", head)]
    assert run.output_values()["verdict"] == "error"


def test_a_run_for_a_head_already_replaced_posts_nothing(run, capsys):
    head = alerting_change(run)
    run.open(head)
    event = fakegithub.pull_request_event(run.pull)
    run.fake.push(NUMBER, run.repo.commit("newer", ("alerting/crontab", "n\n")))
    run.event("pull_request_target", event)
    code, _ = run.check(capsys)
    assert code == 2
    assert "starts its own run" in run.err
    assert run.statuses() == []


def test_a_comment_on_a_plain_issue_has_nothing_to_check(run, capsys):
    comment = {"id": 1, "body": "/signoff all", "user": fakegithub.user("dave")}
    run.event("issue_comment", fakegithub.comment_event(3, comment, on_pull=False))
    code, report = run.check(capsys)
    assert (code, report) == (0, None)
    assert run.fake.requests == []


def test_the_gates_own_comment_triggers_nothing(run, capsys):
    comment = {"id": 1, "body": MARKER + "\n### report", "user": fakegithub.user("x[bot]")}
    run.event("issue_comment", fakegithub.comment_event(NUMBER, comment))
    assert run.check(capsys) == (0, None)
    assert run.fake.requests == []


@pytest.mark.parametrize(
    "variable",
    [
        "GITHUB_EVENT_PATH",
        "GITHUB_EVENT_NAME",
        "GITHUB_REPOSITORY",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_OUTPUT",
        "GITHUB_TOKEN",
    ],
)
def test_a_missing_actions_variable_is_named(run, capsys, monkeypatch, variable):
    head = alerting_change(run)
    run.open(head)
    run.event("pull_request", fakegithub.pull_request_event(run.pull))
    monkeypatch.delenv(variable)
    code, report = run.check(capsys)
    assert code == 2
    assert variable in report["error"]


@pytest.mark.parametrize(
    ("name", "payload", "message"),
    [
        ("push", {"ref": "refs/heads/main"}, "does not handle the 'push' event"),
        ("pull_request", {"pull_request": {"number": 7}}, "'pull_request.head.sha'"),
        ("pull_request", {"pull_request": {"number": "7", "head": {"sha": "a" * 40}}}, "number"),
        ("pull_request", {}, "'pull_request'"),
        ("issue_comment", {"issue": {"pull_request": {}, "number": 7}}, None),
    ],
)
def test_bad_events_are_errors(run, capsys, name, payload, message):
    run.event(name, payload)
    code, report = run.check(capsys)
    if message is None:  # an issue whose pull_request key is empty is a plain issue
        assert (code, report) == (0, None)
        return
    assert code == 2
    assert message in report["error"]


def test_a_bad_event_file_is_an_error(run, capsys, monkeypatch, tmp_path):
    path = tmp_path / "event.json"
    path.write_text("{not json")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))
    code, report = run.check(capsys)
    assert code == 2
    assert "not a JSON event payload" in report["error"]


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


def git(*args: str) -> str:
    env = {**__import__("os").environ, **GIT_ENV}
    done = subprocess.run(["git", *args], env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip()


@pytest.mark.parametrize("deepen", [True, False])
def test_a_shallow_checkout_of_the_base_fetches_the_pull_request(
    tmp_path, monkeypatch, fake, capsys, deepen
):
    """As actions/checkout leaves it: one commit of the base branch; the head only on origin."""
    work = infra_repo(tmp_path / "work")
    head = work.commit("page less", ("alerting/crontab", "MAILTO=oncall@example.com\n"))
    work.checkout("main")
    for index in range(3):  # the base moves on, so the merge base lies deeper than one commit
        work.commit(f"main {index}", ("README.md", f"infra {index}\n"))
    origin = tmp_path / "origin.git"
    git("init", "-q", "--bare", str(origin))
    git("-C", str(origin), "config", "uploadpack.allowAnySHA1InWant", "true")
    git("-C", str(work.path), "push", "-q", str(origin), "main", f"{head}:refs/pull/7/head")
    checkout = tmp_path / "checkout"
    git("clone", "-q", "--depth=1", "--branch=main", f"file://{origin}", str(checkout))
    run = Run(tmp_path, monkeypatch, fake, GitRepo(checkout))  # (re-)init keeps the clone
    run.open(head)
    run.event("pull_request_target", fakegithub.pull_request_event(run.pull))
    code, report = run.check(capsys, *(["--deepen"] if deepen else []))
    if deepen:
        assert code == 1
        assert report["pending"] == ["backup-alerts"]
        assert [c["path"] for c in report["changed"]] == ["alerting/crontab"]
    else:
        assert code == 2
        assert "pass --deepen" in report["error"]


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
    comment = run.fake.add_comment(NUMBER, "dave", "/signoff <img src=x> `@everyone` [a](b)")
    run.event("issue_comment", fakegithub.comment_event(NUMBER, comment))
    code, report = run.check(capsys)
    assert code == 1
    assert {i["system"] for i in report["ignored_signoffs"]} == {
        "<img",
        "src=x>",
        "`@everyone`",
        "[a](b)",
    }
    [mine] = run.comments()
    assert "for `<img` (comment)" in mine["body"]
    assert "for `'@everyone'` (comment)" in mine["body"]


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
