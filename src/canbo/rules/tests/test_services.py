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
    assert n_versions >= 120 and n_holidays >= 2  # holidays: the yearly adjustments only
    report = services.rules_load()
    assert report.created_versions == 0 and report.created_holidays == 0
    assert report.unchanged_versions == n_versions and not report.differing
    assert RuleVersion.objects.count() == n_versions
    ct = ContentType.objects.get_for_model(RuleVersion)
    assert ObjectChange.objects.filter(content_type=ct, action="create").count() == n_versions


def test_a_first_load_writes_its_change_log_in_one_statement() -> None:
    """The loader's entries (one per version and holiday, in the order written) go in at the end
    of its transaction by one insert, not one each (``core.services.deferred_log``; SQLite's
    limit on the parameters of a statement splits it in two there)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        report = services.rules_load()
    inserts = [q for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "core_objectchange"')]
    assert len(inserts) <= 2, len(inserts)
    log = list(ObjectChange.objects.order_by("id"))
    assert len(log) == report.created_versions + report.created_holidays
    assert [(e.content_type.model, e.object_id) for e in log] == [
        *(("ruleversion", pk) for pk in RuleVersion.objects.order_by("id").values_list("id", flat=True)),
        *(("holiday", pk) for pk in Holiday.objects.order_by("id").values_list("id", flat=True)),
    ]
    assert {(e.action, e.reason) for e in log} == {("create", services.LOAD_REASON)}


def _first_load(one_by_one: bool, monkeypatch: Any) -> tuple[list[Any], list[Any], int]:
    """A first load's rows and change log in order (ids as their rank: a sequence does not
    restart after the rollback on PostgreSQL), and its number of statements; rolled back."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    skip = {"id", "created", "last_updated"}
    with monkeypatch.context() as m:
        if one_by_one:  # the loader's own way when it cannot write them at once
            m.setattr(services, "_insert_at_once", lambda rows, keys: False)
        with transaction.atomic():
            with CaptureQueriesContext(connection) as ctx:
                services.rules_load()
            rank = {
                (model._meta.model_name, pk): i
                for model in (RuleVersion, Holiday)
                for i, pk in enumerate(model.objects.order_by("id").values_list("id", flat=True))
            }
            rows = [
                [{k: v for k, v in r.items() if k not in skip} for r in model.objects.order_by("id").values()]
                for model in (RuleVersion, Holiday)
            ]
            log = [
                (e.action, e.content_type.model, rank[(e.content_type.model, e.object_id)], e.object_repr,
                 e.reason, e.user_name, {k: v for k, v in (e.postchange_data or {}).items() if k not in skip})
                for e in ObjectChange.objects.select_related("content_type").order_by("id")
            ]  # fmt: skip
            transaction.set_rollback(True)
    return rows, log, len(ctx.captured_queries)


def test_a_first_load_writes_the_rows_and_log_of_one_create_each_in_a_few_statements(
    monkeypatch: Any,
) -> None:
    """The versions and holidays of a first load are written by one statement each (a few on
    SQLite: its limit on a statement's parameters), validated as ``audited_create`` validates
    them: the same rows, ids in the same order and the same change log, in the same order, as one
    ``audited_create`` each; 14 statements on SQLite and 9 on PostgreSQL instead of 568."""
    rows, log, queries = _first_load(False, monkeypatch)
    rows_one, log_one, queries_one = _first_load(True, monkeypatch)
    assert rows == rows_one and len(rows[0]) >= 120 and len(rows[1]) >= 2
    assert log == log_one and len(log) == len(rows[0]) + len(rows[1])
    assert queries <= 18 < 3 * len(log) < queries_one, (queries, queries_one)


def test_a_file_naming_a_version_twice_is_refused_as_before(tmp_path: Any) -> None:
    """Two equal keys in the file cannot be written at once: the loader creates them one by one,
    and the second is refused by the unique constraint's check, nothing written."""
    from django.core.exceptions import ValidationError

    from canbo.rules.engine.rulebook import DATA_DIR

    text = (DATA_DIR / "rules.toml").read_text(encoding="utf-8")
    first = text.index("[[rule]]")
    second = text.index("[[rule]]", first + 1)
    (tmp_path / "rules.toml").write_text(text + "\n" + text[first:second], encoding="utf-8")
    (tmp_path / "holidays.toml").write_text((DATA_DIR / "holidays.toml").read_text(encoding="utf-8"))
    with pytest.raises(ValidationError):
        services.rules_load(data_dir=tmp_path)
    assert not RuleVersion.objects.exists() and not ObjectChange.objects.exists()


def test_loader_reports_a_changed_file_without_overwriting(rules_loaded: None, tmp_path: Any) -> None:
    from canbo.rules.engine.rulebook import DATA_DIR

    text = (
        (DATA_DIR / "rules.toml")
        .read_text()
        .replace("khiển trách 24; cảnh cáo 36", "khiển trách 25; cảnh cáo 36")
    )
    text = text.replace("khien_trach = 24, canh_cao = 36", "khien_trach = 25, canh_cao = 36")
    (tmp_path / "rules.toml").write_text(text)
    (tmp_path / "holidays.toml").write_text((DATA_DIR / "holidays.toml").read_text())
    report = services.rules_load(data_dir=tmp_path)
    assert report.differing == ["D-6 v3"]
    d6 = RuleVersion.objects.get(rule_id="D-6", version=3)
    assert d6.params["khien_trach"] == 24
    assert d6.parameters_text == "khiển trách 25; cảnh cáo 36; cách chức 60 tháng"  # a text: corrected


OLD_TEXTS = {
    # As the first release loaded them: English statement only, English basis and notes.
    ("A-6", 1): {
        "statement_vi": "",
        "basis": (
            "viên chức: 2025 appointment rules (CONFIRMED); cadres: QĐ 80, QĐ 377 (UNCONFIRMED, default 24)"
        ),
        "confidence_note": "CONFIRMED / UNCONFIRMED",
        "in_force_text": "2025 → in force",
    },
    ("T-5", 1): {
        "statement_vi": "",
        "basis": "QĐ 58-QĐ/TW (8/2/2022) with Central Organisation Board guidance",
        "parameters_text": "",
    },
    ("D-6", 3): {
        "statement_vi": "",
        "parameters_text": "reprimand 24; warning 36; removal from office 60 months",
    },
}


def test_rules_load_corrects_old_texts_then_has_nothing_to_change(rules_loaded: None, capsys: Any) -> None:
    """A database loaded with the old English texts: the first ``rules load`` corrects the texts
    (logged), never the parameters or dates; the second reports nothing to change."""
    from django.core.management import call_command

    from canbo.rules.services import TEXT_REASON

    for (rid, ver), texts in OLD_TEXTS.items():
        RuleVersion.objects.filter(rule_id=rid, version=ver).update(**texts)
    # A changed parameter and date in the database stay as they are (reported, not overwritten).
    RuleVersion.objects.filter(rule_id="A-6", version=1).update(
        params={"min_months": 30}, valid_from=dt.date(2025, 2, 1)
    )
    n_versions = RuleVersion.objects.count()
    ct = ContentType.objects.get_for_model(RuleVersion)

    call_command("rules", "load")
    first = capsys.readouterr()
    assert "thêm 0 phiên bản, cập nhật văn bản mô tả 3," in first.out
    assert "A-6 v1, D-6 v3, T-5 v1" in first.out and "A-6 v1" in first.err
    a6 = RuleVersion.objects.get(rule_id="A-6", version=1)
    assert a6.statement_vi.startswith("Thời gian giữ chức vụ hiện tại")
    assert a6.basis == "viên chức: quy định năm 2025 về bổ nhiệm; cán bộ: QĐ 80, QĐ 377"
    assert a6.in_force_text == "2025 → nay" and a6.statement.startswith("Time in the current")
    assert a6.params == {"min_months": 30} and a6.valid_from == dt.date(2025, 2, 1)
    logged = ObjectChange.objects.filter(content_type=ct, action="update", reason=TEXT_REASON)
    assert logged.count() == 3
    entry = logged.get(object_id=a6.pk)
    assert entry.prechange_data and entry.postchange_data
    assert entry.prechange_data["basis"].startswith("viên chức: 2025 appointment rules")
    assert entry.postchange_data["basis"] == a6.basis

    call_command("rules", "load")
    second = capsys.readouterr()
    assert f"thêm 0 phiên bản, cập nhật văn bản mô tả 0, giữ nguyên {n_versions - 1}." in second.out
    assert "Đã cập nhật" not in second.out and second.err.strip().endswith("A-6 v1")
    assert logged.count() == 3
    report = services.rules_load()
    assert report.updated_texts == [] and report.differing == ["A-6 v1"]


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


def test_loader_splits_the_old_single_h1_version_through_the_log(rules_loaded: None) -> None:
    """A database loaded before H-1 was split holds one undated H-1 v1 (BLLĐ 2019): the loader
    renumbers it to v3 from 1/1/2021 and adds v1 (BLLĐ 1994) and v2 (BLLĐ 2012)."""
    RuleVersion.objects.filter(rule_id="H-1").exclude(version=3).delete()
    RuleVersion.objects.filter(rule_id="H-1").update(version=1, valid_from=None)
    report = services.rules_load()
    rows = {r.version: r for r in RuleVersion.objects.filter(rule_id="H-1")}
    assert sorted(rows) == [1, 2, 3] and not report.differing
    assert rows[3].basis.startswith("BLLĐ 2019") and rows[3].valid_from == dt.date(2021, 1, 1)
    assert rows[2].basis.startswith("BLLĐ 2012") and rows[2].valid_to == dt.date(2021, 1, 1)
    assert ObjectChange.objects.filter(reason=services.H1_SPLIT_REASON, object_id=rows[3].pk).exists()
    assert services.rules_load().unchanged_versions == RuleVersion.objects.count()
