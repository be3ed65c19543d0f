"""gate check --github on merge_group: the queued pull request's verdict, on the group's commit."""

from __future__ import annotations

import pytest

from gate.errors import GateError
from gate.github.actions import Actions, pull_request_number
from gate.github.merge_queue import MergeGroup
from gate.github.payloads import PayloadError
from gate.github.post import CONTEXT
from testing import fakegithub
from testing.fakegithub import REPO
from testing.gitrepo import GitRepo
from testing.infra import infra_repo
from testing.pullrequest import NUMBER, Run, alerting_change

GATE = "github-actions[bot]"  # who the fake's token writes as


def vouched(run: Run, head: str, state: str = "success", *, creator: str = GATE) -> None:
    """A change-impact-gate status on the pull request's head, as a run of the gate posts it."""
    target = f"https://github.com/{REPO}/pull/{NUMBER}"
    run.fake.add_status(head, state, context=CONTEXT, target_url=target, creator=creator)


def build_group(
    repo: GitRepo, head: str, how: str = "merge", *, back: str = "change"
) -> tuple[str, str]:
    """The commit a merge queue builds for head on main (merge, squash or rebase); main's."""
    base = repo.git("rev-parse", "main")
    repo.checkout("-B", "queue", base)
    if how == "merge":
        repo.git("merge", "--no-ff", "-q", "-m", f"Merge pull request #{NUMBER}", head)
    elif how == "squash":
        repo.git("merge", "--squash", "-q", head)
        repo.git("commit", "-q", "-m", f"change (#{NUMBER})")
    else:
        repo.git("cherry-pick", f"{base}..{head}")
    group = repo.head()
    repo.checkout(back)
    return group, base


def on_group(
    run: Run, capsys: pytest.CaptureFixture[str], group: str, base: str, **event: str
) -> int:
    run.event("merge_group", fakegithub.merge_group_event(NUMBER, head=group, base=base, **event))
    return run.check(capsys)[0]


def group_statuses(run: Run, group: str) -> list[tuple[str, str]]:
    return [(s["state"], s["description"]) for s in run.fake.posted_statuses(group)]


def advance_main(run: Run) -> None:
    run.repo.checkout("main")
    run.repo.commit("another change", ("docs/notes.md", "queued ahead\n"))
    run.repo.checkout("change")


@pytest.mark.parametrize("how", ["merge", "squash", "rebase"])
def test_a_group_for_a_pull_request_that_passed_on_its_head_gets_success(run, capsys, how):
    head = alerting_change(run)
    run.open(head)
    vouched(run, head)
    advance_main(run)  # a pull request ahead in the queue was merged since
    group, base = build_group(run.repo, head, how)
    assert on_group(run, capsys, group, base) == 0
    [pending, success] = group_statuses(run, group)
    assert pending == ("pending", f"checking pull request #{NUMBER}")
    assert success[0] == "success"
    assert f"#{NUMBER} passed on {head[:7]}" in success[1]
    assert run.fake.posted_statuses() == run.fake.posted_statuses(group)  # nothing on the head
    assert not run.fake.requests_to("POST", "/comments$")
    assert not run.fake.requests_to("PATCH", "/comments/")
    assert run.fake.posted_statuses(group)[-1]["target_url"] == run.pull["html_url"]


def test_the_gate_passing_a_pull_request_end_to_end_lets_its_group_pass(run, capsys):
    head = alerting_change(run)
    run.open(head)
    run.fake.add_review(NUMBER, "dave", "APPROVED", commit=head)
    assert run.on_push(capsys)[0] == 0
    group, base = build_group(run.repo, head, "squash")
    assert on_group(run, capsys, group, base) == 0
    assert group_statuses(run, group)[-1][0] == "success"


def test_a_group_for_a_blocked_pull_request_fails(run, capsys):
    head = alerting_change(run)
    run.open(head)
    vouched(run, head)
    vouched(run, head, "failure")  # an approval was dismissed since
    group, base = build_group(run.repo, head)
    assert on_group(run, capsys, group, base) == 1
    state, line = group_statuses(run, group)[-1]
    assert state == "failure"
    assert f"#{NUMBER} did not pass on its head {head[:7]}" in line
    assert "latest status there is failure" in line


def test_a_run_still_evaluating_the_head_is_not_a_pass(run, capsys):
    head = alerting_change(run)
    run.open(head)
    vouched(run, head)
    vouched(run, head, "pending")
    group, base = build_group(run.repo, head)
    assert on_group(run, capsys, group, base) == 1
    assert "latest status there is pending" in group_statuses(run, group)[-1][1]


def test_a_success_posted_by_anyone_but_the_gate_does_not_count(run, capsys):
    head = alerting_change(run)
    run.open(head)
    vouched(run, head, creator="alice")
    vouched(run, head, creator="mallory")
    group, base = build_group(run.repo, head)
    assert on_group(run, capsys, group, base) == 1
    state, line = group_statuses(run, group)[-1]
    assert state == "failure"
    assert f"no {CONTEXT} status from {GATE} on its head" in line


def test_the_status_tokens_identity_is_the_one_that_vouches(run, capsys, monkeypatch):
    monkeypatch.setenv("GATE_STATUS_TOKEN", "app-token")
    run.fake.token_users["app-token"] = fakegithub.user("gate-app[bot]")
    head = alerting_change(run)
    run.open(head)
    vouched(run, head)  # by the main token's user, not the app the statuses are posted as
    group, base = build_group(run.repo, head)
    assert on_group(run, capsys, group, base) == 1
    assert "from gate-app[bot]" in group_statuses(run, group)[-1][1]
    vouched(run, head, creator="gate-app[bot]")
    assert on_group(run, capsys, group, base) == 0


def test_a_success_on_an_earlier_head_does_not_pass_the_pull_request_now(run, capsys):
    first = alerting_change(run)
    run.open(first)
    vouched(run, first)
    now = run.repo.commit("and more", ("alerting/crontab", "MAILTO=sre@example.com\n"))
    run.fake.push(NUMBER, now)
    group, base = build_group(run.repo, now)
    assert on_group(run, capsys, group, base) == 1
    assert (
        f"no {CONTEXT} status from {GATE} on its head {now[:7]}"
        in (group_statuses(run, group)[-1][1])
    )


@pytest.mark.parametrize("how", ["merge", "squash"])
def test_a_group_built_on_another_head_fails(run, capsys, how):
    first = alerting_change(run)
    run.open(first)
    group, base = build_group(run.repo, first, how)  # queued, then the branch was pushed to
    now = run.repo.commit("and more", ("alerting/crontab", "MAILTO=sre@example.com\n"))
    run.fake.push(NUMBER, now)
    vouched(run, now)
    assert on_group(run, capsys, group, base) == 1
    state, line = group_statuses(run, group)[-1]
    assert state == "failure"
    assert f"not pull request #{NUMBER}'s head {now[:7]}" in line


def test_a_squash_group_whose_change_was_altered_in_the_queue_fails(run, capsys):
    head = alerting_change(run)
    run.open(head)
    vouched(run, head)
    group, base = build_group(run.repo, head, "squash")
    run.repo.checkout(group)
    run.repo.write("alerting/extra.cron", "* * * * * true\n")  # slipped in while queued
    run.repo.git("add", "-A")
    run.repo.git("commit", "-q", "--amend", "-m", f"change (#{NUMBER})")
    altered = run.repo.head()
    run.repo.checkout("change")
    assert on_group(run, capsys, altered, base) == 1
    state, line = group_statuses(run, altered)[-1]
    assert state == "failure"
    assert f"its tree is not {head[:7]} merged onto {base[:7]}" in line


def test_a_head_that_conflicts_with_the_groups_base_fails(run, capsys):
    head = alerting_change(run)
    run.open(head)
    vouched(run, head)
    run.repo.checkout("main")
    run.repo.commit("meanwhile", ("alerting/crontab", "MAILTO=other@example.com\n"))
    run.repo.checkout("change")
    other = run.repo.git("rev-parse", "main")  # a group that holds main alone
    assert on_group(run, capsys, other, other) == 1
    assert "does not merge cleanly onto" in group_statuses(run, other)[-1][1]


def test_advisory_posts_the_failure_and_passes_the_job(run, capsys):
    head = alerting_change(run)
    run.open(head)
    group, base = build_group(run.repo, head)
    run.event("merge_group", fakegithub.merge_group_event(NUMBER, head=group, base=base))
    assert run.check(capsys, "--advisory")[0] == 0
    assert group_statuses(run, group)[-1][0] == "failure"
    assert "advisory" in run.err


@pytest.mark.parametrize(
    "ref",
    [
        "refs/heads/main",
        "refs/heads/gh-readonly-queue/main/pr-seven-" + "a" * 40,
        "refs/heads/gh-readonly-queue/main/pr-0-" + "a" * 40,
        "refs/heads/gh-readonly-queue/release/pr-7-" + "a" * 40,  # another base than the group's
    ],
)
def test_a_group_ref_that_names_no_pull_request_is_an_error(run, capsys, ref):
    head = alerting_change(run)
    run.open(head)
    vouched(run, head)
    group, base = build_group(run.repo, head)
    assert on_group(run, capsys, group, base, head_ref=ref) == 2
    [(state, line)] = group_statuses(run, group)
    assert state == "error"
    assert line.startswith("could not decide: the merge group's ref")
    assert "merge group's ref" in run.err


def test_a_pull_request_github_does_not_return_is_an_error(run, capsys):
    head = alerting_change(run)
    group, base = build_group(run.repo, head)  # no pull request #7 on GitHub
    assert on_group(run, capsys, group, base) == 2
    assert [state for state, _ in group_statuses(run, group)] == ["pending", "error"]


@pytest.mark.parametrize(
    ("method", "pattern", "body"),
    [
        ("GET", "/statuses$", {"message": "not a list"}),
        ("GET", "/statuses$", [["not", "an", "object"]]),
        ("GET", r"/pulls/\d+$", {"number": NUMBER}),
    ],
    ids=["statuses-not-a-list", "status-not-an-object", "pull-without-a-head"],
)
def test_an_unreadable_api_answer_is_an_error(run, capsys, method, pattern, body):
    head = alerting_change(run)
    run.open(head)
    vouched(run, head)
    group, base = build_group(run.repo, head)
    run.fake.fail(method, pattern, status=200, body=body)
    assert on_group(run, capsys, group, base) == 2
    assert group_statuses(run, group)[-1][0] == "error"


def test_a_gate_that_posts_as_the_pull_requests_author_cannot_decide(run, capsys):
    run.fake.token_user = fakegithub.user("alice")
    head = alerting_change(run)
    run.open(head)
    vouched(run, head, creator="alice")  # the author's own token posted it
    group, base = build_group(run.repo, head)
    assert on_group(run, capsys, group, base) == 2
    assert group_statuses(run, group)[-1][0] == "error"
    assert "author" in run.err


def test_an_unreadable_status_answer_for_the_group_is_an_error(run, capsys):
    head = alerting_change(run)
    run.open(head)
    vouched(run, head)
    group, base = build_group(run.repo, head)
    run.fake.fail("POST", "/statuses/", status=201, body={"state": "pending"})
    assert on_group(run, capsys, group, base) == 2
    assert [state for state, _ in group_statuses(run, group)] == ["pending", "error"]


def test_a_group_event_other_than_checks_requested_posts_nothing(run, capsys):
    head = alerting_change(run)
    group, base = build_group(run.repo, head)
    assert on_group(run, capsys, group, base, action="destroyed") == 0
    assert run.fake.posted_statuses() == []


@pytest.mark.parametrize(
    "group",
    [
        None,
        "not an object",
        {"head_sha": "abc", "head_ref": "r", "base_sha": "a" * 40, "base_ref": "b"},
        {"head_sha": "a" * 40, "head_ref": 7, "base_sha": "a" * 40, "base_ref": "b"},
        {"head_sha": "a" * 40, "head_ref": "r", "base_ref": "b"},
    ],
)
def test_a_merge_group_event_without_its_group_is_refused(group):
    event = {"action": "checks_requested", "merge_group": group}
    with pytest.raises(PayloadError, match="merge_group"):
        MergeGroup.from_event(event)


def test_a_merge_group_event_that_is_no_group_is_an_error_and_posts_nothing(run, capsys):
    run.event("merge_group", {"action": "checks_requested"})
    assert run.check(capsys)[0] == 2
    assert "lacks 'merge_group'" in run.err
    assert run.fake.posted_statuses() == []


def test_a_merge_group_is_no_pull_request_to_evaluate():
    actions = Actions(
        event_name="merge_group",
        event=fakegithub.merge_group_event(NUMBER, head="a" * 40, base="b" * 40),
        repository=REPO,
        summary="summary.md",
        outputs="outputs.txt",
    )
    with pytest.raises(GateError, match="no pull request to evaluate"):
        pull_request_number(actions)


@pytest.mark.parametrize("how", ["merge", "squash"])
@pytest.mark.parametrize("deepen", [True, False])
def test_a_shallow_checkout_of_the_group_fetches_the_pull_requests_head(
    tmp_path, monkeypatch, fake, capsys, how, deepen
):
    """As actions/checkout leaves it on merge_group: one commit, the group's; the rest on origin."""
    work = infra_repo(tmp_path / "work")
    head = work.commit("page less", ("alerting/crontab", "MAILTO=oncall@example.com\n"))
    work.checkout("main")
    for index in range(3):  # the queue's base moved on, so the merge base lies deeper
        work.commit(f"main {index}", ("README.md", f"infra {index}\n"))
    group, base = build_group(work, head, how, back="main")
    origin = tmp_path / "origin.git"
    git = work.git
    git("init", "-q", "--bare", str(origin))
    git("-C", str(origin), "config", "uploadpack.allowAnySHA1InWant", "true")
    git("push", "-q", str(origin), "main", f"{head}:refs/pull/7/head", f"{group}:refs/heads/queue")
    checkout = tmp_path / "checkout"
    git("clone", "-q", "--depth=1", "--branch=queue", f"file://{origin}", str(checkout))
    git("-C", str(checkout), "branch", "main")  # Run reads a main; the gate does not
    run = Run(tmp_path, monkeypatch, fake, GitRepo(checkout))
    fake.add_pull(NUMBER, head=head, base=base)
    vouched(run, head)
    run.event("merge_group", fakegithub.merge_group_event(NUMBER, head=group, base=base))
    code = run.check(capsys, *(["--deepen"] if deepen else []))[0]
    if deepen:
        assert code == 0
        assert group_statuses(run, group)[-1][0] == "success"
    else:
        assert code == 2
        assert "pass --deepen" in run.err
        assert group_statuses(run, group)[-1][0] == "error"
