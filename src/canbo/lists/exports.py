"""The list as an .xlsx workbook: title, as-of date and filters above the table, Vietnamese
headers, the columns shown on the page, every person in scope.

Memory stays bounded whatever the number of rows: persons are read in chunks of ``CHUNK`` (the
columns' facts for a chunk in a fixed number of queries, ``lists.columns.rows``, as the page
reads them), openpyxl's write-only mode streams the rows to a temporary file, and the workbook
is written to the file the caller gives (the view answers with that file).

Speed (docs/performance.md, "List export"): openpyxl spends about 10 µs on a plain cell and
three to five times that on a cell with its own style, so only the title and header rows are
styled; the table's grid is printed with the sheet's grid lines rather than a border on each of
its million cells. Every value goes through ``core.xlsx.safe_cell``: a name "=HYPERLINK(…)" is
written as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from django.db.models import Model, Prefetch
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from canbo.core.xlsx import Look, safe_cell, safe_row
from canbo.lists.columns import PERSON_RELATIONS, Column, person_fields, rows
from canbo.people.models import Person

CHUNK = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _chunks(qs: Any, size: int) -> Iterable[list[Person]]:
    batch: list[Person] = []
    for person in qs.iterator(chunk_size=size):
        batch.append(person)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _names_of(relation: str) -> Prefetch:
    """The person's ``relation`` prefetched for its name only (what the columns read of it)."""
    model = Person._meta.get_field(relation).related_model
    assert isinstance(model, type) and issubclass(model, Model)
    return Prefetch(relation, queryset=model._default_manager.only("name"))


def export_rows(qs: Any, columns: Sequence[Column], day: dt.date) -> Iterator[list[Any]]:
    """The values of ``columns`` for every person of ``qs`` (ordered), read chunk by chunk: the
    persons with only the fields and relations the columns read, then the chunk's facts."""
    keys = [c.key for c in columns]
    related = sorted({PERSON_RELATIONS[k] for k in keys if k in PERSON_RELATIONS})
    qs = qs.select_related(None).prefetch_related(*[_names_of(r) for r in related])
    fields = person_fields(keys)
    if fields is not None:
        qs = qs.only(*fields)
    for batch in _chunks(qs, CHUNK):
        for _person, values in rows(batch, columns, day):
            yield values


def write_list(
    out: IO[bytes], qs: Any, columns: Sequence[Column], *, day: dt.date, description: list[str]
) -> int:
    """Write the list of ``qs`` (ordered) to ``out`` as .xlsx; return the number of people."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    widths = [7, *[c.width for c in columns]]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    header_row = len(description) + 3  # title, the description's lines, a blank line
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"  # the header on every printed page
    ws.print_options.gridLines = True
    thin = Side(style="thin", color="999999")
    header = Look(
        ws,
        font=Font(bold=True),
        fill=PatternFill("solid", fgColor="DDE3EA"),
        border=Border(left=thin, right=thin, top=thin, bottom=thin),
        alignment=Alignment(wrap_text=True, vertical="center"),
    )
    ws.append([safe_cell(ws, "DANH SÁCH TRÍCH NGANG CÁN BỘ", Look(ws, font=Font(bold=True, size=14)))])
    for line in description:
        ws.append(safe_row(ws, [line]))
    ws.append([])
    ws.append(safe_row(ws, ["STT", *[c.label for c in columns]], header))
    n = 0
    for values in export_rows(qs, columns, day):
        n += 1
        ws.append([n, *[safe_cell(ws, v) for v in values]])
    wb.save(out)
    return n
