"""The package's import graph: no cycles, and every import points down the layers.

Every import in gate/ counts, wherever it is written: at the top of a module, inside a
function (a lazy import still runs, and still ties the two modules together), and under
`if TYPE_CHECKING:` (a type-only import is still a dependency a reader must follow).
`from gate.x import y` depends on the module gate.x.y when there is one, else on gate.x.

The layers, low to high, each a list of module names; a name stands for that module and
every module below it (gate.git is gate/git/ whole), and a module belongs to the layer of
the longest name that covers it:

    gate, gate.errors, gate.tuples, gate.output,  the version, errors, records, printing,
    gate.files, gate.workflow_commands            reading a given file, the Actions log
    gate.git                                      git: refs, the change, files at commits
    gate.report.records, gate.report.words        the report's records and its words
    gate.paths                                    path patterns and matching
    gate.depmap                                   the map: YAML to frozen records
    gate.impact                                   touched to affected, with chains
    gate.versions                                 declared versions and requirements
    gate.touched                                  the systems a change touches
    gate.signoffs                                 who counts as having signed off
    gate.verdict                                  the decision
    gate.check                                    the check, every stage in order
    gate.report, gate.evidence                    the renderers (text, json, html, ...), evidence
    gate.github                                   the GitHub client and the --github mode
    gate.explain, gate.board                      what is built on a check's report
    gate.demo                                     the 2017 replay
    gate.main, gate.commands, gate.__main__       the command line, its commands

A module may import a module of a lower layer, or of its own layer (its own package's
files, or a neighbour named on the same line); never one of a higher layer. Within a layer
the order is left to the cycle check: imports inside one package must form no cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "gate"

LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "gate",
        "gate.errors",
        "gate.tuples",
        "gate.output",
        "gate.files",
        "gate.workflow_commands",
    ),
    ("gate.git",),
    ("gate.report.records", "gate.report.words"),
    ("gate.paths",),
    ("gate.depmap",),
    ("gate.impact",),
    ("gate.versions",),
    ("gate.touched",),
    ("gate.signoffs",),
    ("gate.verdict",),
    ("gate.check",),
    ("gate.report", "gate.evidence"),
    ("gate.github",),
    ("gate.explain", "gate.board"),
    ("gate.demo",),
    ("gate.main", "gate.commands", "gate.__main__"),
)


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its __init__.py)."""
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imported(name: str, path: Path, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """Each gate module that module `name` imports, with the line of the import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in known:
                    yield submodule, node.lineno
                elif base in known:
                    yield base, node.lineno


def graph() -> dict[str, dict[str, int]]:
    """module -> {imported gate module: line of its first import}."""
    known = modules()
    edges: dict[str, dict[str, int]] = {}
    for name, path in known.items():
        edges[name] = {}
        for target, line in imported(name, path, known):
            if target != name:
                edges[name].setdefault(target, line)
    return edges


def layer_of(name: str) -> int:
    best, found = -1, -1
    for index, names in enumerate(LAYERS):
        for covering in names:
            # The package itself covers only its __init__: a new module must be placed.
            below = covering != "gate" and name.startswith(covering + ".")
            if (name == covering or below) and len(covering) > best:
                best, found = len(covering), index
    return found


def cycles(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each in order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return components


def describe(component: list[str], edges: dict[str, dict[str, int]]) -> str:
    """One cycle: every import between the component's modules, FILE:LINE each."""
    inside = set(component)
    lines = [f"cycle between {', '.join(component)}:"]
    for source in component:
        for target, line in sorted(edges[source].items()):
            if target in inside:
                path = modules()[source].relative_to(PACKAGE.parent)
                lines.append(f"  {path}:{line}: {source} imports {target}")
    return "\n".join(lines)


def test_every_module_has_a_layer() -> None:
    assert [name for name in modules() if layer_of(name) < 0] == []


def test_the_layer_table_reads_as_documented() -> None:
    assert layer_of("gate") < layer_of("gate.git.diff") < layer_of("gate.report.records")
    assert layer_of("gate.report.records") < layer_of("gate.check") < layer_of("gate.report.html")
    assert layer_of("gate.report") == layer_of("gate.report.text")
    assert layer_of("gate.touched") < layer_of("gate.check")
    assert layer_of("gate.unknown") == -1  # a new module must be given a layer


def test_the_graph_sees_every_kind_of_import(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "import gate.errors\n"
        "from gate import tuples\n"
        "from gate.git.refs import resolve\n"
        "from . import output\n"
        "if TYPE_CHECKING:\n"
        "    from gate.depmap.records import Map\n"
        "def later():\n"
        "    from gate.paths import index\n"
    )
    known = modules()
    assert dict(imported("gate.mod", source, known)) == {
        "gate.errors": 2,
        "gate.tuples": 3,
        "gate.git.refs": 4,
        "gate.output": 5,
        "gate.depmap.records": 7,
        "gate.paths.index": 9,
    }
    assert cycles({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}) == [["a", "b", "c"]]


def test_no_import_cycles_and_no_upward_imports() -> None:
    edges = graph()
    problems = [describe(component, edges) for component in cycles(edges)]
    for source, targets in sorted(edges.items()):
        for target, line in sorted(targets.items()):
            if layer_of(target) > layer_of(source):
                path = modules()[source].relative_to(PACKAGE.parent)
                problems.append(
                    f"upward import: {path}:{line}: {source} (layer {layer_of(source)}) imports"
                    f" {target} (layer {layer_of(target)})"
                )
    print("\n".join(problems))
    assert not problems, "\n" + "\n".join(problems)
