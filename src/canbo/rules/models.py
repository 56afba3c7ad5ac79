"""The rulebook in the database: rule versions, the holiday table and per-person retirement
overrides.

The repository's ``data/rules.toml`` and ``data/holidays.toml`` are loaded here by
``manage.py rules load`` (idempotent). After that the database is what the engine reads, so an
administrator can add a version of a rule's parameters with an effective date; a past version is
never edited (RULES.md binding convention 2), only closed by its successor's start date.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from canbo.core.models import ChangeLoggedModel, ScopedModel
from canbo.org.models import Unit
from canbo.people.models import Person, PersonSection


class Confidence(models.TextChoices):
    CONFIRMED = "confirmed", "Đã xác nhận"
    SECONDARY = "secondary", "Nguồn thứ cấp"
    UNCONFIRMED = "unconfirmed", "Chưa xác nhận (giá trị mặc định)"


class Source(models.TextChoices):
    DATA = "du_lieu", "Dữ liệu quy định trong mã nguồn"
    ADMIN = "quan_tri", "Quản trị viên bổ sung"


class RuleVersion(ChangeLoggedModel):
    """One version of one rule of RULES.md (``D-6 v3``): statement, parameters, basis, range.

    ``statement`` keeps RULES.md's English text for traceability; ``statement_vi`` is what the
    interface shows. The other texts (name, basis, notes) are Vietnamese.

    ``valid_to`` is exclusive (the successor's ``valid_from``); empty = still in force.
    """

    rule_id = models.CharField("mã quy định", max_length=10, db_index=True)
    version = models.PositiveSmallIntegerField("phiên bản")
    name = models.CharField("tên", max_length=200)
    statement = models.TextField("nội dung (tiếng Anh, theo RULES.md)")
    statement_vi = models.TextField("nội dung", blank=True)
    basis = models.TextField("căn cứ")
    confidence = models.CharField("mức xác nhận", max_length=12, choices=Confidence.choices)
    confidence_note = models.CharField("ghi chú xác nhận", max_length=300, blank=True)
    parameters_text = models.TextField("tham số (như văn bản ghi)", blank=True)
    in_force_text = models.CharField("hiệu lực (như văn bản ghi)", max_length=200, blank=True)
    valid_from = models.DateField("áp dụng từ ngày", null=True, blank=True)
    valid_to = models.DateField("áp dụng đến trước ngày", null=True, blank=True)
    params = models.JSONField("tham số", default=dict, blank=True)
    source = models.CharField("nguồn", max_length=10, choices=Source.choices, default=Source.DATA)
    note = models.TextField("ghi chú thay đổi", blank=True)

    class Meta:
        verbose_name = "phiên bản quy định"
        verbose_name_plural = "phiên bản quy định"
        ordering = ["rule_id", "version"]
        constraints = [models.UniqueConstraint(fields=["rule_id", "version"], name="rules_version_unique")]

    def __str__(self) -> str:
        return f"{self.rule_id} v{self.version}"

    def audit_person_id(self) -> int | None:
        return None

    @property
    def display_statement(self) -> str:
        """The statement shown to users: the Vietnamese one (the English one is RULES.md's)."""
        return self.statement_vi or self.statement

    @property
    def param_rows(self) -> list[Any]:
        """The parameters labelled and with their units, as /quy-dinh/ shows them."""
        from canbo.rules.engine.params import param_rows

        return param_rows(self.rule_id, self.params)

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": "Ngày kết thúc phải sau ngày bắt đầu áp dụng."})


class Holiday(ChangeLoggedModel):
    """An adjustment of the computed holiday calendar (``engine/workdays.py``), kept by
    administrators: an extra day off, or (``working``) a day worked in exchange for one, as the
    Prime Minister's yearly notice sets them. Statutory holidays and compensatory days are
    computed for every year and not stored."""

    day = models.DateField("ngày", unique=True)
    name = models.CharField("tên ngày nghỉ", max_length=200)
    working = models.BooleanField(
        "ngày làm việc (làm bù, đổi ngày nghỉ)",
        default=False,
        help_text="Đánh dấu khi ngày này là ngày đi làm theo thông báo (ví dụ thứ Bảy làm bù).",
    )
    source = models.CharField("nguồn", max_length=10, choices=Source.choices, default=Source.DATA)

    class Meta:
        verbose_name = "ngày nghỉ lễ"
        verbose_name_plural = "ngày nghỉ lễ"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}" + (" (ngày làm việc)" if self.working else "")

    def audit_person_id(self) -> int | None:
        return None


class OverrideKind(models.TextChoices):
    EARLY = "som", "Nghỉ hưu sớm hơn (điều kiện lao động, vùng khó khăn)"
    LATE = "muon", "Nghỉ hưu muộn hơn (chuyên gia, lãnh đạo cấp cao)"
    STREAMLINING = "tinh_gian", "Nghỉ hưu trước tuổi theo tinh giản biên chế"
    ARMED_FORCES = "luc_luong_vu_trang", "Lực lượng vũ trang (luật riêng)"
    CONTRACT = "hop_dong", "Làm việc sau tuổi nghỉ hưu theo hợp đồng"


class RetirementOverride(PersonSection):
    """The retirement month decided for one person by the authority (RULES.md H-4–H-6).

    It replaces the H-1 schedule for every calculator and validator. One per person.
    """

    kind = models.CharField("trường hợp", max_length=20, choices=OverrideKind.choices)
    year = models.PositiveSmallIntegerField(
        "năm nghỉ hưu", validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        "tháng nghỉ hưu", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    basis = models.CharField("căn cứ (số, ngày quyết định)", max_length=300)
    note = models.CharField("ghi chú", max_length=300, blank=True)

    scope_person: ClassVar[str | None] = "person_id"

    class Meta:
        verbose_name = "quyết định tuổi nghỉ hưu riêng"
        verbose_name_plural = "quyết định tuổi nghỉ hưu riêng"
        constraints = [models.UniqueConstraint(fields=["person"], name="rules_override_one_per_person")]

    def __str__(self) -> str:
        return f"Nghỉ hưu {self.month:02d}/{self.year} ({self.get_kind_display()})"


class RuleException(ScopedModel):
    """An exception to a rule, recorded by a user with the right (the charter: "a write that a
    rule forbids is refused with the rule's explanation, unless a user with that right records an
    exception with its reason and legal basis").

    The one shape for every app: the rule (id, and the version in force when recorded), the
    subject it lets through (any record: a rating campaign, an appointment candidate, a planning
    entry, an agency) with an optional ``key`` when one subject has one exception per period (the
    agency's year for S-9), the person if any, how many more it allows (``allowance``: S-9's
    cap), the reason and legal basis, who recorded it and when. ``unit`` is the subject's unit:
    it scopes reads and the right (the recorder's grants must cover it).
    """

    rule = models.CharField("quy định", max_length=200)
    rule_version = models.PositiveSmallIntegerField("phiên bản quy định", null=True, blank=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name="loại đối tượng", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField("mã đối tượng")
    subject = GenericForeignKey("content_type", "object_id")
    key = models.CharField("kỳ", max_length=20, blank=True, default="")
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, verbose_name="cán bộ", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    allowance = models.PositiveSmallIntegerField("số lượng được vượt", null=True, blank=True)
    reason = models.CharField("lý do", max_length=500)
    basis = models.CharField("căn cứ pháp lý", max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi nhận",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("ghi nhận lúc", default=timezone.now)

    scope_unit_path: ClassVar[str] = "unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "ngoại lệ quy định"
        verbose_name_plural = "ngoại lệ quy định"
        ordering = ["-recorded_at", "-id"]
        permissions = [("record_rule_exception", "Ghi nhận ngoại lệ quy định")]
        indexes = [models.Index(fields=["content_type", "object_id"], name="rules_exception_subject")]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "content_type", "object_id", "key"], name="rules_exception_one_per_subject"
            )
        ]

    def __str__(self) -> str:
        return f"Ngoại lệ {self.rule}: {self.basis}"
