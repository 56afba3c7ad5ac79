"""Setting up a province's organisation: create, correct, move units; posts; quotas; titles.
Bad input is refused with a Vietnamese message and nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from canbo.careers.models import Tenure, TenureKind
from canbo.conftest import make_unit, new_person
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import ObjectChange
from canbo.org import selectors
from canbo.org.choices import Block, HeadKind, Level, LineageEvent, ManagementScope, TitleGroup, UnitKind
from canbo.org.models import Post, StaffingQuota, Title, Unit, UnitLineage
from canbo.org.restructuring import unit_move
from canbo.org.services import (
    post_create,
    quota_set,
    title_create,
    title_update,
    unit_correct,
    unit_create,
)

D = dt.date
ON = D(2025, 7, 1)


def fields(code: str, name: str = "Phòng Tư pháp", **kw: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "kind": UnitKind.DIVISION,
        "block": Block.STATE,
        "level": Level.DISTRICT,
        "valid_from": D(2020, 1, 1),
        **kw,
    }


def counts() -> tuple[int, int, int]:
    return Unit.objects.count(), ObjectChange.objects.count(), Post.objects.count()


# Create


def test_officer_creates_a_unit_under_his_unit_logged_with_its_decision(
    users: dict[str, User], tree: dict[str, Unit]
) -> None:
    unit = unit_create(
        acting_user=users["officer_a"], parent=tree["A"], **fields("A2", basis="QĐ 12/QĐ-UBND ngày 2/1/2020")
    )
    assert Unit.objects.get_parent(unit).pk == tree["A"].pk
    entry = ObjectChange.objects.filter(object_id=unit.pk, action="create").latest("id")
    assert entry.reason == "QĐ 12/QĐ-UBND ngày 2/1/2020"
    assert entry.user_name == "officer_a"


def test_creating_under_another_subtree_is_refused(users: dict[str, User], tree: dict[str, Unit]) -> None:
    before = counts()
    with pytest.raises(NotPermitted):
        unit_create(acting_user=users["officer_a"], parent=tree["B"], **fields("B9"))
    with pytest.raises(NotPermitted):
        unit_create(acting_user=users["leader_a"], parent=tree["A"], **fields("A9"))
    assert counts() == before


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"code": "a1"}, "đã được dùng"),
        ({"valid_from": D(2010, 1, 1)}, "chỉ có hiệu lực từ"),
        ({"valid_from": None}, "ngày đơn vị bắt đầu"),
    ],
)
def test_bad_unit_is_refused_and_nothing_written(
    users: dict[str, User], tree: dict[str, Unit], extra: dict[str, Any], message: str
) -> None:
    before = counts()
    with pytest.raises(DomainError, match=message):
        unit_create(acting_user=users["officer_a"], parent=tree["A"], **{**fields("A5"), **extra})
    assert counts() == before


def test_a_child_cannot_outlive_a_closed_parent(users: dict[str, User], tree: dict[str, Unit]) -> None:
    closed = make_unit(tree["A"], "C", "Ban đã giải thể", valid_to=D(2024, 12, 31))
    before = counts()
    with pytest.raises(DomainError, match="không thể để đơn vị trực thuộc còn hiệu lực"):
        unit_create(acting_user=users["officer_a"], parent=closed, **fields("C1"))
    with pytest.raises(DomainError, match="đã kết thúc"):
        unit_create(acting_user=users["officer_a"], parent=closed, **fields("C2", valid_from=D(2025, 2, 1)))
    assert counts() == before


# Correct


def test_correction_changes_the_name_for_every_date_with_its_reason(
    users: dict[str, User], tree: dict[str, Unit]
) -> None:
    unit = unit_correct(
        unit=tree["A1"],
        acting_user=users["officer_a"],
        reason="Gõ nhầm tên",
        name="Phòng Nội vụ  huyện A (sửa)",
    )
    assert unit.name == "Phòng Nội vụ huyện A (sửa)"
    assert unit.name_on(D(2016, 1, 1)) == unit.name
    assert ObjectChange.objects.filter(object_id=unit.pk, reason="Gõ nhầm tên").exists()


def test_correction_needs_a_reason_a_free_code_and_the_subtree(
    users: dict[str, User], tree: dict[str, Unit]
) -> None:
    before = counts()
    with pytest.raises(DomainError, match="lý do"):
        unit_correct(unit=tree["A1"], acting_user=users["officer_a"], reason=" ", name="X")
    with pytest.raises(DomainError, match="đã được dùng"):
        unit_correct(unit=tree["A1"], acting_user=users["officer_a"], reason="Sai mã", code="B")
    with pytest.raises(DomainError, match="sắp xếp tổ chức"):
        unit_correct(unit=tree["A1"], acting_user=users["officer_a"], reason="x", valid_from=D(2016, 1, 1))
    with pytest.raises(NotPermitted):
        unit_correct(unit=tree["B"], acting_user=users["officer_a"], reason="Sai tên", name="Huyện Bê")
    assert counts() == before


# Move


@pytest.fixture
def moving(users: dict[str, User], tree: dict[str, Unit], title: Title) -> dict[str, Any]:
    """A division D under A with a sub-unit D1, a post and a person holding it; a grant on P."""
    from canbo.accounts.models import Grant, Role

    d = make_unit(tree["A"], "D", "Trung tâm D", level=Level.DISTRICT)
    d1 = make_unit(d, "D1", "Tổ D1", level=Level.DISTRICT)
    person = new_person(d, "Lê Văn Chuyển", sex="nam")
    tenure = Tenure.objects.create(
        person=person, unit=d, title=title, kind=TenureKind.APPOINTED, start_date=D(2020, 1, 1)
    )
    Post.objects.create(unit=d, title=title, seats=1, valid_from=D(2015, 1, 1))
    top = User.objects.create_user("province_officer")
    Grant.objects.create(user=top, role=Role.OFFICER, unit=tree["P"])
    return {"D": d, "D1": d1, "person": person, "tenure": tenure, "user": top}


def test_move_keeps_the_past_under_the_old_parent(tree: dict[str, Unit], moving: dict[str, Any]) -> None:
    user = moving["user"]
    new = unit_move(acting_user=user, unit=moving["D"], new_parent=tree["B"], on=ON, basis="QĐ 7/QĐ-UBND")
    old = Unit.objects.get(pk=moving["D"].pk)
    assert new.code == "D" and old.code == "D~20250630" and old.valid_to == D(2025, 6, 30)
    assert Unit.objects.get_parent(new).pk == tree["B"].pk
    before = [u.pk for u in selectors.children_on(user, tree["A"], D(2025, 6, 30))]
    after_a = [u.pk for u in selectors.children_on(user, tree["A"], ON)]
    after_b = [u.pk for u in selectors.children_on(user, tree["B"], ON)]
    assert old.pk in before and old.pk not in after_a and new.pk in after_b
    # The sub-unit moved with it, under the successor.
    (child,) = selectors.children_on(user, new, ON)
    assert child.code == "D1" and child.pk != moving["D1"].pk
    # Tenure, dossier and post carried; lineage recorded.
    held = Tenure.objects.filter(person=moving["person"]).order_by("start_date")
    assert [(t.unit_id, t.end_date) for t in held] == [(old.pk, D(2025, 6, 30)), (new.pk, None)]
    moving["person"].refresh_from_db()
    assert moving["person"].managing_unit_id == new.pk
    assert Post.objects.filter(unit=new, valid_from=ON).count() == 1
    link = UnitLineage.objects.get(predecessor=old)
    assert link.successor_id == new.pk and link.event == LineageEvent.MOVE


def test_move_into_its_own_subtree_is_a_cycle_and_refused(
    tree: dict[str, Unit], moving: dict[str, Any]
) -> None:
    before = counts()
    with pytest.raises(DomainError, match="vòng lặp"):
        unit_move(acting_user=moving["user"], unit=moving["D"], new_parent=moving["D1"], on=ON)
    assert counts() == before


def test_move_needs_change_on_both_places(
    users: dict[str, User], tree: dict[str, Unit], moving: dict[str, Any]
) -> None:
    before = counts()
    with pytest.raises(NotPermitted):
        unit_move(acting_user=users["officer_a"], unit=moving["D"], new_parent=tree["B"], on=ON)
    with pytest.raises(NotPermitted):
        unit_move(acting_user=users["officer_b"], unit=moving["D"], new_parent=tree["B"], on=ON)
    assert counts() == before


def test_move_under_a_closed_parent_is_refused(tree: dict[str, Unit], moving: dict[str, Any]) -> None:
    closed = make_unit(tree["B"], "BX", "Ban cũ", valid_to=D(2025, 12, 31))
    before = counts()
    with pytest.raises(DomainError, match="kết thúc"):
        unit_move(acting_user=moving["user"], unit=moving["D"], new_parent=closed, on=ON)
    assert counts() == before


# Posts


def test_post_for_a_title_of_another_level_is_refused(
    users: dict[str, User], tree: dict[str, Unit], title: Title
) -> None:
    before = counts()
    with pytest.raises(DomainError, match="cấp huyện"):
        post_create(acting_user=users["admin"], unit=tree["P"], title=title, seats=1)
    assert counts() == before
    post = post_create(acting_user=users["officer_a"], unit=tree["A1"], title=title, seats=2)
    assert post.valid_from == tree["A1"].valid_from
    with pytest.raises(DomainError, match="đã có vị trí"):
        post_create(acting_user=users["officer_a"], unit=tree["A1"], title=title, seats=1)


# Quotas


def test_quota_is_set_then_changed_and_scoped(users: dict[str, User], tree: dict[str, Unit]) -> None:
    q = quota_set(
        acting_user=users["officer_a"], unit=tree["A"], year=2025, civil_servants=40, public_employees=10
    )
    quota_set(
        acting_user=users["officer_a"], unit=tree["A"], year=2025, civil_servants=38, public_employees=10
    )
    q.refresh_from_db()
    assert q.civil_servants == 38 and StaffingQuota.objects.count() == 1
    with pytest.raises(NotPermitted):
        quota_set(
            acting_user=users["officer_a"], unit=tree["B"], year=2025, civil_servants=1, public_employees=0
        )
    assert StaffingQuota.objects.count() == 1


# Titles


def test_titles_are_edited_by_an_administrator_only(users: dict[str, User], tree: dict[str, Unit]) -> None:
    values: dict[str, Any] = {
        "code": "PGD", "name": "Phó Giám đốc Sở", "level": Level.PROVINCE, "group": TitleGroup.AGENCY_DEPUTY,
        "block": Block.STATE, "head_kind": HeadKind.DEPUTY,
        "management_scope": ManagementScope.PROVINCIAL_STANDING,
        "min_professional": "dai_hoc", "min_political_theory": "cao_cap", "max_age_first_appointment": 55,
    }  # fmt: skip
    with pytest.raises(NotPermitted):
        title_create(acting_user=users["officer_a"], **values)
    t = title_create(acting_user=users["admin"], **values)
    assert t.minimum_rank("ly_luan_chinh_tri") == 30 and t.minimum_rank("quan_ly_nha_nuoc") is None
    with pytest.raises(DomainError, match="đã có"):
        title_create(acting_user=users["admin"], **{**values, "code": "pgd"})
    title_update(title=t, acting_user=users["admin"], allowance_coefficient="0.70", reason="QĐ 1")
    t.refresh_from_db()
    assert str(t.allowance_coefficient) == "0.70"


def test_load_titles_is_idempotent_and_keeps_edits(db: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_titles", stdout=out)
    assert "Đã thêm 17 chức danh" in out.getvalue()
    gs = Title.objects.get(code="368-I-TONG-BI-THU")
    assert gs.catalogue_group == "I" and gs.is_key and "368-QĐ/TW" in gs.source
    Title.objects.filter(pk=gs.pk).update(rank=7)
    call_command("load_titles", stdout=out)
    assert Title.objects.count() == 17 and Title.objects.get(pk=gs.pk).rank == 7
    assert ObjectChange.objects.filter(object_id=gs.pk, action="create").count() == 1


def test_correcting_the_level_under_posts_of_that_level_is_refused(
    users: dict[str, User], tree: dict[str, Unit], title: Title
) -> None:
    post_create(acting_user=users["officer_a"], unit=tree["A1"], title=title)
    with pytest.raises(DomainError, match="kết thúc vị trí"):
        unit_correct(unit=tree["A1"], acting_user=users["officer_a"], reason="Sai cấp", level=Level.PROVINCE)
    assert Unit.objects.get(pk=tree["A1"].pk).level == Level.DISTRICT


def test_move_refuses_a_sub_unit_that_starts_after_the_date(
    tree: dict[str, Unit], moving: dict[str, Any]
) -> None:
    make_unit(moving["D"], "D2", "Tổ D2 mới", level=Level.DISTRICT, valid_from=D(2025, 9, 1))
    before = counts()
    with pytest.raises(DomainError, match="Tổ D2 mới"):
        unit_move(acting_user=moving["user"], unit=moving["D"], new_parent=tree["B"], on=ON)
    assert counts() == before
