"""Writes of the organisation: units, titles, posts, administrative areas."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q

from canbo.core.context import current_reason
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import ObjectChange
from canbo.core.querysets import CHANGE
from canbo.core.services import (
    audited_create,
    audited_update,
    bulk_log_created,
    ensure_can_change,
    log_change,
)
from canbo.core.types import ActingUser
from canbo.org.choices import AreaLevel
from canbo.org.models import AdminArea, AreaLineage, JobPosition, Post, StaffingQuota, Title, Unit

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
    "basis",
    "note",
)
# What a correction may change: a wrong value typed in. Dates and the place in the tree change
# only through restructuring (closing and opening units), so that the past stays exact.
CORRECTABLE_FIELDS = frozenset(
    {"code", "name", "short_name", "kind", "block", "level", "area", "basis", "note"}
)


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    for key in ("code", "name", "short_name"):
        if isinstance(out.get(key), str):
            out[key] = " ".join(out[key].split())
    return out


def ensure_code_free(code: str, *, exclude_pk: int | None = None) -> None:
    """Refuse a unit code already used by another unit (open or closed)."""
    qs = Unit.objects.filter(code__iexact=code)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    other = qs.first()
    if other is not None:
        raise DomainError(f"Mã đơn vị “{code}” đã được dùng cho “{other.name}”; hãy chọn mã khác.")


def ensure_within_parent(parent: Unit, valid_from: dt.date | None, valid_to: dt.date | None) -> None:
    """A unit's validity must lie inside its parent's: no unit before its parent began, none
    left open under a parent that has ended."""
    if parent.valid_to and valid_from and valid_from > parent.valid_to:
        raise DomainError(f"Đơn vị cấp trên “{parent}” đã kết thúc ngày {parent.valid_to:%d/%m/%Y}.")
    if parent.valid_from and valid_from and valid_from < parent.valid_from:
        raise DomainError(
            f"Đơn vị cấp trên “{parent}” chỉ có hiệu lực từ {parent.valid_from:%d/%m/%Y}; "
            "đơn vị trực thuộc không thể có hiệu lực trước ngày đó."
        )
    if parent.valid_from and valid_from is None:
        raise DomainError("Hãy nhập ngày đơn vị bắt đầu hiệu lực.")
    if parent.valid_to and (valid_to is None or valid_to > parent.valid_to):
        raise DomainError(
            f"Đơn vị cấp trên “{parent}” kết thúc ngày {parent.valid_to:%d/%m/%Y}; "
            "không thể để đơn vị trực thuộc còn hiệu lực sau ngày đó."
        )


def unit_create(*, acting_user: ActingUser, parent: Unit | None, reason: str = "", **fields: Any) -> Unit:
    """Create a unit under ``parent`` (a root when None). The acting user must be allowed to
    change the parent's subtree; only a superuser creates roots. Refused, with nothing
    written: a code already used, dates outside the parent's validity, a parent that has ended."""
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    fields = _normalise(fields)
    with transaction.atomic():
        if parent is not None:
            parent = Unit.objects.select_for_update().get(pk=parent.pk)
            ensure_can_change(parent, acting_user)
            # Unit.clean cannot see the parent before the node is in the tree, so check here.
            ensure_within_parent(parent, fields.get("valid_from"), fields.get("valid_to"))
        elif acting_user is not None and not getattr(acting_user, "is_superuser", False):
            raise DomainError("Chỉ quản trị hệ thống được tạo đơn vị gốc.")
        if fields.get("code"):
            ensure_code_free(fields["code"])
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
            reason=reason or fields.get("basis", ""),
        )
    return unit


def can_restructure(user: Any, unit: Unit) -> bool:
    """Whether ``user`` may restructure ``unit`` (rename, move, merge, split, dissolve) or correct
    its record: a decision of the level above, so it needs a grant that may change the unit's
    parent — a grant on the unit itself (a commune officer on his commune) is not enough. A root
    has no parent: only a superuser. ``None`` is the system (commands, the generator)."""
    if user is None or getattr(user, "is_superuser", False):
        return True
    if unit.depth <= 1:
        return False
    parent_path = unit.path[: len(unit.path) - Unit.steplen]
    return Unit.objects.restrict(user, CHANGE).filter(path=parent_path).exists()


def ensure_can_restructure(unit: Unit, acting_user: ActingUser) -> None:
    """Refuse (as "not found or not permitted") unless ``can_restructure``."""
    ensure_can_change(unit, acting_user)
    if not can_restructure(acting_user, unit):
        raise NotPermitted(
            f"Sắp xếp hoặc đính chính “{unit}” cần quyền trên đơn vị cấp trên của nó; "
            "quyền trên chính đơn vị không đủ."
        )


def unit_update(
    *,
    unit: Unit,
    acting_user: ActingUser,
    reason: str = "",
    expected_version: int | None = None,
    **changes: Any,
) -> Unit:
    """Change a unit's attributes (not its name: a rename keeps history, see ``unit_rename``)."""
    allowed = {"short_name", "kind", "block", "level", "area", "note", "code", "basis"}
    bad = set(changes) - allowed
    if bad:
        raise DomainError("Đổi tên hoặc thời hạn hiệu lực của đơn vị phải dùng thao tác sắp xếp tổ chức.")
    if changes.get("code"):
        ensure_code_free(changes["code"], exclude_pk=unit.pk)
    return audited_update(
        unit, acting_user=acting_user, changes=changes, reason=reason, expected_version=expected_version
    )


def unit_correct(
    *, unit: Unit, acting_user: ActingUser, reason: str, expected_version: int | None = None, **changes: Any
) -> Unit:
    """Correct a unit's record: a value typed in wrong (a name, a code). Unlike a rename, the
    corrected value stands for every date; the reason is required and kept in the change log."""
    reason = " ".join(current_reason(reason).split())
    if not reason:
        raise DomainError("Hãy nêu lý do đính chính.")
    bad = set(changes) - CORRECTABLE_FIELDS
    if bad:
        raise DomainError(
            "Ngày hiệu lực và đơn vị cấp trên chỉ thay đổi bằng thao tác sắp xếp tổ chức "
            "(đổi tên, chuyển đơn vị cấp trên, sáp nhập, chia tách, giải thể)."
        )
    changes = _normalise(changes)
    if "name" in changes and not changes["name"]:
        raise DomainError("Tên đơn vị không được để trống.")
    if "code" in changes:
        if not changes["code"]:
            raise DomainError("Mã đơn vị không được để trống.")
        ensure_code_free(changes["code"], exclude_pk=unit.pk)
    changes = {k: v for k, v in changes.items() if getattr(unit, k) != v}
    if not changes:
        raise DomainError("Không có thông tin nào thay đổi.")
    ensure_can_restructure(unit, acting_user)
    if "level" in changes:
        clash = unit.posts.exclude(title__level=changes["level"]).select_related("title").first()
        if clash is not None:
            raise DomainError(
                f"Đơn vị có vị trí “{clash.title}” của {clash.title.get_level_display().lower()}; "
                "hãy kết thúc vị trí đó trước khi đính chính cấp của đơn vị."
            )
    return audited_update(
        unit, acting_user=acting_user, changes=changes, reason=reason, expected_version=expected_version
    )


TITLE_FIELDS = frozenset(
    {
        "code", "name", "level", "group", "block", "is_key", "is_leader", "head_kind",
        "management_scope", "rank", "catalogue_group", "allowance_coefficient", "min_professional",
        "min_political_theory", "min_state_management", "max_age_first_appointment",
        "max_age_reappointment", "standards", "source",
    }
)  # fmt: skip


def _title_code_free(code: str, exclude_pk: int | None = None) -> None:
    qs = Title.objects.filter(code__iexact=code)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise DomainError(f"Mã chức danh “{code}” đã có trong danh mục.")


def title_create(*, acting_user: ActingUser, reason: str = "", **fields: Any) -> Title:
    """Add a title to the catalogue. The catalogue is shared by the province: only an
    administrator (superuser or an admin grant) edits it."""
    unknown = set(fields) - TITLE_FIELDS
    if unknown:
        raise TypeError(f"unknown title fields: {sorted(unknown)}")
    ensure_catalogue_admin(acting_user)
    with transaction.atomic():
        _title_code_free(fields.get("code", ""))
        return audited_create(Title(**_normalise(fields)), acting_user=acting_user, reason=reason)


def title_update(
    *,
    title: Title,
    acting_user: ActingUser,
    reason: str = "",
    expected_version: int | None = None,
    **changes: Any,
) -> Title:
    unknown = set(changes) - TITLE_FIELDS
    if unknown:
        raise TypeError(f"unknown title fields: {sorted(unknown)}")
    ensure_catalogue_admin(acting_user)
    with transaction.atomic():
        if "code" in changes:
            _title_code_free(changes["code"], exclude_pk=title.pk)
        if "level" in changes and changes["level"] != title.level:
            clash = title.posts.exclude(unit__level=changes["level"]).select_related("unit").first()
            if clash is not None:
                level = clash.unit.get_level_display().lower()
                raise DomainError(
                    f"Chức danh đang có vị trí tại “{clash.unit}” ({level}); không thể đổi cấp của chức danh."
                )
        return audited_update(
            title,
            acting_user=acting_user,
            changes=_normalise(changes),
            reason=reason,
            expected_version=expected_version,
        )


def can_edit_catalogue(user: Any) -> bool:
    """Superusers and holders of an admin grant edit the shared catalogues (titles, job positions)."""
    if user is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    from canbo.core.grants import is_admin

    return is_admin(user)


def ensure_catalogue_admin(user: Any) -> None:
    if not can_edit_catalogue(user):
        raise NotPermitted("Chỉ quản trị hệ thống được sửa danh mục chức danh, vị trí việc làm.")


def post_create(
    *, acting_user: ActingUser, unit: Unit, title: Title, seats: int = 1, reason: str = "", **fields: Any
) -> Post:
    """Seats of ``title`` in ``unit`` from ``valid_from``. Refused: a title of another level
    than the unit's, dates outside the unit's validity, a second open post for the same title."""
    with transaction.atomic():
        ensure_can_change(unit, acting_user)
        if title.level != unit.level:
            raise DomainError(
                f"Chức danh “{title}” thuộc {title.get_level_display().lower()}, "
                f"còn đơn vị “{unit}” thuộc {unit.get_level_display().lower()}; không thể tạo vị trí."
            )
        post = Post(unit=unit, title=title, seats=seats, **fields)
        if post.valid_from is None:
            post.valid_from = unit.valid_from
        vf, vt = post.valid_from, post.valid_to
        if unit.valid_from and vf is not None and vf < unit.valid_from:
            raise DomainError(
                f"Vị trí không thể có hiệu lực trước ngày đơn vị bắt đầu ({unit.valid_from:%d/%m/%Y})."
            )
        if unit.valid_to and (vt is None or vt > unit.valid_to):
            raise DomainError(
                f"Đơn vị đã kết thúc ngày {unit.valid_to:%d/%m/%Y}; vị trí không thể kéo dài hơn."
            )
        overlapping = Post.objects.filter(unit=unit, title=title)
        if vt is not None:
            overlapping = overlapping.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=vt))
        if vf is not None:
            overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=vf))
        if overlapping.exists():
            raise DomainError(
                f"Đơn vị đã có vị trí “{title}” trong thời gian này; hãy sửa số lượng của vị trí đó."
            )
        return audited_create(post, acting_user=acting_user, reason=reason)


def post_update(
    *,
    post: Post,
    acting_user: ActingUser,
    reason: str = "",
    expected_version: int | None = None,
    **changes: Any,
) -> Post:
    """Change a post's seats or end it (``valid_to``)."""
    bad = set(changes) - {"seats", "valid_to"}
    if bad:
        raise DomainError("Chỉ sửa được số lượng hoặc ngày kết thúc của vị trí.")
    unit = post.unit
    vt = changes.get("valid_to", post.valid_to)
    if unit.valid_to and (vt is None or vt > unit.valid_to):
        raise DomainError(f"Đơn vị đã kết thúc ngày {unit.valid_to:%d/%m/%Y}; vị trí không thể kéo dài hơn.")
    return audited_update(
        post, acting_user=acting_user, changes=changes, reason=reason, expected_version=expected_version
    )


def quota_set(
    *,
    acting_user: ActingUser,
    unit: Unit,
    year: int,
    civil_servants: int,
    public_employees: int,
    basis: str = "",
) -> StaffingQuota:
    """Record (or change) the staffing quota of ``unit`` for ``year``."""
    reason = basis or f"Giao biên chế năm {year}"
    with transaction.atomic():
        ensure_can_change(unit, acting_user)
        if civil_servants < 0 or public_employees < 0:
            raise DomainError("Số biên chế không được âm.")
        current = StaffingQuota.objects.filter(unit=unit, year=year).first()
        if current is None:
            return audited_create(
                StaffingQuota(
                    unit=unit,
                    year=year,
                    civil_servants=civil_servants,
                    public_employees=public_employees,
                    basis=basis,
                ),
                acting_user=acting_user,
                reason=reason,
            )
        return audited_update(
            current,
            acting_user=acting_user,
            changes={"civil_servants": civil_servants, "public_employees": public_employees, "basis": basis},
            reason=reason,
        )


JOB_POSITION_FIELDS = frozenset({"code", "name", "kind", "category", "level", "title", "source"})


def _job_position_code_free(code: str, exclude_pk: int | None = None) -> None:
    clash = JobPosition.objects.filter(code__iexact=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(f"Mã vị trí việc làm “{code}” đã có trong danh mục.")


def job_position_create(*, acting_user: ActingUser, reason: str = "", **fields: Any) -> JobPosition:
    ensure_catalogue_admin(acting_user)
    with transaction.atomic():
        _job_position_code_free(fields.get("code", ""))
        return audited_create(JobPosition(**_normalise(fields)), acting_user=acting_user, reason=reason)


def job_position_update(
    *, job_position: JobPosition, acting_user: ActingUser, reason: str = "", **changes: Any
) -> JobPosition:
    """Correct an entry of the job-position catalogue (catalogue administrators only)."""
    unknown = set(changes) - JOB_POSITION_FIELDS
    if unknown:
        raise TypeError(f"unknown job position fields: {sorted(unknown)}")
    ensure_catalogue_admin(acting_user)
    with transaction.atomic():
        if "code" in changes:
            _job_position_code_free(changes["code"], exclude_pk=job_position.pk)
        return audited_update(
            job_position, acting_user=acting_user, changes=_normalise(changes), reason=reason
        )


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@transaction.atomic
def areas_load(*, acting_user: ActingUser = None) -> dict[str, int]:
    """Load the administrative-area catalogue from ``org/data`` (idempotent).

    Loads the 34 provincial units and 3,321 communes in force from 1/7/2025, the 63 former
    provinces, and the former districts and communes of Lào Cai, with lineage links
    (docs: org/data/README.md). Reference data: written in bulk, then logged once per record.
    """
    counts: dict[str, int] = {}
    existing = {(a.dataset, a.level, a.code): a for a in AdminArea.objects.all()}
    created: list[AdminArea] = []
    # The new areas of a file are written together before the next file's parents are read:
    # one statement per file (several on SQLite: its limit on a statement's parameters) instead
    # of one insert per area, the rows and ids those inserts gave, in the same order.
    pending: list[AdminArea] = []

    def upsert(dataset: str, level: str, code: str, **values: Any) -> AdminArea:
        key = (dataset, level, code)
        area = existing.get(key)
        if area is None:
            area = AdminArea(dataset=dataset, level=level, code=code, **values)
            pending.append(area)
            existing[key] = area
            created.append(area)
        return area

    def write() -> None:
        AdminArea.objects.bulk_create(pending)
        pending.clear()

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
    write()
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
    write()
    district_old = {a.code: a for a in AdminArea.objects.filter(dataset=old, level=AreaLevel.DISTRICT)}
    commune_new = {a.code: a for a in AdminArea.objects.filter(dataset=cur, level=AreaLevel.COMMUNE)}
    links: list[tuple[AdminArea, AdminArea]] = []
    for row in _read_csv("laocai_communes_pre2025.csv"):
        area = upsert(
            old, AreaLevel.COMMUNE, row["code"], name=row["name"], kind=row["kind"],
            valid_to=_date(row["valid_to"]), parent=district_old[row["district_code"]],
        )  # fmt: skip
        links.extend((area, commune_new[code]) for code in filter(None, row["successor_codes"].split(";")))
    links.extend(
        (province_old[row["code"]], province_new[row["successor"]])
        for row in _read_csv("provinces_pre2025.csv")
    )
    write()
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


TITLE_SOURCE_368 = "Quy định 368-QĐ/TW ngày 8/9/2025 của Bộ Chính trị"


@transaction.atomic
def titles_load(*, acting_user: ActingUser = None) -> dict[str, int]:
    """Load ``org/data/titles_368.csv`` (idempotent: titles whose code exists are kept as the
    province edited them). Every title created is in the change log."""
    existing = {c.lower() for c in Title.objects.values_list("code", flat=True)}
    created = 0
    rows = _read_csv("titles_368.csv")
    for row in rows:
        if row["code"].lower() in existing:
            continue
        title = Title(
            code=row["code"],
            name=row["name"],
            catalogue_group=row["catalogue_group"],
            level=row["level"],
            group=row["group"],
            block=row["block"],
            is_key=row["is_key"] == "1",
            is_leader=True,
            head_kind=row["head_kind"],
            management_scope=row["management_scope"],
            rank=int(row["rank"]),
            source=TITLE_SOURCE_368,
        )
        audited_create(
            title, acting_user=acting_user, reason=f"Nạp danh mục chức danh theo {TITLE_SOURCE_368}"
        )
        created += 1
    return {"created": created, "existing": len(rows) - created}
