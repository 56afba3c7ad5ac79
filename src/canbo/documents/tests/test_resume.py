"""The 2C résumé as of a date: Word opened with python-docx and PDF read with pdftotext, checked
against the dossier of that date; scope, sensitive items, the read log, the person role."""

from __future__ import annotations

import base64
import datetime as dt
import io
import subprocess
from typing import Any

import docx
import pytest

from canbo.conftest import kept_person_a, kept_tree, kept_users
from canbo.core.models import AccessLog
from canbo.documents.resume import resume_data
from canbo.documents.services import resume_make
from canbo.documents.tests.conftest import BEFORE, client_for, docx_text, needs_pdf, pdf_text

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

pytestmark = pytest.mark.django_db


def _get(user: Any, person: Any, **query: Any) -> Any:
    return client_for(user).get(f"/tai-lieu/so-yeu-ly-lich/{person.pk}/tai/", query)


def test_word_resume_as_of_a_past_date_shows_that_days_post_unit_salary_and_degree(
    users: dict, changed: Any
) -> None:
    response = _get(users["officer_a"], changed, mau="bnv", dinh_dang="docx", ngay="31/12/2020")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = docx_text(response.content)
    assert "LÊ VĂN ĐỔI" in text  # 1) birth name in capitals
    assert "SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC" in text  # the template's own text
    assert "Chuyên viên, Phòng Nội vụ huyện A" in text  # 12) the post held on 31/12/2020
    assert "Trưởng phòng Tổ chức" not in text  # appointed 1/7/2022: not yet
    assert "3,00" in text and "3,33" not in text  # 14) step 3 in force then, step 4 from 2022
    assert "01/01/2019" in text  # its from-date
    assert "Đại học, Luật" in text and "Thạc sĩ" not in text  # 15.2) the master's came in 2021
    assert "Lê Văn Cha" in text  # 30) family, for a grant with sensitive items
    assert "Em gái ở Nhật Bản" in text  # 29c)
    assert "Không" in text  # 7) religion "Không", 22) no discipline
    assert "31/12/2020" in text
    # A value without history is said to be today's on a past date.
    assert "Các mục ghi theo hồ sơ hiện nay" in text


def test_word_resume_today_shows_the_new_post_unit_salary_and_degree(users: dict, changed: Any) -> None:
    text = docx_text(_get(users["officer_a"], changed, mau="bnv", ngay="hom-nay").content)
    assert "Trưởng phòng Tổ chức, Huyện B" in text
    assert "Chuyên viên, Phòng Nội vụ huyện A" in text  # 28) still in the work summary
    assert "3,33" in text
    assert "Thạc sĩ, Quản lý công" in text


@needs_pdf
def test_pdf_resume_has_the_same_items_and_embedded_fonts(users: dict, changed: Any) -> None:
    content, name, _data = resume_make(
        acting_user=users["officer_a"], person_id=changed.pk, form="bnv", file_format="pdf", day=BEFORE
    )
    assert content.startswith(b"%PDF") and name.endswith(".pdf")
    text = pdf_text(content)
    assert "LÊ VĂN ĐỔI" in text
    assert "Phòng Nội vụ huyện A" in text
    assert "Trưởng phòng Tổ chức" not in text
    assert "3,00" in text and "3,33" not in text
    assert "Thạc sĩ" not in text
    fonts = subprocess.run(["pdffonts", "-"], input=content, capture_output=True, check=False)
    if fonts.returncode != 0:  # older poppler reads no stdin
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(content)
            f.flush()
            fonts = subprocess.run(["pdffonts", f.name], capture_output=True, check=True)
    rows = fonts.stdout.decode().splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), rows  # every font embedded
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=False).stdout.decode()
    assert "A4" in info or not info


def test_every_generation_is_in_the_read_log(users: dict, changed: Any) -> None:
    response = _get(users["officer_a"], changed, mau="tctw", dinh_dang="docx", ngay="31/12/2020")
    read = AccessLog.objects.filter(kind=AccessLog.Kind.DOCUMENT).get()
    assert (read.user, read.person_id, read.detail["form"], read.detail["as_of"]) == (
        users["officer_a"],
        changed.pk,
        "tctw",
        BEFORE.isoformat(),
    )
    assert read.detail["action"] == "tai" and read.detail["file_format"] == "docx" and read.sensitive
    assert read.request_id == response["X-Request-Id"]
    assert read.what == (
        "Tải về sơ yếu lý lịch — Mẫu 2C/TCTW-98 (ngành Tổ chức Đảng), Word, dữ liệu tại ngày 31/12/2020"
    )


def test_the_three_forms_have_their_own_text(users: dict, changed: Any) -> None:
    tctw = docx_text(_get(users["officer_a"], changed, mau="tctw").content)
    vc = docx_text(_get(users["officer_a"], changed, mau="vc").content)
    assert "Mẫu 2C/TCTW-98" in tctw and "Thành phần gia đình xuất thân" in tctw
    assert "SƠ YẾU LÝ LỊCH VIÊN CHỨC" in vc and "Chức danh nghề nghiệp" in vc


def test_other_subtree_is_404_and_nothing_is_logged(users: dict, changed: Any) -> None:
    assert _get(users["officer_b"], changed, mau="bnv").status_code == 404
    assert client_for(users["officer_b"]).get(f"/tai-lieu/so-yeu-ly-lich/{changed.pk}/").status_code == 404
    assert client_for(users["nogrant"]).get(f"/tai-lieu/so-yeu-ly-lich/{changed.pk}/").status_code == 404
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.DOCUMENT).exists()


def test_anonymous_is_sent_to_login(changed: Any) -> None:
    from django.test import Client

    response = Client().get(f"/tai-lieu/so-yeu-ly-lich/{changed.pk}/tai/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_sensitive_items_are_withheld_and_the_document_says_so(users: dict, changed: Any) -> None:
    text = docx_text(_get(users["leader_a"], changed, mau="bnv", ngay="31/12/2020").content)
    assert "Lê Văn Cha" not in text and "Nhật Bản" not in text
    assert "Các mục không in vì người in không được xem thông tin nhạy cảm" in text
    assert "30) quan hệ gia đình" in text
    assert "Chuyên viên, Phòng Nội vụ huyện A" in text  # the rest is printed
    read = AccessLog.objects.filter(kind=AccessLog.Kind.DOCUMENT).get()
    assert read.detail["withheld"].startswith("29) đặc điểm lịch sử bản thân") and not read.sensitive


def test_person_role_prints_his_own_and_no_other(users: dict, person_a: Any, changed: Any) -> None:
    response = _get(users["self_user"], person_a, mau="bnv")
    assert response.status_code == 200
    assert "NGUYỄN THỊ HOA" in docx_text(response.content)
    assert _get(users["self_user"], changed, mau="bnv").status_code == 404


def test_page_lists_missing_items_with_links_to_fill_them(users: dict, changed: Any) -> None:
    response = client_for(users["officer_a"]).get(
        f"/tai-lieu/so-yeu-ly-lich/{changed.pk}/", {"ngay": "31/12/2020"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "thiếu: " in html and "nhóm máu" in html and "số sổ BHXH" in html
    assert f"/can-bo/{changed.pk}/suc-khoe/them/" in html  # blood group: the health section
    assert f"/can-bo/{changed.pk}/sua/" in html  # card date, insurance number: the person form
    assert "CanBo chưa có trường này" not in html  # every missing item now has a field


def test_identity_card_date_and_insurance_number_are_printed_and_not_missing(
    users: dict, changed: Any
) -> None:
    changed.identity_issue_date = dt.date(2019, 4, 2)
    changed.social_insurance_number = "0123456789"
    changed.save(update_fields=["identity_issue_date", "social_insurance_number"])
    data = resume_data(users["officer_a"], changed, BEFORE)
    assert data.context["ngay_cap"] == "02/04/2019"
    assert data.context["so_bhxh"] == "0123456789"
    labels = {m.label for m in data.missing}
    assert "ngày cấp căn cước" not in labels and "số sổ BHXH" not in labels
    assert "số sổ BHXH" in data.today_values  # no history: today's value on a past date
    text = docx_text(_get(users["officer_a"], changed, mau="vc", ngay="31/12/2020").content)
    assert "Ngày cấp: 02/04/2019" in text and "0123456789" in text
    # A card issued after the day was not the one held then: its date is not printed.
    earlier = resume_data(users["officer_a"], changed, dt.date(2019, 1, 1))
    assert earlier.context["ngay_cap"] == "—"
    assert "ngày cấp căn cước" in {m.label for m in earlier.missing}


def test_person_page_links_to_the_resume(users: dict, changed: Any) -> None:
    html = client_for(users["officer_a"]).get(f"/can-bo/{changed.pk}/").content.decode()
    assert f"/tai-lieu/so-yeu-ly-lich/{changed.pk}/" in html and "In sơ yếu lý lịch" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"mau": "xyz"}, "Mẫu không hợp lệ"),
        ({"dinh_dang": "odt"}, "Định dạng không hợp lệ"),
        ({"ngay": "31/02/2020"}, ""),
    ],
)
def test_bad_arguments_are_400_in_vietnamese(users: dict, changed: Any, query: dict, message: str) -> None:
    response = _get(users["officer_a"], changed, **query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.DOCUMENT).exists()


def test_a_date_before_the_person_held_anything_prints_dashes(users: dict, changed: Any) -> None:
    text = docx_text(_get(users["officer_a"], changed, mau="bnv", ngay="01/01/2012").content)
    assert "Chuyên viên" not in text
    assert "3,00" not in text  # no salary row by then: today's stored values, or a dash
    assert dt.date(2012, 1, 1).strftime("%d/%m/%Y") in text


PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@pytest.mark.parametrize(("content", "pictures"), [(PNG_1PX, 1), (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, 0)])
def test_the_portrait_is_printed_in_the_photo_box(
    users: dict, changed: Any, content: bytes, pictures: int
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from canbo.people.services import attachment_add

    upload = SimpleUploadedFile("anh.png", content, "image/png")
    attachment_add(
        acting_user=users["officer_a"],
        person=changed,
        upload=upload,
        kind="anh",
        title="Ảnh",
        reason="bổ sung",
    )
    response = _get(users["officer_a"], changed, mau="bnv")
    assert response.status_code == 200
    assert len(docx.Document(io.BytesIO(response.content)).inline_shapes) == pictures
