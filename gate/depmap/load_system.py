"""Loading the map's systems: owners, path patterns, version rules, sign-off and dependencies."""

from __future__ import annotations

import re

from gate.depmap.load_version import version_rule
from gate.depmap.reader import Reader, describe, did_you_mean, known_keys_only
from gate.depmap.records import Edge, OnFilter, SignoffRule, System, Team
from gate.depmap.strict_yaml import Node, scalar_value
from gate.paths.pattern import pattern_problem

_SYSTEM_KEYS = ("kind", "description", "owners", "paths", "version", "signoff", "depends_on")
_EDGE_KEYS = ("system", "reason", "on", "requires")
_ON: tuple[OnFilter, ...] = ("any", "version", "major", "minor", "patch")
_PLACEHOLDERS = {"version": "1.0", "major": "1", "minor": "0"}

# GitHub logins; underscores appear in Enterprise managed-user logins.
LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,38}")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class SystemReader(Reader):
    """Reads systems against the map's teams and system ids, which are known first."""

    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.team_ids: set[str] = set()
        self.teams: dict[str, Team] = {}
        self.system_ids: set[str] = set()
        self.versioned: set[str] = set()  # systems with a `version` block, valid or not
        self.requirements: list[tuple[str, str, Node]] = []  # dependent, dependency, requires
        self.specifier_problems: dict[str, str | None] = {}  # many edges repeat one text

    def owners(self, node: Node, what: str) -> tuple[str, ...]:
        items = self.items(node, what)
        if items is None:
            return ()
        if not items:
            self.problem(node, f"{what} is empty; name at least one team key or '@login'")
        owners: dict[str, Node] = {}
        for item in items:
            owner = self.text(item, f"an owner in {what}")
            if owner is None:
                continue
            if owner.startswith("@"):
                if not LOGIN.fullmatch(owner[1:]):
                    self.problem(item, f"'{owner}' in {what} is not '@' and a GitHub login")
            elif owner not in self.team_ids:
                suggestion = did_you_mean(owner, self.team_ids) or (
                    "; define it under 'teams', or write '@login' for one person"
                )
                self.problem(item, f"unknown team '{owner}' in {what}{suggestion}")
            same = owner.lower() if owner.startswith("@") else owner
            if same in owners:
                self.problem(
                    item,
                    f"owner '{owner}' is listed twice in {what} (first on line "
                    f"{owners[same].line}); keep one",
                )
            else:
                owners[same] = item
        return tuple(owner.text for owner in owners.values())

    def system(self, system_id: str, key: Node, body: Node) -> System | None:
        context = f"system '{system_id}'"
        fields = self.fields(body, context, _SYSTEM_KEYS)
        if fields is None:
            return None
        kind = self.text(fields["kind"], f"'kind' of {context}") if "kind" in fields else ""
        description = (
            self.text(fields["description"], f"'description' of {context}")
            if "description" in fields
            else ""
        )
        if "owners" in fields:
            owners = self.owners(fields["owners"], f"'owners' of {context}")
        else:
            owners = ()
            if known_keys_only(body, _SYSTEM_KEYS):
                self.problem(
                    key,
                    f"{context} has no owners; add 'owners: [TEAM]' with team keys or '@login'",
                )
        paths = self.patterns(fields["paths"], context) if "paths" in fields else ()
        version = None
        if "version" in fields:
            self.versioned.add(system_id)
            version = version_rule(self, fields["version"], f"'version' of {context}")
        signoff: SignoffRule | None = "any"
        if "signoff" in fields:
            signoff = self.signoff(fields["signoff"], context, owners)
        edges = self.edges(fields["depends_on"], system_id) if "depends_on" in fields else ()
        return System(
            id=system_id,
            owners=owners,
            paths=paths,
            kind=kind or "",
            description=description or "",
            signoff="any" if signoff is None else signoff,
            version=version,
            depends_on=edges,
        )

    def patterns(self, node: Node, context: str) -> tuple[str, ...]:
        patterns: list[str] = []
        for item in self.items(node, f"'paths' of {context}") or ():
            pattern = self.text(item, f"a path of {context}")
            if pattern is None:
                continue
            problem = pattern_problem(pattern)
            if problem is not None:
                self.problem(item, f"path pattern '{pattern}' of {context}: {problem}")
            patterns.append(pattern)
        return tuple(patterns)

    def signoff(self, node: Node, context: str, owners: tuple[str, ...]) -> SignoffRule | None:
        count = scalar_value(node) if node.tag == "int" else None
        if isinstance(count, int):
            people = self.people(owners)
            if count < 1:
                self.problem(node, f"'signoff' of {context} must be at least 1, not {count}")
            elif people is not None and count > people:
                self.problem(
                    node,
                    f"'signoff' of {context} asks for {count} approvals, but its owners are "
                    f"only {people} people; lower it or add owners",
                )
            return count
        if node.kind == "scalar" and node.tag == "str" and node.text in ("any", "all"):
            return "any" if node.text == "any" else "all"
        self.problem(
            node,
            f"'signoff' of {context} must be any, all or a number of approvals, "
            f"not {describe(node)}",
        )
        return None

    def people(self, owners: tuple[str, ...]) -> int | None:
        """How many people can sign off for these owners; None when it cannot be known here."""
        logins: set[str] = set()
        for owner in owners:
            if owner.startswith("@"):
                logins.add(owner[1:].lower())
                continue
            team = self.teams.get(owner)
            if team is None or team.github_team is not None:
                return None
            logins |= team.members
        return len(logins)

    def edges(self, node: Node, dependent: str) -> tuple[Edge, ...]:
        context = f"system '{dependent}'"
        edges: list[Edge] = []
        seen: dict[str, Node] = {}
        for number, item in enumerate(self.items(node, f"'depends_on' of {context}") or (), 1):
            where = f"'depends_on' entry {number} of {context}"
            fields = self.fields(item, where, _EDGE_KEYS)
            if fields is None:
                continue
            if "system" not in fields:
                if known_keys_only(item, _EDGE_KEYS):
                    self.problem(item, f"{where} has no 'system'; name the system it depends on")
                continue
            target_node = fields["system"]
            dependency = self.text(target_node, f"'system' of {where}")
            reason = (
                self.text(fields["reason"], f"'reason' of {where}") if "reason" in fields else ""
            )
            on: OnFilter | None = "any"
            if "on" in fields:
                on = self.choice(fields["on"], f"'on' of {where}", _ON)
            requires = None
            if "requires" in fields:
                requires = self.requires(fields["requires"], f"'requires' of {where}")
            if dependency is None:
                continue
            if dependency == dependent:
                self.problem(target_node, f"{context} depends on itself; remove this entry")
            elif dependency not in self.system_ids:
                suggestion = did_you_mean(dependency, self.system_ids) or (
                    "; define it under 'systems'"
                )
                self.problem(target_node, f"unknown system '{dependency}' in {where}{suggestion}")
            if dependency in seen:
                self.problem(
                    target_node,
                    f"{context} depends on '{dependency}' twice (first on line "
                    f"{seen[dependency].line}); merge the two entries",
                )
                continue
            seen[dependency] = target_node
            if "requires" in fields:
                self.requirements.append((dependent, dependency, fields["requires"]))
            edges.append(
                Edge(
                    dependent=dependent,
                    dependency=dependency,
                    reason=reason or "",
                    on=on or "any",
                    requires=requires,
                )
            )
        return tuple(edges)

    def requires(self, node: Node, what: str) -> str | None:
        text = self.text(node, what)
        if text is None:
            return None
        if text not in self.specifier_problems:
            self.specifier_problems[text] = _specifier_problem(text)
        problem = self.specifier_problems[text]
        if problem is not None:
            self.problem(node, f"{what} {problem}")
            return None
        return text

    def check_requirements(self) -> None:
        """A `requires` on an edge needs a version on both of its systems."""
        for dependent, dependency, node in self.requirements:
            for system_id in dict.fromkeys((dependent, dependency)):
                if system_id in self.system_ids and system_id not in self.versioned:
                    self.problem(
                        node,
                        f"'requires' compares versions, but system '{system_id}' declares none; "
                        "add a 'version' block to it or remove 'requires'",
                    )


def _specifier_problem(requires: str) -> str | None:
    """What is wrong with a `requires` template, or None."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    if not requires.strip():
        return "is empty; remove it or write a specifier set such as '>={major}'"
    for name in _PLACEHOLDER.findall(requires):
        if name not in _PLACEHOLDERS:
            return (
                f"uses the unknown placeholder '{{{name}}}'; "
                "use {version}, {major} or {minor}"
            )
    example = _PLACEHOLDER.sub(lambda match: _PLACEHOLDERS[match.group(1)], requires)
    try:
        specifiers = SpecifierSet(example)
    except InvalidSpecifier:
        return (
            f"'{requires}' is not a PEP 440 specifier set; write one such as '>={{major}}' "
            "or '>=9.6,<10'"
        )
    for specifier in specifiers:
        # The set parses its versions only when it compares one, and Python refuses to read
        # an integer of more than 4300 digits: found now, not in the middle of a check.
        if specifier.operator != "===" and not _comparable(specifier.version):
            return f"compares with {specifier.version[:40]}..., a number longer than any version"
    return None


def _comparable(version: str) -> bool:
    from packaging.version import Version

    try:
        Version(version.removesuffix(".*"))
    except ValueError:  # InvalidVersion is one
        return False
    return True
