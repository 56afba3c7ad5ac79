"""A raise decision for people picked from the due list: written all or nothing, those whose line
changed left out with the reason, other subtrees refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from canbo.assessment.models import Discipline
from canbo.conftest import kept_person_a, kept_tree, kept_users
from canbo.core.models import ObjectChange
from canbo.salary.models import SalaryRow
from canbo.salary.selectors import due_list
from canbo.salary.tests.conftest import AS_OF, client_for, kept_staff

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")
# So is the salary tests' staff (salary/tests/conftest.py, staff_of_the_module).
staff = pytest.fixture(kept_staff, name="staff")

pytestmark = pytest.mark.django_db


def post(user: Any, tree: dict, tokens: list[str], **kw: Any) -> Any:
    data = {
        "don_vi": tree["A"].pk,
        "ngay": "01/01/2025",
        "so_thang": 3,
        "chon": tokens,
        "so_quyet_dinh": "15/QĐ-SNV",
        "ngay_quyet_dinh": "20/12/2024",
        "nguoi_ky": "Giám đốc Sở Nội vụ",
        **kw,
    }
    return client_for(user).post("/luong/den-han/quyet-dinh/", data, follow=True)


def tokens(user: Any, tree: dict) -> dict[str, str]:
    return {i.name: i.token for i in due_list(user, tree["A"], AS_OF, 3) if not i.blocked}


def test_decision_writes_next_rows_and_leaves_out_a_changed_line(
    users: dict, staff: dict, tree: dict
) -> None:
    officer = users["officer_a"]
    picked = tokens(officer, tree)
    assert set(picked) == {"Đỗ Văn Đúng", "Đỗ Văn Chậm", "Đỗ Văn Khung"}
    page = client_for(officer).get(
        "/luong/den-han/", {"don_vi": tree["A"].pk, "ngay": "01/01/2025", "so_thang": 3}
    )
    assert picked["Đỗ Văn Đúng"] in page.content.decode() and "Ghi quyết định" in page.content.decode()
    # a discipline recorded after the list was drawn: his due date moves, he is left out
    Discipline.objects.create(
        person=staff["on_time"], system="chinh_quyen", form="canh_cao", decision_number="9/QĐ",
        decision_date=dt.date(2024, 11, 1), issuing_body="UBND", violation="x",
    )  # fmt: skip
    r = post(officer, tree, list(picked.values()))
    body = r.content.decode()
    assert r.status_code == 200
    assert "Đã ghi quyết định 15/QĐ-SNV cho 2 người" in body
    assert "Không nâng lương cho Đỗ Văn Đúng" in body
    assert not SalaryRow.objects.filter(person=staff["on_time"], decision_number="15/QĐ-SNV").exists()
    new = SalaryRow.objects.get(person=staff["delayed"], decision_number="15/QĐ-SNV")
    assert (new.step, str(new.coefficient), new.from_date) == (5, "3.66", dt.date(2025, 2, 15))
    top = SalaryRow.objects.get(person=staff["top"], decision_number="15/QĐ-SNV")
    assert (top.step, top.beyond_frame_percent, top.from_date) == (9, 5, dt.date(2025, 1, 10))
    staff["top"].refresh_from_db()
    assert staff["top"].salary_step == 9
    log = ObjectChange.objects.filter(object_id=new.pk, content_type__model="salaryrow").get()
    assert "15/QĐ-SNV" in log.reason and "Giám đốc Sở Nội vụ" in log.reason


def test_decision_is_all_or_nothing(users: dict, staff: dict, tree: dict) -> None:
    officer = users["officer_a"]
    picked = tokens(officer, tree)
    # a row already written on the due day of one of them: his row is refused, nobody is raised
    from canbo.people.services import section_create
    from canbo.salary.models import Grade

    grade = Grade.objects.get(code="01.003")
    row = SalaryRow(grade=grade, step=9, coefficient="4.98", from_date=dt.date(2025, 1, 10),
                    step_since=dt.date(2022, 1, 10))  # fmt: skip
    section_create(acting_user=officer, person=staff["top"], instance=row, reason="x")
    before = SalaryRow.objects.count()
    r = post(officer, tree, [picked["Đỗ Văn Chậm"], picked["Đỗ Văn Khung"]])
    # the list is drawn as of 01/01/2025: the row of 10/01/2025 is not in force yet, so the line
    # is unchanged, and the new row collides with it
    assert r.status_code == 400
    assert "Không ghi quyết định nào" in r.content.decode()
    assert SalaryRow.objects.count() == before


def test_other_subtree_and_leader_are_refused(users: dict, staff: dict, tree: dict) -> None:
    picked = tokens(users["officer_a"], tree)
    before = SalaryRow.objects.count()
    r = post(users["officer_b"], tree, [picked["Đỗ Văn Chậm"]], don_vi=tree["B"].pk)
    assert r.status_code == 404 and "ngoài phạm vi được giao" in r.content.decode()
    leader = post(users["leader_a"], tree, [picked["Đỗ Văn Chậm"]])
    assert leader.status_code == 404
    assert SalaryRow.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"so_quyet_dinh": ""}, "Trường này là bắt buộc"),
        ({"ngay_quyet_dinh": "32/12/2024"}, "Ngày quyết định không hợp lệ"),
        ({"chon": []}, "Hãy chọn ít nhất một người trong danh sách."),
        ({"chon": ["abc|x"]}, "Danh sách đã chọn không hợp lệ"),
    ],
)
def test_bad_decision_input_is_400(users: dict, staff: dict, tree: dict, changes: dict, message: str) -> None:
    r = post(users["officer_a"], tree, list(tokens(users["officer_a"], tree).values()), **changes)
    assert r.status_code == 400
    assert message in r.content.decode()


def _page(user: Any, tree: dict, **extra: Any) -> str:
    query = {"don_vi": tree["A"].pk, "ngay": "01/01/2025", "so_thang": 3, **extra}
    return client_for(user).get("/luong/den-han/", query).content.decode()


def _digest(body: str) -> str:
    import re

    found = re.search(r'name="dau" value="([0-9a-f]+)"', body)
    assert found is not None
    return found.group(1)


def test_select_all_under_the_filter_covers_every_page(
    users: dict, staff: dict, tree: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from canbo.salary import views

    monkeypatch.setattr(views, "DUE_PER_PAGE", 1)  # three eligible people: three pages
    officer = users["officer_a"]
    body = _page(officer, tree, trang=2)
    assert "Chọn tất cả 3 người đủ điều kiện theo bộ lọc (mọi trang, không chỉ 1 người ở trang này)" in body
    r = post(officer, tree, [], tat_ca="1", dau=_digest(body))
    assert r.status_code == 200
    assert "Đã ghi quyết định 15/QĐ-SNV cho 3 người" in r.content.decode()
    written = SalaryRow.objects.filter(decision_number="15/QĐ-SNV")
    assert {r.person_id for r in written} == {staff["on_time"].pk, staff["delayed"].pk, staff["top"].pk}
    pks = [w.pk for w in written]
    logged = ObjectChange.objects.filter(content_type__model="salaryrow", object_id__in=pks)
    assert logged.count() == 3


def test_select_all_is_refused_whole_when_the_list_changed(
    users: dict, staff: dict, tree: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from canbo.salary import views

    monkeypatch.setattr(views, "DUE_PER_PAGE", 1)
    officer = users["officer_a"]
    digest = _digest(_page(officer, tree))
    # a discipline recorded after the list was drawn: one of the three is no longer eligible then
    Discipline.objects.create(
        person=staff["on_time"], system="chinh_quyen", form="canh_cao", decision_number="9/QĐ",
        decision_date=dt.date(2024, 11, 1), issuing_body="UBND", violation="x",
    )  # fmt: skip
    before = SalaryRow.objects.count()
    r = post(officer, tree, [], tat_ca="1", dau=digest)
    body = r.content.decode()
    assert r.status_code == 400
    assert "Không ghi quyết định nào: danh sách người đủ điều kiện đã thay đổi" in body
    assert "(nay có 2 người)" in body
    assert SalaryRow.objects.count() == before
    # without the list's fingerprint: refused, nothing written
    bad = post(officer, tree, [], tat_ca="1")
    assert bad.status_code == 400 and "Danh sách không hợp lệ; hãy lập lại danh sách." in bad.content.decode()
    assert SalaryRow.objects.count() == before


def test_select_all_other_subtree_and_leader_are_refused(users: dict, staff: dict, tree: dict) -> None:
    from canbo.salary.selectors import eligible_digest

    digest = eligible_digest(due_list(users["officer_a"], tree["A"], AS_OF, 3))
    before = SalaryRow.objects.count()
    other = post(users["officer_b"], tree, [], tat_ca="1", dau=digest)  # unit A is not in his grants
    assert other.status_code == 400 and "Đã ghi quyết định" not in other.content.decode()
    leader = post(users["leader_a"], tree, [], tat_ca="1", dau=digest)  # sees A, may not change it
    assert leader.status_code == 404
    assert SalaryRow.objects.count() == before


def test_select_all_is_offered_only_when_the_list_has_several_pages(
    users: dict, staff: dict, tree: dict
) -> None:
    body = _page(users["officer_a"], tree)  # three eligible people, one page of 100
    assert "Ghi quyết định" in body and "Chọn tất cả" not in body


def test_a_decided_raise_is_no_longer_due_but_a_past_list_keeps_it(
    users: dict, staff: dict, tree: dict
) -> None:
    """Found by the lead's walk: after a decision whose rows start later than the list's date,
    the same people were still listed as due (and could be picked again)."""
    officer = users["officer_a"]
    picked = tokens(officer, tree)
    r = post(officer, tree, [picked["Đỗ Văn Chậm"]])
    assert "Đã ghi quyết định 15/QĐ-SNV cho 1 người" in r.content.decode()
    assert SalaryRow.objects.get(person=staff["delayed"], decision_number="15/QĐ-SNV").from_date > AS_OF
    # on the list's date the decision (20/12/2024) exists: he is no longer due
    assert "Đỗ Văn Chậm" not in tokens(officer, tree)
    assert {"Đỗ Văn Đúng", "Đỗ Văn Khung"} <= set(tokens(officer, tree))
    # as of a day before the decision he was still due then
    before = due_list(officer, tree["A"], dt.date(2024, 12, 1), 3)
    assert "Đỗ Văn Chậm" in {i.name for i in before if not i.blocked}
