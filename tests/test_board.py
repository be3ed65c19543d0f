"""The board's agenda: open pull requests from a loopback GitHub, evaluated, riskiest first."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gate import board
from gate.main import main
from gate.report import agenda
from gate.report.records import Report, SignoffState, SystemResult, VersionChange, Violation
from testing.fakegithub import REPO, FakeGitHub
from testing.gitrepo import GitRepo
from testing.infra import infra_repo, upgrade

MISSING = "ab" * 20


@pytest.fixture
def fake(monkeypatch):
    with FakeGitHub(max_per_page=2) as server:  # small pages: the listing must follow Link
        monkeypatch.setenv("GITHUB_API_URL", server.url)
        monkeypatch.setenv("GITHUB_TOKEN", "token")
        yield server


def pull_requests(repo: GitRepo, fake: FakeGitHub) -> dict[str, int]:
    """Four open pull requests on branches of `repo`, one whose head the clone lacks."""
    base = repo.git("rev-parse", "main")
    heads = {}
    repo.checkout("-b", "upgrade", "main")
    heads["upgrade"] = upgrade(repo)
    repo.checkout("-b", "tune", "main")
    heads["tune"] = repo.commit("tune", ("cookbooks/postgresql/recipe.rb", "# tuned\n"))
    repo.checkout("-b", "docs", "main")
    heads["docs"] = repo.commit("docs", ("README.md", "infra, documented\n"))
    numbers = {"docs": 3, "tune": 5, "upgrade": 7, "missing": 9}
    for name, number in numbers.items():
        pull = fake.add_pull(number, head=heads.get(name, MISSING), base=base, author="alice")
        pull["title"] = f"{name} <b>bold</b>"
    return numbers


def run(tmp_path: Path, repo: GitRepo, *extra: str) -> int:
    return main(
        [
            "board",
            "--github-repo",
            REPO,
            "--git",
            str(repo.path),
            "--html",
            str(tmp_path / "agenda.html"),
            "--markdown",
            str(tmp_path / "agenda.md"),
            *extra,
        ]
    )


def test_the_agenda_lists_every_pull_request_riskiest_first(tmp_path, fake, capsys):
    repo = infra_repo(tmp_path / "repo")
    numbers = pull_requests(repo, fake)
    assert run(tmp_path, repo) == 2  # one could not be evaluated
    html = (tmp_path / "agenda.html").read_text(encoding="utf-8")
    markdown = (tmp_path / "agenda.md").read_text(encoding="utf-8")
    order = [numbers[n] for n in ("missing", "upgrade", "tune", "docs")]
    assert [int(n) for n in re.findall(r'data-pull="(\d+)"', html)] == order
    assert [int(n) for n in re.findall(r"^## \S+ \[#(\d+)", markdown, re.M)] == order
    assert len(fake.requests_to("GET", f"/repos/{REPO}/pulls$")) == 2  # two pages
    err = capsys.readouterr().err
    assert f"pull request #9: its head commit {MISSING} is not in the local clone" in err


def test_each_pull_request_shows_impact_owners_bumps_and_violations(tmp_path, fake):
    repo = infra_repo(tmp_path / "repo")
    pull_requests(repo, fake)
    run(tmp_path, repo)
    html = (tmp_path / "agenda.html").read_text(encoding="utf-8")
    card = re.search(r'<article class="card blocked" data-pull="7">.*?</article>', html)
    assert card is not None
    text = card.group(0)
    assert 'href="https://github.com/acme/infra/pull/7"' in text
    assert "#7 upgrade &lt;b&gt;bold&lt;/b&gt;" in text
    assert "<code>replica</code>" in text
    assert "<strong>backup</strong> (pg-dump-backup)" in text
    assert "postgresql 9.2.18 -&gt; 9.6.1 (major)" in text
    assert "does not satisfy &gt;=9.6" in text
    markdown = (tmp_path / "agenda.md").read_text(encoding="utf-8")
    assert "[#7](https://github.com/acme/infra/pull/7) `upgrade <b>bold</b>`" in markdown
    assert "- Major bumps: `postgresql` `9.2.18` -> `9.6.1` (major)" in markdown


def test_a_pull_request_that_cannot_be_evaluated_is_never_hidden(tmp_path, fake):
    repo = infra_repo(tmp_path / "repo")
    pull_requests(repo, fake)
    run(tmp_path, repo)
    html = (tmp_path / "agenda.html").read_text(encoding="utf-8")
    first = re.search(r"<article class=\"card (\w+)\" data-pull=\"(\d+)\">(.*?)</article>", html)
    assert first is not None
    assert first.group(1, 2) == ("error", "9")
    assert "could not evaluate:" in first.group(3)
    assert f"git -C {repo.path} fetch origin pull/9/head" in first.group(3)
    markdown = (tmp_path / "agenda.md").read_text(encoding="utf-8")
    assert "**could not evaluate:**\n\n```\nits head commit" in markdown
    assert '<span class="badge error" id="verdict">' in html


def test_a_full_agenda_exits_0(tmp_path, fake, capsys):
    repo = infra_repo(tmp_path / "repo")
    pull_requests(repo, fake)
    del fake.pulls[(REPO, 9)]
    assert run(tmp_path, repo) == 0
    assert "could not evaluate" not in (tmp_path / "agenda.md").read_text(encoding="utf-8")
    assert capsys.readouterr().err == ""


def test_without_files_the_markdown_goes_to_stdout(tmp_path, fake, capsys):
    repo = infra_repo(tmp_path / "repo")
    assert main(["board", "--github-repo", REPO, "--git", str(repo.path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# Change review board agenda: {REPO}")
    assert "No open pull requests." in out


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda p: p["head"].update(sha="HEAD"), "'head.sha' is 'HEAD', not a commit id"),
        (lambda p: p["head"].update(sha="--output=x"), "not a commit id"),
        (lambda p: p.pop("user"), "'user.login' is missing"),
        (lambda p: p["base"].pop("sha"), "'base.sha' is missing"),
    ],
)
def test_an_incomplete_answer_from_github_fails_that_pull_request(tmp_path, fake, edit, message):
    repo = infra_repo(tmp_path / "repo")
    head = upgrade(repo)
    edit(fake.add_pull(4, head=head, base=repo.git("rev-parse", "main")))
    assert run(tmp_path, repo) == 2
    assert message in (tmp_path / "agenda.md").read_text(encoding="utf-8")


def test_a_javascript_link_is_not_linked(tmp_path, fake):
    repo = infra_repo(tmp_path / "repo")
    head = upgrade(repo)
    pull = fake.add_pull(4, head=head, base=repo.git("rev-parse", "main"))
    pull["html_url"] = "javascript:alert(1)"
    run(tmp_path, repo)
    assert "javascript:" not in (tmp_path / "agenda.html").read_text(encoding="utf-8")
    assert "javascript:" not in (tmp_path / "agenda.md").read_text(encoding="utf-8")


def test_a_bad_map_at_the_base_fails_that_pull_request(tmp_path, fake):
    repo = infra_repo(tmp_path / "repo")
    head = upgrade(repo)
    fake.add_pull(4, head=head, base=repo.git("rev-parse", "main"))
    assert run(tmp_path, repo, "--map", "absent.yaml") == 2
    assert "there is no absent.yaml at the base commit" in (tmp_path / "agenda.md").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--github-repo", "not a repo"], "is not OWNER/NAME"),
        (["--github-repo", REPO, "--git", "/nonexistent/clone"], "is not a directory"),
    ],
)
def test_bad_arguments_are_errors(fake, capsys, args, message):
    assert main(["board", *args]) == 2
    assert message in capsys.readouterr().err


def test_github_failing_to_list_is_an_error_and_writes_nothing(tmp_path, fake, capsys):
    repo = infra_repo(tmp_path / "repo")
    fake.fail("GET", f"/repos/{REPO}/pulls$", status=404, times=None)
    assert run(tmp_path, repo) == 2
    assert "GitHub refused GET" in capsys.readouterr().err
    assert not (tmp_path / "agenda.html").exists()


def test_no_token_is_an_error(tmp_path, fake, monkeypatch, capsys):
    monkeypatch.delenv("GITHUB_TOKEN")
    repo = infra_repo(tmp_path / "repo")
    assert run(tmp_path, repo) == 2
    assert "GITHUB_TOKEN is not set" in capsys.readouterr().err


def result(
    sid: str, *, impacted: bool = False, violated: bool = False, major: bool = False
) -> SystemResult:
    violation = Violation(
        dependent=sid,
        dependency="x",
        requires=">=1",
        rule=">=1",
        version="0",
        dependency_version="1",
        already_at_base=False,
    )
    return SystemResult(
        id=sid,
        affected="impacted" if impacted else "touched",
        because=(("x", sid),) if impacted else (),
        owners=("team",),
        signoff=SignoffState(required=True, satisfied=False, rule="any", waiting_for=("team",)),
        violations=(violation,) if violated else (),
        version=VersionChange(before="1", after="2", bump="major") if major else None,
    )


def item(number: int, *systems: SystemResult, error: str | None = None) -> agenda.Item:
    report = Report(
        verdict="blocked",
        base="b" * 40,
        head="h" * 40,
        merge_base="b" * 40,
        map_source="m",
        map_sha256="0" * 64,
        changed=(),
        systems=systems,
        pending=tuple(s.id for s in systems),
        unmapped=(),
    )
    return agenda.Item(
        number=number,
        title="t",
        url="",
        author="a",
        base="b" * 40,
        head="h" * 40,
        report=None if error else report,
        error=error,
    )


@pytest.mark.parametrize(
    ("items", "order"),
    [
        ([item(1), item(2, error="boom")], [2, 1]),
        ([item(1, result("a", impacted=True)), item(2, result("b", violated=True))], [2, 1]),
        ([item(1, result("a")), item(2, result("b", impacted=True))], [2, 1]),
        ([item(1, result("a")), item(2, result("b", major=True))], [2, 1]),
        ([item(1, result("a")), item(2, result("a"), result("b"))], [2, 1]),
        ([item(2, result("a")), item(1, result("a"))], [1, 2]),
    ],
)
def test_risk_order(items, order):
    assert [i.number for i in board.ordered(items)] == order


def test_the_time_is_given_in_utc(tmp_path, fake):
    repo = infra_repo(tmp_path / "repo")
    out = tmp_path / "agenda.md"
    moment = datetime(2017, 1, 31, 23, 0, tzinfo=UTC)
    code = board.board(
        github_repo=REPO,
        repo=str(repo.path),
        map_path="dependency-map.yaml",
        map_file=None,
        html=None,
        markdown=str(out),
        gate_identity="github-actions[bot]",
        now=moment,
    )
    assert code == 0
    assert "Generated 2017-01-31T23:00:00Z" in out.read_text(encoding="utf-8")


def test_approving_reviews_by_owners_count(tmp_path, fake):
    repo = infra_repo(tmp_path / "repo")
    base = repo.git("rev-parse", "main")
    first = upgrade(repo, "9.6.0")
    head = upgrade(repo)
    fake.add_pull(7, head=head, base=base, author="alice")
    fake.add_review(7, "carol", "APPROVED", commit=head)  # backup: counts
    fake.add_review(7, "dave", "APPROVED", commit=first)  # sre, but for an older commit
    fake.add_review(7, "alice", "APPROVED", commit=head)  # dba, but the author
    assert run(tmp_path, repo) == 0
    markdown = (tmp_path / "agenda.md").read_text(encoding="utf-8")
    [waiting] = [line for line in markdown.splitlines() if line.startswith("- Waiting for:")]
    assert waiting == (
        "- Waiting for: dba (postgresql, replica); sre (backup-alerts); @frank (replica)"
    )


def test_a_failing_review_listing_fails_only_that_pull_request(tmp_path, fake):
    repo = infra_repo(tmp_path / "repo")
    numbers = pull_requests(repo, fake)
    fake.fail("GET", f"/pulls/{numbers['tune']}/reviews$", status=404, times=None)
    assert run(tmp_path, repo) == 2
    html = (tmp_path / "agenda.html").read_text(encoding="utf-8")
    errors = re.findall(r'<article class="card error" data-pull="(\d+)">', html)
    assert sorted(int(n) for n in errors) == sorted([numbers["tune"], numbers["missing"]])
    assert len(re.findall(r"<article ", html)) == 4


def test_a_directory_that_is_no_clone_fails_each_pull_request(tmp_path, fake, capsys):
    repo = infra_repo(tmp_path / "repo")
    fake.add_pull(4, head=upgrade(repo), base=repo.git("rev-parse", "main"))
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["board", "--github-repo", REPO, "--git", str(empty)]) == 2
    out = capsys.readouterr().out
    assert "**could not evaluate:**\n\n```\ngit failed" in out
    assert "is a git repository" in out


@pytest.mark.parametrize("witnessed", [True, False])
def test_signoff_comments_count_on_the_agenda_as_the_gate_counts_them(
    tmp_path, fake, capsys, witnessed
):
    from gate.github.post import CONTEXT

    repo = infra_repo(tmp_path / "repo")
    base = repo.git("rev-parse", "main")
    head = repo.commit("page less", ("alerting/crontab", "MAILTO=oncall@example.com\n"))
    pull = fake.add_pull(4, head=head, base=base, author="alice")
    if witnessed:  # the gate on the pull request has run on this head before the comment
        fake.add_status(head, "failure", context=CONTEXT, target_url=pull["html_url"])
    fake.add_comment(4, "dave", "/signoff backup-alerts")
    assert run(tmp_path, repo) == 0
    markdown = (tmp_path / "agenda.md").read_text(encoding="utf-8")
    assert ("PASS" in markdown) is witnessed
    assert fake.requests_to("POST", r"/statuses/") == []  # the agenda only reads
