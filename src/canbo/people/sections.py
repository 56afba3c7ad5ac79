"""Registry of dossier sections: one entry per section model drives the person page, the
generic add/edit/delete views and the API (STYLE.md convention 10).

Each entry names the form fields, the columns shown, and how the section is read "as of" a
date D: ``begins`` dates a record's start (a record that begins after D is not shown), ``later``
names the columns whose date may fall after D (an end, a recognition), shown as they stood on D
with the later date greyed, and ``undated`` says what the section holds without history, so that
the page labels it as today's value instead of passing it off as the past.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from canbo.assessment.models import Award, ConfidenceVote, Discipline, PoliticalConclusion, Rating
from canbo.careers.models import BodyMembership, Tenure
from canbo.core.dates import format_date, format_partial_date
from canbo.org.selectors import unit_label
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
from canbo.salary.models import SalaryRow

Begins = Callable[[Any], dt.date | None]


def _from(field_name: str) -> Begins:
    """The record begins on its ``field_name`` date."""
    return lambda obj: getattr(obj, field_name)


def _from_year(field_name: str, *, decided: str | None = None) -> Begins:
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


def _d(name: str) -> Callable[[Any], str]:
    return lambda obj: format_date(getattr(obj, name))


def _disp(name: str) -> Callable[[Any], str]:
    return lambda obj: getattr(obj, f"get_{name}_display")()


def _measure(name: str, unit: str) -> Callable[[Any], str]:
    return lambda obj: "" if getattr(obj, name) is None else f"{getattr(obj, name)} {unit}"


def _coef(value: Any) -> str:
    """A coefficient as written in Vietnamese (2,34), empty when missing."""
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _attr(name: str) -> Callable[[Any], Any]:
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


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        slug="tuyen-dung-nghi-huu",
        model=ServiceEvent,
        title="Tuyển dụng, chuyển đến/đi, nghỉ hưu, thôi việc",
        form_fields=("kind", "event_date", "decision_number", "decision_date", "issuing_body", "details"),
        columns=(
            ("Ngày hiệu lực", _d("event_date")),
            ("Sự kiện", _disp("kind")),
            (
                "Quyết định",
                lambda e: " ".join(filter(None, [e.decision_number, format_date(e.decision_date)])),
            ),
            ("Cơ quan quyết định", _attr("issuing_body")),
            ("Lý do, ghi chú", _attr("details")),
        ),
        begins=_from("event_date"),
    ),
    SectionSpec(
        slug="chuc-vu",
        model=Tenure,
        title="Quá trình giữ chức vụ",
        form_fields=(
            "unit",
            "title",
            "kind",
            "is_primary",
            "start_date",
            "end_date",
            "end_reason",
            "decision_number",
            "decision_date",
            "decision_body",
        ),
        columns=(
            ("Từ", _d("start_date")),
            ("Đến", lambda t: format_date(t.end_date) or "nay"),
            ("Chức danh", _attr("title.name")),
            ("Đơn vị", lambda obj: unit_label(obj.unit_id)),
            ("Hình thức", _disp("kind")),
            (
                "Quyết định",
                lambda t: " ".join(filter(None, [t.decision_number, format_date(t.decision_date)])),
            ),
        ),
        begins=_from("start_date"),
        later=(Later("Đến", "end_date", "nay (tại ngày xem)"),),
        select_related=("unit", "title"),
    ),
    SectionSpec(
        slug="cap-uy-hdnd",
        model=BodyMembership,
        title="Cấp ủy, HĐND, đoàn thể",
        form_fields=("body", "kind", "role", "term", "start_date", "end_date", "decision_number"),
        columns=(
            ("Loại", _disp("kind")),
            ("Cơ quan", lambda obj: unit_label(obj.body_id)),
            ("Chức vụ", _attr("role")),
            ("Nhiệm kỳ", _attr("term")),
            ("Từ", _d("start_date")),
            ("Đến", lambda m: format_date(m.end_date) or "nay"),
        ),
        begins=_from("start_date"),
        later=(Later("Đến", "end_date", "nay (tại ngày xem)"),),
        select_related=("body",),
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
            ("Loại", _disp("kind")),
            ("Trình độ", _attr("level_display")),
            ("Chuyên ngành / ngôn ngữ", lambda q: q.field_of_study or q.language),
            ("Cơ sở đào tạo", _attr("institution")),
            ("Hình thức", _disp("mode")),
            ("Ngày cấp", _d("obtained_date")),
        ),
        begins=_from("obtained_date"),
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
            ("Ngày vào Đảng", _d("admission_date")),
            ("Ngày chính thức", _d("official_date")),
            ("Số thẻ", _attr("card_number")),
            ("Chi bộ", _attr("party_cell")),
            ("Ra khỏi Đảng", _d("left_date")),
        ),
        begins=_from("admission_date"),
        later=(
            Later("Ngày chính thức", "official_date", "dự bị tại ngày xem"),
            Later("Ra khỏi Đảng", "left_date", ""),
        ),
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
            ("Chức danh, chức vụ, đơn vị công tác", _attr("description")),
        ),
        begins=_from("start_date"),
        later=(Later("Đến", "end_date", "nay (tại ngày xem)"),),
    ),
    SectionSpec(
        slug="dien-bien-luong",
        model=SalaryRow,
        title="Diễn biến quá trình lương",
        form_fields=(
            "grade",
            "step",
            "coefficient",
            "beyond_frame_percent",
            "position_allowance",
            "other_allowance",
            "from_date",
            "step_since",
            "decision_number",
            "decision_date",
        ),
        columns=(
            ("Từ ngày", _d("from_date")),
            ("Ngạch", lambda r: f"{r.grade.code} {r.grade.name}"),
            ("Bậc", _attr("step")),
            ("Hệ số", lambda r: _coef(r.coefficient)),
            ("Vượt khung", lambda r: f"{r.beyond_frame_percent}%" if r.beyond_frame_percent else ""),
            (
                "Phụ cấp chức vụ",
                lambda r: (
                    "" if r.position_allowance is None else f"{r.position_allowance:.2f}".replace(".", ",")
                ),
            ),
            ("Mốc nâng bậc", _d("step_since")),
            (
                "Quyết định",
                lambda r: " ".join(filter(None, [r.decision_number, format_date(r.decision_date)])),
            ),
        ),
        # Rows that begin after the as-of date are hidden; the row in force then is the first
        # one shown (rows are listed newest first).
        begins=_from("from_date"),
        select_related=("grade",),
    ),
    SectionSpec(
        slug="khen-thuong",
        model=Award,
        title="Khen thưởng",
        form_fields=("form", "year", "decision_number", "decision_date", "issuing_body", "achievement"),
        columns=(
            ("Năm", _attr("year")),
            ("Hình thức", _attr("form")),
            ("Cấp quyết định", _attr("issuing_body")),
            ("Số quyết định", _attr("decision_number")),
            ("Thành tích", _attr("achievement")),
        ),
        begins=_from_year("year", decided="decision_date"),
    ),
    SectionSpec(
        slug="ky-luat",
        model=Discipline,
        title="Kỷ luật",
        form_fields=(
            "system",
            "form",
            "decision_number",
            "decision_date",
            "effective_date",
            "announced_date",
            "issuing_body",
            "violation",
            "duty_related",
        ),
        columns=(
            ("Ngày quyết định", _d("decision_date")),
            ("Loại", _disp("system")),
            ("Hình thức", _disp("form")),
            ("Cơ quan", _attr("issuing_body")),
            ("Số quyết định", _attr("decision_number")),
            ("Nội dung vi phạm", _attr("violation")),
        ),
        begins=_from("decision_date"),
    ),
    SectionSpec(
        slug="danh-gia",
        model=Rating,
        title="Đánh giá, xếp loại chất lượng",
        form_fields=("system", "period", "year", "quarter", "level", "score", "decision_date", "rated_by"),
        columns=(
            ("Năm", _attr("year")),
            ("Kỳ", _disp("period")),
            ("Loại đánh giá", _disp("system")),
            ("Xếp loại", _disp("level")),
            ("Điểm", _attr("score")),
        ),
        begins=_from_year("year", decided="decision_date"),
    ),
    SectionSpec(
        slug="tin-nhiem",
        model=ConfidenceVote,
        title="Lấy phiếu tín nhiệm",
        form_fields=(
            "vote_date",
            "body",
            "position",
            "convened",
            "present",
            "ballots",
            "high",
            "medium",
            "low",
        ),
        columns=(
            ("Ngày", _d("vote_date")),
            ("Hội nghị", _attr("body")),
            ("Chức vụ", _attr("position")),
            ("Triệu tập / có mặt", lambda v: f"{v.convened} / {v.present}"),
            ("Cao / TN / Thấp", lambda v: f"{v.high} / {v.medium} / {v.low}"),
        ),
        begins=_from("vote_date"),
    ),
    SectionSpec(
        slug="suc-khoe",
        model=HealthRecord,
        title="Sức khỏe",
        form_fields=("check_date", "status", "height_cm", "weight_kg", "blood_group", "notes"),
        columns=(
            ("Ngày khám", _d("check_date")),
            ("Tình trạng", _disp("status")),
            ("Chiều cao", _measure("height_cm", "cm")),
            ("Cân nặng", _measure("weight_kg", "kg")),
            ("Nhóm máu", _attr("blood_group")),
        ),
        begins=_from("check_date"),
    ),
    SectionSpec(
        slug="gia-dinh",
        model=FamilyRelation,
        title="Quan hệ gia đình",
        form_fields=("relation", "spouse_side", "full_name", "birth_year", "details", "deceased"),
        columns=(
            ("Quan hệ", _disp("relation")),
            ("Bên vợ/chồng", lambda f: "Có" if f.spouse_side else ""),
            ("Họ và tên", _attr("full_name")),
            ("Năm sinh", _attr("birth_year")),
            ("Thông tin", _attr("details")),
        ),
        # A member born after the as-of date is not shown; what is written about the others
        # (occupation, address, deceased) is today's text, with no history.
        begins=_from_year("birth_year"),
        undated=(
            "Người thân và thông tin của họ (nghề nghiệp, nơi ở, còn sống hay đã mất) ghi theo hồ sơ "
            "hiện nay; chỉ ẩn người sinh sau ngày xem."
        ),
    ),
    SectionSpec(
        slug="lich-su-ban-than",
        model=PersonalHistory,
        title="Đặc điểm lịch sử bản thân",
        form_fields=("kind", "period", "description"),
        columns=(
            ("Nội dung", _disp("kind")),
            ("Thời gian", _attr("period")),
            ("Chi tiết", _attr("description")),
        ),
        undated="Nội dung ghi theo hồ sơ hiện nay.",
    ),
    SectionSpec(
        slug="tieu-chuan-chinh-tri",
        model=PoliticalConclusion,
        title="Kết luận tiêu chuẩn chính trị",
        form_fields=("conclusion_date", "issuing_body", "meets_standard", "ceiling", "content"),
        columns=(
            ("Ngày", _d("conclusion_date")),
            ("Cơ quan", _attr("issuing_body")),
            ("Kết luận", lambda c: "Đủ tiêu chuẩn" if c.meets_standard else "Chưa đủ tiêu chuẩn"),
            ("Mức trần", _attr("ceiling")),
        ),
        begins=_from("conclusion_date"),
    ),
    SectionSpec(
        slug="tai-san",
        model=AssetDeclaration,
        title="Kê khai tài sản, thu nhập",
        form_fields=("kind", "year", "declared_date", "receiving_body", "summary"),
        columns=(
            ("Năm", _attr("year")),
            ("Loại", _disp("kind")),
            ("Ngày kê khai", _d("declared_date")),
            ("Cơ quan tiếp nhận", _attr("receiving_body")),
        ),
        begins=_from("declared_date"),
    ),
    SectionSpec(
        slug="tai-lieu",
        model=Attachment,
        title="Tài liệu đính kèm (bản quét)",
        form_fields=("kind", "title"),
        upload=True,
        columns=(
            ("Loại", _disp("kind")),
            ("Tên tài liệu", _attr("title")),
            ("Tệp gốc", _attr("original_name")),
            ("Dung lượng", lambda a: f"{a.size / 1024:.0f} KB"),
            ("SHA-256", lambda a: a.sha256[:12] + "…"),
        ),
        undated="Tài liệu đang lưu trong hồ sơ hiện nay.",
    ),
)

BY_SLUG = {s.slug: s for s in SECTIONS}
BY_MODEL = {s.model: s for s in SECTIONS}


def visible_sections(*, sensitive_ok: bool) -> list[SectionSpec]:
    return [s for s in SECTIONS if sensitive_ok or not s.sensitive]


def open_on_q(day: dt.date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))
