"""Writes of rating campaigns, each through the audited services (change log, scope check).

A campaign is opened for a unit subtree and a period with the people to rate; levels are entered
while it is open; finalising checks validator 8, the quota and E-13 and writes every person's
``assessment.Rating`` row in one transaction, or nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from canbo.assessment.models import Rating, RatingPeriod
from canbo.campaigns.models import (
    QUOTA_RULE,
    CampaignEntry,
    CampaignPeriod,
    CampaignStatus,
    RatingCampaign,
    UnitRating,
)
from canbo.careers.models import Tenure, on_date_q
from canbo.core.context import with_reason
from canbo.core.dates import today
from canbo.core.errors import DomainError
from canbo.core.services import audited_create, audited_update, ensure_can_change
from canbo.core.types import ActingUser
from canbo.org.models import Unit
from canbo.people.models import PartyMembership, Person
from canbo.people.service_history import in_service_q
from canbo.rules import services as rules_services
from canbo.rules.engine.facts import PARTY
from canbo.rules.selectors import rulebook

# The categories the State side rates (NĐ 90/48, NĐ 335: cadres, civil servants; public
# employees by their own decree, rated in the same campaign).
STATE_CATEGORIES = ("can_bo", "cong_chuc", "vien_chuc")

CLOSED = "Đợt đánh giá đã hoàn tất, không sửa được nữa."


def period_allowed(system: str, period: str, decision_date: dt.date) -> str | None:
    """E-1 (Party) and the State decrees: the periods a campaign may rate on its decision date.
    A year always; a quarter on the Party side where E-1 (QĐ 366) is in force; a quarter or a
    half-year on the State side where E-7 (NĐ 335, scoring by month or quarter) is in force.
    Returns the refusal, or None."""
    if period == CampaignPeriod.YEAR:
        return None
    book = rulebook()
    if system == PARTY:
        if period == CampaignPeriod.QUARTER and book.find("E-1", decision_date):
            return None
        return (
            "Đánh giá đảng viên theo kỳ này chưa được quy định vào ngày quyết định "
            "(E-1: theo năm, hoặc theo quý từ QĐ 366)."
        )
    if book.find("E-7", decision_date):
        return None
    return "Trước NĐ 335 (1/1/2026), công chức chỉ được đánh giá, xếp loại theo năm."


def people_to_rate(unit: Unit, system: str, start: dt.date, end: dt.date) -> list[Person]:
    """People managed in ``unit``'s subtree and in service at some time of the period (at its
    start or its end), by category: the State side its cadres, civil servants and public
    employees; the Party side those who were Party members during the period."""
    qs = Person.objects.filter(managing_unit__path__startswith=unit.path).filter(
        in_service_q(start) | in_service_q(end)
    )
    if system == PARTY:
        members = PartyMembership.objects.filter(admission_date__lte=end).filter(
            Q(left_date__isnull=True) | Q(left_date__gte=start)
        )
        qs = qs.filter(pk__in=members.values("person_id"))
    else:
        qs = qs.filter(category__in=STATE_CATEGORIES)
    return list(
        qs.select_related("managing_unit").order_by("managing_unit__path", "full_name", "pk").distinct()
    )


def campaign_create(
    *,
    unit: Unit,
    system: str,
    year: int,
    period: str,
    part: int | None,
    decision_date: dt.date,
    acting_user: ActingUser,
    reason: str = "",
) -> RatingCampaign:
    """Open a campaign for ``unit``'s subtree with its people to rate (one entry each)."""
    refusal = period_allowed(system, period, decision_date)
    if refusal:
        raise DomainError(refusal)
    campaign = RatingCampaign(
        unit=unit, system=system, year=year, period=period, part=part or 0, decision_date=decision_date
    )
    if RatingCampaign.objects.filter(
        unit=unit, system=system, year=year, period=period, part=campaign.part
    ).exists():
        raise DomainError(
            f"Đơn vị đã có đợt đánh giá {campaign.get_system_display().lower()} {campaign.period_label}."
        )
    start, end = campaign.bounds
    with transaction.atomic():
        audited_create(
            campaign,
            acting_user=acting_user,
            reason=with_reason(f"Mở đợt đánh giá {campaign.period_label}", reason),
        )
        people = people_to_rate(unit, system, start, end)
        roles = _roles(people, end)
        for p in people:
            is_head, is_leader = roles.get(p.pk, (False, False))
            audited_create(
                CampaignEntry(
                    campaign=campaign,
                    person=p,
                    category=p.category,
                    agency=p.managing_unit,
                    is_head=is_head,
                    is_leader=is_leader,
                ),
                acting_user=acting_user,
                reason=with_reason(f"Đưa vào đợt đánh giá {campaign.period_label}", reason),
                check_scope=False,  # the campaign's scope, checked above
            )
    return campaign


def _roles(people: list[Person], day: dt.date) -> dict[int, tuple[bool, bool]]:
    """(head of the unit managing him, leader) on ``day``, from the tenures; one query."""
    managing = {p.pk: p.managing_unit_id for p in people}
    out: dict[int, tuple[bool, bool]] = {}
    tenures = Tenure.objects.filter(person_id__in=managing).filter(on_date_q(day)).select_related("title")
    for t in tenures:
        head, leader = out.get(t.person_id, (False, False))
        head = head or (t.title.head_kind == "truong" and t.unit_id == managing[t.person_id])
        out[t.person_id] = (head, leader or t.title.is_leader)
    return out


def _open(campaign: RatingCampaign) -> None:
    if not campaign.is_open:
        raise DomainError(CLOSED)


ENTRY_FIELDS = (
    "self_level",
    "score",
    "exceeded_share",
    "kht_trigger",
    "proposed_level",
    "decided_level",
    "duty_group",
    "is_head",
    "note",
)


def entry_update(
    *,
    entry: CampaignEntry,
    acting_user: ActingUser,
    expected_version: int | None = None,
    reason: str = "",
    **changes: Any,
) -> CampaignEntry:
    """Enter the self-assessment, the proposal, the score or the decided level of one person."""
    _open(entry.campaign)
    unknown = set(changes) - set(ENTRY_FIELDS)
    if unknown:
        raise DomainError("Trường không sửa được: " + ", ".join(sorted(unknown)))
    ensure_can_change(entry.campaign, acting_user)
    return audited_update(
        entry,
        acting_user=acting_user,
        changes=changes,
        reason=with_reason("Nhập kết quả đánh giá", reason),
        expected_version=expected_version,
    )


def unit_rating_set(
    *, campaign: RatingCampaign, unit: Unit, level: str, acting_user: ActingUser, reason: str = ""
) -> UnitRating:
    """Record (or change) the collective rating of ``unit``, one of the campaign's agencies."""
    _open(campaign)
    ensure_can_change(campaign, acting_user)
    if not unit.path.startswith(campaign.unit.path):
        raise DomainError("Tập thể không thuộc phạm vi đợt đánh giá.")
    current = UnitRating.objects.filter(campaign=campaign, unit=unit).first()
    if current is None:
        return audited_create(
            UnitRating(campaign=campaign, unit=unit, level=level),
            acting_user=acting_user,
            reason=with_reason("Xếp loại tập thể", reason),
        )
    return audited_update(
        current,
        acting_user=acting_user,
        changes={"level": level},
        reason=with_reason("Xếp loại tập thể", reason),
    )


def can_record_exception(user: Any, campaign: RatingCampaign | None = None) -> bool:
    """The right to record E-9's exception: the one exception right (``rules``), over the
    campaign's unit when given."""
    return rules_services.can_record_exception(user, campaign.unit if campaign is not None else None)


def exception_record(
    *, campaign: RatingCampaign, reason: str, basis: str, acting_user: ActingUser
) -> RatingCampaign:
    """Record the exception that lets a campaign over the quota be finalised (E-9: units with
    outstanding achievements): its reason and its legal basis, by a user with that right."""
    _open(campaign)
    rules_services.record_exception(
        acting_user=acting_user,
        rule=QUOTA_RULE,
        subject=campaign,
        unit=campaign.unit,
        reason=reason,
        basis=basis,
        day=campaign.decision_date,
    )
    campaign.__dict__.pop("exception", None)  # the cached answer is stale now
    return campaign


@transaction.atomic
def campaign_finalise(*, campaign: RatingCampaign, acting_user: ActingUser, reason: str = "") -> int:
    """Finalise: every person decided, validator 8 passing, the quota kept (or an exception
    recorded), no head above his collective; then each person's rating row written, all in one
    transaction. Returns the number of rows written."""
    from canbo.campaigns.selectors import campaign_view

    _open(campaign)
    ensure_can_change(campaign, acting_user)
    view = campaign_view(campaign)
    problems: list[str] = []
    if view.undecided:
        names = ", ".join(r.entry.person.full_name for r in view.undecided[:5])
        problems.append(f"Còn {len(view.undecided)} người chưa có mức quyết định ({names}).")
    for r in view.failing:
        assert r.verdict is not None  # noqa: S101 (failing rows have a verdict)
        why = "; ".join(x.message for x in r.verdict.results if x.outcome == "fail")
        problems.append(f"{r.entry.person.full_name}: {why}")
    if view.over_quota and not campaign.has_exception:
        problems.extend(
            f"{q.agency}, nhóm {q.group}: {q.counts['htxs']} hoàn thành xuất sắc, vượt giới hạn {q.cap} "
            f"({q.share:.0%} của {q.counts['htt']} hoàn thành tốt, {q.rule}); cần ghi nhận ngoại lệ."
            for q in view.over_quota
        )
    problems.extend(h.message for h in view.heads)
    if problems:
        raise DomainError("Chưa hoàn tất được đợt đánh giá: " + " ".join(problems))
    period = {"nam": RatingPeriod.YEAR, "6_thang": RatingPeriod.HALF, "quy": RatingPeriod.QUARTER}[
        campaign.period
    ]
    rated_by = campaign.unit.name
    written = 0
    for r in view.rows:
        e = r.entry
        fields = {
            "level": e.decided_level,
            "score": Decimal(e.score) if e.score is not None else None,
            "decision_date": campaign.decision_date,
            "rated_by": rated_by,
        }
        key = {"person": e.person, "system": campaign.system, "period": period, "year": campaign.year,
               "quarter": campaign.part or None}  # fmt: skip
        current = Rating.objects.filter(**key).first()
        why = with_reason(f"Kết quả đợt đánh giá {campaign.period_label} ({campaign.unit.name})", reason)
        if current is None:
            audited_create(Rating(**key, **fields), acting_user=acting_user, reason=why)
        else:
            audited_update(current, acting_user=acting_user, changes=fields, reason=why)
        written += 1
    audited_update(
        campaign,
        acting_user=acting_user,
        changes={"status": CampaignStatus.FINAL, "finalised_on": today()},
        reason=with_reason("Hoàn tất đợt đánh giá", reason),
    )
    return written
