"""Batches of résumés (a background task with progress, run here by the immediate backend) and
``./canbo documents 2c``."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from canbo.conftest import kept_person_a, kept_tree, kept_users, new_person
from canbo.core.models import AccessLog
from canbo.documents.models import ResumeBatch
from canbo.documents.services import batch_run
from canbo.documents.tests.conftest import client_for, docx_text, needs_pdf, pdf_text
from canbo.planning.models import PlanningEntry, PlanningList

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def planning(tree: dict, changed: Any, person_a: Any, title: Any) -> PlanningList:
    pl = PlanningList.objects.create(
        name="Quy hoạch lãnh đạo huyện A", unit=tree["A"], kind="lanh_dao", term_start=2020, term_end=2025
    )
    for p in (changed, person_a):
        PlanningEntry.objects.create(planning_list=pl, person=p, title=title, added_on=dt.date(2020, 6, 1))
    outsider = new_person(tree["B"], "Người Huyện B")
    PlanningEntry.objects.create(planning_list=pl, person=outsider, title=title, added_on=dt.date(2020, 6, 1))
    return pl


@override_settings(TASKS=IMMEDIATE)
def test_planning_list_batch_is_a_zip_of_every_reachable_person(
    users: dict, planning: Any, changed: Any, django_capture_on_commit_callbacks: Any
) -> None:
    c = client_for(users["officer_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            "/tai-lieu/so-yeu-ly-lich/goi/?ngay=31/12/2020",
            {"danh_sach_quy_hoach": planning.pk, "mau": "bnv", "dinh_dang": "docx"},
        )
    assert response.status_code == 302
    batch = ResumeBatch.objects.get()
    # The person of district B is outside officer_a's grants: not in the batch at all.
    assert batch.total == 2 and batch.status == ResumeBatch.Status.DONE and batch.done == 2
    page = c.get(f"/tai-lieu/so-yeu-ly-lich/goi/{batch.pk}/").content.decode()
    assert "Đã xong" in page and "2/2" in page
    zipped = c.get(f"/tai-lieu/so-yeu-ly-lich/goi/{batch.pk}/tai/")
    assert zipped.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(zipped.getvalue()))
    names = sorted(n for n in archive.namelist() if n.endswith(".docx"))
    assert len(names) == 2 and "DANH-SACH.txt" in archive.namelist()
    mine = next(n for n in names if "le-van-doi" in n)
    text = docx_text(archive.read(mine))
    assert "Chuyên viên, Phòng Nội vụ huyện A" in text and "Trưởng phòng Tổ chức" not in text
    reads = AccessLog.objects.filter(kind=AccessLog.Kind.DOCUMENT).filter(detail__batch=batch.pk)
    assert reads.filter(detail__action="tao").count() == 2
    assert reads.filter(detail__action="tai").count() == 2
    # Another user never sees someone else's batch.
    assert client_for(users["officer_b"]).get(f"/tai-lieu/so-yeu-ly-lich/goi/{batch.pk}/").status_code == 404


def test_planning_list_batch_before_anyone_entered_says_the_date(users: dict, planning: Any) -> None:
    """Found walking the demo: a 2025–2030 list read as of 2021 is empty, and the batch said the
    people were outside the officer's scope."""
    c = client_for(users["officer_a"])
    url = "/tai-lieu/so-yeu-ly-lich/goi/?ngay=31/12/2019"
    response = c.post(url, {"danh_sach_quy_hoach": planning.pk, "dinh_dang": "docx"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Không có ai trong danh sách tại ngày 31/12/2019" in page and "phạm vi" not in page
    assert not ResumeBatch.objects.exists()


@override_settings(TASKS=IMMEDIATE)
def test_person_list_batch_follows_the_lists_filters(users: dict, changed: Any, person_a: Any) -> None:
    c = client_for(users["officer_a"])
    response = c.post(
        "/tai-lieu/so-yeu-ly-lich/goi/", {"truy_van": "gioi_tinh=nam", "mau": "", "dinh_dang": "docx"}
    )
    assert response.status_code == 302
    batch = ResumeBatch.objects.get()
    assert batch.person_ids == [changed.pk]  # the woman person_a is filtered out


def test_other_subtree_planning_list_is_404(users: dict, planning: Any) -> None:
    response = client_for(users["officer_b"]).post(
        "/tai-lieu/so-yeu-ly-lich/goi/", {"danh_sach_quy_hoach": planning.pk, "dinh_dang": "docx"}
    )
    assert response.status_code in (400, 404)
    assert not ResumeBatch.objects.exists()


@needs_pdf
def test_batch_task_converts_to_pdf_and_keeps_progress(users: dict, changed: Any, person_a: Any) -> None:
    batch = ResumeBatch.objects.create(
        user=users["officer_a"], title="thử", form="", file_format="pdf", as_of=dt.date(2020, 12, 31),
        person_ids=[changed.pk, person_a.pk], total=2,
    )  # fmt: skip
    batch_run(batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.done) == (ResumeBatch.Status.DONE, 2)
    from canbo.documents.services import batch_dir

    archive = zipfile.ZipFile(batch_dir() / batch.result_name)
    pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
    assert len(pdfs) == 2
    assert "LÊ VĂN ĐỔI" in pdf_text(archive.read(next(n for n in pdfs if "le-van-doi" in n)))


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("documents", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_command_writes_the_resume_as_of_a_date(users: dict, changed: Any, tmp_path: Path) -> None:
    target = tmp_path / "2c.docx"
    code, out, _err = _run(
        "2c", "--person", str(changed.pk), "--form", "bnv", "--format", "docx", "--as-of", "2020-12-31",
        "--output", str(target), "--user", "officer_a",
    )  # fmt: skip
    assert code == 0 and "Đã ghi" in out and "nhóm máu" in out
    text = docx_text(target.read_bytes())
    assert "Chuyên viên, Phòng Nội vụ huyện A" in text and "3,00" in text
    by_personal_id = tmp_path / "b.docx"
    assert _run("2c", "--person", changed.personal_id, "--output", str(by_personal_id))[0] == 0
    assert AccessLog.objects.filter(kind=AccessLog.Kind.DOCUMENT).count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "officer_b"], "ngoài phạm vi"),
        (["--user", "khong_co_ai"], "Không có người dùng"),
        (["--form", "abc"], "Mẫu không hợp lệ"),
        (["--format", "odt"], "Định dạng không hợp lệ"),
        (["--as-of", "2020-13-01"], "--as-of"),
        (["--person", "abc"], "--person"),
    ],
)
def test_command_refusals_exit_1_in_vietnamese(
    users: dict, changed: Any, tmp_path: Path, args: list[str], message: str
) -> None:
    base = {"--person": str(changed.pk), "--output": str(tmp_path / "x.docx")}
    base.update(zip(args[::2], args[1::2], strict=True))
    code, _out, err = _run("2c", *[x for pair in base.items() for x in pair])
    assert code == 1 and message in err
    assert not (tmp_path / "x.docx").exists()
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.DOCUMENT).exists()


def test_command_without_a_subcommand_exits_1(users: dict, capsys: Any) -> None:
    code, _out, err = _run()
    assert code == 1 and "./canbo documents" in err + capsys.readouterr().err
