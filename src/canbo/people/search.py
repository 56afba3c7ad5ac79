"""Search of persons by name (accents and case ignored) or by personal identification number.

``name_search`` is the one matching rule: a filter that combines with any other filter (counts,
exports). ``NameSearchResults`` serves the pages of a list in name order from the name-word
table of migration 0007, reading only the index entries of the persons that have a word starting
with one of the query words. The rule, its indexes and their figures are in docs/performance.md
("Name search").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.db.models.sql.compiler import SQLCompiler

from canbo.core.kept_state import KeptByChanges
from canbo.core.querysets import VIEW, grant_scope
from canbo.core.text import fold
from canbo.org.models import Unit
from canbo.org.selectors import unit_index
from canbo.people import name_words
from canbo.people.models import Person

WORD_TABLE = name_words.TABLE  # migrations 0007 and 0009: triggers, and ``name_words`` in bulk
SERIAL = "people_person_name_word_serial"  # PostgreSQL, migration 0009: no parallel workers


def name_search(qs: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Limit ``qs`` to persons matching ``query``; the caller orders (by ``sort_key``) and pages.

    - Digits only (spaces allowed): the personal id starts with them.
    - Anything else: every word of the query, accents and case ignored ("đ" as "d"), is the start
      of a word of the name, in the order typed: "nguyen thi hoa", "NGUYỄN THỊ HOA", "hoa",
      "nguyen hoa" and "ng hoa" all find "Nguyễn Thị Hoa"; "hoa" also finds "Hòa" and "Hoàng",
      not "Khoa"; "hoa nguyen" does not find her.

    Pages of a list go through ``NameSearchResults`` (the name-word table); this filter is what
    counts and exports use, and the pages' fallback. How it reaches an index:

    - PostgreSQL: the LIKE is on the expression of the pg_trgm index. It is stated twice: the
      planner then multiplies its (good) estimate of the matches by itself, so it walks the
      ``sort_key`` index only for very common words ("nguyen", "thi") and otherwise takes the
      trigram index and sorts. Names sort by given name, so the matches of a given name sit
      together in that walk, which the planner cannot know; left alone it walks the whole table
      for "yen" (11 s at 2.5 million) instead of sorting 27,000 rows (0.1 s).
    - SQLite: the covering (sort_key, id, search_name) index, checking the LIKE on its entries.
    """
    query = query.strip()
    if not query:
        return qs
    if is_id_query(query):
        return qs.filter(_id_prefix(query.replace(" ", "")))
    pattern = words_pattern(fold(query).split())
    condition = Q(NameWordsLike(pattern))
    if connections[qs.db].vendor == "postgresql":
        condition &= Q(NameWordsLike(pattern, planner_hint=True))
    return qs.filter(condition)


def is_id_query(query: str) -> bool:
    digits = query.replace(" ", "")
    return bool(digits) and digits.isascii() and digits.isdigit()


def _id_prefix(digits: str) -> Q:
    """A range rather than LIKE 'x%', so that the unique B-tree index serves it on both databases
    whatever the collation (SQLite's LIKE ignores an index unless the column is NOCASE)."""
    stripped = digits.rstrip("9")
    if not stripped:
        return Q(personal_id__gte=digits)
    upper = stripped[:-1] + str(int(stripped[-1]) + 1)
    return Q(personal_id__gte=digits, personal_id__lt=upper)


def _like_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def words_pattern(words: list[str]) -> str:
    """LIKE pattern on ``' ' || search_name``: each word starts a name word, in order."""
    return "".join(f"% {_like_escape(w)}" for w in words) + "%"


class NameWordsLike(Func):
    """``(' ' || search_name) LIKE pattern``: the expression the PostgreSQL trigram index is
    built on (migration 0005), so the planner can use it."""

    output_field = BooleanField()

    def __init__(self, pattern: str, *, planner_hint: bool = False) -> None:
        super().__init__(F("search_name"), Value(pattern))
        # Two equal conditions would be merged by Django; the hint differs by a no-op
        # parenthesis, which PostgreSQL parses to the same indexable expression.
        self.planner_hint = planner_hint

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        name, pattern = self.get_source_expressions()
        name_sql, name_params = compiler.compile(name)
        pattern_sql, pattern_params = compiler.compile(pattern)
        # PostgreSQL's LIKE escapes with a backslash by default; SQLite's needs to be told.
        escape = " ESCAPE '\\'" if connection.vendor == "sqlite" else ""
        lhs = f"((' ' || {name_sql}))" if self.planner_hint else f"(' ' || {name_sql})"
        return f"{lhs} LIKE {pattern_sql}{escape}", [*name_params, *pattern_params]


# --- pages in name order from the name-word table ------------------------------------------

# A query word whose prefix covers more distinct name words than this ("t", "n") is left to
# ``name_search``: reading that many ordered runs costs more than the walk it replaces.
EXPAND_MAX = 40
# Bounded counts: how many entries of each run a probe reads at most to compare the query words.
PROBE_RUN_CAP = 500
# A list shows "hơn 1.000 người" rather than counting every match of a common name: nobody
# pages through more than twenty pages of a name search (the export has every row).
COUNT_CAP = 1_000
# Pages past this many rows, and lists whose other filters leave few people, use the filter.
MAX_OFFSET = 5_000
SMALL_BASE = 20_000
BIG_BASE = 300_000
# Entries of each run read by the first look of a page (``_WordIndex.first_entries``).
PILOT_ENTRIES = 200
# Everybody's first matches checked against the list's other filters to tell a grant on the
# whole province (nearly all pass) from a narrow one.
DENSITY_PROBE = 50
# Within a grant's units, a query word with at most this many index entries there is read
# whole through the unit-led index and sorted (a department); beyond it, the runs are walked in
# name order, checking the unit on each entry (a grant on most of the province).
LOCAL_MAX = 20_000
# An exact count (the API) of at most this many index entries is read from the word table.
EXACT_MAX = 50_000
# Counts and page ids kept per process (``NameSearchResults.keep``): at most this many of each.
KEPT_MAX = 256

_KEPT = KeptByChanges(2 * KEPT_MAX)
# What the hand-written statements of the word table read besides ``base`` (the word table is
# declared derived from the person rows' ``name_words.COLUMNS``: ``PeopleConfig.ready``).
_WORD_READS = f'"{WORD_TABLE}" "search_name" "sort_key" "managing_unit_id"'


def kept_reset() -> None:
    """Forget the kept counts and pages (tests: a rolled-back test may leave the same newest
    change-log entry)."""
    _KEPT.clear()


# Where a word stands in the name (migration 0007): 10 × its place from the start + its place
# from the end, each counted up to 3. Listed given names first (place from the end 1): a name's
# given name leads its sort key, so those runs fill a page soonest and cut the later ones short.
PARTS = tuple(10 * start + end for end in (1, 2, 3) for start in (1, 2, 3))


def allowed_parts(i: int, n: int) -> tuple[int, ...]:
    """Where query word ``i`` (from 0) of ``n`` can match, the words matching in order: at
    least the (i + 1)-th word from the start and the (n − i)-th from the end."""
    start, end = min(i + 1, 3), min(n - i, 3)
    return tuple(p for p in PARTS if p // 10 >= start and p % 10 >= end)


def _prefix_range(word: str) -> tuple[str, str]:
    """[word, next) in code-point order: the byte order of the table's "C"/BINARY collation."""
    last = ord(word[-1])
    if 0xD7FF <= last < 0xE000 or last >= 0x10FFFF:  # the next code point is not encodable
        return word, word + "\U0010ffff"
    return word, word[:-1] + chr(last + 1)


def _parts_sql(parts: tuple[int, ...]) -> str:
    return "part IN (" + ", ".join(str(int(p)) for p in parts) + ")"


Key = tuple[str, int]  # (sort_key, person_id): the list's order


@dataclass(frozen=True)
class UnitScope:
    """What a list's grants say about its persons, for reading the word table within them.

    ``unit_ids``: every person of the list has his dossier kept in one of these units (None:
    in any unit), or is one of ``others`` (a query of person ids: those holding a post in a
    unit's subtree, for a unit's list). ``exact``: the list is exactly the persons of those
    units, with no other filter, so an index entry of such a unit needs no further check.
    ``plain``: with ``others``, the list is exactly those units' persons and the others its
    grants allow.
    """

    unit_ids: tuple[int, ...] | None
    exact: bool
    others: QuerySet[Any] | None = None
    plain: bool = False


def unit_scope(
    user: Any, *, exact: bool, within: tuple[Unit, QuerySet[Any]] | None = None
) -> UnitScope | None:
    """The units of ``user``'s grants on persons (``grant_scope``), within the subtree of
    ``within``'s unit if given (a unit's list, whose persons also include ``within``'s query of
    post holders). None when nothing bounds the list by unit: no grant limit (a superuser) and
    no unit, or a "self" grant (a person whose dossier may be kept elsewhere; such lists are
    tiny and the filter serves them; likewise a grant limited to a management scope, whose
    persons are not a set of units)."""
    scope = grant_scope(Person, user, VIEW)
    if scope.persons or scope.scoped_paths or (scope.unit_paths is None and within is None):
        return None
    # From the unit index the page reads anyway for its labels (``org.selectors.unit_index``,
    # current as of this request): no query of units and no count of them (issue 22).
    paths = unit_index().path
    granted = tuple(scope.unit_paths) if scope.unit_paths is not None else None
    inside = within[0].path if within is not None else None
    ids = tuple(
        sorted(
            pk
            for pk, path in paths.items()
            if (granted is None or path.startswith(granted)) and (inside is None or path.startswith(inside))
        )
    )
    if within is not None:
        return UnitScope(unit_ids=ids, exact=False, others=within[1], plain=exact)
    # A grant on the root: every unit, so no condition on the entries.
    every = bool(ids) and len(ids) == len(paths)
    return UnitScope(unit_ids=None if every else ids, exact=exact)


def among_ids(connection: BaseDatabaseWrapper, column: str, ids: Any) -> tuple[str, list[Any]]:
    """SQL saying that ``column`` is one of ``ids``, with its one parameter, however many ids: a
    ``bigint[]`` literal on PostgreSQL, a JSON array on SQLite. Thousands of ``IN`` parameters
    cost more to send than to check, and psycopg quotes a list element by element (5 ms for
    6,000 ids) where the text of the literal is joined at once."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", ["{" + ",".join(map(str, ids)) + "}"]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]  # noqa: S608 (names are constants or quoted model names; values are %s parameters)


class _WordIndex:
    """Reads of the name-word table, in SQL both databases run the same way."""

    def __init__(self, using: str, units: tuple[int, ...] | None = None) -> None:
        self.connection = connections[using]
        self.escape = " ESCAPE '\\'" if self.connection.vendor == "sqlite" else ""
        self.units = units

    def _in_units(self) -> tuple[str, list[Any]]:
        """`` AND`` the entry's unit is one of the scope's (nothing without a scope): an array
        on PostgreSQL, a JSON array on SQLite, one parameter either way however many units."""
        if self.units is None:
            return "", []
        sql, params = among_ids(self.connection, "unit_id", self.units)
        return f" AND {sql}", params

    def _rows(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        if self.connection.vendor == "postgresql":
            # These statements read a few thousand index entries. PostgreSQL underestimates how
            # many match a LIKE and plans parallel workers, whose start costs more than the reading
            # (30 ms of 35 on this 2-core machine). A PARALLEL UNSAFE function in the statement
            # rules them out; immutable and constant, it is folded away (migration 0009).
            sql = f"SELECT * FROM ({sql}) serial WHERE {SERIAL}()"  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
        with self.connection.cursor() as cur:
            cur.execute(sql, params)
            return list(cur.fetchall())

    def probe(self, words: list[str], parts: tuple[int, ...]) -> tuple[bool, int]:
        """(whether some run is common, entries) of ``words`` at ``parts``: each run (one word
        at one part) counted up to PROBE_RUN_CAP, in one statement that never reads the entries
        of other parts. A run reaching the cap is a common word."""
        runs = [(w, p) for w in words for p in parts]
        sql, params = self._runs(runs, "count(*) AS n", " LIMIT %s", [PROBE_RUN_CAP])
        counts = [int(n) for (n,) in self._rows(sql, params)]
        return max(counts) >= PROBE_RUN_CAP, sum(counts)

    def expand(self, word: str) -> list[str]:
        """The distinct name words starting with ``word`` (EXPAND_MAX + 1 at most), found by
        jumping from one to the next in the index instead of reading every entry."""
        lo, hi = _prefix_range(word)
        sql = (
            "WITH RECURSIVE v(word) AS ("  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
            f" SELECT (SELECT word FROM {WORD_TABLE} WHERE word >= %s AND word < %s ORDER BY word LIMIT 1)"
            " UNION ALL"
            f" SELECT (SELECT t.word FROM {WORD_TABLE} t WHERE t.word > v.word AND t.word < %s"
            " ORDER BY t.word LIMIT 1) FROM v WHERE v.word IS NOT NULL"
            ") SELECT word FROM v WHERE word IS NOT NULL LIMIT %s"
        )
        return [r[0] for r in self._rows(sql, [lo, hi, hi, EXPAND_MAX + 1])]

    def _runs(
        self, runs: list[tuple[str, int]], select: str, tail: str, params: list[Any]
    ) -> tuple[str, list[Any]]:
        """One statement reading every run (one word at one part) on its own: ``SELECT
        {select} FROM (SELECT … WHERE word = %s AND part = %s{tail}) rN`` joined by UNION ALL,
        with ``params`` (those of ``tail``) repeated for each run. Each run is then an index
        range read in key order, which one range over all of them would not be."""
        sql = " UNION ALL ".join(
            f"SELECT {select.format(i=i)} FROM (SELECT sort_key, person_id FROM {WORD_TABLE} "  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
            f"WHERE word = %s AND part = %s{tail}) r{i}"
            for i in range(len(runs))
        )
        return sql, [x for w, p in runs for x in (w, p, *params)]

    def count(
        self, words: list[str], parts: tuple[int, ...], pattern: str | None, cap: int
    ) -> tuple[int, bool]:
        """(persons matching, whether that is only a lower bound), stopping once over ``cap``.

        The runs (one word at one part) are read one after the other in one statement whose
        LIMIT stops the reading at 3 × (``cap`` + 1) matching entries in all: a person has an
        entry in each run where one of his words starts with the query word, rarely more than
        two. Should those entries be ``cap`` persons or fewer, each run is read again up to
        ``cap`` + 1 matches (``_count_per_run``)."""
        units, unit_params = self._in_units()
        like = f" AND {self._like()}" if pattern else ""
        limit = 3 * (cap + 1)
        # The same limit on each run changes no result, but keeps the planner's estimate of each
        # small: without it PostgreSQL starts parallel workers, which cost more than the reading.
        runs_sql, params = self._runs(
            [(w, p) for w in words for p in parts],
            "person_id",
            f"{units}{like} LIMIT %s",
            [*unit_params, *([pattern] if pattern else []), limit],
        )
        sql = f"SELECT count(*), count(DISTINCT person_id) FROM ({runs_sql} LIMIT %s) m"  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
        entries, persons = (int(n) for n in self._rows(sql, [*params, limit])[0])
        if entries < limit:  # every matching entry was read
            return min(persons, cap), persons > cap
        if persons > cap:
            return cap, True
        return self._count_per_run(words, parts, pattern, cap)

    def _count_per_run(
        self, words: list[str], parts: tuple[int, ...], pattern: str | None, cap: int
    ) -> tuple[int, bool]:
        """As ``count``, reading at most ``cap`` + 1 matching entries of each run."""
        runs_sql, params = self._matching_runs(words, parts, pattern, cap)
        # A run that stopped at its limit may have more matches: the count is then a lower bound.
        sql = (
            f"WITH m AS MATERIALIZED ({runs_sql}) "  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
            "SELECT (SELECT count(DISTINCT person_id) FROM m), "
            "(SELECT count(*) FROM m GROUP BY run ORDER BY count(*) DESC LIMIT 1)"
        )
        persons, longest = self._rows(sql, params)[0]
        return min(int(persons), cap), int(longest or 0) > cap or int(persons) > cap

    def _matching_runs(
        self, words: list[str], parts: tuple[int, ...], pattern: str | None, cap: int
    ) -> tuple[str, list[Any]]:
        """(run, person_id) of the first ``cap`` + 1 matching entries of each run."""
        units, unit_params = self._in_units()
        like = f" AND {self._like()}" if pattern else ""
        return self._runs(
            [(w, p) for w in words for p in parts],
            "{i} AS run, person_id",
            f"{units}{like} LIMIT %s",
            [*unit_params, *([pattern] if pattern else []), cap + 1],
        )

    def matching_ids(
        self, words: list[str], parts: tuple[int, ...], pattern: str | None, cap: int
    ) -> tuple[set[int], bool]:
        """(ids of persons matching, whether more may exist): at most ``cap`` + 1 matching entries
        of each run, in one statement."""
        per_run: dict[int, int] = {}
        ids: set[int] = set()
        for run, pk in self._rows(*self._matching_runs(words, parts, pattern, cap)):
            per_run[run] = per_run.get(run, 0) + 1
            ids.add(pk)
        return ids, any(n > cap for n in per_run.values())

    def _range(self, word: str, parts: tuple[int, ...], pattern: str | None) -> tuple[str, list[Any]]:
        """WHERE clause of the entries of ``word``'s prefix range at ``parts`` matching
        ``pattern``, within the scope's units."""
        lo, hi = _prefix_range(word)
        units, unit_params = self._in_units()
        like = f" AND {self._like()}" if pattern else ""
        return (
            f"word >= %s AND word < %s AND {_parts_sql(parts)}{units}{like}",
            [lo, hi, *unit_params, *([pattern] if pattern else [])],
        )

    def range_count(
        self,
        word: str,
        parts: tuple[int, ...],
        pattern: str | None,
        limit: int | None,
        *,
        persons: bool = True,
    ) -> tuple[int, int]:
        """(entries, distinct persons) of ``word``'s range within the scope's units, reading at
        most ``limit`` entries (all without a limit). With a scope of a few units the unit-led
        index (migration 0009) reads only their entries. Not ``persons``: (entries, 0), without
        the sorting of ids that counting persons takes."""
        where, params = self._range(word, parts, pattern)
        cut = " LIMIT %s" if limit is not None else ""
        distinct = "count(DISTINCT person_id)" if persons else "0"
        sql = f"SELECT count(*), {distinct} FROM (SELECT person_id FROM {WORD_TABLE} WHERE {where}{cut}) s"  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
        entries, persons = self._rows(sql, [*params, *([limit] if limit is not None else [])])[0]
        return int(entries), int(persons)

    def range_page(
        self,
        word: str,
        parts: tuple[int, ...],
        pattern: str | None,
        stop: int | None,
        *,
        also: tuple[str, list[Any]] | None = None,
        ordered: bool = True,
    ) -> list[int]:
        """Ids of the first ``stop`` persons (all without ``stop``) of ``word``'s range within
        the scope's units, in name order: all of them sorted, for ranges ``range_count`` found
        small. ``also``: SQL and parameters of more (sort_key, id) pairs to merge in. Not
        ``ordered``: in the order the index gives them (for a count: nothing sorted), and any
        ``stop`` entries' persons (fewer when some are repeated)."""
        where, params = self._range(word, parts, pattern)
        # Only the ids travel (up to LOCAL_MAX rows for ``NameSearchResults._kept``), and they are
        # deduplicated here: a person is twice in the range when two of his words start with the
        # query word, or when he holds a post in the unit whose subtree keeps his dossier. A
        # GROUP BY or UNION would hash every row for those few (10 of 33 ms on PostgreSQL).
        sql = f"SELECT sort_key, person_id FROM {WORD_TABLE} WHERE {where}"  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
        if also is not None:
            sql = f"SELECT person_id FROM ({sql} UNION ALL {also[0]}) c"  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
            params = [*params, *also[1]]
        else:
            sql = f"SELECT person_id FROM ({sql}) c"  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
        if not ordered:
            # Any ``stop`` of them: a count's first look (``NameSearchResults._local_count``).
            cut = (" LIMIT %s", [stop]) if stop is not None else ("", [])
            return list(dict.fromkeys(pk for (pk,) in self._rows(sql + cut[0], [*params, *cut[1]])))
        sql += " ORDER BY sort_key, person_id"
        if stop is not None:
            # Twice the rows: enough for ``stop`` persons unless many are repeated, then all.
            rows = self._rows(f"{sql} LIMIT %s", [*params, 2 * stop])
            found = list(dict.fromkeys(pk for (pk,) in rows))
            if len(found) >= stop or len(rows) < 2 * stop:
                return found[:stop]
        return list(dict.fromkeys(pk for (pk,) in self._rows(sql, params)))

    def count_within(
        self, word: str, parts: tuple[int, ...], pattern: str | None, cap: int, scope: tuple[str, list[Any]]
    ) -> tuple[int, bool]:
        """As ``count``, among the ids of ``scope`` (SQL and parameters of a query of person ids),
        in one statement: the entries of ``word``'s range are read until ``cap`` + 1 of them
        are in the scope."""
        where, params = self._range(word, parts, pattern)
        if self.connection.vendor == "postgresql":
            # PostgreSQL would make the IN a semi-join and read the whole range; kept a condition
            # (``IS TRUE``), it is a hashed lookup and the reading stops at the limit.
            inside = f"(person_id IN ({scope[0]})) IS TRUE"
        else:
            # SQLite would build the whole scope first (every person of a grant limited to a
            # broad management scope, each checked: 0.4 s); asked per entry, the scope's query
            # is pushed down to the person's key and the reading stops at the limit.
            inside = f"EXISTS (SELECT 1 FROM ({scope[0]}) b WHERE b.pk = {WORD_TABLE}.person_id)"  # noqa: S608 (the scope query is our own compiled SQL; values are parameters)
        sql = (
            "SELECT count(*), count(DISTINCT person_id) FROM ("  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
            f"SELECT person_id FROM {WORD_TABLE} WHERE {where} "
            f"AND {inside} LIMIT %s) s"
        )
        entries, persons = self._rows(sql, [*params, *scope[1], cap + 1])[0]
        return min(int(persons), cap), int(entries) > cap

    def walk(
        self, word: str, part: int, pattern: str | None, *, after: Key | None, bound: Key | None, limit: int
    ) -> list[Key]:
        """Up to ``limit`` (sort_key, person_id) of the persons having ``word`` at ``part`` and
        matching ``pattern``, in name order, after ``after`` and not past ``bound``."""
        units, params = self._in_units()
        sql = f"SELECT sort_key, person_id FROM {WORD_TABLE} WHERE word = %s AND part = %s{units}"  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
        params = [word, part, *params]
        if after is not None:
            sql += " AND (sort_key, person_id) > (%s, %s)"
            params += list(after)
        if bound is not None:
            sql += " AND (sort_key, person_id) <= (%s, %s)"
            params += list(bound)
        if pattern:
            sql += f" AND {self._like()}"
            params.append(pattern)
        sql += " ORDER BY sort_key, person_id LIMIT %s"
        return [(k, pk) for k, pk in self._rows(sql, [*params, limit])]

    def _like(self) -> str:
        return f"(' ' || search_name) LIKE %s{self.escape}"

    def first_entries(self, runs: list[tuple[str, int]], pattern: str | None, entries: int) -> list[Key]:
        """The matches among the first ``entries`` entries of every run, in one statement: a
        cheap first look that bounds the real reading."""
        units, unit_params = self._in_units()
        checks = [c for c in (units.removeprefix(" AND "), self._like() if pattern else "") if c]
        where = f" WHERE {' AND '.join(checks)}" if checks else ""
        sql = " UNION ALL ".join(
            "SELECT sort_key, person_id FROM ("  # noqa: S608 (names are constants or quoted model names; values are %s parameters)
            f"SELECT sort_key, person_id, search_name, unit_id FROM {WORD_TABLE} "
            f"WHERE word = %s AND part = %s ORDER BY sort_key, person_id LIMIT %s) r{i}{where}"
            for i in range(len(runs))
        )
        params = [x for w, p in runs for x in (w, p, entries, *unit_params, *([pattern] if pattern else []))]
        return [(k, pk) for k, pk in self._rows(sql, params)]

    def first_matches(
        self, runs: list[tuple[str, int]], pattern: str | None, *, bound: Key | None, limit: int
    ) -> list[Key]:
        """The first ``limit`` matches of every run, not past ``bound``, in one statement."""
        units, unit_params = self._in_units()
        cut = " AND (sort_key, person_id) <= (%s, %s)" if bound else ""
        like = f" AND {self._like()}" if pattern else ""
        sql, params = self._runs(
            runs,
            "sort_key, person_id",
            f"{units}{cut}{like} ORDER BY sort_key, person_id LIMIT %s",
            [*unit_params, *(bound or ()), *([pattern] if pattern else []), limit],
        )
        return [(k, pk) for k, pk in self._rows(sql, params)]


class NameSearchResults:
    """The persons of ``base`` matching a name query, in name order, for ``Paginator``.

    ``base`` is the list without the name condition (grants and other filters), ordered by
    ``sort_key, id``. A page is read from the name-word table (migration 0007). One query word
    drives: the rarest by a bounded count, among equally common ones the last typed. Its prefix
    expands to the name words it starts ("hoa": hoa, hoai, hoang), each read at the places of
    the name the query allows (``allowed_parts``), one run after the other (given names first),
    each run in name order and cut at the page's current last row; the other query words are
    checked with LIKE on the ``search_name`` stored in the same index entry. Only the persons of
    the page are then read from ``base``. When ``base`` has other filters (grants, unit, age…),
    everybody's first matches are read and checked against it while most pass (a grant on the
    whole province); otherwise the ids it lets through are read once and the runs are read in
    chunks sized for their share.

    Counting stops at COUNT_CAP (``count_is_lower_bound``) unless ``exact_count`` is asked (the
    API). What this cannot do fast (single letters, deep pages, other filters leaving few people)
    goes through ``name_search``, which gives the same rows.
    """

    ordered = True

    def __init__(
        self, base: QuerySet[Person], query: str, *, exact_count: bool = False, scope: UnitScope | None = None
    ) -> None:
        self.base = base
        self.scope = scope
        self.queryset = name_search(base, query)
        self.exact_count = exact_count
        self.count_is_lower_bound = False
        self.query = query
        self.words = fold(query).split()
        self.pattern = words_pattern(self.words) if len(self.words) > 1 else None
        self._planned = False
        self._plan: tuple[str, tuple[int, ...], list[str]] | None = None
        self._count: int | None = None
        self._ids: set[int] | bool | None = False  # False: not read yet
        self._share: float | None = None
        self._probe: tuple[list[int], set[int]] = ([], set())
        self._local: tuple[int, int] | None = None
        self._candidates: list[int] | None = None  # see ``_kept``
        self._more = True
        self._checked = 0
        self._kept_ids: list[int] = []
        self._passing: float | None = None  # see ``_local_count``
        self._allowed_sql: tuple[str, list[Any]] | None = None  # see ``_allowed``
        self._stamp: tuple[int, str] | None = None  # see ``keep``
        self._reads: str | None = None  # the statements' text, for ``core.kept_state``
        self._in_flight: tuple[str, ...] = ()
        # The units bound every reading only when no one outside them is in the list.
        walked = scope.unit_ids if scope is not None and scope.others is None else None
        self._index = _WordIndex(base.db, walked)
        local = scope.unit_ids if scope is not None else None
        self._local_index = _WordIndex(base.db, local) if local is not None else None

    def _driver(self) -> tuple[str, tuple[int, ...], list[str]] | None:
        """(driving query word, the parts it may match, the name words it expands to), or None
        to use the filter."""
        if not self._planned:
            self._planned = True
            n = len(self.words)
            if n and not is_id_query(" ".join(self.words)):
                # A rare word drives (the fewest entries); if every word is common, the last typed:
                # usually the given name, which leads the order, so its runs hold the page's rows
                # near their start. Hence the walk from the last word.
                best: tuple[tuple[bool, int], str, tuple[int, ...], list[str]] | None = None
                for i in reversed(range(n)):
                    word, parts = self.words[i], allowed_parts(i, n)
                    expansions = self._index.expand(word)
                    if len(expansions) > EXPAND_MAX:
                        continue
                    if not expansions:  # no name has such a word: nothing matches
                        best = ((False, 0), word, parts, [])
                        break
                    if n == 1:  # nothing to choose from
                        best = ((False, 0), word, parts, expansions)
                        break
                    common, entries = self._index.probe(expansions, parts)
                    rank = (common, 0 if common else entries)
                    if best is None or rank < best[0]:
                        best = (rank, word, parts, expansions)
                if best is not None:
                    _entries, word, parts, expansions = best
                    # The word itself first: its runs usually hold the page's rows.
                    expansions.sort(key=lambda e: e != word)
                    self._plan = (word, parts, expansions)
        return self._plan

    def _filtered_base(self) -> bool:
        """Whether ``base`` has conditions the word table cannot check (grants are checked
        there when ``scope`` says that they are all there is)."""
        return bool(self.base.query.where) and not (self.scope is not None and self.scope.exact)

    def _local_entries(self) -> tuple[int, int] | None:
        """(entries, persons) of the driving word within the grants' units, read up to
        LOCAL_MAX + 1 entries; None unless the list is limited to some units by grants. The
        persons are counted only when they are the count: the list is those units' persons
        (and, for a unit's list, its post holders); else 0."""
        plan = self._driver()
        if self._local_index is None or plan is None:
            return None
        if self._local is None:
            word, parts, _expansions = plan
            persons = not self._filtered_base() or (self.scope is not None and self.scope.plain)
            self._local = self._local_index.range_count(
                word, parts, self.pattern, LOCAL_MAX + 1, persons=persons
            )
        return self._local

    def keep(self, stamp: tuple[int, str], in_flight: tuple[str, ...] = ()) -> NameSearchResults:
        """Keep this list's count and the ids of its pages per process, as ``lists.views.KeptCount``
        keeps a list's count (issue 22): the word table's readings were nearly half of a name
        search's time, and the same search is asked again and again. ``stamp`` is the change
        log's newest entry (``core.conditional.latest_change``): a kept answer is reused until a
        logged change that may alter it (``core.kept_state``: a change of a name, of a dossier's
        unit, a new or deleted person, or of anything ``base`` reads in a column it names).

        The key holds everything else the rows depend on: the SQL and parameters of ``base``
        (the user's grants, the date, the other filters), the query, the scope's units and post
        holders' SQL, whether the count is exact and the caps. Only the ids are kept: the persons
        of a page are read afresh."""
        self._stamp = stamp
        self._in_flight = in_flight  # the writes in flight when ``stamp`` was read
        return self

    def _kept_key(self, *what: Any) -> tuple[Any, ...] | None:
        if self._stamp is None:
            return None
        if self._allowed_sql is None:
            try:
                base_sql, base_params = self.base.order_by().values("pk").query.sql_with_params()
            except EmptyResultSet:  # a user without grants: nothing to keep, the answer is empty
                return None
            self._allowed_sql = (f"SELECT b.pk FROM ({base_sql}) b WHERE ", list(base_params))  # noqa: S608 (Django's compiled query; values are parameters)
        scope: tuple[Any, ...] = ()
        others: tuple[Any, ...] = ()
        if self.scope is not None:
            if self.scope.others is not None:
                others_sql, others_params = self.scope.others.query.sql_with_params()
                others = (others_sql, tuple(map(str, others_params)))
            scope = (self.scope.unit_ids, self.scope.exact, self.scope.plain, others)
        list_sql, list_params = self._allowed_sql
        if self._reads is None:
            self._reads = " ".join((list_sql, others[0] if others else "", _WORD_READS))
        return (
            self.base.db,
            list_sql,
            tuple(map(str, list_params)),
            self.query,
            scope,
            self.exact_count,
            (COUNT_CAP, MAX_OFFSET, LOCAL_MAX, EXACT_MAX),
            *what,
        )

    def _kept_get(self, key: tuple[Any, ...] | None) -> Any:
        if key is None or self._stamp is None:
            return None
        return _KEPT.get(self.base.db, key, self._stamp)

    def _kept_put(self, key: tuple[Any, ...] | None, value: Any) -> None:
        if key is not None and self._stamp is not None and self._reads is not None:
            _KEPT.put(key, self._stamp, self._reads, value, self._in_flight)

    def count(self) -> int:
        if self._count is None:
            key = self._kept_key("count")
            kept = self._kept_get(key)
            if kept is None:
                kept = self._counted()
                self._kept_put(key, kept)
            self._count, self.count_is_lower_bound = kept
        return self._count

    def _counted(self) -> tuple[int, bool]:
        """(persons, whether that is only a lower bound): exact if ``exact_count``, else it
        may stop at COUNT_CAP."""
        plan = self._driver()
        if plan is None:
            return self._filter_count()
        word, parts, expansions = plan
        if not expansions:
            return 0, False
        local = self._local_entries()
        if local is not None and not self._filtered_base():  # the list is a grant on some units
            entries, persons = local
            if entries <= LOCAL_MAX:  # every entry within the units was read
                return persons, False
            if persons > COUNT_CAP and not self.exact_count:
                return COUNT_CAP, True
            return self._local_index.range_count(word, parts, self.pattern, None)[1], False  # type: ignore[union-attr]
        if local is not None and local[0] <= LOCAL_MAX:  # other filters within a grant's units
            return self._local_count()
        if not self._filtered_base():
            if not self.exact_count:
                return self._index.count(expansions, parts, self.pattern, COUNT_CAP)
            # Exact: the word table counts a rare word's persons fast, the filter a common word's
            # (2.5 million persons, SQLite: "yen" 14 ms against 367 ms; "nguyen" 1.4 s against
            # 0.44 s). Whichever serves is told by reading at most EXACT_MAX entries.
            entries, persons = self._index.range_count(word, parts, self.pattern, EXACT_MAX + 1)
            return (persons, False) if entries <= EXACT_MAX else (self.queryset.count(), False)
        if self.exact_count:
            return self.queryset.count(), False
        dense = self._dense_count(plan)
        if dense is not None:
            return dense
        if self._base_ids() is None:
            return self._filter_count()
        sql, params = self.base.order_by().values("pk").query.sql_with_params()
        return self._index.count_within(word, parts, self.pattern, COUNT_CAP, (sql, list(params)))

    def _local_count(self) -> tuple[int, bool]:
        """The count when the list has other filters besides the grants' units, whose entries
        of the driving word are few (``_local_entries``): the candidates, read unsorted (a count
        needs no order) unless the first look reads them all, checked batch by batch until
        COUNT_CAP + 1 pass (all of them with ``exact_count``). The share that passed sizes the
        page's reading (``_kept``); a sorted first look leaves the page nothing to read."""
        passed = checked = 0
        if self.scope is not None and self.scope.plain and self._local is not None:
            # A unit's list with no other filter: the persons of the range within the units
            # (``_local_entries`` counted them), and the post holders kept elsewhere whose name
            # matches (the others are in the range).
            units = set(self.scope.unit_ids or ())
            holders = self._holders().values_list("managing_unit_id", flat=True)
            passed = checked = self._local[1] + sum(1 for unit in holders if unit not in units)
        else:
            stop = None if self.exact_count else COUNT_CAP + 1
            # At first enough entries for COUNT_CAP + 1 to pass if a quarter pass; all of them if
            # those were not enough. The first look is any of them, so all are checked again then.
            first = None if stop is None else int(stop * 4 * 1.25)
            entries = self._local[0] if self._local is not None else 0
            for limit in (first, None) if first is not None else (None,):
                # Whether every candidate is read: the range's entries within the units are
                # known (``_local_entries``); a unit's list adds post holders, read in full only.
                every = limit is None or (
                    self.scope is not None and self.scope.others is None and limit >= entries
                )
                # A first look reading them all reads them in name order: the page's rows are
                # then the first that passed, with no second reading (``_kept``). PostgreSQL,
                # 2.5 million persons, 4,176 entries: 6.5 ms sorted against 4.6 ms, and 6.8 ms
                # of the page's reading and checking saved. A first look at a few of many
                # entries stays unsorted: sorting would read them all.
                ordered = every and limit is not None
                ids = self._local_candidates(limit, ordered=ordered)
                kept: list[int] = []
                checked = self._check(ids, kept, 0, stop)
                passed = len(kept)
                if ordered:
                    self._candidates, self._checked, self._kept_ids, self._more = ids, checked, kept, False
                if every or (stop is not None and passed >= stop):
                    break
        self._passing = passed / checked if checked else None
        if self.exact_count or passed <= COUNT_CAP:
            return passed, False
        return COUNT_CAP, True

    def _kept(self, stop: int) -> list[int]:
        """The first ``stop`` persons in name order of the driving word's range within the
        grants' units (at most LOCAL_MAX entries: ``_local_entries``) that the list's other
        filters let through. The candidates are read sorted, as many as ``stop`` needs at the
        share that passes (known from the count, else a half), four times more while that
        was not enough; each reading is checked batch by batch from where the last stopped."""
        plain = self.scope is not None and self.scope.plain
        share = 1.0 if plain else (self._passing if self._passing is not None else 0.5)
        wanted = int(min(max(stop / max(share, 0.05) * 1.25, stop if plain else 200), LOCAL_MAX))
        while True:
            if self._candidates is None or (self._checked >= len(self._candidates) and self._more):
                read = max(wanted, 4 * len(self._candidates or []))
                self._candidates = self._local_candidates(read)
                self._more = len(self._candidates) == read
            if plain:  # every candidate is in the list (``_local_count``)
                self._kept_ids, self._checked = list(self._candidates), len(self._candidates)
            self._checked = self._check(
                self._candidates, self._kept_ids, self._checked, stop, prior=share, least=20
            )
            if len(self._kept_ids) >= stop or not self._more:
                return self._kept_ids[:stop]

    def _check(
        self,
        ids: list[int],
        kept: list[int],
        checked: int,
        stop: int | None,
        *,
        prior: float = 1.0,
        least: int = 200,
    ) -> int:
        """Check ``ids`` from ``checked`` on, batch by batch (``_batch``), appending those the
        list lets through to ``kept`` in their order, until ``kept`` holds ``stop`` (all of
        them without ``stop``); how many of ``ids`` are checked then."""
        while checked < len(ids) and (stop is None or len(kept) < stop):
            batch = ids[checked : checked + self._batch(stop, len(kept), checked, prior, least)]
            allowed = self._allowed(batch)
            kept.extend(pk for pk in batch if pk in allowed)
            checked += len(batch)
        return checked

    @staticmethod
    def _batch(stop: int | None, passed: int, checked: int, prior: float = 1.0, least: int = 200) -> int:
        """How many candidates to check next for ``stop`` to pass: those missing, divided by
        the share that passed so far, with a quarter more, at least ``least`` (a round trip
        costs more than a few lookups) and at most 4,000. Every candidate checked costs a
        lookup, so the first batch assumes that all pass (or the ``prior`` share, when known): a
        second one, sized by the share seen, costs less than checking twice too many (two
        thousand lookups, 8 ms on PostgreSQL)."""
        if stop is None:
            return 4_000
        share = passed / checked if checked else prior
        return int(min(max((stop - passed) / max(share, 0.05) * 1.25, least), 4_000))

    def _holders(self) -> QuerySet[Person]:
        """For a unit's list: the post holders it lets through (its grants, its other filters)
        whose name matches."""
        assert self.scope is not None and self.scope.others is not None  # noqa: S101 (invariant; narrows the type for mypy)
        return name_search(self.base.filter(pk__in=self.scope.others), self.query).order_by()

    def _local_candidates(self, stop: int | None, *, ordered: bool = True) -> list[int]:
        """Ids of the first ``stop`` (all without) persons of the driving word's range within
        the scope's units and, for a unit's list, of the post holders whose name matches, in
        name order (unless not ``ordered``)."""
        word, parts, _expansions = self._plan  # type: ignore[misc]
        index = self._local_index
        assert index is not None and self.scope is not None  # ``_local_entries`` said so  # noqa: S101
        if self.scope.others is None:
            return index.range_page(word, parts, self.pattern, stop, ordered=ordered)
        sql, params = self._holders().values_list("sort_key", "pk").query.sql_with_params()
        return index.range_page(word, parts, self.pattern, stop, also=(sql, list(params)), ordered=ordered)

    def _filter_count(self) -> tuple[int, bool]:
        if self.exact_count:
            return self.queryset.count(), False
        capped = self.queryset.order_by()[: COUNT_CAP + 1].count()
        return min(capped, COUNT_CAP), capped > COUNT_CAP

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Person]:
        return iter(self.queryset)

    def _top_all(self, stop: int) -> list[int]:
        """Ids of the first ``stop`` matches in name order, when no other filter applies.

        A first statement reads a few entries of every run. If ``stop`` matches are among them,
        the last bounds a second statement that reads each run up to that row. Otherwise the
        matches lie deeper (in "nguyen thi hoa" the given name Hoa comes first, then the middle
        names up to Thị) and the runs are read one after the other, each cut at the page's
        last row so far (``_top``).
        """
        _word, parts, expansions = self._plan  # type: ignore[misc]
        runs = [(w, p) for p in parts for w in expansions]
        seen = sorted(set(self._index.first_entries(runs, self.pattern, PILOT_ENTRIES)))
        if len(seen) < stop:
            return self._top(stop)
        found = self._index.first_matches(runs, self.pattern, bound=seen[stop - 1], limit=stop)
        # A person is in two runs when two of his words start with the query word.
        return [pk for _k, pk in sorted(set(found))[:stop]]

    def _top(self, stop: int, allowed: set[int] | None = None) -> list[int]:
        """Ids of the first ``stop`` matches in name order (among ``allowed``), the runs read
        one after the other, each cut at the page's last row so far.

        With ``allowed`` (the ids the list's other filters let through) a run is read in chunks
        sized for the share of the people they hold, and filtered here: one set lookup per
        entry, instead of the database re-checking the filters for every chunk."""
        _word, parts, expansions = self._plan  # type: ignore[misc]
        best: list[Key] = []
        chunk = stop
        if allowed is not None:
            share = len(allowed) / max(self._population(), 1)
            chunk = min(max(int(stop / max(share, 1e-6) * 1.5), 200), 50_000)
        for part in parts:  # given names first (``PARTS``)
            for word in expansions:
                bound = best[-1] if len(best) >= stop else None
                found: list[Key] = []
                after: Key | None = None
                while True:
                    rows = self._index.walk(word, part, self.pattern, after=after, bound=bound, limit=chunk)
                    found += rows if allowed is None else [r for r in rows if r[1] in allowed]
                    if allowed is None or len(rows) < chunk or len(found) >= stop:
                        break
                    after = rows[-1]
                # A person is in two runs when two of his words start with the query word.
                best = sorted(set(best).union(found))[:stop]
        return [pk for _k, pk in best]

    def _population(self) -> int:
        """How many persons the walked entries stand for: those of the grant's units when the
        entries are read within them, else (roughly) everybody: the highest id."""
        people = Person.objects.using(self.base.db)
        units = self._index.units
        if units is not None:
            return people.filter(managing_unit_id__in=units).count()
        return int(people.order_by("-pk").values_list("pk", flat=True).first() or 0)

    def _base_ids(self) -> set[int] | None:
        """The ids the list's other filters let through, or None when the filter serves better:
        fewer than SMALL_BASE (it sorts few rows) or more than BIG_BASE (its walk in name order
        meets matches soon)."""
        if self._ids is False:
            # A plain cursor: building 40,000 ids through the ORM costs a third more.
            sql, params = self.base.order_by().values("pk")[: BIG_BASE + 1].query.sql_with_params()
            with connections[self.base.db].cursor() as cur:
                cur.execute(sql, params)
                ids = {row[0] for row in cur.fetchall()}
            self._ids = ids if SMALL_BASE <= len(ids) <= BIG_BASE else None
        return self._ids  # type: ignore[return-value]

    def _density(self) -> float:
        """Share of everybody's first matches that the other filters let through, from one page
        of them: near 1 for a grant on the whole province, small for a department."""
        if self._share is None:
            found = self._top_all(DENSITY_PROBE)
            allowed = self._allowed(found)
            self._probe = (found, allowed)
            self._share = len(allowed) / len(found) if found else 1.0
        return self._share

    def _allowed(self, ids: list[int]) -> set[int]:
        """Which of ``ids`` the list lets through (``among_ids``: one parameter). The list's
        SQL is compiled once for all the batches (a millisecond each time) and the ids are
        checked on its rows (``b.pk``), which both databases push down to the table's key."""
        if not ids:
            return set()
        connection = connections[self.base.db]
        if self._allowed_sql is None:
            try:
                base_sql, base_params = self.base.order_by().values("pk").query.sql_with_params()
            except EmptyResultSet:  # a user without grants: none of them is in his list
                return set()
            self._allowed_sql = (f"SELECT b.pk FROM ({base_sql}) b WHERE ", list(base_params))  # noqa: S608 (Django's compiled query; values are parameters)
        sql, params = self._allowed_sql
        among, among_params = among_ids(connection, "b.pk", ids)
        with connection.cursor() as cur:
            cur.execute(sql + among, [*params, *among_params])
            return {pk for (pk,) in cur.fetchall()}

    def _dense_count(self, plan: tuple[str, tuple[int, ...], list[str]]) -> tuple[int, bool] | None:
        """When the other filters let most people through (a grant on the whole province): the
        count of everybody's matches that they allow. None when it cannot tell (narrow filters,
        or over COUNT_CAP matches exist and fewer of them pass)."""
        if self._density() < 0.5:
            return None
        _word, parts, expansions = plan
        ids, truncated = self._index.matching_ids(expansions, parts, self.pattern, COUNT_CAP)
        listed = sorted(ids)
        # Checking COUNT_CAP + 1 of them is enough when they pass; the rest only if needed. As
        # many as the share that passed the density probe needs, with a quarter more (each id
        # checked costs a lookup of the person: 2,000 were 5 of a search's 40 ms, issue 22).
        share = self._density()
        first = min(max(int((COUNT_CAP + 1) / share * 1.25), COUNT_CAP + 1), 2 * COUNT_CAP)
        inside = len(self._allowed(listed[:first]))
        more = truncated or len(listed) > first
        if inside <= COUNT_CAP and len(listed) > first:
            inside, more = len(self._allowed(listed)), truncated
        if more and inside <= COUNT_CAP:
            return None
        return min(inside, COUNT_CAP), more or inside > COUNT_CAP

    def _dense_page(self, stop: int) -> list[int] | None:
        """When the other filters let most people through: everybody's first matches, kept if
        they allow them, read again deeper until ``stop`` are kept. None for narrow filters."""
        if self._density() < 0.25:
            return None
        want = DENSITY_PROBE
        while want <= MAX_OFFSET:
            found, allowed = self._probe if want == DENSITY_PROBE else (None, None)
            if found is None or allowed is None:
                found = self._top_all(want)
                allowed = self._allowed(found)
            kept = [pk for pk in found if pk in allowed]
            if len(kept) >= stop or len(found) < want:
                return kept[:stop]
            # As many as the share seen needs, with a quarter more (at least a quarter more than
            # this look): 50 of "nguyen thi" at 40,000 people keep 37, and 85 suffice, not 200.
            want = int(stop / max(len(kept) / len(found), 0.05) * 1.25)
        return None

    def _page_ids(self, start: int, stop: int) -> list[int] | None:
        plan = self._driver()
        if plan is None:
            return None
        if not plan[2]:
            return []
        local = self._local_entries()
        if local is not None and local[0] <= LOCAL_MAX:
            if self._filtered_base():
                return self._kept(stop)[start:stop]
            word, parts, _expansions = plan
            return self._local_index.range_page(word, parts, self.pattern, stop)[start:stop]  # type: ignore[union-attr]
        if stop > MAX_OFFSET:
            return None
        if not self._filtered_base():
            return self._top_all(stop)[start:stop]
        dense = self._dense_page(stop)
        if dense is not None:
            return dense[start:stop]
        ids = self._base_ids()
        if ids is None:
            return None
        return self._top(stop, ids)[start:stop]

    def page_key(self, start: int, stop: int) -> tuple[Any, ...] | None:
        """The key under which the ids of the page ``[start:stop]`` are kept (None when nothing
        is: no ``keep``, or a user without grants): it names the page's rows as long as it is
        the key (the list page keeps their markup under it, ``lists.kept``). The markup shows
        more than the ids' statements read, so the key holds the change log's newest entry itself,
        and there is none while a write is in flight (PostgreSQL: it may commit with an older
        entry's id)."""
        key = self._kept_key("page", start, stop)
        if key is None or self._stamp is None or self._in_flight:
            return None
        return (*key, *self._stamp)

    def __getitem__(self, key: slice) -> list[Person]:
        if not isinstance(key, slice):
            raise TypeError("NameSearchResults is read by slices (pages)")
        start, stop = key.start or 0, key.stop if key.stop is not None else COUNT_CAP
        kept_key = self._kept_key("page", start, stop)
        kept = self._kept_get(kept_key)
        if kept is not None:
            ids = kept[0]
        else:
            ids = self._page_ids(start, stop)
            self._kept_put(kept_key, (ids,))  # (None,): the filter serves this page
        if ids is None:
            return list(self.queryset[start:stop])
        found = self.base.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    def prefetch_related(self, *lookups: Any) -> NameSearchResults:
        """As ``QuerySet.prefetch_related``, on the rows of the pages."""
        clone = NameSearchResults.__new__(NameSearchResults)
        clone.__dict__.update(self.__dict__)
        clone.base = self.base.prefetch_related(*lookups)
        clone.queryset = self.queryset.prefetch_related(*lookups)
        return clone


def name_results(
    base: QuerySet[Person],
    query: str,
    *,
    exact_count: bool = False,
    user: Any = None,
    grants_only: bool = False,
    within: tuple[Unit, QuerySet[Any]] | None = None,
) -> Any:
    """The list's rows for ``query``: a ``NameSearchResults`` for a name, else a queryset.

    ``base`` is limited to ``user``'s grants, if given (``restrict``); ``within``: to a unit's
    list (its subtree's dossiers and its post holders); ``grants_only``: and to nothing else.
    The word table is then read within the grants' units and that unit's subtree (``unit_scope``)."""
    query = query.strip()
    if not query or is_id_query(query):
        return name_search(base, query)
    scope = unit_scope(user, exact=grants_only, within=within) if user is not None else None
    return NameSearchResults(base, query, exact_count=exact_count, scope=scope)
