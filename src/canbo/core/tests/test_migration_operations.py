"""The project's own migration operations (canbo/core/migration_operations.py).

``RunSchemaPython`` is ``RunPython`` without the models: its code is called with ``apps=None``, so
Django does not render the whole project state for it (~60 ms of CPU per operation in every test
database made by migrations). These tests say that it never touches the state's models, and that
every ``RunPython`` of the project whose code never uses its ``apps`` is one.
"""

from __future__ import annotations

import dis
from collections.abc import Callable, Iterable, Iterator
from types import SimpleNamespace
from typing import Any

from django.db import migrations
from django.db.migrations.loader import MigrationLoader

from canbo.core.migration_operations import RunSchemaPython


class _StateWithoutModels:
    """A project state whose models may not be asked for (Django's RunPython renders them)."""

    is_delayed = True

    def clear_delayed_apps_cache(self) -> None:
        raise AssertionError("the state's models were cleared for a render")

    @property
    def apps(self) -> Any:
        raise AssertionError("the state's models were rendered")


def test_the_code_runs_without_the_models_both_ways() -> None:
    calls: list[tuple[str, Any, Any]] = []
    editor = SimpleNamespace(connection=SimpleNamespace(alias="default"))
    op = RunSchemaPython(
        lambda apps, schema_editor: calls.append(("forward", apps, schema_editor)),
        lambda apps, schema_editor: calls.append(("backward", apps, schema_editor)),
    )
    op.database_forwards("people", editor, _StateWithoutModels(), _StateWithoutModels())
    op.database_backwards("people", editor, _StateWithoutModels(), _StateWithoutModels())
    assert calls == [("forward", None, editor), ("backward", None, editor)]


def _python_operations(operations: Iterable[Any]) -> Iterator[migrations.RunPython]:
    for op in operations:
        if isinstance(op, migrations.RunPython):
            yield op
        elif isinstance(op, migrations.SeparateDatabaseAndState):
            yield from _python_operations(op.database_operations)


def _uses_its_models(code: Callable[..., Any] | None) -> bool:
    if code is None or code is migrations.RunPython.noop:
        return False
    first = code.__code__.co_varnames[0]  # ``apps``, whatever its name
    return any(i.opname.startswith("LOAD") and i.argval == first for i in dis.get_instructions(code))


def test_every_schema_only_python_operation_of_the_project_runs_without_the_models() -> None:
    """A ``RunPython`` of the project's migrations whose code (both ways) never reads its first
    argument is a ``RunSchemaPython``; a ``RunSchemaPython``'s code never reads it (it is None)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    schema_only: list[tuple[str, str, migrations.RunPython]] = []
    with_models: list[tuple[str, str, migrations.RunPython]] = []
    for (app_label, name), migration in sorted(loader.disk_migrations.items()):
        if not type(migration).__module__.startswith("canbo."):
            continue
        for op in _python_operations(migration.operations):
            uses = _uses_its_models(op.code) or _uses_its_models(op.reverse_code)
            (with_models if uses else schema_only).append((app_label, name, op))
    assert len(schema_only) >= 7 and with_models
    assert [(a, n) for a, n, op in schema_only if not isinstance(op, RunSchemaPython)] == []
    assert [(a, n) for a, n, op in with_models if isinstance(op, RunSchemaPython)] == []
