"""The dossier sections careers keeps (posts held, bodies), registered in ``CareersConfig.ready()``."""

from __future__ import annotations

from canbo.careers.models import BodyMembership, Tenure
from canbo.core.dates import format_date
from canbo.org.selectors import unit_label
from canbo.people.sections import Later, SectionSpec, attr_cell, begins_on, date_cell, display_cell

SECTIONS: tuple[SectionSpec, ...] = (
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
            ("Từ", date_cell("start_date")),
            ("Đến", lambda t: format_date(t.end_date) or "nay"),
            ("Chức danh", attr_cell("title.name")),
            ("Đơn vị", lambda obj: unit_label(obj.unit_id)),
            ("Hình thức", display_cell("kind")),
            (
                "Quyết định",
                lambda t: " ".join(filter(None, [t.decision_number, format_date(t.decision_date)])),
            ),
        ),
        begins=begins_on("start_date"),
        later=(Later("Đến", "end_date", "nay (tại ngày xem)"),),
        select_related=("unit", "title"),
        position=20,
    ),
    SectionSpec(
        slug="cap-uy-hdnd",
        model=BodyMembership,
        title="Cấp ủy, HĐND, đoàn thể",
        form_fields=("body", "kind", "role", "term", "start_date", "end_date", "decision_number"),
        columns=(
            ("Loại", display_cell("kind")),
            ("Cơ quan", lambda obj: unit_label(obj.body_id)),
            ("Chức vụ", attr_cell("role")),
            ("Nhiệm kỳ", attr_cell("term")),
            ("Từ", date_cell("start_date")),
            ("Đến", lambda m: format_date(m.end_date) or "nay"),
        ),
        begins=begins_on("start_date"),
        later=(Later("Đến", "end_date", "nay (tại ngày xem)"),),
        select_related=("body",),
        position=30,
    ),
)
