"""The import modules depend on each other in one direction only (issue 15).

``engine`` is the public API and sits on top; ``errors`` and ``result`` (the types every step
shares) sit at the bottom. Every ``import`` counts, the ones inside functions too: a cycle
hidden behind a function-level import is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "canbo.imports"
ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    """The ``canbo.imports.X`` modules that ``path`` imports, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            # "from canbo.imports import reader" imports the module canbo.imports.reader
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if name.startswith(PACKAGE + ".") and (ROOT / f"{parts[2]}.py").exists():
                found.add(parts[2])
    return found


def import_graph() -> dict[str, set[str]]:
    graph = {path.stem: imported_modules(path) for path in sorted(ROOT.glob("*.py"))}
    return {module: deps - {module} for module, deps in graph.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk, each as the path that closes it."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for dep in sorted(graph.get(module, ())):
            if state.get(dep) == 1:
                found.append([*path[path.index(dep) :], dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def test_the_import_modules_import_each_other_in_no_circle() -> None:
    graph = import_graph()
    assert {"engine", "errors", "apply", "reader", "validate"} <= graph.keys()
    assert cycles(graph) == []


def test_the_cycle_check_sees_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
