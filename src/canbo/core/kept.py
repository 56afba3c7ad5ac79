"""Read statements compiled once per process and run with another id (issue 22).

The ORM compiles a queryset's SQL anew on every evaluation: for the small reads of a page (a
dossier's sections, one person's rows each) the compilation costs several times what the
database takes to answer, about half a millisecond a statement at 40,000 people. ``KeptQuery``
compiles a queryset built for a stand-in id once per process (per database alias and vendor)
and afterwards runs the same SQL with the id put in place of the stand-in, turning the rows
into model instances as ``QuerySet`` does (``ModelIterable``: the same converters, the same
``select_related`` objects). Only plain model reads (filters, ordering, ``select_related``) can
be kept: a queryset with ``prefetch_related``, ``values()`` or ``only()``-like deferral of its
related rows is refused when it is first compiled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable

M = TypeVar("M", bound=Model)

# An id no row has, put where the real id goes when the statement is compiled.
STAND_IN = -987_654_321


@dataclass(frozen=True)
class _Compiled:
    db: str
    query: Any  # the Query the statement was compiled from (read, never changed)
    sql: str
    params: tuple[Any, ...]
    positions: tuple[int, ...]  # where the stand-in stands in ``params``
    select: Any
    klass_info: Any
    annotation_col_map: Any
    col_count: int
    has_extra_select: bool


class _Prepared:
    """What ``ModelIterable`` asks of a queryset, answered with a compiled statement."""

    _known_related_objects: dict[Any, Any] = {}

    def __init__(self, compiled: _Compiled, value: int) -> None:
        self.db = compiled.db
        self.query = self
        self._compiled = compiled
        self._value = value

    def get_compiler(self, using: str | None = None, **_: Any) -> Any:
        c = self._compiled
        compiler = c.query.get_compiler(using=c.db)  # this thread's connection
        params = list(c.params)
        for i in c.positions:
            params[i] = self._value
        compiler.select, compiler.klass_info = c.select, c.klass_info
        compiler.annotation_col_map, compiler.col_count = c.annotation_col_map, c.col_count
        compiler.has_extra_select = c.has_extra_select
        compiler.as_sql = lambda *args, **kwargs: (c.sql, tuple(params))
        return compiler


class KeptQuery(Generic[M]):
    """``build(id)``'s rows, with its SQL compiled once per process.

    ``build`` must return the same statement for every id but the id itself (the id only as a
    parameter of a filter): ``KeptQuery(lambda pk: Tenure.objects.filter(person_id=pk)
    .select_related("title").order_by("start_date"))``.
    """

    def __init__(self, build: Callable[[int], QuerySet[M]]) -> None:
        self._build = build
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def _compile(self, alias: str) -> _Compiled:
        qs = self._build(STAND_IN)
        if getattr(qs, "_prefetch_related_lookups", ()) or qs._iterable_class is not ModelIterable:
            raise TypeError("KeptQuery keeps plain model reads only (no prefetch, no values()).")
        compiler = qs.query.get_compiler(using=qs.db)
        sql, params = compiler.as_sql()
        positions = tuple(i for i, p in enumerate(params) if p == STAND_IN)
        if not positions:
            raise TypeError("KeptQuery: the statement does not take the id as a parameter.")
        return _Compiled(
            db=qs.db,
            query=qs.query,
            sql=sql,
            params=tuple(params),
            positions=positions,
            select=compiler.select,
            klass_info=compiler.klass_info,
            annotation_col_map=compiler.annotation_col_map,
            col_count=compiler.col_count,
            has_extra_select=compiler.has_extra_select,
        )

    def __call__(self, value: int, *, using: str = "default") -> list[M]:
        key = (using, connections[using].vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using)
        return list(ModelIterable(_Prepared(compiled, value)))  # type: ignore[arg-type]

    def sql(self, using: str = "default") -> str:
        """The kept statement (for tests)."""
        return self._compile(using).sql


__all__ = ["STAND_IN", "KeptQuery"]
