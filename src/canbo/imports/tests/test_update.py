"""Importing people who are already there: persons updated, section rows matched by their key
update that record, every change logged with before and after and the import as its reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from canbo.assessment.models import Award, Rating
from canbo.careers.models import Tenure
from canbo.conftest import reference_data
from canbo.core.models import ObjectChange
from canbo.imports import apply, engine
from canbo.imports.apply import file_sha256
from canbo.imports.tests.helpers import PERSON_HEADERS, make_xlsx
from canbo.imports.tests.test_engine import P1, P2, good_book, pid
from canbo.people.models import Person, Qualification

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(tree: Any, title: Any) -> dict[str, Any]:
    reference_data()
    return tree


def changed_book(tmp_path: Path) -> Path:
    return make_xlsx(
        tmp_path / "cap-nhat.xlsx",
        {
            "Cán bộ": [
                ["Số định danh cá nhân", "Họ và tên", "Quê quán"],
                [P1, "Nguyễn Thị Hoa Mai", "Xã Võ Lao, huyện Văn Bàn"],
            ],
            "Trình độ": [  # same key (kind, level, date), another school
                ["Số định danh cá nhân", "Loại trình độ", "Trình độ", "Cơ sở đào tạo", "Ngày cấp bằng"],
                [P1, "", "ThS", "Trường Đại học Luật Hà Nội", "06/2012"],
            ],
            "Chức vụ": [  # same key (unit, title, start): the tenure has ended
                ["Số định danh cá nhân", "Đơn vị", "Chức danh", "Hình thức", "Từ ngày", "Đến hết ngày"],
                [P1, "A1", "Trưởng phòng", "Bổ nhiệm", "01/08/2020", "12/2023"],
            ],
            "Đánh giá": [
                ["Số định danh cá nhân", "Hệ thống", "Năm", "Mức xếp loại"],
                [P1, "Chính quyền", 2024, "HTXSNV"],  # same key, another level
                [P1, "Chính quyền", 2025, "HTNV"],  # new
            ],
        },
    )


def test_reimporting_the_same_file_changes_nothing(ready: Any, tmp_path: Path) -> None:
    path = good_book(tmp_path)
    assert engine.run_import(path=path, acting_user=None).ok
    logged = ObjectChange.objects.count()
    again = engine.run_import(path=path, acting_user=None)
    assert again.ok, [str(e) for e in again.errors]
    assert (again.created, again.updated, again.section_rows, again.section_updates, again.skipped) == (
        0,
        0,
        0,
        0,
        8,
    )
    assert ObjectChange.objects.count() == logged


def test_changed_persons_and_matched_sections_are_updated_with_history(ready: Any, tmp_path: Path) -> None:
    assert engine.run_import(path=good_book(tmp_path), acting_user=None).ok
    hoa = Person.objects.get(personal_id=P1)
    tenure = Tenure.objects.get(person=hoa)
    rating = Rating.objects.get(person=hoa)
    path = changed_book(tmp_path)

    check = engine.run_import(path=path, acting_user=None, dry_run=True)
    assert check.ok and (check.updated, check.section_rows, check.section_updates) == (1, 1, 3)
    assert Tenure.objects.get(pk=tenure.pk).end_date is None  # a dry run writes nothing

    result = engine.run_import(path=path, acting_user=None)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated, result.section_rows, result.section_updates, result.skipped) == (
        0,
        1,
        1,
        3,
        0,
    )
    hoa.refresh_from_db()
    assert hoa.full_name == "Nguyễn Thị Hoa Mai" and hoa.given_name == "Mai"
    assert hoa.home_town_text == "Xã Võ Lao, huyện Văn Bàn" and hoa.row_version == 2
    tenure.refresh_from_db()
    assert tenure.end_date == dt.date(2023, 12, 31) and tenure.row_version == 2
    rating.refresh_from_db()
    assert rating.level == "htxs"
    assert Rating.objects.filter(person=hoa).count() == 2  # the 2025 rating added, none replaced
    ths = Qualification.objects.get(person=hoa, level="thac_si")
    assert ths.institution == "Trường Đại học Luật Hà Nội"
    assert Qualification.objects.filter(person=hoa).count() == 2  # the other one untouched

    reason = f"Nhập từ tệp cap-nhat.xlsx ({file_sha256(path)[:12]})"
    updates = ObjectChange.objects.filter(reason=reason, action="update")
    assert updates.count() == 4
    for entry in updates:
        model = entry.content_type.model_class()
        assert model is not None
        record: Any = model._default_manager.get(pk=entry.object_id)
        assert entry.postchange_data == record.snapshot()
        assert entry.object_repr == str(record)
        assert entry.related_person_id == hoa.pk and entry.source == "import"
    before = updates.get(object_id=tenure.pk, content_type__model="tenure").prechange_data or {}
    assert before["end_date"] is None
    person_change = updates.get(object_id=hoa.pk, content_type__model="person")
    assert (person_change.prechange_data or {})["full_name"] == "Nguyễn Thị Hoa"
    assert (person_change.postchange_data or {})["full_name"] == "Nguyễn Thị Hoa Mai"
    assert ObjectChange.objects.filter(reason=reason, action="create").count() == 1


def test_a_key_shared_by_several_records_is_skipped(ready: Any, tmp_path: Path) -> None:
    assert engine.run_import(path=good_book(tmp_path), acting_user=None).ok
    hoa = Person.objects.get(personal_id=P1)
    first = Award.objects.get(person=hoa)
    Award.objects.create(person=hoa, form=first.form, year=first.year, decision_number="")
    path = make_xlsx(
        tmp_path / "kt.xlsx",
        {
            "Khen thưởng": [
                ["Số định danh cá nhân", "Hình thức khen thưởng", "Năm", "Thành tích"],
                [P1, "Bằng khen của Chủ tịch UBND tỉnh", 2022, "Hoàn thành xuất sắc"],
            ]
        },
    )
    result = engine.run_import(path=path, acting_user=None)
    assert result.ok and (result.section_updates, result.section_rows, result.skipped) == (0, 0, 1)
    assert not Award.objects.filter(person=hoa).exclude(achievement="").exists()


def test_a_section_record_changed_meanwhile_stops_the_import(
    ready: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    assert engine.run_import(path=good_book(tmp_path), acting_user=None).ok
    tenure = Tenure.objects.get(person__personal_id=P1)
    original = apply.Writer.write_persons

    def someone_edits_first(self: Any) -> None:  # between the validation and the write
        Tenure.objects.filter(pk=tenure.pk).update(row_version=tenure.row_version + 1)
        original(self)

    monkeypatch.setattr(apply.Writer, "write_persons", someone_edits_first)
    logged = ObjectChange.objects.count()
    result = engine.run_import(path=changed_book(tmp_path), acting_user=None)
    assert not result.ok
    assert any("vừa được người khác sửa" in str(e) and e.sheet == "Chức vụ" for e in result.errors)
    assert Person.objects.get(personal_id=P1).full_name == "Nguyễn Thị Hoa"  # rolled back
    assert ObjectChange.objects.count() == logged
    assert Person.objects.get(personal_id=P2).row_version == 1


def many_book(tmp_path: Path, name: str, serials: range, *, changed: bool) -> Path:
    """Persons with a tenure and a rating each; ``changed``: every person's name and home town,
    every other tenure's end date and every third rating's level differ."""
    people: list[list[Any]] = [[*PERSON_HEADERS, "Quê quán"]]
    tenures: list[list[Any]] = [
        ["Số định danh cá nhân", "Đơn vị", "Chức danh", "Hình thức", "Từ ngày", "Đến hết ngày"]
    ]
    ratings: list[list[Any]] = [["Số định danh cá nhân", "Hệ thống", "Năm", "Mức xếp loại"]]
    for n in serials:
        p = pid("nam", 1970 + n % 20, 100 + n)
        full = f"Trần Văn Số{n}" + (" Mới" if changed else "")
        town = f"Xã {n}" + (", huyện Mới" if changed else "")
        people.append([p, full, "Nam", f"01/01/{1970 + n % 20}", "Kinh", "Không", "Công chức", "A1", town])
        end = f"31/12/{2021 + n % 3}" if changed and n % 2 else None
        tenures.append([p, "A1", "Trưởng phòng", "Bổ nhiệm", "01/08/2020", end])
        level = "HTXSNV" if changed and n % 3 == 0 else "HTTNV"
        ratings.append([p, "Chính quyền", 2024, level])
    return make_xlsx(tmp_path / name, {"Cán bộ": people, "Chức vụ": tenures, "Đánh giá": ratings})


def snapshots(model: Any) -> dict[int, tuple[dict[str, Any], str]]:
    return {r.pk: (r.snapshot(), str(r)) for r in model._default_manager.all()}


def test_updates_in_several_batches_log_exact_before_and_after(
    ready: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """Records read a few at a time and written in batches spanning several reads: every change
    is written once, and its entry holds the stored record before and after and its name."""
    from canbo.imports import validate

    monkeypatch.setattr(validate, "CHUNK", 2)
    monkeypatch.setattr(apply, "CHUNK", 2)
    monkeypatch.setattr(apply, "UPDATE_BATCH", 3)
    assert engine.run_import(path=many_book(tmp_path, "a.xlsx", range(7), changed=False), acting_user=None).ok
    before: dict[Any, Any] = {m: snapshots(m) for m in (Person, Tenure, Rating)}
    result = engine.run_import(path=many_book(tmp_path, "b.xlsx", range(7), changed=True), acting_user=None)
    assert result.ok, [str(e) for e in result.errors]
    # 7 persons; tenures of n = 1, 3, 5; ratings of n = 0, 3, 6
    assert (result.updated, result.section_updates, result.section_rows, result.skipped) == (7, 6, 0, 8)
    after: dict[Any, Any] = {m: snapshots(m) for m in (Person, Tenure, Rating)}
    entries = ObjectChange.objects.filter(action="update")
    assert entries.count() == 13
    for entry in entries:
        model = entry.content_type.model_class()
        assert entry.prechange_data == before[model][entry.object_id][0]
        assert entry.postchange_data == after[model][entry.object_id][0]
        assert entry.object_repr == after[model][entry.object_id][1]
    versions = {m: sorted(r.row_version for r in m._default_manager.all()) for m in (Person, Tenure, Rating)}
    assert versions == {Person: [2] * 7, Tenure: [1, 1, 1, 1, 2, 2, 2], Rating: [1, 1, 1, 1, 2, 2, 2]}
    assert {p.full_name for p in Person.objects.all()} == {f"Trần Văn Số{n} Mới" for n in range(7)}


def test_reimport_queries_do_not_grow_with_the_records(ready: Any, tmp_path: Path) -> None:
    """Matching, validating and writing changed records reads in chunks, not per record (a unit
    or title read lazily for each record's ``clean()`` or ``str()`` would show here)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for serials in (range(0, 3), range(10, 22)):
        assert engine.run_import(
            path=many_book(tmp_path, "a.xlsx", serials, changed=False), acting_user=None
        ).ok
        with CaptureQueriesContext(connection) as queries:
            result = engine.run_import(
                path=many_book(tmp_path, "b.xlsx", serials, changed=True), acting_user=None
            )
        assert result.ok and result.updated == len(serials) and result.section_updates > len(serials) // 2
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_sqlite_page_cache_is_larger_during_an_import_only(
    ready: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")

    def cache_size() -> int:
        with connection.cursor() as cur:
            cur.execute("PRAGMA cache_size")
            return int(cur.fetchone()[0])

    seen: list[int] = []
    original = apply.validate

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(cache_size())
        return original(*args, **kwargs)

    monkeypatch.setattr(apply, "validate", spy)
    before = cache_size()
    assert engine.run_import(path=good_book(tmp_path), acting_user=None).ok
    assert seen == [-apply.SQLITE_CACHE_KIB] and cache_size() == before != seen[0]


def test_only_changed_person_columns_are_written(ready: Any, tmp_path: Path) -> None:
    """A person row repeating stored values (here every cell but the home town) writes only the
    changed column; the log entry's before and after differ in that field alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert engine.run_import(path=many_book(tmp_path, "a.xlsx", range(2), changed=False), acting_user=None).ok
    people = [[*PERSON_HEADERS, "Quê quán"]]
    for n in range(2):
        born = 1970 + n
        town = "Xã Mới" if n else f"Xã {n}"  # only the second person's home town changes
        people.append([pid("nam", born, 100 + n), f"Trần Văn Số{n}", "Nam", f"01/01/{born}", "Kinh", "Không",
                       "Công chức", "A1", town])  # fmt: skip
    path = make_xlsx(tmp_path / "b.xlsx", {"Cán bộ": people})
    with CaptureQueriesContext(connection) as queries:
        result = engine.run_import(path=path, acting_user=None)
    assert result.ok and result.updated == 1
    updates = [q["sql"] for q in queries if 'UPDATE "people_person"' in q["sql"]]
    assert len(updates) == 1 and '"home_town_text"' in updates[0]
    assert '"sex"' not in updates[0] and '"full_name"' not in updates[0] and '"birth_date"' not in updates[0]
    entry = ObjectChange.objects.get(action="update")
    before, after = entry.prechange_data or {}, entry.postchange_data or {}
    assert {k for k in after if after[k] != before[k]} == {"home_town_text"}


def test_a_row_repeating_a_key_of_an_earlier_sheet_is_skipped(ready: Any, tmp_path: Path) -> None:
    """Section sheets are matched one after the other: a second sheet of ratings repeating a
    rating of the first (and one the person already has) adds only the new one."""
    assert engine.run_import(path=good_book(tmp_path), acting_user=None).ok  # P1 rated 2024
    header = ["Số định danh cá nhân", "Hệ thống", "Năm", "Mức xếp loại"]
    path = make_xlsx(
        tmp_path / "dg.xlsx",
        {
            "Đánh giá": [header, [P1, "Chính quyền", 2025, "HTNV"]],
            "Đánh giá (2)": [
                header,
                [P1, "Chính quyền", 2025, "HTNV"],
                [P1, "Chính quyền", 2024, "HTTNV"],
                [P1, "Chính quyền", 2023, "HTNV"],
            ],
        },
    )
    result = engine.run_import(path=path, acting_user=None)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.section_rows, result.section_updates, result.skipped) == (2, 0, 2)
    assert sorted(Rating.objects.filter(person__personal_id=P1).values_list("year", flat=True)) == [
        2023,
        2024,
        2025,
    ]


def test_a_failure_of_a_batch_update_rolls_everything_back(
    ready: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """A person UPDATE that fails after writing: the import reports it and writes nothing
    (persons, sections, log)."""
    from django.db import IntegrityError

    from canbo.core.bulkwrite import BulkWriter

    assert engine.run_import(path=good_book(tmp_path), acting_user=None).ok
    logged = ObjectChange.objects.count()
    original = BulkWriter.update

    def failing(self: Any, model: Any, records: Any, fields: Any, **kw: Any) -> None:
        original(self, model, records, fields, **kw)
        if model is Person:  # written, then the statement "fails"
            raise IntegrityError("trùng số định danh")

    monkeypatch.setattr(BulkWriter, "update", failing)
    result = engine.run_import(path=changed_book(tmp_path), acting_user=None)
    assert not result.ok and "Chưa ghi gì" in str(result.errors[0])
    assert Person.objects.get(personal_id=P1).full_name == "Nguyễn Thị Hoa"
    assert Tenure.objects.get(person__personal_id=P1).end_date is None
    assert ObjectChange.objects.count() == logged


def name_word_rows() -> set[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT word, part, sort_key, person_id, search_name, unit_id FROM people_person_name_word"
        )
        return set(cur.fetchall())


def expected_name_word_rows() -> set[tuple[Any, ...]]:
    """The entries the triggers give: word i of n gets the place 10 × min(i, 3) + min(n − i + 1, 3)."""
    rows = set()
    for p in Person.objects.all():
        words = p.search_name.split(" ")
        for i, word in enumerate(words, 1):
            if word:
                part = 10 * min(i, 3) + min(len(words) - i + 1, 3)
                rows.add((word, part, p.sort_key, p.pk, p.search_name, p.managing_unit_id))
    return rows


def test_renamed_and_moved_persons_keep_their_name_words(ready: Any, tmp_path: Path) -> None:
    """An import renaming some persons and moving others leaves the name-word table as the
    triggers would (on PostgreSQL the import rewrites those entries itself, the trigger deferred
    for its statement), and the trigger follows later edits again."""
    from canbo.people.services import person_update

    def book(name: str, changed: bool) -> Path:
        people: list[list[Any]] = [PERSON_HEADERS]
        for n in range(6):
            full = f"Trần Văn Số{n}" + (" Mới" if changed and n % 3 == 0 else "")
            unit = "B" if changed and n % 3 == 1 else "A1"
            people.append([pid("nam", 1970 + n, 100 + n), full, "Nam", f"01/01/{1970 + n}", "Kinh", "Không",
                           "Công chức", unit])  # fmt: skip
        return make_xlsx(tmp_path / name, {"Cán bộ": people})

    assert engine.run_import(path=book("a.xlsx", changed=False), acting_user=None).ok
    first = name_word_rows()
    assert first == expected_name_word_rows() and len(first) == 18
    result = engine.run_import(path=book("b.xlsx", changed=True), acting_user=None)
    assert result.ok and result.updated == 4, [str(e) for e in result.errors]
    after = name_word_rows()
    assert after == expected_name_word_rows()
    assert {r[0] for r in after} - {r[0] for r in first} == {"moi"}  # 2 renamed: a fourth word
    assert len(after - first) == 2 * 4 + 2 * 3  # 2 renamed, 2 moved; the 2 others untouched
    moved = Person.objects.get(personal_id=pid("nam", 1971, 101))
    person_update(acting_user=None, person=moved, changes={"full_name": "Lò Thị Sửa"})
    assert name_word_rows() == expected_name_word_rows()
    assert ("lo", 13, moved.sort_key, moved.pk, "lo thi sua", ready["B"].pk) in name_word_rows()
