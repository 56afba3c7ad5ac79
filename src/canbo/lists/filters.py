"""Filters of the person list (C4), as one validated form whose cleaned data becomes a queryset.

Every condition is read "as of" the list's date: posts held, age, qualifications obtained by
then, Party membership running then. Conditions combine with AND; a multiple choice within one
filter combines with OR.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django import forms
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from canbo.careers.models import Tenure, on_date_q
from canbo.core.forms import fast_selects
from canbo.core.querysets import is_broad_subtree
from canbo.core.querysets import subtree_ids as core_subtree_ids
from canbo.lists.kept import kept_value
from canbo.org.choices import Level, ManagementScope, TitleGroup
from canbo.org.forms import UnitPicker
from canbo.org.models import Unit
from canbo.org.selectors import unit_label_on
from canbo.people.choices import QUALIFICATION_LEVELS, Category, QualificationKind, ServiceStatus, Sex
from canbo.people.models import Ethnicity, PartyMembership, Person, Qualification, Religion
from canbo.people.search import name_search
from canbo.people.service_history import status_q
from canbo.planning.selectors import filter_planned
from canbo.planning.selectors import terms as planning_terms

YES_NO = [("", "—"), ("co", "Có"), ("khong", "Không")]

# Qualification filters: form field → kind (levels "at or above", by rank).
QUALIFICATION_FILTERS = {
    "chuyen_mon": QualificationKind.PROFESSIONAL,
    "ly_luan_chinh_tri": QualificationKind.POLITICAL_THEORY,
    "quan_ly_nha_nuoc": QualificationKind.STATE_MANAGEMENT,
    "ngoai_ngu": QualificationKind.FOREIGN_LANGUAGE,
}


def _level_choices(kind: str) -> list[tuple[str, str]]:
    seen: dict[int, str] = {}
    for _code, label, rank in QUALIFICATION_LEVELS[kind]:
        seen.setdefault(rank, label)
    return [("", "—")] + [(str(rank), f"từ {label} trở lên") for rank, label in sorted(seen.items())]


# The GSO code lists of ethnic groups and religions are reference data written by migrations and
# `./canbo setup` only (no service, form or admin page changes them): kept once read (issue 22),
# unless still empty (a flushed database is filled again by `reference.ensure_loaded`).
_catalogues: dict[str, list[tuple[str, str]]] = {}


def _ethnicity_choices() -> list[tuple[str, str]]:
    rows = _catalogues.get("dan_toc")
    if rows is None:
        rows = [(e.code, e.name) for e in Ethnicity.objects.exclude(code="01").order_by("name")]
        if rows:
            _catalogues["dan_toc"] = rows
    return [("", "—"), ("kinh", "Kinh"), ("thieu_so", "Dân tộc thiểu số (mọi dân tộc)"), *rows]


def _religion_choices() -> list[tuple[str, str]]:
    rows = _catalogues.get("ton_giao")
    if rows is None:
        rows = [(r.code, r.name) for r in Religion.objects.order_by("code")]
        if rows:
            _catalogues["ton_giao"] = rows
    return [("", "—"), ("co", "Có tôn giáo"), *rows]


def _term_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(f"{a}-{b}", f"{a}–{b}") for a, b in planning_terms()]


class PersonFilterForm(forms.Form):
    """The list's filters. Field names are the query-string keys (saved lists store them)."""

    q = forms.CharField(
        label="Họ tên hoặc số định danh",
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Họ tên (không cần dấu) hoặc số định danh cá nhân"}
        ),
    )
    # The unit picker (searchable, scoped; picking submits the filter): not a select of units.
    don_vi = forms.IntegerField(
        label="Đơn vị (gồm các đơn vị trực thuộc)",
        required=False,
        widget=UnitPicker(submit_on_pick=True),
    )
    # Empty: the people in service on the list's date (every list, count and export by default).
    tinh_trang = forms.ChoiceField(
        label="Tình trạng công tác",
        choices=ServiceStatus.choices,
        required=False,
        initial=ServiceStatus.IN_SERVICE,
    )
    nhom_chuc_danh = forms.MultipleChoiceField(
        label="Nhóm chức danh",
        choices=TitleGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cap = forms.ChoiceField(label="Cấp của chức danh", choices=[("", "—"), *Level.choices], required=False)
    chu_chot = forms.ChoiceField(label="Chức danh chủ chốt", choices=YES_NO, required=False)
    dien_quan_ly = forms.ChoiceField(
        label="Diện quản lý", choices=[("", "—"), *ManagementScope.choices], required=False
    )
    tuoi_tu = forms.IntegerField(label="Tuổi từ", min_value=15, max_value=100, required=False)
    tuoi_den = forms.IntegerField(label="Tuổi đến", min_value=15, max_value=100, required=False)
    gioi_tinh = forms.ChoiceField(label="Giới tính", choices=[("", "—"), *Sex.choices], required=False)
    dan_toc = forms.ChoiceField(label="Dân tộc", choices=[], required=False)
    ton_giao = forms.ChoiceField(label="Tôn giáo", choices=[], required=False)
    chuyen_mon = forms.ChoiceField(label="Trình độ chuyên môn", choices=[], required=False)
    ly_luan_chinh_tri = forms.ChoiceField(label="Lý luận chính trị", choices=[], required=False)
    quan_ly_nha_nuoc = forms.ChoiceField(label="Quản lý nhà nước", choices=[], required=False)
    ngoai_ngu = forms.ChoiceField(label="Ngoại ngữ", choices=[], required=False)
    dang_vien = forms.ChoiceField(label="Đảng viên", choices=YES_NO, required=False)
    quy_hoach = forms.ChoiceField(
        label="Quy hoạch",
        choices=[("", "—"), ("co", "Đang trong quy hoạch"), ("khong", "Không trong quy hoạch")],
        required=False,
    )
    nhiem_ky_quy_hoach = forms.ChoiceField(label="Nhiệm kỳ quy hoạch", choices=[], required=False)
    doi_tuong = forms.MultipleChoiceField(
        label="Đối tượng", choices=Category.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    # The people an indicator counts (links from /chi-tieu/): definition id and which part.
    chi_tieu = forms.IntegerField(label="Chỉ tiêu", required=False, widget=forms.HiddenInput)
    phan = forms.ChoiceField(
        label="Phần",
        choices=[("", "—"), ("mau", "Tổng số (mẫu số)"), ("tu", "Đạt điều kiện (tử số)")],
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, stamp: tuple[int, str] | None = None, **kwargs: Any) -> None:
        """With ``stamp`` (the change log's newest entry) the planning terms are kept per process
        until the next change (planning lists are written by the audited services only)."""
        super().__init__(*args, **kwargs)
        # Callables, read from the database once, when the page shows the field or a value of
        # it is checked: not for every search of a list (a third of a search's Python time).
        self.fields["dan_toc"].choices = functools.cache(_ethnicity_choices)  # type: ignore[attr-defined]
        self.fields["ton_giao"].choices = functools.cache(_religion_choices)  # type: ignore[attr-defined]
        terms = functools.cache(_term_choices)
        if stamp is not None:
            kept = stamp
            terms = functools.cache(lambda: kept_value(("planning terms", *kept), _term_choices))
        self.fields["nhiem_ky_quy_hoach"].choices = terms  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lo, hi = data.get("tuoi_tu"), data.get("tuoi_den")
        if lo is not None and hi is not None and lo > hi:
            raise forms.ValidationError("“Tuổi từ” phải nhỏ hơn hoặc bằng “Tuổi đến”.")
        if data.get("chi_tieu") is not None:
            from canbo.indicators.models import IndicatorDefinition

            definition = IndicatorDefinition.objects.filter(pk=data["chi_tieu"]).first()
            if definition is None:
                raise forms.ValidationError("Không có chỉ tiêu này.")
            data["chi_tieu_definition"] = definition
        return data

    def description(self, unit: Unit | None, day: dt.date) -> list[str]:
        """The active filters in words, for the page and the export's header."""
        out = [f"Tính đến ngày: {day:%d/%m/%Y}"]
        if unit is not None:
            out.append(f"Đơn vị: {unit_label_on(unit, day)} (gồm các đơn vị trực thuộc)")
        data = self.cleaned_data
        status = ServiceStatus(data.get("tinh_trang") or ServiceStatus.IN_SERVICE)
        out.append(f"{self.fields['tinh_trang'].label}: {status.label}")
        for name, field in self.fields.items():
            value = data.get(name)
            if name in ("don_vi", "phan", "tinh_trang") or value in (None, "", []):
                continue
            if name == "chi_tieu":
                part = "đạt điều kiện (tử số)" if data.get("phan") == "tu" else "tổng số (mẫu số)"
                out.append(f"Chỉ tiêu: {data['chi_tieu_definition'].label} – {part}")
                continue
            if isinstance(field, forms.ChoiceField):
                labels = dict(field.choices)  # type: ignore[arg-type]
                shown = (
                    ", ".join(str(labels.get(v, v)) for v in value)
                    if isinstance(value, list)
                    else labels.get(value)
                )
            else:
                shown = value
            out.append(f"{field.label}: {shown}")
        return out


# Once, on the class's fields (each form deep-copies them; issue 22): the qualification levels'
# choices, and the selects' and checkbox groups' twins with the same markup without a template
# per option (``core.forms.fast_selects``).
for _name, _kind in QUALIFICATION_FILTERS.items():
    PersonFilterForm.base_fields[_name].choices = _level_choices(_kind)  # type: ignore[attr-defined]
fast_selects(PersonFilterForm.base_fields)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def unit_holders(unit: Unit, day: dt.date) -> QuerySet[Any]:
    """Ids of the persons holding a post in ``unit``'s subtree on ``day``: with those whose
    dossier is kept there, the people of a unit's list.

    The subtree is a list of unit ids (a scan of the small unit table), not a join on the
    unit's path: the tenures are then read through their unit index instead of all of them
    (issue 22; the same for the dossiers in ``apply_filters``)."""
    return Tenure.objects.filter(on_date_q(day), in_subtree("unit", unit)).values("person_id")


def subtree_ids(unit: Unit) -> QuerySet[Any]:
    """Ids of ``unit`` and its descendants, as a subquery (read from the path index on SQLite:
    ``core.querysets.subtree_ids``)."""
    ids: QuerySet[Any] = core_subtree_ids(Unit, unit.path)
    return ids


def in_subtree(field: str, unit: Unit) -> Q:
    """``field`` (a foreign key to a unit) is ``unit`` or one of its descendants: in the
    subtree's ids (``subtree_ids``). On PostgreSQL, for a subtree of at most ``NARROW_SUBTREE``
    dossiers (``core.querysets.is_broad_subtree``), written ``= ANY(ARRAY(subquery))``
    (``core.querysets.InIdsOf``, issue 22): as ``IN`` PostgreSQL guessed a district's dossiers and
    posts from the average unit and counted its list by scanning every dossier and every tenure
    (180–204 ms for the district of 1,516 dossiers at 160,000, 18–25 ms as ``ANY``). A broader
    subtree keeps the ``IN``, which PostgreSQL guesses well there, and SQLite's statement is the
    same either way (its breadth is not asked)."""
    lookup = "in"
    if connection.vendor == "postgresql" and not is_broad_subtree(Person, unit.path):
        lookup = "in_ids_of"
    return Q(**{f"{field}__{lookup}": subtree_ids(unit)})


def unit_people(unit: Unit, day: dt.date) -> QuerySet[Any]:
    """Ids of the people of ``unit``'s list on ``day``: those holding a post in its subtree and
    those whose dossier is kept there, as one subquery (``UNION ALL``; a person in both is
    there twice, which ``IN`` does not mind).

    Both sets are read through their unit indexes and each person once by primary key. As an
    ``OR`` of two ``IN`` conditions, SQLite read them as a "multi-index OR" and then checked
    every row found against both sets again: 6.3 against 4.1 ms of SQLite for the first page of
    a district's list of 1,033 people at 40,000 (issue 22)."""
    kept = Person.objects.filter(in_subtree("managing_unit", unit)).order_by().values("pk")
    return unit_holders(unit, day).order_by().union(kept, all=True)


def apply_filters(
    qs: QuerySet[Person],
    data: dict[str, Any],
    *,
    unit: Unit | None,
    day: dt.date,
    user: Any,
    with_name: bool = True,
    with_status: bool = True,
) -> QuerySet[Person]:
    """Apply the cleaned filters to ``qs`` (already restricted to the user's grants); without the
    name query if ``with_name`` is false (the pages apply it themselves: ``people.search.name_results``).
    When no filter applies, ``qs`` itself is returned (the name search relies on it); the service
    status always applies (by default: in service on ``day``), so that is only with
    ``with_status=False`` (``people.search`` then adds ``status_q`` itself)."""
    if with_status:
        qs = qs.filter(status_q(data.get("tinh_trang") or ServiceStatus.IN_SERVICE, day))
    definition = data.get("chi_tieu_definition")
    if definition is not None:
        # The indicator engine's own rows, so the list has exactly the people the figure counts;
        # it scopes the unit itself (a body member need not hold a post in the body's subtree).
        from canbo.indicators.engine import people

        counted = people(definition, part=data.get("phan") or "mau", day=day, unit=unit, user=None)
        qs = qs.filter(pk__in=counted.values("pk"))
    elif unit is not None:
        qs = qs.filter(pk__in=unit_people(unit, day))
    if with_name:
        qs = name_search(qs, data.get("q") or "")

    title_q = Q()
    if data.get("nhom_chuc_danh"):
        title_q &= Q(title__group__in=data["nhom_chuc_danh"])
    if data.get("cap"):
        title_q &= Q(title__level=data["cap"])
    if data.get("chu_chot"):
        title_q &= Q(title__is_key=data["chu_chot"] == "co")
    if data.get("dien_quan_ly"):
        title_q &= Q(title__management_scope=data["dien_quan_ly"])
    if title_q:
        held = Tenure.objects.filter(on_date_q(day), title_q, person=OuterRef("pk"))
        if unit is not None:
            held = held.filter(unit__path__startswith=unit.path)
        qs = qs.filter(Exists(held))

    if data.get("tuoi_tu") is not None:  # age >= n on the day ⇔ born on or before day − n years
        qs = qs.filter(birth_date__lte=_years_before(day, data["tuoi_tu"]))
    if data.get("tuoi_den") is not None:  # age <= n ⇔ born after day − (n + 1) years
        qs = qs.filter(birth_date__gt=_years_before(day, data["tuoi_den"] + 1))
    if data.get("gioi_tinh"):
        qs = qs.filter(sex=data["gioi_tinh"])
    ethnic = data.get("dan_toc")
    if ethnic == "kinh":
        qs = qs.filter(ethnicity__code="01")
    elif ethnic == "thieu_so":
        qs = qs.exclude(ethnicity__code="01")
    elif ethnic:
        qs = qs.filter(ethnicity__code=ethnic)
    religion = data.get("ton_giao")
    if religion == "co":
        qs = qs.exclude(religion__code="00")
    elif religion:
        qs = qs.filter(religion__code=religion)
    for name, kind in QUALIFICATION_FILTERS.items():
        if data.get(name):
            has = Qualification.objects.filter(
                person=OuterRef("pk"), kind=kind, level_rank__gte=int(data[name]), obtained_date__lte=day
            )
            qs = qs.filter(Exists(has))
    if data.get("dang_vien"):
        member = PartyMembership.objects.filter(person=OuterRef("pk"), admission_date__lte=day).filter(
            Q(left_date__isnull=True) | Q(left_date__gt=day)
        )
        qs = qs.filter(Exists(member)) if data["dang_vien"] == "co" else qs.exclude(Exists(member))
    if data.get("quy_hoach") or data.get("nhiem_ky_quy_hoach"):
        # In a planning list on the day (of the chosen term, if one is chosen); a term alone means "co".
        term = data.get("nhiem_ky_quy_hoach")
        years = (int(term[:4]), int(term[5:])) if term else None
        qs = filter_planned(qs, user, day, planned=data.get("quy_hoach") != "khong", term=years)
    if data.get("doi_tuong"):
        qs = qs.filter(category__in=data["doi_tuong"])
    return qs
