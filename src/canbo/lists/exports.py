"""The list as an .xlsx workbook: title, as-of date and filters above the table, Vietnamese
headers, the columns shown on the page, every person in scope.

Memory stays bounded whatever the number of rows: persons are read in chunks of ``CHUNK`` (the
columns' facts for a chunk in a fixed number of queries, ``lists.columns.rows``, as the page
reads them), XlsxWriter's ``constant_memory`` mode writes each row to a temporary file as soon
as the next one starts, and the workbook is written to the file the caller gives (the view
answers with that file).

Speed (docs/performance.md, "List export"): XlsxWriter rather than openpyxl's write-only mode,
which alone needed about 51 s on a loaded machine for the 150,000 rows × 21 cells of an
all-columns export; only the title and header rows are styled, the table's grid is printed with
the sheet's grid lines rather than a border on each of its three million cells. Every value goes
through ``core.xlsx.SafeSheet``: a name "=HYPERLINK(…)" is written as text, never a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

import xlsxwriter
from django.db.models import Model, Prefetch

from canbo.core.xlsx import SafeSheet
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
    assert isinstance(model, type) and issubclass(model, Model)  # noqa: S101 (invariant; narrows the type for mypy)
    return Prefetch(relation, queryset=model._default_manager.only("name"))


def export_rows(
    qs: Any, columns: Sequence[Column], day: dt.date, ids: list[int] | None = None
) -> Iterator[list[Any]]:
    """The values of ``columns`` for every person of ``qs`` (ordered), read chunk by chunk: the
    persons with only the fields and relations the columns read, then the chunk's facts. The
    persons' ids are appended to ``ids`` when given (the read log's rows)."""
    keys = [c.key for c in columns]
    related = sorted({PERSON_RELATIONS[k] for k in keys if k in PERSON_RELATIONS})
    qs = qs.select_related(None).prefetch_related(*[_names_of(r) for r in related])
    fields = person_fields(keys)
    if fields is not None:
        qs = qs.only(*fields)
    for batch in _chunks(qs, CHUNK):
        for person, values in rows(batch, columns, day, cells=True):
            if ids is not None:
                ids.append(person.pk)
            yield values


def write_list(
    out: IO[bytes],
    qs: Any,
    columns: Sequence[Column],
    *,
    day: dt.date,
    description: list[str],
    ids: list[int] | None = None,
) -> int:
    """Write the list of ``qs`` (ordered) to ``out`` as .xlsx; return the number of people (their
    ids appended to ``ids`` when given)."""
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("Danh sách")
    sheet = SafeSheet(wb, ws)
    for i, width in enumerate([7, *[c.width for c in columns]]):
        ws.set_column(i, i, width)
    header_row = len(description) + 2  # 0-based: title, the description's lines, a blank line
    ws.freeze_panes(header_row + 1, 0)  # the header stays on screen
    ws.repeat_rows(header_row)  # and is printed on every page
    ws.hide_gridlines(0)  # the table's grid: the sheet's grid lines, on screen and printed
    header = sheet.look(
        bold=True,
        bg_color="#DDE3EA",
        pattern=1,
        border=1,
        border_color="#999999",
        text_wrap=True,
        valign="vcenter",
    )
    sheet.row(0, ["DANH SÁCH TRÍCH NGANG CÁN BỘ"], sheet.look(bold=True, font_size=14))
    for i, line in enumerate(description, start=1):
        sheet.row(i, [line])
    sheet.row(header_row, ["STT", *[c.label for c in columns]], header)
    n = 0
    write = sheet.row
    for values in export_rows(qs, columns, day, ids):
        n += 1
        write(header_row + n, [n, *values])
    wb.close()
    return n
