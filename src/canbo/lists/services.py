"""Writes of saved lists, and the exports' entries in the read log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from canbo.core.errors import DomainError
from canbo.core.readlog import Kind, record_read
from canbo.core.services import audited_create, audited_delete, audited_update, logged_user
from canbo.core.types import ActingUser
from canbo.lists.models import SavedList


def saved_list_save(
    *, acting_user: ActingUser, name: str, filters: dict[str, Any], columns: list[str]
) -> SavedList:
    """Save the list under ``name`` for its owner; the same name replaces the earlier one."""
    name = " ".join(name.split())
    if not name:
        raise DomainError("Hãy đặt tên cho danh sách.")
    owner = logged_user(acting_user)
    existing = SavedList.objects.filter(owner=owner, name=name).first()
    if existing is not None:
        return audited_update(
            existing, acting_user=acting_user, changes={"filters": filters, "columns": columns}
        )
    return audited_create(
        SavedList(owner=owner, name=name, filters=filters, columns=columns), acting_user=acting_user
    )


def saved_list_delete(*, acting_user: ActingUser, saved: SavedList) -> None:
    if saved.owner_id != getattr(acting_user, "pk", None):
        raise DomainError("Không tìm thấy danh sách.")
    audited_delete(saved, acting_user=acting_user, reason="Xóa danh sách đã lưu")


def export_record(
    request_or_user: Any,
    *,
    person_ids: list[int],
    as_of: dt.date,
    filters: dict[str, Any],
    columns: list[str],
    row_count: int,
) -> None:
    """An export of the list in the read log: one row per person exported (one INSERT), each
    with the filters, the columns and the number of rows."""
    record_read(
        request_or_user,
        person_ids,
        f"Xuất danh sách ra Excel ({f'{row_count:,}'.replace(',', '.')} người, tính đến {as_of:%d/%m/%Y})",
        kind=Kind.EXPORT,
        count=row_count if not person_ids else None,
        detail={"as_of": as_of.isoformat(), "filters": filters, "columns": columns, "row_count": row_count},
    )
