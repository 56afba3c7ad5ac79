"""The organisation's writes through the API: same services, same permissions, same refusals."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from canbo.conftest import REASON_HEADERS
from canbo.org.models import Post, StaffingQuota, Title, Unit


def api(user: Any | None) -> APIClient:
    c = APIClient(headers=REASON_HEADERS)
    if user is not None:
        c.force_authenticate(user)
    return c


UNIT = {"code": "A2", "name": "Phòng Tư pháp", "kind": "phong", "block": "nha_nuoc", "level": "huyen",
        "valid_from": "2020-02-01", "basis": "QĐ 15"}  # fmt: skip


def test_unit_create_correct_move_by_kind_of_user(users: dict, tree: dict) -> None:
    assert api(None).post("/api/units/", {**UNIT, "parent": tree["A"].pk}, format="json").status_code in (
        401,
        403,
    )
    for name in ("nogrant", "officer_b"):
        r = api(users[name]).post("/api/units/", {**UNIT, "parent": tree["A"].pk}, format="json")
        assert r.status_code == 404
    r = api(users["leader_a"]).post("/api/units/", {**UNIT, "parent": tree["A"].pk}, format="json")
    assert r.status_code == 404
    assert not Unit.objects.filter(code="A2").exists()
    c = api(users["officer_a"])
    r = c.post("/api/units/", {**UNIT, "parent": tree["A"].pk}, format="json")
    assert r.status_code == 201 and r.json()["parent_id"] == tree["A"].pk
    dup = c.post("/api/units/", {**UNIT, "parent": tree["A"].pk}, format="json")
    assert dup.status_code == 400 and "đã được dùng" in dup.json()["detail"]
    root = c.post("/api/units/", {**UNIT, "code": "R"}, format="json")
    assert root.status_code == 400 and "đơn vị gốc" in root.json()["detail"]
    pk = r.json()["id"]
    no_reason = {"X-Change-Reason": ""}  # this client sends one on every call otherwise
    assert (
        c.patch(f"/api/units/{pk}/", {"name": "Phòng Tư Pháp"}, format="json", headers=no_reason).status_code
        == 400
    )
    ok = c.patch(f"/api/units/{pk}/", {"name": "Phòng Tư Pháp", "reason": "Sai chính tả"}, format="json")
    assert ok.status_code == 200 and ok.json()["name"] == "Phòng Tư Pháp"
    assert (
        api(users["officer_b"])
        .patch(f"/api/units/{pk}/", {"name": "X", "reason": "x"}, format="json")
        .status_code
        == 404
    )
    # Move: a cycle is refused; moving into another subtree needs rights there.
    cyc = api(users["admin"]).post(
        f"/api/units/{tree['A'].pk}/move/",
        {"new_parent": pk, "on": "2025-07-01", "basis": "QĐ 3"},
        format="json",
    )
    assert cyc.status_code == 400 and "vòng lặp" in cyc.json()["detail"]
    other = c.post(
        f"/api/units/{pk}/move/",
        {"new_parent": tree["B"].pk, "on": "2025-07-01", "basis": "QĐ 3"},
        format="json",
    )
    assert other.status_code == 404
    moved = api(users["admin"]).post(
        f"/api/units/{pk}/move/",
        {"new_parent": tree["B"].pk, "on": "2025-07-01", "basis": "QĐ 3"},
        format="json",
    )
    assert moved.status_code == 201 and moved.json()["parent_id"] == tree["B"].pk


def test_titles_posts_quotas_through_the_api(users: dict, tree: dict, title: Title) -> None:
    body = {"code": "PCT", "name": "Phó Chủ tịch UBND huyện", "level": "huyen", "group": "pho_chu_tich_ubnd",
            "block": "nha_nuoc", "head_kind": "pho", "management_scope": "btv_huyen_uy",
            "min_political_theory": "cao_cap", "max_age_first_appointment": 55}  # fmt: skip
    assert api(users["officer_a"]).post("/api/titles/", body, format="json").status_code == 404
    r = api(users["admin"]).post("/api/titles/", body, format="json")
    assert r.status_code == 201 and r.json()["min_political_theory"] == "cao_cap"
    again = api(users["admin"]).post("/api/titles/", body, format="json")
    assert again.status_code == 400 and "đã có" in again.json()["detail"]
    c = api(users["officer_a"])
    post = {"unit": tree["A1"].pk, "title": title.pk, "seats": 2}
    assert api(users["officer_b"]).post("/api/posts/", post, format="json").status_code == 404
    assert c.post("/api/posts/", {**post, "unit": tree["P"].pk}, format="json").status_code == 404
    r = c.post("/api/posts/", post, format="json")
    assert r.status_code == 201
    assert c.patch(f"/api/posts/{r.json()['id']}/", {"seats": 3}, format="json").status_code == 200
    assert Post.objects.get().seats == 3
    assert api(users["officer_b"]).get(f"/api/posts/{r.json()['id']}/").status_code == 404
    vac = c.get(f"/api/units/{tree['A'].pk}/vacancies/", {"ngay": "2024-01-01"}).json()
    assert vac["count"] == 1 and vac["results"][0]["seats"] == 3 and vac["results"][0]["empty"] == 3
    quota = {"unit": tree["A1"].pk, "year": 2025, "civil_servants": 7, "public_employees": 0, "basis": "QĐ 8"}
    assert api(users["officer_b"]).post("/api/quotas/", quota, format="json").status_code == 404
    assert c.post("/api/quotas/", quota, format="json").status_code == 201
    assert c.post("/api/quotas/", {**quota, "civil_servants": 6}, format="json").status_code == 201
    assert StaffingQuota.objects.get().civil_servants == 6
    assert api(users["officer_b"]).get("/api/quotas/").json()["results"] == []


def test_quota_without_its_numbers_is_a_400(users: dict, tree: dict) -> None:
    """Found by the schema fuzzing (bench/api_fuzz.py): a quota body without the two numbers was
    a 500 (the service was called without them); now a Vietnamese 400 and nothing written."""
    r = api(users["officer_a"]).post("/api/quotas/", {"unit": tree["A1"].pk, "year": 2025}, format="json")
    assert r.status_code == 400, r.content
    body = r.json()
    assert body["detail"] == "Dữ liệu không hợp lệ."
    assert body["errors"]["civil_servants"] == ["Trường này là bắt buộc."]
    assert set(body["errors"]) == {"civil_servants", "public_employees"}
    assert not StaffingQuota.objects.exists()


def test_split_merge_dissolve_through_the_api(users: dict, tree: dict) -> None:
    c = api(users["officer_a"])
    parts = [{"code": "S1", "name": "Phòng Một"}]
    body: dict[str, Any] = {"on": "2025-07-01", "basis": "QĐ 5", "parts": parts}
    one = c.post(f"/api/units/{tree['A1'].pk}/split/", body, format="json")
    assert one.status_code == 400 and "ít nhất hai" in one.json()["detail"]
    parts.append({"code": "S2", "name": "Phòng Hai"})
    assert (
        api(users["officer_b"]).post(f"/api/units/{tree['A1'].pk}/split/", body, format="json").status_code
        == 404
    )
    r = c.post(f"/api/units/{tree['A1'].pk}/split/", body, format="json")
    assert r.status_code == 201 and [u["code"] for u in r.json()] == ["S1", "S2"]
    s1, s2 = (u["id"] for u in r.json())
    merge = {"sources": [s2], "into": s1, "on": "2026-01-01", "basis": "QĐ 6"}
    assert api(users["officer_b"]).post("/api/units/merge/", merge, format="json").status_code == 404
    m = c.post("/api/units/merge/", merge, format="json")
    assert m.status_code == 201 and m.json()["id"] == s1
    cross = c.post("/api/units/merge/", {**merge, "sources": [s1], "into": tree["B"].pk}, format="json")
    assert cross.status_code == 404  # B is outside officer_a's grants
    d = c.post(f"/api/units/{s1}/dissolve/", {"on": "2026-06-01", "basis": "QĐ 7"}, format="json")
    assert d.status_code == 200 and d.json()[0]["valid_to"] == "2026-05-31"
    assert Unit.objects.get(pk=s1).valid_to is not None


def test_job_positions_catalogue(users: dict) -> None:
    body = {"code": "CV-TH", "name": "Chuyên viên tổng hợp", "kind": "chuyen_mon", "category": "cong_chuc"}
    assert api(users["officer_a"]).post("/api/job-positions/", body, format="json").status_code == 404
    assert api(users["admin"]).post("/api/job-positions/", body, format="json").status_code == 201
    again = api(users["admin"]).post("/api/job-positions/", body, format="json")
    assert again.status_code == 400 and "đã có" in again.json()["detail"]
    assert api(users["nogrant"]).get("/api/job-positions/").json()["count"] == 1


def test_empty_database_tells_the_superuser_to_add_the_root(db: Any) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    c = Client(headers=REASON_HEADERS)
    c.force_login(User.objects.create_superuser("root", password="x"))
    body = c.get("/don-vi/").content.decode()
    assert "Chưa có cây đơn vị" in body and "/don-vi/them-don-vi-goc/" in body
    assert "/nhap-du-lieu/co-cau-to-chuc/" in body


def test_an_officer_of_a_unit_may_not_restructure_it_through_the_api(users: dict, tree: dict) -> None:
    """The API refuses as the page does: officer_a's grant is on A, so A itself (whose parent is
    the province) is neither renamed, moved nor corrected by him; A1 under A is."""
    c = api(users["officer_a"])
    a = tree["A"].pk
    r = c.post(
        f"/api/units/{a}/rename/",
        {"new_name": "Huyện Một", "on": "2025-07-01", "basis": "QĐ 1"},
        format="json",
    )
    assert r.status_code == 404
    r = c.post(
        f"/api/units/{a}/move/",
        {"new_parent": tree["A1"].pk, "on": "2025-07-01", "basis": "x"},
        format="json",
    )
    assert r.status_code == 404
    r = c.patch(f"/api/units/{a}/", {"name": "Huyện Một", "reason": "Sai chính tả"}, format="json")
    assert r.status_code == 404
    assert Unit.objects.get(pk=a).name == "Huyện A"
    r = c.post(
        f"/api/units/{tree['A1'].pk}/rename/",
        {"new_name": "Phòng Nội vụ", "on": "2025-07-01", "basis": "QĐ 1"},
        format="json",
    )
    assert r.status_code == 200


def test_a_restructuring_dated_outside_1900_2100_is_a_400(users: dict, tree: dict) -> None:
    """Found by the schema fuzzing (bench/api_fuzz.py): moving a unit with no start date on
    01/01/0001 reached the service, whose "day before" overflowed (500). The API's dates now keep
    to the range every form keeps to; nothing is written."""
    from canbo.conftest import make_unit
    from canbo.core.dates import out_of_range_message

    x = make_unit(tree["P"], "X", "Ban X", valid_from=None)
    y = make_unit(tree["P"], "Y", "Ban Y", valid_from=None)
    before = Unit.objects.count()
    for day in ("0001-01-01", "2101-01-01"):
        r = api(users["admin"]).post(
            f"/api/units/{x.pk}/move/", {"new_parent": y.pk, "on": day, "basis": "QĐ 3"}, format="json"
        )
        assert r.status_code == 400, r.content
        assert r.json()["errors"]["on"] == [out_of_range_message()]
        # Dissolving on that day: the same overflow, closing the unit's tenures the day before.
        r = api(users["admin"]).post(
            f"/api/units/{x.pk}/dissolve/", {"on": day, "basis": "QĐ 4"}, format="json"
        )
        assert r.status_code == 400 and r.json()["errors"]["on"] == [out_of_range_message()]
    assert Unit.objects.count() == before and Unit.objects.get(pk=x.pk).code == "X"
