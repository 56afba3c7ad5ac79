"""Registry of dossier sections: one entry per section model drives the person page, the
generic add/edit/delete views and the API (STYLE.md convention 10).

People imports no app that keeps a section (careers, assessment, salary): each app describes its
sections with ``SectionSpec`` and registers them in its ``AppConfig.ready()``
(``register_sections``); ``position`` orders them on the page whatever the order of the apps.

Each entry names the form fields, the columns shown, and how the section is read "as of" a
date D: ``begins`` dates a record's start (a record that begins after D is not shown), ``later``
names the columns whose date may fall after D (an end, a recognition), shown as they stood on D
with the later date greyed, and ``undated`` says what the section holds without history, so that
the page labels it as today's value instead of passing it off as the past.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

from canbo.core.dates import format_date, format_partial_date
from canbo.people.models import (
    AssetDeclaration,
    Attachment,
    FamilyRelation,
    HealthRecord,
    PartyMembership,
    PersonalHistory,
    PersonSection,
    Qualification,
    ServiceEvent,
    WorkHistory,
)

Begins = Callable[[Any], dt.date | None]


def begins_on(field_name: str) -> Begins:
    """The record begins on its ``field_name`` date."""
    return lambda obj: getattr(obj, field_name)


def begins_in_year(field_name: str, *, decided: str | None = None) -> Begins:
    """The record begins on its ``decided`` date when known, else on 1 January of its year."""

    def begins(obj: Any) -> dt.date | None:
        day = getattr(obj, decided) if decided else None
        year = getattr(obj, field_name)
        return day or (dt.date(year, 1, 1) if year else None)

    return begins


@dataclass(frozen=True)
class Later:
    """A column whose date may fall after the as-of date D: on D it showed ``on_day`` (the post
    still held, the member not yet full), and the recorded date is greyed as "after D"."""

    column: str
    field: str
    on_day: str


def date_cell(name: str) -> Callable[[Any], str]:
    return lambda obj: format_date(getattr(obj, name))


def display_cell(name: str) -> Callable[[Any], str]:
    return lambda obj: getattr(obj, f"get_{name}_display")()


def measure_cell(name: str, unit: str) -> Callable[[Any], str]:
    return lambda obj: "" if getattr(obj, name) is None else f"{getattr(obj, name)} {unit}"


def coefficient_text(value: Any) -> str:
    """A coefficient as written in Vietnamese (2,34), empty when missing."""
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def attr_cell(name: str) -> Callable[[Any], Any]:
    def get(obj: Any) -> Any:
        value: Any = obj
        for part in name.split("."):
            value = getattr(value, part, None)
        return "" if value is None else value

    return get


@dataclass(frozen=True)
class SectionSpec:
    """How one section model appears in the dossier."""

    slug: str
    model: type[PersonSection]
    title: str
    form_fields: tuple[str, ...]
    columns: tuple[tuple[str, Callable[[Any], Any]], ...]
    begins: Begins | None = None
    later: tuple[Later, ...] = ()
    undated: str = ""
    select_related: tuple[str, ...] = ()
    upload: bool = False
    partial_dates: tuple[str, ...] = field(default=())
    position: int = 1000  # place on the person page, smallest first
    # Person fields derived from this section's records when the person has any (the salary
    # history sets the current grade and step): shown, not edited, in the person's form.
    derives: tuple[str, ...] = ()
    derives_help: str = ""

    @property
    def sensitive(self) -> bool:
        return bool(self.model.sensitive)

    def rows(self, qs: QuerySet) -> QuerySet:
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs

    def begins_after(self, obj: Any, day: dt.date) -> bool:
        """Whether ``obj`` did not exist yet on ``day`` (undated records always exist)."""
        start = self.begins(obj) if self.begins else None
        return start is not None and start > day


class SectionRegistry(Sequence[SectionSpec]):
    """The registered sections in page order; ``by_slug`` and ``by_model`` index them."""

    def __init__(self) -> None:
        self._specs: list[SectionSpec] = []
        self.by_slug: dict[str, SectionSpec] = {}
        self.by_model: dict[type[PersonSection], SectionSpec] = {}

    def register(self, *specs: SectionSpec) -> None:
        for spec in specs:
            if self.by_slug.get(spec.slug) is spec:
                continue  # registered already (an app's ready() run twice)
            if spec.slug in self.by_slug or spec.model in self.by_model:
                raise ImproperlyConfigured(
                    f"Dossier section {spec.slug} ({spec.model.__name__}) registered twice."
                )
            self._specs.append(spec)
            self.by_slug[spec.slug] = spec
            self.by_model[spec.model] = spec
        self._specs.sort(key=lambda s: s.position)

    def __getitem__(self, index: Any) -> Any:
        return self._specs[index]

    def __len__(self) -> int:
        return len(self._specs)


SECTIONS = SectionRegistry()
BY_SLUG = SECTIONS.by_slug
BY_MODEL = SECTIONS.by_model
register_sections = SECTIONS.register

# The sections people keeps itself (registered in ``PeopleConfig.ready()``).
PEOPLE_SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        slug="tuyen-dung-nghi-huu",
        model=ServiceEvent,
        title="Tuyển dụng, chuyển đến/đi, nghỉ hưu, thôi việc",
        form_fields=("kind", "event_date", "decision_number", "decision_date", "issuing_body", "details"),
        columns=(
            ("Ngày hiệu lực", date_cell("event_date")),
            ("Sự kiện", display_cell("kind")),
            (
                "Quyết định",
                lambda e: " ".join(filter(None, [e.decision_number, format_date(e.decision_date)])),
            ),
            ("Cơ quan quyết định", attr_cell("issuing_body")),
            ("Lý do, ghi chú", attr_cell("details")),
        ),
        begins=begins_on("event_date"),
        position=10,
    ),
    SectionSpec(
        slug="trinh-do",
        model=Qualification,
        title="Trình độ đào tạo, bồi dưỡng",
        form_fields=(
            "kind",
            "level",
            "original_name",
            "field_of_study",
            "language",
            "institution",
            "mode",
            "start_date",
            "obtained_date",
        ),
        columns=(
            ("Loại", display_cell("kind")),
            ("Trình độ", attr_cell("level_display")),
            ("Chuyên ngành / ngôn ngữ", lambda q: q.field_of_study or q.language),
            ("Cơ sở đào tạo", attr_cell("institution")),
            ("Hình thức", display_cell("mode")),
            ("Ngày cấp", date_cell("obtained_date")),
        ),
        begins=begins_on("obtained_date"),
        position=40,
    ),
    SectionSpec(
        slug="dang-tich",
        model=PartyMembership,
        title="Đảng tịch",
        form_fields=(
            "admission_date",
            "official_date",
            "card_number",
            "party_cell",
            "left_date",
            "left_reason",
        ),
        columns=(
            ("Ngày vào Đảng", date_cell("admission_date")),
            ("Ngày chính thức", date_cell("official_date")),
            ("Số thẻ", attr_cell("card_number")),
            ("Chi bộ", attr_cell("party_cell")),
            ("Ra khỏi Đảng", date_cell("left_date")),
        ),
        begins=begins_on("admission_date"),
        later=(
            Later("Ngày chính thức", "official_date", "dự bị tại ngày xem"),
            Later("Ra khỏi Đảng", "left_date", ""),
        ),
        position=50,
    ),
    SectionSpec(
        slug="qua-trinh-cong-tac",
        model=WorkHistory,
        title="Tóm tắt quá trình công tác (theo hồ sơ gốc)",
        form_fields=("description",),
        partial_dates=("start", "end"),
        columns=(
            ("Từ", lambda w: format_partial_date(w.start_date, w.start_precision)),
            ("Đến", lambda w: format_partial_date(w.end_date, w.end_precision) or "nay"),
            ("Chức danh, chức vụ, đơn vị công tác", attr_cell("description")),
        ),
        begins=begins_on("start_date"),
        later=(Later("Đến", "end_date", "nay (tại ngày xem)"),),
        position=60,
    ),
    SectionSpec(
        slug="suc-khoe",
        model=HealthRecord,
        title="Sức khỏe",
        form_fields=("check_date", "status", "height_cm", "weight_kg", "blood_group", "notes"),
        columns=(
            ("Ngày khám", date_cell("check_date")),
            ("Tình trạng", display_cell("status")),
            ("Chiều cao", measure_cell("height_cm", "cm")),
            ("Cân nặng", measure_cell("weight_kg", "kg")),
            ("Nhóm máu", attr_cell("blood_group")),
        ),
        begins=begins_on("check_date"),
        position=120,
    ),
    SectionSpec(
        slug="gia-dinh",
        model=FamilyRelation,
        title="Quan hệ gia đình",
        form_fields=("relation", "spouse_side", "full_name", "birth_year", "details", "deceased"),
        columns=(
            ("Quan hệ", display_cell("relation")),
            ("Bên vợ/chồng", lambda f: "Có" if f.spouse_side else ""),
            ("Họ và tên", attr_cell("full_name")),
            ("Năm sinh", attr_cell("birth_year")),
            ("Thông tin", attr_cell("details")),
        ),
        # A member born after the as-of date is not shown; what is written about the others
        # (occupation, address, deceased) is today's text, with no history.
        begins=begins_in_year("birth_year"),
        undated=(
            "Người thân và thông tin của họ (nghề nghiệp, nơi ở, còn sống hay đã mất) ghi theo hồ sơ "
            "hiện nay; chỉ ẩn người sinh sau ngày xem."
        ),
        position=130,
    ),
    SectionSpec(
        slug="lich-su-ban-than",
        model=PersonalHistory,
        title="Đặc điểm lịch sử bản thân",
        form_fields=("kind", "period", "description"),
        columns=(
            ("Nội dung", display_cell("kind")),
            ("Thời gian", attr_cell("period")),
            ("Chi tiết", attr_cell("description")),
        ),
        undated="Nội dung ghi theo hồ sơ hiện nay.",
        position=140,
    ),
    SectionSpec(
        slug="tai-san",
        model=AssetDeclaration,
        title="Kê khai tài sản, thu nhập",
        form_fields=("kind", "year", "declared_date", "receiving_body", "summary"),
        columns=(
            ("Năm", attr_cell("year")),
            ("Loại", display_cell("kind")),
            ("Ngày kê khai", date_cell("declared_date")),
            ("Cơ quan tiếp nhận", attr_cell("receiving_body")),
        ),
        begins=begins_on("declared_date"),
        position=160,
    ),
    SectionSpec(
        slug="tai-lieu",
        model=Attachment,
        title="Tài liệu đính kèm (bản quét)",
        form_fields=("kind", "title"),
        upload=True,
        columns=(
            ("Loại", display_cell("kind")),
            ("Tên tài liệu", attr_cell("title")),
            ("Tệp gốc", attr_cell("original_name")),
            ("Dung lượng", lambda a: f"{a.size / 1024:.0f} KB"),
            ("SHA-256", lambda a: a.sha256[:12] + "…"),
        ),
        undated="Tài liệu đang lưu trong hồ sơ hiện nay.",
        position=170,
    ),
)


def visible_sections(*, sensitive_ok: bool) -> list[SectionSpec]:
    return [s for s in SECTIONS if sensitive_ok or not s.sensitive]


def open_on_q(day: dt.date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


#: The attribute of a ``Person`` that holds the sections the person page read for this request.
_READ = "_section_records"


def remember_records(person: Any, model: type[PersonSection], records: list[Any]) -> None:
    """Keep ``records`` (every record of the section the page read, later ones included, with
    the section's ``select_related``) on this request's ``person`` object."""
    cache = person.__dict__.setdefault(_READ, {})
    cache[model] = records


def read_records(person: Any, model: type[PersonSection]) -> list[Any] | None:
    """The person's records of ``model`` as the person page already read them in this request,
    or None when it did not (then the caller reads them itself).

    The person page reads each visible section once (``people.selectors.dossier``); the panels
    other apps draw on it and the rules engine's facts use the same rows instead of reading the
    section again. Only sections the page showed are kept: they are exactly what the user's
    grants let him see of this dossier (the person came through ``restrict``; a sensitive section
    is there only when ``sees_sensitive_of`` allowed it), so a caller that reads through
    ``restrict(user)`` gets the same rows. The cache lives on the person object of one request
    and dies with it.
    """
    cache = person.__dict__.get(_READ)
    return None if cache is None else cache.get(model)
