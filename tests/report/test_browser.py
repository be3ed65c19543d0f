"""The HTML report and the board's agenda as a person sees them: in a real headless Chromium.

The browser is driven over the DevTools protocol on a pipe (--remote-debugging-pipe): no
network port, no driver download. Set GATE_SCREENSHOTS=DIR to keep the screenshots (the
README's come from scripts/screenshots, which does that).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from gate.main import main
from testing.fakegithub import REPO, FakeGitHub
from testing.gitrepo import GitRepo

CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 1280, 2000
TIMEOUT = 30.0

if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
    pytest.skip(
        f"{CHROMIUM} is absent (apt-get install chromium); CI always runs these tests",
        allow_module_level=True,
    )


class Browser:
    """One headless Chromium, spoken to in DevTools protocol messages separated by NUL bytes."""

    def __init__(self, profile: Path) -> None:
        if not os.path.exists(CHROMIUM):
            pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium package")
        to_browser, self._writer = os.pipe()
        self._reader, from_browser = os.pipe()
        # Chromium reads commands on fd 3 and answers on fd 4; the pipes are lifted above 4
        # first so that moving them into place cannot clobber one another.
        ends = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser, from_browser)]

        def into_place() -> None:
            os.dup2(ends[0], 3)
            os.dup2(ends[1], 4)

        self.process = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--mute-audio",
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=into_place,
            pass_fds=(3, 4),
        )
        for fd in (to_browser, from_browser, *ends):
            os.close(fd)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        targets = self.send("Target.getTargets")["targetInfos"]
        page = next(t["targetId"] for t in targets if t["type"] == "page")
        self.session = self.send("Target.attachToTarget", targetId=page, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=True)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def send(self, method: str, *, session: bool = False, **params: Any) -> Any:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._writer, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise AssertionError(f"{method} failed: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, event: str) -> dict[str, Any]:
        while True:
            for index, seen in enumerate(self.events):
                if seen.get("method") == event:
                    return self.events.pop(index)
            self.events.append(self._receive())

    def _receive(self) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._reader], [], [], max(left, 0))
            if not ready:
                raise AssertionError(f"Chromium did not answer within {TIMEOUT:g} s")
            chunk = os.read(self._reader, 1 << 20)
            if not chunk:
                raise AssertionError("Chromium closed the pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def open(self, path: Path) -> None:
        self.send("Page.navigate", session=True, url=path.as_uri())
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True
        )
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def screenshot(self, path: Path) -> bytes:
        """The top of the page, at most one window high and no taller than the page."""
        tall = self.evaluate("Math.ceil(document.body.getBoundingClientRect().bottom) + 24")
        clip = {"x": 0, "y": 0, "width": WIDTH, "height": min(tall, HEIGHT), "scale": 1}
        shot = self.send("Page.captureScreenshot", session=True, format="png", clip=clip)
        data = base64.b64decode(shot["data"])
        path.write_bytes(data)
        return data

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and failed loads the page has caused so far."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(str(params["exceptionDetails"]))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(str(params.get("args")))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(params["entry"]["text"])
            elif method == "Network.loadingFailed":
                found.append(f"failed to load: {params}")
        return found

    def requested(self) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def close(self) -> None:
        with contextlib.suppress(AssertionError):  # it may close the pipe before answering
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._writer)
        os.close(self._reader)


@pytest.fixture
def browser(tmp_path):
    opened = Browser(tmp_path / "profile")
    yield opened
    opened.close()


def demo_repository(path: Path) -> GitRepo:
    """The demo's infrastructure (the 2017 incident) on main, as a pull request would see it."""
    with resources.as_file(resources.files("gate.demo") / "files") as files:
        shutil.copytree(files, path)
    repo = GitRepo(path)
    repo.commit("Baseline: PostgreSQL 9.2, nightly pg_dump backup")
    return repo


def edit(repo: GitRepo, relpath: str, old: str, new: str) -> None:
    target = repo.path / relpath
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new), encoding="utf-8")


def upgrade(repo: GitRepo) -> str:
    edit(repo, "config/software/postgresql.rb", '"9.2.18"', '"9.6.1"')
    return repo.commit("Upgrade PostgreSQL to 9.6.1")


def keep(*shots: Path) -> None:
    directory = os.environ.get("GATE_SCREENSHOTS")
    if directory:
        for shot in shots:
            shutil.copy(shot, Path(directory) / shot.name)


PNG = b"\x89PNG\r\n\x1a\n"


def test_the_report_renders_in_a_browser(tmp_path, browser):
    repo = demo_repository(tmp_path / "infra")
    repo.checkout("-b", "upgrade-postgresql")
    head = upgrade(repo)
    ledger = tmp_path / "signoffs.yml"
    ledger.write_text(
        f'- {{system: postgresql-primary, by: bob, commit: "{head}", note: "tested on staging"}}\n'
        f'- {{system: backup-upload, by: carol, commit: "{head}"}}\n'
        f'- {{system: postgresql-replica, by: alice, commit: "{head}"}}\n'
    )
    page, record = tmp_path / "report.html", tmp_path / "evidence.json"
    code = main(
        [
            "check",
            "--repo",
            str(repo.path),
            "--base",
            "main",
            "--author",
            "alice",
            "--signoffs",
            str(ledger),
            "--format",
            "html",
            "--output",
            str(page),
            "--evidence",
            str(record),
        ]
    )
    assert code == 1

    browser.open(page)
    assert browser.problems() == []
    assert browser.requested() == [page.as_uri()]  # nothing but the page itself is loaded
    verdict = browser.evaluate(
        "(() => { const v = document.getElementById('verdict');"
        " const r = v.getBoundingClientRect(); const s = getComputedStyle(v);"
        " return {text: v.innerText, top: r.top, height: r.height, visible: s.visibility,"
        " display: s.display, headline: document.querySelector('h1').innerText}; })()"
    )
    assert verdict["text"] == "BLOCKED"
    assert verdict["display"] != "none"
    assert verdict["visible"] == "visible"
    assert 0 <= verdict["top"] < 200
    assert verdict["height"] > 10
    assert "1 version requirement violated" in verdict["headline"]
    nodes = browser.evaluate(
        "[...document.querySelectorAll('svg.impact g.node')].map(g => {"
        " const r = g.getBoundingClientRect(); return [g.dataset.system, r.width, r.height]; })"
    )
    systems = browser.evaluate(
        "[...document.querySelectorAll('tr.system .sys-name')].map(e => e.innerText)"
    )
    assert sorted(n[0] for n in nodes) == sorted(systems)
    assert len(systems) == 7
    assert all(width > 100 and height > 30 for _, width, height in nodes)
    digest = json.loads(record.read_text(encoding="utf-8"))["sha256"]
    assert browser.evaluate("document.getElementById('evidence-sha256').innerText") == digest

    shot = browser.screenshot(tmp_path / "report.png")
    assert shot.startswith(PNG)

    # Printing opens every folded list, so the printed copy hides nothing.
    browser.send("Page.printToPDF", session=True)
    assert browser.evaluate("[...document.querySelectorAll('details')].every(d => d.open)")
    assert browser.problems() == []
    keep(tmp_path / "report.png")


def test_the_board_renders_in_a_browser(tmp_path, browser, monkeypatch):
    repo = demo_repository(tmp_path / "infra")
    base = repo.head()
    heads = {}
    repo.checkout("-b", "upgrade-postgresql", "main")
    heads[12] = upgrade(repo)
    repo.checkout("-b", "upgrade-with-client", "main")
    upgrade(repo)
    edit(repo, "backup/backup.yml", 'client_version: "9.2.18"', 'client_version: "9.6.1"')
    heads[14] = repo.commit("Upgrade the backup's pg_dump client to 9.6.1")
    repo.checkout("-b", "relay-tls", "main")
    edit(
        repo, "mail/relay.cf", "relayhost = [smtp.internal]:587", "relayhost = [smtp.internal]:465"
    )
    heads[15] = repo.commit("Relay over implicit TLS")
    repo.checkout("-b", "runbook", "main")
    heads[16] = repo.commit("Runbook", ("docs/runbook.md", "# Restoring a backup\n"))
    titles = {
        12: ("Upgrade PostgreSQL to 9.6.1", "alice"),
        14: ("Upgrade PostgreSQL and the pg_dump client to 9.6.1", "alice"),
        15: ("Relay outbound mail over implicit TLS", "dave"),
        16: ("Write the restore runbook", "erin"),
        17: ("Keep disk snapshots for 14 days", "erin"),
    }
    with FakeGitHub() as fake:
        monkeypatch.setenv("GITHUB_API_URL", fake.url)
        monkeypatch.setenv("GITHUB_TOKEN", "token")
        fake.add_review(14, "bob", "APPROVED", commit=heads[14])  # dba
        fake.add_review(14, "carol", "APPROVED", commit=heads[14])  # backup
        for number, (title, author) in titles.items():
            pull = fake.add_pull(number, head=heads.get(number, "f" * 40), base=base, author=author)
            pull["title"] = title
        page = tmp_path / "board.html"
        monkeypatch.chdir(tmp_path)  # the clone as a board member would name it: infra
        code = main(["board", "--github-repo", REPO, "--git", "infra", "--html", str(page)])
    assert code == 2  # #17's head is not in the clone

    browser.open(page)
    assert browser.problems() == []
    assert browser.requested() == [page.as_uri()]
    cards = browser.evaluate(
        "[...document.querySelectorAll('article.card')].map(c => [c.dataset.pull, c.className,"
        " c.querySelector('h3 a').href, c.getBoundingClientRect().height])"
    )
    assert [c[0] for c in cards] == ["17", "12", "14", "15", "16"]
    assert cards[0][1] == "card error"
    assert cards[1][2] == f"https://github.com/{REPO}/pull/12"
    assert all(height > 40 for *_, height in cards)
    assert "could not evaluate" in browser.evaluate(
        "document.querySelector('article.card').innerText"
    )
    assert browser.screenshot(tmp_path / "board.png").startswith(PNG)
    keep(tmp_path / "board.png")


def test_a_hostile_file_name_runs_no_script_in_the_report(tmp_path, browser):
    repo = demo_repository(tmp_path / "infra")
    repo.checkout("-b", "upgrade-postgresql")
    upgrade(repo)
    names = [
        "<img src=x onerror=window.pwned=1>",
        '"><script>window.pwned=2</script>',
        "<svg onload=window.pwned=3>",
        "evil\u202etxt.exe",
    ]
    repo.commit("odd names", *((name, "x\n") for name in names))
    page = tmp_path / "report.html"
    args = ["--repo", str(repo.path), "--base", "main", "--format", "html", "--output", str(page)]
    code = main(["check", *args])
    assert code == 1

    browser.open(page)
    assert browser.problems() == []
    assert browser.requested() == [page.as_uri()]
    assert browser.evaluate("typeof window.pwned") == "undefined"
    assert browser.evaluate("document.querySelectorAll('img, script:not(head script)').length") == 0
    paths = browser.evaluate(
        "[...document.querySelectorAll('#change tbody tr')].map(r => r.children[1].innerText)"
    )
    assert sorted(paths) == sorted(
        [*names[:3], "evil\\u202etxt.exe", "config/software/postgresql.rb"]
    )
