"""The pages: from the vacancy to the tenure through one URL per action; refusals; query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from canbo.careers.models import Tenure
from canbo.cases.models import Candidate, Case, CaseStatus
from canbo.conftest import kept_person_a, kept_tree, kept_users
from canbo.org.models import Post
from canbo.people.models import Person

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_from_vacancy_to_tenure_through_the_pages(post: Post, eligible: list[Person], users: dict) -> None:
    c = client_for(users["officer_a"])
    page = c.get("/don-vi/vi-tri/?ngay=2026-03-02").content.decode()
    assert f"/bo-nhiem/mo/?vi_tri={post.pk}" in page
    r = c.post(
        f"/bo-nhiem/mo/?vi_tri={post.pk}",
        {
            "kind": "bo_nhiem",
            "source": "noi_khac",
            "received_on": "02/03/2026",
            "note": "",
            "reason": "Sửa lỗi nhập liệu",
        },
    )
    assert r.status_code == 302, r.content.decode()
    case = Case.objects.get()
    assert r["Location"] == f"/bo-nhiem/{case.pk}/"
    found = c.get(f"/bo-nhiem/{case.pk}/them-nhan-su/?q=Lê Văn An").content.decode()
    assert "Lê Văn An" in found
    for p in eligible:
        assert (
            c.post(
                f"/bo-nhiem/{case.pk}/them-nhan-su/", {"person": p.pk, "reason": "Sửa lỗi nhập liệu"}
            ).status_code
            == 302
        )
    cands = list(Candidate.objects.filter(case=case).order_by("id"))
    for cand in cands:
        r = c.post(
            f"/bo-nhiem/{case.pk}/nhan-su/{cand.pk}/khai-bao/",
            {"pending_discipline": "0", "reason": "Sửa lỗi nhập liệu"},
        )
        assert r.status_code == 302
    assert c.post(f"/bo-nhiem/{case.pk}/chuyen-buoc/", {"reason": "Sửa lỗi nhập liệu"}).status_code == 302
    for n in (1, 2, 3):
        r = c.post(
            f"/bo-nhiem/{case.pk}/ghi-buoc/",
            {
                "number": n,
                "held_on": f"1{n}/03/2026",
                "body": "Hội nghị",
                "convened": 15,
                "present": 14,
                "ballots": 14,
                f"phieu_{cands[0].pk}": 11,
                f"phieu_{cands[1].pk}": 3,
                "reason": "Theo biên bản hội nghị",
            },
        )
        assert r.status_code == 302, r.content.decode()
    assert c.post(f"/bo-nhiem/{case.pk}/trinh/", {"reason": "Sửa lỗi nhập liệu"}).status_code == 302
    detail = c.get(f"/bo-nhiem/{case.pk}/").content.decode()
    assert "Trúng: Lê Văn An" in detail
    assert "11 (73,3%)" in detail
    r = c.post(
        f"/bo-nhiem/{case.pk}/quyet-dinh/",
        {
            "candidate": cands[0].pk,
            "decision_number": "15/QĐ-UBND",
            "decision_date": "01/04/2026",
            "effective_date": "05/04/2026",
            "signer": "Chủ tịch UBND huyện A",
        },
    )
    assert r.status_code == 302, r.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert Tenure.objects.filter(person=eligible[0], post=post, start_date="2026-04-05").exists()


def test_refusals_answer_400_with_the_reason(post: Post, eligible: list[Person], users: dict) -> None:
    c = client_for(users["officer_a"])
    c.post(
        f"/bo-nhiem/mo/?vi_tri={post.pk}",
        {"kind": "bo_nhiem", "source": "tai_cho", "received_on": "02/03/2026", "reason": "Sửa lỗi nhập liệu"},
    )
    case = Case.objects.get()
    c.post(f"/bo-nhiem/{case.pk}/them-nhan-su/", {"person": eligible[0].pk, "reason": "Sửa lỗi nhập liệu"})
    r = c.post(f"/bo-nhiem/{case.pk}/chuyen-buoc/", {"reason": "Sửa lỗi nhập liệu"})
    assert r.status_code == 400
    assert "cần ít nhất 2" in r.content.decode()
    r = c.post(f"/bo-nhiem/{case.pk}/trinh/", {"reason": "Sửa lỗi nhập liệu"})
    assert r.status_code == 400 and "Không thể chuyển hồ sơ" in r.content.decode()
    # bad input on a form: 400, never 500
    assert (
        c.post(
            f"/bo-nhiem/{case.pk}/them-nhan-su/", {"person": "abc", "reason": "Sửa lỗi nhập liệu"}
        ).status_code
        == 400
    )
    assert c.get("/bo-nhiem/mo/?vi_tri=abc").status_code == 404


def test_other_subtree_and_leader(post: Post, eligible: list[Person], users: dict) -> None:
    client_for(users["officer_a"]).post(
        f"/bo-nhiem/mo/?vi_tri={post.pk}",
        {"kind": "bo_nhiem", "source": "tai_cho", "received_on": "02/03/2026", "reason": "Sửa lỗi nhập liệu"},
    )
    case = Case.objects.get()
    b = client_for(users["officer_b"])
    assert b.get(f"/bo-nhiem/{case.pk}/").status_code == 404
    assert b.get(f"/bo-nhiem/mo/?vi_tri={post.pk}").status_code == 404
    assert b.post(f"/bo-nhiem/{case.pk}/dung/", {"reason": "x"}).status_code == 404
    assert f"/bo-nhiem/{case.pk}/" not in b.get("/bo-nhiem/").content.decode()
    leader = client_for(users["leader_a"])
    assert leader.get(f"/bo-nhiem/{case.pk}/").status_code == 200
    assert leader.post(f"/bo-nhiem/{case.pk}/dung/", {"reason": "x"}).status_code == 404
    assert Case.objects.get().status == CaseStatus.NOMINATION


def test_case_page_query_count(post: Post, eligible: list[Person], users: dict) -> None:
    """Pinned: the queries grow with the candidates (each verdict reads the dossier through the
    rules selectors, about a dozen queries per candidate), not with the steps: 32 with two, and
    5 for the dossier checklist (one query per item kind for all candidates)."""
    c = client_for(users["officer_a"])
    c.post(
        f"/bo-nhiem/mo/?vi_tri={post.pk}",
        {
            "kind": "bo_nhiem",
            "source": "noi_khac",
            "received_on": "02/03/2026",
            "reason": "Sửa lỗi nhập liệu",
        },
    )
    case = Case.objects.get()
    for p in eligible:
        c.post(f"/bo-nhiem/{case.pk}/them-nhan-su/", {"person": p.pk, "reason": "Sửa lỗi nhập liệu"})
    c.get(f"/bo-nhiem/{case.pk}/")  # warm the caches (unit index, rulebook)
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(f"/bo-nhiem/{case.pk}/").status_code == 200
    assert len(ctx.captured_queries) == PINNED, len(ctx.captured_queries)


# 37: 39 since the exception right is the permission ``rules.record_rule_exception`` (Django
# reads the user's and his groups' permissions once per request), then two fewer (issue 22): the
# rulebook kept per process reads its stamp only, and a candidate's party membership is one query.
PINNED = 37


def test_terms_ending_worklist_opens_a_reappointment(tree: dict, title: Any, post: Post, users: dict) -> None:
    import datetime as dt

    from canbo.conftest import new_person
    from canbo.core.dates import today
    from canbo.rules.engine.dates import add_months, add_years

    start = add_years(add_months(today(), 2), -5)  # the term ends in about two months
    person = new_person(tree["A1"], "Đỗ Văn Hạn", sex="nam", born=dt.date(1975, 1, 1))
    tenure = Tenure.objects.create(
        person=person, unit=tree["A1"], title=title, post=post, kind="bo_nhiem", start_date=start
    )
    c = client_for(users["officer_a"])
    page = c.get("/bo-nhiem/bo-nhiem-lai/?thang=3").content.decode()
    assert "Đỗ Văn Hạn" in page and f"/bo-nhiem/mo/?chuc_vu={tenure.pk}" in page
    assert "Đỗ Văn Hạn" not in c.get("/bo-nhiem/bo-nhiem-lai/?thang=1").content.decode()
    assert "Đỗ Văn Hạn" not in client_for(users["officer_b"]).get("/bo-nhiem/bo-nhiem-lai/").content.decode()
    r = c.post(
        f"/bo-nhiem/mo/?chuc_vu={tenure.pk}",
        {
            "kind": "bo_nhiem_lai",
            "source": "tai_cho",
            "received_on": today().strftime("%d/%m/%Y"),
            "reason": "Sửa lỗi nhập liệu",
        },
    )
    assert r.status_code == 302, r.content.decode()
    case = Case.objects.get()
    assert case.prior_tenure_id == tenure.pk and case.candidates.get().person_id == person.pk
    assert "Hồ sơ đang mở" in c.get("/bo-nhiem/bo-nhiem-lai/?thang=3").content.decode()


def test_exceptions_report(post: Post, eligible: list[Person], users: dict, authority: Any) -> None:
    from canbo.cases import services as S
    from canbo.cases.tests.conftest import RECEIVED

    case = S.case_open(
        acting_user=users["officer_a"], post=post, kind="bo_nhiem", source="tai_cho", received_on=RECEIVED
    )
    cand = S.candidate_add(acting_user=users["officer_a"], case=case, person=eligible[0])
    S.exception_record(
        acting_user=authority, candidate=cand, rules="A-5", reason="Lý do đặc biệt", basis="CV 9"
    )
    assert "Lý do đặc biệt" in client_for(users["admin"]).get("/bo-nhiem/ngoai-le/").content.decode()
    assert "Lý do đặc biệt" in client_for(users["leader_a"]).get("/bo-nhiem/ngoai-le/").content.decode()
    assert "Lý do đặc biệt" not in client_for(users["officer_b"]).get("/bo-nhiem/ngoai-le/").content.decode()


def test_dossier_checklist_flags_missing_and_stale(post: Post, eligible: list[Person], users: dict) -> None:
    import datetime as dt

    from canbo.cases import selectors
    from canbo.cases.tests.conftest import RECEIVED
    from canbo.people.models import HealthRecord

    c = client_for(users["officer_a"])
    c.post(
        f"/bo-nhiem/mo/?vi_tri={post.pk}",
        {"kind": "bo_nhiem", "source": "tai_cho", "received_on": "02/03/2026", "reason": "Sửa lỗi nhập liệu"},
    )
    case = Case.objects.get()
    c.post(f"/bo-nhiem/{case.pk}/them-nhan-su/", {"person": eligible[0].pk, "reason": "Sửa lỗi nhập liệu"})
    HealthRecord.objects.filter(person=eligible[0]).update(check_date=dt.date(2025, 8, 1))
    cand = case.candidates.get()
    items = {i.label: i for i in selectors.checklist(users["officer_a"], case, [cand])[cand.pk]}
    assert items["Kết luận tiêu chuẩn chính trị"].ok
    health = items["Giấy chứng nhận sức khỏe (không quá 6 tháng)"]
    assert not health.ok and "đã quá 6 tháng" in health.detail
    assert not items["Bản kê khai tài sản, thu nhập"].ok
    assert items["Đánh giá, xếp loại 3 năm gần nhất"].detail == "thiếu năm 2023, 2024, 2025"
    assert items["Biên bản các bước của quy trình"].detail == "chưa có bước 1, 2, 3, 4, 5"
    # a grant without sensitive sections sees the political conclusion as missing
    leader_items = selectors.checklist(users["leader_a"], case, [cand])[cand.pk]
    assert not next(i for i in leader_items if i.label == "Kết luận tiêu chuẩn chính trị").ok
    assert RECEIVED.year == 2026
    assert "Danh mục hồ sơ" in c.get(f"/bo-nhiem/{case.pk}/").content.decode()


def test_list_by_unit_and_status(post: Post, tree: dict, users: dict) -> None:
    from canbo.cases import services as S
    from canbo.cases.tests.conftest import RECEIVED

    S.case_open(
        acting_user=users["officer_a"], post=post, kind="bo_nhiem", source="tai_cho", received_on=RECEIVED
    )
    c = client_for(users["officer_a"])
    assert "Trưởng phòng" in c.get(f"/bo-nhiem/?don_vi={tree['A'].pk}").content.decode()
    assert "Trưởng phòng" in c.get("/bo-nhiem/?trang_thai=gioi_thieu").content.decode()
    assert "Trưởng phòng" not in c.get("/bo-nhiem/?trang_thai=trinh").content.decode()
    assert c.get(f"/bo-nhiem/?don_vi={tree['B'].pk}").status_code == 404
    assert c.get("/bo-nhiem/?don_vi=abc").status_code == 404
    assert c.get("/bo-nhiem/?trang_thai=zzz").status_code == 200


def test_head_pilot_page_for_administrators(tree: dict, users: dict, authority: Any) -> None:
    from canbo.cases.models import HeadPilot

    assert client_for(users["officer_a"]).get("/bo-nhiem/thi-diem/").status_code == 404
    c = client_for(authority)
    r = c.post("/bo-nhiem/thi-diem/", {"unit_code": "A1", "valid_from": "01/01/2026", "basis": "QĐ 12/QĐ-TU"})
    assert r.status_code == 302
    assert HeadPilot.objects.get().unit == tree["A1"]
    r = c.post("/bo-nhiem/thi-diem/", {"unit_code": "B", "valid_from": "01/01/2026", "basis": "QĐ 12"})
    assert r.status_code == 400 and "Không tìm thấy đơn vị" in r.content.decode()
    assert "Phòng Nội vụ huyện A" in c.get("/bo-nhiem/thi-diem/").content.decode()


def test_board_view_of_open_cases(post: Post, users: dict) -> None:
    from canbo.cases import services as S
    from canbo.cases.tests.conftest import RECEIVED

    case = S.case_open(
        acting_user=users["officer_a"], post=post, kind="bo_nhiem", source="tai_cho", received_on=RECEIVED
    )
    page = client_for(users["leader_a"]).get("/bo-nhiem/?trang_thai=mo").content.decode()
    assert "Giới thiệu đủ nhân sự rồi chuyển sang các bước" in page
    S.case_stop(acting_user=users["officer_a"], case=case, reason="Thôi")
    page = client_for(users["leader_a"]).get("/bo-nhiem/?trang_thai=mo").content.decode()
    assert "Chưa có hồ sơ bổ nhiệm nào" in page


def test_exception_recorded_by_the_system_shows(post: Post, eligible: list[Person], users: dict) -> None:
    """The demo records exceptions as the system (no user): the case page and the report say so."""
    from canbo.cases import services as S
    from canbo.cases.tests.conftest import RECEIVED

    case = S.case_open(acting_user=None, post=post, kind="bo_nhiem", source="tai_cho", received_on=RECEIVED)
    cand = S.candidate_add(acting_user=None, case=case, person=eligible[0])
    S.exception_record(acting_user=None, candidate=cand, rules="A-5", reason="Mẫu", basis="CV mẫu")
    c = client_for(users["officer_a"])
    r = c.get(f"/bo-nhiem/{case.pk}/")
    assert r.status_code == 200 and "hệ thống" in r.content.decode()
    assert "hệ thống" in c.get("/bo-nhiem/ngoai-le/").content.decode()


def test_every_step_of_a_case_needs_its_reason(post: Post, eligible: list[Person], users: dict) -> None:
    """Issue 21: without a reason the page refuses in Vietnamese and writes nothing; with one, the
    reason is the change log's."""
    from canbo.cases.models import CaseStatus
    from canbo.core.models import ObjectChange

    c = client_for(users["officer_a"])
    url = f"/bo-nhiem/mo/?vi_tri={post.pk}"
    before = ObjectChange.objects.count()
    r = c.post(url, {"kind": "bo_nhiem", "source": "tai_cho", "received_on": "02/03/2026"})
    assert r.status_code == 400 and "Hãy ghi lý do hoặc căn cứ của thay đổi" in r.content.decode()
    assert not Case.objects.exists() and ObjectChange.objects.count() == before
    r = c.post(url, {"kind": "bo_nhiem", "source": "tai_cho", "received_on": "02/03/2026",
                     "reason": "Theo công văn 5/CV-HU"})  # fmt: skip
    case = Case.objects.get()
    logged = ObjectChange.objects.get(content_type__model="case", object_id=case.pk)
    assert logged.reason == "Theo công văn 5/CV-HU"
    r = c.post(f"/bo-nhiem/{case.pk}/them-nhan-su/", {"person": eligible[0].pk, "reason": ""})
    assert r.status_code == 400 and "Hãy ghi lý do hoặc căn cứ của thay đổi" in r.content.decode()
    assert not Candidate.objects.exists()
    r = c.post(f"/bo-nhiem/{case.pk}/chuyen-buoc/")
    assert r.status_code == 400 and "Hãy ghi lý do hoặc căn cứ của thay đổi" in r.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.NOMINATION
