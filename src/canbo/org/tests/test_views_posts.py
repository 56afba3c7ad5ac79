"""Titles, posts, vacancies and quotas pages by kind of user."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from canbo.careers.models import Tenure, TenureKind
from canbo.conftest import kept_person_a, kept_tree, kept_users, make_unit, new_person
from canbo.org.models import Post, StaffingQuota, Title, Unit

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")


def client_for(user: Any | None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


TITLE = {
    "code": "GD_SO", "name": "Giám đốc Sở", "level": "tinh", "block": "nha_nuoc", "group": "truong_co_quan",
    "catalogue_group": "IV", "head_kind": "truong", "management_scope": "btv_tinh_uy", "rank": "60",
    "allowance_coefficient": "0,90", "min_professional": "dai_hoc", "min_political_theory": "cao_cap",
    "min_state_management": "chuyen_vien_chinh", "max_age_first_appointment": "55", "reason": "QĐ 1",
}  # fmt: skip


def test_title_catalogue_read_by_all_edited_by_admin(users: dict, title: Title) -> None:
    assert client_for(None).get("/don-vi/chuc-danh/").status_code == 302
    assert "Trưởng phòng" in client_for(users["nogrant"]).get("/don-vi/chuc-danh/").content.decode()
    for name in ("officer_a", "leader_a"):
        assert client_for(users[name]).get("/don-vi/chuc-danh/them/").status_code == 404
        assert client_for(users[name]).post("/don-vi/chuc-danh/them/", TITLE).status_code == 404
    c = client_for(users["admin"])
    assert c.post("/don-vi/chuc-danh/them/", {**TITLE, "max_age_first_appointment": "90"}).status_code == 400
    assert c.post("/don-vi/chuc-danh/them/", TITLE).status_code == 302
    t = Title.objects.get(code="GD_SO")
    assert t.min_political_theory == "cao_cap" and str(t.allowance_coefficient) == "0.90"
    assert c.post(f"/don-vi/chuc-danh/{t.pk}/sua/", {**TITLE, "name": "Giám đốc sở"}).status_code == 302
    t.refresh_from_db()
    assert t.name == "Giám đốc sở"
    dup = c.post("/don-vi/chuc-danh/them/", {**TITLE, "code": "gd_so"})
    assert dup.status_code == 400 and "đã có" in dup.content.decode()


def test_post_page_refuses_another_level_and_other_subtree(users: dict, tree: dict, title: Title) -> None:
    url = f"/don-vi/{tree['A1'].pk}/them-vi-tri/"
    assert client_for(users["officer_b"]).post(url, {"title": title.pk, "seats": 2}).status_code == 404
    province = Title.objects.create(
        code="PGD", name="Phó Giám đốc Sở", level="tinh", group="pho_co_quan", block="nha_nuoc",
        head_kind="pho", management_scope="btv_tinh_uy",
    )  # fmt: skip
    c = client_for(users["officer_a"])
    # A title of another level is not offered, and refused if posted.
    assert "Phó Giám đốc Sở" not in c.get(url).content.decode()
    assert c.post(url, {"title": province.pk, "seats": 1}).status_code == 400
    assert c.post(url, {"title": title.pk, "seats": 2, "reason": "Đề án 1"}).status_code == 302
    assert Post.objects.get(unit=tree["A1"]).seats == 2


def test_vacancies_show_empty_and_overfilled_seats(users: dict, tree: dict, title: Title) -> None:
    day = dt.date(2024, 1, 1)
    Post.objects.create(unit=tree["A1"], title=title, seats=2, valid_from=dt.date(2015, 1, 1))
    b1 = make_unit(tree["B"], "B1", "Phòng Nội vụ huyện B", level="huyen")
    Post.objects.create(unit=b1, title=title, seats=1, valid_from=dt.date(2015, 1, 1))
    for unit, name in ((tree["A1"], "Hoàng Văn Một"), (b1, "Đỗ Văn Hai"), (b1, "Vũ Thị Ba")):
        Tenure.objects.create(
            person=new_person(unit, name), unit=unit, title=title, kind=TenureKind.APPOINTED,
            start_date=dt.date(2020, 1, 1),
        )  # fmt: skip
    body = client_for(users["officer_a"]).get("/don-vi/vi-tri/", {"ngay": "2024-01-01"}).content.decode()
    assert "Hoàng Văn Một" in body and "Đỗ Văn Hai" not in body  # other subtree not shown
    assert "<strong>1 còn trống</strong>" in body
    text = (
        client_for(users["admin"])
        .get("/don-vi/vi-tri/", {"ngay": day.isoformat(), "chi": "thua"})
        .content.decode()
    )
    assert "Đỗ Văn Hai" in text and "Hoàng Văn Một" not in text
    before = client_for(users["admin"]).get("/don-vi/vi-tri/", {"ngay": "2019-06-01"}).content.decode()
    assert "<strong>3 còn trống</strong>" in before  # nobody held them yet
    assert client_for(users["officer_a"]).get("/don-vi/vi-tri/", {"don_vi": b1.pk}).status_code == 404
    assert client_for(users["officer_a"]).get("/don-vi/vi-tri/", {"ngay": "hôm qua"}).status_code == 400


def test_quotas_page_shows_the_gap_and_the_set_form_is_scoped(users: dict, tree: dict) -> None:
    new_person(tree["A1"], "Nguyễn Văn Công")  # category công chức
    c = client_for(users["officer_a"])
    url = f"/don-vi/{tree['A1'].pk}/giao-bien-che/"
    assert client_for(users["officer_b"]).post(url, {"year": 2025}).status_code == 404
    assert c.post(url, {"year": "2025", "civil_servants": "-1", "public_employees": "0"}).status_code == 400
    ok = c.post(url, {"year": "2025", "civil_servants": "5", "public_employees": "0", "basis": "QĐ 2"})
    assert ok.status_code == 302 and StaffingQuota.objects.get().civil_servants == 5
    body = c.get("/don-vi/bien-che/", {"ngay": "2025-03-01"}).content.decode()
    # person_a (fixture) and Nguyễn Văn Công are civil servants of A1: 5 − 2 = 3.
    assert '<td class="num">5</td><td class="num">2</td><td class="num">3</td>' in body


def test_root_unit_only_by_a_superuser(users: dict, tree: dict) -> None:
    data = {"code": "T2", "name": "Tỉnh Hai", "kind": "dia_phuong", "block": "nha_nuoc", "level": "tinh",
            "valid_from": "01/07/2025", "basis": "NQ 202/2025/QH15"}  # fmt: skip
    assert client_for(users["officer_a"]).post("/don-vi/them-don-vi-goc/", data).status_code == 404
    assert client_for(users["admin"]).post("/don-vi/them-don-vi-goc/", data).status_code == 302
    assert Unit.objects.get(code="T2").depth == 1


def test_vacancies_and_quotas_query_counts_do_not_grow_with_the_subtree(
    users: dict, tree: dict, title: Title, django_assert_num_queries: Any
) -> None:
    """Pinned (measured on SQLite): 11 for vacancies (session, user, grants, the page's context,
    the root unit; posts and tenures as columns for the totals, the filter and the order; the
    page's posts and tenures as objects), 11 for quotas (the root, units, quotas, people counts, the
    change-permission set). Ten more units with posts, holders and quotas change nothing."""
    c = client_for(users["officer_a"])

    def grow(n: int) -> None:
        for i in range(n):
            u = make_unit(tree["A"], f"G{n}{i}", f"Phòng {n}-{i}", level="huyen")
            Post.objects.create(unit=u, title=title, seats=1, valid_from=dt.date(2015, 1, 1))
            Tenure.objects.create(
                person=new_person(u, f"Người {n} {i}"), unit=u, title=title, kind=TenureKind.APPOINTED,
                start_date=dt.date(2020, 1, 1),
            )  # fmt: skip
            StaffingQuota.objects.create(unit=u, year=2024, civil_servants=1, public_employees=0)

    grow(2)
    url_v = f"/don-vi/vi-tri/?don_vi={tree['A'].pk}&ngay=2024-01-01"
    url_q = f"/don-vi/bien-che/?don_vi={tree['A'].pk}&ngay=2024-01-01"
    # A process's first request also asks how broad the grant's subtree is for each model it
    # restricts (``core.querysets.is_broad_subtree``, kept per process): counted from the second.
    c.get(url_v)
    c.get(url_q)
    with django_assert_num_queries(VACANCIES_QUERIES):
        assert c.get(url_v).status_code == 200
    with django_assert_num_queries(QUOTAS_QUERIES):
        assert c.get(url_q).status_code == 200
    grow(10)
    with django_assert_num_queries(VACANCIES_QUERIES):
        assert c.get(url_v).status_code == 200
    with django_assert_num_queries(QUOTAS_QUERIES):
        assert c.get(url_q).status_code == 200


VACANCIES_QUERIES = 11
QUOTAS_QUERIES = 11


def test_vacancies_api_is_paginated_and_agrees_with_the_page(
    users: dict, tree: dict, title: Title, django_assert_num_queries: Any
) -> None:
    """``/api/units/{id}/vacancies/`` pages the vacancy page's rows with ``limit``/``offset``:
    the same rows in the same order, seats, holders and counts; the filter ``chi`` as on the
    page; a bad ``chi`` is a 400; the other subtree's officer gets a 404. Its query count does
    not grow with the subtree (pinned, measured on SQLite: the unit; posts and tenures counted;
    the page's posts and tenures as objects; the grants are read once per user object, and the
    API client reuses it)."""
    from rest_framework.test import APIClient

    day = "2024-01-01"
    second = Title.objects.create(code="PP", name="Phó Trưởng phòng", level="huyen", rank=10)
    units = [make_unit(tree["A"], f"W{i}", f"Phòng {i:02d}", level="huyen") for i in range(5)]
    for i, u in enumerate(units):
        Post.objects.create(unit=u, title=title, seats=1, valid_from=dt.date(2015, 1, 1))
        Post.objects.create(unit=u, title=second, seats=2, valid_from=dt.date(2015, 1, 1))
        for n in range(i % 3):  # 0, 1 or 2 holders of the head's seat: empty, full, over-filled
            Tenure.objects.create(
                person=new_person(u, f"Trưởng {i}-{n}"), unit=u, title=title, kind=TenureKind.APPOINTED,
                start_date=dt.date(2020, 1, 1),
            )  # fmt: skip
    api = APIClient()
    api.force_authenticate(users["officer_a"])
    url = f"/api/units/{tree['A'].pk}/vacancies/"

    def key(unit: int, title_id: int, seats: int, held: int, holders: list[str]) -> tuple:
        return (unit, title_id, seats, held, tuple(holders))

    for only in ("", "trong", "thua"):
        page = client_for(users["officer_a"]).get(
            "/don-vi/vi-tri/", {"don_vi": tree["A"].pk, "ngay": day, "chi": only}
        )
        expected = [
            key(r.unit.pk, r.title.pk, r.seats, r.held, [t.person.full_name for t in r.holders])
            for r in page.context["rows"]
        ]
        assert expected  # the test would prove nothing on an empty view
        got: list[tuple] = []
        body = api.get(url, {"ngay": day, "chi": only, "limit": "3"}).json()
        while True:
            got += [
                key(r["unit"], r["title"], r["seats"], r["held"], [h["full_name"] for h in r["holders"]])
                for r in body["results"]
            ]
            if not body["next"]:
                break
            body = api.get(body["next"]).json()
        assert body["count"] == len(expected) and got == expected, only
    first = api.get(url, {"ngay": day, "limit": "2"}).json()
    assert first["count"] == 10 and len(first["results"]) == 2
    bad = api.get(url, {"ngay": day, "chi": "tat-ca"})
    assert bad.status_code == 400 and "trong" in bad.json()["errors"]["chi"][0]
    other = APIClient()
    other.force_authenticate(users["officer_b"])
    assert other.get(url, {"ngay": day}).status_code == 404
    with django_assert_num_queries(VACANCIES_API_QUERIES):
        assert api.get(url, {"ngay": day, "limit": "4"}).status_code == 200
    for i in range(10):
        u = make_unit(tree["A"], f"X{i}", f"Phòng thêm {i}", level="huyen")
        Post.objects.create(unit=u, title=title, seats=1, valid_from=dt.date(2015, 1, 1))
        Tenure.objects.create(
            person=new_person(u, f"Người thêm {i}"), unit=u, title=title, kind=TenureKind.APPOINTED,
            start_date=dt.date(2020, 1, 1),
        )  # fmt: skip
    with django_assert_num_queries(VACANCIES_API_QUERIES):
        assert api.get(url, {"ngay": day, "limit": "4"}).status_code == 200


VACANCIES_API_QUERIES = 5


def test_post_edit_page_changes_seats_or_ends_it(users: dict, tree: dict, title: Title) -> None:
    post = Post.objects.create(unit=tree["A1"], title=title, seats=1, valid_from=dt.date(2015, 1, 1))
    url = f"/don-vi/vi-tri/{post.pk}/sua/"
    assert client_for(users["officer_b"]).get(url).status_code == 404
    assert client_for(users["leader_a"]).post(url, {"seats": 3}).status_code == 404
    c = client_for(users["officer_a"])
    assert c.post(url, {"seats": "0"}).status_code == 400
    assert c.post(url, {"seats": "3", "valid_to": "31/12/2025", "reason": "QĐ 4"}).status_code == 302
    post.refresh_from_db()
    assert post.seats == 3 and post.valid_to == dt.date(2025, 12, 31)


def test_vacancies_are_paginated_with_totals_over_every_row(users: dict, tree: dict, title: Title) -> None:
    """The view reads objects for one page only; the totals and the filter cover every row."""
    from canbo.org.selectors import vacancy_page

    day = dt.date(2024, 1, 1)
    units = [make_unit(tree["A"], f"V{i}", f"Phòng {i:02d}", level="huyen") for i in range(5)]
    for i, u in enumerate(units):
        Post.objects.create(unit=u, title=title, seats=2, valid_from=dt.date(2015, 1, 1))
        if i % 2 == 0:
            Tenure.objects.create(
                person=new_person(u, f"Người Giữ {i}"), unit=u, title=title, kind=TenureKind.APPOINTED,
                start_date=dt.date(2020, 1, 1),
            )  # fmt: skip
    found = vacancy_page(users["officer_a"], [tree["A"]], day, per_page=2, page=2)
    assert (found.seats, found.held, found.empty, found.over) == (10, 3, 7, 0)
    assert found.page.paginator.num_pages == 3 and found.page.paginator.count == 5
    assert [r.unit.name for r in found.rows] == ["Phòng 02", "Phòng 03"]
    assert [t.person.full_name for t in found.rows[0].holders] == ["Người Giữ 2"] and not found.rows[
        1
    ].holders
    # The other subtree's officer sees none of it.
    assert vacancy_page(users["officer_b"], [tree["B"]], day).page.paginator.count == 0
    c = client_for(users["officer_a"])
    body = c.get("/don-vi/vi-tri/", {"don_vi": tree["A"].pk, "ngay": "2024-01-01", "trang": "abc"})
    assert body.status_code == 200 and "<strong>7 còn trống</strong>" in body.content.decode()
