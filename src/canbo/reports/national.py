"""The national-database document of a person (RULES.md N-3, N-4; DOCUMENTS.md §7), its JSON
Schema, the change-feed export and the 3-working-day deadline of business events (validator 13).

A document is the person's dossier today in the 10 groups of NĐ 27/2026 Art. 5, keyed by the
personal identification number. Each section record is its model's fields (foreign keys by their
name); the schema is derived from the same models (``build_schema``) and shipped as
``data/national-person.schema.json`` (a test checks the file is up to date and that documents
validate against it). Sensitive groups (family, personal history, assets) are given only to grants
that include them; the document lists the groups withheld.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from canbo.accounts.selectors import sees_sensitive_of
from canbo.core.models import ObjectChange
from canbo.core.services import audited_create
from canbo.documents.models import DocumentKind
from canbo.documents.services import record_read as record_read_document
from canbo.people.models import Person, PersonSection
from canbo.people.sections import BY_SLUG
from canbo.planning.models import PlanningEntry
from canbo.reports.models import ExportedEvent, NationalExport

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "national-person.schema.json"
SCHEMA_ID = "https://canbo.local/schemas/national-person.schema.json"
FORMAT_VERSION = "1"
PERSONAL_ID = re.compile(r"^\d{12}$")
EXPORT_CHUNK = 500

# The 10 groups of N-4: key, Vietnamese title, the person's own fields, the dossier sections.
GROUPS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "thong_tin_co_ban",
        "Thông tin cơ bản",
        (
            "personal_id",
            "identity_issue_date",
            "dossier_number",
            "national_db_id",
            "full_name",
            "other_names",
            "sex",
            "birth_date",
            "birth_precision",
            "birth_place_text",
            "home_town_text",
            "ethnicity",
            "religion",
            "residence_text",
            "current_address",
            "social_origin",
        ),
        (),
    ),
    ("quan_he_gia_dinh", "Quan hệ gia đình", (), ("gia-dinh",)),
    ("lich_su_ban_than", "Lịch sử bản thân", (), ("lich-su-ban-than", "tieu-chuan-chinh-tri")),
    (
        "tuyen_dung_su_dung",
        "Tuyển dụng, bầu cử, bổ nhiệm, quy hoạch, điều động, luân chuyển, thôi việc, nghỉ hưu",
        (
            "occupation_before",
            "recruitment_date",
            "recruiting_agency",
            "revolution_date",
            "left_service_date",
        ),
        ("tuyen-dung-nghi-huu",),
    ),
    ("dao_tao_boi_duong", "Trình độ, đào tạo, bồi dưỡng", ("general_education",), ("trinh-do",)),
    (
        "cong_tac",
        "Cơ quan, đơn vị, vị trí việc làm, chức vụ, lương, đánh giá, khen thưởng, kỷ luật",
        (
            "category",
            "managing_unit",
            "job_position",
            "grade_code",
            "grade_name",
            "salary_step",
            "salary_coefficient",
            "position_allowance",
            "social_insurance_number",
            "strengths",
            "honorary_title",
            "policy_status",
        ),
        (
            "chuc-vu",
            "qua-trinh-cong-tac",
            "dien-bien-luong",
            "danh-gia",
            "tin-nhiem",
            "khen-thuong",
            "ky-luat",
        ),
    ),
    (
        "to_chuc_chinh_tri_xa_hoi",
        "Tham gia tổ chức chính trị, chính trị – xã hội",
        (),
        ("dang-tich", "cap-uy-hdnd"),
    ),
    (
        "luc_luong_vu_trang",
        "Tham gia lực lượng vũ trang",
        ("enlistment_date", "discharge_date", "military_rank"),
        (),
    ),
    ("tai_san_thu_nhap", "Tài sản, thu nhập", (), ("tai-san",)),
    ("suc_khoe", "Sức khỏe", (), ("suc-khoe",)),
)
SKIP_FIELDS = {
    "id",
    "person",
    "created",
    "last_updated",
    "row_version",
    "level_rank",
    "search_name",
    "sort_key",
}
SENSITIVE_GROUPS = {key for key, _t, _f, slugs in GROUPS if any(BY_SLUG[s].model.sensitive for s in slugs)}

# Business events of N-3 (DOCUMENTS.md §7: salary, award, discipline, post, rating).
EVENT_SLUGS = ("dien-bien-luong", "khen-thuong", "ky-luat", "chuc-vu", "danh-gia")


def _value(obj: Any, f: models.Field) -> Any:
    if isinstance(f, models.ForeignKey):
        related = getattr(obj, f.name)
        if related is None:
            return None
        return getattr(related, "name", None) or str(related)
    value = f.value_from_object(obj)
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return str(value)
    if f.choices and value:
        return str(getattr(obj, f"get_{f.name}_display")())
    return value


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in SKIP_FIELDS
        and not f.name.startswith(("storage", "sha256"))
        and f.name != "is_synthetic"
    ]


def _section_fields(slug: str) -> list[models.Field]:
    return _fields(BY_SLUG[slug].model)


def document(user: Any, person: Person) -> dict[str, Any]:
    """The person's document (``person`` already read through ``restrict(user)``)."""
    return documents(user, [person])[0]


def documents(user: Any, persons: list[Person]) -> list[dict[str, Any]]:
    """The documents of ``persons`` (read through ``restrict(user)``, with ethnicity, religion and
    managing unit): one query per section for the whole batch, whatever its size."""
    ids = [p.pk for p in persons]
    person_fields = {f.name: f for f in _fields(Person)}
    rows: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for _key, _title, _own, slugs in GROUPS:
        for slug in slugs:
            model: type[PersonSection] = BY_SLUG[slug].model
            fields = _section_fields(slug)
            qs = model.objects.restrict(user).filter(person_id__in=ids).order_by("person_id", "pk")
            fks = [f.name for f in fields if isinstance(f, models.ForeignKey)]
            if fks:
                qs = qs.select_related(*fks)
            by_person: dict[int, list[dict[str, Any]]] = {}
            for r in qs:
                by_person.setdefault(r.person_id, []).append({f.name: _value(r, f) for f in fields})
            rows[slug] = by_person
    planned: dict[int, list[dict[str, Any]]] = {}
    for e in (
        PlanningEntry.objects.filter(person_id__in=ids)
        .select_related("planning_list", "title")
        .order_by("person_id", "added_on", "pk")
    ):
        planned.setdefault(e.person_id, []).append(
            {
                "planning_list": e.planning_list.name,
                "title": e.title.name,
                "added_on": e.added_on.isoformat(),
                "removed_on": e.removed_on.isoformat() if e.removed_on else None,
            }
        )
    now = timezone.now().isoformat(timespec="seconds")
    out = []
    for person in persons:
        sensitive = sees_sensitive_of(user, person)
        groups: dict[str, Any] = {}
        withheld = []
        for key, title, own, slugs in GROUPS:
            if key in SENSITIVE_GROUPS and not sensitive:
                groups[key] = None
                withheld.append(title)
                continue
            group: dict[str, Any] = {f: _value(person, person_fields[f]) for f in own}
            for slug in slugs:
                group[slug.replace("-", "_")] = rows[slug].get(person.pk, [])
            if key == "tuyen_dung_su_dung":
                group["quy_hoach"] = planned.get(person.pk, [])
            groups[key] = group
        out.append(
            {
                "format_version": FORMAT_VERSION,
                "personal_id": person.personal_id or None,
                "generated_at": now,
                "withheld": withheld,
                "groups": groups,
            }
        )
    return out


# --- schema -----------------------------------------------------------------------------------


def _type(f: models.Field) -> dict[str, Any]:
    nullable = f.null or isinstance(f, models.ForeignKey) or bool(f.choices)
    if isinstance(f, models.BooleanField):
        out: dict[str, Any] = {"type": "boolean"}
    elif isinstance(f, models.DateField):
        out = {"type": "string", "format": "date"}
    elif isinstance(f, models.IntegerField) and not f.choices:
        out = {"type": "integer"}
    else:
        out = {"type": "string"}
    if nullable or f.blank:
        out["type"] = [out["type"], "null"]
    out["description"] = str(f.verbose_name)
    return out


def _object(fields: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"type": "object", "properties": fields, "required": sorted(fields), "additionalProperties": False}


def build_schema() -> dict[str, Any]:
    person_fields = {f.name: f for f in _fields(Person)}
    groups: dict[str, Any] = {}
    for key, title, own, slugs in GROUPS:
        props = {f: _type(person_fields[f]) for f in own}
        for slug in slugs:
            props[slug.replace("-", "_")] = {
                "type": "array",
                "description": BY_SLUG[slug].title,
                "items": _object({f.name: _type(f) for f in _section_fields(slug)}),
            }
        if key == "tuyen_dung_su_dung":
            props["quy_hoach"] = {
                "type": "array",
                "description": "Quy hoạch",
                "items": _object(
                    {
                        "planning_list": {"type": "string"},
                        "title": {"type": "string"},
                        "added_on": {"type": "string", "format": "date"},
                        "removed_on": {"type": ["string", "null"], "format": "date"},
                    }
                ),
            }
        schema = _object(props)
        schema["description"] = title
        groups[key] = {"oneOf": [schema, {"type": "null"}]} if key in SENSITIVE_GROUPS else schema
    doc = _object(
        {
            "format_version": {"const": FORMAT_VERSION},
            "personal_id": {"type": ["string", "null"], "pattern": r"^\d{12}$"},
            "generated_at": {"type": "string", "format": "date-time"},
            "withheld": {"type": "array", "items": {"type": "string"}},
            "groups": _object(groups),
        }
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Hồ sơ cán bộ, công chức, viên chức gửi Cơ sở dữ liệu quốc gia (10 nhóm, NĐ 27/2026/NĐ-CP)",
        **doc,
    }


def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def write_schema() -> None:
    SCHEMA_PATH.write_text(json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# --- reads ------------------------------------------------------------------------------------


def record_read(
    user: Any, *, person: Person | None, file_format: str, subject: str = "", count: int = 1
) -> None:
    record_read_document(
        user if getattr(user, "pk", None) else None,
        kind=DocumentKind.NATIONAL,
        form="csdl-quoc-gia",
        file_format=file_format,
        person=person,
        subject=subject,
        count=count,
        sensitive=person is not None,
    )


# --- export -----------------------------------------------------------------------------------


def event_types() -> list[int]:
    from django.contrib.contenttypes.models import ContentType

    return [ContentType.objects.get_for_model(BY_SLUG[s].model).pk for s in EVENT_SLUGS]


@dataclass
class ExportResult:
    export: NationalExport
    written: list[str]
    skipped: list[int]


def _late_judge(exported_at: dt.datetime) -> Callable[[dt.datetime], bool]:
    """A function telling whether an event of a given time, exported at ``exported_at``, was past
    its N-3 deadline (working days after the event's day, by the rulebook's calendar)."""
    from canbo.rules.engine.dates import working_days_after
    from canbo.rules.selectors import work_calendar

    days, _start = sync_rule()
    calendar = work_calendar()
    tz = timezone.get_current_timezone()
    exported_day = timezone.localtime(exported_at, tz).date()
    deadlines: dict[dt.date, dt.date] = {}

    def is_late(event_time: dt.datetime) -> bool:
        day = timezone.localtime(event_time, tz).date()
        if day not in deadlines:
            deadlines[day] = working_days_after(day, days, calendar)
        return exported_day > deadlines[day]

    return is_late


def export(user: Any, since: dt.datetime, output: Path) -> ExportResult:
    """Write the document of every person in the user's grants changed since ``since`` (a change-log
    entry filed under him) to ``output/<personal_id>.json``, plus ``manifest.json``; keep the export
    time of each business event carried. Persons without a valid personal identification number
    cannot be keyed: they are listed in the manifest, not written."""
    now = timezone.now()
    visible = Person.objects.restrict(user)
    changed_ids = (
        ObjectChange.objects.filter(time__gte=since, time__lte=now, related_person_id__isnull=False)
        .filter(related_person_id__in=visible.values("pk"))
        .values_list("related_person_id", flat=True)
        .distinct()
    )
    persons = list(
        visible.filter(pk__in=changed_ids).select_related("ethnicity", "religion", "managing_unit")
    )
    output.mkdir(parents=True, exist_ok=True)
    written, skipped, exported_ids = [], [], []
    keyed = []
    for person in persons:
        if PERSONAL_ID.match(person.personal_id or ""):
            keyed.append(person)
        else:
            skipped.append(person.pk)
    for start in range(0, len(keyed), EXPORT_CHUNK):
        chunk = keyed[start : start + EXPORT_CHUNK]
        for person, doc in zip(chunk, documents(user, chunk), strict=True):
            name = f"{person.personal_id}.json"
            (output / name).write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
            written.append(name)
            exported_ids.append(person.pk)
    types = event_types()
    with transaction.atomic():
        events: list[tuple[int, dt.datetime]] = []
        for start in range(0, len(exported_ids), EXPORT_CHUNK):
            events.extend(
                ObjectChange.objects.filter(
                    content_type_id__in=types,
                    related_person_id__in=exported_ids[start : start + EXPORT_CHUNK],
                    time__lte=now,
                    national_export__isnull=True,
                ).values_list("pk", "time")
            )
        is_late = _late_judge(now)
        run = audited_create(
            NationalExport(
                user=user if getattr(user, "pk", None) else None,
                since=since,
                exported_at=now,
                document_count=len(written),
                skipped_count=len(skipped),
                event_count=len(events),
            ),
            acting_user=user if getattr(user, "pk", None) else None,
            reason="Xuất hồ sơ thay đổi sang CSDL quốc gia",
            check_scope=False,
        )
        ExportedEvent.objects.bulk_create(
            [
                ExportedEvent(change_id=pk, export=run, exported_at=now, late=is_late(time))
                for pk, time in events
            ],
            batch_size=2000,
        )
    manifest = {
        "format_version": FORMAT_VERSION,
        "schema": SCHEMA_ID,
        "since": since.isoformat(),
        "exported_at": now.isoformat(timespec="seconds"),
        "documents": written,
        "skipped_without_personal_id": skipped,
        "business_events": len(events),
    }
    (output / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return ExportResult(run, written, skipped)


# --- deadline (validator 13) -----------------------------------------------------------------


@dataclass
class Overdue:
    change: ObjectChange
    day: dt.date
    deadline: dt.date
    exported_at: dt.datetime | None
    name: str = ""

    @property
    def person_id(self) -> int | None:
        return self.change.related_person_id


def sync_rule() -> tuple[int, dt.date]:
    """N-3's working days and the day it came into force, from the rulebook."""
    from canbo.rules.selectors import rulebook

    versions = rulebook().versions("N-3")
    if versions:
        v = max(versions, key=lambda x: x.valid_from or dt.date.min)
        return int(v.params.get("sync_working_days", 3)), v.valid_from or dt.date(2026, 7, 1)
    return 3, dt.date(2026, 7, 1)


def overdue(user: Any, today: dt.date, *, limit: int = 500) -> tuple[list[Overdue], int, int]:
    """Business events of persons in the user's grants, from N-3's entry into force, not exported
    within the working days of N-3: still not exported after the deadline, or exported late.
    Returns (the first ``limit`` events, newest first; how many in all; working days)."""
    from canbo.rules.engine.dates import working_days_after
    from canbo.rules.selectors import work_calendar

    days, start = sync_rule()
    calendar = work_calendar()
    # The latest event day whose deadline has passed: deadlines grow with the day, so events up to
    # it and never exported are overdue (a SQL condition), the others only if exported late.
    cutoff = today - dt.timedelta(days=1)
    while cutoff >= start and working_days_after(cutoff, days, calendar) >= today:
        cutoff -= dt.timedelta(days=1)
    tz = timezone.get_current_timezone()
    base = ObjectChange.objects.filter(
        content_type_id__in=event_types(),
        time__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
    ).filter(
        # A correlated EXISTS, not IN (subquery): with IN, SQLite drove the query from the scope's
        # people (all of a province) and their every change; EXISTS leaves it the time range.
        Exists(Person.objects.restrict(user).filter(pk=OuterRef("related_person_id")))
    )
    end_of_cutoff = dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    # Two queries, each on an index, instead of one OR across a join: a busy province logs
    # hundreds of thousands of events a half-year, and the OR made SQLite read every one of them
    # with its before/after data (2 s of CPU at 40,000 people for an empty answer).
    # (a) Never exported and past the deadline: overdue by construction; counted in SQL and only
    # the first page read.
    never = base.filter(national_export__isnull=True, time__lt=end_of_cutoff)
    newest_first = ("-time", "-pk")
    light = ("prechange_data", "postchange_data")
    total = never.count()
    never_rows: list[tuple[ObjectChange, dt.datetime | None]] = [
        (c, None) for c in never.select_related("content_type").defer(*light).order_by(*newest_first)[:limit]
    ]
    # (b) Exported late: flagged when the export was written (or not yet flagged: rows written
    # before the flag existed), checked against the working-day deadline here. Read from the
    # exported events' own index first (few are late), then their changes by key: joined in one
    # statement, SQLite drove it from the change log's time range instead.
    late_rows: list[tuple[ObjectChange, dt.datetime | None]] = []
    deadlines: dict[dt.date, dt.date] = {}
    exported_at_of = dict(
        ExportedEvent.objects.filter(Q(late=True) | Q(late__isnull=True)).values_list(
            "change_id", "exported_at"
        )
    )
    keys = list(exported_at_of)
    for first in range(0, len(keys), EXPORT_CHUNK):
        chunk = (
            base.filter(pk__in=keys[first : first + EXPORT_CHUNK])
            .select_related("content_type")
            .defer(*light)
        )
        for change in chunk:
            day = timezone.localtime(change.time, tz).date()
            if day not in deadlines:
                deadlines[day] = working_days_after(day, days, calendar)
            if timezone.localtime(exported_at_of[change.pk], tz).date() > deadlines[day]:
                late_rows.append((change, exported_at_of[change.pk]))
    late_rows.sort(key=lambda row: (row[0].time, row[0].pk), reverse=True)
    total += len(late_rows)
    merged = sorted(never_rows + late_rows[:limit], key=lambda row: (row[0].time, row[0].pk), reverse=True)
    found: list[Overdue] = []
    for change, exported in merged[:limit]:
        day = timezone.localtime(change.time, tz).date()
        if day not in deadlines:
            deadlines[day] = working_days_after(day, days, calendar)
        found.append(Overdue(change, day, deadlines[day], exported))
    return found, total, days
