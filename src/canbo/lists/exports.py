"""The list as an .xlsx workbook: title, as-of date and filters above the table, Vietnamese
headers, the columns shown on the page. Written with openpyxl's write-only mode so a list of
100,000 people streams without holding the sheet in memory."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from canbo.lists.columns import Column, rows
from canbo.people.models import Person

CHUNK = 2000


def _chunks(qs: Any, size: int) -> Iterable[list[Person]]:
    batch: list[Person] = []
    for person in qs.iterator(chunk_size=size):
        batch.append(person)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def list_workbook(
    qs: Any, columns: Sequence[Column], *, day: dt.date, description: list[str]
) -> tuple[bytes, int]:
    """Return (xlsx bytes, number of people)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    widths = [6, *[c.width for c in columns]]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    bold = Font(bold=True)

    def cell(value: Any, **style: Any) -> Any:
        c = WriteOnlyCell(ws, value=value)
        for k, v in style.items():
            setattr(c, k, v)
        return c

    ws.append([cell("DANH SÁCH TRÍCH NGANG CÁN BỘ", font=Font(bold=True, size=14))])
    for line in description:
        ws.append([cell(line)])
    ws.append([])
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="DDE3EA")
    ws.append(
        [
            cell(
                h,
                font=bold,
                fill=header_fill,
                border=border,
                alignment=Alignment(wrap_text=True, vertical="center"),
            )
            for h in ["STT", *[c.label for c in columns]]
        ]
    )
    n = 0
    for batch in _chunks(qs, CHUNK):
        for _person, values in rows(batch, columns, day):
            n += 1
            ws.append([cell(n, border=border), *[cell(v, border=border) for v in values]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), n
