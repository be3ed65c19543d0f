"""The command line: argparse, the commands, and the one place outcomes become exit codes."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Sequence

from gate import DEFAULT_MAP_PATH, __version__
from gate.commands import (
    run_board,
    run_check,
    run_explain,
    run_graph,
    run_validate,
    run_verify_evidence,
)
from gate.errors import EXIT_CRASH, EXIT_ERROR, GateError
from gate.workflow_commands import stdout_is_a_pipe, stop_workflow_commands

FORMATS = ("text", "json", "markdown", "html")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command argv names (default: the process's arguments); the exit code."""
    options = vars(_parser().parse_args(argv))
    run = options.pop("run")
    del options["command"]
    wants_json = options.get("format") == "json"
    try:
        return int(run(**options))
    except GateError as error:
        _report_error(str(error), wants_json, options.get("output"))
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader of stdout went away (`gate check | head`): the report was not delivered in
        # full, which is no bug, and no pass.
        from gate.output import discard_stdout

        if sys.stdout is not None:  # None: started without one
            discard_stdout(sys.stdout)
        sys.stderr.write("gate: error: the output closed before the report was written in full\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _report_error("interrupted", wants_json, options.get("output"))
        return EXIT_ERROR
    except Exception:  # noqa: BLE001 -- the crash handler: any bug must exit 3, never 0
        import traceback

        sys.stderr.write(traceback.format_exc())
        sys.stderr.write(
            f"gate: crash: this is a bug in change-impact-gate {__version__}, not in your input."
            " Please report it with the traceback above.\n"
        )
        return EXIT_CRASH


def entry() -> None:
    """The installed `gate` command: main(), then exit at once with its code."""
    # One short run over a map of up to hundreds of thousands of objects: the cyclic collector
    # would walk them all, again and again, to free next to nothing before the process ends.
    gc.disable()
    resume = stop_workflow_commands(os.environ)
    try:
        code = main()
    except SystemExit as stop:  # how argparse ends --help, --version and usage errors
        code = stop.code if isinstance(stop.code, int) else EXIT_ERROR
    # Nor is the map freed object by object at the end, which takes a large map's check longer
    # than its report: every file the gate writes is closed by now, and what the standard
    # streams still hold is written here.
    try:
        if sys.stdout is not None:  # None: started with it closed, and nothing was written
            sys.stdout.flush()
    except OSError as error:
        sys.stderr.write(
            f"gate: error: the output could not be written in full: {error.strerror}\n"
        )
        code = EXIT_ERROR
    with contextlib.suppress(OSError):  # stderr is where it would be told: the exit code tells it
        if resume and not stdout_is_a_pipe():
            sys.stderr.write(resume)
        sys.stderr.flush()
    os._exit(code)


def _report_error(message: str, wants_json: bool, output: str | None) -> None:
    from gate.report.terminal_text import shown

    # A message may quote the change (a path, a version): its controls are shown, its lines kept.
    lines = "\n".join(map(shown, message.split("\n")))
    sys.stderr.write(f"gate: error: {lines}\n")
    if wants_json:
        from gate.output import write_text
        from gate.report.json import error_document

        try:
            write_text(error_document(message), output)
        except GateError as error:
            sys.stderr.write(f"gate: error: {error}\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gate",
        description="Stop a change until the owners of every system it affects have signed off.",
    )
    parser.add_argument("--version", action="version", version=f"gate {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="evaluate a change and exit with the verdict")
    _add_repo(check)
    check.add_argument("--base", help="base ref (default: the remote's default branch)")
    check.add_argument("--head", default="HEAD", help="head ref (default: HEAD)")
    _add_map(check)
    check.add_argument("--signoffs", metavar="FILE", help="sign-offs recorded outside GitHub")
    check.add_argument("--author", metavar="LOGIN", help="the change's author, who cannot sign off")
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--output", metavar="FILE", help="write the report here (default: stdout)")
    check.add_argument(
        "--deepen",
        action="store_true",
        help="in a shallow clone, fetch history from origin until the merge base is found",
    )
    check.add_argument(
        "--advisory",
        action="store_true",
        help="exit 0 when blocked (a pre-push hook, a rollout with --github); errors still exit 2",
    )
    check.add_argument(
        "--pre-push",
        action="store_true",
        help="as pre-commit's pre-push hook: check the commit being pushed (PRE_COMMIT_TO_REF),"
        " advisory",
    )
    check.add_argument(
        "--evidence", metavar="FILE", help="write a JSON evidence record of this evaluation"
    )
    check.add_argument(
        "--github",
        action="store_true",
        help="run as a GitHub Action: the pull request from the event, sign-offs from reviews"
        " and comments, the verdict back as a commit status, a comment and the job summary",
    )
    check.set_defaults(run=run_check)

    validate = commands.add_parser("validate", help="check a map and list every problem")
    _add_repo(validate)
    _add_map(validate)
    validate.set_defaults(run=run_validate)

    explain = commands.add_parser("explain", help="what a system depends on, what depends on it")
    explain.add_argument("system")
    _add_repo(explain)
    _add_map(explain)
    explain.add_argument("--base", help="with --head: why SYSTEM is affected by that change")
    explain.add_argument("--head", help="head ref, with --base")
    explain.set_defaults(run=run_explain)

    graph = commands.add_parser("graph", help="draw the map")
    _add_repo(graph)
    _add_map(graph)
    graph.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    graph.add_argument("--output", metavar="FILE")
    graph.set_defaults(run=run_graph)

    verify = commands.add_parser(
        "verify-evidence", help="re-check an evidence record's hash: is it intact?"
    )
    verify.add_argument("file")
    verify.set_defaults(run=run_verify_evidence)

    board = commands.add_parser(
        "board", help="the change review board's agenda: every open pull request, by risk"
    )
    board.add_argument(
        "--github-repo",
        "--repo",
        dest="github_repo",
        required=True,
        metavar="OWNER/NAME",
        help="the GitHub repository whose pull requests to list",
    )
    board.add_argument(
        "--git",
        default=".",
        metavar="PATH",
        help="a local clone of it to evaluate the changes in (default: .)",
    )
    _add_map(board)
    board.add_argument("--html", metavar="FILE", help="write the agenda as HTML")
    board.add_argument("--markdown", metavar="FILE", help="write the agenda as Markdown")
    board.add_argument(
        "--gate-identity",
        default="github-actions[bot]",
        metavar="LOGIN",
        help="the login that posts the gate's statuses (the App of `status-token`, if set);"
        " only its statuses show since when a head is current (default: github-actions[bot])",
    )
    board.set_defaults(run=run_board)

    demo = commands.add_parser("demo", help="replay the 2017 upgrade and watch the gate stop it")
    demo.set_defaults(run=_demo)
    return parser


def _add_repo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", default=".", help="the repository (default: .); bare works")


def _add_map(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--map",
        dest="map_path",
        type=_map_path,
        default=DEFAULT_MAP_PATH,
        metavar="PATH",
        help="the map's path in the repository (default: dependency-map.yaml)",
    )
    where.add_argument("--map-file", metavar="FILE", help="a map on disk, outside the change")


def _map_path(path: str) -> str:
    """`--map`: the map's path in the repository, which is also a path its owners own."""
    if not path or path[0].isspace() or path[-1].isspace():
        raise argparse.ArgumentTypeError(
            f"{path!r} starts or ends with whitespace (or is empty); name the map's file exactly"
        )
    if any(ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F for char in path):
        raise argparse.ArgumentTypeError(
            f"{path!r} contains a control character; name the map's file exactly"
        )
    return path


def _demo() -> int:
    from gate.demo import run

    if sys.stdout is None:
        raise GateError("stdout is closed, and the demo writes there; run it with stdout open")
    return run(sys.stdout, main)
