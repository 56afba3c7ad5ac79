"""Planning list documents (Word, Excel) and the ``documents statistics`` command."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from docx import Document

from canbo.conftest import official_header
from canbo.core.models import AccessLog
from canbo.planning import services
from canbo.planning.tests.conftest import hold, make_title
from canbo.reports.tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(users: dict, staff: dict, tree: dict, title: Any) -> Any:
    ct = make_title("CT", "Chủ tịch UBND huyện", 50)
    plist = services.planning_list_create(
        acting_user=users["officer_a"], unit=tree["A"], name="Quy hoạch lãnh đạo huyện A",
        kind="lanh_dao_quan_ly", term_start=2025, term_end=2030, decision_number="12-QĐ/HU",
        decision_date=dt.date(2024, 5, 2),
    )  # fmt: skip
    hold(staff["hong"], tree["A1"], title)
    services.planning_entry_add(
        acting_user=users["officer_a"], planning_list=plist, person=staff["hong"], title=ct,
        added_on=dt.date(2024, 6, 1), decision="15-QĐ/HU",
    )  # fmt: skip
    gone = services.planning_entry_add(
        acting_user=users["officer_a"], planning_list=plist, person=staff["an"], title=ct,
        added_on=dt.date(2024, 6, 1),
    )  # fmt: skip
    services.planning_entry_remove(
        acting_user=users["officer_a"], entry=gone, removed_on=dt.date(2024, 9, 1), reason="Chuyển công tác"
    )
    return plist


def test_planning_list_word_and_excel(users: dict, planned: Any) -> None:
    c = client_for(users["officer_a"])
    page = c.get(f"/quy-hoach/{planned.pk}/", {"ngay": "31/12/2024"}).content.decode()
    assert f"/bao-cao/quy-hoach/{planned.pk}/danh-sach.docx?ngay=31/12/2024" in page
    r = c.get(f"/bao-cao/quy-hoach/{planned.pk}/danh-sach.docx", {"ngay": "31/12/2024"})
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.content))
    width, height = doc.sections[0].page_width, doc.sections[0].page_height
    assert width is not None and height is not None and width > height
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "DANH SÁCH QUY HOẠCH" in text and "31/12/2024" in text
    issuer, national = official_header(doc)  # the NĐ 30/2020 header of the list's unit
    assert issuer[-2] == planned.unit.name.upper() and national[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert "Lò Văn An – Chủ tịch UBND huyện: đưa ra từ 01/09/2024; lý do: Chuyển công tác" in text
    rows = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    line = next(r for r in rows if r[1] == "Nguyễn Thị Hồng")
    assert line[2] == "17/05/1980" and line[3] == "Nữ" and line[4] == "Kinh"
    assert line[5].startswith("Trưởng phòng, Phòng Nội vụ huyện A")
    assert line[6].startswith("Thạc sĩ") and line[7].startswith("Cao cấp") and line[9] == "03/03/2010"
    assert line[10] == "Chủ tịch UBND huyện" and "QĐ 15-QĐ/HU" in line[11]
    structure = [[c.text for c in row.cells] for row in doc.tables[2].rows]
    assert ["Nữ", "1/1", "100,0%"] in structure and ["Từ 41 đến 50 tuổi", "1/1", "100,0%"] in structure
    r = c.get(f"/bao-cao/quy-hoach/{planned.pk}/danh-sach.xlsx", {"ngay": "31/12/2024"})
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    values = [[v for v in row if v is not None] for row in ws.iter_rows(values_only=True)]
    assert any("Nguyễn Thị Hồng" in row for row in values)
    assert ws.page_setup.paperSize == 9
    planning_reads = AccessLog.objects.filter(kind=AccessLog.Kind.DOCUMENT).order_by("pk")
    assert list(planning_reads.values_list("detail__document", "detail__file_format", "count")) == [
        ("danh_sach_quy_hoach", "docx", 1),
        ("danh_sach_quy_hoach", "xlsx", 1),
    ]


def test_planning_list_of_another_subtree_is_404(users: dict, planned: Any) -> None:
    r = client_for(users["officer_b"]).get(f"/bao-cao/quy-hoach/{planned.pk}/danh-sach.docx")
    assert r.status_code == 404
    assert not AccessLog.objects.exists()


def test_statistics_command_writes_the_workbook(
    users: dict, staff: dict, tree: dict, tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "bc.xlsx"
    call_command(
        "documents",
        "statistics",
        "--unit",
        "A",
        "--as-of",
        "2024-12-31",
        "--output",
        str(out),
        "--user",
        "officer_a",
    )
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    total = next(row for row in ws.iter_rows(values_only=True) if row[1] == "Tổng cộng")
    assert total[2] == 5
    assert "5 người" in capsys.readouterr().out
    assert AccessLog.objects.filter(kind=AccessLog.Kind.DOCUMENT).get().detail["as_of"] == "2024-12-31"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--unit", "A", "--as-of", "2024-12-31", "--user", "officer_b"],
            "không có đơn vị mã “A” trong phạm vi",
        ),
        (["--unit", "ZZ", "--as-of", "2024-12-31"], "Không có đơn vị mã “ZZ”"),
        (["--unit", "A", "--as-of", "31/12/2024"], "Ngày báo cáo (--as-of) không hợp lệ"),
        (["--as-of", "2024-12-31"], "Thiếu mã đơn vị"),
        (["--unit", "A", "--as-of", "2024-12-31", "--form", "bm99"], "Không có mẫu báo cáo “bm99”"),
        (["--unit", "A", "--as-of", "2024-12-31", "--khong-co"], "Tham số không hợp lệ"),
    ],
)
def test_statistics_command_refuses_with_exit_1(
    users: dict, tree: dict, tmp_path: Path, capsys: Any, args: list, message: str
) -> None:
    with pytest.raises(SystemExit) as exc:
        call_command("documents", "statistics", *args, "--output", str(tmp_path / "bc.xlsx"))
    assert exc.value.code == 1
    assert message.lower() in capsys.readouterr().err.lower()
    assert not (tmp_path / "bc.xlsx").exists()


def test_statistics_command_without_user_runs_as_the_system(staff: dict, tree: dict, tmp_path: Path) -> None:
    call_command(
        "documents",
        "statistics",
        "--unit",
        "P",
        "--as-of",
        "2024-12-31",
        "--output",
        str(tmp_path / "a.xlsx"),
    )
    read = AccessLog.objects.filter(kind=AccessLog.Kind.DOCUMENT).get()
    assert (
        read.user_id is None and read.count == 5 and read.person_id is None
    )  # both districts; the woman recruited in 2025 not yet
