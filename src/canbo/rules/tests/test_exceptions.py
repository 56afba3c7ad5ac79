"""The one recorded-exception mechanism (``rules.RuleException``): the one right, scoped to the
subject's unit; reason and legal basis required; every write in the change log; the selector the
gates read; the list of every exception in the user's subtrees."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from canbo.core.errors import DomainError
from canbo.core.models import ObjectChange
from canbo.org.models import Unit
from canbo.rules.models import RuleException
from canbo.rules.selectors import exception_for
from canbo.rules.services import ExceptionRightMissing, can_record_exception, record_exception

pytestmark = pytest.mark.django_db


def _with_right(user: User) -> User:
    user.user_permissions.add(Permission.objects.get(codename="record_rule_exception"))
    return User.objects.get(pk=user.pk)  # permissions are cached on the user object


def _record(user: Any, unit: Unit, **kw: Any) -> RuleException:
    values: dict[str, Any] = {
        "rule": "S-9", "key": "2026", "allowance": 1, "reason": "Thành tích đột xuất", "basis": "QĐ 12"
    }  # fmt: skip
    return record_exception(acting_user=user, subject=unit, unit=unit, **(values | kw))


def test_the_right_is_one_permission_scoped_to_the_subjects_unit(tree: dict, users: dict) -> None:
    a1 = tree["A1"]
    # an officer of A without the right: refused, nothing written
    with pytest.raises(ExceptionRightMissing, match="không có quyền ghi ngoại lệ"):
        _record(users["officer_a"], a1)
    # the right, but grants on the other subtree: refused too
    other = _with_right(users["officer_b"])
    assert can_record_exception(other) and not can_record_exception(other, a1)
    with pytest.raises(ExceptionRightMissing):
        _record(other, a1)
    # a leader of A holds the right but may not change A: refused
    leader = _with_right(users["leader_a"])
    with pytest.raises(ExceptionRightMissing):
        _record(leader, a1)
    assert not RuleException.objects.exists()
    officer = _with_right(users["officer_a"])
    e = _record(officer, a1)
    assert (e.rule, e.key, e.allowance, e.unit_id, e.recorded_by) == ("S-9", "2026", 1, a1.pk, officer)
    log = ObjectChange.objects.get(content_type__model="ruleexception", object_id=e.pk)
    assert log.action == "create" and log.user == officer and "QĐ 12" in log.reason


def test_reason_and_basis_are_required(tree: dict, users: dict) -> None:
    officer = _with_right(users["officer_a"])
    with pytest.raises(DomainError, match="lý do và căn cứ pháp lý"):
        _record(officer, tree["A1"], reason="  ")
    with pytest.raises(DomainError, match="lý do và căn cứ pháp lý"):
        _record(officer, tree["A1"], basis="")
    assert not RuleException.objects.exists()


def test_the_rule_version_in_force_is_kept(tree: dict, users: dict, rules_loaded: None) -> None:
    from canbo.rules.selectors import rulebook

    e = _record(None, tree["A1"], day=dt.date(2026, 1, 1))
    assert e.rule_version == rulebook().version("S-9", dt.date(2026, 1, 1)).version
    assert e.recorded_by is None  # the system (a command, the demo)


def test_a_second_record_replaces_the_first_and_the_log_keeps_both(tree: dict, users: dict) -> None:
    officer = _with_right(users["officer_a"])
    first = _record(officer, tree["A1"])
    again = _record(officer, tree["A1"], allowance=2, basis="QĐ 13")
    assert again.pk == first.pk and RuleException.objects.get().allowance == 2
    actions = list(
        ObjectChange.objects.filter(content_type__model="ruleexception", object_id=first.pk)
        .order_by("time", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]


def test_exception_for_reads_by_subject_rule_and_key(tree: dict, users: dict) -> None:
    a1 = tree["A1"]
    assert exception_for(a1, "S-9", key="2026") is None
    _record(None, a1)
    assert exception_for(a1, "S-9", key="2026") is not None
    assert exception_for(a1) is None  # another key (no year)
    assert exception_for(a1, "S-9", key="2025") is None
    assert exception_for(a1, "E-9", key="2026") is None
    assert exception_for(tree["A"], "S-9", key="2026") is None


def test_the_list_shows_the_exceptions_of_the_users_subtrees(tree: dict, users: dict) -> None:
    _record(None, tree["A1"], reason="Lý do đặc biệt")

    def page(user: User) -> tuple[int, str]:
        c = Client()
        c.force_login(user)
        r = c.get("/quy-dinh/ngoai-le/")
        return r.status_code, r.content.decode()

    status, html = page(users["admin"])
    assert status == 200 and "Lý do đặc biệt" in html and "hệ thống" in html and "năm 2026" in html
    assert "Lý do đặc biệt" in page(users["leader_a"])[1]
    status, html = page(users["officer_b"])
    assert status == 200 and "Lý do đặc biệt" not in html and "Chưa có ngoại lệ nào" in html
    assert Client().get("/quy-dinh/ngoai-le/").status_code == 302  # login first
