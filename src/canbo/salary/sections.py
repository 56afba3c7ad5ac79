"""The dossier section salary keeps (the salary history), registered in ``SalaryConfig.ready()``."""

from __future__ import annotations

from canbo.core.dates import format_date
from canbo.people.sections import SectionSpec, attr_cell, begins_on, coefficient_text, date_cell
from canbo.salary.models import SalaryRow

SECTIONS: tuple[SectionSpec, ...] = (
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
            ("Từ ngày", date_cell("from_date")),
            ("Ngạch", lambda r: f"{r.grade.code} {r.grade.name}"),
            ("Bậc", attr_cell("step")),
            ("Hệ số", lambda r: coefficient_text(r.coefficient)),
            ("Vượt khung", lambda r: f"{r.beyond_frame_percent}%" if r.beyond_frame_percent else ""),
            (
                "Phụ cấp chức vụ",
                lambda r: (
                    "" if r.position_allowance is None else f"{r.position_allowance:.2f}".replace(".", ",")
                ),
            ),
            ("Mốc nâng bậc", date_cell("step_since")),
            (
                "Quyết định",
                lambda r: " ".join(filter(None, [r.decision_number, format_date(r.decision_date)])),
            ),
        ),
        # Rows that begin after the as-of date are hidden; the row in force then is the first
        # one shown (rows are listed newest first).
        begins=begins_on("from_date"),
        # The group too: the career calendar's next raise reads it from these rows.
        select_related=("grade__group",),
        position=70,
        # With a salary history, the current grade, step and coefficient are the row in force
        # today (salary.services.sync_person).
        derives=("grade_name", "grade_code", "salary_step", "salary_coefficient"),
        derives_help="Lấy theo dòng diễn biến lương đang hưởng; sửa ở mục Diễn biến quá trình lương.",
    ),
)
