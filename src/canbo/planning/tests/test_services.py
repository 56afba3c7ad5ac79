"""Planning services: lists, additions with P-1 and P-2, removals that keep the row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from canbo.conftest import kept_person_a, kept_tree, kept_users, new_person
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import ObjectChange
from canbo.planning import checks, services
from canbo.planning.models import PlanningEntry, PlanningList
from canbo.planning.tests.conftest import DAY, hold

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")


def add(
    users: dict, plist: PlanningList, person: Any, title: Any, day: dt.date = DAY, **kw: Any
) -> PlanningEntry:
    return services.planning_entry_add(
        acting_user=kw.pop("user", users["officer_a"]),
        planning_list=plist,
        person=person,
        title=title,
        added_on=day,
        decision=kw.pop("decision", "5-QĐ/HU"),
    )


def test_list_create_logs_and_refuses_a_second_list_of_the_same_term(
    plist: PlanningList, users: dict, tree: dict
) -> None:
    log = ObjectChange.objects.get(content_type__model="planninglist", object_id=plist.pk)
    assert log.action == "create" and log.user == users["officer_a"] and log.reason == "12-QĐ/HU"
    with pytest.raises(DomainError, match="đã có danh sách quy hoạch"):
        services.planning_list_create(
            acting_user=users["officer_a"],
            unit=tree["A"],
            name="Trùng",
            kind="lanh_dao_quan_ly",
            term_start=2025,
            term_end=2030,
        )
    with pytest.raises(ValidationError):
        services.planning_list_create(
            acting_user=users["officer_a"],
            unit=tree["A"],
            name="X",
            kind="cap_uy",
            term_start=2030,
            term_end=2025,
        )
    with pytest.raises(NotPermitted):
        services.planning_list_create(
            acting_user=users["officer_b"],
            unit=tree["A"],
            name="X",
            kind="cap_uy",
            term_start=2025,
            term_end=2030,
        )
    assert PlanningList.objects.count() == 1


def test_add_logs_under_the_person_and_refuses_a_duplicate(
    plist: PlanningList, users: dict, person_a: Any, titles: dict
) -> None:
    entry = add(users, plist, person_a, titles["ct"])
    log = ObjectChange.objects.get(content_type__model="planningentry", object_id=entry.pk)
    assert log.related_person_id == person_a.pk and log.reason == "5-QĐ/HU"
    with pytest.raises(DomainError, match="đã có trong danh sách"):
        add(users, plist, person_a, titles["ct"])


def test_p1_title_must_be_above_the_one_held(
    plist: PlanningList, users: dict, tree: dict, person_a: Any, titles: dict
) -> None:
    hold(person_a, tree["A1"], titles["pct"])
    with pytest.raises(DomainError, match=r"P-1.*Phó Chủ tịch UBND huyện"):
        add(users, plist, person_a, titles["pct"])  # the title he holds
    with pytest.raises(DomainError, match="cao hơn chức vụ đang giữ"):
        add(users, plist, person_a, titles["tp"])  # lower
    assert not PlanningEntry.objects.exists()
    add(users, plist, person_a, titles["ct"])  # higher
    # A title with no rank cannot be compared: accepted, and the verdict says it cannot decide.
    entry = add(users, plist, person_a, titles["norank"])
    verdict = checks.entry_verdict(users["officer_a"], entry)
    p1 = next(r for r in verdict.results if r.rule_id == "P-1")
    assert p1.outcome == "cannot_decide"


def test_p2_at_most_three_people_per_title_from_8_october_2025(
    plist: PlanningList, users: dict, tree: dict, titles: dict
) -> None:
    people = [new_person(tree["A1"], f"Người Số {i}", sex="nam") for i in range(5)]
    for p in people[:3]:
        add(users, plist, p, titles["bt"])
    with pytest.raises(DomainError, match=r"đã có 3 người.*không quá 3 người"):
        add(users, plist, people[3], titles["bt"])
    # Before P-2's first version (8/10/2025) no cap is known, so none is applied.
    add(users, plist, people[4], titles["bt"], day=dt.date(2025, 3, 1))
    # A removal frees the place from its date on.
    first = PlanningEntry.objects.filter(person=people[0]).get()
    services.planning_entry_remove(
        acting_user=users["officer_a"], entry=first, removed_on=DAY + dt.timedelta(days=1), reason="Rà soát"
    )
    assert PlanningEntry.objects.filter(title=titles["bt"]).count() == 4


def test_p2_at_most_three_titles_per_person_at_one_level(
    plist: PlanningList, users: dict, person_a: Any, titles: dict
) -> None:
    for key in ("pct", "ct", "bt"):
        add(users, plist, person_a, titles[key])
    with pytest.raises(DomainError, match="3 chức danh cùng cấp"):
        add(users, plist, person_a, titles["norank"])


def test_add_refuses_lists_and_people_outside_the_grants(
    plist: PlanningList, users: dict, person_a: Any, person_b: Any, titles: dict
) -> None:
    with pytest.raises(NotPermitted):
        add(users, plist, person_a, titles["ct"], user=users["officer_b"])
    with pytest.raises(NotPermitted):
        add(users, plist, person_a, titles["ct"], user=users["leader_a"])
    with pytest.raises(NotPermitted):
        add(users, plist, person_b, titles["ct"])  # district B's dossier: officer_a cannot see it
    with pytest.raises(DomainError, match="sau nhiệm kỳ"):
        add(users, plist, person_a, titles["ct"], day=dt.date(2031, 1, 2))
    assert not PlanningEntry.objects.exists()


def test_remove_needs_a_reason_and_keeps_the_row(
    plist: PlanningList, users: dict, person_a: Any, titles: dict
) -> None:
    entry = add(users, plist, person_a, titles["ct"], day=dt.date(2024, 6, 1))
    remove = services.planning_entry_remove
    with pytest.raises(DomainError, match="Cần ghi lý do"):
        remove(acting_user=users["officer_a"], entry=entry, removed_on=dt.date(2025, 3, 1), reason="  ")
    with pytest.raises(DomainError, match="phải sau ngày bổ sung"):
        remove(acting_user=users["officer_a"], entry=entry, removed_on=dt.date(2024, 6, 1), reason="x")
    with pytest.raises(NotPermitted):
        remove(acting_user=users["officer_b"], entry=entry, removed_on=dt.date(2025, 3, 1), reason="x")
    remove(
        acting_user=users["officer_a"],
        entry=entry,
        removed_on=dt.date(2025, 3, 1),
        reason="Bị kỷ luật khiển trách",
        decision="9-QĐ/HU",
    )
    entry.refresh_from_db()
    assert entry.removed_on == dt.date(2025, 3, 1) and entry.removal_reason == "Bị kỷ luật khiển trách"
    assert entry.in_force_on(dt.date(2025, 2, 28)) and not entry.in_force_on(dt.date(2025, 3, 1))
    log = ObjectChange.objects.filter(content_type__model="planningentry", action="update").get()
    assert log.reason == "9-QĐ/HU" and (log.postchange_data or {})["removed_on"] == "2025-03-01"
    with pytest.raises(DomainError, match="đã được đưa ra"):
        remove(acting_user=users["officer_a"], entry=entry, removed_on=dt.date(2025, 4, 1), reason="x")
    # Planned again after the removal: a new row, the old one stays.
    add(users, plist, person_a, titles["ct"], day=dt.date(2026, 3, 1))
    assert PlanningEntry.objects.filter(person=person_a).count() == 2


def test_verdict_counts_the_list_and_reads_the_dossier(
    plist: PlanningList, users: dict, tree: dict, person_a: Any, titles: dict
) -> None:
    hold(person_a, tree["A1"], titles["tp"])
    entry = add(users, plist, person_a, titles["ct"])
    verdict = checks.entry_verdict(users["officer_a"], entry)
    by_rule = {r.rule_id: r for r in verdict.results}
    assert by_rule["P-1"].outcome == "pass"
    assert by_rule["P-2"].outcome == "pass" and "1 người cho chức danh" in by_rule["P-2"].message
    assert by_rule["P-5"].outcome == "pass"  # born 1980: decades of working time from 2025


def test_a_list_plans_titles_of_its_level_or_below(plist: Any, users: dict, person_a: Any) -> None:
    """A district's list (unit A) offers and accepts district and commune titles, never a
    province title."""
    from django.forms import ModelChoiceField

    from canbo.org.choices import Level
    from canbo.org.models import Title
    from canbo.planning.forms import EntryAddForm

    province_title = Title.objects.create(
        code="BT-TU-T", name="Bí thư Tỉnh ủy (thử)", level=Level.PROVINCE, is_leader=True, rank=100
    )
    with pytest.raises(DomainError, match="chỉ chức danh cùng cấp hoặc cấp dưới"):
        services.planning_entry_add(
            acting_user=users["officer_a"],
            planning_list=plist,
            person=person_a,
            title=province_title,
            added_on=dt.date(2025, 11, 3),
        )
    assert not PlanningEntry.objects.filter(title=province_title).exists()
    commune_title = Title.objects.create(
        code="CT-X-T", name="Chủ tịch UBND xã (thử)", level=Level.COMMUNE, is_leader=True, rank=38
    )
    field = EntryAddForm(user=users["officer_a"], planning_list=plist).fields["chuc_danh"]
    assert isinstance(field, ModelChoiceField)
    offered = field.queryset
    assert offered is not None
    assert province_title not in offered and commune_title in offered
