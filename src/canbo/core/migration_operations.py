"""Migration operations of the project's own (used by the apps' migration files)."""

from __future__ import annotations

from typing import Any

from django.db import migrations, router

# What the code gets in place of the models' registry (typed as the registry for Django's stubs).
NO_MODELS: Any = None


class RunSchemaPython(migrations.RunPython):
    """``RunPython`` for code that only writes through ``schema_editor`` (a trigger, a database
    function, an index one vendor needs) and never reads the models: the code is called with
    ``apps=None`` instead of the project state's models.

    Why: Django's ``RunPython`` hands its code the models of the state before it, and renders them
    all anew for it whenever an earlier operation of the same ``migrate`` changed a model without
    re-rendering the models around it (``ProjectState.is_delayed``, set by the first such change
    and never cleared: nearly every ``RunPython`` of a migration from nothing). That render is
    ~60 ms of CPU at this project's size, paid by every test database made by migrations
    (docs/performance.md, "Session 16"). The code and what it writes are the same; code that
    reaches for the models anyway fails at once (``None`` has no ``get_model``)."""

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if router.allow_migrate(schema_editor.connection.alias, app_label, **self.hints):
            self.code(NO_MODELS, schema_editor)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if self.reverse_code is None:
            raise NotImplementedError("You cannot reverse this operation")
        if router.allow_migrate(schema_editor.connection.alias, app_label, **self.hints):
            self.reverse_code(NO_MODELS, schema_editor)
