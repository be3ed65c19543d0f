"""Drawing systems and their dependencies: Mermaid and Graphviz DOT."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from gate.depmap.records import Map

# Kept as they are in a label; everything else is written as Mermaid's entity code, #NNN;.
_MERMAID_SPECIAL = re.compile(r"[^\w .,:/@+=-]")

# Arrows point the way impact flows: from a dependency to the systems that depend on it.
Arrow = tuple[str, str, str]  # (dependency, dependent, label)
STYLES = {
    "touched": ("fill:#fde2e1,stroke:#b42318,stroke-width:3px", "filled,bold", "#fde2e1"),
    "impacted": ("fill:#fef0c7,stroke:#b54708,stroke-dasharray:4 2", "filled,dashed", "#fef0c7"),
}


def map_arrows(depmap: Map) -> list[Arrow]:
    return [
        (edge.dependency, edge.dependent, "" if edge.on == "any" else f"on {edge.on}")
        for edge in depmap.edges
    ]


def mermaid(nodes: Mapping[str, str], arrows: Iterable[Arrow]) -> str:
    """`nodes` maps each system to its state: "touched", "impacted" or ""."""
    ids = {name: f"s{index}" for index, name in enumerate(nodes)}
    lines = ["flowchart LR"]
    for name, node in ids.items():
        lines.append(f'  {node}["{_mermaid_text(name)}"]')
    for dependency, dependent, label in arrows:
        arrow = f" -->|{_mermaid_text(label)}| " if label else " --> "
        lines.append(f"  {ids[dependency]}{arrow}{ids[dependent]}")
    for state, (style, _, _) in STYLES.items():
        members = [ids[name] for name, kind in nodes.items() if kind == state]
        if members:
            lines.append(f"  classDef {state} {style}")
            lines.append(f"  class {','.join(members)} {state}")
    return "\n".join(lines) + "\n"


def dot(nodes: Mapping[str, str], arrows: Iterable[Arrow]) -> str:
    lines = ["digraph impact {", "  rankdir=LR;", '  node [shape=box, fontname="sans-serif"];']
    for name, state in nodes.items():
        attributes = f'label="{_dot_text(name)}"'
        if state in STYLES:
            _, style, fill = STYLES[state]
            attributes += f', style="{style}", fillcolor="{fill}"'
        lines.append(f'  "{_dot_text(name)}" [{attributes}];')
    for dependency, dependent, label in arrows:
        suffix = f' [label="{_dot_text(label)}"]' if label else ""
        lines.append(f'  "{_dot_text(dependency)}" -> "{_dot_text(dependent)}"{suffix};')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    """`text` inside a quoted Mermaid label: every character that could end the label, the
    line or the Markdown fence around the graph, or that Mermaid reads as markup or HTML, as
    its entity code (`#96;` for a backtick). Letters, digits and plain punctuation stay."""
    return _MERMAID_SPECIAL.sub(lambda found: f"#{ord(found.group())};", text)


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
