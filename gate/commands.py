"""The commands `gate` runs: each takes the parsed options and returns the exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from gate.errors import EXIT_BLOCKED, EXIT_PASS, GateError


def run_check(
    *,
    repo: str,
    base: str | None,
    head: str,
    map_path: str,
    map_file: str | None,
    signoffs: str | None,
    author: str | None,
    format: str,
    output: str | None,
    deepen: bool,
    advisory: bool,
    pre_push: bool,
    evidence: str | None,
    github: bool,
) -> int:
    if pre_push:
        if github or head != "HEAD":
            raise GateError("--pre-push checks the commit being pushed; drop --github and --head")
        pushed = _pushed_commit(os.environ)
        if pushed is None:
            print("gate: the push deletes a branch: no change to check")
            return EXIT_PASS
        head, advisory = pushed, True
    if github:
        ignored = (
            ("--base", base is not None),
            ("--head", head != "HEAD"),
            ("--author", author is not None),
        )
        given = [option for option, is_set in ignored if is_set]
        if given:
            raise GateError(
                f"--github takes the base, head and author from the pull request event, and"
                f" its verdict is the status it posts; drop {', '.join(given)}"
            )
        from gate.github.mode import check_pull_request

        return check_pull_request(
            repo=repo,
            map_path=map_path,
            map_file=map_file,
            form=format,
            output=output,
            evidence=evidence,
            deepen=deepen,
            signoffs=signoffs,
            advisory=advisory,
        )
    from gate.check import Change, check
    from gate.output import write_text

    change = Change(
        repo=repo,
        base=base,
        head=head,
        map_path=map_path,
        map_file=map_file,
        signoffs=signoffs,
        author=author,
        deepen=deepen,
    )
    report = check(change)
    if evidence:
        from gate.evidence import with_evidence

        report = with_evidence(report, repo=repo, path=evidence)
    from gate.report.render import render

    write_text(render(report, format), output)
    if output is not None and output != "-":
        # The report went to a file: the log still shows the verdict, in one line.
        from gate.report.terminal_text import shown
        from gate.report.words import headline

        sys.stderr.write(f"gate: {headline(report)} The report is in {shown(output)}.\n")
    if advisory and report.exit_code == EXIT_BLOCKED:
        # Above this, pre-commit prints "Passed" for an advisory hook: say that it is not one.
        sys.stderr.write(
            "gate: advisory: BLOCKED, not passed: the push goes on, but the change cannot merge"
            " until the owners above sign off\n"
        )
        return EXIT_PASS
    return report.exit_code


def _pushed_commit(environ: Mapping[str, str]) -> str | None:
    """The commit pre-commit says is being pushed; None for a push that deletes a branch.

    Without PRE_COMMIT_TO_REF (an older pre-commit, or run by hand) it is HEAD.
    """
    from gate.git.refs import is_commit_id

    pushed = environ.get("PRE_COMMIT_TO_REF")
    if not pushed:
        return "HEAD"
    if not is_commit_id(pushed):
        raise GateError(
            f"PRE_COMMIT_TO_REF is {pushed[:80]!r}, not a full commit id; run the hook through"
            " pre-commit's pre-push stage, or check with --head REF"
        )
    return None if set(pushed) == {"0"} else pushed


def run_validate(*, repo: str, map_path: str, map_file: str | None) -> int:
    from gate.depmap.read import working_map
    from gate.output import write_text

    depmap = working_map(repo, map_path, map_file)
    edges = len(depmap.edges)
    write_text(
        f"{depmap.source}: ok: {len(depmap.systems)} systems, {edges} dependencies,"
        f" {len(depmap.teams)} teams\n",
        None,
    )
    return 0


def run_explain(
    *,
    system: str,
    repo: str,
    map_path: str,
    map_file: str | None,
    base: str | None,
    head: str | None,
) -> int:
    from gate.explain import explain
    from gate.output import write_text

    write_text(explain(repo, map_path, map_file, system, base, head), None)
    return 0


def run_graph(
    *,
    repo: str,
    map_path: str,
    map_file: str | None,
    format: str,
    output: str | None,
) -> int:
    from gate.depmap.read import working_map
    from gate.output import write_text
    from gate.report import mermaid

    depmap = working_map(repo, map_path, map_file)
    nodes = dict.fromkeys(depmap.systems, "")
    draw = mermaid.mermaid if format == "mermaid" else mermaid.dot
    write_text(draw(nodes, mermaid.map_arrows(depmap)), output)
    return 0


def run_verify_evidence(*, file: str) -> int:
    from gate.evidence import verify

    return verify(file)


def run_board(
    *,
    github_repo: str,
    git: str,
    map_path: str,
    map_file: str | None,
    html: str | None,
    markdown: str | None,
    gate_identity: str,
) -> int:
    from gate.board import board

    return board(
        github_repo=github_repo,
        repo=git,
        map_path=map_path,
        map_file=map_file,
        html=html,
        markdown=markdown,
        gate_identity=gate_identity,
    )
