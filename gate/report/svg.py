"""The impact picture: affected systems drawn as an inline SVG, in layers by dependency depth."""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Mapping
from dataclasses import dataclass

from gate.report.html_page import inert
from gate.report.records import Report, SystemResult
from gate.report.words import counted

NODE_WIDTH = 232
NODE_HEIGHT = 62
ROW_GAP = 14
COLUMN_GAP = 32  # between the columns a wide layer wraps into
LAYER_GAP = 84  # between layers: room for the arrows
MARGIN = 16
HEADER = 30  # the layer captions above the nodes
MAX_ROWS = 8  # a layer taller than this wraps into more columns, so the picture grows sideways
NAME_CHARS = 25  # what fits on a node's first line at 13px bold
LINE_CHARS = 32  # what fits on the smaller lines
TOOLTIP_CHAINS = 8
DENSE = 40  # past this many arrows they are drawn faint, so the systems stay readable


@dataclass(frozen=True, kw_only=True)
class Placed:
    result: SystemResult
    x: int
    y: int


def depths(report: Report) -> dict[str, int]:
    """Each affected system's layer: the length of its shortest chain from a touched system.

    Touched systems are layer 0. A system without chains (none should be) is placed by a walk
    over the crossed edges, and one still unreached goes one layer past the touched.
    """
    found: dict[str, int] = {}
    for result in report.systems:
        if result.affected == "touched":
            found[result.id] = 0
        elif result.because:
            found[result.id] = min(len(chain) for chain in result.because) - 1
    dependents: dict[str, list[str]] = defaultdict(list)
    for dependency, dependent in report.edges:
        dependents[dependency].append(dependent)
    walked = {sid: 0 for sid, depth in found.items() if depth == 0}
    queue = deque(walked)
    while queue:
        source = queue.popleft()
        for target in dependents.get(source, ()):
            if target not in walked:
                walked[target] = walked[source] + 1
                queue.append(target)
    for result in report.systems:
        if result.id not in found:
            found[result.id] = walked.get(result.id, 1)
    return found


def layers(report: Report) -> list[tuple[int, list[SystemResult]]]:
    """Systems grouped by depth, each layer ordered to keep arrows short and straight.

    Within a layer, a system sits near the systems it is reached from (their mean position in
    the layers before it); ties keep the report's order, which is by name.
    """
    depth = depths(report)
    count = max(depth.values(), default=-1) + 1
    grouped: list[list[SystemResult]] = [[] for _ in range(count)]
    for result in report.systems:
        grouped[depth[result.id]].append(result)
    sources: dict[str, list[str]] = defaultdict(list)
    for dependency, dependent in report.edges:
        sources[dependent].append(dependency)
    position: dict[str, float] = {}
    for layer in grouped:

        def key(result: SystemResult) -> float:
            known = [position[s] for s in sources.get(result.id, ()) if s in position]
            return sum(known) / len(known) if known else math.inf

        layer.sort(key=key)
        for index, result in enumerate(layer):
            position[result.id] = index / max(len(layer), 1)
    return [(depth, layer) for depth, layer in enumerate(grouped) if layer]


def place(report: Report) -> tuple[list[Placed], list[tuple[int, str]], int, int]:
    """Node positions, layer captions (x, text), and the picture's width and height."""
    grouped = layers(report)
    rows = [min(len(layer), MAX_ROWS) for _, layer in grouped]
    tallest = max(rows, default=0)
    height = 2 * MARGIN + HEADER + tallest * NODE_HEIGHT + max(tallest - 1, 0) * ROW_GAP
    placed: list[Placed] = []
    captions: list[tuple[int, str]] = []
    x = MARGIN
    for depth, layer in grouped:
        columns = math.ceil(len(layer) / MAX_ROWS)
        per_column = math.ceil(len(layer) / columns)
        captions.append((x, _caption(depth, len(layer))))
        for column in range(columns):
            members = layer[column * per_column : (column + 1) * per_column]
            used = len(members) * NODE_HEIGHT + (len(members) - 1) * ROW_GAP
            top = MARGIN + HEADER + (height - 2 * MARGIN - HEADER - used) // 2
            for row, result in enumerate(members):
                placed.append(Placed(result=result, x=x, y=top + row * (NODE_HEIGHT + ROW_GAP)))
            x += NODE_WIDTH + (COLUMN_GAP if column < columns - 1 else LAYER_GAP)
    width = x - LAYER_GAP + MARGIN if placed else 2 * MARGIN
    return placed, captions, width, height


def _caption(depth: int, count: int) -> str:
    if depth == 0:
        return f"touched ({count})"
    steps = "1 step" if depth == 1 else f"{depth} steps"
    return f"{steps} away ({count})"


def render(report: Report, anchors: Mapping[str, str]) -> str:
    """The SVG element; `anchors` maps each system to the id of its entry on the page."""
    placed, captions, width, height = place(report)
    at = {node.result.id: node for node in placed}
    violated = {(v.dependency, v.dependent) for r in report.systems for v in r.violations}
    edges = [edge for edge in dict.fromkeys(report.edges) if edge[0] in at and edge[1] in at]
    kind = "impact dense" if len(edges) > DENSE else "impact"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{kind}" width="{width}"'
        f' height="{height}" viewBox="0 0 {width} {height}" role="group"'
        ' aria-labelledby="impact-title">',
        f'<title id="impact-title">Impact of the change: {counted(len(placed), "affected system")},'
        " touched on the left, each layer one dependency step further</title>",
        "<defs>" + _marker("arrow", "#667085") + _marker("arrow-violated", "#b42318") + "</defs>",
    ]
    for x, caption in captions:
        parts.append(f'<text class="layer" x="{x}" y="{MARGIN + 12}">{inert(caption)}</text>')
    for dependency, dependent in edges:
        parts.append(_edge(at[dependency], at[dependent], (dependency, dependent) in violated))
    for node in placed:
        parts.append(_node(node, anchors.get(node.result.id, "")))
    parts.append("</svg>")
    return "".join(parts)


def _marker(name: str, colour: str) -> str:
    # In user space, so a thicker (violated) arrow keeps the same head.
    return (
        f'<marker id="{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10"'
        ' markerHeight="10" markerUnits="userSpaceOnUse" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
    )


def _edge(source: Placed, target: Placed, violated: bool) -> str:
    y1 = source.y + NODE_HEIGHT // 2
    y2 = target.y + NODE_HEIGHT // 2
    x1 = source.x + NODE_WIDTH
    if target.x > x1:
        bend = max((target.x - x1) // 2, 24)
        d = f"M{x1},{y1} C{x1 + bend},{y1} {target.x - bend},{y2} {target.x},{y2}"
    else:
        # Within a layer or backwards: loop out to the right and come back in from there.
        x2 = target.x + NODE_WIDTH
        out = max(x1, x2) + 36
        d = f"M{x1},{y1} C{out},{y1} {out},{y2} {x2},{y2}"
    kind = "edge violated" if violated else "edge"
    marker = "arrow-violated" if violated else "arrow"
    title = f"{source.result.id} → {target.result.id}"
    if violated:
        title += ": version requirement violated"
    return (
        f'<path class="{kind}" d="{d}" marker-end="url(#{marker})">'
        f"<title>{inert(title)}</title></path>"
    )


def _node(node: Placed, anchor: str) -> str:
    result = node.result
    touched = result.affected == "touched"
    state = "touched" if touched else "impacted"
    label = "● TOUCHED" if touched else "◌ impacted"
    detail = [label]
    if result.kind:
        detail.append(result.kind)
    if result.version is not None and result.version.bump is not None:
        detail.append(result.version.bump + (" ↓" if result.version.downgrade else ""))
    if result.violations:
        status, status_class = f"⚠ violates {result.violations[0].requires}", "bad"
    elif not result.signoff.required:
        status, status_class = "sign-off not required", "quiet"
    elif result.signoff.satisfied:
        status, status_class = "✓ signed off", "good"
    else:
        status, status_class = "waiting for " + ", ".join(result.signoff.waiting_for), "wait"
    x, y = node.x, node.y
    tooltip = "\n".join(map(inert, _tooltip(result)))
    classes = f"node {state}" + (" violated" if result.violations else "")
    inner = (
        f"<title>{tooltip}</title>"
        f'<rect x="{x}" y="{y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="8"/>'
        f'<text class="name" x="{x + 12}" y="{y + 20}">{inert(_fit(result.id, NAME_CHARS))}'
        "</text>"
        f'<text class="detail" x="{x + 12}" y="{y + 37}">'
        f"{inert(_fit(' · '.join(detail), LINE_CHARS))}</text>"
        f'<text class="status {status_class}" x="{x + 12}" y="{y + 53}">'
        f"{inert(_fit(status, LINE_CHARS))}</text>"
    )
    if anchor:
        inner = f'<a href="#{inert(anchor)}">{inner}</a>'
    return f'<g class="{classes}" data-system="{inert(result.id)}">{inner}</g>'


def _tooltip(result: SystemResult) -> list[str]:
    """The lines of a node's tooltip; a value's own newline stays in its line, as an escape."""
    lines = [f"{result.id} ({result.affected})"]
    if result.description:
        lines.append(result.description)
    lines.append("owners: " + ", ".join(result.owners))
    for chain in result.because[:TOOLTIP_CHAINS]:
        lines.append("via " + " → ".join(chain))
    more = len(result.because) - TOOLTIP_CHAINS
    if more > 0 or result.because_truncated:
        lines.append("… and more chains" if more <= 0 else f"… and {counted(more, 'more chain')}")
    return lines


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
