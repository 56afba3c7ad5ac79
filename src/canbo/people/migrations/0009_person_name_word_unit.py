"""The name-word table learns each person's managing unit (canbo.people.search, "within a grant").

A grant covers the dossiers kept in a unit subtree (``managing_unit``). Migration 0007's table
could not tell them apart, so a name search within a department read everybody's matches and
checked each person against the grant: up to 163 ms at 2.5 million people. Now every entry holds
``unit_id`` (the person's ``managing_unit_id``), and a second index leads with it:

- ``(unit_id, word, part)``: the entries of a query word within a grant's units, and nobody
  else's. It serves the count of a grant's matches, and the page when they are few enough to
  sort (a department).
- The primary key ``(word, part, sort_key, person_id)`` also carries ``unit_id``, so the walk in
  name order checks the grant on the index entry (a grant on most of the province).
- PostgreSQL: the function ``people_person_name_word_serial()`` keeps the search's statements
  from being planned with parallel workers (see ``canbo.people.search._WordIndex._rows``).

The table is rebuilt (dropped, created, filled from ``people_person``) and the triggers now also
fire when ``managing_unit_id`` changes. As for 0007: a migration that makes Django rebuild
``people_person`` on SQLite drops the triggers and must run ``sqlite_name_word_triggers()`` of
this migration again; ``people/tests/test_search.py`` fails until it does.
"""

from django.db import migrations

from canbo.core.migration_operations import RunSchemaPython

TABLE = "people_person_name_word"
UNIT_INDEX = f"{TABLE}_unit"

# Word i of n (1-based): 10 × min(i, 3) + min(n − i + 1, 3).
PG_PART = "(LEAST(w.i, 3) * 10 + LEAST(n - w.i + 1, 3))"
# json_each: ``key`` counts from 0; the array length is the number of words.
SQLITE_PART = "(min(j.key + 1, 3) * 10 + min(json_array_length(j.json) - j.key, 3))"
ALL_PARTS = "(11, 12, 13, 21, 22, 23, 31, 32, 33)"
COLUMNS = "word, part, sort_key, person_id, search_name, unit_id"

# Referred to in the statements of canbo.people.search: a function marked PARALLEL UNSAFE keeps
# PostgreSQL from planning parallel workers for the statement, and, IMMUTABLE and constant, it
# is folded away before execution.
SERIAL = "people_person_name_word_serial"

PG_DROP = [
    f"DROP FUNCTION IF EXISTS {SERIAL}()",
    f"DROP TRIGGER IF EXISTS {TABLE}_upd ON people_person",
    f"DROP TRIGGER IF EXISTS {TABLE}_ins_del ON people_person",
    f"DROP FUNCTION IF EXISTS {TABLE}_sync()",
    f"DROP TABLE IF EXISTS {TABLE}",
]
PG_FORWARD = [
    *PG_DROP,
    f"CREATE TABLE {TABLE} ("
    ' word varchar(150) COLLATE "C" NOT NULL,'
    " part smallint NOT NULL,"
    " sort_key varchar(400) NOT NULL,"
    " person_id integer NOT NULL,"
    " search_name varchar(150) NOT NULL,"
    " unit_id integer NOT NULL)",
    f"INSERT INTO {TABLE} ({COLUMNS}) "
    f"SELECT DISTINCT w.word, {PG_PART}, p.sort_key, p.id, p.search_name, p.managing_unit_id "
    "FROM people_person p, unnest(string_to_array(p.search_name, ' ')) WITH ORDINALITY AS w(word, i), "
    "cardinality(string_to_array(p.search_name, ' ')) AS n WHERE w.word <> ''",
    # The indexes after the rows: one sort each instead of millions of insertions.
    f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pk "
    "PRIMARY KEY (word, part, sort_key, person_id) INCLUDE (search_name, unit_id)",
    f"CREATE INDEX {UNIT_INDEX} ON {TABLE} (unit_id, word, part) INCLUDE (sort_key, person_id, search_name)",
    f"""CREATE FUNCTION {TABLE}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM {TABLE}
     WHERE word = ANY (string_to_array(OLD.search_name, ' ')) AND part IN {ALL_PARTS}
       AND sort_key = OLD.sort_key AND person_id = OLD.id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO {TABLE} ({COLUMNS})
    SELECT DISTINCT w.word, {PG_PART}, NEW.sort_key, NEW.id, NEW.search_name, NEW.managing_unit_id
      FROM unnest(string_to_array(NEW.search_name, ' ')) WITH ORDINALITY AS w(word, i),
           cardinality(string_to_array(NEW.search_name, ' ')) AS n
     WHERE w.word <> '';
  END IF;
  RETURN NULL;
END
$$""",
    f"CREATE TRIGGER {TABLE}_ins_del AFTER INSERT OR DELETE ON people_person "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_sync()",
    f"CREATE TRIGGER {TABLE}_upd AFTER UPDATE OF search_name, sort_key, managing_unit_id ON people_person "
    "FOR EACH ROW WHEN (OLD.search_name IS DISTINCT FROM NEW.search_name "
    "OR OLD.sort_key IS DISTINCT FROM NEW.sort_key OR OLD.managing_unit_id IS DISTINCT FROM NEW.managing_unit_id) "
    f"EXECUTE FUNCTION {TABLE}_sync()",
    f"CREATE FUNCTION {SERIAL}() RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL UNSAFE AS 'SELECT true'",
    f"ANALYZE {TABLE}",
]


def _sqlite_words(row: str) -> str:
    """SQL for the words of ``row``.search_name as a JSON array, for ``json_each`` (backslashes
    and double quotes escaped, so that any name makes valid JSON)."""
    escaped = f"replace(replace({row}.search_name, '\\', '\\\\'), '\"', '\\\"')"
    return f"""('["' || replace({escaped}, ' ', '","') || '"]')"""


def sqlite_name_word_triggers() -> list[str]:
    """(Re)create the SQLite triggers that keep the word table in step with people_person."""
    insert_new = (
        f"INSERT OR IGNORE INTO {TABLE} ({COLUMNS}) "
        f"SELECT j.value, {SQLITE_PART}, new.sort_key, new.id, new.search_name, new.managing_unit_id "
        f"FROM json_each({_sqlite_words('new')}) j WHERE j.value <> '';"
    )
    # ``part IN (…every part…)`` lets the delete seek each key instead of reading every entry of
    # a common word.
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
        f"CREATE TRIGGER {TABLE}_au AFTER UPDATE OF search_name, sort_key, managing_unit_id ON people_person "
        "WHEN old.search_name IS NOT new.search_name OR old.sort_key IS NOT new.sort_key "
        "OR old.managing_unit_id IS NOT new.managing_unit_id "
        f"BEGIN {delete_old} {insert_new} END",
    ]


SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {TABLE}_au",
    f"DROP TABLE IF EXISTS {TABLE}",
]
SQLITE_FORWARD = [
    *SQLITE_DROP,
    # A WITHOUT ROWID table is its own covering index on the primary key; the second index holds
    # the key's columns too, and ``search_name`` is added to cover the query words' check.
    f"CREATE TABLE {TABLE} ("
    " word TEXT NOT NULL, part INTEGER NOT NULL, sort_key TEXT NOT NULL, person_id INTEGER NOT NULL,"
    " search_name TEXT NOT NULL, unit_id INTEGER NOT NULL,"
    " PRIMARY KEY (word, part, sort_key, person_id)) WITHOUT ROWID",
    f"INSERT OR IGNORE INTO {TABLE} ({COLUMNS}) "
    f"SELECT j.value, {SQLITE_PART}, p.sort_key, p.id, p.search_name, p.managing_unit_id "
    f"FROM people_person p, json_each({_sqlite_words('p')}) j WHERE j.value <> ''",
    f"CREATE INDEX {UNIT_INDEX} ON {TABLE} (unit_id, word, part, search_name)",
    *sqlite_name_word_triggers(),
    f"ANALYZE {TABLE}",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}.get(vendor, []):
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    """Back to migration 0007's table and triggers."""
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    from importlib import import_module

    previous = import_module("canbo.people.migrations.0007_person_name_word_index")
    for sql in PG_DROP if vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(sql)
    for sql in previous.PG_FORWARD if vendor == "postgresql" else previous.SQLITE_FORWARD:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0008_person_unit_id_index"),
    ]

    operations = [
        RunSchemaPython(forward, backward, elidable=False),
    ]
