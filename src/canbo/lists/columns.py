"""Columns a list can show and export ("danh sách trích ngang"), read as of the list's date.

Values for a page (or an export chunk) of persons are computed with a fixed number of queries,
whatever the number of persons: tenures, qualifications and Party memberships are fetched in bulk.
Posts and qualifications are read as values into small records (``Post``, ``Degree``): building
a Tenure with its Title and Unit, or a Qualification, for every row was most of the time of a
150,000-row export (docs/performance.md, "List export").
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models.expressions import RawSQL

from canbo.careers.models import Tenure, on_date_q
from canbo.core.dates import format_date
from canbo.org.selectors import unit_labels
from canbo.people.choices import Category, QualificationKind, Sex, level_label
from canbo.people.models import PartyMembership, Person, Qualification


@dataclass(frozen=True, slots=True)
class Named:
    """A title or a unit as the columns read it."""

    name: str


@dataclass(frozen=True, slots=True)
class Post:
    """A post held on the day (a ``Tenure``), as the columns read it."""

    person_id: int
    unit_id: int
    title: Named
    unit: Named


@dataclass(frozen=True, slots=True)
class Degree:
    """A qualification, as the columns read it."""

    kind: str
    level: str
    field_of_study: str
    language: str


@dataclass
class Context:
    """Bulk-fetched facts of a batch of persons on one day."""

    day: dt.date
    tenures: dict[int, list[Post]]  # primary post first, then by the title's rank
    best: dict[tuple[int, str], Degree]  # (person, kind) → highest obtained by the day
    party: dict[int, dt.date]  # person → admission date into the Party (on or before the day)
    units: dict[int, str]  # unit id → label (org.selectors.unit_label), read once per batch


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[Person, Context], Any]
    width: int = 18  # Excel column width
    # The value of the column's workbook cell where it is not the page's text: a date, written
    # as a date shown dd/mm/yyyy (core.xlsx.SafeSheet), so that a spreadsheet sorts it.
    cell: Callable[[Person, Context], Any] | None = None


def _posts(p: Person, c: Context) -> str:
    return "; ".join(f"{t.title.name}" for t in c.tenures.get(p.pk, []))


def _units(p: Person, c: Context) -> str:
    seen: list[str] = []
    for t in c.tenures.get(p.pk, []):
        name = c.units.get(t.unit_id) or t.unit.name
        if name not in seen:
            seen.append(name)
    return "; ".join(seen)


def _home_town(p: Person) -> str:
    return p.home_town_text or (p.home_town.name if p.home_town else "")


def _admission(p: Person, c: Context) -> str:
    admitted = c.party.get(p.pk)
    return format_date(admitted) if admitted else ""


def _qual(kind: str) -> Callable[[Person, Context], str]:
    def get(p: Person, c: Context) -> str:
        q = c.best.get((p.pk, kind))
        if q is None:
            return ""
        extra = q.field_of_study or q.language
        return f"{level_label(q.kind, q.level)}{f' ({extra})' if extra else ''}"

    return get


# The qualification columns and the kind each shows (the highest obtained by the list's date).
QUALIFICATION_COLUMNS = {
    "chuyen_mon": QualificationKind.PROFESSIONAL,
    "ly_luan_chinh_tri": QualificationKind.POLITICAL_THEORY,
    "quan_ly_nha_nuoc": QualificationKind.STATE_MANAGEMENT,
    "ngoai_ngu": QualificationKind.FOREIGN_LANGUAGE,
    "tin_hoc": QualificationKind.IT,
}


# Read per row: get_sex_display() was a tenth of an export's reading, get_category_display() a
# seventh of an all-columns one (Django makes the choices hashable on every call).
SEX_LABELS = dict(Sex.choices)
CATEGORY_LABELS = dict(Category.choices)

COLUMNS: tuple[Column, ...] = (
    Column("ho_ten", "Họ và tên", lambda p, c: p.full_name, 26),
    Column("ngay_sinh", "Ngày sinh", lambda p, c: p.birth_display, 12),
    Column("tuoi", "Tuổi", lambda p, c: p.age_on(c.day), 6),
    Column("gioi_tinh", "Giới tính", lambda p, c: SEX_LABELS.get(p.sex, p.sex), 9),
    Column("dan_toc", "Dân tộc", lambda p, c: p.ethnicity.name, 10),
    Column("ton_giao", "Tôn giáo", lambda p, c: p.religion.name, 10),
    Column("que_quan", "Quê quán", lambda p, c: _home_town(p), 28),
    Column("chuc_vu", "Chức vụ", _posts, 30),
    Column("don_vi", "Đơn vị công tác", _units, 30),
    Column("chuyen_mon", "Trình độ chuyên môn", _qual(QUALIFICATION_COLUMNS["chuyen_mon"]), 22),
    Column("ly_luan_chinh_tri", "Lý luận chính trị", _qual(QUALIFICATION_COLUMNS["ly_luan_chinh_tri"]), 14),
    Column("quan_ly_nha_nuoc", "Quản lý nhà nước", _qual(QUALIFICATION_COLUMNS["quan_ly_nha_nuoc"]), 16),
    Column("ngoai_ngu", "Ngoại ngữ", _qual(QUALIFICATION_COLUMNS["ngoai_ngu"]), 18),
    Column("tin_hoc", "Tin học", _qual(QUALIFICATION_COLUMNS["tin_hoc"]), 14),
    Column("ngay_vao_dang", "Ngày vào Đảng", _admission, 12, lambda p, c: c.party.get(p.pk)),
    Column("doi_tuong", "Đối tượng", lambda p, c: CATEGORY_LABELS.get(p.category, p.category), 12),
    Column("ngach", "Ngạch / chức danh nghề nghiệp", lambda p, c: p.grade_name, 22),
    Column("he_so_luong", "Hệ số lương", lambda p, c: p.salary_coefficient, 8),
    Column("so_dinh_danh", "Số định danh cá nhân", lambda p, c: p.personal_id, 16),
    Column("don_vi_ho_so", "Đơn vị quản lý hồ sơ", lambda p, c: c.units.get(p.managing_unit_id, ""), 28),
)  # fmt: skip

BY_KEY = {c.key: c for c in COLUMNS}

# The person's relations a column reads, for their name only. A page joins them
# (select_related); an export of many rows prefetches the names of its columns' relations per
# chunk instead: a few hundred distinct rows rather than four model instances for every person
# (lists/exports.py).
PERSON_RELATIONS = {
    "dan_toc": "ethnicity",
    "ton_giao": "religion",
    "que_quan": "home_town",
    "don_vi_ho_so": "managing_unit",
}

# The person's own fields a column reads (a person has nearly a hundred): an export loads only
# those of its columns. A column missing here makes the export load every field.
PERSON_FIELDS: dict[str, tuple[str, ...]] = {
    "ho_ten": ("full_name",),
    "ngay_sinh": ("birth_date", "birth_precision"),
    "tuoi": ("birth_date",),
    "gioi_tinh": ("sex",),
    "dan_toc": ("ethnicity",),
    "ton_giao": ("religion",),
    "que_quan": ("home_town_text", "home_town"),
    "chuc_vu": (),
    "don_vi": (),
    **{key: () for key in QUALIFICATION_COLUMNS},
    "ngay_vao_dang": (),
    "doi_tuong": ("category",),
    "ngach": ("grade_name",),
    "he_so_luong": ("salary_coefficient",),
    "so_dinh_danh": ("personal_id",),
    "don_vi_ho_so": ("managing_unit",),
}


def person_fields(keys: Sequence[str]) -> list[str] | None:
    """The person fields the columns ``keys`` read (with the name order's), None if unknown."""
    if any(k not in PERSON_FIELDS for k in keys):
        return None
    return sorted({"sort_key", *(f for k in keys for f in PERSON_FIELDS[k])})


DEFAULT_COLUMNS = (
    "ho_ten",
    "ngay_sinh",
    "gioi_tinh",
    "dan_toc",
    "chuc_vu",
    "don_vi",
    "chuyen_mon",
    "ly_luan_chinh_tri",
)


def parse_columns(keys: Sequence[str]) -> list[Column]:
    """The chosen columns in the order given; unknown keys are ignored; default when none."""
    chosen = [BY_KEY[k] for k in dict.fromkeys(keys) if k in BY_KEY]
    return chosen or [BY_KEY[k] for k in DEFAULT_COLUMNS]


def _among(ids: list[int]) -> Any:
    """``ids`` for ``__in`` as one parameter (a JSON array on SQLite, an array on PostgreSQL):
    Django prepares a list value by value, a third of the time of an export chunk's queries."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])
    return ids


def build_context(persons: Sequence[Person], day: dt.date, keys: Sequence[str] | None = None) -> Context:
    """The facts the columns ``keys`` show (all columns' without ``keys``) for ``persons``: only
    those are read (a page of the default columns read every qualification of its persons
    before, four instances in five for nothing)."""
    ids = [p.pk for p in persons]
    shown = set(BY_KEY if keys is None else keys)
    tenures: dict[int, list[Post]] = defaultdict(list)
    if shown & {"chuc_vu", "don_vi"}:
        names: dict[str, Named] = {}
        for person_id, unit_id, title_name, unit_name in (
            Tenure.objects.filter(on_date_q(day), person_id__in=_among(ids))
            .order_by("person_id", "-is_primary", "-title__rank")
            .values_list("person_id", "unit_id", "title__name", "unit__name")
        ):
            title = names.setdefault(title_name, Named(title_name))
            unit = names.setdefault(unit_name, Named(unit_name))
            tenures[person_id].append(Post(person_id, unit_id, title, unit))
    best: dict[tuple[int, str], Degree] = {}
    kinds = [kind for key, kind in QUALIFICATION_COLUMNS.items() if key in shown]
    if kinds:
        for person_id, kind, level, field_of_study, language in (
            Qualification.objects.filter(person_id__in=_among(ids), kind__in=kinds, obtained_date__lte=day)
            .order_by("level_rank", "obtained_date")
            .values_list("person_id", "kind", "level", "field_of_study", "language")
        ):
            # Ascending rank: the last one kept is the highest.
            best[(person_id, kind)] = Degree(kind, level, field_of_study, language)
    party: dict[int, dt.date] = {}
    if "ngay_vao_dang" in shown:
        # Values, not instances: a model instance per member was a tenth of the reading.
        party = dict(
            PartyMembership.objects.filter(person_id__in=_among(ids), admission_date__lte=day)
            .order_by("admission_date")
            .values_list("person_id", "admission_date")
        )
    unit_ids: set[int] = set()
    if "don_vi" in shown:
        unit_ids |= {t.unit_id for ts in tenures.values() for t in ts}
    if "don_vi_ho_so" in shown:
        unit_ids |= {p.managing_unit_id for p in persons}
    units = unit_labels(unit_ids) if unit_ids else {}
    return Context(day=day, tenures=tenures, best=best, party=party, units=units)


def rows(
    persons: Sequence[Person], columns: Sequence[Column], day: dt.date, *, cells: bool = False
) -> list[tuple[Person, list[Any]]]:
    """The values of ``columns`` for each of ``persons``: as the page shows them, or with
    ``cells`` as a workbook's cells hold them (``Column.cell``)."""
    ctx = build_context(persons, day, [col.key for col in columns])
    getters = [(col.cell or col.value) if cells else col.value for col in columns]
    return [(p, [get(p, ctx) for get in getters]) for p in persons]
