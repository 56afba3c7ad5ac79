"""The data migrations that moved the four recorded-exception shapes (campaigns' fields, cases'
``CaseException``, salary's ``CapException``, planning entries' fields) onto
``rules.RuleException``: every row moved with its rule, subject, reason, basis, who and when, and
the holders of the old permissions hold the one right."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from canbo.conftest import migrate_to

BEFORE = [
    ("campaigns", "0003_votesession_body_other"),
    ("cases", "0002_step_votes_as_rows"),
    ("salary", "0004_early_raise"),
    ("planning", "0003_planning_review"),
    ("rules", "0003_holiday_working"),
]
AFTER = [
    ("campaigns", "0004_campaign_exception_to_rules"),
    ("cases", "0003_case_exception_to_rules"),
    ("salary", "0005_cap_exception_to_rules"),
    ("planning", "0004_entry_exception_to_rules"),
]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    migrate_to(targets)
    # the state of every app as applied now (the targets, and every other app at its latest)
    fresh: Any = MigrationExecutor(connection)
    return fresh._create_project_state(with_applied_migrations=True).apps


@pytest.mark.django_db(transaction=True)
def test_every_old_exception_moves_with_who_and_when() -> None:
    old = _migrate(BEFORE)
    User = old.get_model("auth", "User")
    Permission = old.get_model("auth", "Permission")
    ContentType = old.get_model("contenttypes", "ContentType")
    Unit = old.get_model("org", "Unit")
    Person = old.get_model("people", "Person")
    ObjectChange = old.get_model("core", "ObjectChange")
    Grant = old.get_model("accounts", "Grant")

    boss = User.objects.create(username="boss")
    clerk = User.objects.create(username="clerk")
    ct, _ = ContentType.objects.get_or_create(app_label="campaigns", model="ratingcampaign")
    quota, _ = Permission.objects.get_or_create(
        content_type=ct, codename="record_quota_exception", defaults={"name": "x"}
    )
    clerk.user_permissions.add(quota)
    unit = Unit.objects.create(path="0001", depth=1, numchild=0, code="P", name="Tỉnh", kind="co_quan")
    Grant.objects.create(user=boss, role="admin", unit=unit)
    ethnicity = old.get_model("people", "Ethnicity").objects.get_or_create(
        code="01", defaults={"name": "Kinh"}
    )[0]
    religion = old.get_model("people", "Religion").objects.get_or_create(
        code="00", defaults={"name": "Không"}
    )[0]
    person = Person.objects.create(
        full_name="Nguyễn Văn An", managing_unit=unit, birth_date=dt.date(1980, 5, 17), sex="nam",
        personal_id="001080000001", category="cong_chuc",
        ethnicity=ethnicity, religion=religion,
    )  # fmt: skip

    Campaign = old.get_model("campaigns", "RatingCampaign")
    c = Campaign.objects.create(
        unit=unit, system="chinh_quyen", year=2025, decision_date=dt.date(2025, 12, 20),
        exception_reason="Thành tích nổi trội", exception_basis="QĐ 9", exception_by=boss,
    )  # fmt: skip
    when = timezone.now() - dt.timedelta(days=30)
    ObjectChange.objects.create(
        user=boss, user_name="boss", request_id=uuid.uuid4(), source="web", action="update",
        content_type=ct, object_id=c.pk, object_repr="c", reason="Ngoại lệ",
        prechange_data={"exception_reason": ""}, postchange_data={"exception_reason": "Thành tích nổi trội"},
    )  # fmt: skip
    ObjectChange.objects.filter(object_id=c.pk, content_type=ct).update(time=when)

    Post = old.get_model("org", "Post")
    Title = old.get_model("org", "Title")
    title = Title.objects.create(code="GD", name="Giám đốc", rank=10)
    post = Post.objects.create(unit=unit, title=title)
    Case = old.get_model("cases", "Case")
    case = Case.objects.create(
        unit=unit, post=post, kind="bo_nhiem", source="tai_cho", received_on=dt.date(2026, 3, 2)
    )
    cand = old.get_model("cases", "Candidate").objects.create(case=case, person=person)
    old.get_model("cases", "CaseException").objects.create(
        candidate=cand, rules="A-5", reason="Năng lực nổi trội", basis="CV 12", granted_by=boss
    )
    old.get_model("salary", "CapException").objects.create(
        agency=unit, year=2026, extra=2, reason="Đột xuất", basis="QĐ 12"
    )
    PlanningList = old.get_model("planning", "PlanningList")
    plist = PlanningList.objects.create(
        unit=unit, name="Quy hoạch", kind="chuc_danh", term_start=2025, term_end=2030
    )
    entry = old.get_model("planning", "PlanningEntry").objects.create(
        planning_list=plist, person=person, title=title, added_on=dt.date(2026, 1, 5),
        exception_reason="Có thành tích", exception_basis="1-CV/TU", exception_by=clerk,
    )  # fmt: skip

    new = _migrate(AFTER)
    RuleException = new.get_model("rules", "RuleException")
    rows = {r.rule: r for r in RuleException.objects.all()}
    assert set(rows) == {"E-9", "A-5", "S-9", "P-4"}
    e9 = rows["E-9"]
    assert (e9.object_id, e9.unit_id, e9.reason, e9.basis, e9.recorded_by_id) == (
        c.pk, unit.pk, "Thành tích nổi trội", "QĐ 9", boss.pk
    )  # fmt: skip
    assert abs((e9.recorded_at - when).total_seconds()) < 1
    a5 = rows["A-5"]
    assert (a5.object_id, a5.person_id, a5.basis, a5.recorded_by_id) == (cand.pk, person.pk, "CV 12", boss.pk)
    s9 = rows["S-9"]
    assert (s9.object_id, s9.key, s9.allowance, s9.reason) == (unit.pk, "2026", 2, "Đột xuất")
    p4 = rows["P-4"]
    assert (p4.object_id, p4.person_id, p4.recorded_by_id) == (entry.pk, person.pk, clerk.pk)
    # each moved row is in the change log
    log = new.get_model("core", "ObjectChange").objects.filter(content_type__model="ruleexception")
    assert log.count() == 4
    # the one right: the old permission's holders and the administrators
    holders = set(
        new.get_model("auth", "User")
        .objects.filter(user_permissions__codename="record_rule_exception")
        .values_list("username", flat=True)
    )
    assert holders == {"boss", "clerk"}
