"""Templates as data: download, upload a corrected one, refusals of broken or hostile files with a
Vietnamese message, previous versions kept and restorable."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from canbo.conftest import kept_person_a, kept_tree, kept_users
from canbo.core.errors import DomainError
from canbo.documents.models import DocumentTemplate
from canbo.documents.services import DATA, active_template, template_restore, template_upload
from canbo.documents.tests.conftest import client_for, docx_text

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

pytestmark = pytest.mark.django_db

SHIPPED = (DATA / "2c-bnv.docx").read_bytes()


def _docx(*paragraphs: str, table: tuple[str, list[str]] | None = None) -> bytes:
    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        loop, cells = table
        t = doc.add_table(rows=3, cols=len(cells))
        t.rows[0].cells[0].text = "{%tr for " + loop + " %}"
        for cell, text in zip(t.rows[1].cells, cells, strict=True):
            cell.text = text
        t.rows[2].cells[0].text = "{%tr endfor %}"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _with_entries(data: bytes, extra: dict[str, bytes], replace: dict[str, bytes] | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, (replace or {}).get(info.filename, src.read(info.filename)))
        for name, content in extra.items():
            z.writestr(name, content)
    return out.getvalue()


def _upload(user: Any, data: bytes, form: str = "bnv", name: str = "mau.docx") -> Any:
    return client_for(user).post(
        f"/tai-lieu/mau/{form}/tai-len/",
        {"tep": SimpleUploadedFile(name, data), "ghi_chu": "sửa dòng tiêu đề"},
    )


def test_admin_downloads_uploads_and_the_new_version_is_used(users: dict, changed: Any) -> None:
    admin = users["admin"]
    shipped = client_for(admin).get("/tai-lieu/mau/bnv/0/tai/")
    assert shipped.status_code == 200 and shipped.content == SHIPPED
    corrected = docx.Document(io.BytesIO(shipped.content))
    corrected.add_paragraph("Bản địa phương của tỉnh: {{ tinh }}")
    out = io.BytesIO()
    corrected.save(out)
    response = _upload(admin, out.getvalue())
    assert response.status_code == 302
    row = DocumentTemplate.objects.get()
    assert (row.form, row.version, row.uploaded_by) == ("bnv", 1, admin)
    text = docx_text(
        client_for(users["officer_a"]).get(f"/tai-lieu/so-yeu-ly-lich/{changed.pk}/tai/?mau=bnv").content
    )
    assert "Bản địa phương của tỉnh: Tỉnh Thử nghiệm" in text
    # The previous version (the shipped file) is kept and restorable, as a new version.
    restored = template_restore(acting_user=admin, form="bnv", version=0)
    assert restored.version == 2 and bytes(restored.content) == SHIPPED
    assert active_template("bnv").version == 2
    assert DocumentTemplate.objects.filter(form="bnv").count() == 2
    page = client_for(admin).get("/tai-lieu/mau/").content.decode()
    assert "Khôi phục" in page and "ho_ten_khai_sinh" in page


def test_unknown_placeholder_is_refused_with_its_name(users: dict) -> None:
    response = _upload(users["admin"], _docx("Họ tên: {{ ho_ten }}", "Lương bí mật: {{ luong_bi_mat }}"))
    assert response.status_code == 400
    assert "luong_bi_mat" in response.content.decode()
    assert "trường CanBo không biết" in response.content.decode()
    assert not DocumentTemplate.objects.exists()


def test_unknown_field_of_a_table_row_is_refused_with_its_name(users: dict) -> None:
    data = _docx(table=("r in luong", ["{{ r.thang_nam }}", "{{ r.so_tai_khoan }}"]))
    with pytest.raises(DomainError, match="so_tai_khoan"):
        template_upload(acting_user=users["admin"], form="bnv", data=data, original_name="x.docx")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: _with_entries(SHIPPED, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}), "macro"),
        (
            lambda: _with_entries(
                SHIPPED,
                {},
                {
                    "[Content_Types].xml": zipfile.ZipFile(io.BytesIO(SHIPPED))
                    .read("[Content_Types].xml")
                    .replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
                },
            ),
            "macro",
        ),
        (lambda: _with_entries(SHIPPED, {"word/media/bom.bin": b"\0" * (40 * 1024 * 1024)}), "zip bomb"),
        (lambda: b"PK\x03\x04 not really a zip", "hỏng"),
        (lambda: b"%PDF-1.7 a pdf", "không phải tài liệu Word"),
        (
            lambda: _docx(
                "{% for a in dao_tao %}{% for b in dao_tao %}{% for c in dao_tao %}x"
                "{% endfor %}{% endfor %}{% endfor %}"
            ),
            "lặp quá nhiều",
        ),
        (lambda: _docx("{{ 'trang' * 100000000 }}"), "quá lớn"),
        (lambda: _docx("{{ range(10) }}"), "range"),
        (lambda: _docx("{{ ho_ten.__class__ }}"), ""),
        (lambda: _docx("{% if %}"), "cú pháp"),
    ],
)
def test_broken_or_hostile_templates_are_refused_in_vietnamese(users: dict, build: Any, message: str) -> None:
    response = _upload(users["admin"], build())
    assert response.status_code == 400
    body = response.content.decode()
    assert "Không nhận mẫu" in body and message in body
    assert not DocumentTemplate.objects.exists()


def test_only_administrators_manage_templates(users: dict) -> None:
    for name in ("officer_a", "leader_a", "self_user", "nogrant"):
        c = client_for(users[name])
        assert c.get("/tai-lieu/mau/").status_code == 404
        assert c.get("/tai-lieu/mau/bnv/0/tai/").status_code == 404
        assert _upload(users[name], SHIPPED).status_code == 404
    assert not DocumentTemplate.objects.exists()
