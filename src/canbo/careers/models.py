"""Tenures (who held which title in which unit, when, by which decision) and memberships of
elected bodies. These are what every "as of" list, indicator and eligibility check reads."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from canbo.core.querysets import RestrictedQuerySet
from canbo.org.models import Post, Title, Unit
from canbo.people.models import PersonSection


class TenureKind(models.TextChoices):
    ELECTED = "bau", "Bầu"
    APPOINTED = "bo_nhiem", "Bổ nhiệm"
    TRANSFERRED = "dieu_dong", "Điều động"
    ROTATED = "luan_chuyen", "Luân chuyển"
    SECONDED = "biet_phai", "Biệt phái"
    CONCURRENT = "kiem_nhiem", "Kiêm nhiệm"
    RECRUITED = "tuyen_dung", "Tuyển dụng, tiếp nhận"
    DESIGNATED = "chi_dinh", "Chỉ định"
    CARRIED = "sap_xep", "Sắp xếp tổ chức bộ máy"


class BodyKind(models.TextChoices):
    PARTY_COMMITTEE = "cap_uy", "Cấp ủy"
    STANDING_COMMITTEE = "ban_thuong_vu", "Ban Thường vụ cấp ủy"
    PEOPLES_COUNCIL = "hdnd", "Hội đồng nhân dân"
    MASS_ORGANISATION = "doan_the", "Tổ chức chính trị – xã hội"


def on_date_q(day: dt.date, prefix: str = "") -> Q:
    """Tenures or memberships running on ``day`` (``end_date`` is the last day held)."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


class DatedQuerySet(RestrictedQuerySet):
    def on(self, day: dt.date) -> DatedQuerySet:
        return self.filter(on_date_q(day))


class Tenure(PersonSection):
    """A person holding a title in a unit: kind (bầu, bổ nhiệm, …), start, end, decision.

    ``end_date`` is the last day held; an open tenure has none. ``is_primary`` distinguishes the
    main post from concurrent ones (kiêm nhiệm).
    """

    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="tenures")
    title = models.ForeignKey(
        Title, verbose_name="chức danh", on_delete=models.PROTECT, related_name="tenures"
    )
    post = models.ForeignKey(
        Post, verbose_name="vị trí", on_delete=models.PROTECT, null=True, blank=True, related_name="tenures"
    )
    kind = models.CharField("hình thức", max_length=15, choices=TenureKind.choices)
    is_primary = models.BooleanField("chức vụ chính", default=True)
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến hết ngày", null=True, blank=True)
    end_reason = models.CharField("lý do kết thúc", max_length=200, blank=True)
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    decision_body = models.CharField("cơ quan quyết định", max_length=200, blank=True)

    objects: ClassVar[Any] = DatedQuerySet.as_manager()

    # The unit of a tenure must lie in the acting user's grants too, not only the person.
    scope_also: ClassVar[tuple[str, ...]] = ("unit",)

    class Meta:
        verbose_name = "chức vụ"
        verbose_name_plural = "quá trình giữ chức vụ"
        ordering = ["person", "-start_date"]
        indexes = [
            models.Index(fields=["unit", "start_date", "end_date"]),
            models.Index(fields=["title", "start_date", "end_date"]),
            # Whether a person holds, on a date, a title of a management scope, from the index
            # alone (a grant limited to a broad scope asks it of each person; docs/performance.md).
            models.Index(
                fields=["person", "start_date", "end_date", "title"], name="tenure_person_dates_title"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {self.unit}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "Ngày kết thúc phải sau ngày bắt đầu."
        if self.post_id and self.unit_id and self.post and self.post.unit_id != self.unit_id:
            errors["post"] = "Vị trí không thuộc đơn vị đã chọn."
        if self.unit_id and self.start_date and self.unit:
            if self.unit.valid_from and self.start_date < self.unit.valid_from:
                errors["start_date"] = (
                    f"Đơn vị {self.unit} chỉ có từ {self.unit.valid_from:%d/%m/%Y}; "
                    "không thể giữ chức vụ trước ngày đó."
                )
            if self.unit.valid_to and self.start_date > self.unit.valid_to:
                errors["start_date"] = f"Đơn vị {self.unit} đã kết thúc ngày {self.unit.valid_to:%d/%m/%Y}."
            if self.unit.valid_to and (self.end_date is None or self.end_date > self.unit.valid_to):
                errors["end_date"] = (
                    f"Đơn vị {self.unit} kết thúc ngày {self.unit.valid_to:%d/%m/%Y}; chức vụ phải kết thúc "
                    "muộn nhất ngày đó."
                )
        if errors:
            raise ValidationError(errors)


class BodyMembership(PersonSection):
    """Membership of a body: Party committee, its Standing Committee, People's Council, or a
    socio-political organisation; with its term (nhiệm kỳ)."""

    body = models.ForeignKey(Unit, verbose_name="cơ quan", on_delete=models.PROTECT, related_name="members")
    kind = models.CharField("loại", max_length=15, choices=BodyKind.choices)
    role = models.CharField("chức vụ trong cơ quan", max_length=100, blank=True)
    term = models.CharField(
        "nhiệm kỳ",
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^\d{4}[-–]\d{4}$", "Ghi nhiệm kỳ dạng 2020–2025.")],
    )
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến hết ngày", null=True, blank=True)
    decision_number = models.CharField("số quyết định / biên bản", max_length=60, blank=True)

    objects: ClassVar[Any] = DatedQuerySet.as_manager()

    scope_unit_path: ClassVar[str] = "person__managing_unit__path"

    class Meta:
        verbose_name = "thành viên cơ quan dân cử, cấp ủy"
        verbose_name_plural = "cấp ủy, HĐND, đoàn thể"
        ordering = ["person", "-start_date"]
        indexes = [models.Index(fields=["body", "kind", "start_date", "end_date"])]

    def __str__(self) -> str:
        kind, body = str(self.get_kind_display()), str(self.body)
        # "Hội đồng nhân dân tỉnh Lào Cai" already says its kind.
        label = body if body.lower().startswith(kind.lower()) else f"{kind} {body}"
        return f"{label} {self.term}".strip()

    def clean(self) -> None:
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Ngày kết thúc phải sau ngày bắt đầu."})
        # clean() runs even when the field's own validator refused the term ("²", "2020"): read
        # only a well-formed one, the validator's message stands for the others.
        if m := re.fullmatch(r"(\d{4})[-–](\d{4})", self.term or ""):
            a, b = int(m[1]), int(m[2])
            if b <= a:
                raise ValidationError({"term": "Năm cuối nhiệm kỳ phải sau năm đầu."})
