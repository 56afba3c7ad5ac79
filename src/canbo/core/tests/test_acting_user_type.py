"""Every service names who acts with ``core.types.ActingUser``, never ``Any`` (issue 15)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]


def test_no_acting_user_is_typed_any() -> None:
    untyped: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        if "acting_user" not in source:  # no argument of that name can be in it: not parsed
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = node.args
                untyped.extend(
                    f"{path.relative_to(SRC)}:{node.lineno} {node.name}"
                    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]
                    if arg.arg == "acting_user"
                    and (arg.annotation is None or ast.unparse(arg.annotation) in ("Any", "object"))
                )
    assert untyped == []
