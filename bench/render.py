"""Benchmark: rendering a report of 200 affected systems, against baselines of the same run.

    .venv/bin/python bench/render.py [--systems 200] [--runs 25]

Prints the median time of each renderer on one synthetic report, and how many times the plain
text report (and json.dumps of the JSON report) that takes. Nothing is asserted: timings vary
by machine; compare the ratios.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from gate.git.diff import Changed
from gate.report.records import (
    Report,
    Signoff,
    SignoffState,
    SystemResult,
    VersionChange,
    Violation,
)

TOUCHED = 5
FIRST_RING = 60


def synthetic(count: int) -> Report:
    """A wide change: a few touched systems, each reaching a fan of dependents two levels deep."""
    head = "c" * 40
    results: list[SystemResult] = []
    edges: list[tuple[str, str]] = []
    for index in range(min(TOUCHED, count)):
        results.append(
            SystemResult(
                id=f"database-{index}",
                affected="touched",
                because=(),
                owners=("dba",),
                kind="database",
                version=VersionChange(before="15.4", after="16.1", bump="major"),
                signoff=SignoffState(
                    required=True,
                    satisfied=True,
                    rule="any",
                    by=(
                        Signoff(
                            system=f"database-{index}",
                            by="bob",
                            commit=head,
                            source="review",
                            at="2026-01-05T09:00:00Z",
                        ),
                    ),
                ),
            )
        )
    for index in range(count - len(results)):
        root = f"database-{index % TOUCHED}"
        chain: tuple[str, ...]
        if index < FIRST_RING:
            sid, chain = f"service-{index:03}", (root, f"service-{index:03}")
        else:
            parent = f"service-{index % FIRST_RING:03}"
            sid = f"consumer-of-service-{index:03}"
            chain = (root, parent, sid)
        edges.append((chain[-2], sid))
        violations: tuple[Violation, ...] = ()
        if index % 17 == 0:
            violations = (
                Violation(
                    dependent=sid,
                    dependency=chain[-2],
                    requires=">=16",
                    rule=">={major}",
                    version="15.2",
                    dependency_version="16.1",
                    already_at_base=False,
                    reason="the client must be at least the server's major version",
                ),
            )
        results.append(
            SystemResult(
                id=sid,
                affected="impacted",
                because=(chain,),
                owners=(f"team-{index % 12}",),
                kind="service",
                description="A service that reads from the database",
                violations=violations,
                signoff=SignoffState(
                    required=True, satisfied=False, rule="any", waiting_for=(f"team-{index % 12}",)
                ),
            )
        )
    return Report(
        verdict="blocked",
        base="a" * 40,
        head=head,
        merge_base="b" * 40,
        map_source="dependency-map.yaml@" + "a" * 40,
        map_sha256="0" * 64,
        changed=tuple(Changed(status="M", path=f"config/database-{i}.rb") for i in range(TOUCHED)),
        systems=tuple(results),
        pending=tuple(r.id for r in results if not r.signoff.satisfied),
        unmapped=(),
        edges=tuple(edges),
    )


def median_seconds(render: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=200)
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()

    import json

    from gate.report import html, text
    from gate.report import json as json_report

    report = synthetic(args.systems)
    html.render(report)  # warm up: the first call imports and compiles
    measured = {
        "text report (baseline)": median_seconds(lambda: text.render(report), args.runs),
        "json.dumps of the JSON report": median_seconds(
            lambda: json.dumps(json_report.document(report)), args.runs
        ),
        "html report (with SVG)": median_seconds(lambda: html.render(report), args.runs),
    }
    size = len(html.render(report).encode("utf-8"))
    baseline = measured["text report (baseline)"]
    print(f"{args.systems} systems, median of {args.runs} runs; html page {size / 1024:.0f} KiB")
    for name, seconds in measured.items():
        print(f"  {name:32} {seconds * 1000:8.2f} ms  {seconds / baseline:6.1f}x text")


if __name__ == "__main__":
    main()
