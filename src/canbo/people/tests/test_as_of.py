"""The dossier as of a past date shows what was true then, and labels today's values as such."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from canbo.careers.models import Tenure
from canbo.conftest import kept_person_a, kept_tree, kept_users, make_unit, new_person
from canbo.org.choices import Level, UnitKind
from canbo.org.models import Unit
from canbo.people.models import FamilyRelation, PartyMembership, Person, Qualification

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

PAST = {"ngay": "11/12/2020"}


@pytest.fixture
def officer(users: dict) -> Client:
    c = Client()
    c.force_login(users["officer_a"])
    return c


@pytest.fixture
def moved(tree: dict[str, Unit], title: Any) -> Person:
    """A person whose dossier is kept today by a unit set up on 1/7/2025, who held a post in A1
    from 2016 to 30/6/2025, became a full Party member in 2021 and graduated in 2022."""
    new_unit = make_unit(
        tree["A"], "A2", "Phòng Nội vụ – Y tế", kind=UnitKind.DIVISION, level=Level.DISTRICT,
        valid_from=dt.date(2025, 7, 1),
    )  # fmt: skip
    person = new_person(
        new_unit, "Lê Văn Nam", sex="nam", born=dt.date(1985, 3, 2),
        salary_step=4, salary_coefficient=decimal.Decimal("3.33"), job_position="Chuyên viên tổ chức",
    )  # fmt: skip
    Tenure.objects.create(
        person=person, unit=tree["A1"], title=title, kind="bo_nhiem",
        start_date=dt.date(2016, 2, 1), end_date=dt.date(2025, 6, 30),
    )  # fmt: skip
    PartyMembership.objects.create(
        person=person, admission_date=dt.date(2020, 3, 1), official_date=dt.date(2021, 3, 1)
    )
    Qualification.objects.create(
        person=person, kind="chuyen_mon", level="thac_si", level_rank=50, obtained_date=dt.date(2022, 6, 30)
    )
    return person


def page(c: Client, person: Person, params: dict[str, str] | None = None) -> str:
    r = c.get(reverse("people:detail", args=[person.pk]), params or {"ngay": "hom-nay"})
    assert r.status_code == 200
    return r.content.decode()


def section(body: str, slug: str) -> str:
    return body.split(f'id="{slug}"')[1].split("</section>")[0]


def test_a_managing_unit_that_did_not_exist_on_the_day_says_so(officer: Client, moved: Person) -> None:
    body = page(officer, moved, PAST)
    head = body.split('class="identity"')[1].split('class="head-actions"')[0]
    assert "Phòng Nội vụ – Y tế" in head
    assert "có từ ngày 01/07/2025, không tồn tại tại ngày 11/12/2020" in head
    assert "chưa được lưu" in head
    today = page(officer, moved).split('class="identity"')[1].split('class="head-actions"')[0]
    assert "không tồn tại" not in today and "giá trị hiện tại" not in today


def test_fields_without_history_are_labelled_as_todays_value(officer: Client, moved: Person) -> None:
    body = page(officer, moved, PAST)
    facts = body.split("<h2>Thông tin cá nhân</h2>")[1].split("</section>")[0]
    salary = facts.split("Bậc, hệ số lương</dt>")[1].split("</dd>")[0]
    assert "Bậc 4" in salary and "giá trị hiện tại, chưa lưu lịch sử" in salary
    job = facts.split("Ngạch / vị trí việc làm</dt>")[1].split("</dd>")[0]
    assert "Chuyên viên tổ chức" in job and "giá trị hiện tại, chưa lưu lịch sử" in job
    category = body.split('class="sub"')[1].split("</p>")[0]
    assert "Công chức" in category and "giá trị hiện tại" in category
    assert "giá trị hiện tại" not in page(officer, moved)  # today's page needs no label


def test_a_post_ending_after_the_day_is_held_on_the_day_not_now(officer: Client, moved: Person) -> None:
    body = page(officer, moved, PAST)
    timeline = section(body, "dong-thoi-gian")
    assert "02/2016 – nay (tại ngày xem)" in timeline
    assert "kết thúc 30/06/2025 (sau ngày xem)" in timeline
    assert "– nay<" not in timeline
    table = section(body, "chuc-vu")
    assert "nay (tại ngày xem)" in table and "30/06/2025 (sau ngày xem)" in table
    now = page(officer, moved)
    assert "02/2016 – 06/2025" in section(now, "dong-thoi-gian")
    assert "sau ngày xem" not in section(now, "chuc-vu")


def test_records_after_the_day_are_left_out_and_counted(officer: Client, moved: Person) -> None:
    body = page(officer, moved, PAST)
    qualifications = section(body, "trinh-do")
    assert "Thạc sĩ" not in qualifications
    assert "1 mục có sau ngày 11/12/2020 không hiển thị" in qualifications
    party = section(body, "dang-tich")
    assert "01/03/2020" in party and "dự bị tại ngày xem" in party and "01/03/2021 (sau ngày xem)" in party
    assert "Thạc sĩ" in section(page(officer, moved), "trinh-do")


def test_a_family_member_born_after_the_day_is_not_shown(officer: Client, moved: Person) -> None:
    FamilyRelation.objects.create(person=moved, relation="con", full_name="Lê Minh An", birth_year=2022)
    FamilyRelation.objects.create(person=moved, relation="bo", full_name="Lê Văn Ba", birth_year=1955)
    family = section(page(officer, moved, PAST), "gia-dinh")
    assert "Lê Văn Ba" in family and "Lê Minh An" not in family
    assert "ghi theo hồ sơ hiện nay" in family
    assert "Lê Minh An" in section(page(officer, moved), "gia-dinh")


def test_an_empty_field_carries_no_label(officer: Client, moved: Person) -> None:
    facts = page(officer, moved, PAST).split("<h2>Thông tin cá nhân</h2>")[1].split("</section>")[0]
    address = facts.split("Nơi ở hiện nay</dt>")[1].split("</dd>")[0]
    assert "—" in address and "giá trị hiện tại" not in address


def test_a_managing_unit_that_existed_shows_its_name_then_labelled_as_todays(
    officer: Client, person_a: Person, tree: dict[str, Unit]
) -> None:
    from canbo.org.models import UnitFormerName

    UnitFormerName.objects.create(
        unit=tree["A1"],
        name="Phòng Tổ chức huyện A",
        valid_from=dt.date(2015, 1, 1),
        valid_to=dt.date(2021, 12, 31),
    )
    head = page(officer, person_a, PAST).split('class="identity"')[1].split('class="head-actions"')[0]
    managing = head.split("Đơn vị quản lý hồ sơ:")[1]
    assert "Phòng Tổ chức huyện A" in managing and "giá trị hiện tại, chưa lưu lịch sử" in managing
    assert "không tồn tại" not in managing
    assert "Phòng Nội vụ huyện A" in page(officer, person_a).split("Đơn vị quản lý hồ sơ:")[1]
