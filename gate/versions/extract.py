"""Version extraction: the raw version strings a map's `version:` rule finds in a file."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

from gate.depmap.records import KeyRule, PatternRule, VersionSpec
from gate.errors import MapError
from gate.versions.found import Found, Unreadable, decoded_text, line_of
from gate.versions.image import by_image


def found(spec: VersionSpec, data: bytes) -> list[Found]:
    """Every candidate the rule finds, in file order; never empty (Unreadable instead)."""
    if isinstance(spec, PatternRule):
        return _by_pattern(spec.pattern, data)
    if isinstance(spec, KeyRule):
        return [_by_key(spec.key, spec.file, data)]
    return by_image(spec.image, spec.file, data)


def prepare(specs: Iterable[VersionSpec]) -> None:
    """Load now the parsers reading these rules' files will take: the gate has time now, while
    git lists the files, and would wait for the imports later."""
    specs = list(specs)
    if specs:
        import packaging.version  # noqa: F401 -- every scheme orders versions with it
    if any(isinstance(spec, KeyRule) and _format(spec.file) == "YAML" for spec in specs):
        import yaml  # noqa: F401


# pattern ----------------------------------------------------------------------------------


def _by_pattern(pattern: str, data: bytes) -> list[Found]:
    try:
        compiled = re.compile(pattern, re.MULTILINE)
    except re.error as error:
        raise Unreadable(f"the pattern does not compile ({error}); fix it in the map") from None
    if "version" not in compiled.groupindex:
        raise Unreadable("the pattern has no group named 'version'; add (?P<version>...)")
    text = decoded_text(data)
    results = [
        Found(
            text=match["version"].strip(),
            line=line_of(text, match.start("version")),
            origin=f"the match on line {line_of(text, match.start('version'))}",
        )
        for match in compiled.finditer(text)
        if match["version"] is not None
    ]
    if not results:
        raise Unreadable(
            "the pattern matches nothing; check that the file still declares the version "
            "the way the map's pattern expects"
        )
    return results


# key --------------------------------------------------------------------------------------

_KEY_PART = re.compile(r"\[(?P<index>[0-9]+)\]|(?P<name>[^.\[\]]+)")


def key_path(key: str) -> tuple[str | int, ...]:
    """`a.b.0.c` or `a.b[0].c` as its parts; an int is a list index ("0" may also be a key)."""
    parts: list[str | int] = []
    position = 0
    while position < len(key):
        match = _KEY_PART.match(key, position)
        if match is None:
            raise Unreadable(
                f"the key {key!r} is not a dotted path such as 'a.b.0.c' or 'a.b[0].c'"
            )
        parts.append(int(match["index"]) if match["index"] is not None else match["name"])
        position = match.end()
        if position < len(key) and key[position] == ".":
            position += 1
            if position == len(key):
                raise Unreadable(f"the key {key!r} ends with '.'; remove it")
        elif position < len(key) and key[position] != "[":
            raise Unreadable(f"the key {key!r} is not a dotted path such as 'a.b.0.c'")
    if not parts:
        raise Unreadable("the key is empty; name the value, such as 'pg_dump.client_version'")
    return tuple(parts)


def _by_key(key: str, file: str, data: bytes) -> Found:
    path = key_path(key)
    kind = _format(file)
    if kind == "YAML":
        return _from_yaml(key, path, file, data)
    return _from_plain(key, path, file, data, kind)


def _format(file: str) -> str:
    lowered = file.lower()
    if lowered.endswith(".json"):
        return "JSON"
    if lowered.endswith(".toml"):
        return "TOML"
    return "YAML"


def _described(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "the top level"


def _from_yaml(key: str, path: tuple[str | int, ...], file: str, data: bytes) -> Found:
    from gate.depmap import strict_yaml

    try:
        node = strict_yaml.parse(data, file)
    except MapError as error:
        raise Unreadable(f"the file is not valid YAML: {'; '.join(error.problems)}") from None
    for depth, part in enumerate(path):
        where = _described(path[:depth])
        if node is None:
            raise Unreadable(f"key {key!r} not found: the file is empty")
        if node.kind == "mapping":
            values = {name.text: value for name, value in node.pairs if name.kind == "scalar"}
            if str(part) not in values:
                raise Unreadable(f"key {key!r} not found: {where} has no {str(part)!r}")
            node = values[str(part)]
        elif node.kind == "sequence":
            if not (isinstance(part, int) or part.isdigit()) or int(part) >= len(node.items):
                raise Unreadable(f"key {key!r} not found: {where} is a list with no item {part}")
            node = node.items[int(part)]
        else:
            raise Unreadable(f"key {key!r} not found: {where} is a single value, not a mapping")
    if node is None or node.tag == "null":
        raise Unreadable(f"key {key!r} is empty; write the version there as a string")
    if node.kind != "scalar":
        raise Unreadable(f"key {key!r} is a {node.kind}, not a version; point the key at a string")
    text = _scalar_text(key, file, node.tag, node.text, node.line)
    return Found(text=text, line=node.line, origin=f"key {key!r} on line {node.line}")


_DECIMAL = re.compile(r"[0-9]+")


def _scalar_text(key: str, file: str, tag: str, text: str, line: int | None) -> str:
    if tag == "str":
        return text.strip()
    if tag == "int" and _DECIMAL.fullmatch(text):
        return text
    if tag in ("int", "float"):
        # 9.10 and 9.1 are the same number: reading it as a version would be a silent lie.
        raise Unreadable(
            f"key {key!r} is the number {text}, not a version string; "
            f'quote the version in {file}{_on_line(line)} ("{text}")'
        )
    raise Unreadable(f"key {key!r} is a {tag}, not a version; write the version as a string")


def _on_line(line: int | None) -> str:
    return "" if line is None else f" on line {line}"


def _from_plain(key: str, path: tuple[str | int, ...], file: str, data: bytes, kind: str) -> Found:
    document = _load(file, data, kind)
    value: object = document
    for depth, part in enumerate(path):
        where = _described(path[:depth])
        if isinstance(value, Mapping):
            if str(part) not in value:
                raise Unreadable(f"key {key!r} not found: {where} has no {str(part)!r}")
            value = value[str(part)]
        elif isinstance(value, list):
            if not (isinstance(part, int) or part.isdigit()) or int(part) >= len(value):
                raise Unreadable(f"key {key!r} not found: {where} has no item {part}")
            value = value[int(part)]
        else:
            raise Unreadable(f"key {key!r} not found: {where} is not a table or list")
    if value is None:
        raise Unreadable(f"key {key!r} is null; write the version there as a string")
    if isinstance(value, Mapping | list):
        what = "an object" if isinstance(value, Mapping) else "a list"
        raise Unreadable(f"key {key!r} is {what}, not a version; point the key at a string")
    if isinstance(value, bool):
        raise Unreadable(f"key {key!r} is a boolean, not a version; write it as a string")
    if isinstance(value, int | float):
        tag = "int" if isinstance(value, int) else "float"
        text = _number_text(data, path[-1], value)
        line = _plain_line(data, path[-1], text)
        return Found(
            text=_scalar_text(key, file, tag, text, line), line=line, origin=f"key {key!r}"
        )
    if not isinstance(value, str):
        raise Unreadable(f"key {key!r} is a {type(value).__name__}, not a version string")
    return Found(text=value.strip(), line=_plain_line(data, path[-1], value), origin=f"key {key!r}")


def _load(file: str, data: bytes, kind: str) -> object:
    if kind == "JSON":
        try:
            return json.loads(data)
        except (ValueError, RecursionError) as error:
            raise Unreadable(f"the file is not valid JSON ({error}); fix {file}") from None
    import tomllib

    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise Unreadable(f"the file is not valid TOML ({error}); fix {file}") from None


def _number_text(data: bytes, last: str | int, value: float) -> str:
    """The number as written where it can be found (9.10, not 9.1), else as Python prints it."""
    if isinstance(last, str):
        match = re.search(_assignment(last) + r"([-+0-9.eE_]+)", decoded_text(data))
        if match is not None:
            return match[1]
    return str(value)


def _assignment(name: str) -> str:
    quoted = re.escape(json.dumps(name))
    return rf"(?:{quoted}|'{re.escape(name)}'|(?<![\w.-]){re.escape(name)})\s*[:=]\s*"


def _plain_line(data: bytes, last: str | int, value: str) -> int | None:
    """Best effort: the line of `last = value` (or `"last": "value"`) when it is unique.

    JSON and TOML parsers give no positions; when the text does not tell, the line is None
    rather than a guess.
    """
    text = decoded_text(data)
    literal = rf"(?:{re.escape(json.dumps(value))}|'{re.escape(value)}'|{re.escape(value)}\b)"
    if isinstance(last, str):
        hits = list(re.finditer(_assignment(last) + literal, text))
        if len(hits) == 1:
            return line_of(text, hits[0].start())
    hits = list(re.finditer(literal, text))
    if len(hits) == 1:
        return line_of(text, hits[0].start())
    return None
