"""The read log: every read of dossiers — a person page, a section or a person through the API, an
export, a document, an attachment — written to ``AccessLog`` (RULES.md N-3).

One function writes it, ``record_read``: one INSERT per read, whatever the number of persons
(a bulk INSERT for an export), no SELECT. Rows are never changed; ``purge`` removes those older
than ``CANBO_READ_LOG_DAYS`` days, the only DELETE the database's trigger lets through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from canbo.core.context import bound_context
from canbo.core.models import AccessLog

Kind = AccessLog.Kind

# The PostgreSQL setting the purge sets (``SET LOCAL``) to get past the append-only trigger.
PURGE_SETTING = "canbo.accesslog_purge"


def _actor(request_or_user: Any) -> tuple[Any, str]:
    """The user a read is made by and the request id it carries (the middleware's, or the
    bound context's for a command or a task)."""
    user = getattr(request_or_user, "user", request_or_user)
    request_id = getattr(request_or_user, "request_id", "") if user is not request_or_user else ""
    if not request_id:
        ctx = bound_context()
        request_id = ctx.request_id if ctx is not None else ""
    return user, str(request_id)


def _user_name(user: Any) -> str:
    if user is None or not getattr(user, "pk", None):
        return "hệ thống"
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or getattr(user, "username", "hệ thống")


def record_read(
    request_or_user: Any,
    person_ids: int | Iterable[int] | None,
    what: str,
    sensitive: bool = False,
    *,
    kind: str = Kind.PAGE,
    person_name: str = "",
    count: int | None = None,
    detail: dict[str, Any] | None = None,
) -> list[AccessLog]:
    """Record one read by a request's user (or a user, for a command or a task).

    ``person_ids``: one person, several (an export: one row each, one INSERT) or None (a
    document of a unit: one row, ``count`` persons). ``what``: what was read, in Vietnamese, as
    the person page lists it; ``sensitive``: whether it includes sensitive sections.
    """
    user, request_id = _actor(request_or_user)
    ctx = bound_context()
    if person_ids is None or isinstance(person_ids, int):
        ids: list[int | None] = [person_ids]
    else:
        ids = list(person_ids)
        if not ids:
            ids = [None]
    now = timezone.now()
    common = {
        "time": now,
        "user_id": user.pk if getattr(user, "pk", None) else None,
        "user_name": _user_name(user),
        "source": ctx.source if ctx is not None else "other",
        "kind": kind,
        "what": what[:300],
        "sensitive": sensitive,
        "request_id": request_id[:64],
        "detail": detail or {},
    }
    one = len(ids) == 1
    rows = [
        AccessLog(
            person_id=pid,
            person_name=person_name[:150] if one else "",
            count=(count if count is not None else (1 if pid is not None else 0)) if one else 1,
            **common,
        )
        for pid in ids
    ]
    if one:
        rows[0].save(force_insert=True)
    else:
        _insert_many(rows)
    return rows


def _insert_many(rows: list[AccessLog]) -> None:
    """Rows that differ only in ``person_id``, as one prepared INSERT run by the driver's
    ``executemany`` (sqlite3's C loop; psycopg's pipeline). ``bulk_create`` would build
    multi-row statements capped by SQLite's 999 parameters (71 rows here): measured ten times
    slower for an export of 11,000 persons (docs/performance.md, "Read log")."""
    fields = [f for f in AccessLog._meta.concrete_fields if not f.primary_key]
    first = rows[0]
    prepared = [f.get_db_prep_save(getattr(first, f.attname), connection) for f in fields]
    at = next(i for i, f in enumerate(fields) if f.attname == "person_id")
    quote = connection.ops.quote_name
    # Identifiers from the model's own metadata, quoted; every value is a parameter.
    table = quote(AccessLog._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    params = []
    for row in rows:
        values = list(prepared)
        values[at] = row.person_id
        params.append(values)
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(sql, params)


def reads_of(person_id: int) -> QuerySet[AccessLog]:
    """The reads of one dossier, newest first (the caller has checked who may see them)."""
    return AccessLog.objects.filter(person_id=person_id).select_related("user").order_by("-time", "-id")


def retention_days() -> int:
    return int(getattr(settings, "CANBO_READ_LOG_DAYS", 0))


def purge(days: int | None = None, *, now: dt.datetime | None = None) -> int:
    """Delete reads older than ``days`` (default: the setting); 0 keeps everything. Returns the
    number of rows deleted. The one DELETE of the log: on PostgreSQL it sets the purge flag the
    trigger checks, for this transaction only."""
    days = retention_days() if days is None else days
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])
        deleted, _ = AccessLog.objects.filter(time__lt=cutoff).delete()
    return deleted
