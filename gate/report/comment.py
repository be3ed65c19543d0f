"""The pull-request comment and job summary: verdict, checklist, who to ask, how to sign off."""

from __future__ import annotations

from collections.abc import Mapping

from gate import __version__
from gate.report.markdown import VIOLATED_HEADING, impact_graph, title, versions, violation_line
from gate.report.markdown_text import code, fence, link_target, one_line, plain
from gate.report.records import Report, SystemResult
from gate.report.words import (
    NO_SYSTEM,
    NOT_COUNTED,
    WHY_AFFECTED,
    counted,
    rule_phrase,
    unsignable_sentence,
)

# Finds the one living comment again on the next run; invisible when rendered.
MARKER = "<!-- change-impact-gate -->"
# GitHub refuses comments over 65536 characters; what is cut first when a report is that long.
MAX_BODY = 60000
MAX_IGNORED = 30
ADVISORY = (
    "Advisory: the gate is being rolled out, so this job passes whatever the verdict; the"
    " status says what the gate will require once it is made a required check."
)
REASON_CHARS = 300  # why a sign-off does not count: the gate's words, quoting the comment


def render(
    report: Report,
    *,
    ask: Mapping[str, tuple[str, ...]] | None = None,
    stale_signoffs: str = "head",
    marker: bool = True,
    advisory: bool = False,
) -> str:
    """The comment body. `ask` maps an owner entry (team key or @login) to the people to ask;
    `advisory`: the job passes whatever the verdict, and the comment says so."""
    people = ask or {}
    body = _body(report, people, stale_signoffs, details=True)
    if len(body) > MAX_BODY:
        body = _body(report, people, stale_signoffs, details=False)
    if advisory:
        title_line, _, rest = body.partition("\n")
        body = f"{title_line}\n\n{ADVISORY}\n{rest}"
    return (MARKER + "\n" if marker else "") + body


def _body(
    report: Report, ask: Mapping[str, tuple[str, ...]], stale_signoffs: str, *, details: bool
) -> str:
    lines = [title(report), ""]
    lines.append(
        f"Head `{report.head[:12]}`, compared from `{report.merge_base[:12]}`:"
        f" {counted(len(report.changed), 'changed path')}. Map {code(report.map_source)}."
    )
    if not report.systems:
        lines += ["", NO_SYSTEM.removesuffix(".") + ": no sign-off is needed."]
    else:
        lines += ["", "**Affected systems**", ""]
        lines += [_item(result, ask) for result in report.systems]
    violations = [v for result in report.systems for v in result.violations]
    if violations:
        lines += ["", VIOLATED_HEADING, ""]
        lines += [f"- {violation_line(v)}" for v in violations]
    bumps = [r for r in report.systems if r.version is not None and r.version.bump is not None]
    if bumps:
        lines += ["", "**Version changes**", ""]
        lines += [f"- {code(r.id)}: {versions(r.version, arrow='→')}" for r in bumps if r.version]
    if report.unmapped:
        lines += [
            "",
            f"**Changed files that match no system** (policy `{report.unmapped_policy}`):",
            "",
        ]
        shown = report.unmapped[:MAX_IGNORED]
        lines += [f"- {_code(path)}" for path in shown]
        if len(report.unmapped) > len(shown):
            lines.append(f"- … and {len(report.unmapped) - len(shown)} more")
    if details:
        lines += impact_graph(report)
        chains = [chain for r in report.systems for chain in r.because]
        if chains:
            lines += ["", f"<details><summary>{WHY_AFFECTED}</summary>", ""]
            lines += [f"- {code(' → '.join(chain))}" for chain in chains]
            lines += ["", "</details>"]
    if report.ignored:
        lines += ["", f"<details><summary>{NOT_COUNTED}</summary>", ""]
        shown_ignored = report.ignored[:MAX_IGNORED]
        lines += [
            f"- {_code(i.by)} for {_code(i.system)} ({i.source}): {_code(i.reason, REASON_CHARS)}"
            for i in shown_ignored
        ]
        if len(report.ignored) > len(shown_ignored):
            lines.append(
                f"- … and {len(report.ignored) - len(shown_ignored)} more (see the JSON report)"
            )
        lines += ["", "</details>"]
    if report.unsignable:
        lines += ["", f"**{unsignable_sentence(report.unsignable, value=code)}**"]
    lines += ["", *_how_to_sign_off(report, stale_signoffs)]
    lines += ["", f"<sub>change-impact-gate {__version__} · evaluated head `{report.head}`</sub>"]
    return "\n".join(lines) + "\n"


def _item(result: SystemResult, ask: Mapping[str, tuple[str, ...]]) -> str:
    """One checklist line: struck through once signed off, with who and for which commit."""
    signoff = result.signoff
    what: list[str] = [result.affected]
    if result.because:
        what.append("via " + plain(" → ".join(result.because[0])))
    if result.version is not None and result.version.bump is not None:
        what.append(versions(result.version, arrow="→"))
    if result.violations:
        what.append("**requirement violated**")
    about = "; ".join(what)
    owners = plain(", ".join(result.owners))
    name = code(result.id)
    if not signoff.required:
        return f"- [x] {name} ({about}): no sign-off needed under the map's policy"
    if signoff.satisfied:
        who = ", ".join(
            f"{code('@' + s.by)} for `{s.commit[:7]}` ({s.source}{_link(s.url)})"
            for s in signoff.by
        )
        return f"- [x] ~~{name}~~ ({about}): signed off by {who}"
    waiting = result.waiting_on
    people = [person for owner in waiting for person in ask.get(owner, ())]
    rule = "" if signoff.rule == "any" else f" (rule: {rule_phrase(signoff.rule)})"
    joined = plain(" or ".join(waiting) if signoff.rule == "any" else ", ".join(waiting))
    line = f"- [ ] {name} ({about}): waiting for {joined}{rule}"
    if signoff.by:
        line += "; so far " + ", ".join(code("@" + s.by) for s in signoff.by)
    if people:
        line += " — ask " + plain(", ".join(dict.fromkeys(people)))
    elif owners and not signoff.waiting_for:
        line += f" — owners: {owners}"
    return line


def _how_to_sign_off(report: Report, stale_signoffs: str) -> list[str]:
    if not report.pending:
        return []
    lasting = (
        "it survives later pushes that change nothing affecting its system"
        if stale_signoffs == "impact"
        else "a new push needs it again"
    )
    return [
        "**How to sign off.** An owner approves this pull request (that signs off every affected"
        " system they own), or comments with a line of its own naming systems they own:",
        "",
        fence(f"/signoff {' '.join(report.pending)}"),
        f"or `/signoff all` for every affected system they own. A sign-off counts for the head"
        f" commit it was given on (now `{report.head[:7]}`); {lasting}. The pull request's"
        " author, the authors and committers of its commits, and bots cannot sign off; a line"
        " naming anything but system ids, quoted lines, code blocks, HTML and edited comments"
        " do not count.",
    ]


def _link(url: str | None) -> str:
    return f", [link]({link_target(url)})" if url and url.startswith("https://") else ""


def _code(text: str, limit: int = 60) -> str:
    """Text from outside the map (a login, a word from a comment) as a short code span.

    Its backticks show as quotes: a word that was code in a comment reads as quoted here.
    """
    clean = one_line(text.replace("`", "'"))
    return code(clean[: limit - 1] + "…" if len(clean) > limit else clean)
