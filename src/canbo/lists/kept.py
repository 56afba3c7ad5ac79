"""A list's count and the ids of its pages, kept per process between two changes (issue 22)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet

from canbo.core.kept_state import KeptByChanges
from canbo.people.search import kept_reset

_KEPT: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_KEPT_MAX = 512
_kept_lock = threading.Lock()


def _get(key: tuple[Any, ...]) -> Any:
    with _kept_lock:
        found = _KEPT.get(key)
        if found is not None:
            _KEPT.move_to_end(key)
        return found


def _put(key: tuple[Any, ...], value: Any) -> None:
    with _kept_lock:
        _KEPT[key] = value
        while len(_KEPT) > _KEPT_MAX:
            _KEPT.popitem(last=False)


_BY_CHANGES = KeptByChanges(_KEPT_MAX)


class KeptCount:
    """A list's queryset whose ``count()`` and pages' ids are kept per process by the list's SQL
    until a logged change that may alter them (issue 22; ``core.kept_state``: a write to a table
    the SQL reads, in a column it names — not a PATCH of someone's other names — or a log that
    went back, a restored backup).

    The count of a province's 40,000 dossiers was a fifth of the list's time, and the same list
    is asked again and again. The SQL holds everything else the rows depend on (the user's
    grants, the date, the filters, the order).

    A page asked again is read by its ids through ``reader`` (the user's restricted persons with
    the page's fields), as the name search reads its kept pages (``NameSearchResults.keep``): a
    unit's list found its page among the 1,100 people of a district (its holders and kept
    dossiers, sorted by name) in 6 ms of SQLite; 50 rows by key take 1.7 ms. Only the ids are
    kept: the persons are read afresh. Everything else is the queryset's.

    The page's ``kept_key`` (under which the list page keeps the rows' markup, which shows more
    than the list's SQL reads) holds the change log's newest entry itself, and is None while a
    write is in flight (``in_flight``, PostgreSQL): it may commit with an older entry's id."""

    def __init__(
        self, queryset: Any, stamp: tuple[int, str], reader: Any = None, in_flight: tuple[str, ...] = ()
    ) -> None:
        self.queryset = queryset
        self.stamp = stamp
        self.reader = reader
        self.in_flight = in_flight
        self._key: tuple[Any, ...] | None = None
        self._sql = ""
        self._empty = False

    def _kept_key(self, *what: Any) -> tuple[Any, ...] | None:
        if self._key is None and not self._empty:
            try:
                sql, params = self.queryset.values("pk").query.sql_with_params()
            except EmptyResultSet:  # a user without grants: the ORM knows the list is empty
                self._empty = True
                return None
            self._sql = sql
            self._key = (self.queryset.db, sql, tuple(str(p) for p in params))
        return None if self._key is None else (*self._key, *what)

    def _get(self, key: tuple[Any, ...]) -> Any:
        return _BY_CHANGES.get(self.queryset.db, key, self.stamp)

    def _put(self, key: tuple[Any, ...], value: Any) -> None:
        _BY_CHANGES.put(key, self.stamp, self._sql, value, self.in_flight)

    def count(self) -> int:
        key = self._kept_key("count")
        if key is None:
            return 0
        found = self._get(key)
        if found is None:
            found = self.queryset.count()
            self._put(key, found)
        return int(found)

    def __getitem__(self, key: Any) -> Any:
        if not isinstance(key, slice) or self.reader is None or key.step is not None:
            return self.queryset[key]
        start, stop = key.start or 0, key.stop
        ids_key = self._kept_key("page", start, stop)
        if ids_key is None:
            return self.queryset[key]
        markup_key = None if self.in_flight else (*ids_key, *self.stamp)
        return KeptPage(lambda: self._page(key, ids_key), markup_key)

    def _page(self, key: slice, ids_key: tuple[Any, ...]) -> list[Any]:
        ids = self._get(ids_key)
        if ids is None:
            page = list(self.queryset[key])
            self._put(ids_key, [p.pk for p in page])
            return page
        found = self.reader.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.queryset, name)


class KeptSearch:
    """A name search's results (``people.search.NameSearchResults``, kept by ``keep``) whose
    pages are read when first looked at (``KeptPage``): a page whose rows' markup is kept is not
    read at all. Everything else is the results'."""

    def __init__(self, results: Any) -> None:
        self.results = results

    def __getitem__(self, key: Any) -> Any:
        if not isinstance(key, slice) or key.step is not None:
            return self.results[key]
        kept_key = self.results.page_key(key.start or 0, key.stop)
        if kept_key is None:
            return self.results[key]
        return KeptPage(lambda: self.results[key], kept_key)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.results, name)


class KeptPage(Sequence[Any]):
    """A page of a ``KeptCount``, read when first looked at: a page whose rows' markup is kept
    (``kept_markup``) is not read at all. ``kept_key`` names the page (the list's SQL, the
    change log's newest entry, the slice)."""

    def __init__(self, load: Callable[[], list[Any]], kept_key: tuple[Any, ...] | None) -> None:
        self._load = load
        self._rows: list[Any] | None = None
        self.kept_key = kept_key

    def _all(self) -> list[Any]:
        if self._rows is None:
            self._rows = self._load()
        return self._rows

    def __len__(self) -> int:
        return len(self._all())

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._all())


def kept_markup(key: tuple[Any, ...], make: Callable[[], str]) -> str:
    """The markup ``make`` gives, kept per process under ``key`` (a ``KeptPage.kept_key`` with
    whatever else the markup is made from)."""
    return kept_value(key, make)


def kept_value(key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    """What ``make`` gives, kept per process under ``key`` (which must hold the change log's
    stamp, or whatever else the value depends on)."""
    found = _get(key)
    if found is None:
        found = make()
        _put(key, found)
    return found


def kept_counts_reset() -> None:
    """Forget the kept counts and pages (tests: a rolled-back test may leave the same newest
    entry)."""
    with _kept_lock:
        _KEPT.clear()
    _BY_CHANGES.clear()
    kept_reset()  # the name searches' (``NameSearchResults.keep``)
