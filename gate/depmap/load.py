"""Loading the dependency map: strict YAML in, typed frozen records out, every problem at once."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from typing import TypeVar

from gate.depmap.records import (
    Edge,
    Map,
    OnFilter,
    Policy,
    Scheme,
    Select,
    SignoffRule,
    Stale,
    System,
    Team,
    Unmapped,
    VersionSpec,
)
from gate.depmap.strict_yaml import Node, scalar_value
from gate.errors import MapError

MAX_MAP_BYTES = 16 * 1024 * 1024

_MAP_KEYS = ("version", "map-owners", "teams", "systems", "policy")
_TEAM_KEYS = ("members", "github-team")
_SYSTEM_KEYS = ("kind", "description", "owners", "paths", "version", "signoff", "depends_on")
_VERSION_KEYS = ("file", "pattern", "key", "image", "select", "scheme")
_EDGE_KEYS = ("system", "reason", "on", "requires")
_POLICY_KEYS = ("unmapped", "signoff-touched", "stale-signoffs")

_ON: tuple[OnFilter, ...] = ("any", "version", "major", "minor", "patch")
_SCHEMES: tuple[Scheme, ...] = ("semver", "pep440", "postgresql", "loose")
_SELECTS: tuple[Select, ...] = ("first", "max", "min")
_UNMAPPED: tuple[Unmapped, ...] = ("warn", "fail", "ignore")
_STALE: tuple[Stale, ...] = ("head", "impact")
_PLACEHOLDERS = {"version": "1.0", "major": "1", "minor": "0"}

_ID = re.compile(r"[A-Za-z0-9._-]+")
# GitHub logins; underscores appear in Enterprise managed-user logins.
_LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,38}")
_GITHUB_TEAM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_DRIVE = re.compile(r"[A-Za-z]:")
_GLOB_CHARS = frozenset("*?[]")


def load_map(data: bytes, source: str, *, path: str | None, sha256: str | None = None) -> Map:
    """Read a dependency map strictly; every problem found is raised at once as a MapError.

    `source` names the map in messages ("FILE:LINE:COLUMN: message"); `path` is its path inside
    the repository (None for a map given as a file outside it).
    """
    from gate.depmap import strict_yaml

    with strict_yaml.collector_paused():
        root = strict_yaml.parse(data, source, max_bytes=MAX_MAP_BYTES)
        if root is None:
            raise MapError(
                [
                    f"{source}:1:1: the map is empty; "
                    "start it with 'version: 1' and 'map-owners: [TEAM]'"
                ]
            )
        reader = _MapReader(source, path)
        depmap = reader.read(root, sha256 or hashlib.sha256(data).hexdigest())
        problems = reader.sorted_problems()
        # Freed while the collector is paused, the node tree is never traversed by it.
        del root, reader
    if problems or depmap is None:
        raise MapError(problems)
    return depmap


_Choice = TypeVar("_Choice", bound=str)


class _MapReader:
    """Typed getters over the YAML node tree; each problem is kept with its position."""

    def __init__(self, source: str, path: str | None) -> None:
        self.source = source
        self.path = path
        self.problems: list[tuple[int, int, str]] = []
        self.team_ids: set[str] = set()
        self.teams: dict[str, Team] = {}
        self.system_ids: set[str] = set()
        self.versioned: set[str] = set()  # systems with a `version` block, valid or not
        self.requirements: list[tuple[str, str, Node]] = []  # dependent, dependency, requires
        self.specifier_problems: dict[str, str | None] = {}  # many edges repeat one text

    def problem(self, node: Node, message: str) -> None:
        self.problems.append((node.line, node.column, message))

    def sorted_problems(self) -> list[str]:
        return [f"{self.source}:{line}:{col}: {text}" for line, col, text in sorted(self.problems)]

    def read(self, root: Node, sha256: str) -> Map | None:
        fields = self.fields(root, "the map", _MAP_KEYS)
        if fields is None:
            return None
        # A missing key is not reported when the mapping has an unknown one: that is probably
        # the same key misspelt, and reported already.
        complete = _known_keys_only(root, _MAP_KEYS)
        if "version" not in fields:
            if complete:
                self.problem(
                    root, "the map has no 'version'; add 'version: 1' (the format it is in)"
                )
        elif fields["version"].tag != "int" or scalar_value(fields["version"]) != 1:
            self.problem(
                fields["version"],
                f"'version' must be the number 1, not {_describe(fields['version'])}; "
                "write 'version: 1'",
            )
        team_entries = self.entries(fields.get("teams"), "'teams'", "team key")
        self.team_ids = {team_id for team_id, _, _ in team_entries}
        for team_id, key, body in team_entries:
            team = self.team(team_id, key, body)
            if team is not None:
                self.teams[team_id] = team
        if "map-owners" in fields:
            map_owners = self.owners(fields["map-owners"], "'map-owners'")
        else:
            map_owners = ()
            if complete:
                self.problem(
                    root,
                    "the map has no 'map-owners'; add 'map-owners: [TEAM]' naming who signs off "
                    "changes to the map",
                )
        system_entries = self.entries(fields.get("systems"), "'systems'", "system id")
        self.system_ids = {system_id for system_id, _, _ in system_entries}
        systems: dict[str, System] = {}
        for system_id, key, body in system_entries:
            if system_id == self.path:
                self.problem(
                    key,
                    f"system id '{system_id}' is the map's own path, which is already a system "
                    "owned by map-owners; rename this system",
                )
            system = self.system(system_id, key, body)
            if system is not None:
                systems[system_id] = system
        self.check_requirements()
        policy = self.policy(fields["policy"]) if "policy" in fields else Policy()
        return Map(
            source=self.source,
            sha256=sha256,
            path=self.path,
            map_owners=map_owners,
            teams=self.teams,
            systems=systems,
            policy=policy,
        )

    # Typed getters: each returns None (after recording a problem) when the value is unusable.

    def fields(self, node: Node, context: str, allowed: tuple[str, ...]) -> dict[str, Node] | None:
        if node.kind != "mapping":
            self.problem(
                node,
                f"{context} must be a mapping with keys {', '.join(allowed)}, "
                f"not {_describe(node)}",
            )
            return None
        fields: dict[str, Node] = {}
        for key, value in node.pairs:
            name = key.value
            if key.tag == "str" and name in allowed and isinstance(name, str):
                fields[name] = value
                continue
            suggestion = _did_you_mean(key.text, allowed) or f"; allowed: {', '.join(allowed)}"
            self.problem(key, f"unknown key '{key.text}' in {context}{suggestion}")
        return fields

    def entries(self, node: Node | None, what: str, label: str) -> list[tuple[str, Node, Node]]:
        """The (id, key, body) entries of `teams` or `systems`, ids checked."""
        if node is None:
            return []
        if node.kind != "mapping":
            self.problem(node, f"{what} must be a mapping of {label}s, not {_describe(node)}")
            return []
        entries = []
        for key, body in node.pairs:
            name = self.text(key, f"{label} {key.text}")
            if name is not None and not _ID.fullmatch(name):
                self.problem(
                    key,
                    f"{label} '{name}' may hold only letters, digits, '.', '_' and '-'; rename it",
                )
            # Kept even when invalid, so references to it are not reported a second time.
            entries.append((key.text, key, body))
        return entries

    def text(self, node: Node, what: str) -> str | None:
        value = node.value
        if node.tag == "str" and isinstance(value, str):
            return value
        if node.kind != "scalar":
            self.problem(node, f"{what} must be a string, not {_describe(node)}")
        elif node.tag == "null" and not node.text:
            self.problem(node, f"{what} is empty; give it a value")
        else:
            self.problem(
                node,
                f"{what}: {node.text} is {_describe(node)} to YAML; "
                f"quote it: {json.dumps(node.text)}",
            )
        return None

    def boolean(self, node: Node, what: str) -> bool | None:
        if node.kind == "scalar" and node.tag == "bool":
            return node.text.lower() == "true"
        hint = " (only true and false are booleans)" if node.tag == "str" else ""
        self.problem(node, f"{what} must be true or false, not {_describe(node)}{hint}")
        return None

    def choice(self, node: Node, what: str, options: tuple[_Choice, ...]) -> _Choice | None:
        if node.kind == "scalar" and node.tag == "str":
            for option in options:
                if option == node.text:
                    return option
        suggestion = _did_you_mean(node.text, options) if node.kind == "scalar" else ""
        self.problem(
            node,
            f"{what} must be one of {', '.join(options)}, not {_describe(node)}{suggestion}",
        )
        return None

    def items(self, node: Node, what: str) -> tuple[Node, ...] | None:
        if node.kind == "sequence":
            return node.items
        self.problem(node, f"{what} must be a list such as [a, b], not {_describe(node)}")
        return None

    # The map's parts.

    def team(self, team_id: str, key: Node, body: Node) -> Team | None:
        context = f"team '{team_id}'"
        fields = self.fields(body, context, _TEAM_KEYS)
        if fields is None:
            return None
        members: set[str] = set()
        member_nodes: tuple[Node, ...] | None = ()
        if "members" in fields:
            member_nodes = self.items(fields["members"], f"'members' of {context}")
        for item in member_nodes or ():
            login = self.text(item, f"a member of {context}")
            if login is None:
                continue
            bare = login.removeprefix("@")
            if _LOGIN.fullmatch(bare):
                members.add(bare.lower())
            else:
                self.problem(
                    item, f"'{login}' in {context} is not a GitHub login; write one such as 'alice'"
                )
        github_team = None
        if "github-team" in fields:
            github_team = self.text(fields["github-team"], f"'github-team' of {context}")
            if github_team is not None and not _GITHUB_TEAM.fullmatch(github_team):
                self.problem(
                    fields["github-team"],
                    f"'github-team' of {context} must be 'org/team-slug', as in 'acme/dba', "
                    f"not '{github_team}'",
                )
        if (
            member_nodes == ()
            and "github-team" not in fields
            and _known_keys_only(body, _TEAM_KEYS)
        ):
            self.problem(
                key,
                f"{context} has no members and no github-team; list its members "
                "(members: [alice]) or name its GitHub team (github-team: org/slug)",
            )
        return Team(id=team_id, members=frozenset(members), github_team=github_team)

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
                if not _LOGIN.fullmatch(owner[1:]):
                    self.problem(item, f"'{owner}' in {what} is not '@' and a GitHub login")
            elif owner not in self.team_ids:
                suggestion = _did_you_mean(owner, self.team_ids) or (
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
            if _known_keys_only(body, _SYSTEM_KEYS):
                self.problem(
                    key,
                    f"{context} has no owners; add 'owners: [TEAM]' with team keys or '@login'",
                )
        paths = self.patterns(fields["paths"], context) if "paths" in fields else ()
        version = None
        if "version" in fields:
            self.versioned.add(system_id)
            version = self.version(fields["version"], f"'version' of {context}")
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
            problem = _pattern_problem(pattern)
            if problem is not None:
                self.problem(item, f"path pattern '{pattern}' of {context}: {problem}")
            patterns.append(pattern)
        return tuple(patterns)

    def version(self, node: Node, context: str) -> VersionSpec | None:
        fields = self.fields(node, context, _VERSION_KEYS)
        if fields is None:
            return None
        file = None
        complete = _known_keys_only(node, _VERSION_KEYS)
        if "file" in fields:
            file = self.text(fields["file"], f"'file' of {context}")
            problem = _file_problem(file) if file is not None else None
            if problem is not None:
                self.problem(fields["file"], f"'file' of {context} {problem}")
        elif complete:
            self.problem(node, f"{context} has no 'file'; name the file that declares the version")
        given = [name for name in ("pattern", "key", "image") if name in fields]
        if not given and complete:
            self.problem(
                node,
                f"{context} needs one of 'pattern', 'key' or 'image' to say where the version is",
            )
        for extra in given[1:]:
            self.problem(
                fields[extra],
                f"{context} has both '{given[0]}' and '{extra}'; keep exactly one",
            )
        pattern = self.pattern(fields["pattern"], context) if "pattern" in fields else None
        version_key = self.version_key(fields["key"], context) if "key" in fields else None
        image = self.image(fields["image"], context) if "image" in fields else None
        select: Select | None = "first"
        if "select" in fields:
            select = self.choice(fields["select"], f"'select' of {context}", _SELECTS)
            if "pattern" not in fields:
                self.problem(
                    fields["select"],
                    f"'select' of {context} works only with 'pattern'; remove it",
                )
        scheme: Scheme | None = "pep440"
        if "scheme" in fields:
            scheme = self.choice(fields["scheme"], f"'scheme' of {context}", _SCHEMES)
        found = [value for value in (pattern, version_key, image) if value is not None]
        if file is None or len(given) != 1 or len(found) != 1 or select is None or scheme is None:
            return None
        return VersionSpec(
            file=file, pattern=pattern, key=version_key, image=image, select=select, scheme=scheme
        )

    def pattern(self, node: Node, context: str) -> str | None:
        pattern = self.text(node, f"'pattern' of {context}")
        if pattern is None:
            return None
        try:
            compiled = re.compile(pattern, re.MULTILINE)
        except re.error as error:
            self.problem(
                node,
                f"'pattern' of {context} is not a valid regular expression ({error}); "
                "fix it, and remember YAML double quotes need \\\\ for one backslash",
            )
            return None
        if "version" not in compiled.groupindex:
            self.problem(
                node,
                f"'pattern' of {context} has no group named 'version'; "
                "wrap the version in (?P<version>...)",
            )
            return None
        return pattern

    def version_key(self, node: Node, context: str) -> str | None:
        key = self.text(node, f"'key' of {context}")
        if key is not None and (not key or "" in key.split(".")):
            self.problem(
                node,
                f"'key' of {context} must be a dotted path such as 'pg_dump.client_version', "
                f"not '{key}'",
            )
            return None
        return key

    def image(self, node: Node, context: str) -> str | None:
        image = self.text(node, f"'image' of {context}")
        if image is None:
            return None
        if not image or any(char.isspace() for char in image):
            self.problem(node, f"'image' of {context} must be an image name such as 'postgres'")
            return None
        if ":" in image.rsplit("/", 1)[-1] or "@" in image:
            self.problem(
                node,
                f"'image' of {context} must name the image without its tag or digest "
                f"('postgres', not 'postgres:15')",
            )
            return None
        return image

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
            f"not {_describe(node)}",
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
                if _known_keys_only(item, _EDGE_KEYS):
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
                suggestion = _did_you_mean(dependency, self.system_ids) or (
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
        for dependent, dependency, node in self.requirements:
            for system_id in dict.fromkeys((dependent, dependency)):
                if system_id in self.system_ids and system_id not in self.versioned:
                    self.problem(
                        node,
                        f"'requires' compares versions, but system '{system_id}' declares none; "
                        "add a 'version' block to it or remove 'requires'",
                    )

    def policy(self, node: Node) -> Policy:
        fields = self.fields(node, "'policy'", _POLICY_KEYS)
        if fields is None:
            return Policy()
        default = Policy()
        unmapped = default.unmapped
        if "unmapped" in fields:
            unmapped = (
                self.choice(fields["unmapped"], "'unmapped' of 'policy'", _UNMAPPED) or unmapped
            )
        signoff_touched = default.signoff_touched
        if "signoff-touched" in fields:
            value = self.boolean(fields["signoff-touched"], "'signoff-touched' of 'policy'")
            signoff_touched = signoff_touched if value is None else value
        stale = default.stale_signoffs
        if "stale-signoffs" in fields:
            stale = (
                self.choice(fields["stale-signoffs"], "'stale-signoffs' of 'policy'", _STALE)
                or stale
            )
        return Policy(unmapped=unmapped, signoff_touched=signoff_touched, stale_signoffs=stale)


def _known_keys_only(node: Node, allowed: tuple[str, ...]) -> bool:
    return all(key.tag == "str" and key.value in allowed for key, _ in node.pairs)


def _describe(node: Node) -> str:
    if node.kind == "mapping":
        return "a mapping"
    if node.kind == "sequence":
        return "a list"
    if node.tag == "str":
        return f"the text {node.text!r}"
    if node.tag == "null":
        return "empty (null)"
    if node.tag == "bool":
        return f"the boolean {node.text.lower()}"
    return f"the number {scalar_value(node)!r}"


def _did_you_mean(name: str, options: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(options), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _pattern_problem(pattern: str) -> str | None:
    """What is wrong with a path pattern, or None."""
    if not pattern:
        return "is empty; remove it or write a pattern such as 'backup/'"
    if pattern.startswith("!"):
        return "starts with '!', but negation is not supported; list only what the system covers"
    if "\\" in pattern:
        return "contains a backslash; separate directories with '/' (escapes are not supported)"
    if pattern.startswith("//") or _DRIVE.match(pattern):
        return (
            "is an absolute path; write it relative to the repository root "
            "(a single leading '/' anchors it there)"
        )
    if ".." in pattern.split("/"):
        return "contains a '..' segment; write it relative to the repository root without '..'"
    from gate.paths.pattern import pattern_error

    return pattern_error(pattern)


def _file_problem(file: str) -> str | None:
    """What is wrong with a `version.file` path, or None."""
    if not file:
        return "is empty; name the file that declares the version"
    if file.startswith("/"):
        return f"must be relative to the repository root: write '{file.lstrip('/')}'"
    if "\\" in file:
        return "contains a backslash; separate directories with '/'"
    if _GLOB_CHARS.intersection(file):
        return "must name one file, not a pattern: remove '*', '?', '[' and ']'"
    if _DRIVE.match(file) or any(part in ("", ".", "..") for part in file.split("/")):
        return "must be a plain relative path such as 'backup/backup.yml' (no '.', '..' or '//')"
    return None


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
        SpecifierSet(example)
    except InvalidSpecifier:
        return (
            f"'{requires}' is not a PEP 440 specifier set; write one such as '>={{major}}' "
            "or '>=9.6,<10'"
        )
    return None
