"""What a path pattern means: gitignore semantics, as one regular expression."""

from __future__ import annotations

import re
from collections.abc import Sequence

WILDCARD = re.compile(r"[*?\[]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"[A-Za-z]:")

# git's wildmatch classes, by their ASCII definitions (git's own ctype: \v and \f are not space).
_POSIX_CLASSES = {
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "blank": " \\t",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": " \\t\\n\\r",
    "upper": "A-Z",
    "xdigit": "0-9A-Fa-f",
}


class Problem(Exception):
    """A pattern that cannot be read; pattern_error turns it into a message."""


def pattern_problem(pattern: str) -> str | None:
    """What is wrong with a pattern as a map writes it (relative, no negation, no escapes),
    or None when it is fine."""
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
    return pattern_error(pattern)


def pattern_error(pattern: str) -> str | None:
    """What is wrong with a pattern, or None when it is fine."""
    try:
        split_pattern(pattern)
    except Problem as problem:
        return str(problem)
    return None


def pattern_regex(pattern: str) -> str:
    """The regular expression (for re.match with re.DOTALL) of every path the pattern matches.

    This is the plain meaning of a pattern, one at a time; Matcher's index must agree with it.
    """
    anchored, components, dir_only = split_pattern(pattern)
    lead = "" if anchored else "(?:.*/)?"
    return lead + _regex(components, dir_only)


def split_pattern(pattern: str) -> tuple[bool, list[str], bool]:
    """(anchored, components, directory only) of a pattern, or Problem."""
    if not pattern:
        raise Problem("empty pattern")
    if "\\" in pattern:
        raise Problem("backslash escapes are not supported")
    if pattern != pattern.strip():
        raise Problem("starts or ends with whitespace; remove it")
    if _CONTROL.search(pattern):
        raise Problem("contains a control character")
    if pattern.startswith("!"):
        raise Problem("negation ('!') is not supported; list the paths the system does own")
    dir_only = pattern.endswith("/")
    body = pattern[:-1] if dir_only else pattern
    # gitignore: a slash at the start or in the middle anchors the pattern at the root.
    anchored = "/" in body
    if body.startswith("/"):
        body = body[1:]
    if not body:
        raise Problem("matches nothing; write '**' to match every path")
    components: list[str] = []
    for component in body.split("/"):
        if not component:
            raise Problem("contains '//' (an empty path component)")
        if component in (".", ".."):
            raise Problem("'.' and '..' never match; write the path from the repository root")
        if "**" in component and component != "**":
            raise Problem(
                "'**' only means 'any depth' as a whole path component ('**/x', 'x/**', "
                "'a/**/b'); use '*' within a name"
            )
        if "[" in component:
            component_regex(component)  # raises on a bad character class
        if component != "**" or components[-1:] != ["**"]:
            components.append(component)  # '**/**' is '**', and the regex is faster without
    return anchored, components, dir_only


def _regex(components: Sequence[str], dir_only: bool) -> str:
    """The regex of a run of components, matching a path prefix that ends at a boundary."""
    parts: list[str] = []
    last = len(components) - 1
    for index, component in enumerate(components):
        if component == "**":
            parts.append(".*" if index == last else "(?:.*/)?")
            continue
        parts.append(component_regex(component))
        if index != last:
            parts.append("/")
    # A pattern that matches a directory matches everything below it.
    parts.append("/" if dir_only else "(?:/|\\Z)")
    return "".join(parts)


def component_regex(component: str) -> str:
    parts: list[str] = []
    index = 0
    while index < len(component):
        char = component[index]
        if char == "*":
            parts.append("[^/]*")
            while index < len(component) and component[index] == "*":
                index += 1
            continue
        if char == "?":
            parts.append("[^/]")
        elif char == "[":
            fragment, index = _class_regex(component, index)
            parts.append(fragment)
            continue
        else:
            parts.append(re.escape(char))
        index += 1
    return "".join(parts)


def _class_regex(component: str, start: int) -> tuple[str, int]:
    """The regex of the class opening at component[start], and the index after it.

    Follows git's wildmatch: '!' or '^' negates, a ']' first is literal, 'a-z' ranges,
    '[:alpha:]' classes; a class never matches '/'.
    """
    unterminated = "unterminated character class '[' (a class cannot contain '/')"
    index = start + 1
    negated = index < len(component) and component[index] in "!^"
    if negated:
        index += 1
    items: list[str] = []
    range_start: str | None = None  # the previous literal, which a '-' may extend to a range
    first = True
    while True:
        if index >= len(component):
            raise Problem(unterminated)
        char = component[index]
        if char == "]" and not first:
            break
        first = False
        following = component[index + 1] if index + 1 < len(component) else ""
        if char == "-" and range_start is not None and following not in ("", "]"):
            if following < range_start:
                raise Problem(f"character range '{range_start}-{following}' is reversed")
            items[-1] = f"{re.escape(range_start)}-{re.escape(following)}"
            range_start = None
            index += 2
            continue
        if char == "[" and following == ":":
            close = component.find("]", index + 2)
            if close == -1:
                raise Problem(unterminated)
            if close - (index + 2) >= 1 and component[close - 1] == ":":
                name = component[index + 2 : close - 1]
                if name not in _POSIX_CLASSES:
                    raise Problem(f"unknown character class '[:{name}:]'")
                items.append(_POSIX_CLASSES[name])
                range_start = None
                index = close + 1
                continue
        items.append(re.escape(char))
        range_start = char
        index += 1
    body = "".join(items)
    fragment = f"[^{body}/]" if negated else f"(?!/)[{body}]"
    return fragment, index + 1
