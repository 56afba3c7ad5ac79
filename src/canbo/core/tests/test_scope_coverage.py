"""Every scoped model, by every kind of user: anonymous, no grant, granted, other subtree.

A model that inherits ``ScopedModel`` without a factory here fails ``test_every_scoped_model_is_covered``
(STYLE.md convention 13), so a new section cannot ship without its access tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from canbo.assessment.models import Award, ConfidenceVote, Discipline, PoliticalConclusion, Rating
from canbo.campaigns.models import CampaignEntry, RatingCampaign, UnitRating, VoteEntry, VoteSession
from canbo.careers.models import BodyMembership, Tenure
from canbo.cases.models import Candidate, Case, HeadPilot, Step, StepVote
from canbo.conftest import REASON_HEADERS, kept_person_a, kept_tree, kept_users
from canbo.core.models import ScopedModel
from canbo.org.models import Post, StaffingQuota, Title, Unit
from canbo.people.models import (
    AssetDeclaration,
    Attachment,
    FamilyRelation,
    HealthRecord,
    PartyMembership,
    Person,
    PersonalHistory,
    Qualification,
    ServiceEvent,
    WorkHistory,
)
from canbo.people.sections import BY_MODEL
from canbo.planning.models import PlanningEntry, PlanningList, PlanningReview
from canbo.plans.models import Plan, PlanSection, ReportingPeriod, Task, TaskOccurrence, TaskReport
from canbo.rules.models import RetirementOverride, RuleException
from canbo.salary.models import EarlyRaise, Grade, RetirementNotice, SalaryRow

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

D = dt.date(2020, 1, 1)

Factory = Callable[[dict[str, Unit], Person, Title], Any]

FACTORIES: dict[type, Factory] = {
    Unit: lambda t, p, ti: t["A1"],
    Post: lambda t, p, ti: Post.objects.create(unit=t["A1"], title=ti, seats=2),
    StaffingQuota: lambda t, p, ti: StaffingQuota.objects.create(
        unit=t["A1"], year=2020, civil_servants=5, public_employees=0
    ),
    Person: lambda t, p, ti: p,
    Tenure: lambda t, p, ti: Tenure.objects.create(
        person=p, unit=t["A1"], title=ti, kind="bo_nhiem", start_date=D
    ),
    BodyMembership: lambda t, p, ti: BodyMembership.objects.create(
        person=p, body=t["A"], kind="cap_uy", term="2020–2025", start_date=D
    ),
    Qualification: lambda t, p, ti: Qualification.objects.create(
        person=p, kind="chuyen_mon", level="dai_hoc", level_rank=40, obtained_date=D
    ),
    WorkHistory: lambda t, p, ti: WorkHistory.objects.create(
        person=p, start_date=D, description="Chuyên viên"
    ),
    PartyMembership: lambda t, p, ti: PartyMembership.objects.create(person=p, admission_date=D),
    FamilyRelation: lambda t, p, ti: FamilyRelation.objects.create(
        person=p, relation="me", full_name="Lê Thị Mẹ"
    ),
    PersonalHistory: lambda t, p, ti: PersonalHistory.objects.create(
        person=p, kind="khac", description="Không"
    ),
    HealthRecord: lambda t, p, ti: HealthRecord.objects.create(person=p, check_date=D, status="tot"),
    ServiceEvent: lambda t, p, ti: ServiceEvent.objects.create(person=p, kind="tuyen_dung", event_date=D),
    AssetDeclaration: lambda t, p, ti: AssetDeclaration.objects.create(
        person=p, kind="hang_nam", year=2020, declared_date=D
    ),
    Attachment: lambda t, p, ti: Attachment.objects.create(
        person=p,
        kind="khac",
        title="Bản quét",
        storage_name="ab/ab",
        sha256="ab" * 32,
        size=1,
        content_type="application/pdf",
        original_name="a.pdf",
    ),
    Award: lambda t, p, ti: Award.objects.create(person=p, form="Bằng khen", year=2020),
    Discipline: lambda t, p, ti: Discipline.objects.create(
        person=p,
        system="dang",
        form="khien_trach",
        decision_number="1",
        decision_date=D,
        issuing_body="UBKT",
        violation="x",
    ),
    Rating: lambda t, p, ti: Rating.objects.create(person=p, system="dang", year=2020, level="htt"),
    ConfidenceVote: lambda t, p, ti: ConfidenceVote.objects.create(
        person=p,
        vote_date=D,
        body="HĐND",
        position="Chủ tịch",
        convened=30,
        present=28,
        ballots=28,
        high=20,
        medium=6,
        low=2,
    ),
    PoliticalConclusion: lambda t, p, ti: PoliticalConclusion.objects.create(
        person=p, conclusion_date=D, issuing_body="Ban Tổ chức"
    ),
    Plan: lambda t, p, ti: Plan.objects.create(
        code="kh-1",
        kind="ke_hoach",
        number="1/KH-UBND",
        issued_on=D,
        issuer_name="UBND",
        unit=t["A1"],
        title="Kế hoạch thử",
    ),
    RetirementOverride: lambda t, p, ti: RetirementOverride.objects.create(
        person=p, kind="som", year=2030, month=6, basis="QĐ 1/QĐ-UBND"
    ),
    SalaryRow: lambda t, p, ti: SalaryRow.objects.create(
        person=p,
        grade=Grade.objects.get(code="01.003"),
        step=1,
        coefficient="2.34",
        from_date=D,
        step_since=D,
    ),
    RetirementNotice: lambda t, p, ti: RetirementNotice.objects.create(
        person=p, kind="thong_bao", number="1/TB", issued_on=D, retirement_date=dt.date(2030, 6, 30)
    ),
    EarlyRaise: lambda t, p, ti: EarlyRaise.objects.create(
        person=p,
        agency=t["A1"],
        year=2026,
        rule="S-9",
        months=12,
        regular_due=dt.date(2027, 1, 1),
        raise_date=dt.date(2026, 1, 1),
        to_step=2,
        to_coefficient="2.67",
    ),
    PlanningList: lambda t, p, ti: _planning_list(t),
    PlanningReview: lambda t, p, ti: PlanningReview.objects.create(
        planning_list=_planning_list(t), year=2020, reviewed_on=D
    ),
    PlanningEntry: lambda t, p, ti: PlanningEntry.objects.create(
        planning_list=_planning_list(t), person=p, title=ti, added_on=D
    ),
    RatingCampaign: lambda t, p, ti: _campaign(t),
    CampaignEntry: lambda t, p, ti: CampaignEntry.objects.create(
        campaign=_campaign(t), person=p, category="cong_chuc", agency=t["A1"]
    ),
    UnitRating: lambda t, p, ti: UnitRating.objects.create(campaign=_campaign(t), unit=t["A1"], level="htt"),
    VoteSession: lambda t, p, ti: _vote_session(t),
    VoteEntry: lambda t, p, ti: VoteEntry.objects.create(
        session=_vote_session(t), person=p, position="Trưởng phòng"
    ),
    PlanSection: lambda t, p, ti: PlanSection.objects.create(plan=_plan(t), number="II", title="NHIỆM VỤ"),
    Task: lambda t, p, ti: _task(t),
    TaskOccurrence: lambda t, p, ti: TaskOccurrence.objects.create(task=_task(t), due=D),
    ReportingPeriod: lambda t, p, ti: _period(t),
    TaskReport: lambda t, p, ti: TaskReport.objects.create(
        period=_period(t), task=_task(t), unit=t["A1"], status="dang_thuc_hien", result="Đang làm"
    ),
    Case: lambda t, p, ti: _case(t, ti),
    HeadPilot: lambda t, p, ti: HeadPilot.objects.create(unit=t["A1"], valid_from=D, basis="QĐ thí điểm"),
    Candidate: lambda t, p, ti: _candidate(t, p, ti),
    Step: lambda t, p, ti: Step.objects.create(
        case=_case(t, ti), number=1, held_on=D, body="Tập thể lãnh đạo", convened=9, present=9, ballots=9
    ),
    StepVote: lambda t, p, ti: StepVote.objects.create(
        step=Step.objects.filter(case=_case(t, ti)).first()
        or Step.objects.create(
            case=_case(t, ti), number=1, held_on=D, body="Tập thể lãnh đạo", convened=9, present=9, ballots=9
        ),
        candidate=_candidate(t, p, ti),
        votes=7,
        outcome="trung",
    ),
    RuleException: lambda t, p, ti: RuleException.objects.create(
        rule="A-5",
        content_type=ContentType.objects.get_for_model(Candidate),
        object_id=(cand := _candidate(t, p, ti)).pk,
        unit=cand.case.unit,
        person=p,
        reason="Ngoại lệ thử",
        basis="Văn bản thử",
        recorded_by=_granter(),
    ),
}


def _case(t: dict, ti: Title) -> Case:
    post = Post.objects.filter(unit=t["A1"], title=ti).first() or Post.objects.create(
        unit=t["A1"], title=ti, seats=1
    )
    found = Case.objects.filter(post=post).first()
    return found or Case.objects.create(
        post=post, unit=t["A1"], kind="bo_nhiem", source="tai_cho", received_on=D
    )


def _candidate(t: dict, p: Person, ti: Title) -> Candidate:
    case = _case(t, ti)
    return Candidate.objects.filter(case=case, person=p).first() or Candidate.objects.create(
        case=case, person=p
    )


def _granter() -> Any:
    from django.contrib.auth.models import User

    return User.objects.filter(username="granter").first() or User.objects.create_user("granter")


def _plan(t: dict) -> Plan:
    plan = Plan.objects.filter(code="kh-1").first()
    return plan or Plan.objects.create(
        code="kh-1",
        kind="ke_hoach",
        number="1/KH-UBND",
        issued_on=D,
        issuer_name="UBND",
        unit=t["A1"],
        title="KH",
    )


def _campaign(t: dict) -> RatingCampaign:
    found = RatingCampaign.objects.filter(unit=t["A1"]).first()
    return found or RatingCampaign.objects.create(
        unit=t["A1"], system="chinh_quyen", year=2020, decision_date=dt.date(2020, 12, 15)
    )


def _vote_session(t: dict) -> VoteSession:
    found = VoteSession.objects.filter(unit=t["A1"]).first()
    return found or VoteSession.objects.create(
        unit=t["A1"], body="cap_uy", vote_date=D, convened=10, present=9, ballots=9
    )


def _planning_list(t: dict) -> PlanningList:
    found = PlanningList.objects.filter(unit=t["A1"]).first()
    return found or PlanningList.objects.create(
        unit=t["A1"], name="Quy hoạch thử", kind="lanh_dao_quan_ly", term_start=2020, term_end=2025
    )


def _task(t: dict) -> Task:
    return Task.objects.filter(plan=_plan(t)).first() or Task.objects.create(
        plan=_plan(t), content="Việc thử"
    )


def _period(t: dict) -> ReportingPeriod:
    return ReportingPeriod.objects.filter(plan=_plan(t)).first() or ReportingPeriod.objects.create(
        plan=_plan(t),
        kind="nam",
        year=2020,
        start=D,
        end=dt.date(2020, 12, 31),
        report_due=dt.date(2021, 1, 10),
    )


def scoped_models() -> list[type]:
    return [m for m in apps.get_models() if issubclass(m, ScopedModel)]


def test_every_scoped_model_is_covered() -> None:
    missing = [m.__name__ for m in scoped_models() if m not in FACTORIES]
    assert not missing, f"scoped models without access tests: {missing}"


@pytest.mark.parametrize("model", scoped_models(), ids=lambda m: m.__name__)
def test_restrict_matrix(model: Any, tree: dict, person_a: Person, title: Title, users: dict) -> None:
    obj = FACTORIES[model](tree, person_a, title)
    qs = model._default_manager.all()

    def sees(user: Any, action: str = "view") -> bool:
        return qs.restrict(user, action).filter(pk=obj.pk).exists()

    assert not sees(AnonymousUser())
    assert not sees(users["nogrant"])
    assert sees(users["officer_a"])
    assert sees(users["officer_a"], "change")
    assert not sees(users["officer_b"])
    assert not sees(users["officer_b"], "change")
    assert sees(users["admin"])
    assert not sees(users["leader_a"], "change")
    assert sees(users["leader_a"]) == (not model.sensitive)
    own_dossier = model.scope_person is not None
    assert sees(users["self_user"]) == own_dossier
    assert not sees(users["self_user"], "change")


@pytest.mark.parametrize("model", list(BY_MODEL), ids=lambda m: m.__name__)
def test_section_api_matrix(model: Any, tree: dict, person_a: Person, title: Title, users: dict) -> None:
    obj = FACTORIES[model](tree, person_a, title)
    url = f"/api/persons/{person_a.pk}/{BY_MODEL[model].slug}/{obj.pk}/"

    def status(user: Any) -> int:
        c = Client(headers=REASON_HEADERS)
        if user is not None:
            c.force_login(user)
        return c.get(url).status_code

    assert status(None) in (401, 403)
    assert status(users["nogrant"]) == 404
    assert status(users["officer_b"]) == 404
    assert status(users["officer_a"]) == 200
    assert status(users["leader_a"]) == (404 if model.sensitive else 200)
    assert status(users["self_user"]) == 200


@pytest.mark.parametrize("broad", [False, True], ids=["narrow", "broad"])
@pytest.mark.parametrize("model", scoped_models(), ids=lambda m: m.__name__)
def test_restrict_by_management_scope(
    model: Any, broad: bool, tree: dict, person_a: Person, title: Title, monkeypatch: Any
) -> None:
    """A grant limited to a management scope (diện quản lý) on the province's root: the records
    of persons in that scope today, and of nobody else; records bound to no person (units,
    plans, lists) it reads to find its way, and changes none. The same whether the scope is
    read from its holders (narrow) or asked of each person (broad: ``is_broad_scope``)."""
    from django.contrib.auth.models import User

    from canbo.accounts import selectors
    from canbo.accounts.models import Grant, Role
    from canbo.org.choices import ManagementScope

    monkeypatch.setattr(selectors, "NARROW_SCOPE", -1 if broad else 2_000)

    # person_a holds a title of the district standing committee's scope (``title``) today
    Tenure.objects.create(person=person_a, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=D)
    scoped: dict[str, Any] = {}
    for name, scope in (
        ("in", ManagementScope.DISTRICT_STANDING),
        ("out", ManagementScope.PROVINCIAL_STANDING),
    ):
        scoped[name] = User.objects.create_user(username=f"scoped_{name}", password="x")
        Grant.objects.create(
            user=scoped[name],
            role=Role.OFFICER,
            unit=tree["P"],
            include_sensitive=True,
            management_scope=scope,
        )
    obj = FACTORIES[model](tree, person_a, title)
    qs = model._default_manager.all()

    def sees(user: Any, action: str = "view") -> bool:
        return qs.restrict(user, action).filter(pk=obj.pk).exists()

    if model.scope_person is not None:
        assert sees(scoped["in"]) and sees(scoped["in"], "change")
        assert not sees(scoped["out"]) and not sees(scoped["out"], "change")
    else:
        assert sees(scoped["in"]) and sees(scoped["out"])
        assert not sees(scoped["in"], "change") and not sees(scoped["out"], "change")


def test_management_scope_follows_the_tenure_dates(tree: dict, person_a: Person, title: Title) -> None:
    """The scope is the one of a title held today: an ended tenure no longer counts."""
    from django.contrib.auth.models import User

    from canbo.accounts.models import Grant, Role
    from canbo.org.choices import ManagementScope

    user = User.objects.create_user(username="bantochuc", password="x")
    Grant.objects.create(
        user=user, role=Role.LEADER, unit=tree["P"], management_scope=ManagementScope.DISTRICT_STANDING
    )
    tenure = Tenure.objects.create(
        person=person_a,
        unit=tree["A1"],
        title=title,
        kind="bo_nhiem",
        start_date=D,
        end_date=dt.date(2021, 12, 31),
    )
    assert not Person.objects.restrict(user).filter(pk=person_a.pk).exists()
    tenure.end_date = None
    tenure.save()
    assert Person.objects.restrict(user).filter(pk=person_a.pk).exists()
