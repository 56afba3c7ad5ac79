"""Loader, new rule versions, holidays and retirement overrides (real database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from canbo.careers.models import Tenure
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import ObjectChange
from canbo.rules import selectors, services
from canbo.rules.engine.facts import Declared
from canbo.rules.models import Holiday, RetirementOverride, RuleVersion

pytestmark = pytest.mark.django_db


def test_loader_is_idempotent_and_logged(rules_loaded: None) -> None:
    n_versions, n_holidays = RuleVersion.objects.count(), Holiday.objects.count()
    assert n_versions >= 120 and n_holidays >= 100
    report = services.rules_load()
    assert report.created_versions == 0 and report.created_holidays == 0
    assert report.unchanged_versions == n_versions and not report.differing
    assert RuleVersion.objects.count() == n_versions
    ct = ContentType.objects.get_for_model(RuleVersion)
    assert ObjectChange.objects.filter(content_type=ct, action="create").count() == n_versions


def test_loader_reports_a_changed_file_without_overwriting(rules_loaded: None, tmp_path: Any) -> None:
    from canbo.rules.engine.rulebook import DATA_DIR

    text = (
        (DATA_DIR / "rules.toml").read_text().replace("reprimand 24; warning 36", "reprimand 25; warning 36")
    )
    text = text.replace("khien_trach = 24, canh_cao = 36", "khien_trach = 25, canh_cao = 36")
    (tmp_path / "rules.toml").write_text(text)
    (tmp_path / "holidays.toml").write_text((DATA_DIR / "holidays.toml").read_text())
    report = services.rules_load(data_dir=tmp_path)
    assert report.differing == ["D-6 v3"]
    assert RuleVersion.objects.get(rule_id="D-6", version=3).params["khien_trach"] == 24


def test_new_version_closes_the_old_one_and_judges_by_date(
    rules_loaded: None, users: dict, person_a: Any, tree: dict, title: Any
) -> None:
    admin = users["admin"]
    created = services.rule_version_add(
        rule_id="A-6",
        params={"min_months": "36"},
        valid_from=dt.date(2026, 3, 1),
        basis="Quy định số 99-QĐ/TU ngày 15/2/2026 (giả định để thử)",
        note="Tỉnh nâng thời gian giữ chức vụ",
        acting_user=admin,
    )
    assert created.version == 2 and created.params["min_months"] == 36
    old = RuleVersion.objects.get(rule_id="A-6", version=1)
    assert old.valid_to == dt.date(2026, 3, 1) and old.params["min_months"] == 24
    ct = ContentType.objects.get_for_model(RuleVersion)
    log = ObjectChange.objects.filter(content_type=ct, object_id=created.pk).get()
    assert log.reason == "Tỉnh nâng thời gian giữ chức vụ" and log.user == admin
    # Held the current post 30 months: enough before 1/3/2026, not after.
    Tenure.objects.create(
        person=person_a, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=dt.date(2023, 8, 1)
    )
    from canbo.org.models import Title

    higher = Title.objects.create(
        code="GD",
        name="Giám đốc",
        level="tinh",
        group="truong_co_quan",
        block="nha_nuoc",
        is_leader=True,
        head_kind="truong",
        management_scope="btv_tinh_uy",
        rank=50,
    )
    before = selectors.verdict(admin, person_a, "appointment", higher, dt.date(2026, 2, 1), Declared())
    after = selectors.verdict(admin, person_a, "appointment", higher, dt.date(2026, 3, 1), Declared())
    a6_before = next(r for r in before.results if r.rule_id == "A-6")
    a6_after = next(r for r in after.results if r.rule_id == "A-6")
    assert (a6_before.version, a6_before.outcome) == (1, "pass")
    assert (a6_after.version, a6_after.outcome) == (2, "fail")


def test_new_version_refusals(rules_loaded: None, users: dict) -> None:
    admin = users["admin"]
    common = {"basis": "QĐ thử", "note": "thử"}
    with pytest.raises(NotPermitted):
        services.rule_version_add(
            rule_id="E-9", params={}, valid_from=dt.date(2027, 1, 1), acting_user=users["officer_a"], **common
        )
    with pytest.raises(DomainError, match="sau ngày 01/01/2026"):
        services.rule_version_add(
            rule_id="E-9", params={}, valid_from=dt.date(2025, 6, 1), acting_user=admin, **common
        )
    with pytest.raises(DomainError, match="phải là một số"):
        services.rule_version_add(
            rule_id="E-9",
            params={"htxs_share_of_htt": "hai mươi"},
            valid_from=dt.date(2027, 1, 1),
            acting_user=admin,
            **common,
        )
    with pytest.raises(DomainError, match="không có trong quy định"):
        services.rule_version_add(
            rule_id="E-9", params={"quota": "1"}, valid_from=dt.date(2027, 1, 1), acting_user=admin, **common
        )
    with pytest.raises(DomainError, match="Không có quy định"):
        services.rule_version_add(
            rule_id="Z-1", params={}, valid_from=dt.date(2027, 1, 1), acting_user=admin, **common
        )
    assert RuleVersion.objects.filter(rule_id="E-9").count() == 1
    assert RuleVersion.objects.get(rule_id="E-9").valid_to is None


def test_holiday_moves_the_notice_date(rules_loaded: None, users: dict) -> None:
    from canbo.rules.engine.calculators import notice_due

    term_end = dt.date(2027, 3, 31)
    before, _ = notice_due(selectors.rulebook(), term_end)
    services.holiday_add(
        day=dt.date(2027, 1, 4), name="Nghỉ bù Tết Dương lịch (thử)", acting_user=users["admin"]
    )
    after, _ = notice_due(selectors.rulebook(), term_end)
    assert after < before
    with pytest.raises(DomainError):
        services.holiday_add(day=dt.date(2027, 1, 4), name="Trùng", acting_user=users["admin"])
    with pytest.raises(NotPermitted):
        services.holiday_add(day=dt.date(2027, 1, 5), name="Không có quyền", acting_user=users["officer_a"])


def test_override_changes_the_retirement_and_stays_in_scope(
    rules_loaded: None, users: dict, person_a: Any, person_b: Any
) -> None:
    services.retirement_override_set(
        person=person_a,
        kind="som",
        year=2030,
        month=6,
        basis="QĐ 5/QĐ-UBND ngày 1/2/2026",
        acting_user=users["officer_a"],
    )
    cal = selectors.person_calendar(users["officer_a"], person_a, dt.date(2026, 1, 1))
    assert cal.retirement is not None and cal.retirement.date == dt.date(2030, 6, 30)
    # Replacing keeps one record per person.
    services.retirement_override_set(
        person=person_a, kind="som", year=2031, month=1, basis="QĐ 6", acting_user=users["officer_a"]
    )
    assert RetirementOverride.objects.filter(person=person_a).count() == 1
    with pytest.raises(NotPermitted):
        services.retirement_override_set(
            person=person_b, kind="som", year=2030, month=1, basis="QĐ 7", acting_user=users["officer_a"]
        )
    assert not RetirementOverride.objects.filter(person=person_b).exists()
