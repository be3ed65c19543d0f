"""The report's phrases: each said in one place, for every format."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from gate.report.records import Report, VersionChange, Violation

NO_SYSTEM = "The change touches no system in the map."
CHAINS_CUT = "more chains lead here; the list is cut"
NOT_COUNTED = "Sign-offs that do not count"
WHY_AFFECTED = "Why each system is affected"
VIOLATED = "Version requirements violated"
NO_ONE_CAN_SIGN = "No one can sign off"


def icon(report: Report) -> str:
    """The verdict as a sign, where a line has room for one."""
    return "✅" if report.verdict == "pass" else "⛔"


def _as_is(text: str) -> str:
    return text


def _in_quotes(text: str) -> str:
    return f'"{text}"'


def violation_sentence(
    violation: Violation,
    *,
    value: Callable[[str], str] = _as_is,
    quote: Callable[[str], str] = _in_quotes,
    prose: Callable[[str], str] = _as_is,
) -> str:
    """A violation in words a reviewer reads once and understands.

    A format shows each value (ids, versions, where they were read) through `value`, the rule
    as written in the map through `quote`, and the map's reason through `prose`.
    """
    mine = value(f"{violation.dependent} {violation.version}")
    if violation.version_at:
        mine += f" ({value(violation.version_at)})"
    theirs = value(f"{violation.dependency} {violation.dependency_version}")
    if violation.dependency_version_at:
        theirs += f" ({value(violation.dependency_version_at)})"
    rule = value(violation.requires)
    if violation.rule != violation.requires:
        rule += f" (rule {quote(violation.rule)})"
    sentence = f"{mine} does not satisfy {rule} required by {theirs}"
    if violation.reason:
        sentence += f": {prose(violation.reason)}"
    if violation.already_at_base:
        sentence += " [already violated at the merge base]"
    return sentence


def version_phrase(
    version: VersionChange, *, value: Callable[[str], str] = _as_is, arrow: str = "->"
) -> str:
    """'9.2.18 -> 9.6.1 (major)', '9.2.18 (unchanged)', 'none -> 1.0 (added)', ...

    Each version is shown through `value`.
    """
    if version.bump is None:
        return f"{value(version.after or version.before or '')} (unchanged)"
    before = value(version.before) if version.before else "none"
    after = value(version.after) if version.after else "none"
    phrase = f"{before} {arrow} {after} ({version.bump}"
    if version.downgrade:
        phrase += ", DOWNGRADE"
    return phrase + ")"


def unsignable_sentence(ids: Iterable[str], *, value: Callable[[str], str] = _as_is) -> str:
    """Why the systems in ids can never be signed off, and what to do about it."""
    return (
        f"{NO_ONE_CAN_SIGN} {', '.join(map(value, ids))}: every owner who could is the change's"
        " author or an author or committer of its commits, who cannot sign off their own work;"
        " add an owner to the map on the base branch."
    )


def rule_phrase(rule: str) -> str:
    """What a sign-off rule asks for: 'one owner', 'one per owner', '2 approvals'."""
    return {"any": "one owner", "all": "one per owner"}.get(rule, f"{rule} approvals")


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """'1 system', '2 systems', '0 systems': the number with its noun in agreement."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def headline(report: Report) -> str:
    """One line: the verdict and why."""
    if report.verdict == "pass":
        if not report.systems:
            return "PASS: the change touches no mapped system."
        affected = counted(len(report.systems), "affected system")
        return f"PASS: {affected}, every required sign-off is in."
    reasons = []
    if report.pending:
        waiting = len(report.pending)
        reasons.append(
            f"{counted(waiting, 'system')} {'waits' if waiting == 1 else 'wait'} for sign-off"
        )
    violations = sum(len(result.violations) for result in report.systems)
    if violations:
        reasons.append(f"{counted(violations, 'version requirement')} violated")
    if report.unmapped and report.unmapped_policy == "fail":
        unmapped = len(report.unmapped)
        matches = "matches" if unmapped == 1 else "match"
        reasons.append(f"{counted(unmapped, 'changed file')} {matches} no system")
    return "BLOCKED: " + "; ".join(reasons) + "."
