"""The retirement list (/nghi-huu/, SALARY.md H-8): who retires in the coming months, the notice
and decision due dates, overdue flags, recording a notice (scoped, audited), the Word notice,
and H-9 failing the planning and appointment checks after a notice."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from canbo.conftest import kept_person_a, kept_tree, kept_users, new_person, official_header
from canbo.core.errors import NotPermitted
from canbo.core.models import ObjectChange
from canbo.people.models import Person
from canbo.rules.models import RetirementOverride
from canbo.rules.selectors import verdict
from canbo.salary.models import RetirementNotice
from canbo.salary.retirement import record_notice, retirement_list
from canbo.salary.tests.conftest import client_for

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2027, 1, 1)
RECRUITED = dt.date(2000, 1, 1)


@pytest.fixture
def retiring(tree: dict) -> dict[str, Person]:
    # H-1 v3 for women: 57y4m in 2027; born 03/1970 → age 56y10m in January 2027 → July 2027 (H-2)
    by_rule = new_person(
        tree["A1"], "Trần Thị Hưu", sex="nu", born=dt.date(1970, 3, 10), recruitment_date=RECRUITED
    )
    by_override = new_person(
        tree["A1"], "Lê Văn Riêng", sex="nam", born=dt.date(1970, 1, 5), recruitment_date=RECRUITED
    )
    RetirementOverride.objects.create(
        person=by_override, kind="som", year=2027, month=6, basis="QĐ 5/QĐ-UBND"
    )
    new_person(tree["A1"], "Phạm Văn Trẻ", sex="nam", born=dt.date(1985, 1, 1), recruitment_date=RECRUITED)
    left = new_person(
        tree["A1"], "Vũ Thị Đã Nghỉ", sex="nu", born=dt.date(1970, 3, 1), recruitment_date=RECRUITED
    )
    Person.objects.filter(pk=left.pk).update(service_until=dt.date(2026, 6, 30))
    other = new_person(
        tree["B"], "Hoàng Thị Khác", sex="nu", born=dt.date(1970, 4, 2), recruitment_date=RECRUITED
    )
    return {"rule": by_rule, "override": by_override, "left": left, "other": other}


def page(user: Any, tree: dict, **kw: Any) -> Any:
    query = {"don_vi": tree["A"].pk, "ngay": "01/01/2027", "so_thang": 12, **kw}
    return client_for(user).get("/nghi-huu/", query)


def record(user: Any, tree: dict, person: Person, **kw: Any) -> Any:
    data = {
        "don_vi": tree["A"].pk,
        "ngay": "01/01/2027",
        "so_thang": 12,
        "nguoi": person.pk,
        "loai": "thong_bao",
        "so": "12/TB-UBND",
        "ngay_ban_hanh": "15/12/2026",
        "nguoi_ky": "Chủ tịch UBND huyện",
        **kw,
    }
    return client_for(user).post("/nghi-huu/ghi/", data, follow=True)


def test_list_has_retirement_and_due_dates_and_flags_the_overdue_notice(
    users: dict, retiring: dict, tree: dict
) -> None:
    items = retirement_list(users["officer_a"], tree["A"], AS_OF, 12)
    by_name = {i.name: i for i in items}
    # only people of the subtree, in service on the date, retiring within 12 months
    assert list(by_name) == ["Lê Văn Riêng", "Trần Thị Hưu"]
    override, rule = by_name["Lê Văn Riêng"], by_name["Trần Thị Hưu"]
    assert override.date == dt.date(2027, 6, 30)  # the recorded override, month end (H-2)
    assert override.notice_due == dt.date(2026, 12, 30)  # H-8: 6 months before
    assert override.decision_due == dt.date(2027, 3, 30)  # H-8: 3 months before
    assert override.notice_overdue and not override.decision_overdue
    assert rule.date == dt.date(2027, 7, 31)
    assert rule.notice_due == dt.date(2027, 1, 31) and rule.decision_due == dt.date(2027, 4, 30)
    assert not rule.flags
    html = page(users["officer_a"], tree).content.decode()
    assert "30/06/2027" in html and "30/12/2026" in html and "30/03/2027" in html
    assert "Quá hạn thông báo" in html and "1 người quá hạn" in html
    assert "Vũ Thị Đã Nghỉ" not in html and "Hoàng Thị Khác" not in html and "Phạm Văn Trẻ" not in html
    # the past is exact: a year earlier nobody is within 6 months, nobody is overdue
    assert retirement_list(users["officer_a"], tree["A"], dt.date(2026, 1, 1), 6) == []


def test_recording_a_notice_is_scoped_audited_and_clears_the_flag(
    users: dict, retiring: dict, tree: dict
) -> None:
    person = retiring["override"]
    response = record(users["officer_a"], tree, person)
    assert response.status_code == 200
    notice = RetirementNotice.objects.get(person=person)
    assert (notice.kind, notice.number, notice.issued_on) == (
        "thong_bao",
        "12/TB-UBND",
        dt.date(2026, 12, 15),
    )
    assert notice.retirement_date == dt.date(2027, 6, 30)
    assert ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(RetirementNotice), object_id=notice.pk, action="create"
    ).exists()
    html = response.content.decode()
    assert "Số 12/TB-UBND, ngày 15/12/2026" in html and "Quá hạn thông báo" not in html
    # as of a day before it was issued, the notice did not exist yet
    before = retirement_list(users["officer_a"], tree["A"], dt.date(2026, 12, 14), 12)
    assert next(i for i in before if i.person_id == person.pk).notice is None
    # a second notice of the same kind is refused, in Vietnamese
    again = record(users["officer_a"], tree, person, so="13/TB")
    assert again.status_code == 400 and "đã có thông báo nghỉ hưu số 12/TB-UBND" in again.content.decode()
    # the decision after the notice
    decided = record(
        users["officer_a"], tree, person, loai="quyet_dinh", so="30/QĐ-UBND", ngay_ban_hanh="20/03/2027"
    )
    assert decided.status_code == 200
    assert RetirementNotice.objects.filter(person=person).count() == 2


def test_other_subtree_is_refused_and_nothing_written(users: dict, retiring: dict, tree: dict) -> None:
    with pytest.raises(NotPermitted):
        record_notice(
            acting_user=users["officer_b"],
            person_id=retiring["override"].pk,
            kind="thong_bao",
            number="1/TB",
            issued_on=dt.date(2026, 12, 1),
        )
    response = client_for(users["officer_b"]).post(
        "/nghi-huu/ghi/",
        {"don_vi": tree["B"].pk, "ngay": "01/01/2027", "so_thang": 12, "nguoi": retiring["override"].pk,
         "loai": "thong_bao", "so": "1/TB", "ngay_ban_hanh": "01/12/2026"},
    )  # fmt: skip
    assert response.status_code == 404 and "ngoài phạm vi được giao" in response.content.decode()
    # a leader reads but does not write
    assert record(users["leader_a"], tree, retiring["override"]).status_code == 404
    assert not RetirementNotice.objects.exists()
    # nor does the other subtree's officer see the list or the document of unit A's people
    assert page(users["officer_b"], tree).status_code == 400
    assert (
        client_for(users["officer_b"]).get(f"/nghi-huu/{retiring['override'].pk}/thong-bao.docx").status_code
        == 404
    )


def test_notice_document_opens_with_name_and_dates(users: dict, retiring: dict, tree: dict) -> None:
    from docx import Document

    person = retiring["override"]
    record(users["officer_a"], tree, person)
    response = client_for(users["officer_a"]).get(
        f"/nghi-huu/{person.pk}/thong-bao.docx", {"ngay": "01/01/2027"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Lê Văn Riêng" in text and "05/01/1970" in text
    assert "30/06/2027" in text and "01/07/2027" in text and "30/03/2027" in text
    assert "2027-06-30" not in text
    # The NĐ 30/2020 header of every CanBo document: the person's unit under its parent, the
    # notice's own number, the place (the province without "Tỉnh") and the notice's date.
    issuer, national = official_header(doc)
    assert issuer == ["HUYỆN A", "PHÒNG NỘI VỤ HUYỆN A", "―――――――", "Số: 12/TB-UBND"]
    assert national == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "―――――――",
        "Thử nghiệm, ngày 15 tháng 12 năm 2026",
    ]  # fmt: skip
    assert "{{" not in text and "}}" not in text  # every field of the template filled


def test_h9_fails_planning_and_appointment_after_a_notice(
    users: dict, retiring: dict, tree: dict, title: Any
) -> None:
    person, officer = retiring["rule"], users["officer_a"]

    def h9(purpose: str, day: dt.date) -> str:
        v = verdict(officer, person, purpose, title, day)
        return next(r.outcome for r in v.results if r.rule_id == "H-9")

    assert h9("planning", dt.date(2027, 1, 10)) == "pass"
    record_notice(
        acting_user=officer,
        person_id=person.pk,
        kind="thong_bao",
        number="3/TB",
        issued_on=dt.date(2027, 1, 5),
    )
    assert h9("planning", dt.date(2027, 1, 10)) == "fail"
    assert h9("appointment", dt.date(2027, 1, 10)) == "fail"
    v = verdict(officer, person, "appointment", title, dt.date(2027, 1, 10))
    assert v.outcome == "fail"
    assert "3/TB" in next(r.message for r in v.results if r.rule_id == "H-9")
    # before the notice was issued, H-9 did not apply
    assert h9("appointment", dt.date(2027, 1, 4)) == "pass"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"so_thang": "abc"}, "Số tháng phải là một số nguyên."),
        ({"so_thang": 99}, "Số tháng không quá 24."),
        ({"ngay": "31/02/2027"}, "Ngày tính"),
        ({"don_vi": "x"}, "Đơn vị"),
    ],
)
def test_bad_list_input_is_400_in_vietnamese(users: dict, tree: dict, query: dict, message: str) -> None:
    response = page(users["officer_a"], tree, **query)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"ngay_ban_hanh": "32/13/2026"}, "Ngày ban hành không hợp lệ"),
        ({"so": ""}, "Chưa nhập số văn bản."),
        ({"loai": "khac"}, "Loại văn bản không hợp lệ."),
        ({"loai": "quyet_dinh"}, "ghi thông báo trước quyết định"),
        ({"ngay_ban_hanh": "01/08/2027"}, "sau thời điểm nghỉ hưu"),
    ],
)
def test_bad_notice_input_is_400_in_vietnamese(
    users: dict, retiring: dict, tree: dict, data: dict, message: str
) -> None:
    response = record(users["officer_a"], tree, retiring["override"], **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RetirementNotice.objects.exists()


def test_decision_document_cites_the_notice_and_the_decision(users: dict, retiring: dict, tree: dict) -> None:
    from docx import Document

    person = retiring["override"]
    record(users["officer_a"], tree, person)
    record(users["officer_a"], tree, person, loai="quyet_dinh", so="30/QĐ-UBND", ngay_ban_hanh="20/03/2027")
    response = client_for(users["officer_a"]).get(
        f"/nghi-huu/{person.pk}/quyet-dinh.docx", {"ngay": "01/04/2027"}
    )
    assert response.status_code == 200
    assert "quyet-dinh-nghi-huu" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "QUYẾT ĐỊNH" in text and "Lê Văn Riêng" in text
    issuer, national = official_header(doc)  # the decision's own number and date in the header
    assert issuer[-1] == "Số: 30/QĐ-UBND" and national[-1] == "Thử nghiệm, ngày 20 tháng 3 năm 2027"
    assert "12/TB-UBND" in text and "15/12/2026" in text  # the notice it rests on
    assert "01/07/2027" in text and "{{" not in text
    # a bad date is a 400 in Vietnamese, not a 500
    bad = client_for(users["officer_a"]).get(f"/nghi-huu/{person.pk}/quyet-dinh.docx", {"ngay": "40/40/2027"})
    assert bad.status_code == 400 and "không hợp lệ" in bad.content.decode()


# 10: session, user, grants, the unit picked, the rulebook's versions (not loaded here: no holiday
# query), the overrides of the subtree, the persons in the birth window, those with an override
# outside it, the unit index's freshness check, the notices; whatever the number of people.
QUERIES_LIST = 10


def test_list_query_count_is_pinned(
    users: dict, retiring: dict, tree: dict, django_assert_max_num_queries: Any
) -> None:
    c = client_for(users["officer_a"])
    query = {"don_vi": tree["A"].pk, "ngay": "01/01/2027", "so_thang": 12}
    c.get("/nghi-huu/", query)  # session and unit index warmed
    for i in range(5):  # more people do not mean more queries
        new_person(tree["A1"], f"Người Thứ {i}", born=dt.date(1970, 2, 1), recruitment_date=RECRUITED)
    with django_assert_max_num_queries(QUERIES_LIST):
        response = c.get("/nghi-huu/", query)
    assert response.status_code == 200 and "Người Thứ 4" in response.content.decode()


def test_the_headers_today_link_is_understood(users: dict, retiring: dict, tree: dict) -> None:
    """The header's "Hôm nay" link sends ``?ngay=hom-nay`` to every dated page, these too."""
    response = page(users["officer_a"], tree, ngay="hom-nay")
    assert response.status_code == 200
    officer = client_for(users["officer_a"])
    assert (
        officer.get("/luong/den-han/", {"don_vi": tree["A"].pk, "ngay": "hom-nay", "so_thang": 3}).status_code
        == 200
    )
    assert officer.get("/luong/den-han/", {"ngay": "hom-nay"}).status_code == 200  # no unit yet: the form
    assert officer.get("/nghi-huu/", {"ngay": "hom-nay"}).status_code == 200
