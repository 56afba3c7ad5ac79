"""The plan's indicator table as a workbook: text from the plan is text, never a formula."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from canbo.indicators.engine import Result
from canbo.indicators.exports import table_xlsx
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
