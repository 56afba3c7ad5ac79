"""Validators for conditional GETs (issue 22): an unchanged page answers ``304 Not Modified``.

A page whose content is a function of the database, the user and the request can be validated
without being rendered: every write goes through the audited services, so the change log's
latest id moves whenever anything a page could show changes (grants and saved lists included).
``data_etag`` hashes that id with what else the page depends on — the user (who he is and what
his menu shows), his CSRF cookie (the page's forms carry a token made from it), today's date
and the request's path and query — and ``conditional`` answers 304 when the browser's
``If-None-Match`` matches, or stamps the rendered answer with the tag. A request carrying a
one-time message (shown once, after a redirect) gets no tag.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag

from canbo.core.dates import today
from canbo.core.kept_state import IN_FLIGHT_SQL
from canbo.core.models import ObjectChange


def latest_change_id() -> int:
    """The id of the change log's newest entry (0 for an empty log): one index read."""
    return latest_change(None)[0]


def latest_change(request: HttpRequest | None) -> tuple[int, str]:
    """(id, time) of the change log's newest entry ((0, "") for an empty log): one index read,
    kept on ``request`` for the rest of the request (the ETag and the list's kept count)."""
    kept = getattr(request, "_canbo_latest_change", None)
    if kept is not None:
        return kept
    rows = ObjectChange.objects.order_by("-id")
    in_flight: tuple[str, ...] = ()
    row: tuple[Any, ...] | None
    if connections[rows.db].vendor == "postgresql":  # the writes in flight, in the same statement
        in_flight_sql = RawSQL(IN_FLIGHT_SQL, [])  # noqa: S611 (a constant statement, no input)
        row = rows.annotate(in_flight=in_flight_sql).values_list("id", "time", "in_flight").first()
        in_flight = tuple(row[2] or ()) if row else ()
    else:
        row = rows.values_list("id", "time").first()
    found = (int(row[0]), row[1].isoformat()) if row else (0, "")
    if request is not None:
        request._canbo_latest_change = found  # type: ignore[attr-defined]
        request._canbo_in_flight = in_flight  # type: ignore[attr-defined]
    return found


def writes_in_flight(request: HttpRequest) -> tuple[str, ...]:
    """The write transactions in flight when ``latest_change(request)`` read the newest entry
    (PostgreSQL; on SQLite, whose writers are serialized, none): a value computed in this
    request and kept by that entry is not reused once one of them has committed
    (``core.kept_state``)."""
    latest_change(request)
    return getattr(request, "_canbo_in_flight", ())


def _has_pending_messages(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return bool(request.COOKIES.get("messages")) or bool(session is not None and session.get("_messages"))


def data_etag(request: HttpRequest, *parts: object) -> str | None:
    """A strong ETag of a page that depends on the data, the user, the request and ``parts``."""
    if request.method not in ("GET", "HEAD") or _has_pending_messages(request):
        return None
    user = request.user
    key = "\x1f".join(
        str(p)
        for p in (
            latest_change(request)[0],
            user.pk,
            user.get_username(),
            user.get_full_name() if hasattr(user, "get_full_name") else "",
            getattr(user, "is_superuser", False),
            request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
            today().isoformat(),
            request.get_full_path(),
            *parts,
        )
    )
    return quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])


def conditional(request: HttpRequest, etag: str | None, render: Callable[[], HttpResponse]) -> HttpResponse:
    """``304 Not Modified`` when ``etag`` matches the request's validator; otherwise the rendered
    answer, stamped with ``etag`` when it is a 200."""
    if etag is not None:
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
    response = render()
    if etag is not None and response.status_code == 200:
        response["ETag"] = etag
    return response
