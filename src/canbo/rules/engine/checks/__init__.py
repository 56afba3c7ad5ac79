"""Validators of RULES.md §13, one pure function per rule: each check judges one event and returns
a ``Verdict`` that explains itself.

Conventions: the version of every rule is the one in force on the event date (binding convention
3; the date used is on the verdict); a missing fact gives ``cannot_decide``, never a silent pass;
a rule without a version on that date is listed as ``not_applicable`` with that reason.

``base`` holds the shape (``@rule``, ``Check``, the person ``Case``); the rules live by area:
``appointment`` (appointment, reappointment), ``planning`` (planning, rotation), ``committee``,
``vote``, ``rating`` and ``discipline``; ``shared`` holds the rules several person checks apply.
"""

from __future__ import annotations

import datetime as dt

from canbo.rules.engine.checks.appointment import APPOINTMENT, HEALTH_LABELS, REAPPOINTMENT
from canbo.rules.engine.checks.ballot import (
    BALLOT,
    OPTIONS,
    BallotCase,
    BallotInput,
    OptionsCase,
    check_ballot,
    check_options,
)
from canbo.rules.engine.checks.base import Case, Check, PersonCheck, Rule, current_rank, rule
from canbo.rules.engine.checks.committee import COMMITTEE, K4_LEVELS, k4_level, note, reference_date
from canbo.rules.engine.checks.discipline import (
    ABOLISHED_FROM,
    DISCIPLINE,
    FORMS_BY_SUBJECT,
    DisciplineCase,
    check_discipline,
)
from canbo.rules.engine.checks.early_raise import EARLY, EarlyCase, check_early
from canbo.rules.engine.checks.planning import PLANNING, ROTATION, SPECIAL_ROTATION
from canbo.rules.engine.checks.rating import RATING, RatingCase, RatingInput, check_rating
from canbo.rules.engine.checks.removal import (
    REMOVAL,
    AgeInput,
    ConclusionEvent,
    DisciplineEvent,
    RatingEvent,
    RemovalCase,
    RemovalInput,
    VoteEvent,
    check_removal,
)
from canbo.rules.engine.checks.salary import SALARY, SalaryCase, check_salary
from canbo.rules.engine.checks.vote import VOTE, VoteCase, VoteInput, check_vote
from canbo.rules.engine.facts import Declared, PersonFacts, TitleInfo
from canbo.rules.engine.rulebook import Rulebook
from canbo.rules.engine.verdict import Verdict

PURPOSES = {
    "appointment": "Bổ nhiệm lần đầu hoặc giữ chức vụ cao hơn",
    "planning": "Quy hoạch",
    "reappointment": "Bổ nhiệm lại",
    "rotation": "Luân chuyển",
    "committee": "Tham gia cấp ủy nhiệm kỳ 2025–2030",
}

check_appointment = PersonCheck(
    "appointment",
    PURPOSES["appointment"],
    "Ngày cơ quan tổ chức cán bộ nhận tờ trình và hồ sơ (A-3)",
    "bổ nhiệm",
    APPOINTMENT,
)
check_planning = PersonCheck(
    "planning",
    PURPOSES["planning"],
    "Ngày cơ quan tổ chức cán bộ nhận hồ sơ đề nghị quy hoạch",
    "quy hoạch",
    PLANNING,
)
check_reappointment = PersonCheck(
    "reappointment", PURPOSES["reappointment"], "Ngày xem xét bổ nhiệm lại", "bổ nhiệm lại", REAPPOINTMENT
)
check_rotation = PersonCheck(
    "rotation", PURPOSES["rotation"], "Ngày quyết định luân chuyển", "luân chuyển", ROTATION
)
check_committee = PersonCheck(
    "committee",
    PURPOSES["committee"],
    note,
    "giới thiệu tham gia cấp ủy",
    COMMITTEE,
    judged_on=reference_date,
)

CHECKS: dict[str, PersonCheck] = {
    "appointment": check_appointment,
    "planning": check_planning,
    "reappointment": check_reappointment,
    "rotation": check_rotation,
    "committee": check_committee,
}

# Every check, for the rulebook coverage test: the rules evaluated are those of their functions.
ALL_CHECKS: dict[
    str,
    Check[Case]
    | Check[VoteCase]
    | Check[RatingCase]
    | Check[DisciplineCase]
    | Check[SalaryCase]
    | Check[BallotCase]
    | Check[OptionsCase]
    | Check[EarlyCase]
    | Check[RemovalCase],
] = {
    **{purpose: c.check for purpose, c in CHECKS.items()},
    "vote": VOTE,
    "rating": RATING,
    "discipline": DISCIPLINE,
    "salary": SALARY,
    "ballot": BALLOT,
    "options": OPTIONS,
    "early_raise": EARLY,
    "planning_removal": REMOVAL,
}


def check(
    book: Rulebook,
    purpose: str,
    person: PersonFacts,
    title: TitleInfo,
    day: dt.date,
    declared: Declared | None = None,
) -> Verdict:
    """Judge ``person`` for ``title`` on ``day`` for one purpose (see PURPOSES)."""
    return CHECKS[purpose](book, person, title, day, declared or Declared())


__all__ = [
    "ABOLISHED_FROM",
    "ALL_CHECKS",
    "CHECKS",
    "FORMS_BY_SUBJECT",
    "HEALTH_LABELS",
    "K4_LEVELS",
    "PURPOSES",
    "SPECIAL_ROTATION",
    "AgeInput",
    "BallotInput",
    "Case",
    "Check",
    "ConclusionEvent",
    "DisciplineEvent",
    "PersonCheck",
    "RatingEvent",
    "RatingInput",
    "RemovalInput",
    "Rule",
    "VoteEvent",
    "VoteInput",
    "check",
    "check_ballot",
    "check_discipline",
    "check_early",
    "check_options",
    "check_rating",
    "check_removal",
    "check_salary",
    "check_vote",
    "current_rank",
    "k4_level",
    "rule",
]
