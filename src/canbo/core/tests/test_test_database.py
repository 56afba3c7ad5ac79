"""The test database a worker copies equals the one a full migration makes (canbo/testdb.py).

Under ``pytest -n N`` (``./canbo test``) the first worker migrates its test database and leaves a
copy and a fingerprint of it; the others copy it, and their set-up already refuses a copy whose
fingerprint differs. These tests say the same in the suite's own words, on either database: the
database under the test holds every migration of the project, its fingerprint equals the migrated
one's, and the fingerprint sees each kind of thing a migration leaves (a table, a column, an index,
a trigger, a catalogue's rows), so that two fingerprints equal means two databases alike.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from canbo import testdb
from canbo.people.models import Ethnicity


def test_every_migration_of_the_project_is_applied(db: Any) -> None:
    loader = MigrationLoader(connection)
    assert set(loader.applied_migrations) == set(loader.graph.nodes)
    assert loader.detect_conflicts() == {}


def test_the_database_equals_the_migrated_one(db: Any) -> None:
    """Under xdist: this worker's database (migrated, or copied from the first worker's) has the
    fingerprint the first worker's had right after its migrations. Alone: the run directory is
    not used and the database was migrated by this process (the set-up is Django's)."""
    run_dir = os.environ.get(testdb.RUN_DIR_ENV)
    if os.environ.get("PYTEST_XDIST_WORKER") and run_dir:
        migrated = json.loads((Path(run_dir) / testdb.FINGERPRINT).read_text(encoding="utf-8"))
        assert _without_positions(testdb.fingerprint(connection)) == _without_positions(migrated)
    else:
        assert not (run_dir and (Path(run_dir) / testdb.FINGERPRINT).exists())


def _without_positions(fingerprint: dict[str, Any]) -> dict[str, Any]:
    # A PostgreSQL sequence is not rolled back with the test that drew from it: the tests this
    # worker ran before have moved the positions (the set-up compares them, before any test).
    return {k: v.split()[0] if k.startswith("sequence:") else v for k, v in fingerprint.items()}


@pytest.mark.parametrize(
    "change",
    [
        "CREATE TABLE canbo_extra (id integer PRIMARY KEY)",
        "ALTER TABLE people_ethnicity ADD COLUMN extra integer",
        "CREATE INDEX canbo_extra_idx ON people_ethnicity (name)",
        "DROP INDEX {index}",
        "trigger",
        "row",
        "delete",
    ],
)
def test_the_fingerprint_sees_each_kind_of_difference(db: Any, change: str) -> None:
    before = testdb.fingerprint(connection)
    with connection.cursor() as cursor:
        if change == "row":
            Ethnicity.objects.create(code="99", name="Dân tộc thêm")
        elif change == "delete":
            Ethnicity.objects.filter(pk=Ethnicity.objects.order_by("pk").values("pk")[:1]).delete()
        elif change == "trigger":
            if connection.vendor == "postgresql":
                cursor.execute(
                    "CREATE FUNCTION canbo_extra_fn() RETURNS trigger LANGUAGE plpgsql "
                    "AS $$ BEGIN RETURN NEW; END $$"
                )
                cursor.execute(
                    "CREATE TRIGGER canbo_extra_tr BEFORE INSERT ON people_ethnicity "
                    "FOR EACH ROW EXECUTE FUNCTION canbo_extra_fn()"
                )
            else:
                cursor.execute(
                    "CREATE TRIGGER canbo_extra_tr BEFORE INSERT ON people_ethnicity BEGIN SELECT 1; END"
                )
        elif change.startswith("DROP INDEX"):
            index = next(
                name
                for name, c in connection.introspection.get_constraints(cursor, "people_person").items()
                if c["index"] and not c["unique"] and not c["primary_key"]
            )
            cursor.execute(change.format(index=connection.ops.quote_name(index)))
        else:
            cursor.execute(change)
    after = testdb.fingerprint(connection)
    assert after != before
