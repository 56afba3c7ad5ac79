"""Reappointment: opened from the holder's tenure; A-14 decides between an extension to
retirement and a new term; the decision ends the old tenure and starts the new one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from canbo.careers.models import Tenure
from canbo.cases import services as S
from canbo.cases.models import CaseStatus
from canbo.conftest import new_person
from canbo.core.errors import DomainError
from canbo.org.models import Post, Title, Unit

D = dt.date


def holder(tree: dict[str, Unit], title: Title, post: Post, born: dt.date) -> Tenure:
    person = new_person(tree["A1"], "Hoàng Văn Giữ", sex="nam", born=born)
    return Tenure.objects.create(
        person=person, unit=tree["A1"], title=title, post=post, kind="bo_nhiem", start_date=D(2021, 6, 1)
    )


def open_reappointment(user: Any, post: Post, tenure: Tenure, source: str = "nguoi_dung_dau") -> Any:
    from canbo.cases.models import HeadPilot

    HeadPilot.objects.get_or_create(unit=post.unit, valid_from=D(2020, 1, 1), basis="QĐ thí điểm")
    return S.case_open(
        acting_user=user,
        post=post,
        kind="bo_nhiem_lai",
        source=source,
        received_on=D(2026, 3, 2),
        prior_tenure=tenure,
    )


def test_near_retirement_extends_instead(tree: dict, title: Title, post: Post, users: dict) -> None:
    tenure = holder(tree, title, post, D(1965, 2, 10))
    case = open_reappointment(users["officer_a"], post, tenure)
    assert [c.person_id for c in case.candidates.all()] == [tenure.person_id]
    verdict = S.candidate_verdict(users["officer_a"], case, case.candidates.get())
    a14 = next(r for r in verdict.results if r.rule_id == "A-14")
    assert a14.outcome == "warn", a14.message
    S.case_extend(
        acting_user=users["officer_a"], case=case, decision_number="20/QĐ", decision_date=D(2026, 4, 1)
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.EXTENDED and case.term_end is not None


def test_far_from_retirement_cannot_extend(
    tree: dict, title: Title, post: Post, users: dict, authority: Any
) -> None:
    tenure = holder(tree, title, post, D(1980, 2, 10))
    officer = users["officer_a"]
    case = open_reappointment(officer, post, tenure)
    with pytest.raises(DomainError, match="Không kéo dài đến khi nghỉ hưu được"):
        S.case_extend(acting_user=officer, case=case, decision_number="20/QĐ", decision_date=D(2026, 4, 1))
    cand = case.candidates.get()
    S.candidate_declare(acting_user=officer, candidate=cand, pending_discipline=False)
    S.case_start_steps(acting_user=officer, case=case)  # A-18 does not apply to a reappointment
    S.step_record(
        acting_user=officer, case=case, number=1, held_on=D(2026, 3, 20), body="Tập thể lãnh đạo",
        convened=9, present=9, ballots=9, votes={cand.pk: 8},
    )  # fmt: skip
    S.case_submit(acting_user=officer, case=case)
    verdict = S.candidate_verdict(officer, case, cand)
    if S.gate_message(verdict):
        S.exception_record(
            acting_user=authority,
            candidate=cand,
            rules="A-13",
            reason="Chưa nhập xếp loại các năm",
            basis="CV 1",
        )
    S.case_decide(
        acting_user=officer, case=case, candidate=cand, decision_number="21/QĐ-UBND",
        decision_date=D(2026, 5, 20), effective_date=D(2026, 6, 1), signer="Chủ tịch UBND huyện A",
    )  # fmt: skip
    tenure.refresh_from_db()
    assert tenure.end_date == D(2026, 5, 31)
    new = Tenure.objects.get(person=tenure.person, start_date=D(2026, 6, 1))
    assert new.post_id == post.pk and new.decision_number == "21/QĐ-UBND"
    case.refresh_from_db()
    assert case.term_end == D(2031, 5, 31)


def test_reappointment_needs_the_tenure_of_that_post(
    tree: dict, title: Title, post: Post, users: dict
) -> None:
    with pytest.raises(DomainError, match="phải gắn với chức vụ"):
        S.case_open(
            acting_user=users["officer_a"], post=post, kind="bo_nhiem_lai", source="tai_cho",
            received_on=D(2026, 3, 2),
        )  # fmt: skip
