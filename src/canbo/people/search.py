"""Search of persons by name (accents and case ignored) or by personal identification number.

Every list calls ``name_search``; the rule and its indexes are described in docs/performance.md
("Name search").
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.sql.compiler import SQLCompiler

from canbo.core.text import fold
from canbo.people.models import Person

FTS_TABLE = "people_person_name_fts"  # SQLite, migration 0005
FTS_MIN_WORDS = 3
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def name_search(qs: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Limit ``qs`` to persons matching ``query``; the caller orders (by ``sort_key``) and pages.

    - Digits only (spaces allowed): the personal id starts with them.
    - Anything else: every word of the query, accents and case ignored ("đ" as "d"), is the start
      of a word of the name, in the order typed: "nguyen thi hoa", "NGUYỄN THỊ HOA", "hoa",
      "nguyen hoa" and "ng hoa" all find "Nguyễn Thị Hoa"; "hoa" also finds "Hòa" and "Hoàng",
      not "Khoa"; "hoa nguyen" does not find her.

    The condition is exact on both databases; what differs is how it reaches its index
    (docs/performance.md, "Name search"):

    - PostgreSQL: the LIKE is on the expression of the pg_trgm index. It is stated twice: the
      planner then multiplies its (good) estimate of the matches by itself, so it walks the
      ``sort_key`` index only for very common words ("nguyen", "thi") and otherwise takes the
      trigram index and sorts. Names sort by given name, so the matches of a given name sit
      together in that walk, which the planner cannot know; left alone it walks the whole table
      for "yen" (11 s at 2.5 million) instead of sorting 27,000 rows (0.1 s).
    - SQLite: queries of three words or more (full names: few matches) also go through the FTS5
      table; shorter ones walk the covering (sort_key, id, search_name) index, checking the
      LIKE on the index entries.
    """
    query = query.strip()
    if not query:
        return qs
    digits = query.replace(" ", "")
    if digits.isascii() and digits.isdigit():
        return qs.filter(_id_prefix(digits))
    words = fold(query).split()
    pattern = words_pattern(words)
    condition = Q(NameWordsLike(pattern))
    vendor = connections[qs.db].vendor
    if vendor == "postgresql":
        condition &= Q(NameWordsLike(pattern, planner_hint=True))
    elif vendor == "sqlite":
        fts_words = [w for w in words if _ASCII_WORD.fullmatch(w)]
        if len(fts_words) >= FTS_MIN_WORDS:
            match = " AND ".join(f'"{w}"*' for w in fts_words)
            fts = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
            condition &= Q(pk__in=fts)
    return qs.filter(condition)


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
