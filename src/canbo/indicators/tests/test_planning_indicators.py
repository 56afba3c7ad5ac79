"""18-ĐA/TU I.2-c and I.2-d (and Bắc Giang I.2.11) computed from the planning lists, as of a date:
the people planned for the titles on that day, the units that keep a list of enough people and
structure; each number of people links to exactly those people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from canbo.conftest import make_tree, make_users, new_person, rows_kept_for_the_scope
from canbo.indicators import engine, selectors, services
from canbo.indicators.models import IndicatorDefinition
from canbo.org.choices import Block, HeadKind, Level, ManagementScope, TitleGroup
from canbo.org.models import Title, Unit
from canbo.people.models import Person, Qualification
from canbo.people.services import section_create
from canbo.planning import services as planning

BEFORE, AFTER = dt.date(2024, 12, 1), dt.date(2025, 3, 1)


def _title(code: str, group: str, rank: int) -> Title:
    return Title.objects.create(
        code=code, name=code, level=Level.DISTRICT, group=group, block=Block.PARTY, is_leader=True,
        head_kind=HeadKind.HEAD, management_scope=ManagementScope.PROVINCIAL_STANDING, rank=rank,
    )  # fmt: skip


def _lists(tree: dict[str, Unit]) -> dict[str, Person]:
    """District A plans p1 (woman, 34 on BEFORE, advanced political theory), p2, p3 for the
    secretary and p1, p2 for the committee chair; district B plans p4 until 1/1/2025. On
    1/2/2025 A takes p1 out of both titles and plans p5 for the chair."""
    bt, ct = _title("H.BT", TitleGroup.SECRETARY, 60), _title("H.CTUB", TitleGroup.COMMITTEE_CHAIR, 50)
    p = {
        "p1": new_person(tree["A"], "Lò Thị Một", sex="nu", born=dt.date(1990, 3, 1)),
        "p2": new_person(tree["A"], "Vàng Văn Hai", sex="nam", born=dt.date(1975, 3, 1)),
        "p3": new_person(tree["A"], "Giàng Văn Ba", sex="nam", born=dt.date(1980, 3, 1)),
        "p4": new_person(tree["B"], "Sùng Văn Bốn", sex="nam", born=dt.date(1978, 3, 1)),
        "p5": new_person(tree["A"], "Hoàng Văn Năm", sex="nam", born=dt.date(1970, 3, 1)),
    }
    for key, level, obtained in (
        ("p1", "cao_cap", dt.date(2020, 6, 1)),
        ("p2", "trung_cap", dt.date(2010, 6, 1)),
    ):
        section_create(
            acting_user=None,
            person=p[key],
            instance=Qualification(kind="ly_luan_chinh_tri", level=level, obtained_date=obtained),
        )
    la, lb = (
        planning.planning_list_create(
            acting_user=None,
            unit=tree[u],
            name=f"Quy hoạch huyện {u}",
            kind="lanh_dao_quan_ly",
            term_start=2025,
            term_end=2030,
        )
        for u in ("A", "B")
    )
    added = dt.date(2024, 5, 2)
    entries = {}
    for key, lst, title in (
        ("p1", la, bt), ("p2", la, bt), ("p3", la, bt), ("p1", la, ct), ("p2", la, ct), ("p4", lb, bt),
    ):  # fmt: skip
        entries[(key, title.code)] = planning.planning_entry_add(
            acting_user=None, planning_list=lst, person=p[key], title=title, added_on=added
        )
    planning.planning_entry_remove(
        acting_user=None, entry=entries[("p4", "H.BT")], removed_on=dt.date(2025, 1, 1), reason="Nghỉ hưu"
    )
    for t in ("H.BT", "H.CTUB"):
        planning.planning_entry_remove(
            acting_user=None,
            entry=entries[("p1", t)],
            removed_on=dt.date(2025, 2, 1),
            reason="Chuyển công tác",
        )
    planning.planning_entry_add(
        acting_user=None, planning_list=la, person=p["p5"], title=ct, added_on=dt.date(2025, 2, 1)
    )
    services.definitions_load()
    services.targets_load()
    return p


@pytest.fixture(scope="module")
def shared(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The tree, ``users`` and the planning lists, written once for the module's four tests (in the
    order the function-scoped ``tree``, ``users`` and ``lists`` wrote them) and rolled back after
    its last (``rows_kept_for_the_scope``: each test a savepoint inside the module's transaction)."""

    def build() -> dict[str, Any]:
        tree = make_tree()
        person_a = new_person(tree["A1"], "Nguyễn Thị Hoa")
        users = make_users(tree, person_a)
        rows = {"tree": tree, "users": users, "people": _lists(tree)}
        # The writes ask for a rebuild of the fact tables after their commit; in a test's own
        # transaction (the function-scoped fixture's) that commit never came and the callbacks
        # never ran either, so they are dropped here rather than left for a test to find.
        connection.run_on_commit.clear()
        return rows

    with rows_kept_for_the_scope(django_db_blocker, build) as rows:
        yield rows


@pytest.fixture
def tree(shared: dict[str, Any], db: Any) -> dict[str, Unit]:
    units = Unit.objects.in_bulk([u.pk for u in shared["tree"].values()])
    return {code: units[u.pk] for code, u in shared["tree"].items()}


@pytest.fixture
def lists(shared: dict[str, Any], tree: dict[str, Unit]) -> dict[str, Any]:
    """The module's people and users, read afresh for each test."""
    people = Person.objects.in_bulk([p.pk for p in shared["people"].values()])
    users = User.objects.in_bulk([u.pk for u in shared["users"].values()])
    return {
        "people": {key: people[p.pk] for key, p in shared["people"].items()},
        **{name: users[u.pk] for name, u in shared["users"].items()},
    }


def _defn(code: str) -> IndicatorDefinition:
    d = services.latest(code)
    assert d is not None and not d.pending
    return d


@pytest.mark.django_db
def test_planned_people_with_advanced_political_theory(lists: dict[str, Any], tree: dict[str, Unit]) -> None:
    d = _defn("quy-hoach-lanh-dao-so-huyen-cao-cap-llct")
    p = lists["people"]

    def count(day: dt.date, unit: Unit | None = tree["P"], user: Any = None) -> tuple[Any, Any]:
        r = engine.compute([d], day=day, unit=unit, user=user)[d.code][""]
        return r.numerator, r.population

    assert count(BEFORE) == (1, 4)  # p1 of p1, p2, p3 (A) and p4 (B)
    assert count(AFTER) == (0, 3)  # p1 and p4 are out of the lists; p5 came in
    assert count(dt.date(2024, 5, 1)) == (0, 0)  # before the lists
    assert count(BEFORE, tree["B"]) == (0, 1)
    # The officer of B sees the list of B only.
    assert count(BEFORE, None, lists["officer_b"]) == (0, 1)
    # The people behind the numbers are the people counted.
    assert set(engine.people(d, part="tu", day=BEFORE, unit=tree["P"], user=None)) == {p["p1"]}
    assert set(engine.people(d, part="mau", day=AFTER, unit=tree["P"], user=None)) == {
        p["p2"],
        p["p3"],
        p["p5"],
    }
    # Bắc Giang I.2.11: planned people under 35 (p1 only, before she left), none fluent.
    young = _defn("quy-hoach-duoi-35-thanh-thao-ngoai-ngu")
    r = engine.compute([young], day=BEFORE, unit=tree["P"])[young.code][""]
    assert (r.numerator, r.population) == (0, 1)


@pytest.mark.django_db
def test_units_with_a_planning_list_of_enough_people_and_structure(
    lists: dict[str, Any], tree: dict[str, Unit]
) -> None:
    d = _defn("don-vi-co-quy-hoach-du-co-cau")
    before = engine.compute([d], day=BEFORE, unit=tree["P"])[d.code][""]
    # P, A and B are localities; A's list has 3 and 2 people per title, 1/3 young, 1/3 women.
    assert (before.numerator, before.population, before.unit_based) == (1, 3, True)
    assert "1 đơn vị chưa có danh sách quy hoạch" in before.note  # the province
    assert "1 đơn vị có chức danh chưa đủ số người quy hoạch" in before.note  # B: one person
    after = engine.compute([d], day=AFTER, unit=tree["P"])[d.code][""]
    assert (after.numerator, after.population) == (0, 3)
    assert "chưa đủ cơ cấu" in after.note  # A: no young person, no woman left
    assert "2 đơn vị chưa có danh sách" in after.note  # B's only entry ended on 1/1/2025
    by_district = engine.compute([d], day=BEFORE, unit=tree["P"], depth=2)[d.code]
    assert {b: (r.numerator, r.population) for b, r in by_district.items()} == {
        tree["P"].path: (0, 1),
        tree["A"].path: (1, 1),
        tree["B"].path: (0, 1),
    }


@pytest.mark.django_db
def test_18_da_tu_rows_are_computed_and_link_to_their_people(
    lists: dict[str, Any], tree: dict[str, Unit]
) -> None:
    plan = selectors.plan_get(None, "lc-18-da-tu")
    rows = {r.target.row: r for r in selectors.plan_table(plan, day=BEFORE, unit=tree["P"], user=None)}
    assert (rows["I.2-c"].result.status, rows["I.2-c"].result.numerator, rows["I.2-c"].met) == (
        "ok",
        1,
        False,
    )
    assert (rows["I.2-d"].result.numerator, rows["I.2-d"].result.population) == (1, 4)
    c = Client()
    c.force_login(lists["admin"])
    html = c.get("/chi-tieu/lc-18-da-tu/", {"ngay": "01/12/2024"}).content.decode()
    assert "CanBo chưa lưu danh sách quy hoạch" not in html
    d = _defn("quy-hoach-lanh-dao-so-huyen-cao-cap-llct")
    link = f"/can-bo/?chi_tieu={d.pk}&phan=tu&ngay=2024-12-01&don_vi={tree['P'].pk}"
    assert link.replace("&", "&amp;") in html
    listed = c.get(unescape(link)).content.decode()
    assert "Lò Thị Một" in listed and "Vàng Văn Hai" not in listed


@pytest.mark.django_db
def test_the_units_behind_i_2_c(lists: dict[str, Any], tree: dict[str, Unit]) -> None:
    """I.2-c counts units: its numbers open the list of those units, each with its verdict and
    its planning lists."""
    c = Client()
    c.force_login(lists["admin"])
    html = c.get("/chi-tieu/lc-18-da-tu/", {"ngay": "01/12/2024"}).content.decode()
    target = selectors.plan_get(None, "lc-18-da-tu").targets.get(row="I.2-c")
    query = f"xem={target.pk}&phan=tu&ngay=2024-12-01&don_vi={tree['P'].pk}"
    link = f"/chi-tieu/lc-18-da-tu/don-vi/?{query}"
    assert link.replace("&", "&amp;") in html
    met = c.get(link).content.decode()
    assert "<strong>1 đơn vị</strong>" in met and "Huyện A" in met and "Quy hoạch huyện A" in met
    assert "Huyện B" not in met
    every = c.get(link.replace("phan=tu", "phan=mau")).content.decode()
    assert "<strong>3 đơn vị</strong>" in every
    assert "chưa có danh sách quy hoạch" in every  # the province
    assert "có chức danh chưa đủ số người quy hoạch" in every  # district B
    # The officer of B sees his district only.
    b = Client()
    b.force_login(lists["officer_b"])
    mine = b.get(link.replace("phan=tu", "phan=mau").replace(f"don_vi={tree['P'].pk}", "")).content.decode()
    assert "Huyện B" in mine and "Huyện A" not in mine
    # Wrong parameters: a clear 400.
    other = selectors.plan_get(None, "lc-18-da-tu").targets.get(row="1a")
    assert c.get(link.replace(f"xem={target.pk}", f"xem={other.pk}")).status_code == 400
    assert c.get(link.replace("phan=tu", "phan=x")).status_code == 400
    assert c.get(link.replace(f"xem={target.pk}", "xem=²")).status_code == 400
