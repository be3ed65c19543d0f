"""Loading a system's `version:` block: one of a pattern, key or image rule, or problems."""

from __future__ import annotations

import re

from gate.depmap.reader import Reader, known_keys_only
from gate.depmap.records import ImageRule, KeyRule, PatternRule, Scheme, Select, VersionSpec
from gate.depmap.strict_yaml import Node
from gate.paths.pattern import pattern_error

_VERSION_KEYS = ("file", "pattern", "key", "image", "select", "scheme")
_SCHEMES: tuple[Scheme, ...] = ("semver", "pep440", "postgresql", "loose")
_SELECTS: tuple[Select, ...] = ("first", "max", "min")

_DRIVE = re.compile(r"[A-Za-z]:")
_GLOB_CHARS = frozenset("*?[]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # Unicode's category Cc, C0 and C1


def version_rule(reader: Reader, node: Node, context: str) -> VersionSpec | None:
    """The rule of a `version:` block; None when it is unusable (its problems recorded)."""
    fields = reader.fields(node, context, _VERSION_KEYS)
    if fields is None:
        return None
    file = None
    complete = known_keys_only(node, _VERSION_KEYS)
    if "file" in fields:
        file = reader.text(fields["file"], f"'file' of {context}")
        problem = _file_problem(file) if file is not None else None
        if problem is not None:
            reader.problem(fields["file"], f"'file' of {context} {problem}")
    elif complete:
        reader.problem(node, f"{context} has no 'file'; name the file that declares the version")
    given = [name for name in ("pattern", "key", "image") if name in fields]
    if not given and complete:
        reader.problem(
            node,
            f"{context} needs one of 'pattern', 'key' or 'image' to say where the version is",
        )
    for extra in given[1:]:
        reader.problem(
            fields[extra],
            f"{context} has both '{given[0]}' and '{extra}'; keep exactly one",
        )
    pattern = _pattern(reader, fields["pattern"], context) if "pattern" in fields else None
    version_key = _key(reader, fields["key"], context) if "key" in fields else None
    image = _image(reader, fields["image"], context) if "image" in fields else None
    select: Select | None = "first"
    if "select" in fields:
        select = reader.choice(fields["select"], f"'select' of {context}", _SELECTS)
        if "pattern" not in fields:
            reader.problem(
                fields["select"],
                f"'select' of {context} works only with 'pattern'; remove it",
            )
    scheme: Scheme | None = "pep440"
    if "scheme" in fields:
        scheme = reader.choice(fields["scheme"], f"'scheme' of {context}", _SCHEMES)
    if file is None or len(given) != 1 or select is None or scheme is None:
        return None
    if pattern is not None:
        return PatternRule(file=file, pattern=pattern, select=select, scheme=scheme)
    # A `select` given with a key or image was reported above; the map is not made.
    if version_key is not None:
        return KeyRule(file=file, key=version_key, scheme=scheme)
    if image is not None:
        return ImageRule(file=file, image=image, scheme=scheme)
    return None


def _pattern(reader: Reader, node: Node, context: str) -> str | None:
    pattern = reader.text(node, f"'pattern' of {context}")
    if pattern is None:
        return None
    try:
        compiled = re.compile(pattern, re.MULTILINE)
    except re.error as error:
        reader.problem(
            node,
            f"'pattern' of {context} is not a valid regular expression ({error}); "
            "fix it, and remember YAML double quotes need \\\\ for one backslash",
        )
        return None
    if "version" not in compiled.groupindex:
        reader.problem(
            node,
            f"'pattern' of {context} has no group named 'version'; "
            "wrap the version in (?P<version>...)",
        )
        return None
    return pattern


def _key(reader: Reader, node: Node, context: str) -> str | None:
    key = reader.text(node, f"'key' of {context}")
    if key is not None and (not key or "" in key.split(".")):
        reader.problem(
            node,
            f"'key' of {context} must be a dotted path such as 'pg_dump.client_version', "
            f"not '{key}'",
        )
        return None
    return key


def _image(reader: Reader, node: Node, context: str) -> str | None:
    image = reader.text(node, f"'image' of {context}")
    if image is None:
        return None
    if not image or any(char.isspace() for char in image):
        reader.problem(node, f"'image' of {context} must be an image name such as 'postgres'")
        return None
    if ":" in image.rsplit("/", 1)[-1] or "@" in image:
        reader.problem(
            node,
            f"'image' of {context} must name the image without its tag or digest "
            f"('postgres', not 'postgres:15')",
        )
        return None
    return image


def _file_problem(file: str) -> str | None:
    """What is wrong with a `version.file` path, or None.

    The file is also one of its system's paths, so whatever the path matcher would refuse is
    refused here, with the map's position, rather than when a check builds the matcher.
    """
    if not file:
        return "is empty; name the file that declares the version"
    if file[0].isspace() or file[-1].isspace():
        return f"starts or ends with whitespace: write {file.strip()!r}"
    control = _CONTROL.search(file)
    if control is not None:
        return f"contains the control character {control[0]!r}; name the file without it"
    if file.startswith("/"):
        return f"must be relative to the repository root: write '{file.lstrip('/')}'"
    if "\\" in file:
        return "contains a backslash; separate directories with '/'"
    if _GLOB_CHARS.intersection(file):
        return "must name one file, not a pattern: remove '*', '?', '[' and ']'"
    if _DRIVE.match(file) or any(part in ("", ".", "..") for part in file.split("/")):
        return "must be a plain relative path such as 'backup/backup.yml' (no '.', '..' or '//')"
    problem = pattern_error("/" + file)
    return None if problem is None else f"cannot be matched as a path: it {problem}"
