"""Planning lists (quy hoạch cán bộ, C8): a unit's list for a term and kind, and its entries.

A list belongs to the unit that keeps it (grants on that unit or an ancestor see and change it).
Entries are never deleted when a person leaves the list: planning is "dynamic and open"
(RULES.md P-4), so a removal closes the entry with a date and a reason and the row stays. A person
is in a planning list on day D when an entry has ``added_on <= D`` and (``removed_on`` is empty or
``removed_on > D``): ``removed_on`` is the first day out, the date of the removal decision.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from canbo.core.models import ScopedModel
from canbo.org.models import Title, Unit
from canbo.people.models import Person


class PlanningKind(models.TextChoices):
    """The two kinds of planning lists (QĐ 50, QĐ 377): Party committee or leadership titles."""

    COMMITTEE = "cap_uy", "Cấp ủy"
    LEADERSHIP = "lanh_dao_quan_ly", "Lãnh đạo, quản lý"


def planned_on_q(day: dt.date, prefix: str = "") -> Q:
    """Entries in force on ``day``: added by then and not yet removed (``removed_on`` is the first
    day out). The only predicate that says "in a planning list on a day"."""
    return Q(**{f"{prefix}added_on__lte": day}) & (
        Q(**{f"{prefix}removed_on__isnull": True}) | Q(**{f"{prefix}removed_on__gt": day})
    )


class PlanningList(ScopedModel):
    """A planning list: the unit keeping it, the term planned for, kind, approving decision.

    One list per unit, term and kind. The term is stored as its first and last year ("2025–2030").
    """

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="planning_lists"
    )
    name = models.CharField("tên danh sách", max_length=255)
    kind = models.CharField("loại quy hoạch", max_length=20, choices=PlanningKind.choices)
    term_start = models.PositiveSmallIntegerField("nhiệm kỳ từ năm")
    term_end = models.PositiveSmallIntegerField("nhiệm kỳ đến năm")
    decision_number = models.CharField("số quyết định phê duyệt", max_length=60, blank=True)
    decision_date = models.DateField("ngày quyết định phê duyệt", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)

    scope_unit_path: ClassVar[str] = "unit__path"
    # Planning is the organisation's working list: the person role does not open it.
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "danh sách quy hoạch"
        verbose_name_plural = "danh sách quy hoạch"
        ordering = ["-term_start", "unit__path", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "term_start", "term_end", "kind"], name="planning_list_unique_term_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.term_label})"

    @property
    def term_label(self) -> str:
        return f"{self.term_start}–{self.term_end}"

    def audit_person_id(self) -> int | None:
        return None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.term_start is not None and not 2000 <= self.term_start <= 2100:
            errors["term_start"] = "Năm bắt đầu nhiệm kỳ phải trong khoảng 2000–2100."
        if self.term_start is not None and self.term_end is not None:
            if self.term_end <= self.term_start:
                errors["term_end"] = "Năm kết thúc nhiệm kỳ phải sau năm bắt đầu."
            elif self.term_end - self.term_start > 10:
                errors["term_end"] = "Nhiệm kỳ quy hoạch không quá 10 năm."
        if self.decision_date and self.decision_date.year > (self.term_end or 9999):
            errors["decision_date"] = "Ngày phê duyệt không thể sau năm kết thúc nhiệm kỳ."
        if errors:
            raise ValidationError(errors)


class PlanningEntry(ScopedModel):
    """One person planned for one title in one list, with the addition and (if any) the removal.

    Reached through the list's unit, like the list. The change log files it under the person, so
    his history shows when he was added to and removed from a list.
    """

    planning_list = models.ForeignKey(
        PlanningList, verbose_name="danh sách quy hoạch", on_delete=models.CASCADE, related_name="entries"
    )
    person = models.ForeignKey(
        Person, verbose_name="cán bộ", on_delete=models.CASCADE, related_name="planning_entries"
    )
    title = models.ForeignKey(
        Title, verbose_name="chức danh quy hoạch", on_delete=models.PROTECT, related_name="planning_entries"
    )
    added_on = models.DateField("ngày bổ sung vào quy hoạch")
    added_decision = models.CharField("số quyết định bổ sung", max_length=60, blank=True)
    added_reason = models.CharField("ghi chú khi bổ sung", max_length=500, blank=True)
    removed_on = models.DateField("ngày đưa ra khỏi quy hoạch", null=True, blank=True)
    removal_decision = models.CharField("số quyết định đưa ra", max_length=60, blank=True)
    removal_reason = models.CharField("lý do đưa ra khỏi quy hoạch", max_length=500, blank=True)
    # An addition a rule refuses (a vote with "low" above half, a year rated KHT, a political
    # standard not met: ``planning.consequences``; P-4) is made only with an exception recorded
    # with it: a ``rules.RuleException`` on the entry (reason, basis, who, when), deleted with it.
    rule_exceptions = GenericRelation("rules.RuleException")

    scope_unit_path: ClassVar[str] = "planning_list__unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "người trong quy hoạch"
        verbose_name_plural = "người trong quy hoạch"
        ordering = ["planning_list", "-title__rank", "added_on", "id"]
        indexes = [
            # The person list's "in a planning list on a day" filter is an EXISTS on these columns.
            models.Index(fields=["person", "added_on", "removed_on"], name="planning_entry_person_day"),
            models.Index(fields=["planning_list", "title"], name="planning_entry_list_title"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["planning_list", "person", "title"],
                condition=Q(removed_on__isnull=True),
                name="planning_entry_one_open_per_title",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("planning:entry", args=[self.pk])

    @property
    def exception(self) -> Any:
        """The exception recorded with the addition (``rules.RuleException``), or None; a list
        prefetches ``rule_exceptions``."""
        rows = list(self.rule_exceptions.all())
        return rows[0] if rows else None

    def in_force_on(self, day: dt.date) -> bool:
        return self.added_on <= day and (self.removed_on is None or self.removed_on > day)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.added_on and self.added_on.year < 2000:
            errors["added_on"] = "Ngày bổ sung quy hoạch không hợp lý (trước năm 2000)."
        if self.removed_on and self.added_on and self.removed_on <= self.added_on:
            errors["removed_on"] = "Ngày đưa ra khỏi quy hoạch phải sau ngày bổ sung vào quy hoạch."
        if self.removed_on and not self.removal_reason.strip():
            errors["removal_reason"] = "Cần ghi lý do đưa ra khỏi quy hoạch."
        if errors:
            raise ValidationError(errors)


class PlanningReview(ScopedModel):
    """The yearly review of a planning list (RULES.md P-4, "dynamic and open"): one record per
    list and year, with its date and decision. The additions and removals of that year are the
    entries themselves (dated, with their reasons); the record says the review took place.

    Reached through the list's unit, like the list."""

    planning_list = models.ForeignKey(
        PlanningList, verbose_name="danh sách quy hoạch", on_delete=models.CASCADE, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField("năm rà soát")
    reviewed_on = models.DateField("ngày rà soát (ngày quyết định)")
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    note = models.CharField("ghi chú", max_length=500, blank=True)

    scope_unit_path: ClassVar[str] = "planning_list__unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "rà soát quy hoạch hằng năm"
        verbose_name_plural = "rà soát quy hoạch hằng năm"
        ordering = ["planning_list", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["planning_list", "year"], name="planning_review_once_a_year")
        ]

    def __str__(self) -> str:
        return f"Rà soát năm {self.year} — {self.planning_list.name}"

    def audit_person_id(self) -> int | None:
        return None

    def clean(self) -> None:
        super().clean()
        if self.reviewed_on and self.year and self.reviewed_on.year != self.year:
            raise ValidationError({"reviewed_on": "Ngày rà soát phải trong năm rà soát."})
