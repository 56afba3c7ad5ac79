"""Plausibility of dossier dates and salary figures: the one place that decides them.

Forms, the API and the import all validate through the models' ``clean()``: ``Person.clean`` and
``PersonSection.clean`` call the functions here, so the three entry points refuse the same
input with the same message (issue 14).

Dates. Every dated field of the person and of every dossier section must lie on or after the
person's date of birth (its earliest possible day, as RULES.md H-3 reads a partial date) and not
after today, except the fields that hold a date decided ahead (``future=True``):

- the person's recruitment date (a recruitment decided now may take effect later, as the first
  tenure's start may) and his "Ngày thôi công tác" (a planned retirement or leaving date);
- a tenure's start and end (an appointment decided now may take effect later; a fixed term's
  last day), a membership's end (the end of the term);
- a discipline's effective date (a decision may take effect from a later day);
- a retirement override's year (a decided, future retirement).

Years (an award, a rating, an asset declaration) are checked the same way against the birth
year and the current year. A family member's year of birth is checked against the present only.

Salary figures. The person's salary coefficient must lie within the coefficient scales
(``SALARY_COEFFICIENT``), his position allowance within the position-allowance table
(``POSITION_ALLOWANCE``), his salary step within the longest scale's steps (``SALARY_STEP``).
The bounds and their sources are below; SALARY.md's scale table (A3.1 … C1) lies within them.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.text import capfirst

from canbo.core.dates import PRECISION_DAY, PRECISION_YEAR, format_partial_date, today

# NĐ 204/2004/NĐ-CP: the lowest coefficient of any scale is 1.00 (Bảng 4, step 1 of the support
# staff, "nhân viên phục vụ"); the highest a provincial dossier holds is 11.00, the leadership
# scale's (NQ 730/2004/NQ-UBTVQH11) second step for the secretary of the Hà Nội or Hồ Chí Minh
# City Party committee. Expert scale (chuyên gia cao cấp): 8.80–10.00. SALARY.md's table (A3.1 …
# C1, 1.65–8.00) lies within.
SALARY_COEFFICIENT = (Decimal("1.00"), Decimal("11.00"))
# NĐ 204/2004/NĐ-CP, position allowances of leaders (phụ cấp chức vụ lãnh đạo): from 0.10 to 1.30.
POSITION_ALLOWANCE = (Decimal("0.10"), Decimal("1.30"))
# The longest scales (B, C: SALARY.md) have 12 steps.
SALARY_STEP = (1, 12)


@dataclass(frozen=True)
class DateRule:
    """One dated field: ``future`` if it may hold a date decided ahead; ``year`` if it holds a
    year (an integer) rather than a date; ``birth`` if it is checked against the person's birth;
    ``precision`` names the field keeping how much of the date is known (shown as entered);
    ``label`` names the field in messages (default: its verbose name)."""

    field: str
    future: bool = False
    year: bool = False
    birth: bool = True
    precision: str = ""
    label: str = ""


DATE_RULES: dict[str, tuple[DateRule, ...]] = {
    "people.Person": (
        DateRule("recruitment_date", future=True),
        DateRule("revolution_date"),
        DateRule("enlistment_date"),
        DateRule("discharge_date"),
        DateRule("left_service_date", future=True),
    ),
    "people.Qualification": (DateRule("start_date"), DateRule("obtained_date")),
    "people.WorkHistory": (
        DateRule("start_date", precision="start_precision", label="Thời gian bắt đầu"),
        DateRule("end_date", precision="end_precision", label="Thời gian kết thúc"),
    ),
    "people.PartyMembership": (
        DateRule("admission_date"),
        DateRule("official_date"),
        DateRule("left_date"),
    ),
    "people.FamilyRelation": (
        DateRule("birth_year", year=True, birth=False, label="Năm sinh của người thân"),
    ),
    "people.HealthRecord": (DateRule("check_date"),),
    "people.AssetDeclaration": (
        DateRule("year", year=True, label="Năm kê khai"),
        DateRule("declared_date"),
    ),
    "assessment.Award": (
        DateRule("year", year=True, label="Năm khen thưởng"),
        DateRule("decision_date"),
    ),
    "assessment.Discipline": (
        DateRule("decision_date"),
        DateRule("effective_date", future=True),
        DateRule("announced_date"),
    ),
    "assessment.Rating": (DateRule("year", year=True, label="Năm đánh giá"), DateRule("decision_date")),
    "assessment.ConfidenceVote": (DateRule("vote_date"),),
    "assessment.PoliticalConclusion": (DateRule("conclusion_date"),),
    "careers.Tenure": (
        DateRule("start_date", future=True),
        DateRule("end_date", future=True),
        DateRule("decision_date"),
    ),
    "careers.BodyMembership": (DateRule("start_date"), DateRule("end_date", future=True)),
    "rules.RetirementOverride": (DateRule("year", year=True, future=True, label="Năm nghỉ hưu"),),
}


_today: tuple[float, dt.date] = (0.0, dt.date.min)


def _now() -> dt.date:
    """Today (Vietnam), read at most once a second: the import checks hundreds of thousands of
    rows, and each reading of the clock in the time zone costs as much as checking a row."""
    global _today
    now = time.monotonic()
    if now >= _today[0]:
        _today = (now + 1.0, today())
    return _today[1]


def _label(instance: Any, rule: DateRule) -> str:
    if rule.label:
        return rule.label
    return str(capfirst(instance._meta.get_field(rule.field).verbose_name))


def date_errors(
    instance: Any, birth: dt.date | None, birth_precision: str = PRECISION_DAY, *, on: dt.date | None = None
) -> dict[str, str]:
    """{field: Vietnamese message} for each dated field of ``instance`` (a person or a dossier
    section) lying in the future where not allowed, or before ``birth`` (None: unknown, not
    checked). A value that is not a date (a field that failed its own check) is left alone."""
    now = on or _now()
    errors: dict[str, str] = {}
    for rule in DATE_RULES.get(instance._meta.label, ()):
        value = getattr(instance, rule.field, None)
        if rule.year:
            if not isinstance(value, int) or isinstance(value, bool):
                continue
            if not rule.future and value > now.year:
                errors[rule.field] = (
                    f"{_label(instance, rule)} {value} là năm trong tương lai (năm nay là {now.year})."
                )
            elif rule.birth and birth is not None and value < birth.year:
                errors[rule.field] = (
                    f"{_label(instance, rule)} {value} trước năm sinh của cán bộ ({birth.year})."
                )
            continue
        if not isinstance(value, dt.date):
            continue
        if not rule.future and value > now:
            errors[rule.field] = (
                f"{_label(instance, rule)} {_shown(instance, rule, value)} là ngày trong tương lai "
                f"(hôm nay là {now:%d/%m/%Y})."
            )
        elif rule.birth and birth is not None and value < birth:
            what = "năm sinh" if birth_precision == PRECISION_YEAR else "ngày sinh"
            errors[rule.field] = (
                f"{_label(instance, rule)} {_shown(instance, rule, value)} trước {what} của cán bộ "
                f"({format_partial_date(birth, birth_precision)})."
            )
    return errors


def _shown(instance: Any, rule: DateRule, value: dt.date) -> str:
    """The date as it was entered (a work-history line's "03/2030" stays so)."""
    precision = getattr(instance, rule.precision, PRECISION_DAY) if rule.precision else PRECISION_DAY
    return format_partial_date(value, precision or PRECISION_DAY)


def _number(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def salary_errors(person: Any) -> dict[str, str]:
    """{field: message} for a salary coefficient, position allowance or step outside its range."""
    errors: dict[str, str] = {}
    low, high = SALARY_COEFFICIENT
    value = person.salary_coefficient
    if isinstance(value, Decimal) and not low <= value <= high:
        errors["salary_coefficient"] = (
            f"Hệ số lương {_number(value)} nằm ngoài khoảng của các bảng lương "
            f"(từ {_number(low)} đến {_number(high)})."
        )
    low, high = POSITION_ALLOWANCE
    value = person.position_allowance
    if isinstance(value, Decimal) and value != 0 and not low <= value <= high:  # 0: no allowance
        errors["position_allowance"] = (
            f"Hệ số phụ cấp chức vụ {_number(value)} nằm ngoài khoảng của bảng phụ cấp chức vụ lãnh "
            f"đạo (từ {_number(low)} đến {_number(high)})."
        )
    first, last = SALARY_STEP
    step = person.salary_step
    if isinstance(step, int) and not first <= step <= last:
        errors["salary_step"] = (
            f"Bậc lương {step} nằm ngoài khoảng của các bảng lương (từ {first} đến {last})."
        )
    return errors


def person_errors(person: Any) -> dict[str, str]:
    """Every plausibility error of a person's own fields."""
    errors = date_errors(person, person.birth_date, person.birth_precision or PRECISION_DAY)
    errors.update(salary_errors(person))
    return errors
