"""Planning pages and API: grants on the list's unit see and change; other subtrees get 404;
bad input answers 400 in Vietnamese with nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from canbo.conftest import REASON_HEADERS, kept_person_a, kept_tree, kept_users, new_person
from canbo.core.models import ObjectChange
from canbo.planning import services
from canbo.planning.models import PlanningEntry, PlanningList
from canbo.planning.tests.conftest import DAY, hold

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")


def client_for(user: Any) -> Client:
    c = Client(headers=REASON_HEADERS)
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def entry(plist: PlanningList, users: dict, person_a: Any, titles: dict) -> PlanningEntry:
    return services.planning_entry_add(
        acting_user=users["officer_a"], planning_list=plist, person=person_a, title=titles["ct"], added_on=DAY
    )


def test_pages_answer_by_grant(plist: PlanningList, entry: PlanningEntry, users: dict) -> None:
    urls = ["/quy-hoach/", f"/quy-hoach/{plist.pk}/", f"/quy-hoach/muc/{entry.pk}/"]
    assert all(client_for(None).get(u).status_code == 302 for u in urls)  # to the login page
    officer, leader = client_for(users["officer_a"]), client_for(users["leader_a"])
    for u in urls:
        assert officer.get(u).status_code == 200
        assert leader.get(u).status_code == 200
    assert plist.name in officer.get("/quy-hoach/").content.decode()
    for other in ("officer_b", "nogrant", "self_user"):
        c = client_for(users[other])
        assert plist.name not in c.get("/quy-hoach/").content.decode()
        assert c.get(urls[1]).status_code == 404
        assert c.get(urls[2]).status_code == 404
    assert client_for(users["admin"]).get(urls[1]).status_code == 200


def test_detail_groups_by_title_with_structure_as_of_the_date(
    plist: PlanningList, entry: PlanningEntry, users: dict, tree: dict, titles: dict
) -> None:
    pao = new_person(tree["A"], "Giàng A Páo", sex="nam", born=dt.date(1992, 3, 1))
    services.planning_entry_add(
        acting_user=users["officer_a"], planning_list=plist, person=pao, title=titles["bt"], added_on=DAY
    )
    c = client_for(users["officer_a"])
    body = c.get(f"/quy-hoach/{plist.pk}/", {"ngay": "04/11/2025"}).content.decode()
    assert body.index("Bí thư Huyện ủy") < body.index("Chủ tịch UBND huyện")  # most senior first
    assert "2 người trong quy hoạch" in body
    assert "Dưới 40 tuổi" in body and "1/2" in body and "50,0%" in body  # Páo is 33
    assert 'id="bo-sung"' in body  # the officer may add
    before = c.get(f"/quy-hoach/{plist.pk}/", {"ngay": "01/01/2025"}).content.decode()
    assert "Chưa có ai trong danh sách" in before and "2 lượt bổ sung sau ngày này" in before
    assert 'id="bo-sung"' not in client_for(users["leader_a"]).get(f"/quy-hoach/{plist.pk}/").content.decode()
    assert c.get(f"/quy-hoach/{plist.pk}/", {"ngay": "31/02/2025"}).status_code == 400


def test_create_list(users: dict, tree: dict) -> None:
    c = client_for(users["officer_a"])
    data = {
        "unit_code": "A1",
        "name": "Quy hoạch phòng Nội vụ",
        "kind": "lanh_dao_quan_ly",
        "term": "2025–2030",
    }
    assert c.get("/quy-hoach/moi/").status_code == 200
    r = c.post("/quy-hoach/moi/", data)
    assert r.status_code == 302
    pl = PlanningList.objects.get()
    assert (pl.unit, pl.term_start, pl.term_end) == (tree["A1"], 2025, 2030)
    again = c.post("/quy-hoach/moi/", data)
    assert again.status_code == 400 and "đã có danh sách quy hoạch" in again.content.decode()
    for bad, message in (
        ({"unit_code": "B"}, "Không có đơn vị mã “B” trong phạm vi"),  # other subtree
        ({"term": "2030-2025"}, "phải sau năm bắt đầu"),
        ({"term": "nhiệm kỳ mới"}, "Nhiệm kỳ ghi dạng 2025–2030"),
        ({"decision_date": "32/01/2025"}, "Ngày không hợp lệ"),
    ):
        r = c.post("/quy-hoach/moi/", {**data, "term": "2026-2031", **bad})
        assert r.status_code == 400 and message in r.content.decode()
    assert PlanningList.objects.count() == 1
    assert client_for(users["nogrant"]).get("/quy-hoach/moi/").status_code == 404
    assert (
        client_for(users["leader_a"]).post("/quy-hoach/moi/", {**data, "term": "2026-2031"}).status_code
        == 404
    )


def test_add_entry_by_id_or_name_and_refusals(
    plist: PlanningList, users: dict, tree: dict, person_a: Any, person_b: Any, titles: dict
) -> None:
    c = client_for(users["officer_a"])
    url = f"/quy-hoach/{plist.pk}/them/"
    form = {"nguoi": person_a.personal_id, "chuc_danh": titles["ct"].pk, "added_on": "03/11/2025",
            "reason": "Theo đề nghị của Ban Thường vụ"}  # fmt: skip
    hold(person_a, tree["A1"], titles["bt"])
    r = c.post(url, form)  # holds a more senior title: P-1
    assert r.status_code == 400 and "P-1" in r.content.decode()
    assert not PlanningEntry.objects.exists()
    new_person(tree["A"], "Nguyễn Thị Hoa Hai")
    r = c.post(url, {**form, "nguoi": "nguyen thi hoa"})
    assert r.status_code == 400 and "Có nhiều người khớp" in r.content.decode()
    r = c.post(url, {**form, "nguoi": person_b.personal_id})  # district B: not in officer_a's reach
    assert r.status_code == 400 and "Không tìm thấy cán bộ có số định danh" in r.content.decode()
    r = c.post(url, {**form, "nguoi": "tran van binh"})
    assert r.status_code == 400 and "Không tìm thấy cán bộ" in r.content.decode()
    r = c.post(url, {**form, "added_on": "hôm qua", "chuc_danh": "999999"})
    assert r.status_code == 400 and "Ngày không hợp lệ" in r.content.decode()
    assert "Chức danh không hợp lệ" in r.content.decode()
    assert not PlanningEntry.objects.exists()
    # no reason (issue 21): refused in Vietnamese, nothing written
    r = c.post(url, {**form, "nguoi": "nguyen thi hoa hai", "reason": ""})
    assert r.status_code == 400 and "Hãy ghi lý do hoặc căn cứ của thay đổi" in r.content.decode()
    assert not PlanningEntry.objects.exists()
    r = c.post(url, {**form, "nguoi": "nguyen thi hoa hai"})
    entry = PlanningEntry.objects.get()
    assert ObjectChange.objects.get(object_id=entry.pk, content_type__model="planningentry").reason == (
        "Theo đề nghị của Ban Thường vụ"
    )
    assert r.status_code == 302 and r["Location"] == f"/quy-hoach/muc/{entry.pk}/"
    assert entry.person.full_name == "Nguyễn Thị Hoa Hai" and entry.added_on == DAY
    page = c.get(r["Location"]).content.decode()
    assert "Kiểm tra điều kiện quy hoạch" in page and "Kết luận" in page and "Đã bổ sung" in page
    assert client_for(users["officer_b"]).post(url, form).status_code == 404
    assert client_for(users["leader_a"]).post(url, form).status_code == 404
    assert c.get(url).status_code == 405


def test_remove_entry(plist: PlanningList, entry: PlanningEntry, users: dict) -> None:
    url = f"/quy-hoach/muc/{entry.pk}/dua-ra/"
    data = {"removed_on": "01/03/2026", "reason": "", "row_version": entry.row_version}
    c = client_for(users["officer_a"])
    r = c.post(url, data)
    assert r.status_code == 400 and "Cần ghi lý do" in r.content.decode()
    r = c.post(url, {**data, "reason": "Rà soát", "removed_on": "01/01/2025"})
    assert r.status_code == 400 and "phải sau ngày bổ sung" in r.content.decode()
    assert client_for(users["officer_b"]).post(url, {**data, "reason": "x"}).status_code == 404
    assert client_for(users["leader_a"]).post(url, {**data, "reason": "x"}).status_code == 404
    entry.refresh_from_db()
    assert entry.removed_on is None
    r = c.post(url, {**data, "reason": "Không còn đủ tuổi quy hoạch"})
    assert r.status_code == 302
    entry.refresh_from_db()
    assert entry.removed_on == dt.date(2026, 3, 1)
    stale = c.post(url, {**data, "reason": "x"})
    assert stale.status_code == 400  # already removed
    later = c.get(f"/quy-hoach/{plist.pk}/", {"ngay": "02/03/2026"}).content.decode()
    assert "Đã đưa ra khỏi quy hoạch" in later and "Không còn đủ tuổi quy hoạch" in later


def test_person_page_panel(entry: PlanningEntry, users: dict, person_a: Any) -> None:
    body = client_for(users["officer_a"]).get(f"/can-bo/{person_a.pk}/").content.decode()
    assert 'id="quy-hoach"' in body and "đang trong quy hoạch" in body
    assert f"/quy-hoach/muc/{entry.pk}/" in body
    # Only the lists a user may see show: not to the person himself, nor to another subtree.
    own = client_for(users["self_user"]).get(f"/can-bo/{person_a.pk}/").content.decode()
    assert "Đăng xuất" in own and 'id="quy-hoach"' not in own


def test_api_is_scoped(plist: PlanningList, entry: PlanningEntry, users: dict) -> None:
    c = client_for(users["officer_a"])
    lists = c.get("/api/planning/lists/").json()
    assert [row["id"] for row in lists["results"]] == [plist.pk]
    entries = c.get("/api/planning/entries/", {"danh_sach": str(plist.pk), "ngay": "2025-11-03"}).json()
    assert [row["id"] for row in entries["results"]] == [entry.pk]
    assert c.get("/api/planning/entries/", {"ngay": "2025-11-02"}).json()["results"] == []
    assert c.get("/api/planning/entries/", {"danh_sach": "abc"}).status_code == 400
    assert c.get("/api/planning/entries/", {"ngay": "hôm qua"}).status_code == 400
    other = client_for(users["officer_b"])
    assert other.get("/api/planning/lists/").json()["results"] == []
    assert other.get(f"/api/planning/lists/{plist.pk}/").status_code == 404
    assert other.get(f"/api/planning/entries/{entry.pk}/").status_code == 404
    assert c.post("/api/planning/lists/", {}).status_code == 405


def test_list_pages_query_count_does_not_grow_with_entries(
    plist: PlanningList, users: dict, tree: dict, titles: dict
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(users["officer_a"])

    def counts() -> tuple[int, int]:
        out = []
        for url in ("/quy-hoach/", f"/quy-hoach/{plist.pk}/"):
            with CaptureQueriesContext(connection) as ctx:
                assert c.get(url, {"ngay": "04/11/2025"}).status_code == 200
            out.append(len(ctx.captured_queries))
        return out[0], out[1]

    def add(i: int, title: Any) -> None:
        p = new_person(tree["A1"], f"Người Số {i}", sex="nam" if i % 2 else "nu")
        services.planning_entry_add(
            acting_user=users["officer_a"], planning_list=plist, person=p, title=title, added_on=DAY
        )

    add(0, titles["ct"])
    counts()  # the first page of the process also builds the unit labels (org.selectors.unit_index)
    few = counts()
    for i, key in enumerate(("ct", "ct", "bt", "bt", "bt", "pct", "pct"), start=1):
        add(i, titles[key])
    assert counts() == few
