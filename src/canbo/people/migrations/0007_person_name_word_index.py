"""The name-word table of name search (canbo.people.search, docs/performance.md "Name search").

``people_person_name_word`` holds one row per word of each person's folded name:
(word, part, sort_key, person_id, search_name), keyed in that order, where ``part`` says where
the word stands: 10 × its place from the start + its place from the end, each counted up to 3
(11 a one-word name, 13 the family name of a name of three words or more, 31 its given name, 22
the middle word of a three-word name). A query word then reads, in Vietnamese name order, only
the persons having a word that starts with it at a place the query allows (in "nguyen thi hoa",
"hoa" is the third word or later), and checks the other query words on ``search_name`` held in
the same index entry, without reading the person rows.

It is not a Django model: its rows are derived data, written only by database triggers on
``people_person`` (insert, delete, and update of ``search_name`` or ``sort_key``), so every
writer — services, bulk imports, the demo generator, raw COPY in the benches — keeps it in step.

- PostgreSQL: a plain table whose primary key covers (word, sort_key, person_id) and includes
  ``search_name`` (index-only scans); ``word`` uses the "C" collation so that a prefix is a byte
  range. One PL/pgSQL trigger function.
- SQLite: a WITHOUT ROWID table (the table is its own covering index); the triggers split the
  name with ``json_each`` because SQLite triggers cannot hold a recursive CTE. Caution, as for
  migration 0005: a migration that makes Django rebuild ``people_person`` on SQLite drops these
  triggers and must run ``sqlite_name_word_triggers()`` again; ``people/tests/test_search.py``
  fails until it does.

The FTS5 table of migration 0005 is dropped on SQLite: the word table serves the queries it
served (three words or more) faster, in name order.
"""

from django.db import migrations

from canbo.core.migration_operations import RunSchemaPython

TABLE = "people_person_name_word"
FTS = "people_person_name_fts"

# Word i of n (1-based): 10 × min(i, 3) + min(n − i + 1, 3).
PG_PART = "(LEAST(w.i, 3) * 10 + LEAST(n - w.i + 1, 3))"
# json_each: ``key`` counts from 0; the array length is the number of words.
SQLITE_PART = "(min(j.key + 1, 3) * 10 + min(json_array_length(j.json) - j.key, 3))"
ALL_PARTS = "(11, 12, 13, 21, 22, 23, 31, 32, 33)"

PG_FORWARD = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    ' word varchar(150) COLLATE "C" NOT NULL,'
    " part smallint NOT NULL,"
    " sort_key varchar(400) NOT NULL,"
    " person_id integer NOT NULL,"
    " search_name varchar(150) NOT NULL,"
    f" CONSTRAINT {TABLE}_pk PRIMARY KEY (word, part, sort_key, person_id) INCLUDE (search_name))",
    f"""CREATE OR REPLACE FUNCTION {TABLE}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM {TABLE}
     WHERE word = ANY (string_to_array(OLD.search_name, ' ')) AND part IN {ALL_PARTS}
       AND sort_key = OLD.sort_key AND person_id = OLD.id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO {TABLE} (word, part, sort_key, person_id, search_name)
    SELECT DISTINCT w.word, {PG_PART}, NEW.sort_key, NEW.id, NEW.search_name
      FROM unnest(string_to_array(NEW.search_name, ' ')) WITH ORDINALITY AS w(word, i),
           cardinality(string_to_array(NEW.search_name, ' ')) AS n
     WHERE w.word <> '';
  END IF;
  RETURN NULL;
END
$$""",
    f"CREATE TRIGGER {TABLE}_ins_del AFTER INSERT OR DELETE ON people_person "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_sync()",
    f"CREATE TRIGGER {TABLE}_upd AFTER UPDATE OF search_name, sort_key ON people_person FOR EACH ROW "
    "WHEN (OLD.search_name IS DISTINCT FROM NEW.search_name OR OLD.sort_key IS DISTINCT FROM NEW.sort_key) "
    f"EXECUTE FUNCTION {TABLE}_sync()",
    f"INSERT INTO {TABLE} (word, part, sort_key, person_id, search_name) "
    f"SELECT DISTINCT w.word, {PG_PART}, p.sort_key, p.id, p.search_name "
    "FROM people_person p, unnest(string_to_array(p.search_name, ' ')) WITH ORDINALITY AS w(word, i), "
    "cardinality(string_to_array(p.search_name, ' ')) AS n WHERE w.word <> ''",
    f"ANALYZE {TABLE}",
]
PG_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_upd ON people_person",
    f"DROP TRIGGER IF EXISTS {TABLE}_ins_del ON people_person",
    f"DROP FUNCTION IF EXISTS {TABLE}_sync()",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def _sqlite_words(row: str) -> str:
    """SQL for the words of ``row``.search_name as a JSON array, for ``json_each``.

    ``search_name`` is folded (one space between words, no control characters); backslashes and
    double quotes are escaped so that any name makes valid JSON.
    """
    # (``part IN (…every part…)`` in the deletes lets both databases seek each key instead of reading
    # every entry of a common word.)
    escaped = f"replace(replace({row}.search_name, '\\', '\\\\'), '\"', '\\\"')"
    return f"""('["' || replace({escaped}, ' ', '","') || '"]')"""


def sqlite_name_word_triggers() -> list[str]:
    """(Re)create the SQLite triggers that keep the word table in step with people_person."""
    insert_new = (
        f"INSERT OR IGNORE INTO {TABLE} (word, part, sort_key, person_id, search_name) "
        f"SELECT j.value, {SQLITE_PART}, new.sort_key, new.id, new.search_name "
        f"FROM json_each({_sqlite_words('new')}) j WHERE j.value <> '';"
    )
    delete_old = (
        f"DELETE FROM {TABLE} WHERE word IN (SELECT j.value FROM json_each({_sqlite_words('old')}) j) "
        f"AND part IN {ALL_PARTS} AND sort_key = old.sort_key AND person_id = old.id;"
    )
    return [
        f"DROP TRIGGER IF EXISTS {TABLE}_ai",
        f"DROP TRIGGER IF EXISTS {TABLE}_ad",
        f"DROP TRIGGER IF EXISTS {TABLE}_au",
        f"CREATE TRIGGER {TABLE}_ai AFTER INSERT ON people_person BEGIN {insert_new} END",
        f"CREATE TRIGGER {TABLE}_ad AFTER DELETE ON people_person BEGIN {delete_old} END",
        f"CREATE TRIGGER {TABLE}_au AFTER UPDATE OF search_name, sort_key ON people_person "
        "WHEN old.search_name IS NOT new.search_name OR old.sort_key IS NOT new.sort_key "
        f"BEGIN {delete_old} {insert_new} END",
    ]


SQLITE_FORWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    " word TEXT NOT NULL, part INTEGER NOT NULL, sort_key TEXT NOT NULL, person_id INTEGER NOT NULL,"
    " search_name TEXT NOT NULL, PRIMARY KEY (word, part, sort_key, person_id)) WITHOUT ROWID",
    *sqlite_name_word_triggers(),
    f"INSERT OR IGNORE INTO {TABLE} (word, part, sort_key, person_id, search_name) "
    f"SELECT j.value, {SQLITE_PART}, p.sort_key, p.id, p.search_name "
    f"FROM people_person p, json_each({_sqlite_words('p')}) j WHERE j.value <> ''",
    f"ANALYZE {TABLE}",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {TABLE}_au",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}.get(vendor, []):
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(vendor, []):
        schema_editor.execute(sql)
    if vendor == "sqlite":
        # Bring back migration 0005's FTS table, which the forward step dropped.
        from importlib import import_module

        for sql in import_module("canbo.people.migrations.0005_person_name_search_index").sqlite_search_index_sql():
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_indicator_covering_indexes"),
    ]

    operations = [
        RunSchemaPython(forward, backward, elidable=False),
    ]
