"""The Markdown report: what a pull-request comment or a job summary carries."""

from __future__ import annotations

from gate.report.markdown_text import code, fence, plain
from gate.report.mermaid import mermaid
from gate.report.records import Report, SystemResult, VersionChange, Violation
from gate.report.words import (
    NO_SYSTEM,
    NOT_COUNTED,
    VIOLATED,
    WHY_AFFECTED,
    counted,
    headline,
    icon,
    unsignable_sentence,
    version_phrase,
    violation_sentence,
)

# What the pull-request comment shares with this report.
VIOLATED_HEADING = f"**{VIOLATED}** (these block whatever the sign-offs say):"


def render(report: Report) -> str:
    lines = [title(report), ""]
    lines.append(
        f"Change `{report.merge_base[:12]}..{report.head[:12]}`,"
        f" {counted(len(report.changed), 'changed path')}; map {code(report.map_source)}."
    )
    if not report.systems:
        lines += ["", NO_SYSTEM]
    else:
        lines += [
            "",
            "| | system | affected | owners | version | sign-off |",
            "|---|---|---|---|---|---|",
        ]
        lines += [_row(result) for result in report.systems]
    violations = [v for result in report.systems for v in result.violations]
    if violations:
        lines += ["", VIOLATED_HEADING, ""]
        lines += [f"- {violation_line(v)}" for v in violations]
    chains = [(r.id, chain) for r in report.systems for chain in r.because]
    if chains:
        lines += ["", f"<details><summary>{WHY_AFFECTED}</summary>", ""]
        lines += [f"- {code(' → '.join(chain))}" for _, chain in chains]
        lines += ["", "</details>"]
    lines += impact_graph(report)
    if report.unmapped:
        lines += ["", f"**Unmapped files** (policy `{report.unmapped_policy}`):", ""]
        lines += [f"- {code(path)}" for path in report.unmapped]
    if report.ignored:
        lines += ["", f"<details><summary>{NOT_COUNTED}</summary>", ""]
        lines += [
            f"- {code(i.by)} for {code(i.system)} ({i.source}): {code(i.reason)}"
            for i in report.ignored
        ]
        lines += ["", "</details>"]
    if report.unsignable:
        lines += ["", f"**{unsignable_sentence(report.unsignable, value=code)}**"]
    if report.pending:
        lines += [
            "",
            "To sign off, an owner approves the pull request, or comments "
            f"{code('/signoff ' + ' '.join(report.pending))} (or `/signoff all`).",
        ]
    return "\n".join(lines) + "\n"


def _row(result: SystemResult) -> str:
    signoff = result.signoff
    done = signoff.satisfied
    box = "☑" if done else "☐"
    name = code(result.id, in_table=True)
    if done and signoff.required:
        name = f"~~{name}~~"
    version = versions(result.version, in_table=True) if result.version else ""
    if not signoff.required:
        state = "not required"
    elif done:
        state = "by " + ", ".join(
            f"{code('@' + s.by, in_table=True)} at `{s.commit[:7]}`" for s in signoff.by
        )
    else:
        state = "waiting for " + plain(", ".join(result.waiting_on))
    owners = plain(", ".join(result.owners))
    return f"| {box} | {name} | {result.affected} | {owners} | {version} | {state} |"


def violation_line(violation: Violation) -> str:
    """A violation as Markdown: ids, versions and rules in code, the map's reason as prose."""
    return violation_sentence(violation, value=code, quote=code, prose=plain)


def versions(version: VersionChange, *, arrow: str = "->", in_table: bool = False) -> str:
    """A version change as Markdown: each version, read from the change, in code."""

    def value(text: str) -> str:
        return code(text, in_table=in_table)

    return version_phrase(version, value=value, arrow=arrow)


def title(report: Report) -> str:
    """The heading line: the verdict's sign and the headline."""
    return f"### {icon(report)} change-impact-gate: {headline(report)}"


def impact_graph(report: Report) -> list[str]:
    """The impact as a Mermaid flowchart (GitHub renders it), as lines; none without edges."""
    if not report.edges:
        return []
    nodes = {r.id: r.affected for r in report.systems}
    arrows = [(a, b, "") for a, b in dict.fromkeys(report.edges)]
    return ["", fence(mermaid(nodes, arrows), info="mermaid").rstrip("\n")]
