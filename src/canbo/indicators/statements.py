"""The engine's counting statements, compiled once per process and run again for other dates.

On the data of a page or a test, most of an indicator computation's time is Django building
its statements (resolving and compiling a filtered ``COUNT(DISTINCT …)`` pair per indicator
and date, each holding the population's conditions and a subquery or two), not the database
running them (docs/performance.md, "Session 16: the suite (the indicator engine's
statements)"). A statement of the engine depends on its dates only through its parameters, so
``kept_rows`` compiles it once for stand-in dates (``stand_ins``: days of the year 2401) and
afterwards sends the same SQL with each stand-in parameter replaced by the real date it stands
for. Every date parameter of the engine is ``years_before(day, n)`` of one of its days (the day
itself, an age limit, the 18th birthday, a renewal's look-back): a stand-in day has a month
and day of its own, so a parameter's month and day name the day and its year the ``n``. This
is ``core.kept``'s idea (a read compiled for a stand-in id) for the engine's grouped counts.

The caller's key holds everything else the SQL depends on (the definitions, the unit's path,
the SQL of the user's scope, the grouping, the titles and fact columns read for it, the number
of dates); the database alias and vendor are added here. So nothing has to invalidate a kept
statement: a change that alters a statement alters its key, and the records are read each time
it runs. A statement is kept only when every date parameter between the years 2100 and 9000 is
a stand-in's; otherwise (or when Django would send none) it is compiled on each call as before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import ValuesIterable
from django.db.models.sql import Query

STAND_IN_YEAR = 2401  # not a leap year: each of its days has a month and day of its own
_FIRST = dt.date(STAND_IN_YEAR, 1, 1)
_MAX_DAYS = 365
# Date parameters in this range of years must be stand-ins' (no record is dated there; the
# fact tables' open end, 9999-12-31, is outside it).
_SUSPECT = range(2100, 9001)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# At most this many statements per process (a page's definitions × units × users × groupings);
# then they are dropped and compiled again as asked for.
KEPT = 256


def years_before(day: dt.date, years: int) -> dt.date:
    """``day`` ``years`` years earlier (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def stand_ins(n: int) -> list[dt.date]:
    """The stand-in days a statement for ``n`` dates is compiled with, in date order."""
    return [_FIRST + dt.timedelta(days=k) for k in range(n)]


@dataclass(frozen=True)
class _Slot:
    """A parameter standing for ``years_before(days[day], years)``."""

    day: int
    years: int


@dataclass(frozen=True)
class _Statement:
    db: str
    sql: str
    params: tuple[Any, ...]  # ``_Slot`` where a date goes
    names: tuple[str, ...]  # the columns, in order
    converters: dict[int, tuple[list[Any], Any]]  # ``SQLCompiler.get_converters``


# Key → statement, or None: not keepable, compiled on each call.
_kept: dict[tuple[Any, ...], _Statement | None] = {}


class _Compiling(Query):
    """``Query.get_aggregation`` whose statement is compiled and kept (``statement``), not sent:
    ``QuerySet.aggregate`` makes its SQL, which this module sends itself afterwards."""

    statement: tuple[str, tuple[Any, ...], dict[int, Any]] | None = None

    def get_compiler(self, using: Any = None, connection: Any = None, elide_empty: bool = True) -> Any:
        compiler = super().get_compiler(using, connection, elide_empty)

        def keep(*_args: Any, **_kwargs: Any) -> None:
            sql, params = compiler.as_sql()
            if not sql:
                raise EmptyResultSet
            self.statement = (sql, tuple(params), compiler.get_converters(self.annotation_select.values()))

        compiler.execute_sql = keep
        return compiler


Build = Callable[[list[dt.date]], tuple[QuerySet[Any], dict[str, Any] | None]]


def kept_rows(key: tuple[Any, ...], days: list[dt.date], build: Build) -> list[dict[str, Any]]:
    """The rows of the statement ``build(days)`` makes: a ``values()`` queryset's (with None), or
    the one row of ``queryset.aggregate(**aggregates)``. ``days`` in date order; ``key``: every
    other input of ``build``'s SQL."""
    if len(days) > _MAX_DAYS:
        return _evaluate(*build(days))
    full = (DEFAULT_DB_ALIAS, connections[DEFAULT_DB_ALIAS].vendor, *key, len(days))
    if full not in _kept:
        qs, aggregates = build(stand_ins(len(days)))
        if len(_kept) >= KEPT:
            _kept.clear()
        _kept[full] = _compile(qs, aggregates, len(days))
    statement = _kept.get(full)
    if statement is None:
        return _evaluate(*build(days))
    return _run(statement, days)


def _evaluate(qs: QuerySet[Any], aggregates: dict[str, Any] | None) -> list[dict[str, Any]]:
    if aggregates is not None:
        return [qs.aggregate(**aggregates)]
    return list(qs)


def _compile(qs: QuerySet[Any], aggregates: dict[str, Any] | None, n: int) -> _Statement | None:
    """The statement of ``qs`` for the stand-in days, or None when it cannot be kept."""
    try:
        if aggregates is not None:
            query: _Compiling = qs.query.chain(_Compiling)  # type: ignore[assignment]
            query.get_aggregation(qs.db, aggregates)
            if query.statement is None:
                return None  # Django aggregated through a subquery of its own: not this shape
            sql, params, converters = query.statement
            names: tuple[str, ...] = tuple(aggregates)
        else:
            if qs._iterable_class is not ValuesIterable:
                raise TypeError("kept_rows keeps values() reads and aggregates only.")
            q = qs.query
            compiler = q.get_compiler(using=qs.db)
            sql, raw = compiler.as_sql()
            params = tuple(raw)
            converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
            names = (*q.extra_select, *q.values_select, *q.annotation_select)
    except EmptyResultSet:
        return None  # Django sends nothing (an empty IN): the same on every call
    slotted = _slots(params, n)
    if slotted is None:
        return None
    return _Statement(db=qs.db, sql=sql, params=slotted, names=names, converters=converters)


def _as_day(value: Any) -> dt.date | None:
    """A date parameter as the backend takes it (PostgreSQL: a date; SQLite: its ISO text)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _slots(params: tuple[Any, ...], n: int) -> tuple[Any, ...] | None:
    """``params`` with each stand-in date replaced by its ``_Slot``; None when a date parameter
    in the stand-ins' years is not one of them (a date derived otherwise than ``years_before``)."""
    first = stand_ins(n)
    out: list[Any] = []
    for value in params:
        day = _as_day(value)
        if day is None or day.year not in _SUSPECT:
            out.append(value)
            continue
        years = STAND_IN_YEAR - day.year
        try:
            k = (day.replace(year=STAND_IN_YEAR) - _FIRST).days
        except ValueError:  # 29 February: no stand-in has it
            return None
        if not (0 <= k < n and years >= 0 and years_before(first[k], years) == day):
            return None
        out.append(_Slot(k, years))
    return tuple(out)


def _run(statement: _Statement, days: list[dt.date]) -> list[dict[str, Any]]:
    connection = connections[statement.db]
    adapt = connection.ops.adapt_datefield_value
    params = [
        adapt(years_before(days[p.day], p.years)) if isinstance(p, _Slot) else p for p in statement.params
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        rows = cursor.fetchall()
    out = []
    converters = list(statement.converters.items())
    for raw in rows:
        row = list(raw)
        for pos, (convs, expression) in converters:
            value = row[pos]
            for converter in convs:
                value = converter(value, expression, connection)
            row[pos] = value
        out.append(dict(zip(statement.names, row, strict=True)))
    return out


def forget() -> None:
    """Drop every kept statement (tests)."""
    _kept.clear()
