"""Columns a list can show and export ("danh sách trích ngang"), read as of the list's date.

Values for a page (or an export chunk) of persons are computed with a fixed number of queries,
whatever the number of persons: tenures, qualifications and Party memberships are fetched in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from canbo.careers.models import Tenure, on_date_q
from canbo.core.dates import format_date
from canbo.org.selectors import unit_labels
from canbo.people.choices import QualificationKind, level_label
from canbo.people.models import PartyMembership, Person, Qualification


@dataclass
class Context:
    """Bulk-fetched facts of a batch of persons on one day."""

    day: dt.date
    tenures: dict[int, list[Tenure]]
    best: dict[tuple[int, str], Qualification]  # (person, kind) → highest obtained by the day
    party: dict[int, PartyMembership]
    units: dict[int, str]  # unit id → label (org.selectors.unit_label), read once per batch


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[Person, Context], Any]
    width: int = 18  # Excel column width


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
    m = c.party.get(p.pk)
    return format_date(m.admission_date) if m else ""


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


COLUMNS: tuple[Column, ...] = (
    Column("ho_ten", "Họ và tên", lambda p, c: p.full_name, 26),
    Column("ngay_sinh", "Ngày sinh", lambda p, c: p.birth_display, 12),
    Column("tuoi", "Tuổi", lambda p, c: p.age_on(c.day), 6),
    Column("gioi_tinh", "Giới tính", lambda p, c: p.get_sex_display(), 9),
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
    Column("ngay_vao_dang", "Ngày vào Đảng", lambda p, c: _admission(p, c), 12),
    Column("doi_tuong", "Đối tượng", lambda p, c: p.get_category_display(), 12),
    Column("ngach", "Ngạch / chức danh nghề nghiệp", lambda p, c: p.grade_name, 22),
    Column("he_so_luong", "Hệ số lương", lambda p, c: p.salary_coefficient, 8),
    Column("so_dinh_danh", "Số định danh cá nhân", lambda p, c: p.personal_id, 16),
    Column("don_vi_ho_so", "Đơn vị quản lý hồ sơ", lambda p, c: c.units.get(p.managing_unit_id, ""), 28),
)  # fmt: skip

BY_KEY = {c.key: c for c in COLUMNS}
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


def build_context(persons: Sequence[Person], day: dt.date, keys: Sequence[str] | None = None) -> Context:
    """The facts the columns ``keys`` show (all columns' without ``keys``) for ``persons``: only
    those are read (a page of the default columns read every qualification of its persons
    before, four instances in five for nothing)."""
    ids = [p.pk for p in persons]
    shown = set(BY_KEY if keys is None else keys)
    tenures: dict[int, list[Tenure]] = defaultdict(list)
    if shown & {"chuc_vu", "don_vi"}:
        for t in (
            Tenure.objects.filter(on_date_q(day), person_id__in=ids)
            .select_related("title", "unit")
            .order_by("person_id", "-is_primary", "-title__rank")
        ):
            tenures[t.person_id].append(t)
    best: dict[tuple[int, str], Qualification] = {}
    kinds = [kind for key, kind in QUALIFICATION_COLUMNS.items() if key in shown]
    if kinds:
        for q in Qualification.objects.filter(
            person_id__in=ids, kind__in=kinds, obtained_date__lte=day
        ).order_by("level_rank", "obtained_date"):
            best[(q.person_id, q.kind)] = q  # ascending rank: the last one kept is the highest
    party: dict[int, PartyMembership] = {}
    if "ngay_vao_dang" in shown:
        party = {
            m.person_id: m
            for m in PartyMembership.objects.filter(person_id__in=ids, admission_date__lte=day).order_by(
                "admission_date"
            )
        }
    unit_ids: set[int] = set()
    if "don_vi" in shown:
        unit_ids |= {t.unit_id for ts in tenures.values() for t in ts}
    if "don_vi_ho_so" in shown:
        unit_ids |= {p.managing_unit_id for p in persons}
    units = unit_labels(unit_ids) if unit_ids else {}
    return Context(day=day, tenures=tenures, best=best, party=party, units=units)


def rows(
    persons: Sequence[Person], columns: Sequence[Column], day: dt.date
) -> list[tuple[Person, list[Any]]]:
    ctx = build_context(persons, day, [col.key for col in columns])
    return [(p, [col.value(p, ctx) for col in columns]) for p in persons]
