"""The procedure end to end through its services, and each refusal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from canbo.careers.models import Tenure
from canbo.cases import services as S
from canbo.cases.models import Candidate, Case, CaseStatus, Step
from canbo.cases.tests.conftest import RECEIVED
from canbo.conftest import kept_person_a, kept_tree, kept_users
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import ObjectChange
from canbo.org.models import Post
from canbo.people.models import Person
from canbo.planning.models import PlanningEntry

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

D = dt.date


def open_case(user: Any, post: Post, source: str = "noi_khac") -> Case:
    return S.case_open(acting_user=user, post=post, kind="bo_nhiem", source=source, received_on=RECEIVED)


def to_submitted(user: Any, case: Case, people: list[Person]) -> list[Candidate]:
    cands = [S.candidate_add(acting_user=user, case=case, person=p) for p in people]
    for c in cands:
        S.candidate_declare(acting_user=user, candidate=c, pending_discipline=False)
    S.case_start_steps(acting_user=user, case=case)
    for n in range(1, case.step_count + 1):
        S.step_record(
            acting_user=user,
            case=case,
            number=n,
            held_on=D(2026, 3, 10 + n),
            body=f"Hội nghị bước {n}",
            convened=15,
            present=14,
            ballots=14,
            votes={cands[0].pk: 10, cands[1].pk: 4},
        )
    S.case_submit(acting_user=user, case=case)
    return cands


def decide(user: Any, case: Case, cand: Candidate) -> Case:
    return S.case_decide(
        acting_user=user,
        case=case,
        candidate=cand,
        decision_number="15/QĐ-UBND",
        decision_date=D(2026, 4, 1),
        effective_date=D(2026, 4, 5),
        signer="Chủ tịch UBND huyện A",
    )


def test_happy_path_writes_the_tenure_fills_the_seat_and_uses_the_planning(
    post: Post, eligible: list[Person], users: dict
) -> None:
    officer = users["officer_a"]
    case = open_case(officer, post)
    cands = to_submitted(officer, case, eligible)
    verdict = S.candidate_verdict(officer, case, cands[0])
    assert verdict.outcome in ("pass", "warn"), [(r.label, r.message) for r in verdict.results]
    case = decide(officer, case, cands[0])
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    tenure = Tenure.objects.get(pk=case.tenure_id or 0)
    assert (tenure.person_id, tenure.post_id, tenure.start_date) == (eligible[0].pk, post.pk, D(2026, 4, 5))
    assert tenure.decision_number == "15/QĐ-UBND"
    assert case.term_end == D(2031, 4, 4)
    entry = PlanningEntry.objects.get(person=eligible[0])
    assert entry.removed_on == D(2026, 4, 5)
    # every change of the case is in the change log
    assert ObjectChange.objects.filter(content_type__model="case", object_id=case.pk).count() >= 4
    # a second decision on the same seat is refused
    other = open_case(officer, post)
    cands2 = to_submitted(officer, other, list(reversed(eligible)))
    with pytest.raises(DomainError, match="đã đủ 1 người"):
        decide(officer, other, cands2[0])
    assert Tenure.objects.filter(post=post).count() == 1


def test_too_few_options_refuses_leaving_nomination(post: Post, eligible: list[Person], users: dict) -> None:
    officer = users["officer_a"]
    case = open_case(officer, post)
    S.candidate_add(acting_user=officer, case=case, person=eligible[0])
    with pytest.raises(DomainError, match="A-18 v1: Mới có 1 phương án nhân sự, cần ít nhất 2"):
        S.case_start_steps(acting_user=officer, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOMINATION


def test_head_proposal_only_in_a_pilot_unit_and_exempt_from_the_options_rule(
    post: Post, eligible: list[Person], users: dict, tree: dict, authority: Any
) -> None:
    officer = users["officer_a"]
    with pytest.raises(DomainError, match="không thuộc diện thí điểm"):
        open_case(officer, post, source="nguoi_dung_dau")
    with pytest.raises(DomainError, match="Chỉ quản trị viên"):
        S.head_pilot_add(acting_user=officer, unit=tree["A"], valid_from=D(2026, 1, 1), basis="QĐ 5")
    S.head_pilot_add(acting_user=authority, unit=tree["A"], valid_from=D(2026, 3, 3), basis="QĐ 5")
    with pytest.raises(DomainError, match="không thuộc diện thí điểm"):
        open_case(officer, post, source="nguoi_dung_dau")  # the pilot starts after the event date
    S.head_pilot_add(acting_user=authority, unit=tree["A"], valid_from=D(2026, 1, 1), basis="QĐ 4")
    case = open_case(officer, post, source="nguoi_dung_dau")
    S.candidate_add(acting_user=officer, case=case, person=eligible[0])
    S.case_start_steps(acting_user=officer, case=case)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.BALLOTS


def test_step_without_quorum_is_recorded_but_cannot_advance(
    post: Post, eligible: list[Person], users: dict
) -> None:
    officer = users["officer_a"]
    case = open_case(officer, post)
    cands = [S.candidate_add(acting_user=officer, case=case, person=p) for p in eligible]
    S.case_start_steps(acting_user=officer, case=case)
    for n in (1, 2):
        S.step_record(
            acting_user=officer, case=case, number=n, held_on=D(2026, 3, 10), body="Hội nghị",
            convened=15, present=14, ballots=14, votes={cands[0].pk: 10, cands[1].pk: 4},
        )  # fmt: skip
    step = S.step_record(
        acting_user=officer, case=case, number=3, held_on=D(2026, 3, 12), body="Hội nghị",
        convened=15, present=9, ballots=9, votes={cands[0].pk: 9},
    )  # fmt: skip
    assert not step.quorum_met and step.selected == []
    with pytest.raises(DomainError, match="không đủ số lượng"):
        S.case_submit(acting_user=officer, case=case)


def test_bad_counts_are_refused_and_nothing_written(post: Post, eligible: list[Person], users: dict) -> None:
    officer = users["officer_a"]
    case = open_case(officer, post)
    cands = [S.candidate_add(acting_user=officer, case=case, person=p) for p in eligible]
    S.case_start_steps(acting_user=officer, case=case)
    base: dict[str, Any] = {
        "acting_user": officer,
        "case": case,
        "number": 1,
        "held_on": D(2026, 3, 10),
        "body": "x",
    }
    with pytest.raises(DomainError, match=r"có mặt .* không được lớn hơn"):
        S.step_record(**base, convened=10, present=11, ballots=10, votes={})
    with pytest.raises(DomainError, match="lớn hơn số phiếu phát ra"):
        S.step_record(**base, convened=10, present=10, ballots=9, votes={cands[0].pk: 10})
    with pytest.raises(DomainError, match="Tổng số phiếu"):
        S.step_record(**base, convened=10, present=10, ballots=9, votes={cands[0].pk: 5, cands[1].pk: 5})
    with pytest.raises(DomainError, match="có 3 bước"):
        S.step_record(**base | {"number": 4}, convened=10, present=10, ballots=9, votes={})
    assert not Step.objects.exists()


def test_illegal_transitions_are_refused(post: Post, eligible: list[Person], users: dict) -> None:
    officer = users["officer_a"]
    case = open_case(officer, post)
    with pytest.raises(DomainError, match="Không thể chuyển hồ sơ từ trạng thái «Đang giới thiệu nhân sự»"):
        S.case_submit(acting_user=officer, case=case)
    cand = S.candidate_add(acting_user=officer, case=case, person=eligible[0])
    with pytest.raises(DomainError, match="sang «Đã có quyết định»"):
        decide(officer, case, cand)
    S.case_stop(acting_user=officer, case=case, reason="Đơn vị đề nghị dừng")
    with pytest.raises(DomainError, match="Không thể chuyển"):
        S.case_start_steps(acting_user=officer, case=case)


def test_failing_verdict_refuses_the_decision_until_an_exception(
    post: Post, eligible: list[Person], person_a: Person, users: dict, authority: Any
) -> None:
    """person_a has no planning entry (A-5 fails), no health record, no political conclusion."""
    officer = users["officer_a"]
    case = open_case(officer, post)
    cands = to_submitted(officer, case, [person_a, eligible[0]])
    with pytest.raises(DomainError, match="Không đạt điều kiện: A-5 v1"):
        decide(officer, case, cands[0])
    assert not Tenure.objects.filter(person=person_a, post=post).exists()
    with pytest.raises(DomainError, match="không có quyền ghi ngoại lệ"):
        S.exception_record(acting_user=officer, candidate=cands[0], rules="A-5", reason="x", basis="y")
    S.exception_record(
        acting_user=authority,
        candidate=cands[0],
        rules="A-5, A-7, T-5",
        reason="Nhân sự có năng lực nổi trội, đơn vị không có nguồn quy hoạch",
        basis="Văn bản số 12-CV/HU ngày 20/3/2026",
    )
    decide(officer, case, cands[0])
    assert Tenure.objects.filter(person=person_a, post=post).exists()


def test_cannot_decide_asks_for_the_missing_fact(post: Post, eligible: list[Person], users: dict) -> None:
    officer = users["officer_a"]
    case = open_case(officer, post)
    cands = to_submitted(officer, case, eligible)
    Candidate.objects.filter(pk=cands[0].pk).update(pending_discipline=None)
    cands[0].refresh_from_db()
    with pytest.raises(DomainError, match=r"còn thiếu dữ liệu: A-7 v1.*bổ sung hồ sơ hoặc ghi ngoại lệ"):
        decide(officer, case, cands[0])


def test_other_subtree_refused(post: Post, eligible: list[Person], person_b: Person, users: dict) -> None:
    with pytest.raises(NotPermitted):
        open_case(users["officer_b"], post)
    case = open_case(users["officer_a"], post)
    with pytest.raises(NotPermitted):
        S.candidate_add(acting_user=users["officer_a"], case=case, person=person_b)
    with pytest.raises(NotPermitted):
        S.candidate_add(acting_user=users["officer_b"], case=case, person=person_b)
    assert not Candidate.objects.filter(person=person_b).exists()


@pytest.mark.parametrize(("received", "version"), [(D(2025, 10, 7), 1), (D(2025, 10, 8), 2)])
def test_event_date_selects_the_rule_versions(
    post: Post, eligible: list[Person], users: dict, received: dt.date, version: int
) -> None:
    """The date the organisation department received the dossier selects A-3's version: v1
    (KL 08) until 7/10/2025, v2 (QĐ 377) from 8/10/2025."""
    officer = users["officer_a"]
    case = S.case_open(
        acting_user=officer, post=post, kind="bo_nhiem", source="tai_cho", received_on=received
    )
    cand = S.candidate_add(acting_user=officer, case=case, person=eligible[0])
    verdict = S.candidate_verdict(officer, case, cand)
    a3 = next(r for r in verdict.results if r.rule_id == "A-3")
    assert a3.version == version
    assert verdict.event_date == received


def test_decision_is_all_or_nothing(
    post: Post, eligible: list[Person], person_b: Person, users: dict, tree: dict, authority: Any
) -> None:
    """officer_a also reads district B (a leader grant): he may nominate person_b, but the
    decision would move person_b's dossier into A, which he may not change there: refused after
    the tenure was written, and nothing stays."""
    from canbo.accounts.models import Grant, Role

    officer = users["officer_a"]
    Grant.objects.create(user=officer, role=Role.LEADER, unit=tree["B"], include_sensitive=True)
    case = open_case(officer, post)
    cands = to_submitted(officer, case, [person_b, eligible[0]])
    S.exception_record(
        acting_user=authority, candidate=cands[0], rules="A-5", reason="Ngoại lệ", basis="CV 3"
    )
    logged = ObjectChange.objects.count()
    with pytest.raises(NotPermitted):
        decide(officer, case, cands[0])
    assert not Tenure.objects.filter(person=person_b).exists()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED
    assert ObjectChange.objects.count() == logged
