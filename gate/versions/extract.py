"""Version extraction: the raw version strings a map's `version:` rule finds in a file."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Mapping

from gate.depmap.records import ImageRule, KeyRule, PatternRule, VersionSpec, is_dockerfile
from gate.errors import MapError
from gate.versions.found import Found, Lines, Unreadable, decoded_text, line_of
from gate.versions.image import by_image

# Processor time a pattern may take on one file: far above any real file's need.
MAX_SECONDS = 1.0
# The longest version read: real ones are a few dozen characters (a date, a build, a hash).
MAX_VERSION_CHARS = 128


class PatternTooSlow(Unreadable):
    """The pattern's matching took longer than MAX_SECONDS: the file is never read."""


def found(
    spec: VersionSpec, data: bytes, *, first: bool = False, env: bytes | None = None
) -> list[Found]:
    """Every candidate the rule finds, in file order; never empty (Unreadable instead). With
    `first`, a pattern stops at its first match (an image's references all count); `env` is
    the `.env` beside a compose file, when there is one.

    A candidate holding whitespace or a control character is no version: it would reach
    reports as text the change chose, so it is refused here.
    """
    if isinstance(spec, PatternRule):
        results = _by_pattern(spec.pattern, data, first=first)
    elif isinstance(spec, KeyRule):
        results = [_by_key(spec.key, spec.file, data)]
    else:
        from gate.versions.dotenv import variables

        results = by_image(spec.image, spec.file, data, None if env is None else variables(env))
    for result in results:
        # Every whitespace character but the space is unprintable to Python.
        written = result.text + result.suffix
        if " " in written or not written.isprintable():
            raise Unreadable(
                f"{result.origin}: the version {written!r} holds whitespace or a control "
                "character, which no version does; write the version alone"
            )
        if len(written) > MAX_VERSION_CHARS:
            raise Unreadable(
                f"{result.origin}: the version {written[:40]!r}... is {len(written)} characters"
                f" long, more than any version ({MAX_VERSION_CHARS}); write the version alone"
            )
    return results


def prepare(specs: Iterable[VersionSpec]) -> None:
    """Load now the parsers reading these rules' files will take: the gate has time now, while
    git lists the files, and would wait for the imports later."""
    specs = list(specs)
    if specs:
        import packaging.version  # noqa: F401 -- every scheme orders versions with it
    if any(isinstance(spec, PatternRule) for spec in specs):
        import regex  # noqa: F401
    if any(
        (isinstance(spec, KeyRule) and _format(spec.file) == "YAML")
        or (isinstance(spec, ImageRule) and not is_dockerfile(spec.file))
        for spec in specs
    ):
        import yaml  # noqa: F401


# pattern ----------------------------------------------------------------------------------


def _by_pattern(pattern: str, data: bytes, *, first: bool) -> list[Found]:
    import regex  # the re syntax, with a bound on the time a match may take

    started = time.process_time()
    try:
        compiled = regex.compile(pattern, regex.MULTILINE)
    except regex.error as error:
        raise Unreadable(f"the pattern does not compile ({error}); fix it in the map") from None
    if "version" not in compiled.groupindex:
        raise Unreadable("the pattern has no group named 'version'; add (?P<version>...)")
    text = decoded_text(data)
    matches: list[tuple[int, str]] = []  # (offset, text) of each version, found in time
    try:
        timeout = max(MAX_SECONDS - (time.process_time() - started), 0.0)
        for match in compiled.finditer(text, timeout=timeout):
            version = match["version"]
            if version is not None:
                matches.append((match.start("version"), version))
                if first:
                    break
    except TimeoutError:
        raise PatternTooSlow(
            f"the pattern took more than {MAX_SECONDS:g} second to match on the file; make it "
            "simpler (no nested repetition such as (a+)+)"
        ) from None
    lines = Lines(text)
    results = []
    for offset, version in matches:
        line = lines.of(offset)
        results.append(Found(text=version.strip(), line=line, origin=f"the match on line {line}"))
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
    if isinstance(value, _Number | int | float):
        # A number as written where the parser kept the text (9.10, not 9.1), else as it reads.
        text = str(value)
        tag = "float" if isinstance(value, float) or not _DECIMAL.fullmatch(text) else "int"
        line = _plain_line(data, path[-1], text)
        return Found(
            text=_scalar_text(key, file, tag, text, line), line=line, origin=f"key {key!r}"
        )
    if not isinstance(value, str):
        raise Unreadable(f"key {key!r} is a {type(value).__name__}, not a version string")
    return Found(text=value.strip(), line=_plain_line(data, path[-1], value), origin=f"key {key!r}")


class _Number(str):
    """A JSON or TOML number as the file writes it."""


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    # Which of two equal keys counts differs between readers; the gate reads neither.
    unique = dict(pairs)
    if len(unique) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return unique


def _load(file: str, data: bytes, kind: str) -> object:
    if kind == "JSON":
        try:
            return json.loads(
                data, parse_float=_Number, parse_int=_Number, object_pairs_hook=_unique_keys
            )
        except (ValueError, RecursionError) as error:
            raise Unreadable(f"the file is not valid JSON ({error}); fix {file}") from None
    import tomllib

    try:
        return tomllib.loads(data.decode("utf-8"), parse_float=_Number)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise Unreadable(f"the file is not valid TOML ({error}); fix {file}") from None


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
