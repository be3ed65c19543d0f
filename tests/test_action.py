"""action.yml and the example workflow: their security rules; the steps run as a runner would."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from testing import fakegithub
from testing.fakegithub import REPO, FakeGitHub
from testing.infra import infra_repo

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "examples" / "github" / "change-impact-gate.yml"
REVIEW = ROOT / "examples" / "github" / "change-impact-gate-review.yml"
FOLLOW_UP = ROOT / "examples" / "github" / "change-impact-gate-follow-up.yml"
FILES = [ACTION, WORKFLOW, REVIEW, FOLLOW_UP]
FILE_IDS = ["action", "workflow", "review", "follow-up"]
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load(path: Path) -> dict[Any, Any]:
    """The file as GitHub reads it: YAML 1.2 (`on` is a key), a key written twice refused."""
    from gate.depmap.strict_yaml import parse, plain

    document = plain(parse(path.read_bytes(), str(path)))
    assert isinstance(document, dict)
    return document


def steps_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    if "runs" in document:
        steps: list[dict[str, Any]] = document["runs"]["steps"]
        return steps
    return [step for job in document["jobs"].values() for step in job["steps"]]


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_no_expression_inside_a_run_script(path):
    for step in steps_of(load(path)):
        assert "${{" not in step.get("run", ""), step.get("name")


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_every_uses_is_pinned_to_a_full_commit(path):
    uses = [step["uses"] for step in steps_of(load(path)) if "uses" in step]
    assert uses
    for use in uses:
        assert PINNED.fullmatch(use), use
    for line in path.read_text().splitlines():
        if re.match(r"\s*(- )?uses:", line):
            assert re.search(r"@[0-9a-f]{40} # v\d", line), f"no version comment: {line}"


def test_the_workflow_asks_for_minimal_permissions_and_the_right_events():
    workflow = load(WORKFLOW)
    assert workflow["permissions"] == {
        "contents": "read",
        "pull-requests": "write",
        "statuses": "write",
    }
    assert set(workflow["on"]) == {
        "pull_request_target",
        "pull_request_review",
        "issue_comment",
        "merge_group",
    }
    assert workflow["on"]["merge_group"] == {"types": ["checks_requested"]}
    for job in workflow["jobs"].values():
        assert "permissions" not in job
        for step in job["steps"]:
            # Checking out the pull request's head under pull_request_target would run it with
            # a write token: the checkout must stay on the base.
            assert "ref" not in step.get("with", {}), step


@pytest.mark.parametrize("path", [WORKFLOW, FOLLOW_UP], ids=["workflow", "follow-up"])
def test_no_checkout_leaves_a_token_in_the_workspace(path):
    checkouts = [
        s for s in steps_of(load(path)) if s.get("uses", "").startswith("actions/checkout@")
    ]
    assert checkouts
    for step in checkouts:
        assert step["with"]["persist-credentials"] is False
        assert "ref" not in step["with"]  # the base, never the pull request's head


def test_the_fork_review_workflow_holds_no_token_and_checks_out_nothing():
    review = load(REVIEW)
    assert set(review["on"]) == {"pull_request_review"}
    assert review["permissions"] == {}
    assert not [s for s in steps_of(review) if "checkout" in s.get("uses", "")]
    follow_up = load(FOLLOW_UP)
    assert follow_up["on"]["workflow_run"]["workflows"] == [review["name"]]
    gate_job = follow_up["jobs"]["gate"]
    # The follow-up's runs queue with the main workflow's runs for the same pull request.
    assert gate_job["concurrency"]["group"] == (
        "change-impact-gate-${{ needs.number.outputs.number }}"
    )
    assert load(WORKFLOW)["concurrency"]["group"].startswith("change-impact-gate-${{")


@pytest.mark.parametrize(
    ("recorded", "number"),
    [
        ("7\n", "7"),
        ("12345\n", "12345"),
        ("", None),
        ("0\n", None),
        ("7\nnumber=8\n", None),
        ("7 8\n", None),
        ("$(touch pwned)\n", None),
        ("99999999999999999999\n", None),
        ("-1\n", None),
    ],
)
def test_the_follow_up_takes_only_a_number_from_the_review_run(tmp_path, recorded, number):
    # The review run belongs to the pull request's author: what it recorded is hostile.
    step = next(s for s in load(FOLLOW_UP)["jobs"]["number"]["steps"] if s.get("id") == "number")
    recorded_file = tmp_path / "number"
    recorded_file.write_text(recorded)
    outputs = tmp_path / "outputs"
    outputs.write_text("")
    script = tmp_path / "step.sh"
    script.write_text(step["run"])
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=tmp_path,
        env={"PATH": SYSTEM_PATH, "FILE": str(recorded_file), "GITHUB_OUTPUT": str(outputs)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert not (tmp_path / "pwned").exists()
    if number is None:
        assert done.returncode != 0
        assert outputs.read_text() == ""
    else:
        assert done.returncode == 0, done.stderr
        assert outputs.read_text() == f"number={number}\n"


def test_inputs_reach_the_scripts_only_through_env():
    action = load(ACTION)
    declared = set(action["inputs"])
    used: set[str] = set()
    for step in action["runs"]["steps"]:
        for value in step.get("env", {}).values():
            for expression in EXPRESSION.findall(str(value)):
                name = expression.removeprefix("inputs.")
                assert name in declared, expression
                used.add(name)
    assert used == declared - {"python-version"}
    assert action["runs"]["using"] == "composite"
    assert {"verdict", "affected", "pending"} == set(action["outputs"])
    install = next(
        s for s in action["runs"]["steps"] if s.get("name") == "Install change-impact-gate"
    )
    assert '"$GITHUB_ACTION_PATH"' in install["run"]


class Runner:
    """Runs action.yml's `run:` steps like the Actions runner: env, bash, GITHUB_PATH, outputs."""

    def __init__(self, tmp_path: Path, fake: FakeGitHub, workspace: Path) -> None:
        self.tmp = tmp_path
        self.workspace = workspace
        self.files = {
            name: tmp_path / f"{name.lower()}.txt"
            for name in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_PATH", "GITHUB_ENV")
        }
        self.base = {
            "HOME": str(tmp_path),
            "LANG": "C.UTF-8",
            "GITHUB_API_URL": fake.url,
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_WORKSPACE": str(workspace),
            "RUNNER_TEMP": str(tmp_path),
            "GATE_GITHUB_BACKOFF": "0.01",
        }

    def run(
        self, event_name: str, event: dict[str, Any], inputs: dict[str, str], path: str
    ) -> tuple[int, dict[str, str], str]:
        event_path = self.tmp / "event.json"
        event_path.write_text(json.dumps(event))
        action = load(ACTION)
        values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
        values.update(inputs)
        for file in self.files.values():
            file.write_text("")
        outputs: dict[str, dict[str, str]] = {}
        code = 0
        log = ""
        for step in action["runs"]["steps"]:
            if "run" not in step or not self._wanted(step.get("if"), values):
                continue
            env = {
                **self.base,
                **{name: str(file) for name, file in self.files.items()},
                "GITHUB_EVENT_NAME": event_name,
                "GITHUB_EVENT_PATH": str(event_path),
                "PATH": os.pathsep.join([*self._added_paths(), path]),
            }
            for name, value in step.get("env", {}).items():
                env[name] = EXPRESSION.sub(
                    lambda m: values[m.group(1).removeprefix("inputs.")], str(value)
                )
            self.files["GITHUB_OUTPUT"].write_text("")
            script = self.tmp / "step.sh"
            script.write_text(step["run"])
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=self.workspace,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            log += done.stdout + done.stderr
            if "id" in step:
                outputs[step["id"]] = parse_outputs(self.files["GITHUB_OUTPUT"].read_text())
            if done.returncode != 0:
                code = done.returncode
                break
        results: dict[str, str] = {
            name: EXPRESSION.sub(lambda m: _step_output(outputs, m.group(1)), spec["value"])
            for name, spec in action["outputs"].items()
        }
        return code, results, log

    def _added_paths(self) -> list[str]:
        return list(reversed(self.files["GITHUB_PATH"].read_text().split()))

    @staticmethod
    def _wanted(condition: str | None, values: dict[str, str]) -> bool:
        if condition is None:
            return True
        match = re.fullmatch(r"inputs\.([\w-]+) == '([^']*)'", condition)
        assert match, f"the test runner cannot evaluate: {condition}"
        return values[match.group(1)] == match.group(2)


def _step_output(outputs: dict[str, dict[str, str]], expression: str) -> str:
    _, step, _, name = expression.split(".")
    return outputs.get(step, {}).get(name, "")


def parse_outputs(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        name, delimiter = line.split("<<", 1)
        values[name] = "\n".join(iter(lambda: next(lines), delimiter))
    return values


VENV_BIN = str(Path(sys.executable).parent)
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"


@pytest.fixture
def setup(tmp_path):
    with FakeGitHub() as fake:
        repo = infra_repo(tmp_path / "workspace")
        head = repo.commit("page less", ("alerting/crontab", "MAILTO=oncall@example.com\n"))
        pull = fake.add_pull(7, head=head, base=repo.git("rev-parse", "main"), author="alice")
        yield fake, repo, head, pull, Runner(tmp_path, fake, repo.path)


def test_the_action_blocks_then_passes_through_its_own_steps(setup):
    fake, _, head, pull, runner = setup
    inputs = {"token": "action-token", "install": "false"}
    event = fakegithub.pull_request_event(pull)
    code, outputs, log = runner.run(
        "pull_request_target", event, inputs, VENV_BIN + ":" + SYSTEM_PATH
    )
    assert code == 1, log
    assert outputs == {
        "verdict": "blocked",
        "affected": '["backup-alerts"]',
        "pending": '["backup-alerts"]',
    }
    review = fake.add_review(7, "dave", "APPROVED", commit=head)
    code, outputs, log = runner.run(
        "pull_request_review",
        fakegithub.review_event(pull, review),
        inputs,
        VENV_BIN + ":" + SYSTEM_PATH,
    )
    assert code == 0, log
    assert outputs["verdict"] == "pass"
    assert fake.posted_statuses()[-1]["state"] == "success"
    assert {r.headers["authorization"] for r in fake.requests} == {"Bearer action-token"}
    assert "PASS" in runner.files["GITHUB_STEP_SUMMARY"].read_text()


def test_inputs_are_data_not_shell(setup, tmp_path):
    _fake, _, _, pull, runner = setup
    marker = tmp_path / "pwned"
    inputs = {"install": "false", "map": f"$(touch {marker})", "token": "t"}
    code, outputs, log = runner.run(
        "pull_request_target",
        fakegithub.pull_request_event(pull),
        inputs,
        VENV_BIN + ":" + SYSTEM_PATH,
    )
    assert code == 2, log
    assert not marker.exists()
    assert outputs["verdict"] == "error"
    assert "$(touch" in log


@pytest.mark.skipif(
    shutil.which("gate", path=SYSTEM_PATH) is not None, reason="a gate is installed system-wide"
)
def test_install_false_without_a_gate_fails_closed(setup):
    _, _, _, pull, runner = setup
    code, outputs, log = runner.run(
        "pull_request_target",
        fakegithub.pull_request_event(pull),
        {"install": "false"},
        SYSTEM_PATH,
    )
    assert code == 2
    assert "no gate is on PATH" in log
    assert outputs["verdict"] == ""


@pytest.mark.parametrize(("advisory", "code"), [("true", 0), ("false", 1), ("yes", 2)])
def test_the_advisory_input_passes_a_blocked_job_and_nothing_else(setup, advisory, code):
    fake, _, _, pull, runner = setup
    inputs = {"token": "t", "install": "false", "advisory": advisory}
    event = fakegithub.pull_request_event(pull)
    got, outputs, log = runner.run(
        "pull_request_target", event, inputs, VENV_BIN + ":" + SYSTEM_PATH
    )
    assert got == code, log
    if code != 2:
        assert outputs["verdict"] == "blocked"  # the verdict is the same either way
        assert fake.posted_statuses()[-1]["state"] == "failure"
