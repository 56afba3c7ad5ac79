"""The plan's indicator table as a workbook: text from the plan is text, never a formula."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from openpyxl import load_workbook

from canbo.conftest import official_header
from canbo.core.dates import today
from canbo.core.wordpage import place_date_line
from canbo.indicators.engine import Result
from canbo.indicators.exports import table_docx, table_xlsx
from canbo.indicators.models import IndicatorDefinition, IndicatorTarget
from canbo.indicators.selectors import Row
from canbo.plans.models import Plan


def test_table_xlsx_writes_plan_text_as_text() -> None:
    plan = Plan(kind="ke_hoach", number="-5/KH", title='=HYPERLINK("http://example.invalid","Kế hoạch")')
    target = IndicatorTarget(
        plan=plan, term="2020–2025", row="+1", content="=1+2", kind="share", text="@20%", note=""
    )
    rows = [
        Row(
            target=target,
            definition=IndicatorDefinition(code="x"),
            result=Result(status="pending", note="-chưa có dữ liệu"),
            met=None,
        )
    ]
    data = table_xlsx(plan, rows, unit=None, day=dt.date(2024, 1, 1))
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
    for text in (plan.title, "+1", "=1+2", "@20%", "-chưa có dữ liệu"):
        assert cells[text].data_type == "s", text
        assert cells[text].quotePrefix, text


def test_table_docx_starts_with_the_header_of_an_administrative_document(tree: dict) -> None:
    """NĐ 30/2020: the issuing body (the unit the table is computed for, under its parent) on the
    left, the national title and motto with the place and date on the right, then the appendix."""
    plan = Plan(kind="ke_hoach", number="5/KH", title="Kế hoạch thử", unit=tree["P"])
    data = table_docx(plan, [], unit=tree["A1"], day=dt.date(2024, 1, 1))
    document = Document(io.BytesIO(data))
    issuer, national = official_header(document)
    assert issuer[:2] == ["HUYỆN A", "PHÒNG NỘI VỤ HUYỆN A"]
    assert national[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    made = today()
    assert national[-1] == place_date_line("Thử nghiệm", made)
    assert document.paragraphs[1].text == "PHỤ LỤC 1"


def test_place_and_date_line_pads_as_the_decree_says() -> None:
    assert place_date_line("Lào Cai", dt.date(2026, 2, 6)) == "Lào Cai, ngày 06 tháng 02 năm 2026"
    assert place_date_line("Lào Cai", dt.date(2026, 12, 16)) == "Lào Cai, ngày 16 tháng 12 năm 2026"
