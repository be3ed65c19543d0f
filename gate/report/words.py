"""The report's phrases: each said in one place, for every format."""

from __future__ import annotations

from gate.report.records import Report, VersionChange, Violation

NO_SYSTEM = "The change touches no system in the map."
CHAINS_CUT = "more chains lead here; the list is cut"
NOT_COUNTED = "Sign-offs that do not count"
WHY_AFFECTED = "Why each system is affected"
VIOLATED = "Version requirements violated"


def icon(report: Report) -> str:
    """The verdict as a sign, where a line has room for one."""
    return "✅" if report.verdict == "pass" else "⛔"


def violation_sentence(violation: Violation) -> str:
    """A violation in words a reviewer reads once and understands."""
    mine = f"{violation.dependent} {violation.version}"
    if violation.version_at:
        mine += f" ({violation.version_at})"
    theirs = f"{violation.dependency} {violation.dependency_version}"
    if violation.dependency_version_at:
        theirs += f" ({violation.dependency_version_at})"
    rule = violation.requires
    if violation.rule != violation.requires:
        rule += f' (rule "{violation.rule}")'
    sentence = f"{mine} does not satisfy {rule} required by {theirs}"
    if violation.reason:
        sentence += f": {violation.reason}"
    if violation.already_at_base:
        sentence += " [already violated at the merge base]"
    return sentence


def version_phrase(version: VersionChange) -> str:
    """'9.2.18 -> 9.6.1 (major)', 'unchanged 9.2.18', 'added 1.0', ..."""
    if version.bump is None:
        return f"{version.after or version.before} (unchanged)"
    phrase = f"{version.before or 'none'} -> {version.after or 'none'} ({version.bump}"
    if version.downgrade:
        phrase += ", DOWNGRADE"
    return phrase + ")"


def rule_phrase(rule: str) -> str:
    """What a sign-off rule asks for: 'one owner', 'one per owner', '2 approvals'."""
    return {"any": "one owner", "all": "one per owner"}.get(rule, f"{rule} approvals")


def headline(report: Report) -> str:
    """One line: the verdict and why."""
    if report.verdict == "pass":
        affected = len(report.systems)
        return f"PASS: {affected} affected system(s), every required sign-off is in."
    reasons = []
    if report.pending:
        reasons.append(f"{len(report.pending)} system(s) wait for sign-off")
    violations = sum(len(result.violations) for result in report.systems)
    if violations:
        reasons.append(f"{violations} version requirement(s) violated")
    if report.unmapped and report.unmapped_policy == "fail":
        reasons.append(f"{len(report.unmapped)} changed file(s) match no system")
    return "BLOCKED: " + "; ".join(reasons) + "."
