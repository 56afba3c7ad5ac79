"""The validators' former module, kept so that existing imports work: the checks now live in
``canbo.rules.engine.checks`` (one function per rule; see its docstring)."""

from canbo.rules.engine.checks import (
    ABOLISHED_FROM,
    CHECKS,
    FORMS_BY_SUBJECT,
    HEALTH_LABELS,
    K4_LEVELS,
    PURPOSES,
    SPECIAL_ROTATION,
    RatingInput,
    VoteInput,
    check,
    check_discipline,
    check_rating,
    check_vote,
    current_rank,
    k4_level,
)

__all__ = [
    "ABOLISHED_FROM",
    "CHECKS",
    "FORMS_BY_SUBJECT",
    "HEALTH_LABELS",
    "K4_LEVELS",
    "PURPOSES",
    "SPECIAL_ROTATION",
    "RatingInput",
    "VoteInput",
    "check",
    "check_discipline",
    "check_rating",
    "check_vote",
    "current_rank",
    "k4_level",
]
