"""The name-word table rewritten in bulk around a set-based ``UPDATE`` of persons (PostgreSQL).

Triggers keep ``people_person_name_word`` (migrations 0007 and 0009) in step with every write
of a person. When one statement renames or moves thousands of persons — the spreadsheet import
writes its updates with one ``UPDATE … FROM`` a scratch table per 5,000 persons — the per-row
trigger is the slowest part of it: on a 70,000-person database, renaming and moving 5,000
persons took 1.36–1.67 s with the trigger, against 0.27–0.42 s for the ``UPDATE`` without it.
Deleting their old entries with one statement and inserting the new ones with another, sorted
in the primary key's order, brings the whole to 0.77–0.99 s (three runs each;
docs/performance.md, "Import").

``bulk_rewrite`` gives those statements. The trigger stands aside while they run: its ``WHEN``
reads the setting ``canbo.defer_name_words`` (migration 0010), set here for the writer's
transaction only and reset right after the ``UPDATE``. The entries written are exactly the
trigger's: one per distinct (word, place) of the name, with the person's sort key, name and
managing unit.
"""

from __future__ import annotations

from collections.abc import Sequence

TABLE = "people_person_name_word"  # migrations 0007 and 0009; read by ``people.search``
SETTING = "canbo.defer_name_words"  # read by the trigger's WHEN (migration 0010)
# The columns the entries copy: an UPDATE writing none of them leaves the entries as they are.
COLUMNS = ("search_name", "sort_key", "managing_unit_id")
# The persons whose entries are rewritten (the trigger's condition), for the statement's duration.
CHANGED = "canbo_name_words_changed"


def _entries() -> str:
    """The entries of the persons listed in ``CHANGED``, as the trigger computes them: word i of
    n (1-based) gets the place 10 × min(i, 3) + min(n − i + 1, 3)."""
    return (
        "SELECT DISTINCT w.word, LEAST(w.i, 3) * 10 + LEAST(n - w.i + 1, 3) AS part, p.sort_key, "  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
        "p.id AS person_id, p.search_name, p.managing_unit_id AS unit_id "
        f"FROM {CHANGED} c JOIN people_person p ON p.id = c.id, "
        "unnest(string_to_array(p.search_name, ' ')) WITH ORDINALITY AS w(word, i), "
        "cardinality(string_to_array(p.search_name, ' ')) AS n WHERE w.word <> ''"
    )


def bulk_rewrite(new_values: str, columns: Sequence[str]) -> tuple[list[str], list[str]]:
    """PostgreSQL: the statements to run before and after ``UPDATE people_person … FROM
    new_values`` (a table of ``id`` and the new values of ``columns``, by column name), in the
    same transaction, so that the name-word entries of the persons it renames or moves are
    rewritten in bulk instead of by the per-row trigger. ``([], [])`` when ``columns`` holds
    none of the columns the entries copy.

    Before: the trigger is deferred, the persons whose name, sort key or managing unit the
    ``UPDATE`` changes are listed, and their entries deleted (their stored values still read).
    After: their new entries are inserted from the updated rows, and the trigger is back.
    """
    changing = [c for c in COLUMNS if c in columns]
    if not changing:
        return [], []
    differs = " OR ".join(f"p.{c} IS DISTINCT FROM u.{c}" for c in changing)
    before = [
        f"SELECT set_config('{SETTING}', 'on', true)",
        f"CREATE TEMP TABLE {CHANGED} ON COMMIT DROP AS "  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
        f"SELECT p.id FROM people_person p JOIN {new_values} u ON u.id = p.id WHERE {differs}",
        # Each old entry found by its primary key, then deleted by its row address. A join
        # of the entries with the table was planned as a hash join reading the whole table
        # (0.24 s per 5,000 persons at 70,000 people, growing with the province).
        f"DELETE FROM {TABLE} WHERE ctid = ANY (ARRAY (SELECT (SELECT d.ctid FROM {TABLE} d "  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
        "WHERE d.word = o.word AND d.part = o.part AND d.sort_key = o.sort_key "
        f"AND d.person_id = o.person_id) FROM ({_entries()}) o))",
    ]
    after = [
        # Sorted: the primary key's pages are then filled one after the other, not at random.
        f"INSERT INTO {TABLE} (word, part, sort_key, person_id, search_name, unit_id) "
        f"{_entries()} ORDER BY 1, 2, 3, 4",
        f"DROP TABLE {CHANGED}",
        f"SELECT set_config('{SETTING}', 'off', true)",
    ]
    return before, after
