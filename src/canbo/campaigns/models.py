"""Rating campaigns (C11, RULES.md §5): a unit subtree rated for a period, its entries per person
and the collective ratings of its units.

A campaign is open while levels are entered and finalised once: finalising writes each person's
``assessment.Rating`` row (the dossier's record) in one transaction. Everything here is reached
through the campaign's unit, like planning lists; the person role does not open it.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property

from canbo.assessment.models import RatingLevel, RatingPeriod, RatingSystem
from canbo.assessment.models import VoteBody as VoteBody  # declared with the dossier's vote record
from canbo.core.models import ScopedModel
from canbo.org.models import Unit
from canbo.people.choices import Category
from canbo.people.models import Person
from canbo.rules.models import RuleException

#: The rule whose exception lets a campaign over the quota be finalised (units with outstanding
#: achievements).
QUOTA_RULE = "E-9"


class CampaignStatus(models.TextChoices):
    OPEN = "dang_danh_gia", "Đang đánh giá"
    FINAL = "da_hoan_tat", "Đã hoàn tất"


class CampaignPeriod(models.TextChoices):
    """The periods a campaign may rate (RatingPeriod without the term)."""

    YEAR = RatingPeriod.YEAR.value, RatingPeriod.YEAR.label
    HALF = RatingPeriod.HALF.value, RatingPeriod.HALF.label
    QUARTER = RatingPeriod.QUARTER.value, RatingPeriod.QUARTER.label


class RatingCampaign(ScopedModel):
    """A rating campaign of a unit subtree for one side (Party or State) and one period."""

    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="campaigns")
    system = models.CharField("loại đánh giá", max_length=12, choices=RatingSystem.choices)
    year = models.PositiveSmallIntegerField(
        "năm", validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    period = models.CharField("kỳ đánh giá", max_length=10, choices=CampaignPeriod.choices, default="nam")
    # 0 for a year; 1–4 the quarter; 1–2 the half-year.
    part = models.PositiveSmallIntegerField(
        "quý / nửa năm", default=0, blank=True, validators=[MinValueValidator(0), MaxValueValidator(4)]
    )
    decision_date = models.DateField("ngày quyết định xếp loại")
    status = models.CharField(
        "trạng thái", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    finalised_on = models.DateField("ngày hoàn tất", null=True, blank=True)
    # E-9's exception for units with outstanding achievements: a ``rules.RuleException`` on the
    # campaign (``rules.services.record_exception``); deleted with the campaign.
    rule_exceptions = GenericRelation("rules.RuleException")

    scope_unit_path: ClassVar[str] = "unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "đợt đánh giá, xếp loại"
        verbose_name_plural = "đợt đánh giá, xếp loại"
        ordering = ["-year", "unit__path", "system"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "system", "year", "period", "part"],
                name="campaign_unique_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_system_display()} {self.period_label} — {self.unit.name}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.pk])

    def audit_person_id(self) -> int | None:
        return None

    @property
    def period_label(self) -> str:
        if self.period == CampaignPeriod.QUARTER:
            return f"quý {self.part} năm {self.year}"
        if self.period == CampaignPeriod.HALF:
            return f"{'6 tháng đầu' if self.part == 1 else '6 tháng cuối'} năm {self.year}"
        return f"năm {self.year}"

    @property
    def bounds(self) -> tuple[dt.date, dt.date]:
        """The first and last day of the period rated."""
        if self.period == CampaignPeriod.QUARTER and self.part:
            first_month = 3 * (self.part - 1) + 1
            start = dt.date(self.year, first_month, 1)
            end_month = first_month + 2
        elif self.period == CampaignPeriod.HALF and self.part:
            start = dt.date(self.year, 1 if self.part == 1 else 7, 1)
            end_month = 6 if self.part == 1 else 12
        else:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        nxt = dt.date(self.year + (end_month == 12), end_month % 12 + 1, 1)
        return start, nxt - dt.timedelta(days=1)

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN

    @cached_property
    def exception(self) -> RuleException | None:
        """E-9's exception on file for this campaign, or None."""
        from canbo.rules.selectors import exception_for

        return exception_for(self, QUOTA_RULE)

    @property
    def has_exception(self) -> bool:
        return self.exception is not None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.period == CampaignPeriod.YEAR and self.part:
            errors["part"] = "Kỳ đánh giá năm không có quý hoặc nửa năm."
        if self.period == CampaignPeriod.QUARTER and self.part not in (1, 2, 3, 4):
            errors["part"] = "Hãy chọn quý (1 đến 4)."
        if self.period == CampaignPeriod.HALF and self.part not in (1, 2):
            errors["part"] = "Hãy chọn nửa năm (1: 6 tháng đầu, 2: 6 tháng cuối)."
        if self.decision_date and self.year and self.decision_date.year not in (self.year, self.year + 1):
            errors["decision_date"] = "Ngày quyết định xếp loại phải trong năm đánh giá hoặc năm sau."
        if errors:
            raise ValidationError(errors)


class CampaignEntry(ScopedModel):
    """One person to rate in a campaign: self-assessment, proposal, decision.

    ``agency`` and ``duty_group`` are the quota's grouping (E-5, E-9: per agency and per group of
    similar duties); ``is_head`` marks the head of ``agency`` (E-13). ``kht_trigger`` is the
    E-4 / E-8 ground the dossier cannot hold (declared: None unknown)."""

    campaign = models.ForeignKey(
        RatingCampaign, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="entries"
    )
    person = models.ForeignKey(
        Person, verbose_name="cán bộ", on_delete=models.PROTECT, related_name="campaign_entries"
    )
    category = models.CharField("đối tượng", max_length=20, choices=Category.choices)
    agency = models.ForeignKey(
        Unit, verbose_name="cơ quan, đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    duty_group = models.CharField("nhóm nhiệm vụ tương đồng", max_length=100, blank=True)
    is_head = models.BooleanField("người đứng đầu", default=False)
    is_leader = models.BooleanField("giữ chức vụ lãnh đạo, quản lý", default=False)
    self_level = models.CharField("tự đánh giá", max_length=4, choices=RatingLevel.choices, blank=True)
    score = models.DecimalField(
        "điểm (thang 100)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    proposed_level = models.CharField("mức đề xuất", max_length=4, choices=RatingLevel.choices, blank=True)
    decided_level = models.CharField("mức quyết định", max_length=4, choices=RatingLevel.choices, blank=True)
    kht_trigger = models.BooleanField(
        "có căn cứ đương nhiên không hoàn thành nhiệm vụ (E-4, E-8)", null=True, blank=True
    )
    exceeded_share = models.DecimalField(
        "tỷ lệ nhiệm vụ vượt mức", max_digits=4, decimal_places=3, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )  # fmt: skip
    note = models.CharField("ghi chú", max_length=500, blank=True)

    scope_unit_path: ClassVar[str] = "campaign__unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "người được đánh giá"
        verbose_name_plural = "người được đánh giá"
        ordering = ["campaign", "agency__path", "person__full_name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="campaign_entry_once")]

    def __str__(self) -> str:
        return f"{self.person.full_name} — {self.campaign.period_label}"

    @property
    def level(self) -> str:
        """The level that counts: the decided one, else the proposal."""
        return self.decided_level or self.proposed_level


class UnitRating(ScopedModel):
    """The collective rating of a unit in a campaign (the head is not rated above it, E-13)."""

    campaign = models.ForeignKey(
        RatingCampaign, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="unit_ratings"
    )
    unit = models.ForeignKey(Unit, verbose_name="tập thể", on_delete=models.PROTECT, related_name="+")
    level = models.CharField("mức xếp loại tập thể", max_length=4, choices=RatingLevel.choices)

    scope_unit_path: ClassVar[str] = "campaign__unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "xếp loại tập thể"
        verbose_name_plural = "xếp loại tập thể"
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="campaign_unit_once")]

    def __str__(self) -> str:
        return f"{self.unit.name}: {self.get_level_display()}"

    def audit_person_id(self) -> int | None:
        return None


# -- confidence votes (C12, RULES.md §5) ------------------------------------------------------


class VoteSession(ScopedModel):
    """A confidence-vote session of a body for a unit subtree on a date: the meeting's counts
    (V-3, V-6) and, per person voted on, the three levels (V-2). Finalising writes each person's
    ``assessment.ConfidenceVote`` row in one transaction."""

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="vote_sessions"
    )
    body = models.CharField("hội nghị / kỳ họp", max_length=8, choices=VoteBody.choices)
    vote_date = models.DateField("ngày lấy phiếu")
    convened = models.PositiveIntegerField("số được triệu tập")
    present = models.PositiveIntegerField("số có mặt")
    ballots = models.PositiveIntegerField("số phiếu phát ra")
    status = models.CharField(
        "trạng thái", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    finalised_on = models.DateField("ngày hoàn tất", null=True, blank=True)

    scope_unit_path: ClassVar[str] = "unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "đợt lấy phiếu tín nhiệm"
        verbose_name_plural = "đợt lấy phiếu tín nhiệm"
        ordering = ["-vote_date", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "body", "vote_date"], name="vote_session_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.vote_date:%d/%m/%Y} — {self.unit.name}"

    def audit_person_id(self) -> int | None:
        return None

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN

    def clean(self) -> None:
        super().clean()
        if None in (self.convened, self.present, self.ballots):
            return
        if self.present > self.convened:
            raise ValidationError({"present": "Số có mặt không thể lớn hơn số được triệu tập."})
        if self.ballots > self.present:
            raise ValidationError({"ballots": "Số phiếu phát ra không thể lớn hơn số có mặt."})


class VoteEntry(ScopedModel):
    """One person voted on in a session: his post then, the counts per level (None: not yet
    entered), and the action taken on the consequence (decision number and date)."""

    session = models.ForeignKey(
        VoteSession, verbose_name="đợt lấy phiếu", on_delete=models.CASCADE, related_name="entries"
    )
    person = models.ForeignKey(
        Person, verbose_name="cán bộ", on_delete=models.PROTECT, related_name="vote_entries"
    )
    position = models.CharField("chức vụ được lấy phiếu", max_length=200)
    high = models.PositiveIntegerField("tín nhiệm cao", null=True, blank=True)
    medium = models.PositiveIntegerField("tín nhiệm", null=True, blank=True)
    low = models.PositiveIntegerField("tín nhiệm thấp", null=True, blank=True)
    action_decision = models.CharField("số quyết định xử lý", max_length=60, blank=True)
    action_date = models.DateField("ngày quyết định xử lý", null=True, blank=True)
    action_note = models.CharField("nội dung xử lý", max_length=500, blank=True)

    scope_unit_path: ClassVar[str] = "session__unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "người được lấy phiếu"
        verbose_name_plural = "người được lấy phiếu"
        ordering = ["session", "person__full_name"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="vote_entry_once")]

    def __str__(self) -> str:
        return f"{self.person.full_name} — {self.position}"

    @property
    def counted(self) -> bool:
        return None not in (self.high, self.medium, self.low)
