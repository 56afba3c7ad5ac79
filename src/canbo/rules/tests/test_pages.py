"""Pages, API and command line of the rulebook, with the access cases (other subtree = 404)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from canbo.assessment.models import Discipline
from canbo.careers.models import Tenure
from canbo.conftest import REASON_HEADERS, kept_person_a, kept_tree, kept_users, new_person
from canbo.org.models import Title
from canbo.rules.models import Holiday, RuleVersion
from canbo.rules.tests.conftest import kept_rules_loaded

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

pytestmark = pytest.mark.django_db

# Every database test here reads or writes the rulebook: it is loaded once for the module and
# each test's writes are undone after it (rules/tests/conftest.py, ``rulebook_of_the_module``).
rules_loaded = pytest.fixture(kept_rules_loaded, name="rules_loaded")


def client_for(user: Any) -> Client:
    c = Client(headers=REASON_HEADERS)
    c.force_login(user)
    return c


@pytest.fixture
def director(db: Any) -> Title:
    return Title.objects.create(
        code="GD",
        name="Giám đốc Sở",
        level="tinh",
        group="truong_co_quan",
        block="nha_nuoc",
        is_leader=True,
        head_kind="truong",
        management_scope="btv_tinh_uy",
        rank=50,
    )


@pytest.fixture
def head_a(tree: dict, title: Title, users: dict) -> Any:
    """A division head in A1: man born 3/1965 (retires end of 9/2026), post held since 1/3/2021."""
    p = new_person(tree["A1"], "Lê Văn Cường", sex="nam", born=dt.date(1965, 3, 10))
    Tenure.objects.create(
        person=p,
        unit=tree["A1"],
        title=title,
        kind="bo_nhiem",
        start_date=dt.date(2021, 3, 1),
        decision_number="12/QĐ-UBND",
    )
    Discipline.objects.create(
        person=p,
        system="dang",
        form="canh_cao",
        decision_number="5-QĐ/UBKT",
        decision_date=dt.date(2025, 3, 1),
        effective_date=dt.date(2025, 3, 1),
        announced_date=dt.date(2025, 3, 10),
        issuing_body="UBKT",
        violation="x",
    )
    return p


# -- rulebook page and new versions ----------------------------------------------------------


def test_rulebook_page_lists_versions_and_confidence(rules_loaded: None, users: dict) -> None:
    r = client_for(users["officer_a"]).get("/quy-dinh/")
    html = r.content.decode()
    assert r.status_code == 200
    assert 'id="D-6"' in html and "QĐ 377" in html and "Chưa xác nhận (giá trị mặc định)" in html
    assert "Thêm phiên bản mới" not in html
    assert client_for(users["officer_a"]).get("/quy-dinh/D-6/phien-ban-moi/").status_code == 404
    assert client_for(users["officer_a"]).get("/quy-dinh/?chu_de=Z").status_code == 400
    assert Client(headers=REASON_HEADERS).get("/quy-dinh/").status_code == 302


def test_admin_adds_a_version_through_the_form(rules_loaded: None, users: dict) -> None:
    c = client_for(users["admin"])
    page = c.get("/quy-dinh/E-9/phien-ban-moi/")
    assert page.status_code == 200 and "p_htxs_share_of_htt" in page.content.decode()
    bad = c.post(
        "/quy-dinh/E-9/phien-ban-moi/",
        {
            "valid_from": "01/06/2025",
            "basis": "QĐ thử",
            "note": "thử",
            "p_htxs_share_of_htt": "0.15",
            "p_outstanding_unit_exception": "không",
        },
    )
    assert bad.status_code == 400 and "không sửa phiên bản đã qua" in bad.content.decode()
    ok = c.post(
        "/quy-dinh/E-9/phien-ban-moi/",
        {
            "valid_from": "01/01/2027",
            "basis": "QĐ 10/QĐ-UBND",
            "note": "Hạ tỷ lệ",
            "p_htxs_share_of_htt": "0,15",
            "p_outstanding_unit_exception": "không",
        },
    )
    assert ok.status_code == 302
    v2 = RuleVersion.objects.get(rule_id="E-9", version=2)
    assert v2.params == {"htxs_share_of_htt": 0.15, "outstanding_unit_exception": False}
    assert RuleVersion.objects.get(rule_id="E-9", version=1).valid_to == dt.date(2027, 1, 1)


# -- "Kiểm tra điều kiện" --------------------------------------------------------------------


def test_check_page_shows_the_verdict(rules_loaded: None, users: dict, head_a: Any, director: Title) -> None:
    c = client_for(users["officer_a"])
    assert c.get("/quy-dinh/kiem-tra/").status_code == 200
    q = {
        "nguoi": head_a.pk,
        "muc_dich": "appointment",
        "chuc_danh": "GD",
        "ngay": "01/11/2025",
        "quy_hoach": "co",
        "dang_xem_xet_ky_luat": "khong",
    }
    r = c.get("/quy-dinh/kiem-tra/", q)
    html = r.content.decode()
    assert r.status_code == 200
    assert 'id="ket-luan"' in html and "Không đạt" in html
    assert "A-3 v2" in html and "D-6 v3" in html and "01/11/2025" in html
    # Judged on 1/9/2025 the same dossier is read under QĐ 80 (D-6 v2).
    before = c.get("/quy-dinh/kiem-tra/", {**q, "ngay": "01/09/2025"}).content.decode()
    assert "D-6 v2" in before and "A-3 v1" in before


def test_check_page_other_subtree_and_bad_input(
    rules_loaded: None, users: dict, head_a: Any, director: Title
) -> None:
    q = {"nguoi": head_a.pk, "muc_dich": "planning", "chuc_danh": "GD", "ngay": "01/11/2025"}
    assert client_for(users["officer_b"]).get("/quy-dinh/kiem-tra/", q).status_code == 404
    c = client_for(users["officer_a"])
    bad_date = c.get("/quy-dinh/kiem-tra/", {**q, "ngay": "31/02/2025"})
    assert bad_date.status_code == 400 and "Ngày không hợp lệ" in bad_date.content.decode()
    bad_purpose = c.get("/quy-dinh/kiem-tra/", {**q, "muc_dich": "x"})
    assert bad_purpose.status_code == 400
    bad_number = c.get("/quy-dinh/kiem-tra/", {**q, "so_nguoi_quy_hoach": "-1"})
    assert bad_number.status_code == 400


def test_sensitive_conclusion_hidden_from_leader_gives_cannot_decide(
    rules_loaded: None, users: dict, head_a: Any, director: Title
) -> None:
    from canbo.assessment.models import PoliticalConclusion

    PoliticalConclusion.objects.create(
        person=head_a, conclusion_date=dt.date(2025, 1, 1), issuing_body="BTC", meets_standard=True
    )
    q = {"nguoi": head_a.pk, "muc_dich": "planning", "chuc_danh": "GD", "ngay": "01/11/2025"}
    officer = client_for(users["officer_a"]).get("/quy-dinh/kiem-tra/", q).content.decode()
    leader = client_for(users["leader_a"]).get("/quy-dinh/kiem-tra/", q).content.decode()
    assert "đủ tiêu chuẩn chính trị" in officer
    assert "Hồ sơ chưa có kết luận tiêu chuẩn chính trị" in leader


# -- calendar --------------------------------------------------------------------------------


def test_calendar_lists_what_falls_due_within_the_grants(
    rules_loaded: None, users: dict, head_a: Any
) -> None:
    r = client_for(users["officer_a"]).get("/quy-dinh/lich/", {"thang": "12", "ngay": "01/01/2026"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Lê Văn Cường" in html
    assert "30/09/2026" in html  # retirement: born 3/1965, 61y6m in 2026 → 9/2026
    assert "28/02/2026" in html  # term ends (5 years from 1/3/2021)
    assert "10/03/2026" in html  # Party warning lapses 12 months after announcement
    other = client_for(users["officer_b"]).get("/quy-dinh/lich/", {"thang": "12", "ngay": "01/01/2026"})
    assert "Lê Văn Cường" not in other.content.decode()
    assert (
        client_for(users["officer_b"]).get("/quy-dinh/lich/", {"don_vi": head_a.managing_unit_id}).status_code
        == 404
    )
    assert client_for(users["officer_a"]).get("/quy-dinh/lich/", {"thang": "99"}).status_code == 400


def test_calendar_filters_by_unit_and_kind(rules_loaded: None, users: dict, head_a: Any, tree: dict) -> None:
    c = client_for(users["officer_a"])
    only = c.get(
        "/quy-dinh/lich/", {"thang": "12", "ngay": "01/01/2026", "loai": "nghi_huu"}
    ).content.decode()
    assert "Nghỉ hưu" in only and "Hết nhiệm kỳ giữ chức vụ</td>" not in only
    unit_b = client_for(users["admin"]).get(
        "/quy-dinh/lich/", {"thang": "12", "ngay": "01/01/2026", "don_vi": tree["B"].pk}
    )
    assert "Lê Văn Cường" not in unit_b.content.decode()


def test_person_page_shows_the_calendar(rules_loaded: None, users: dict, head_a: Any) -> None:
    html = (
        client_for(users["officer_a"]).get(f"/can-bo/{head_a.pk}/", {"ngay": "01/01/2026"}).content.decode()
    )
    assert 'id="lich-cong-tac"' in html
    assert "hết ngày 30/09/2026" in html and "61 năm 6 tháng" in html
    assert "01/03/2021 – 28/02/2026" in html


def test_person_page_cites_the_labour_code_of_the_retirement_year(
    rules_loaded: None, users: dict, tree: dict
) -> None:
    """A man born 6/1953 retired at the end of 6/2013, under BLLĐ 2012, not BLLĐ 2019."""
    p = new_person(tree["A1"], "Trần Văn Hưu", sex="nam", born=dt.date(1953, 6, 15))
    html = client_for(users["officer_a"]).get(f"/can-bo/{p.pk}/", {"ngay": "01/01/2013"}).content.decode()
    section = html[html.index('id="lich-cong-tac"') :]
    assert "hết ngày 30/06/2013" in section
    assert "BLLĐ 2012 Điều 187" in section and "H-1 v2" in section
    assert "BLLĐ 2019" not in section


def test_check_page_says_its_conclusion_once(
    rules_loaded: None, users: dict, head_a: Any, director: Title
) -> None:
    q = {"nguoi": head_a.pk, "muc_dich": "planning", "chuc_danh": "GD", "ngay": "01/11/2026"}
    html = client_for(users["officer_a"]).get("/quy-dinh/kiem-tra/", q).content.decode()
    head = html[html.index('class="verdict-head"') :]
    head = head[: head.index("</div>")]
    assert "để kết luận" not in head
    for word in ("Chưa kết luận được", "Không đạt", "Đạt", "Lưu ý"):
        assert head.count(word) <= 1, head
    assert "số quy định:" in head


# -- holidays page ---------------------------------------------------------------------------


def test_holiday_page(rules_loaded: None, users: dict) -> None:
    r = client_for(users["officer_a"]).get("/quy-dinh/ngay-nghi/", {"nam": "2025"})
    assert r.status_code == 200 and "29/01/2025" in r.content.decode()
    assert (
        client_for(users["officer_a"])
        .post("/quy-dinh/ngay-nghi/", {"day": "05/01/2027", "name": "x"})
        .status_code
        == 404
    )
    admin = client_for(users["admin"])
    assert admin.post("/quy-dinh/ngay-nghi/", {"day": "05/01/2027", "name": "Nghỉ bù"}).status_code == 302
    assert admin.post("/quy-dinh/ngay-nghi/", {"day": "05/01/2027", "name": "Nghỉ bù"}).status_code == 400
    assert admin.post("/quy-dinh/ngay-nghi/", {"day": "xx", "name": "Nghỉ bù"}).status_code == 400


def test_holiday_removed_at_its_own_url(rules_loaded: None, users: dict) -> None:
    admin = client_for(users["admin"])
    assert admin.post("/quy-dinh/ngay-nghi/", {"day": "05/01/2027", "name": "Nghỉ bù"}).status_code == 302
    holiday = Holiday.objects.get(day=dt.date(2027, 1, 5))
    url = f"/quy-dinh/ngay-nghi/{holiday.pk}/bo/"
    assert f'action="{url}"' in admin.get("/quy-dinh/ngay-nghi/", {"nam": "2027"}).content.decode()
    assert client_for(users["officer_a"]).post(url).status_code == 404  # administrators only
    assert admin.get(url).status_code == 405
    r = admin.post(url)
    assert r.status_code == 302 and r["Location"] == "/quy-dinh/ngay-nghi/?nam=2027"
    assert "Đã bỏ ngày 05/01/2027." in admin.get(r["Location"]).content.decode()
    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    assert admin.post(url).status_code == 404


# -- API -------------------------------------------------------------------------------------


def test_api_retirement(rules_loaded: None, users: dict, head_a: Any) -> None:
    c = client_for(users["officer_a"])
    r = c.get("/api/rules/retirement/", {"sex": "nam", "born": "10/1964"})
    assert r.status_code == 200
    assert r.json()["retirement_date"] == "2026-04-30" and r.json()["retirement_age"] == {
        "years": 61,
        "months": 6,
    }
    bad = c.get("/api/rules/retirement/", {"sex": "x", "born": "1964"})
    assert bad.status_code == 400 and "Giới tính" in bad.json()["detail"]
    mine = c.get("/api/rules/retirement/", {"person": head_a.pk, "at": "2026-01-01"}).json()
    assert mine["retirement_date"] == "2026-09-30" and mine["months_left"] == 9
    assert (
        client_for(users["officer_b"]).get("/api/rules/retirement/", {"person": head_a.pk}).status_code == 404
    )
    assert Client(headers=REASON_HEADERS).get(
        "/api/rules/retirement/", {"sex": "nam", "born": "1964"}
    ).status_code in (401, 403)


def test_api_check_and_calendar(rules_loaded: None, users: dict, head_a: Any, director: Title) -> None:
    c = client_for(users["officer_a"])
    q = {"person": head_a.pk, "purpose": "appointment", "title": "GD", "at": "2025-11-01"}
    r = c.get("/api/rules/check/", q)
    assert r.status_code == 200
    body = r.json()
    assert body["outcome"] == "fail" and body["event_date"] == "2025-11-01"
    d6 = next(x for x in body["rules"] if x["rule"] == "D-6")
    assert d6["version"] == 3 and d6["outcome"] == "fail" and d6["facts"][0]["date"] == "2025-03-01"
    assert client_for(users["officer_b"]).get("/api/rules/check/", q).status_code == 404
    assert c.get("/api/rules/check/", {**q, "at": "01/11/2025"}).status_code == 400
    assert c.get("/api/rules/check/", {**q, "purpose": "x"}).json()["detail"].startswith("Mục đích")
    assert c.get("/api/rules/check/", {**q, "title": "NOPE"}).status_code == 400
    assert c.get("/api/rules/check/", {**q, "quy_hoach": "maybe"}).status_code == 400
    cal = c.get(f"/api/rules/calendar/{head_a.pk}/", {"at": "2026-01-01"})
    assert cal.status_code == 200 and cal.json()["terms"][0]["term_end"] == "2026-02-28"
    assert client_for(users["officer_b"]).get(f"/api/rules/calendar/{head_a.pk}/").status_code == 404
    assert c.get("/api/rules/versions/", {"rule": "D-6"}).json()[2]["params"]["canh_cao"] == 36


# -- command line ----------------------------------------------------------------------------


def test_cli_retirement_prints_exactly_the_json(rules_loaded: None, capsys: Any) -> None:
    call_command("rules", "retirement", "--sex", "nu", "--born", "15/09/1968")
    out = capsys.readouterr().out.strip()
    assert out == '{"retirement_date": "2025-05-31", "retirement_age": {"years": 56, "months": 8}}'
    call_command("rules", "retirement", "--sex", "nam", "--born", "1963")
    assert json.loads(capsys.readouterr().out)["retirement_date"] == "2023-10-31"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["retirement", "--sex", "x", "--born", "1963"], "Giới tính"),
        (["retirement", "--sex", "nam", "--born", "13/1963"], "Ngày không có thật: “13/1963”."),
        (["retirement", "--sex", "nam"], "Thiếu ngày sinh"),
        (["check", "--person", "abc"], "Mã hồ sơ"),
        (
            ["check", "--person", "999999", "--purpose", "planning", "--title", "TP", "--at", "2025-11-01"],
            "Không tìm thấy hồ sơ",
        ),
        (["check", "--person", "1", "--purpose", "nope", "--title", "TP", "--at", "2025-11-01"], "Mục đích"),
        (
            ["check", "--person", "1", "--purpose", "planning", "--title", "TP", "--at", "1/11/2025"],
            "YYYY-MM-DD",
        ),
        (
            [
                "check",
                "--person",
                "1",
                "--purpose",
                "committee",
                "--title",
                "TP",
                "--at",
                "2025-11-01",
                "--congress-level",
                "quoc_hoi",
            ],
            "Cấp đại hội",
        ),
    ],
)
def test_cli_bad_arguments_exit_2_in_vietnamese(
    rules_loaded: None, capsys: Any, args: list, message: str
) -> None:
    with pytest.raises(SystemExit) as exc:
        call_command("rules", *args)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_cli_check_prints_the_verdict(
    rules_loaded: None, head_a: Any, director: Title, capsys: Any, users: dict
) -> None:
    call_command(
        "rules",
        "check",
        "--person",
        str(head_a.pk),
        "--purpose",
        "appointment",
        "--title",
        "GD",
        "--at",
        "2025-09-01",
        "--planned",
        "co",
        "--pending",
        "khong",
    )
    body = json.loads(capsys.readouterr().out)
    assert body["person"]["id"] == head_a.pk and body["event_date"] == "2025-09-01"
    assert {r["rule"] for r in body["rules"]} >= {"A-3", "A-6", "D-6", "D-7", "T-5"}
    assert next(r for r in body["rules"] if r["rule"] == "D-6")["version"] == 2
    with pytest.raises(SystemExit) as exc:
        call_command(
            "rules",
            "check",
            "--person",
            str(head_a.pk),
            "--purpose",
            "appointment",
            "--title",
            "GD",
            "--at",
            "2025-09-01",
            "--user",
            "officer_b",
        )
    assert exc.value.code == 2 and "Không tìm thấy hồ sơ" in capsys.readouterr().err


# -- per-person retirement override ----------------------------------------------------------


def test_override_page(rules_loaded: None, users: dict, head_a: Any) -> None:
    url = f"/quy-dinh/nghi-huu/{head_a.pk}/"
    officer = client_for(users["officer_a"])
    assert officer.get(url).status_code == 200
    assert client_for(users["officer_b"]).get(url).status_code == 404
    assert client_for(users["leader_a"]).get(url).status_code == 404  # leaders read, never write
    bad = officer.post(url, {"kind": "som", "month": "13", "year": "2025", "basis": "QĐ 1"})
    assert bad.status_code == 400 and "12" in bad.content.decode()
    ok = officer.post(
        url, {"kind": "som", "month": "6", "year": "2025", "basis": "QĐ 1/QĐ-UBND ngày 2/1/2025"}
    )
    assert ok.status_code == 302
    page = officer.get(f"/can-bo/{head_a.pk}/", {"ngay": "01/01/2025"}).content.decode()
    assert "hết ngày 30/06/2025" in page and "QĐ 1/QĐ-UBND" in page
    assert client_for(users["officer_b"]).post(f"{url}bo/").status_code == 404
    r = officer.post(f"{url}bo/")
    assert r.status_code == 302
    assert "Đã bỏ quyết định riêng" in officer.get(r["Location"]).content.decode()
    page = officer.get(f"/can-bo/{head_a.pk}/", {"ngay": "01/01/2025"}).content.decode()
    assert "hết ngày 30/09/2026" in page


def test_api_verdicts_on_recorded_events(rules_loaded: None, users: dict, head_a: Any) -> None:
    from canbo.assessment.models import ConfidenceVote, Rating

    Discipline.objects.create(
        person=head_a,
        system="chinh_quyen",
        form="giang_chuc",
        decision_number="9/QĐ",
        decision_date=dt.date(2025, 8, 1),
        issuing_body="UBND",
        violation="x",
    )
    ConfidenceVote.objects.create(
        person=head_a,
        vote_date=dt.date(2025, 12, 1),
        body="HĐND",
        position="Trưởng phòng",
        convened=30,
        present=28,
        ballots=28,
        high=5,
        medium=6,
        low=17,
    )
    Rating.objects.create(
        person=head_a,
        system="chinh_quyen",
        year=2026,
        level="htxs",
        score=85,
        decision_date=dt.date(2026, 12, 10),
    )
    c = client_for(users["officer_a"])
    disc = c.get(f"/api/rules/person/{head_a.pk}/ky-luat/", {"at": "2025-11-01"}).json()
    assert [v["outcome"] for v in disc] == ["warn", "fail"]  # Party warning in force; giáng chức abolished
    assert next(r for r in disc[1]["rules"] if r["rule"] == "D-5")["outcome"] == "fail"
    votes = c.get(f"/api/rules/person/{head_a.pk}/lay-phieu/").json()
    assert next(r for r in votes[0]["rules"] if r["rule"] == "V-4")["outcome"] == "warn"
    ratings = c.get(f"/api/rules/person/{head_a.pk}/xep-loai/").json()
    assert ratings[0]["outcome"] == "fail"  # 85 points cannot be "xuất sắc" (≥ 90)
    assert c.get(f"/api/rules/person/{head_a.pk}/khac/").status_code == 404
    assert client_for(users["officer_b"]).get(f"/api/rules/person/{head_a.pk}/ky-luat/").status_code == 404


def test_calendar_queries_do_not_grow_with_people(
    rules_loaded: None, users: dict, head_a: Any, tree: dict, director: Title
) -> None:
    """STYLE.md convention 14: one more person due adds rows, not queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(users["officer_a"])
    q = {"thang": "12", "ngay": "01/01/2026"}

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/quy-dinh/lich/", q).status_code == 200
        return len(ctx.captured_queries)

    queries()  # warm the per-process caches
    before = queries()
    for i in range(6):
        p = new_person(tree["A1"], f"Trần Văn Hưu {i}", sex="nam", born=dt.date(1965, 2 + i, 10))
        Tenure.objects.create(
            person=p, unit=tree["A1"], title=director, kind="bo_nhiem", start_date=dt.date(2021, 3, 1)
        )
    html = c.get("/quy-dinh/lich/", q).content.decode()
    assert all(f"Trần Văn Hưu {i}" in html for i in range(6))
    assert queries() == before


def test_a_fact_whose_value_is_its_date_is_not_repeated() -> None:
    # "Ngày nghỉ hưu: 31/05/2035 (31/05/2035)" repeated the date; a fact observed on another day
    # keeps it.
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    facts = [
        SimpleNamespace(label="Ngày nghỉ hưu", value="31/05/2035", date=dt.date(2035, 5, 31)),
        SimpleNamespace(label="Thời gian công tác còn lại", value="101 tháng", date=dt.date(2026, 12, 6)),
    ]
    result = SimpleNamespace(
        rule_id="P-12", label="P-12 v1", name="", uses_default=False, outcome="pass", outcome_label="Đạt",
        threshold="", message="", facts=facts, basis="",
    )  # fmt: skip
    verdict = SimpleNamespace(
        outcome="pass", outcome_label="Đạt", counts_text="", event_date=dt.date(2026, 12, 6),
        event_date_note="", flags=[], results=[result],
    )  # fmt: skip
    html = render_to_string("rules/_verdict.html", {"verdict": verdict})
    assert "31/05/2035" in html and "(31/05/2035)" not in html
    assert "101 tháng" in html and "(06/12/2026)" in html
