"""Writes of the organisation: units, titles, posts, administrative areas."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from django.db import transaction

from canbo.core.errors import DomainError
from canbo.core.models import ObjectChange
from canbo.core.services import (
    audited_create,
    audited_update,
    bulk_log_created,
    ensure_can_change,
    log_change,
)
from canbo.org.choices import AreaLevel
from canbo.org.models import AdminArea, AreaLineage, Post, Title, Unit

DATA_DIR = Path(__file__).resolve().parent / "data"

UNIT_FIELDS = (
    "code",
    "name",
    "short_name",
    "kind",
    "block",
    "level",
    "area",
    "valid_from",
    "valid_to",
    "note",
)


def unit_create(*, acting_user: Any, parent: Unit | None, reason: str = "", **fields: Any) -> Unit:
    """Create a unit under ``parent`` (a root when None). The acting user must be allowed to
    change the parent's subtree; only a superuser creates roots."""
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    with transaction.atomic():
        if parent is not None:
            ensure_can_change(parent, acting_user)
            if parent.valid_to and fields.get("valid_from") and fields["valid_from"] > parent.valid_to:
                raise DomainError(f"Đơn vị cấp trên “{parent}” đã kết thúc ngày {parent.valid_to:%d/%m/%Y}.")
            # Unit.clean cannot see the parent before the node is in the tree, so check here.
            if parent.valid_from and fields.get("valid_from") and fields["valid_from"] < parent.valid_from:
                raise DomainError(
                    f"Đơn vị cấp trên “{parent}” chỉ có hiệu lực từ {parent.valid_from:%d/%m/%Y}; "
                    "đơn vị trực thuộc không thể có hiệu lực trước ngày đó."
                )
        elif acting_user is not None and not getattr(acting_user, "is_superuser", False):
            raise DomainError("Chỉ quản trị hệ thống được tạo đơn vị gốc.")
        unit = Unit(**fields)
        unit.full_clean(exclude=["path", "depth", "numchild"])
        if parent is not None:
            unit = Unit.objects.add_child(parent, instance=unit)
        else:
            unit = Unit.objects.add_root(instance=unit)
        log_change(
            instance=unit,
            action=ObjectChange.Action.CREATE,
            before=None,
            after=unit.snapshot(),
            acting_user=acting_user,
            reason=reason,
        )
    return unit


def unit_update(
    *, unit: Unit, acting_user: Any, reason: str = "", expected_version: int | None = None, **changes: Any
) -> Unit:
    """Change a unit's attributes (not its name: a rename keeps history, see ``unit_rename``)."""
    allowed = {"short_name", "kind", "block", "level", "area", "note", "code"}
    bad = set(changes) - allowed
    if bad:
        raise DomainError("Đổi tên hoặc thời hạn hiệu lực của đơn vị phải dùng thao tác sắp xếp tổ chức.")
    return audited_update(
        unit, acting_user=acting_user, changes=changes, reason=reason, expected_version=expected_version
    )


def title_create(*, acting_user: Any, reason: str = "", **fields: Any) -> Title:
    return audited_create(Title(**fields), acting_user=acting_user, reason=reason)


def post_create(
    *, acting_user: Any, unit: Unit, title: Title, seats: int = 1, reason: str = "", **fields: Any
) -> Post:
    return audited_create(
        Post(unit=unit, title=title, seats=seats, **fields), acting_user=acting_user, reason=reason
    )


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@transaction.atomic
def areas_load(*, acting_user: Any = None) -> dict[str, int]:
    """Load the administrative-area catalogue from ``org/data`` (idempotent).

    Loads the 34 provincial units and 3,321 communes in force from 1/7/2025, the 63 former
    provinces, and the former districts and communes of Lào Cai, with lineage links
    (docs: org/data/README.md). Reference data: written in bulk, then logged once per record.
    """
    counts: dict[str, int] = {}
    existing = {(a.dataset, a.level, a.code): a for a in AdminArea.objects.all()}
    created: list[AdminArea] = []

    def upsert(dataset: str, level: str, code: str, **values: Any) -> AdminArea:
        key = (dataset, level, code)
        area = existing.get(key)
        if area is None:
            area = AdminArea(dataset=dataset, level=level, code=code, **values)
            area.save()
            existing[key] = area
            created.append(area)
        return area

    cur, old = AdminArea.Dataset.CURRENT, AdminArea.Dataset.FORMER
    july = dt.date(2025, 7, 1)
    for row in _read_csv("provinces_2025.csv"):
        upsert(cur, AreaLevel.PROVINCE, row["code"], name=row["name"], kind=row["kind"], valid_from=july)
    for row in _read_csv("provinces_pre2025.csv"):
        upsert(
            old,
            AreaLevel.PROVINCE,
            row["code"],
            name=row["name"],
            kind=row["kind"],
            valid_to=_date(row["valid_to"]),
        )
    province_new = {a.code: a for a in AdminArea.objects.filter(dataset=cur, level=AreaLevel.PROVINCE)}
    province_old = {a.code: a for a in AdminArea.objects.filter(dataset=old, level=AreaLevel.PROVINCE)}
    for row in _read_csv("communes_2025.csv"):
        upsert(
            cur, AreaLevel.COMMUNE, row["code"], name=row["name"], kind=row["kind"],
            valid_from=july, parent=province_new[row["province_code"]],
        )  # fmt: skip
    for row in _read_csv("laocai_districts_pre2025.csv"):
        upsert(
            old, AreaLevel.DISTRICT, row["code"], name=row["name"], kind=row["kind"],
            valid_to=_date(row["valid_to"]), parent=province_old[row["province_code"]],
        )  # fmt: skip
    district_old = {a.code: a for a in AdminArea.objects.filter(dataset=old, level=AreaLevel.DISTRICT)}
    commune_new = {a.code: a for a in AdminArea.objects.filter(dataset=cur, level=AreaLevel.COMMUNE)}
    links: list[tuple[AdminArea, AdminArea]] = []
    for row in _read_csv("laocai_communes_pre2025.csv"):
        area = upsert(
            old, AreaLevel.COMMUNE, row["code"], name=row["name"], kind=row["kind"],
            valid_to=_date(row["valid_to"]), parent=district_old[row["district_code"]],
        )  # fmt: skip
        for code in filter(None, row["successor_codes"].split(";")):
            links.append((area, commune_new[code]))
    for row in _read_csv("provinces_pre2025.csv"):
        links.append((province_old[row["code"]], province_new[row["successor"]]))
    existing_links = set(AreaLineage.objects.values_list("predecessor_id", "successor_id"))
    new_links = [
        AreaLineage(
            predecessor=a, successor=b, event_date=july, basis="NQ 202/2025/QH15; NQ 1673/NQ-UBTVQH15"
        )
        for a, b in links
        if (a.pk, b.pk) not in existing_links
    ]
    AreaLineage.objects.bulk_create(new_links)
    reason = "Nạp danh mục đơn vị hành chính"
    bulk_log_created([*created, *new_links], acting_user=acting_user, reason=reason)
    counts["areas_created"] = len(created)
    counts["lineage_created"] = len(new_links)
    counts["areas_total"] = AdminArea.objects.count()
    return counts
