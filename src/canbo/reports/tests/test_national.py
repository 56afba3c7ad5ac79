"""National database: the person's document in 10 groups against the published JSON Schema, the
API's scope and sensitive groups, the change-feed export and the 3-working-day deadline."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.core.management import call_command
from django.utils import timezone

from canbo.accounts.models import Grant, Role
from canbo.assessment.models import Award
from canbo.core.models import AccessLog, ObjectChange
from canbo.people.models import FamilyRelation, Person
from canbo.people.services import section_create
from canbo.reports import national
from canbo.reports.models import ExportedEvent, NationalExport
from canbo.reports.tests.conftest import client_for

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def _validate(doc: dict) -> None:
    jsonschema.Draft202012Validator(
        national.schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(doc)


def test_shipped_schema_is_the_models_schema() -> None:
    assert national.schema() == national.build_schema(), "run national.write_schema() and commit the file"
    jsonschema.Draft202012Validator.check_schema(national.schema())


def test_document_has_the_10_groups_and_validates(users: dict, staff: dict) -> None:
    hong = staff["hong"]
    section_create(
        acting_user=None,
        person=hong,
        instance=FamilyRelation(relation="me", full_name="Lê Thị Mẹ"),
        reason="x",
    )
    Person.objects.filter(pk=hong.pk).update(
        identity_issue_date=dt.date(2021, 5, 4), social_insurance_number="0123456789"
    )
    r = client_for(users["officer_a"]).get(f"/api/national/persons/{hong.personal_id}/")
    assert r.status_code == 200
    doc = r.json()
    _validate(doc)
    assert len(doc["groups"]) == 10 and doc["withheld"] == []
    g = doc["groups"]
    assert g["thong_tin_co_ban"]["full_name"] == "Nguyễn Thị Hồng" and g["thong_tin_co_ban"]["sex"] == "Nữ"
    assert g["thong_tin_co_ban"]["identity_issue_date"] == "2021-05-04"
    assert g["cong_tac"]["social_insurance_number"] == "0123456789"
    assert [q["level"] for q in g["dao_tao_boi_duong"]["trinh_do"]] == ["thac_si", "dai_hoc", "cao_cap"]
    assert g["cong_tac"]["dien_bien_luong"][0]["grade"] == "Chuyên viên chính"
    assert g["quan_he_gia_dinh"]["gia_dinh"][0]["full_name"] == "Lê Thị Mẹ"
    assert g["to_chuc_chinh_tri_xa_hoi"]["dang_tich"][0]["admission_date"] == "2010-03-03"
    read = AccessLog.objects.filter(kind=AccessLog.Kind.DOCUMENT).get()
    assert (read.user_id, read.detail["document"], read.person_id) == (
        users["officer_a"].pk,
        "csdl_quoc_gia",
        hong.pk,
    )
    # One read log (core.AccessLog): the read of a person's whole record is a sensitive one.
    assert read.person_name == "Nguyễn Thị Hồng" and read.detail["action"] == "tai" and read.sensitive


def test_sensitive_groups_are_withheld_without_the_grant(users: dict, staff: dict) -> None:
    r = client_for(users["leader_a"]).get(f"/api/national/persons/{staff['hong'].personal_id}/")
    assert r.status_code == 200
    doc = r.json()
    _validate(doc)
    assert doc["groups"]["quan_he_gia_dinh"] is None and doc["groups"]["tai_san_thu_nhap"] is None
    assert "Quan hệ gia đình" in doc["withheld"]


def test_api_scope_and_bad_id(users: dict, staff: dict) -> None:
    c = client_for(users["officer_b"])
    r = c.get(f"/api/national/persons/{staff['hong'].personal_id}/")
    assert r.status_code == 404  # another subtree: as a missing one
    assert c.get(f"/api/national/persons/{staff['khac'].personal_id}/").status_code == 200
    r = c.get("/api/national/persons/12ab/")
    assert r.status_code == 400 and "12 chữ số" in r.content.decode()
    assert (
        client_for(users["nogrant"]).get(f"/api/national/persons/{staff['khac'].personal_id}/").status_code
        == 404
    )
    assert c.get("/api/national/schema.json").json()["$id"] == national.SCHEMA_ID


def test_export_writes_changed_documents_and_keeps_event_times(
    users: dict, staff: dict, tmp_path: Path, capsys: Any
) -> None:
    start = timezone.now()
    ObjectChange.objects.update(time=start - dt.timedelta(days=10))
    section_create(
        acting_user=None, person=staff["an"], instance=Award(form="Bằng khen", year=2026), reason="QĐ 1"
    )
    Person.objects.filter(pk=staff["cu"].pk).update(personal_id="")
    section_create(
        acting_user=None, person=staff["cu"], instance=Award(form="Giấy khen", year=2026), reason="QĐ 2"
    )
    out = tmp_path / "xuat"
    call_command(
        "national",
        "export",
        "--since",
        f"{start:%Y-%m-%dT%H:%M}",
        "--output",
        str(out),
        "--user",
        "officer_a",
    )
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted([f"{staff['an'].personal_id}.json", "manifest.json"])
    doc = json.loads((out / f"{staff['an'].personal_id}.json").read_text())
    _validate(doc)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["skipped_without_personal_id"] == [staff["cu"].pk]
    run = NationalExport.objects.get()
    assert (run.document_count, run.skipped_count, run.user_id) == (1, 1, users["officer_a"].pk)
    award_change = ObjectChange.objects.filter(
        related_person_id=staff["an"].pk, object_repr__contains="Bằng khen"
    ).get()
    assert ExportedEvent.objects.get(change=award_change).exported_at == run.exported_at
    assert "Đã xuất 1 hồ sơ" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-13-01T00:00", "--output", "x"], "Thời điểm (--since) không hợp lệ"),
        (["--since", "2026-12-01", "--output", "x"], "YYYY-MM-DDTHH:MM"),
        (["--since", "2026-12-01T00:00"], "Thiếu thư mục"),
        (["--since", "2026-12-01T00:00", "--output", "x", "--user", "khong_co"], "Không có tài khoản"),
        (["--bogus"], "Tham số không hợp lệ"),
    ],
)
def test_export_bad_arguments_exit_1_in_vietnamese(db: Any, args: list, message: str, capsys: Any) -> None:
    with pytest.raises(SystemExit) as exc:
        call_command("national", "export", *args)
    assert exc.value.code == 1
    assert message in capsys.readouterr().err


def _event(person: Person, when: dt.datetime, form: str) -> ObjectChange:
    section_create(acting_user=None, person=person, instance=Award(form=form, year=2026), reason="QĐ")
    change = ObjectChange.objects.filter(related_person_id=person.pk, object_repr__contains=form).latest("pk")
    ObjectChange.objects.filter(pk=change.pk).update(time=when)
    return change


def _at(y: int, m: int, d: int, h: int = 9) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=TZ)


def test_overdue_events_count_working_days_with_holidays(users: dict, staff: dict) -> None:
    an = staff["an"]
    # 31/8/2026 (Monday): 1/9 and 2/9 are holidays, so the 3rd working day is 7/9
    on_time = _event(an, _at(2026, 8, 31), "Khen đúng hạn")
    late = _event(an, _at(2026, 8, 31), "Khen trễ")
    never = _event(an, _at(2026, 9, 10), "Khen chưa xuất")
    recent = _event(an, _at(2026, 9, 17), "Khen mới")  # deadline 22/9
    _event(an, _at(2026, 6, 1), "Khen trước N-3")
    other = _event(staff["khac"], _at(2026, 9, 10), "Khen huyện B")
    run = NationalExport.objects.create(
        since=_at(2026, 8, 1), exported_at=_at(2026, 9, 7, 16), document_count=1, event_count=1
    )
    ExportedEvent.objects.create(change=on_time, export=run, exported_at=_at(2026, 9, 7, 16))
    ExportedEvent.objects.create(change=late, export=run, exported_at=_at(2026, 9, 8, 8))
    items, total, days = national.overdue(users["officer_a"], dt.date(2026, 9, 20))
    found = {i.change.pk: i for i in items}
    assert days == 3 and total == 2
    assert set(found) == {late.pk, never.pk}
    assert found[late.pk].deadline == dt.date(2026, 9, 7) and found[late.pk].exported_at is not None
    assert found[never.pk].deadline == dt.date(2026, 9, 15) and found[never.pk].exported_at is None
    assert recent.pk not in found and other.pk not in found
    # Newest first across the never-exported and the exported-late events; a limit keeps the count.
    assert [i.change.pk for i in items] == [never.pk, late.pk]
    first, total_1, _d = national.overdue(users["officer_a"], dt.date(2026, 9, 20), limit=1)
    assert [i.change.pk for i in first] == [never.pk] and total_1 == 2
    items_b, _total_b, _d = national.overdue(users["officer_b"], dt.date(2026, 9, 20))
    assert {i.change.pk for i in items_b} == {other.pk}


def test_overdue_page_lists_the_events_of_the_scope(users: dict, staff: dict) -> None:
    now = timezone.now()
    _event(staff["an"], now - dt.timedelta(days=30), "Khen quá hạn")
    _event(staff["khac"], now - dt.timedelta(days=30), "Khen huyện B")
    r = client_for(users["officer_a"]).get("/bao-cao/dong-bo/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Khen quá hạn" in html and "Lò Văn An" in html and "Chưa xuất" in html
    assert "Khen huyện B" not in html
    assert client_for(users["nogrant"]).get("/bao-cao/dong-bo/").status_code == 200
    assert "Khen quá hạn" not in client_for(users["nogrant"]).get("/bao-cao/dong-bo/").content.decode()


def test_person_role_reads_his_own_document(users: dict, person_a: Person) -> None:
    r = client_for(users["self_user"]).get(f"/api/national/persons/{person_a.personal_id}/")
    assert r.status_code == 200
    _validate(r.json())
    assert Grant.objects.filter(user=users["self_user"], role=Role.SELF).exists()


def test_export_without_user_runs_as_the_system(staff: dict, tmp_path: Path) -> None:
    call_command("national", "export", "--since", "2000-01-01T00:00", "--output", str(tmp_path))
    run = NationalExport.objects.get()
    assert run.user_id is None and run.document_count == len(staff)
    assert {p.name for p in tmp_path.iterdir()} >= {f"{p.personal_id}.json" for p in staff.values()}


def test_export_flags_late_events_and_the_page_finds_them_by_the_flag(
    users: dict, staff: dict, tmp_path: Path
) -> None:
    """The export decides "late" when it writes (working days, holidays counted), so the overdue
    page reads the late exports by an index; an event exported within its days is not late."""
    now = timezone.now()
    old = _event(staff["an"], now - dt.timedelta(days=30), "Khen cũ")
    fresh = _event(staff["an"], now, "Khen mới")
    national.export(users["officer_a"], now - dt.timedelta(days=40), tmp_path / "xuat")
    flags = dict(ExportedEvent.objects.values_list("change_id", "late"))
    assert flags[old.pk] is True and flags[fresh.pk] is False
    items, total, _days = national.overdue(users["officer_a"], timezone.localdate())
    assert [i.change.pk for i in items] == [old.pk] and total == 1 and items[0].exported_at is not None
    # Another district's officer does not see the event.
    assert national.overdue(users["officer_b"], timezone.localdate())[1] == 0
