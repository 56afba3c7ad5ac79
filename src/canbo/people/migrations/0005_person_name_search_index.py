"""Index for name search (canbo.people.search), built with each database's own machinery.

PostgreSQL: a pg_trgm GIN index on ``' ' || search_name`` (the expression ``name_search``
filters with LIKE), and extended statistics on the same expression so that the planner estimates
how many persons a pattern matches and picks between this index and the ``sort_key`` index.

SQLite: an FTS5 table over ``search_name`` with external content (it stores only the index, the
names stay in ``people_person``), kept in sync by three triggers, used for queries of three words
or more; and a covering index (sort_key, id, search_name) for the other queries. Caution: when Django's SQLite
schema editor rebuilds ``people_person`` (some AlterField/RemoveField operations copy the table
into a new one), the triggers and the covering index go with the old table; such a migration must run
``sqlite_search_index_sql()`` again. ``people/tests/test_search.py`` checks that the triggers
and the index exist after all migrations, so a forgotten one fails the suite.
"""

from django.db import migrations

from canbo.core.migration_operations import RunSchemaPython

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS people_person_name_trgm ON people_person "
    "USING gin ((' ' || search_name) gin_trgm_ops)",
    "CREATE STATISTICS IF NOT EXISTS people_person_name_stats ON ((' ' || search_name)) FROM people_person",
    "ANALYZE people_person",
]
PG_BACKWARD = [
    "DROP STATISTICS IF EXISTS people_person_name_stats",
    "DROP INDEX IF EXISTS people_person_name_trgm",
]

FTS = "people_person_name_fts"


def sqlite_search_index_sql() -> list[str]:
    """(Re)create the FTS5 table and its triggers, and fill it from people_person."""
    return [
        f"DROP TABLE IF EXISTS {FTS}",
        # detail=none: no positions (the order of words is checked by LIKE on the row);
        # prefix indexes make 1- to 3-letter prefix queries cheap.
        f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_name, content='people_person', "
        "content_rowid='id', tokenize='unicode61', detail='none', columnsize=0, prefix='1 2 3')",
        f"CREATE TRIGGER IF NOT EXISTS {FTS}_ai AFTER INSERT ON people_person BEGIN "
        f"INSERT INTO {FTS}(rowid, search_name) VALUES (new.id, new.search_name); END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS}_ad AFTER DELETE ON people_person BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, search_name) VALUES ('delete', old.id, old.search_name); END",
        f"CREATE TRIGGER IF NOT EXISTS {FTS}_au AFTER UPDATE OF search_name ON people_person BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, search_name) VALUES ('delete', old.id, old.search_name); "
        f"INSERT INTO {FTS}(rowid, search_name) VALUES (new.id, new.search_name); END",
        f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
        # Covering index for walking the list in name order: the LIKE on search_name is checked
        # on the index entry, and the table row is read only for the rows that match.
        "CREATE INDEX IF NOT EXISTS people_person_name_walk ON people_person (sort_key, id, search_name)",
    ]


SQLITE_BACKWARD = [
    "DROP INDEX IF EXISTS people_person_name_walk",
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": PG_FORWARD, "sqlite": sqlite_search_index_sql()}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_person_sort_key"),
    ]

    operations = [
        RunSchemaPython(forward, backward, elidable=False),
    ]
