"""The eligibility check reads the dossier (planning, discipline, political standard, tenures)
and picks the person by name among those the officer may see (issue 14)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from canbo.careers.models import Tenure
from canbo.conftest import kept_person_a, kept_tree, kept_users, new_person
from canbo.org.models import Title
from canbo.planning.models import PlanningEntry, PlanningList
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

D = dt.date


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def district_chief(db: Any) -> Title:
    return Title.objects.create(
        code="CT-H",
        name="Chủ tịch UBND huyện",
        level="huyen",
        group="truong_co_quan",
        block="nha_nuoc",
        is_leader=True,
        head_kind="truong",
        management_scope="btv_tinh_uy",
        rank=60,
    )


@pytest.fixture
def head(tree: dict, title: Title) -> Any:
    """A division head in A1 born 1980 (years of service left), post held since 1/3/2021."""
    p = new_person(tree["A1"], "Đỗ Minh Khoa", sex="nam", born=D(1980, 3, 10))
    Tenure.objects.create(person=p, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=D(2021, 3, 1))
    return p


@pytest.fixture
def planned(tree: dict, head: Any, district_chief: Title) -> PlanningEntry:
    plist = PlanningList.objects.create(
        unit=tree["A"],
        name="Quy hoạch lãnh đạo huyện A",
        kind="lanh_dao_quan_ly",
        term_start=2025,
        term_end=2030,
    )
    return PlanningEntry.objects.create(
        planning_list=plist,
        person=head,
        title=district_chief,
        added_on=D(2025, 6, 1),
        added_decision="15-QĐ/HU",
    )


def rule_row(html: str, rule_id: str) -> str:
    start = html.index(f'class="rule-{rule_id}"')
    return html[start : html.index("</tr>", start)]


def query(person: Any, **extra: Any) -> dict[str, Any]:
    return {"nguoi": person.pk, "muc_dich": "appointment", "chuc_danh": "CT-H", "ngay": "01/11/2025", **extra}


def test_a5_reads_the_planning_list(
    rules_loaded: None, users: dict, head: Any, planned: PlanningEntry
) -> None:
    c = client_for(users["officer_a"])
    row = rule_row(c.get("/quy-dinh/kiem-tra/", query(head)).content.decode(), "A-5")
    assert "Đạt" in row and "Không đạt" not in row and "chưa khai báo" not in row
    assert "Quy hoạch lãnh đạo huyện A" in row and "01/06/2025" in row and "15-QĐ/HU" in row
    # Before the addition, and after the removal, the dossier says: not planned.
    PlanningEntry.objects.filter(pk=planned.pk).update(added_on=D(2025, 11, 2))
    before = rule_row(c.get("/quy-dinh/kiem-tra/", query(head)).content.decode(), "A-5")
    assert "Không đạt" in before and "Hồ sơ không có quy hoạch" in before
    PlanningEntry.objects.filter(pk=planned.pk).update(
        added_on=D(2025, 6, 1), removed_on=D(2025, 9, 1), removal_reason="Rà soát"
    )
    after = rule_row(c.get("/quy-dinh/kiem-tra/", query(head)).content.decode(), "A-5")
    assert "Không đạt" in after and "đưa ra khỏi quy hoạch từ 01/09/2025" in after


def test_a5_without_planning_fails_and_the_form_no_longer_asks(
    rules_loaded: None, users: dict, head: Any, district_chief: Title
) -> None:
    c = client_for(users["officer_a"])
    html = c.get("/quy-dinh/kiem-tra/", query(head, quy_hoach="co")).content.decode()
    row = rule_row(html, "A-5")
    assert "Không đạt" in row and "chưa khai báo" not in row  # a typed "có" is not believed
    form = c.get("/quy-dinh/kiem-tra/").content.decode()
    assert 'name="quy_hoach"' not in form and "Mã hồ sơ" not in form
    assert 'name="ten"' in form and 'type="hidden" name="nguoi"' in form


def test_planning_counts_come_from_the_list(
    rules_loaded: None, users: dict, head: Any, planned: PlanningEntry
) -> None:
    q = query(head, muc_dich="planning", ngay="01/11/2025")
    row = rule_row(client_for(users["officer_a"]).get("/quy-dinh/kiem-tra/", q).content.decode(), "P-2")
    assert "Chưa có số người" not in row and "1 người cho chức danh" in row


def test_discipline_and_political_standard_come_from_the_dossier(
    rules_loaded: None, users: dict, head: Any, planned: PlanningEntry
) -> None:
    from canbo.assessment.models import Discipline, PoliticalConclusion

    PoliticalConclusion.objects.create(
        person=head, conclusion_date=D(2025, 1, 1), issuing_body="BTC", meets_standard=True
    )
    Discipline.objects.create(
        person=head, system="dang", form="khien_trach", decision_number="3-QĐ/UBKT",
        decision_date=D(2025, 10, 1), effective_date=D(2025, 10, 1), issuing_body="UBKT", violation="x",
    )  # fmt: skip
    html = client_for(users["officer_a"]).get("/quy-dinh/kiem-tra/", query(head)).content.decode()
    assert "đủ tiêu chuẩn chính trị" in rule_row(html, "T-5")
    assert "Không đạt" in rule_row(html, "D-6")


def test_person_picked_by_name_in_scope_only(
    rules_loaded: None, users: dict, head: Any, district_chief: Title, tree: dict
) -> None:
    q = {"ten": "do minh khoa", "muc_dich": "appointment", "chuc_danh": "CT-H", "ngay": "01/11/2025"}
    ok = client_for(users["officer_a"]).get("/quy-dinh/kiem-tra/", q)
    assert ok.status_code == 200 and 'id="ket-luan"' in ok.content.decode()
    assert "Đỗ Minh Khoa" in ok.content.decode()
    # Outside his grants the officer of B does not find him, by name or by id.
    other = client_for(users["officer_b"]).get("/quy-dinh/kiem-tra/", q)
    assert other.status_code == 400 and "Không tìm thấy cán bộ" in other.content.decode()
    assert "Đỗ Minh Khoa" not in other.content.decode().replace("do minh khoa", "")
    assert (
        client_for(users["officer_b"]).get("/quy-dinh/kiem-tra/", {**q, "nguoi": head.pk}).status_code == 404
    )
    assert client_for(users["officer_b"]).get("/quy-dinh/kiem-tra/", {"nguoi": head.pk}).status_code == 404
    # Two people of the same name: the officer chooses, nothing is computed.
    twin = new_person(tree["A"], "Đỗ Minh Khoa", sex="nam", born=D(1990, 1, 1))
    both = client_for(users["officer_a"]).get("/quy-dinh/kiem-tra/", q)
    html = both.content.decode()
    assert both.status_code == 400 and "Có nhiều người khớp" in html and 'id="ket-luan"' not in html
    assert f"nguoi={head.pk}" in html and f"nguoi={twin.pk}" in html
    assert "Phòng Nội vụ huyện A, Huyện A" in html  # the unit with its parent


def test_suggestions_offer_only_people_in_scope(rules_loaded: None, users: dict, head: Any) -> None:
    mine = client_for(users["officer_a"]).get("/quy-dinh/kiem-tra/goi-y/", {"ten": "khoa"}).content.decode()
    assert f'data-person-id="{head.pk}"' in mine and "Phòng Nội vụ huyện A" in mine
    other = client_for(users["officer_b"]).get("/quy-dinh/kiem-tra/goi-y/", {"ten": "khoa"}).content.decode()
    assert "data-person-id" not in other and "Không tìm thấy" in other
    assert (
        client_for(users["officer_a"]).get("/quy-dinh/kiem-tra/goi-y/", {"ten": "²" * 500}).status_code == 200
    )
    assert Client().get("/quy-dinh/kiem-tra/goi-y/", {"ten": "khoa"}).status_code == 302


def test_person_page_link_prefills_the_name(rules_loaded: None, users: dict, head: Any) -> None:
    html = client_for(users["officer_a"]).get("/quy-dinh/kiem-tra/", {"nguoi": head.pk}).content.decode()
    assert 'value="Đỗ Minh Khoa"' in html
    bad = client_for(users["officer_a"]).get("/quy-dinh/kiem-tra/", {"nguoi": "9" * 5000})
    assert bad.status_code == 404


def test_check_and_suggestions_query_counts_are_bounded(
    rules_loaded: None, users: dict, head: Any, planned: PlanningEntry, django_assert_max_num_queries: Any
) -> None:
    c = client_for(users["officer_a"])
    c.get("/quy-dinh/kiem-tra/goi-y/", {"ten": "khoa"})  # session and grants warmed
    c.get("/quy-dinh/kiem-tra/", query(head))  # the process's unit labels built (org.selectors.unit_index)
    with django_assert_max_num_queries(QUERIES_SUGGEST):
        assert c.get("/quy-dinh/kiem-tra/goi-y/", {"ten": "khoa"}).status_code == 200
    with django_assert_max_num_queries(QUERIES_CHECK):
        assert c.get("/quy-dinh/kiem-tra/", query(head)).status_code == 200


# Measured on SQLite and PostgreSQL (issue 14), both the same: suggestions 11 (session, user,
# grants, the name search's word-table reads, the persons, the parents of their units); the check
# page 17 (session, user, grants, the person, the title, the rulebook's versions and holiday
# adjustments, each dossier section once, the planning entries and the P-2 list), and one more
# since the units are shown with their parents (the unit table's freshness check of unit_index).
QUERIES_SUGGEST = 11
QUERIES_CHECK = 19  # + the retirement notices recorded (H-9)
