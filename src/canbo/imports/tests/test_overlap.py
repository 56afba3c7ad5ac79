"""PostgreSQL: the persons of a checked person sheet are written by a second connection while the
section sheets are checked (``apply._EarlyWrite``), then committed with the section rows or
rolled back with them. On SQLite the same imports run one step after the other.

These tests are transactional: the import's second connection must see the units and titles,
which a test transaction left open would hide from it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.models import F

from canbo.careers.models import Tenure
from canbo.conftest import reference_data
from canbo.core.models import ObjectChange
from canbo.imports import apply, engine, validate
from canbo.imports.tests.helpers import make_xlsx
from canbo.imports.tests.test_engine import P1, P2, good_book
from canbo.imports.tests.test_update import changed_book
from canbo.people.models import Person

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 60  # seconds; only a broken overlap would wait this long


@pytest.fixture
def ready(tree: Any, title: Any) -> dict[str, Any]:
    reference_data()
    return tree


def early() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def watch(monkeypatch: Any) -> dict[str, Any]:
    """Records which thread wrote the persons, and whether they were written before the first
    section sheet's rows were matched (the check waits for them on PostgreSQL)."""
    seen: dict[str, Any] = {"threads": [], "written_first": []}
    written = threading.Event()
    write_persons = apply.Writer.write_persons
    check = validate.Validator.check_section_persons

    def spy_write(self: Any) -> None:
        seen["threads"].append(threading.current_thread().name)
        write_persons(self)
        written.set()

    def spy_check(self: Any, sections: Any) -> Any:
        if not seen["written_first"]:
            seen["written_first"].append(written.wait(WAIT) if early() else written.is_set())
        return check(self, sections)

    monkeypatch.setattr(apply.Writer, "write_persons", spy_write)
    monkeypatch.setattr(validate.Validator, "check_section_persons", spy_check)
    return seen


def test_persons_written_while_the_sections_are_checked_are_committed_with_them(
    ready: Any, tmp_path: Path, watch: dict[str, Any]
) -> None:
    assert engine.run_import(path=good_book(tmp_path), acting_user=None).ok
    hoa = Person.objects.get(personal_id=P1)
    result = engine.run_import(path=changed_book(tmp_path), acting_user=None)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.updated, result.section_rows, result.section_updates) == (1, 1, 3)
    writer = "canbo-import-persons" if early() else threading.current_thread().name
    assert watch["threads"] == [writer, writer]
    assert watch["written_first"] == [early()]
    hoa.refresh_from_db()
    assert hoa.full_name == "Nguyễn Thị Hoa Mai" and hoa.row_version == 2
    assert Tenure.objects.get(person=hoa).end_date is not None
    entries = ObjectChange.objects.filter(action="update", reason__startswith="Nhập từ tệp cap-nhat.xlsx")
    assert entries.count() == 4 and {e.source for e in entries} == {"import"}
    assert not [t for t in threading.enumerate() if t.name == "canbo-import-persons"]


def test_an_error_in_a_section_sheet_undoes_the_persons_written_meanwhile(
    ready: Any, tmp_path: Path, watch: dict[str, Any]
) -> None:
    assert engine.run_import(path=good_book(tmp_path), acting_user=None).ok
    logged = ObjectChange.objects.count()
    names = sorted(Person.objects.values_list("full_name", flat=True))
    path = make_xlsx(
        tmp_path / "loi.xlsx",
        {
            "Cán bộ": [
                ["Số định danh cá nhân", "Họ và tên"],
                [P1, "Nguyễn Thị Hoa Mai"],
                [P2, "Lò Văn Bình An"],
            ],
            "Đánh giá": [
                ["Số định danh cá nhân", "Hệ thống", "Năm", "Mức xếp loại"],
                [P1, "Chính quyền", 2025, "HTNV"],
                [P2, "Chính quyền", 2025, "Giỏi lắm"],
            ],
        },
    )
    result = engine.run_import(path=path, acting_user=None)
    assert not result.ok
    assert [(e.sheet, e.row) for e in result.errors] == [("Đánh giá", 3)]
    assert watch["written_first"] == [early()]  # written, then rolled back
    assert sorted(Person.objects.values_list("full_name", flat=True)) == names
    assert ObjectChange.objects.count() == logged


def test_a_person_changed_meanwhile_stops_the_early_write(
    ready: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """The writer's own checks (versions, grants) still stop the whole import."""
    assert engine.run_import(path=good_book(tmp_path), acting_user=None).ok
    logged = ObjectChange.objects.count()
    write_persons = apply.Writer.write_persons

    def someone_edits_first(self: Any) -> None:
        Person.objects.filter(personal_id=P1).update(row_version=F("row_version") + 1)
        write_persons(self)

    monkeypatch.setattr(apply.Writer, "write_persons", someone_edits_first)
    result = engine.run_import(path=changed_book(tmp_path), acting_user=None)
    assert not result.ok and "vừa được người khác sửa" in str(result.errors[0])
    hoa = Person.objects.get(personal_id=P1)
    assert hoa.full_name == "Nguyễn Thị Hoa" and hoa.row_version == 1  # the edit undone too
    assert ObjectChange.objects.count() == logged


def test_a_file_refused_after_its_person_sheet_writes_nothing(
    ready: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    assert engine.run_import(path=good_book(tmp_path), acting_user=None).ok
    logged = ObjectChange.objects.count()

    def refused(self: Any, sections: Any) -> Any:
        raise engine.RefusedFile("Tệp có quá nhiều dòng dữ liệu; hãy chia nhỏ.")

    monkeypatch.setattr(validate.Validator, "check_section_persons", refused)
    with pytest.raises(engine.RefusedFile):
        engine.run_import(path=changed_book(tmp_path), acting_user=None)
    assert Person.objects.get(personal_id=P1).full_name == "Nguyễn Thị Hoa"
    assert ObjectChange.objects.count() == logged
    assert not [t for t in threading.enumerate() if t.name == "canbo-import-persons"]
