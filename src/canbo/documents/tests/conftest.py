"""A person whose post, unit, salary and qualifications changed after the résumé's date."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from typing import Any

import pytest
from django.test import Client

from canbo.careers.models import Tenure
from canbo.conftest import new_person
from canbo.org.choices import Block, HeadKind, Level, ManagementScope, TitleGroup
from canbo.org.models import Title
from canbo.people.models import FamilyRelation, HealthRecord, PersonalHistory, Qualification
from canbo.salary.models import Grade, SalaryRow

BEFORE = dt.date(2020, 12, 31)  # the résumé's date: before the changes


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a .docx, read with python-docx."""
    import docx

    doc = docx.Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    proc = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return proc.stdout.decode("utf-8")


needs_pdf = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler-utils are installed by ./canbo test (ensure_libreoffice)",
)


def _title(code: str, name: str, rank: int) -> Title:
    return Title.objects.create(
        code=code,
        name=name,
        level=Level.DISTRICT,
        group=TitleGroup.DIVISION_HEAD,
        block=Block.STATE,
        is_leader=rank > 10,
        head_kind=HeadKind.HEAD if rank > 10 else HeadKind.STAFF,
        management_scope=ManagementScope.DISTRICT_STANDING,
        rank=rank,
    )


def _salary(person: Any, step: int, since: dt.date) -> None:
    grade = Grade.objects.select_related("group").get(code="01.003")
    SalaryRow.objects.create(
        person=person,
        grade=grade,
        step=step,
        coefficient=grade.group.coefficient(step),
        from_date=since,
        step_since=since,
    )


@pytest.fixture
def changed(tree: dict, users: dict) -> Any:
    """Lê Văn Đổi: Chuyên viên of Phòng Nội vụ huyện A until 30/6/2022, then Trưởng phòng in
    Huyện B; salary step 3 from 2019, step 4 from 2022; a university degree in 2010, a master's
    in 2021; a father (sensitive), a health check without blood group."""
    person = new_person(tree["A1"], "Lê Văn Đổi", sex="nam", born=dt.date(1985, 3, 4))
    cv = _title("CV", "Chuyên viên", 5)
    tp = _title("TPB", "Trưởng phòng Tổ chức", 30)
    Tenure.objects.create(
        person=person, unit=tree["A1"], title=cv, kind="tuyen_dung", start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2022, 6, 30),
    )  # fmt: skip
    Tenure.objects.create(
        person=person, unit=tree["B"], title=tp, kind="bo_nhiem", start_date=dt.date(2022, 7, 1)
    )
    _salary(person, 3, dt.date(2019, 1, 1))
    _salary(person, 4, dt.date(2022, 1, 1))
    Qualification.objects.create(
        person=person, kind="chuyen_mon", level="dai_hoc", level_rank=40, field_of_study="Luật",
        institution="Đại học Luật Hà Nội", obtained_date=dt.date(2010, 6, 30),
    )  # fmt: skip
    Qualification.objects.create(
        person=person, kind="chuyen_mon", level="thac_si", level_rank=50, field_of_study="Quản lý công",
        institution="Học viện Hành chính", obtained_date=dt.date(2021, 9, 1),
    )  # fmt: skip
    FamilyRelation.objects.create(
        person=person, relation="bo", full_name="Lê Văn Cha", birth_year=1955, details="Nông dân"
    )
    PersonalHistory.objects.create(
        person=person, kind="than_nhan_nuoc_ngoai", description="Em gái ở Nhật Bản"
    )
    HealthRecord.objects.create(
        person=person, check_date=dt.date(2019, 5, 1), status="tot", height_cm=170, weight_kg=65
    )
    return person
