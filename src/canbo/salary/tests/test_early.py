"""Early raises (SALARY.md S-9, S-10): the engine's pass / fail / cannot decide, the agency's cap
and its recorded exception, the decision (all or nothing), S-10 at a retirement notice, and the
other subtree."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from canbo.assessment.models import Award, Discipline
from canbo.conftest import new_person
from canbo.core.models import ObjectChange
from canbo.rules.engine.checks.early_raise import EarlyCase, check_early
from canbo.rules.models import RuleException
from canbo.rules.selectors import rulebook
from canbo.salary import early
from canbo.salary.models import EarlyRaise, SalaryRow
from canbo.salary.tests.conftest import client_for, rate, salary

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def good(tree: dict) -> Any:
    """Step 3 since 01/01/2024 (regular due 01/01/2027), rated HTT 2024 and 2025, a provincial
    award of 06/2025: 12 months early from 01/01/2026 passes S-9."""
    person = new_person(tree["A1"], "Vũ Văn Giỏi", sex="nam", recruitment_date=dt.date(2010, 1, 1))
    salary(person, 3, dt.date(2024, 1, 1))
    rate(person, 2024, 2025, level="htt")
    award = Award.objects.create(person=person, form="Bằng khen của Chủ tịch UBND tỉnh", year=2025,
                                 decision_date=dt.date(2025, 6, 1))  # fmt: skip
    return person, award


def s9(person: Any, award: Award | None, months: int = 12) -> str:
    _ctx, verdict = early.judge(person, "S-9", months=months, award=award, day=dt.date(YEAR, 1, 1)) or (
        None,
        None,
    )
    assert verdict is not None
    return verdict.outcome


def test_s9_passes_fails_and_cannot_decide(good: Any, tree: dict) -> None:
    person, award = good
    assert s9(person, award) == "pass"
    assert s9(person, award, months=13) == "fail"  # more than S-9's 12 months
    assert s9(person, None) == "fail"  # no award
    late = Award.objects.create(person=person, form="Giấy khen", year=2027, decision_date=dt.date(2027, 2, 1))
    assert s9(person, late) == "fail"  # after the step time
    # a year rated only HTNV fails; a year without rating cannot be decided (never a silent pass)
    plain = new_person(tree["A1"], "Vũ Thị Thường", recruitment_date=dt.date(2010, 1, 1))
    salary(plain, 3, dt.date(2024, 1, 1))
    rate(plain, 2024, level="htt")
    rate(plain, 2025, level="ht")
    prize = Award.objects.create(person=plain, form="Giấy khen", year=2025, decision_date=dt.date(2025, 5, 1))
    assert s9(plain, prize) == "fail"
    unrated = new_person(tree["A1"], "Vũ Thị Thiếu", recruitment_date=dt.date(2010, 1, 1))
    salary(unrated, 3, dt.date(2024, 1, 1))
    rate(unrated, 2024, level="htt")
    prize = Award.objects.create(
        person=unrated, form="Giấy khen", year=2025, decision_date=dt.date(2025, 5, 1)
    )
    _ctx, verdict = early.judge(unrated, "S-9", months=12, award=prize, day=dt.date(YEAR, 1, 1)) or (
        None,
        None,
    )
    assert verdict is not None and verdict.outcome == "cannot_decide"
    assert "thiếu kết quả xếp loại năm 2025" in verdict.results[0].message
    # a discipline in the step time delays the step: no early raise
    Discipline.objects.create(
        person=person, system="chinh_quyen", form="khien_trach", decision_number="1",
        decision_date=dt.date(2025, 3, 1), issuing_body="UBND", violation="x",
    )  # fmt: skip
    assert s9(person, award) == "fail"


def test_s10_passes_within_twelve_months_fails_beyond_and_is_silent_when_due() -> None:
    from decimal import Decimal

    from canbo.rules.engine.checks.salary import SalaryCase, SalaryFact

    book = rulebook()
    fact = SalaryFact(
        "01.003", "A1", 9, Decimal("2.34"), Decimal("0.33"), 3, Decimal("3.00"), 0, dt.date(2024, 1, 1)
    )
    case = SalaryCase(book, fact)  # regular due 01/01/2027

    def outcome(notice: dt.date) -> str:
        return check_early(EarlyCase(case, "S-10", notice_date=notice)).outcome

    assert outcome(dt.date(2026, 1, 1)) == "pass"  # 12 months left
    assert outcome(dt.date(2025, 12, 31)) == "fail"  # a little more than 12
    assert outcome(dt.date(2027, 2, 1)) == "pass"  # not applicable: already due (composes to pass)
    top = SalaryFact(
        "01.003", "A1", 9, Decimal("2.34"), Decimal("0.33"), 9, Decimal("4.98"), 0, dt.date(2024, 1, 1)
    )
    assert (
        check_early(EarlyCase(SalaryCase(book, top), "S-10", notice_date=dt.date(2026, 6, 1))).outcome
        == "fail"
    )


def post(user: Any, name: str, tree: dict, **data: Any) -> Any:
    return client_for(user).post(f"/luong/truoc-han/{name}/", {"don_vi": tree["A"].pk, "nam": YEAR, **data})


def test_cap_refuses_the_decision_until_an_administrator_records_an_exception(
    users: dict, good: Any, tree: dict
) -> None:
    person, award = good
    officer = users["officer_a"]
    data = {"nguoi": person.pk, "khen_thuong": award.pk, "so_thang": 12}
    # no reason: refused with the Vietnamese message, nothing written
    r = post(officer, "de-nghi", tree, **data)
    assert r.status_code == 400 and "Hãy ghi lý do hoặc căn cứ của thay đổi" in r.content.decode()
    assert not EarlyRaise.objects.exists()
    r = post(officer, "de-nghi", tree, **data, reason="Theo đề nghị của Hội đồng thi đua")
    assert r.status_code == 302
    proposal = EarlyRaise.objects.get(person=person)
    logged = ObjectChange.objects.filter(object_id=str(proposal.pk), reason__endswith="Hội đồng thi đua")
    assert logged.exists()
    assert (proposal.rule, proposal.raise_date, proposal.to_step) == ("S-9", dt.date(2026, 1, 1), 4)
    page = client_for(officer).get("/luong/truoc-han/", {"don_vi": tree["A"].pk, "nam": YEAR})
    html = page.content.decode()
    assert page.status_code == 200 and "Vũ Văn Giỏi" in html and "tối đa <strong>0</strong> người" in html
    # 2 people on the payroll, 10% → 0: the decision is refused, nothing written
    before = SalaryRow.objects.count()
    r = post(officer, "quyet-dinh", tree, so_quyet_dinh="5/QĐ-UBND", ngay_quyet_dinh="15/01/2026")
    assert r.status_code == 400 and "Vượt tỷ lệ" in r.content.decode()
    assert SalaryRow.objects.count() == before and not EarlyRaise.objects.exclude(decision_number="").exists()
    # an officer may not record the exception; an administrator must give reason and basis
    r = post(officer, "ngoai-le", tree, so_nguoi=1, ly_do="Thành tích đột xuất", can_cu="QĐ 12/QĐ-UBND")
    assert r.status_code == 400 and "không có quyền ghi ngoại lệ" in r.content.decode()
    assert not RuleException.objects.exists()
    admin = users["admin"]
    r = post(admin, "ngoai-le", tree, so_nguoi=1, ly_do="", can_cu="QĐ 12/QĐ-UBND")
    assert r.status_code == 400 and not RuleException.objects.exists()
    r = post(admin, "ngoai-le", tree, so_nguoi=1, ly_do="Thành tích đột xuất", can_cu="QĐ 12/QĐ-UBND")
    assert r.status_code == 302 and RuleException.objects.get().allowance == 1
    r = post(officer, "quyet-dinh", tree, so_quyet_dinh="5/QĐ-UBND", ngay_quyet_dinh="15/01/2026")
    assert r.status_code == 302
    row = SalaryRow.objects.get(person=person, from_date=dt.date(2026, 1, 1))
    assert (row.step, str(row.coefficient), row.decision_number) == (4, "3.33", "5/QĐ-UBND")
    assert EarlyRaise.objects.get(person=person).finalised


def test_other_subtree_and_leader_cannot_propose(users: dict, good: Any, tree: dict) -> None:
    person, award = good
    data = {"nguoi": person.pk, "khen_thuong": award.pk, "so_thang": 12, "reason": "Sửa lỗi nhập liệu"}
    assert post(users["officer_b"], "de-nghi", tree, **data).status_code == 400  # unit A not in B's grants
    r = client_for(users["officer_b"]).post(
        "/luong/truoc-han/de-nghi/", {"don_vi": tree["B"].pk, "nam": YEAR, **data}
    )
    assert r.status_code == 404
    assert post(users["leader_a"], "de-nghi", tree, **data).status_code == 404
    assert not EarlyRaise.objects.exists()
    assert (
        client_for(users["officer_b"])
        .get("/luong/truoc-han/", {"don_vi": tree["A"].pk, "nam": YEAR})
        .status_code
        == 400
    )


def test_a_retirement_notice_brings_its_s10_proposal(users: dict, tree: dict) -> None:
    from canbo.salary.retirement import record_notice, retirement_of

    person = new_person(tree["A1"], "Hà Văn Hưu", sex="nam", born=dt.date(1965, 1, 15),
                        recruitment_date=dt.date(1990, 1, 1))  # fmt: skip
    salary(person, 5, dt.date(2024, 1, 1))  # regular due 01/01/2027
    retired = retirement_of(users["officer_a"], person)
    assert retired is not None and retired.date > dt.date(2026, 6, 1)
    notice = record_notice(
        acting_user=users["officer_a"], person_id=person.pk, kind="thong_bao", number="3/TB",
        issued_on=dt.date(2026, 6, 1),
    )  # fmt: skip
    proposal = EarlyRaise.objects.get(person=person)
    assert (proposal.rule, proposal.notice_id, proposal.raise_date, proposal.to_step) == (
        "S-10", notice.pk, dt.date(2026, 6, 1), 6,
    )  # fmt: skip
    assert EarlyRaise.objects.restrict(users["officer_b"]).count() == 0
