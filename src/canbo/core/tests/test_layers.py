"""Layers point one way (STYLE.md 20; docs/architecture.md, "Layers").

The import statements of every module under ``src/canbo`` are read with ``ast`` (nothing is
imported; imports inside functions count as much as those at the top of a module). The test
fails when core imports an app of ours, when apps import each other in a cycle of any length,
or when an app imports one that comes after it in the order docs/architecture.md gives.

Left out, and why:

- ``tests/`` directories and ``conftest.py`` files: a test checks its app together with the apps
  above it (``core/tests/test_scope_coverage.py`` covers every scoped model of every app; the
  fixtures build the demo province), and no running code imports a test, so a test adds no
  dependency between the apps that run.
- The project's own modules at ``src/canbo/`` (settings, urls, api_urls, wsgi): they are the top
  that assembles the apps, not an app.
"""

from __future__ import annotations

import ast
import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]  # src/canbo
DOCS = SRC.parents[1] / "docs" / "architecture.md"
CORE = "core"


@dataclass(frozen=True)
class Edge:
    """``source`` app imports ``target`` app at ``where`` (file:line, the module imported)."""

    source: str
    target: str
    where: str


def apps_of(root: Path) -> set[str]:
    """Our apps: the packages of ``root`` with an ``apps.py``."""
    return {p.parent.name for p in root.glob("*/apps.py")}


def modules_of(root: Path) -> dict[str, str]:
    """Relative path → source of every module the graph reads (see the module docstring)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if len(rel.parts) < 2 or "tests" in rel.parts or path.name == "conftest.py":
            continue
        out[rel.as_posix()] = path.read_text(encoding="utf-8")
    return out


def statements(tree: ast.Module) -> Iterable[ast.stmt]:
    """Every statement of a module, at any depth (in functions, classes, loops, ``if``, ``with``,
    ``try`` and ``match`` blocks). An import is a statement and no expression holds one, so the
    expressions (most of a module's nodes) are not walked: ``ast.walk`` over all of them was most
    of the test's time (docs/performance.md, session 15)."""
    stack: list[ast.AST] = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.stmt):
            yield node
        for _name, value in ast.iter_fields(node):
            if (
                isinstance(value, list)
                and value
                and isinstance(value[0], ast.stmt | ast.excepthandler | ast.match_case)
            ):
                stack.extend(reversed(value))


def imported_modules(rel: str, source: str) -> Iterable[tuple[int, str]]:
    """(line, dotted name) of every import in a module, at any depth, relative ones resolved."""
    # The package a relative import starts from: the module's own (``__init__`` is its package).
    package = ["canbo", *rel.removesuffix(".py").split("/")][:-1]
    for node in statements(ast.parse(source, filename=rel)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = [*base, *(node.module.split(".") if node.module else [])]
            for alias in node.names:  # ``from canbo import people`` names the app in the alias
                yield node.lineno, ".".join([*module, alias.name])


def edges_of(modules: dict[str, str], apps: set[str]) -> list[Edge]:
    edges = []
    for rel, source in modules.items():
        app = rel.split("/")[0]
        if app not in apps:
            continue
        for line, name in imported_modules(rel, source):
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "canbo" and parts[1] in apps and parts[1] != app:
                edges.append(Edge(app, parts[1], f"{rel}:{line} imports {name}"))
    return edges


def cycles_of(edges: list[Edge]) -> list[list[str]]:
    """The groups of apps that import each other, directly or around a longer loop (the strongly
    connected components of more than one app, by Tarjan's algorithm)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        graph[e.source].add(e.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        on_stack.add(app)
        for nxt in sorted(graph[app]):
            if nxt not in index:
                visit(nxt)
                low[app] = min(low[app], low[nxt])
            elif nxt in on_stack:
                low[app] = min(low[app], index[nxt])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for app in sorted(graph):
        if app not in index:
            visit(app)
    return groups


def documented_order(text: str) -> list[str]:
    """The app order of docs/architecture.md's "Layers" section: the line that starts with
    ``Order:`` and lists the apps bottom first, separated by ``<``."""
    match = re.search(r"^Order: `([^`]+)`", text, re.M)
    assert match, "docs/architecture.md, section Layers: no line `Order: `core < …``"
    return [name.strip() for name in match.group(1).split("<")]


@functools.cache
def project_edges() -> tuple[set[str], tuple[Edge, ...]]:
    """Our apps and the imports between them, read once per process for the three tests below
    (each reads them whole; none changes them)."""
    apps = apps_of(SRC)
    return apps, tuple(edges_of(modules_of(SRC), apps))


def _explain(edges: Iterable[Edge]) -> str:
    return "\n".join(f"  {e.source} → {e.target}: {e.where}" for e in edges)


def test_core_imports_no_app() -> None:
    _apps, edges = project_edges()
    bad = [e for e in edges if e.source == CORE]
    assert not bad, "core is the bottom layer and imports no app of ours:\n" + _explain(bad)


def test_no_two_apps_import_each_other() -> None:
    _apps, edges = project_edges()
    groups = cycles_of(list(edges))
    details = [
        f"{' ↔ '.join(g)}:\n" + _explain([e for e in edges if e.source in g and e.target in g])
        for g in groups
    ]
    assert not groups, "apps that import each other (a cycle):\n" + "\n".join(details)


def test_apps_import_only_apps_below_them() -> None:
    """The order in docs/architecture.md is the real one: every app imports only apps listed
    before it, and every app is listed."""
    apps, edges = project_edges()
    order = documented_order(DOCS.read_text(encoding="utf-8"))
    assert sorted(order) == sorted(apps), "the documented order must list every app once"
    rank = {app: i for i, app in enumerate(order)}
    upward = [e for e in edges if rank[e.target] > rank[e.source]]
    assert not upward, "an app imports one above it in the documented order:\n" + _explain(upward)


def test_the_reader_sees_every_kind_of_import() -> None:
    """The checker itself: imports in functions, ``from canbo import app``, relative imports, and
    a cycle through three apps are all found."""
    modules = {
        "core/a.py": "def f():\n    from canbo.people.models import Person\n",
        "people/b.py": "from canbo import lists\n",
        "lists/c.py": "from ..rules import x\n",
        "rules/d.py": "import canbo.people.models\n",
    }
    apps = {"core", "people", "lists", "rules"}
    edges = edges_of(modules, apps)
    assert {(e.source, e.target) for e in edges} == {
        ("core", "people"),
        ("people", "lists"),
        ("lists", "rules"),
        ("rules", "people"),
    }
    assert cycles_of(edges) == [["lists", "people", "rules"]]
    assert cycles_of([Edge("a", "b", ""), Edge("b", "c", "")]) == []


def test_the_reader_sees_imports_in_every_kind_of_block() -> None:
    """``statements`` (the reader's walk) finds an import in any block a statement can stand in:
    the same imports, at the same lines, as ``ast.walk`` over every node."""
    source = (
        "import canbo.a\n"
        "if x:\n    import canbo.b\nelif y:\n    import canbo.c\nelse:\n    import canbo.d\n"
        "for i in y:\n    import canbo.e\nelse:\n    import canbo.f\n"
        "while x:\n    import canbo.g\nelse:\n    import canbo.h\n"
        "with open(p) as f, g:\n    import canbo.i\n"
        "try:\n    import canbo.j\nexcept ImportError:\n    import canbo.k\n"
        "except (KeyError, ValueError) as e:\n    import canbo.l\nelse:\n    import canbo.m\n"
        "finally:\n    import canbo.n\n"
        "try:\n    pass\nexcept* OSError:\n    import canbo.o\n"
        "match x:\n    case 1:\n        import canbo.p\n    case _:\n        from canbo import q\n"
        "@decorated\nclass C(Base):\n    import canbo.r\n"
        "    def f(self):\n        from . import s\n"
        "        def g():\n            from .t import u\n"
        "async def h():\n    async with x:\n        import canbo.v\n"
        "    async for i in y:\n        import canbo.w\n"
        "f = lambda: __import__('canbo.x')\n"
    )
    tree = ast.parse(source)
    walked = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert len(walked) == 22
    assert sorted(id(n) for n in statements(tree) if isinstance(n, ast.Import | ast.ImportFrom)) == sorted(
        id(n) for n in walked
    )
    got = set(imported_modules("core/z.py", source))
    assert {name for _line, name in got} == {
        *(f"canbo.{c}" for c in "abcdefghijklmnopr"),
        "canbo.q",
        "canbo.core.s",
        "canbo.core.t.u",
        "canbo.v",
        "canbo.w",
    }
    assert len(got) == 22
