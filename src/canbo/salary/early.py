"""Early step raises (SALARY.md S-9, S-10): an agency's proposals for a year, its cap, the
recorded exception to the cap, and the decision that finalises the proposals.

- ``propose`` (S-9): a person of the agency's subtree, the award that justifies it and the
  months early; refused unless the rules engine passes it (``check_early``).
- ``propose_at_notice`` (S-10): called when a retirement notice is recorded; a proposal appears
  when the person qualifies, silently nothing otherwise.
- ``finalise``: one decision (number, date) for the agency's open proposals of the year; each
  writes the person's next salary row through the audited section service, all or nothing.
  The S-9 proposals finalised in the year may not exceed the cap (S-9's ``cap_share`` of the
  people on the agency's payroll on 1 January, rounded down) plus a recorded exception.
- ``record_exception``: the exception (how many more, reason, legal basis): a
  ``rules.RuleException`` on the agency for the year, by a user holding the one exception right
  (``rules.record_rule_exception``) whose grants cover the agency.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from canbo.assessment.models import Award, Discipline, Rating
from canbo.core.dates import format_date, today
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.services import audited_create, audited_update
from canbo.core.types import ActingUser
from canbo.org.models import Unit
from canbo.people.models import Person
from canbo.people.sections import read_records
from canbo.rules.engine.checks.early_raise import ACHIEVEMENT, RETIREMENT, EarlyCase, check_early
from canbo.rules.engine.checks.salary import SalaryCase, SalaryFact
from canbo.rules.engine.facts import DisciplineFact, RatingFact
from canbo.rules.engine.verdict import PASS, Verdict
from canbo.rules.models import RuleException
from canbo.rules.selectors import exception_for
from canbo.salary.models import EarlyRaise, RetirementNotice, SalaryRow


@dataclass(frozen=True)
class Cap:
    """S-9's cap of an agency for a year: the share, the payroll it applies to, the cap, how
    many are finalised and proposed, and the exception on file."""

    share: float
    payroll: int
    cap: int
    finalised: int
    open: int
    exception: RuleException | None

    @property
    def allowed(self) -> int:
        return self.cap + ((self.exception.allowance or 0) if self.exception else 0)

    @property
    def share_text(self) -> str:
        return f"{self.share * 100:g}%".replace(".", ",")


def _book() -> Any:
    from canbo.rules.selectors import rulebook

    return rulebook()


def payroll(agency: Unit, day: dt.date) -> int:
    """People on the agency's payroll on ``day``: its subtree's persons in service then."""
    return (
        Person.objects.filter(managing_unit__path__startswith=agency.path)
        .filter(Q(left_service_date__isnull=True) | Q(left_service_date__gt=day))
        .filter(Q(recruitment_date__isnull=True) | Q(recruitment_date__lte=day))
        .count()
    )


def cap_of(agency: Unit, year: int) -> Cap:
    day = dt.date(year, 1, 1)
    ver = _book().find(ACHIEVEMENT, day)
    share = float(ver.params.get("cap_share", 0.1)) if ver else 0.1
    staff = payroll(agency, day)
    mine = EarlyRaise.objects.filter(agency=agency, year=year, rule=ACHIEVEMENT)
    return Cap(
        share=share,
        payroll=staff,
        cap=math.floor(share * staff + 1e-9),
        finalised=mine.exclude(decision_number="").count(),
        open=mine.filter(decision_number="").count(),
        exception=exception_for(agency, ACHIEVEMENT, key=str(year)),
    )


def salary_case(
    person: Person,
    day: dt.date,
    *,
    disciplines: tuple[DisciplineFact, ...] | None = None,
    ratings: tuple[RatingFact, ...] | None = None,
    book: Any = None,
) -> SalaryCase | None:
    """The person's salary case on ``day`` (the row in force, his disciplines and ratings; those
    a caller already read may be given)."""
    from canbo.salary.services import row_in_force

    read = read_records(person, SalaryRow)  # the person page's salary rows, newest first
    if read is not None:
        row = next((r for r in read if r.from_date <= day), None)
    else:
        row = row_in_force(person.pk, day)
    if row is None:
        return None
    g = row.grade.group
    fact = SalaryFact(row.grade.code, g.code, g.steps, g.first, g.increment, row.step,
                      Decimal(row.coefficient), row.beyond_frame_percent, row.step_since)  # fmt: skip
    book = book or _book()
    if disciplines is not None and ratings is not None:
        return SalaryCase(book, fact, disciplines, tuple(r for r in ratings if r.period_is_year))
    disciplines = tuple(
        DisciplineFact(*v)
        for v in Discipline.objects.filter(person=person).values_list(
            "system", "form", "decision_date", "effective_date", "announced_date", "decision_number"
        )
    )
    ratings = tuple(
        RatingFact(*v)
        for v in Rating.objects.filter(person=person, period="nam").values_list(
            "system", "year", "level", "decision_date"
        )
    )
    return SalaryCase(book, fact, disciplines, ratings)


def _agency_person(acting_user: ActingUser, agency: Unit, person_id: int) -> Person:
    person = (
        Person.objects.restrict(acting_user, "change")
        .filter(pk=person_id, managing_unit__path__startswith=agency.path)
        .first()
    )
    if person is None:
        raise NotPermitted("Không tìm thấy cán bộ của cơ quan này hoặc bạn không có quyền sửa hồ sơ của họ.")
    return person


def judge(
    person: Person,
    rule_id: str,
    *,
    months: int = 0,
    award: Award | None = None,
    notice_date: dt.date | None = None,
    day: dt.date | None = None,
) -> tuple[EarlyCase, Verdict] | None:
    """The early-raise case of ``person`` and its verdict; None without a salary row."""
    case = salary_case(person, day or notice_date or today())
    if case is None:
        return None
    label = f"{award.form} ({award.year})" if award else ""
    ctx = EarlyCase(case, rule_id, months=months, award=label,
                    award_date=award.decision_date if award else None, notice_date=notice_date)  # fmt: skip
    return ctx, check_early(ctx, person_id=person.pk, person_name=person.full_name)


def propose(
    *,
    acting_user: ActingUser,
    agency: Unit,
    year: int,
    person_id: int,
    award_id: int,
    months: int,
    reason: str = "",
) -> EarlyRaise:
    """An S-9 proposal of ``agency`` for ``year``; refused with the engine's reason unless it passes.
    ``reason`` (the officer's) goes to the change log after the rule's name."""
    person = _agency_person(acting_user, agency, person_id)
    award = Award.objects.filter(pk=award_id, person=person).first()
    if award is None:
        raise DomainError("Hãy chọn một khen thưởng trong hồ sơ của người được đề nghị.")
    judged = judge(person, ACHIEVEMENT, months=months, award=award, day=dt.date(year, 1, 1))
    if judged is None:
        raise DomainError(f"{person.full_name} chưa có diễn biến lương trong hồ sơ.")
    ctx, verdict = judged
    if verdict.outcome != PASS:
        reasons = " ".join(r.message for r in verdict.results if r.outcome != PASS)
        raise DomainError(f"Không đề nghị được cho {person.full_name}: {reasons}")
    if ctx.raise_date.year != year:
        raise DomainError(
            f"Ngày hưởng bậc mới {format_date(ctx.raise_date)} không thuộc năm {year} của đợt đề nghị."
        )
    return _create(acting_user, person, agency, year, ctx, award=award, reason=reason)


def _create(
    acting_user: ActingUser,
    person: Person,
    agency: Unit,
    year: int,
    ctx: EarlyCase,
    *,
    award: Award | None = None,
    notice: RetirementNotice | None = None,
    reason: str = "",
) -> EarlyRaise:
    s = ctx.salary.schedule
    if EarlyRaise.objects.filter(person=person, regular_due=s.due).exists():
        raise DomainError(f"{person.full_name} đã có đề nghị nâng bậc trước thời hạn cho bậc này.")
    months = ctx.months
    if ctx.rule_id == RETIREMENT:
        from canbo.rules.engine.dates import whole_months_between

        months = max(1, min(12, whole_months_between(ctx.raise_date, s.due)))
    row = ctx.salary.row
    return audited_create(
        EarlyRaise(
            person=person,
            agency=agency,
            year=year,
            rule=ctx.rule_id,
            award=award,
            notice=notice,
            months=months,
            regular_due=s.due,
            raise_date=ctx.raise_date,
            to_step=row.step + 1,
            to_coefficient=row.coefficient_of(row.step + 1),
        ),
        acting_user=acting_user,
        reason=f"Đề nghị nâng bậc lương trước thời hạn ({ctx.rule_id})" + (f": {reason}" if reason else ""),
    )


def propose_at_notice(notice: RetirementNotice, *, acting_user: ActingUser) -> EarlyRaise | None:
    """S-10 at a retirement notice: the proposal when the person qualifies, else nothing. The
    agency is the person's managing unit."""
    person = notice.person
    judged = judge(person, RETIREMENT, notice_date=notice.issued_on)
    if judged is None:
        return None
    ctx, verdict = judged
    if (
        verdict.outcome != PASS
        or EarlyRaise.objects.filter(person=person, regular_due=ctx.regular_due).exists()
    ):
        return None
    agency = Unit.objects.get(pk=person.managing_unit_id)
    return _create(acting_user, person, agency, notice.issued_on.year, ctx, notice=notice)


def record_exception(
    *, acting_user: ActingUser, agency: Unit, year: int, extra: int, reason: str, basis: str
) -> RuleException:
    """The exception to S-9's cap of ``agency`` for ``year`` (how many more, reason, legal
    basis): a ``rules.RuleException`` on the agency keyed by the year, by a user holding the one
    exception right over the agency; a second one for the same year replaces the first."""
    from canbo.rules.services import record_exception as record

    if extra < 1:
        raise DomainError("Số người được vượt phải từ 1 trở lên.")
    return record(
        acting_user=acting_user,
        rule=ACHIEVEMENT,
        subject=agency,
        unit=agency,
        key=str(year),
        allowance=extra,
        reason=reason,
        basis=basis,
        day=dt.date(year, 1, 1),
    )


def finalise(
    *, acting_user: ActingUser, agency: Unit, year: int, number: str, decided_on: dt.date
) -> list[EarlyRaise]:
    """One decision for the agency's open proposals of ``year``: every salary row written, or
    none (above the cap without an exception, a person's case changed, a row refused)."""
    from canbo.people.services import section_create

    number = number.strip()
    if not number:
        raise DomainError("Hãy ghi số quyết định.")
    if not Unit.objects.restrict(acting_user, "change").filter(pk=agency.pk).exists():
        raise NotPermitted("Không tìm thấy cơ quan hoặc bạn không có quyền sửa.")
    with transaction.atomic():
        # Lock the proposals only: the award and the notice are optional (outer joins), and
        # PostgreSQL refuses FOR UPDATE on the nullable side of one.
        open_ = list(
            EarlyRaise.objects.select_for_update(of=("self",))
            .filter(agency=agency, year=year, decision_number="")
            .select_related("person", "award", "notice")
        )
        if not open_:
            raise DomainError("Không có đề nghị nào chưa có quyết định.")
        cap = cap_of(agency, year)
        achieving = sum(1 for e in open_ if e.rule == ACHIEVEMENT)
        if cap.finalised + achieving > cap.allowed:
            extra = f" cộng {cap.exception.allowance} người ngoại lệ" if cap.exception else ""
            raise DomainError(
                f"Vượt tỷ lệ: năm {year} cơ quan được nâng trước thời hạn (S-9) tối đa {cap.cap} người "
                f"({cap.share_text} của {cap.payroll} người){extra}; đã có quyết định {cap.finalised}, "
                f"đề nghị thêm {achieving}. Hãy bớt đề nghị, hoặc nhờ quản trị ghi ngoại lệ "
                "(lý do, căn cứ pháp lý)."
            )
        reason = f"Quyết định nâng bậc lương trước thời hạn số {number} ngày {format_date(decided_on)}"
        for e in open_:
            _persons_allowed(acting_user, e.person)
            if e.rule == ACHIEVEMENT:
                judged = judge(e.person, ACHIEVEMENT, months=e.months, award=e.award, day=dt.date(year, 1, 1))
            else:
                assert e.notice is not None  # noqa: S101 (S-10 proposals name their notice)
                judged = judge(e.person, RETIREMENT, notice_date=e.notice.issued_on)
            if judged is None or judged[1].outcome != PASS or judged[0].regular_due != e.regular_due:
                raise DomainError(
                    f"Kết luận về {e.person.full_name} đã thay đổi từ khi đề nghị; không ghi quyết định nào."
                )
            current = judged[0].salary
            grade_row = (
                SalaryRow.objects.filter(person=e.person, from_date__lte=e.raise_date)
                .order_by("-from_date")
                .first()
            )
            assert grade_row is not None  # noqa: S101 (the case above was judged on it)
            section_create(
                acting_user=acting_user,
                person=e.person,
                instance=SalaryRow(
                    grade=grade_row.grade,
                    step=e.to_step,
                    coefficient=current.row.coefficient_of(e.to_step),
                    position_allowance=grade_row.position_allowance,
                    other_allowance=grade_row.other_allowance,
                    from_date=e.raise_date,
                    step_since=e.raise_date,
                    decision_number=number[:60],
                    decision_date=decided_on,
                ),
                reason=reason[:500],
            )
            changes = {"decision_number": number[:60], "decision_date": decided_on}
            audited_update(e, changes=changes, acting_user=acting_user, reason=reason[:500])
    return open_


def _persons_allowed(acting_user: ActingUser, person: Person) -> None:
    if not Person.objects.restrict(acting_user, "change").filter(pk=person.pk).exists():
        raise NotPermitted("Có người không thuộc phạm vi bạn được giao sửa hồ sơ; không ghi quyết định nào.")


def proposals(user: Any, agency: Unit, year: int) -> list[tuple[EarlyRaise, Verdict | None]]:
    """The agency's proposals of ``year`` that ``user`` may see, each with its verdict today."""
    out: list[tuple[EarlyRaise, Verdict | None]] = []
    for e in (
        EarlyRaise.objects.restrict(user)
        .filter(agency=agency, year=year)
        .select_related("person", "award", "notice")
        .order_by("raise_date", "person__full_name")
    ):
        if e.finalised:
            out.append((e, None))
            continue
        if e.rule == ACHIEVEMENT:
            judged = judge(e.person, ACHIEVEMENT, months=e.months, award=e.award, day=dt.date(year, 1, 1))
        else:
            judged = judge(e.person, RETIREMENT, notice_date=e.notice.issued_on if e.notice else None)
        out.append((e, judged[1] if judged else None))
    return out


def candidates(user: Any, agency: Unit, year: int) -> list[tuple[Person, list[Award]]]:
    """People of the agency (in ``user``'s grants) with an award of the last three years: whom
    an S-9 proposal may name (the engine judges each when proposed)."""
    awards: dict[int, list[Award]] = {}
    for a in (
        Award.objects.restrict(user)
        .filter(person__managing_unit__path__startswith=agency.path, year__gte=year - 3, year__lte=year)
        .filter(
            Q(person__left_service_date__isnull=True) | Q(person__left_service_date__gt=dt.date(year, 1, 1))
        )
        .select_related("person")
        .order_by("person__full_name", "-year")[:500]
    ):
        awards.setdefault(a.person_id, []).append(a)
    persons = {a[0].person_id: a[0].person for a in awards.values()}
    return [(persons[pk], awards[pk]) for pk in awards]
