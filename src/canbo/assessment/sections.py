"""The dossier sections assessment keeps (awards, discipline, ratings, confidence votes, political
conclusions), registered in ``AssessmentConfig.ready()``."""

from __future__ import annotations

from canbo.assessment.models import Award, ConfidenceVote, Discipline, PoliticalConclusion, Rating
from canbo.people.sections import SectionSpec, attr_cell, begins_in_year, begins_on, date_cell, display_cell

SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        slug="khen-thuong",
        model=Award,
        title="Khen thưởng",
        form_fields=("form", "year", "decision_number", "decision_date", "issuing_body", "achievement"),
        columns=(
            ("Năm", attr_cell("year")),
            ("Hình thức", attr_cell("form")),
            ("Cấp quyết định", attr_cell("issuing_body")),
            ("Số quyết định", attr_cell("decision_number")),
            ("Thành tích", attr_cell("achievement")),
        ),
        begins=begins_in_year("year", decided="decision_date"),
        position=80,
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
            ("Ngày quyết định", date_cell("decision_date")),
            ("Loại", display_cell("system")),
            ("Hình thức", display_cell("form")),
            ("Cơ quan", attr_cell("issuing_body")),
            ("Số quyết định", attr_cell("decision_number")),
            ("Nội dung vi phạm", attr_cell("violation")),
        ),
        begins=begins_on("decision_date"),
        position=90,
    ),
    SectionSpec(
        slug="danh-gia",
        model=Rating,
        title="Đánh giá, xếp loại chất lượng",
        form_fields=("system", "period", "year", "quarter", "level", "score", "decision_date", "rated_by"),
        columns=(
            ("Năm", attr_cell("year")),
            ("Kỳ", display_cell("period")),
            ("Loại đánh giá", display_cell("system")),
            ("Xếp loại", display_cell("level")),
            ("Điểm", attr_cell("score")),
        ),
        begins=begins_in_year("year", decided="decision_date"),
        position=100,
    ),
    SectionSpec(
        slug="tin-nhiem",
        model=ConfidenceVote,
        title="Lấy phiếu tín nhiệm",
        form_fields=(
            "vote_date",
            "body_kind",
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
            ("Ngày", date_cell("vote_date")),
            ("Cơ quan", display_cell("body_kind")),
            ("Hội nghị", attr_cell("body")),
            ("Chức vụ", attr_cell("position")),
            ("Triệu tập / có mặt", lambda v: f"{v.convened} / {v.present}"),
            ("Cao / TN / Thấp", lambda v: f"{v.high} / {v.medium} / {v.low}"),
        ),
        begins=begins_on("vote_date"),
        position=110,
    ),
    SectionSpec(
        slug="tieu-chuan-chinh-tri",
        model=PoliticalConclusion,
        title="Kết luận tiêu chuẩn chính trị",
        form_fields=("conclusion_date", "issuing_body", "meets_standard", "ceiling", "content"),
        columns=(
            ("Ngày", date_cell("conclusion_date")),
            ("Cơ quan", attr_cell("issuing_body")),
            ("Kết luận", lambda c: "Đủ tiêu chuẩn" if c.meets_standard else "Chưa đủ tiêu chuẩn"),
            ("Mức trần", attr_cell("ceiling")),
        ),
        begins=begins_on("conclusion_date"),
        position=150,
    ),
)
