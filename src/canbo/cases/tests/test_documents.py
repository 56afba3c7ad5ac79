"""The case's minutes and proposal come from templates kept as data (``core.docforms``, filled by
the documents app): opened with python-docx and checked item by item, the official page and the
NĐ 30/2020 header, an uploaded version used at once, the read log, PDF, and the scoping."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from canbo.cases import services as S
from canbo.cases.models import Case, Step
from canbo.cases.tests.conftest import RECEIVED
from canbo.conftest import official_header
from canbo.core.dates import today
from canbo.core.models import AccessLog
from canbo.core.wordpage import place_date_line
from canbo.documents.models import DocumentTemplate
from canbo.documents.tests.conftest import needs_pdf, pdf_text
from canbo.org.models import Post
from canbo.people.models import Person


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def recorded(post: Post, eligible: list[Person], users: dict) -> tuple[Case, Step]:
    officer = users["officer_a"]
    case = S.case_open(
        acting_user=officer, post=post, kind="bo_nhiem", source="noi_khac", received_on=RECEIVED
    )
    cands = [S.candidate_add(acting_user=officer, case=case, person=p) for p in eligible]
    S.case_start_steps(acting_user=officer, case=case)
    step = S.step_record(
        acting_user=officer, case=case, number=1, held_on=RECEIVED, body="Tập thể lãnh đạo",
        convened=15, present=14, ballots=14, votes={cands[0].pk: 11, cands[1].pk: 3},
    )  # fmt: skip
    return case, step


def _open(response: Any) -> Any:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return docx.Document(io.BytesIO(response.content))


def _page(document: Any) -> None:
    section = document.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.left_margin)
    assert [round(s.mm) for s in sizes] == [210, 297, 20, 30]
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_minutes_from_the_template(recorded: tuple[Case, Step], users: dict) -> None:
    case, step = recorded
    document = _open(client_for(users["officer_a"]).get(f"/bo-nhiem/{case.pk}/buoc/{step.pk}/bien-ban/"))
    _page(document)
    issuer, national = official_header(document)
    assert issuer[:2] == ["HUYỆN A", "PHÒNG NỘI VỤ HUYỆN A"]
    assert national[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert national[-1] == "Thử nghiệm, ngày 02 tháng 3 năm 2026"  # the meeting's day
    text = [p.text for p in document.paragraphs]
    assert "BIÊN BẢN KIỂM PHIẾU" in text and "(Bước 1: Tập thể lãnh đạo)" in text
    assert "Số người được triệu tập: 15. Số người có mặt: 14. Số phiếu phát ra: 14." in text
    assert "Đủ số lượng (A-9): có mặt 14/15, cần ít nhất 10." in text
    assert "Người trúng (trên 50% số người được triệu tập): Lê Văn An." in text
    votes = [[c.text for c in r.cells] for r in document.tables[1].rows]
    assert votes == [
        ["STT", "Họ và tên", "Số phiếu", "Tỷ lệ", "Kết quả"],
        ["1", "Lê Văn An", "11", "73,3%", "Trúng"],
        ["2", "Phạm Thị Bích", "3", "20,0%", ""],
    ]
    assert not any("{{" in t or "{%" in t for t in text)
    # One read-log row per candidate the minutes name (issue 21).
    reads = list(AccessLog.objects.filter(kind=AccessLog.Kind.DOCUMENT))
    assert sorted(r.person_id or 0 for r in reads) == sorted(
        case.candidates.values_list("person_id", flat=True)
    )
    assert {
        (r.detail["document"], r.detail["form"], r.detail["file_format"], r.detail["template_version"])
        for r in reads
    } == {("ho_so_bo_nhiem", "bbkp", "docx", 0)}


def test_proposal_from_the_template(recorded: tuple[Case, Step], users: dict) -> None:
    case, _ = recorded
    document = _open(client_for(users["officer_a"]).get(f"/bo-nhiem/{case.pk}/to-trinh/"))
    _page(document)
    issuer, national = official_header(document)
    assert issuer[:2] == ["HUYỆN A", "PHÒNG NỘI VỤ HUYỆN A"] and issuer[-1] == "Số: ……/TTr-……"
    assert national[-1] == place_date_line("Thử nghiệm", today())
    text = [p.text for p in document.paragraphs]
    assert "TỜ TRÌNH" in text
    assert any(
        t.startswith("Về việc bổ nhiệm chức danh ") and t.endswith("Phòng Nội vụ huyện A") for t in text
    )
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in document.tables[1].rows[1:]}
    assert set(rows) == {"Lê Văn An", "Phạm Thị Bích"}
    assert rows["Lê Văn An"][2] == "02/04/1982"
    # A-7's declaration is missing: the verdict cannot be decided and says why.
    assert "A-7" in rows["Phạm Thị Bích"][4] and rows["Phạm Thị Bích"][5] == "Không"


def test_an_uploaded_version_is_used_and_a_bad_one_refused(recorded: tuple[Case, Step], users: dict) -> None:
    case, step = recorded
    admin = client_for(users["admin"])
    page = admin.get("/tai-lieu/mau/").content.decode()
    assert "Biên bản kiểm phiếu" in page and "Tờ trình bổ nhiệm" in page and "nguoi_trung" in page
    shipped = admin.get("/tai-lieu/mau/bbkp/0/tai/")
    assert shipped.status_code == 200
    template = docx.Document(io.BytesIO(shipped.content))
    template.add_paragraph("Biên bản lập lúc kết thúc hội nghị {{ hoi_nghi }}.")
    out = io.BytesIO()
    template.save(out)
    sent = admin.post("/tai-lieu/mau/bbkp/tai-len/", {"tep": SimpleUploadedFile("bb.docx", out.getvalue())})
    assert sent.status_code == 302
    assert DocumentTemplate.objects.get().form == "bbkp"
    document = _open(client_for(users["officer_a"]).get(f"/bo-nhiem/{case.pk}/buoc/{step.pk}/bien-ban/"))
    assert "Biên bản lập lúc kết thúc hội nghị Tập thể lãnh đạo." in [p.text for p in document.paragraphs]
    assert {r.detail["template_version"] for r in AccessLog.objects.filter(kind=AccessLog.Kind.DOCUMENT)} == {
        1
    }

    template.add_paragraph("{{ luong_bi_mat }}")
    out = io.BytesIO()
    template.save(out)
    refused = admin.post(
        "/tai-lieu/mau/totrinh/tai-len/", {"tep": SimpleUploadedFile("tt.docx", out.getvalue())}
    )
    assert refused.status_code == 400 and "luong_bi_mat" in refused.content.decode()
    assert DocumentTemplate.objects.count() == 1
    # Restoring the shipped file puts it back in use, as version 2.
    assert admin.post("/tai-lieu/mau/bbkp/0/khoi-phuc/").status_code == 302
    document = _open(client_for(users["officer_a"]).get(f"/bo-nhiem/{case.pk}/buoc/{step.pk}/bien-ban/"))
    assert not any("Biên bản lập lúc" in p.text for p in document.paragraphs)


def test_scoping_and_bad_format(recorded: tuple[Case, Step], users: dict) -> None:
    case, step = recorded
    other = client_for(users["officer_b"])
    assert other.get(f"/bo-nhiem/{case.pk}/to-trinh/").status_code == 404
    assert other.get(f"/bo-nhiem/{case.pk}/buoc/{step.pk}/bien-ban/").status_code == 404
    bad = client_for(users["officer_a"]).get(f"/bo-nhiem/{case.pk}/to-trinh/", {"dinh_dang": "xls"})
    assert bad.status_code == 400 and "Định dạng không hợp lệ" in bad.content.decode()
    assert not AccessLog.objects.filter(kind=AccessLog.Kind.DOCUMENT).exists()


@needs_pdf
def test_minutes_as_pdf(recorded: tuple[Case, Step], users: dict) -> None:
    case, step = recorded
    r = client_for(users["officer_a"]).get(
        f"/bo-nhiem/{case.pk}/buoc/{step.pk}/bien-ban/", {"dinh_dang": "pdf"}
    )
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert ".pdf" in r["Content-Disposition"]
    text = pdf_text(r.content)
    assert (
        "BIÊN BẢN KIỂM PHIẾU" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Lê Văn An" in text
    )
