"""PostgreSQL: the name-word trigger on UPDATE can be told to stand aside for one transaction.

A bulk writer that renames or moves thousands of persons in one ``UPDATE`` (the spreadsheet
import) rewrites their name-word entries itself, with one ``DELETE`` and one sorted ``INSERT``
(``canbo.people.name_words.bulk_rewrite``): renaming 5,000 persons of a 70,000-person database
took 0.8–1.0 s this way, 1.4–1.7 s with the per-row trigger doing the same work
(docs/performance.md).
The writer sets ``canbo.defer_name_words`` to ``on`` with ``set_config(…, true)`` — local to
its transaction, undone by a rollback — for the ``UPDATE`` only; the trigger's ``WHEN`` reads
it, so the rows of that statement queue no trigger event at all. Every other write (and every
other session) keeps the trigger. Inserts and deletes are unchanged, as is SQLite.
"""

from django.db import migrations

from canbo.core.migration_operations import RunSchemaPython

TABLE = "people_person_name_word"
CHANGED = (
    "(OLD.search_name IS DISTINCT FROM NEW.search_name OR OLD.sort_key IS DISTINCT FROM NEW.sort_key "
    "OR OLD.managing_unit_id IS DISTINCT FROM NEW.managing_unit_id)"
)
DEFERRED = "current_setting('canbo.defer_name_words', true) IS DISTINCT FROM 'on'"


def _trigger(when: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {TABLE}_upd ON people_person",
        f"CREATE TRIGGER {TABLE}_upd AFTER UPDATE OF search_name, sort_key, managing_unit_id "
        f"ON people_person FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION {TABLE}_sync()",
    ]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in _trigger(f"{CHANGED} AND {DEFERRED}"):
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in _trigger(CHANGED):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0009_person_name_word_unit"),
    ]

    operations = [
        RunSchemaPython(forward, backward, elidable=False),
    ]
