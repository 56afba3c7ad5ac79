"""The import command: same errors one per line, exit codes 0 / 1 / 2."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from canbo.conftest import reference_data
from canbo.imports.models import SavedMapping
from canbo.imports.tests.helpers import PERSON_HEADERS, make_xlsx
from canbo.people.models import Person
from canbo.people.validators import make_personal_id

pytestmark = pytest.mark.django_db

PID = make_personal_id(province_prefix="010", sex="nu", birth_year=1980, serial=777)


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_xlsx", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def book(tree: Any, tmp_path: Path) -> Path:
    reference_data()
    return make_xlsx(
        tmp_path / "cb.xlsx",
        {
            "Cán bộ": [
                PERSON_HEADERS,
                [PID, "Nguyễn Thị Hoa", "Nữ", "17/05/1980", "Kinh", "Không", "Công chức", "A1"],
            ]
        },
    )


def test_success_prints_counts(book: Path) -> None:
    code, out, _err = run(str(book))
    assert code == 0
    assert "Đã nhập: 1 hồ sơ mới, 0 hồ sơ cập nhật" in out
    assert Person.objects.filter(personal_id=PID).exists()


def test_dry_run_writes_nothing(book: Path) -> None:
    code, out, _err = run(str(book), "--dry-run")
    assert code == 0 and "chưa ghi gì" in out
    assert not Person.objects.exists()


def test_errors_one_per_line_exit_1(tree: Any, tmp_path: Path) -> None:
    reference_data()
    path = make_xlsx(
        tmp_path / "sai.xlsx",
        {
            "Cán bộ": [
                PERSON_HEADERS,
                [PID, "Nguyễn Thị Hoa", "X", "32/01/1980", "Kinh", "Không", "Công chức", "A1"],
            ]
        },
    )
    code, out, err = run(str(path))
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Sheet Cán bộ, dòng 2, cột C (Giới tính): ")
    assert lines[1] == "Sheet Cán bộ, dòng 2, cột D (Ngày sinh): Ngày không có thật: “32/01/1980”."
    assert "Có 2 lỗi; chưa ghi gì" in err
    assert not Person.objects.exists()


def test_refused_and_bad_arguments_exit_2(tree: Any, tmp_path: Path) -> None:
    text = tmp_path / "ds.xlsx"
    text.write_text("Họ và tên;Ngày sinh\nNguyễn Văn A;1980\n", encoding="utf-8")
    code, _out, err = run(str(text))
    assert code == 2 and "Tệp bị từ chối" in err and "văn bản" in err
    assert run(str(tmp_path / "khong-co.xlsx"))[0] == 2
    code, _out, err = run(str(text), "--mapping", "Không có")
    assert code == 2 and "Không có cách ghép cột" in err
    code, _out, err = run(str(text), "--user", "ai-do")
    assert code == 2 and "Không có người dùng" in err


def test_user_scope_and_saved_mapping(book: Path, users: Any, tmp_path: Path) -> None:
    code, out, _err = run(str(book), "--user", "officer_b")
    assert code == 1 and "nằm ngoài phạm vi" in out
    path = make_xlsx(
        tmp_path / "tinh.xlsx",
        {
            "DS": [
                ["CCCD", "Tên", "GT", "NS", "DT", "Loại", "ĐV"],
                [PID, "Nguyễn Thị Hoa", "nữ", "1980", "Kinh", "CC", "A1"],
            ]
        },
    )
    SavedMapping.objects.create(
        name="Mẫu tỉnh",
        mapping={"_sheets": {"DS": "can_bo"}, "can_bo": {"Tên": "full_name", "GT": "sex", "NS": "birth_date",
                 "DT": "ethnicity", "Loại": "category", "ĐV": "managing_unit"}},
    )  # fmt: skip
    code, out, _err = run(str(path), "--mapping", "Mẫu tỉnh", "--user", "officer_a")
    assert code == 0, out
    assert Person.objects.get(personal_id=PID).birth_precision == "y"
