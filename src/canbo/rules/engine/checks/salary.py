"""Salary step raises (SALARY.md §2): the next regular step (S-4) or beyond-frame step (S-8) of a
person's salary row in force, with the delays for time that does not count (S-5), discipline
(S-6) and a year rated "không hoàn thành nhiệm vụ" (S-7).

The schedule is computed once per case (``SalaryCase.schedule``): the nominal date is the step
time (S-4's 36 or 24 months, or S-8's 12 months for a further percent) counted from the row's
``step_since``; every delay found in the step time, extended by the delays already found, is
added until nothing more is found (a discipline recorded in the extended time delays again).
The years of the step time are the calendar years from the year of ``step_since`` to the year
before the due date: each must have a yearly state rating (xếp loại cán bộ, công chức, viên
chức) on file, otherwise the verdict cannot be decided; a missing year is never a silent pass.
Discipline of every system (Party, state, mass organisation) counts, each decision on its own:
the dossier does not say when two decisions punish the same act.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from canbo.rules.engine.checks.base import Check, Results, rule
from canbo.rules.engine.dates import add_months, vn
from canbo.rules.engine.facts import FORM_LABELS, STATE, DisciplineFact, RatingFact
from canbo.rules.engine.rulebook import Rulebook, RuleVersion
from canbo.rules.engine.verdict import (
    CANNOT,
    FAIL,
    NOT_APPLICABLE,
    PASS,
    WARN,
    FactUsed,
    RuleResult,
    Verdict,
    missing_version,
    result,
)

REGULAR = "regular"
BEYOND_FRAME = "beyond_frame"
KIND_LABELS = {REGULAR: "Nâng bậc lương thường xuyên", BEYOND_FRAME: "Phụ cấp thâm niên vượt khung"}
NOT_DONE = "kht"
YEARLY = "nam"


def coef_text(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


@dataclass(frozen=True)
class SalaryFact:
    """The salary row in force: grade, its group's scale, step, coefficient, beyond-frame %."""

    grade_code: str
    group: str
    steps: int
    first: Decimal
    increment: Decimal
    step: int
    coefficient: Decimal
    percent: int
    step_since: dt.date

    def coefficient_of(self, step: int) -> Decimal:
        return self.first + (step - 1) * self.increment


@dataclass(frozen=True)
class PeriodFact:
    """Time that does not count toward the step (S-5): unpaid leave, suspension, custody…"""

    start: dt.date
    end: dt.date  # inclusive
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Delay:
    """One delay applied: the rule, its version, the months (or days) and the record behind it."""

    version: RuleVersion
    months: int
    days: int
    reason: str
    record: str
    record_date: dt.date | None

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.version.rule_id,
            "version": self.version.version,
            "months": self.months,
            "days": self.days,
            "reason": self.reason,
            "record": self.record,
            "record_date": self.record_date.isoformat() if self.record_date else None,
        }


@dataclass(frozen=True)
class Schedule:
    kind: str
    version: RuleVersion | None  # S-4 (regular, first beyond-frame step) or S-8
    base_months: int
    nominal: dt.date
    due: dt.date
    delays: tuple[Delay, ...]
    years: tuple[int, ...]
    missing_years: tuple[int, ...]
    unforgiven_years: tuple[int, ...]  # rated KHT with no S-7 version to delay for it
    to_step: int
    to_coefficient: Decimal
    to_percent: int


@dataclass(frozen=True)
class SalaryCase:
    book: Rulebook
    row: SalaryFact
    disciplines: tuple[DisciplineFact, ...] = ()
    ratings: tuple[RatingFact, ...] = ()
    excluded: tuple[PeriodFact, ...] = ()

    @property
    def kind(self) -> str:
        return BEYOND_FRAME if self.row.step >= self.row.steps else REGULAR

    def s4_months(self, ver: RuleVersion) -> int:
        low = self.row.group in ver.params.get("low_groups", [])
        return int(ver.params["months_low"] if low else ver.params["months_high"])

    @property
    def step_months(self) -> int:
        """The step time before any delay: S-4's 36 or 24 months (also for the first
        beyond-frame step), or S-8's 12 months for a further percent (computed once)."""
        months = self.__dict__.get("_step_months")
        if months is None:
            months = self.__dict__["_step_months"] = self._step_months()
        return months

    def _step_months(self) -> int:
        row = self.row
        since = row.step_since
        if self.kind == REGULAR or row.percent == 0:
            probe = self.book.find("S-4", since) or self.book.find("S-4", add_months(since, 36))
            return self.s4_months(probe) if probe else 36
        probe = self.book.find("S-8", since)
        return int(probe.params.get("step_months", 12)) if probe else 12

    @property
    def nominal(self) -> dt.date:
        """The date the step time is complete before any delay; the due date is never earlier
        (delays only extend it), which lets a list skip the persons nominally due after it."""
        return add_months(self.row.step_since, self.step_months)

    @property
    def schedule(self) -> Schedule:
        """Due date, delays, years and target, computed once per case: a plain memo in the
        instance's ``__dict__`` rather than ``functools.cached_property``, whose lock (Python
        3.11) costs more than the look-up for the 14,000 cases of a province's list."""
        schedule = self.__dict__.get("_schedule")
        if schedule is None:
            schedule = self.__dict__["_schedule"] = self._schedule()
        return schedule

    def shared_schedule(self, memo: dict[object, Schedule], key: object) -> Schedule:
        """The schedule, its dates taken from ``memo`` when another case of the same ``key``
        computed them. ``key`` must determine what the dates depend on: the row's group, whether
        its step is the group's last, whether it holds a beyond-frame percent, and
        ``step_since``; the target (step, coefficient, percent) and the missing years are this
        case's own. Only for cases without any record that can delay (no excluded period,
        discipline or KHT year): the schedule is then exactly the one this case would compute
        (a province's list computes the dates once for many persons of the same date)."""
        if self.excluded or self.disciplines or any(r.level == NOT_DONE for r in self.ratings):
            return self.schedule
        shared = memo.get(key)
        if shared is None:
            schedule = memo[key] = self.schedule
            return schedule
        rated = {r.year for r in self.ratings if r.system == STATE and r.period == YEARLY}
        row = self.row
        if shared.kind == REGULAR:
            to_step, to_percent = row.step + 1, 0
        else:
            to_step, to_percent = row.step, self._beyond_percent(shared.due)
        schedule = self.__dict__["_schedule"] = Schedule(
            kind=shared.kind,
            version=shared.version,
            base_months=shared.base_months,
            nominal=shared.nominal,
            due=shared.due,
            delays=(),
            years=shared.years,
            missing_years=tuple(y for y in shared.years if y not in rated),
            unforgiven_years=(),
            to_step=to_step,
            to_coefficient=row.coefficient_of(to_step),
            to_percent=to_percent,
        )
        return schedule

    def _beyond_percent(self, due: dt.date) -> int:
        """The beyond-frame percent reached on ``due`` (S-8: the first 5%, then +1%)."""
        s8 = self.book.find("S-8", due)
        first = int(s8.params.get("first_percent", 5)) if s8 else 5
        inc = int(s8.params.get("step_percent", 1)) if s8 else 1
        return self.row.percent + inc if self.row.percent else first

    def _schedule(self) -> Schedule:
        row = self.row
        since = row.step_since
        months = self.step_months
        ver_id = "S-4" if self.kind == REGULAR else "S-8"
        nominal = self.nominal
        delays: list[Delay] = []
        unforgiven: list[int] = []
        due = nominal
        # nothing that can delay (most persons): the loop below would find no delay
        quiet = not self.excluded and not self.disciplines and all(r.level != NOT_DONE for r in self.ratings)
        for _ in range(0 if quiet else 20):  # each pass may find records in the extended time; few ever do
            delays, unforgiven = self._delays(since, due)
            extra_days = sum(d.days for d in delays)
            new_due = add_months(nominal, sum(d.months for d in delays)) + dt.timedelta(days=extra_days)
            if new_due == due:
                break
            due = new_due
        years = tuple(range(since.year, due.year))
        rated = {r.year for r in self.ratings if r.system == STATE and r.period == YEARLY}
        if self.kind == REGULAR:
            to_step, to_percent = row.step + 1, 0
        else:
            to_step, to_percent = row.step, self._beyond_percent(due)
        return Schedule(
            kind=self.kind,
            version=self.book.find(ver_id, due),
            base_months=months,
            nominal=nominal,
            due=due,
            delays=tuple(delays),
            years=years,
            missing_years=tuple(y for y in years if y not in rated),
            unforgiven_years=tuple(unforgiven),
            to_step=to_step,
            to_coefficient=row.coefficient_of(to_step),
            to_percent=to_percent,
        )

    def _delays(self, since: dt.date, due: dt.date) -> tuple[list[Delay], list[int]]:
        delays: list[Delay] = []
        for p in self.excluded:
            if p.start < due and p.end >= since:
                ver = self.book.find("S-5", p.start)
                if ver is not None:
                    delays.append(Delay(ver, 0, p.days, f"{p.label}: {p.days} ngày", p.label, p.start))
        for d in sorted(self.disciplines, key=lambda d: d.decision_date):
            day = d.effective_date or d.decision_date
            if not since <= day < due:
                continue
            ver = self.book.find("S-6", day)
            if ver is None:
                continue
            if d.form in ver.params.get("major_forms", []):
                months = int(ver.params["major_months"])
            elif d.form in ver.params.get("minor_forms", []):
                months = int(ver.params["minor_months"])
            else:
                continue
            form = FORM_LABELS.get(d.form, d.form).lower()
            delays.append(
                Delay(
                    ver,
                    months,
                    0,
                    f"bị kỷ luật {form}: kéo dài {months} tháng",
                    d.label + (f", quyết định {d.decision}" if d.decision else ""),
                    day,
                )
            )
        unforgiven: list[int] = []
        not_done = [r for r in self.ratings if r.level == NOT_DONE and r.system == STATE and r.period_is_year]
        for r in sorted(not_done, key=lambda r: r.year):
            if not since.year <= r.year < due.year:
                continue
            ver = self.book.find("S-7", due)
            if ver is None:
                unforgiven.append(r.year)
                continue
            months = int(ver.params["months_per_year"])
            delays.append(
                Delay(
                    ver,
                    months,
                    0,
                    f"năm {r.year} không hoàn thành nhiệm vụ: kéo dài {months} tháng",
                    f"Xếp loại năm {r.year}: không hoàn thành nhiệm vụ",
                    r.decision_date,
                )
            )
        return delays, unforgiven


def _target(ctx: SalaryCase) -> str:
    s = ctx.schedule
    if s.kind == REGULAR:
        return f"bậc {s.to_step}, hệ số {coef_text(s.to_coefficient)}"
    return f"phụ cấp thâm niên vượt khung {s.to_percent}%"


def _base_facts(ctx: SalaryCase) -> list[FactUsed]:
    r, s = ctx.row, ctx.schedule
    return [
        FactUsed(
            "Ngạch, bậc đang hưởng",
            f"{r.grade_code} loại {r.group}, bậc {r.step}/{r.steps}, hệ số "
            f"{coef_text(r.coefficient)}" + (f", vượt khung {r.percent}%" if r.percent else ""),
            None,
        ),
        FactUsed("Mốc tính nâng bậc", vn(r.step_since), r.step_since),
        FactUsed("Ngày đủ thời gian (chưa kéo dài)", vn(s.nominal), s.nominal),
        FactUsed("Ngày đến hạn", vn(s.due), s.due),
    ]


def _conditions(ctx: SalaryCase, ver: RuleVersion, action: str) -> RuleResult:
    """The common conditions of S-4 and S-8: every year of the step time rated, no KHT year left
    without its S-7 delay."""
    s = ctx.schedule
    facts = _base_facts(ctx)
    threshold = f"{s.base_months} tháng"
    if s.unforgiven_years:
        years = ", ".join(str(y) for y in s.unforgiven_years)
        return result(
            ver,
            FAIL,
            f"Không đủ điều kiện {action}: năm {years} xếp loại không hoàn thành nhiệm vụ "
            "trong thời gian giữ bậc.",
            facts,
            threshold,
        )
    if s.missing_years:
        years = ", ".join(str(y) for y in s.missing_years)
        return result(
            ver,
            CANNOT,
            f"Chưa kết luận được: thiếu kết quả xếp loại cán bộ, công chức, viên chức "
            f"năm {years} trong thời gian giữ bậc.",
            facts,
            threshold,
        )
    delayed = " (đã kéo dài)" if s.delays else ""
    return result(
        ver, PASS, f"Đủ điều kiện {action} lên {_target(ctx)} từ ngày {vn(s.due)}{delayed}.", facts, threshold
    )


@rule("S-4")
def rule_s4(ctx: SalaryCase) -> Results:
    """S-4: the regular step raise of a person not at the last step; silent at the last step."""
    if ctx.kind != REGULAR:
        return []
    s = ctx.schedule
    if s.version is None:
        return [missing_version("S-4", KIND_LABELS[REGULAR], s.due, CANNOT)]
    return [_conditions(ctx, s.version, "nâng bậc lương thường xuyên")]


@rule("S-5")
def rule_s5(ctx: SalaryCase) -> Results:
    """S-5: each period that does not count, extending the step time (silent when none is on
    file: the dossier has no record of unpaid leave or suspension yet)."""
    return [_delay_result(d) for d in ctx.schedule.delays if d.version.rule_id == "S-5"]


@rule("S-6")
def rule_s6(ctx: SalaryCase) -> Results:
    """S-6: one result per discipline in the step time, with the delay it causes."""
    return [_delay_result(d) for d in ctx.schedule.delays if d.version.rule_id == "S-6"]


@rule("S-7")
def rule_s7(ctx: SalaryCase) -> Results:
    """S-7: one result per year rated KHT in the step time; not applicable (and S-4 fails) when
    the due date falls before S-7's first version."""
    s = ctx.schedule
    out = [_delay_result(d) for d in s.delays if d.version.rule_id == "S-7"]
    if s.unforgiven_years:
        out.append(missing_version("S-7", "Kéo dài do không hoàn thành nhiệm vụ", s.due, NOT_APPLICABLE))
    return out


@rule("S-8")
def rule_s8(ctx: SalaryCase) -> Results:
    """S-8: at the last step, the first 5% after S-4's time, then +1% every 12 months."""
    if ctx.kind != BEYOND_FRAME:
        return []
    s = ctx.schedule
    if s.version is None:
        return [missing_version("S-8", KIND_LABELS[BEYOND_FRAME], s.due, CANNOT)]
    return [_conditions(ctx, s.version, "hưởng")]


def _delay_result(d: Delay) -> RuleResult:
    facts = [FactUsed("Căn cứ", d.record, d.record_date)]
    amount = f"{d.months} tháng" if d.months else f"{d.days} ngày"
    return result(d.version, WARN, f"Kéo dài thời gian nâng bậc {amount}: {d.reason}.", facts, amount)


SALARY = Check[SalaryCase]((rule_s4, rule_s8, rule_s5, rule_s6, rule_s7))


def salary_outcome(case: SalaryCase) -> str:
    """The outcome ``check_salary(case)`` concludes, read from the schedule without building the
    verdict (a list of thousands builds the verdicts it shows only): no version in force →
    cannot decide; a KHT year without its S-7 delay → fail; a year without rating → cannot
    decide; otherwise pass, or warn when delayed."""
    s = case.schedule
    if s.version is None:
        return CANNOT
    if s.unforgiven_years:
        return FAIL
    if s.missing_years:
        return CANNOT
    return WARN if s.delays else PASS


def check_salary(case: SalaryCase, *, person_id: int | None = None, person_name: str = "") -> Verdict:
    """The next raise of ``case.row``: due date, target, delays and whether it may be granted."""
    s = case.schedule
    v = Verdict(
        "salary",
        KIND_LABELS[s.kind],
        s.due,
        "Ngày đủ thời gian giữ bậc, kể cả thời gian kéo dài",
        person_id,
        person_name,
        case.row.grade_code,
        "",
    )
    v.results.extend(SALARY.results(case))
    return v


__all__ = [
    "BEYOND_FRAME",
    "PASS",
    "REGULAR",
    "SALARY",
    "PeriodFact",
    "SalaryCase",
    "SalaryFact",
    "check_salary",
    "salary_outcome",
]
