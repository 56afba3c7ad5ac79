"""The salary sheet of the people's import template ("Diễn biến lương"): good rows become the
salary history and the current fields; a coefficient off the scale, a step beyond the group's
last and two rows on the same day are refused with "Sheet, dòng, cột: …", nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from canbo.conftest import reference_data
from canbo.core.models import ObjectChange
from canbo.imports import engine
from canbo.imports.tests.helpers import PERSON_HEADERS, make_xlsx
from canbo.people.models import Person
from canbo.people.validators import make_personal_id
from canbo.salary.models import SalaryRow

pytestmark = pytest.mark.django_db

P1 = make_personal_id(province_prefix="010", sex="nu", birth_year=1980, serial=917001)
PERSONS = [
    [*PERSON_HEADERS, "Ngày tuyển dụng"],
    [P1, "Nguyễn Thị Hoa", "Nữ", "17/05/1980", "Kinh", "Không", "Công chức", "A1", "01/09/2003"],
]
HEAD = [
    "Số định danh cá nhân",
    "Mã ngạch",
    "Bậc",
    "Hệ số lương",
    "Ngày hưởng",
    "Mốc tính nâng bậc",
    "Số quyết định",
]
GOOD = [
    [P1, "01.003", 1, "2,34", "01/09/2003", "", "12/QĐ-UBND"],
    [P1, "01.003", 2, 2.67, "01/09/2006", "01/09/2006", "15/QĐ-UBND"],
    [P1, "Chuyên viên chính", 1, "4,40", "01/09/2009", "", "20/QĐ-UBND"],
]


@pytest.fixture
def ready(tree: Any) -> dict[str, Any]:
    reference_data()
    return tree


def run(tmp_path: Path, rows: list[list[Any]]) -> Any:
    path = make_xlsx(tmp_path / "luong.xlsx", {"Cán bộ": PERSONS, "Diễn biến lương": [HEAD, *rows]})
    return engine.run_import(path=path, acting_user=None)


def test_good_rows_become_the_history_and_the_current_fields(ready: Any, tmp_path: Path) -> None:
    result = run(tmp_path, GOOD)
    assert result.ok, [str(e) for e in result.errors]
    person = Person.objects.get(personal_id=P1)
    rows = list(SalaryRow.objects.filter(person=person).order_by("from_date"))
    assert [(r.grade.code, r.step, r.coefficient, r.from_date, r.step_since) for r in rows] == [
        ("01.003", 1, Decimal("2.34"), dt.date(2003, 9, 1), dt.date(2003, 9, 1)),
        ("01.003", 2, Decimal("2.67"), dt.date(2006, 9, 1), dt.date(2006, 9, 1)),
        ("01.002", 1, Decimal("4.40"), dt.date(2009, 9, 1), dt.date(2009, 9, 1)),
    ]
    assert (person.grade_code, person.salary_step, person.salary_coefficient) == (
        "01.002",
        1,
        Decimal("4.40"),
    )
    entry = ObjectChange.objects.get(content_type__model="salaryrow", object_id=rows[0].pk)
    assert entry.source == "import" and entry.object_repr == str(rows[0])
    # the same file again: every row matches its record by its day (and the person is unchanged)
    again = run(tmp_path, GOOD)
    assert again.ok and (again.section_rows, again.skipped) == (0, 4)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            [P1, "01.003", 3, "3,10", "01/09/2012", "", ""],
            "Sheet Diễn biến lương, dòng 5, cột D (Hệ số lương): Hệ số 3,10 không đúng: bậc 3 của "
            "Loại A1 có hệ số 3,00.",
        ),
        (
            [P1, "01.003", 10, "5,31", "01/09/2012", "", ""],
            "Sheet Diễn biến lương, dòng 5, cột C (Bậc): Ngạch 01.003 thuộc Loại A1, chỉ có 9 bậc; "
            "không có bậc 10.",
        ),
        (
            [P1, "01.003", 3, "3,00", "01/09/2006", "", ""],
            "Sheet Diễn biến lương, dòng 5, cột E (Ngày hưởng): Trùng thời gian với Diễn biến lương dòng 3: "
            "hai dòng diễn biến lương của cùng một người không được cùng ngày hưởng 01/09/2006.",
        ),
        (
            [P1, "01.999", 3, "3,00", "01/09/2012", "", ""],
            "Sheet Diễn biến lương, dòng 5, cột B (Mã ngạch): Không có ngạch “01.999” trong danh mục ngạch, "
            "chức danh nghề nghiệp (ghi mã ngạch, ví dụ 01.003).",
        ),
    ],
    ids=["coefficient-off-scale", "step-beyond-last", "overlap", "unknown-grade"],
)
def test_a_bad_salary_row_refuses_the_file(ready: Any, tmp_path: Path, row: list[Any], message: str) -> None:
    result = run(tmp_path, [*GOOD, row])
    assert not result.ok
    assert [str(e) for e in result.errors] == [message]
    assert not Person.objects.exists() and not SalaryRow.objects.exists()
    assert not ObjectChange.objects.exists()


def test_template_has_the_salary_sheet() -> None:
    import io

    from openpyxl import load_workbook

    from canbo.imports.workbooks import build_template

    wb = load_workbook(io.BytesIO(build_template()))
    ws = wb["Diễn biến lương"]
    headers = [c.value for c in next(ws.iter_rows(max_row=1))]
    assert headers[:5] == [
        "Số định danh cá nhân",
        "Mã ngạch",
        "Bậc",
        "Hệ số lương",
        "Phụ cấp thâm niên vượt khung (%)",
    ]
    assert "Ngày hưởng" in headers and "Mốc tính nâng bậc" in headers
