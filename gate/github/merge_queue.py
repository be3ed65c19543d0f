"""The --github mode on a merge group: the queued pull request's verdict, on the group's commit."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gate.errors import EXIT_BLOCKED, EXIT_PASS, GateError
from gate.github.actions import Actions
from gate.github.client import GitHub
from gate.github.connect import client, status_client
from gate.github.identity import Writers
from gate.github.payloads import PayloadError, PullRequest, Status, each
from gate.github.post import CONTEXT, MAX_DESCRIPTION
from gate.github.pull import fetch_commits, fetch_pull
from gate.github.signoffs import created_by

# GitHub names a merge group's branch gh-readonly-queue/<base branch>/pr-<number>-<commit>.
QUEUE_REF = re.compile(
    r"refs/heads/gh-readonly-queue/(?P<base>.+)/pr-(?P<number>[1-9][0-9]{0,17})"
    r"-(?:[0-9a-f]{40}|[0-9a-f]{64})"
)
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


@dataclass(frozen=True, kw_only=True)
class MergeGroup:
    """The merge_group event's group: its commit and ref, and the base it was built on."""

    action: str
    head: str
    head_ref: str
    base: str
    base_ref: str

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> MergeGroup:
        group = event.get("merge_group")
        if not isinstance(group, Mapping):
            raise PayloadError("the merge_group event lacks 'merge_group' (an object)")

        def text(key: str, *, commit: bool = False) -> str:
            value = group.get(key)
            if not isinstance(value, str) or (commit and _COMMIT.fullmatch(value) is None):
                kind = "a commit id" if commit else "a string"
                raise PayloadError(f"the merge_group event's 'merge_group.{key}' is not {kind}")
            return value

        action = event.get("action")
        return cls(
            action=action if isinstance(action, str) else "",
            head=text("head_sha", commit=True),
            head_ref=text("head_ref"),
            base=text("base_sha", commit=True),
            base_ref=text("base_ref"),
        )

    def pull_number(self) -> int:
        """The pull request the group was made for, as its ref names it."""
        match = QUEUE_REF.fullmatch(self.head_ref)
        if match is None:
            raise GateError(
                f"the merge group's ref {self.head_ref!r} names no pull request (GitHub names"
                " it refs/heads/gh-readonly-queue/BASE/pr-NUMBER-COMMIT), so the gate cannot"
                " tell which change it holds"
            )
        if f"refs/heads/{match['base']}" != self.base_ref:
            raise GateError(
                f"the merge group's ref {self.head_ref!r} is a queue for {match['base']!r}, but"
                f" the group merges into {self.base_ref!r}: the event contradicts itself"
            )
        return int(match["number"])


@dataclass(frozen=True, kw_only=True)
class Verdict:
    state: str  # success or failure
    line: str


def check_merge_group(actions: Actions, *, repo: str, deepen: bool, advisory: bool) -> int:
    """Post the gate's status on the group's commit, and exit with it (0, 1; an error: 2).

    The group passes when the pull request it was made for passed on its current head (the
    gate's own latest status there is `success`) and that head is the change the group holds.
    Nothing else is evaluated, and nothing but the status is written.
    """
    group = MergeGroup.from_event(actions.event)
    if group.action != "checks_requested":
        print(
            f"gate: the merge_group event is {group.action!r}, not 'checks_requested': GitHub"
            " asks for no checks, so nothing was posted"
        )
        return EXIT_PASS
    github = client(os.environ)
    writers = Writers(github=github, statuses=status_client(os.environ, github))
    target: str | None = None
    try:
        number = group.pull_number()
        gate = learn_identity(writers, actions.repository, group.head, number)
        pull = fetch_pull(github, actions.repository, number)
        target = pull.html_url
        if gate.lower() == pull.author.lower():
            raise GateError(
                f"the gate posts its statuses as {gate}, pull request #{number}'s author, who"
                " could have posted its `success` themselves, so the gate cannot decide; give"
                " the gate GITHUB_TOKEN, or a GitHub App's token (`status-token`)"
            )
        verdict = judge(github, pull, group, gate, repo=repo, deepen=deepen)
        post(writers.statuses, actions.repository, group.head, verdict.state, verdict.line, target)
    except GateError as error:
        fail(writers, actions.repository, group.head, target, str(error))
        raise
    except Exception as error:
        fail(writers, actions.repository, group.head, target, f"crashed ({type(error).__name__})")
        raise
    print(f"gate: merge group {group.head[:12]}: {verdict.state}: {verdict.line}")
    if verdict.state == "success":
        return EXIT_PASS
    if advisory:
        sys.stderr.write("gate: advisory: the merge group is blocked; the job passes anyway\n")
        return EXIT_PASS
    return EXIT_BLOCKED


def learn_identity(writers: Writers, repository: str, sha: str, number: int) -> str:
    """Post `pending` on the group's commit; the creator GitHub records is the gate's identity.

    As on a pull request (identity.announce): the status token's status comes last, and its
    creator is the one whose statuses vouch for a head.
    """
    line = f"checking pull request #{number}"
    creators = [post(c, repository, sha, "pending", line, None) for c in writers.status_clients()]
    return creators[-1]


def judge(
    github: GitHub, pull: PullRequest, group: MergeGroup, gate: str, *, repo: str, deepen: bool
) -> Verdict:
    """Whether the group holds the pull request's current head, and the gate passed that head."""
    number, head = pull.number, pull.head[:7]
    if pull.state != "open":
        return Verdict(state="failure", line=f"pull request #{number} is {pull.state}, not open")
    statuses = each(
        github.paginate(f"/repos/{pull.repository}/commits/{pull.head}/statuses"),
        Status.from_dict,
        "statuses",
    )
    # GitHub lists a commit's statuses newest first.
    vouches = created_by(gate)
    latest = next((s for s in statuses if s.context == CONTEXT and vouches(s)), None)
    if latest is None:
        return Verdict(
            state="failure",
            line=f"pull request #{number} has no {CONTEXT} status from {gate} on its head {head}",
        )
    if latest.state != "success":
        return Verdict(
            state="failure",
            line=f"pull request #{number} did not pass on its head {head}: the gate's latest"
            f" status there is {latest.state}",
        )
    from gate.git import merge, refs

    fetch_commits(repo, (group.base, group.head, pull.head), fetch=deepen)
    built = merge.read_commit(repo, group.head)
    passed = f"pull request #{number} passed on {head}"
    if pull.head in built.parents:
        return Verdict(state="success", line=f"{passed}, a parent of this group")
    refs.merge_base(repo, group.base, pull.head, deepen=deepen)
    merged = merge.merged_tree(repo, group.base, pull.head)
    if merged == built.tree:
        return Verdict(state="success", line=f"{passed}; the group is {head} on {group.base[:7]}")
    how = "does not merge cleanly onto" if merged is None else "merged onto"
    return Verdict(
        state="failure",
        line=f"the group is not pull request #{number}'s head {head}: not its child, and its"
        f" tree is not {head} {how} {group.base[:7]}",
    )


def post(
    github: GitHub, repository: str, sha: str, state: str, line: str, target: str | None
) -> str:
    """Post the gate's status on a commit; the creator GitHub records for it."""
    if len(line) > MAX_DESCRIPTION:
        line = line[: MAX_DESCRIPTION - 1] + "…"
    path = f"/repos/{repository}/statuses/{sha}"
    body = {"state": state, "context": CONTEXT, "description": line, "target_url": target}
    answer = github.post(path, body, idempotent=True)
    status = Status.created_object(answer, state=state, context=CONTEXT, what=f"POST {path}")
    return status.creator or ""  # created_object refuses an answer without a creator


def fail(writers: Writers, repository: str, sha: str, target: str | None, message: str) -> None:
    """On an error: `error` on the group's commit, with every token a verdict is posted with."""
    first = message.splitlines()[0] if message else "error"
    for github in writers.status_clients():
        try:
            post(github, repository, sha, "error", f"could not decide: {first}", target)
        except GateError as again:
            sys.stderr.write(f"gate: posting the error status failed too: {again}\n")
