"""The benchmark: `python -m bench` measures the gate against its floor and its peers.

Prints a table of ratios; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import compileall
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import gate
from bench import cases
from bench.plan import FULL, scaled
from bench.repository import inputs
from bench.timing import Sample

SECTIONS = ("e2e", "matching", "impact", "cold", "memory")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds of each (default 7)")
    parser.add_argument(
        "--scale", type=int, default=1, metavar="N", help="inputs 1/N of the full size"
    )
    parser.add_argument(
        "--only", choices=SECTIONS, action="append", help="run only these sections (repeatable)"
    )
    args = parser.parse_args(argv)
    sections = set(args.only or SECTIONS)
    sizes = FULL if args.scale == 1 else scaled(args.scale)
    started = time.perf_counter()
    made = inputs(sizes)
    # The gate as an installation runs it: from bytecode, whatever PYTHONDONTWRITEBYTECODE says.
    compileall.compile_dir(str(Path(gate.__file__).parent), quiet=1)
    took = time.perf_counter() - started
    origin = "generated" if made.seconds and took > 1 else "from the cache"
    print(
        f"inputs {origin} ({made.seconds:.1f}s to generate): {sizes.files:,} files, "
        f"{sizes.commits} commits, {sizes.systems:,} systems, {sizes.edges:,} edges, "
        f"{sizes.patterns:,} patterns; pull requests of "
        f"{', '.join(f'{size:,}' for size in sizes.pull_requests)} files\n  {made.directory}"
    )
    rows: list[cases.Row] = []
    imports: list[tuple[str, float, bool]] = []
    used: list[tuple[str, int, int]] = []
    with cases.scratch_directory() as directory:
        scratch = Path(directory)
        if "e2e" in sections:
            rows += cases.end_to_end(made, args.rounds, scratch)
        if "matching" in sections:
            rows += cases.matching(made, max(3, args.rounds // 2))
        if "impact" in sections:
            rows += cases.impact(args.rounds)
        if "cold" in sections:
            cold, imports = cases.cold_start(args.rounds, scratch)
            rows += cold
        if "memory" in sections:
            used = cases.memory(made, scratch)
    print()
    print(table(rows, args.rounds))
    if imports:
        print("\nimport time, each from a fresh interpreter (python -X importtime):")
        for module, seconds, imported in imports:
            use = "imported by a 1-file check" if imported else "not imported by a 1-file check"
            print(f"  {module:24} {seconds * 1000:7.1f}ms  {use}")
    if used:
        print("\npeak memory (max RSS):")
        for name, kib, floor in used:
            print(f"  {name:58} {kib / 1024:7.1f} MiB  ({kib / floor:.1f}x git diff's)")
    missed = [row for row in rows if row.met is False]
    if args.scale != 1:
        print(f"\ntargets are for the full size; at 1/{args.scale} they are shown, not enforced")
        return 0
    if missed:
        print(f"\nMISSED: {', '.join(f'{row.section}: {row.name}' for row in missed)}")
        return 1
    print("\nevery target met")
    return 0


def table(rows: list[cases.Row], rounds: int) -> str:
    """Rows grouped by section: the gate's time, the baseline's, the ratio and the target."""
    lines = [
        f"median [min-max] of {rounds} rounds (matching: fewer); ratio = gate / baseline",
        "",
        f"{'':40} {'gate':>24} {'baseline':>24} {'ratio':>8}  target",
    ]
    section = ""
    for row in rows:
        if row.section != section:
            section = row.section
            lines.append(f"{section}  (baseline: {row.baseline_name})")
        target = ""
        if row.limit is not None:
            word = "ok" if row.met else "MISSED"
            target = (
                f"<= {row.limit:g}x  {word}"
                if row.limit >= 1
                else f">= {1 / row.limit:g}x faster  {word}"
            )
        ratio = f"{row.ratio:.2f}x" if row.ratio >= 0.1 else f"1/{1 / row.ratio:.0f}"
        lines.append(
            f"  {row.name:38} {_cell(row.gate):>24} {_cell(row.baseline):>24} {ratio:>8}  {target}"
        )
        if row.note:
            lines.append(f"    {row.note}")
    return "\n".join(lines)


def _cell(sample: Sample) -> str:
    return sample.text()


if __name__ == "__main__":
    sys.exit(main())
