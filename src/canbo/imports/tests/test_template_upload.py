"""CanBo's own template, filled in and saved by another program (here openpyxl, as LibreOffice
or Excel would save it: example rows deleted, sheets reordered, the guide sheet hidden), is
recognised as the template and goes straight to the check, not to column mapping (issue 14)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from canbo.imports.models import ImportJob
from canbo.imports.tests.test_views import GOOD, HEADERS, client_for, upload, workbook
from canbo.people.models import Person

pytestmark = pytest.mark.django_db


def saved_template(client: Any, *, shuffle: bool) -> bytes:
    """The downloaded template with its example rows deleted and one person written in, saved
    by openpyxl; ``shuffle`` also moves the guide sheet last and hides it."""
    response = client.get(reverse("imports:template"))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    guide = wb["Hướng dẫn"]
    for ws in wb.worksheets:
        if ws is not guide and ws.max_row > 1:
            ws.delete_rows(2, ws.max_row - 1)
    people = wb["Cán bộ"]
    columns = {cell.value: int(cell.column or 0) for cell in people[1]}
    for header, value in zip(HEADERS, GOOD[0], strict=True):
        people.cell(row=2, column=columns[header], value=value)
    if shuffle:
        wb.move_sheet(guide, offset=len(wb.worksheets) - 1)
        guide.sheet_state = "hidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("shuffle", [False, True])
def test_saved_template_goes_straight_to_the_check(users: dict, shuffle: bool) -> None:
    client = client_for(users["officer_a"])
    response = upload(client, saved_template(client, shuffle=shuffle), name="mau-da-luu.xlsx")
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert job.dry_run and job.status == ImportJob.Status.DONE, job.result
    assert not Person.objects.filter(personal_id=GOOD[0][0]).exists()  # checked, nothing written
    page = client.get(response["Location"]).content.decode()
    assert "Nhập vào hồ sơ" in page


def test_a_province_workbook_still_goes_to_mapping(users: dict) -> None:
    response = upload(client_for(users["officer_a"]), workbook(GOOD))
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == reverse("imports:mapping", args=[job.pk])
