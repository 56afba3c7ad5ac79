"""Salary catalogues (groups and their scales, grades, base salary) and the dossier's salary
history (SALARY.md S-1 to S-3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from canbo.core.dates import format_date
from canbo.core.models import ChangeLoggedModel, ScopedModel
from canbo.core.types import ActingUser
from canbo.people.models import Person, PersonSection


class Confidence(models.TextChoices):
    CONFIRMED = "CONFIRMED", "Đã đối chiếu"
    UNCONFIRMED = "UNCONFIRMED", "Chưa đối chiếu"


class GradeKind(models.TextChoices):
    CIVIL_SERVANT = "cong_chuc", "Ngạch công chức"
    PUBLIC_EMPLOYEE = "vien_chuc", "Chức danh nghề nghiệp viên chức"


def _num(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


class SalaryGroup(ChangeLoggedModel):
    """A group of the salary scale (loại A3.1 … C3): its steps rise by a fixed increment."""

    code = models.CharField("mã loại", max_length=8, unique=True)
    name = models.CharField("tên", max_length=100)
    steps = models.PositiveSmallIntegerField("số bậc", validators=[MinValueValidator(1)])
    first = models.DecimalField("hệ số bậc 1", max_digits=4, decimal_places=2)
    increment = models.DecimalField("chênh lệch giữa hai bậc", max_digits=4, decimal_places=2)
    basis = models.CharField("căn cứ", max_length=200)
    confidence = models.CharField("mức xác nhận", max_length=12, choices=Confidence.choices)

    class Meta:
        verbose_name = "loại bảng lương"
        verbose_name_plural = "bảng lương"
        ordering = ["-first"]

    def __str__(self) -> str:
        return self.code

    def coefficient(self, step: int) -> Decimal:
        """The coefficient of ``step`` (1-based); ValueError outside the group's steps."""
        if not 1 <= step <= self.steps:
            raise ValueError(step)
        return self.first + (step - 1) * self.increment

    @property
    def last(self) -> Decimal:
        return self.coefficient(self.steps)

    def coefficients(self) -> list[Decimal]:
        return [self.coefficient(n) for n in range(1, self.steps + 1)]


class Grade(ChangeLoggedModel):
    """A civil-servant grade (ngạch) or a public employee's professional title, in one group."""

    code = models.CharField("mã ngạch", max_length=20, unique=True)
    name = models.CharField("tên ngạch, chức danh nghề nghiệp", max_length=150)
    group = models.ForeignKey(SalaryGroup, verbose_name="loại", on_delete=models.PROTECT)
    kind = models.CharField("loại ngạch", max_length=12, choices=GradeKind.choices)
    basis = models.CharField("căn cứ", max_length=200, blank=True)
    confidence = models.CharField("mức xác nhận", max_length=12, choices=Confidence.choices)

    class Meta:
        verbose_name = "ngạch"
        verbose_name_plural = "ngạch, chức danh nghề nghiệp"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BaseSalary(ChangeLoggedModel):
    """The base salary (lương cơ sở, S-2), in force from ``valid_from`` until the next one."""

    amount = models.PositiveIntegerField("mức lương cơ sở (đồng/tháng)")
    valid_from = models.DateField("áp dụng từ", unique=True)
    basis = models.CharField("căn cứ", max_length=200)
    confidence = models.CharField("mức xác nhận", max_length=12, choices=Confidence.choices)

    class Meta:
        verbose_name = "lương cơ sở"
        verbose_name_plural = "lương cơ sở"
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.amount_text} đồng từ {format_date(self.valid_from)}"

    @property
    def amount_text(self) -> str:
        """The amount as Vietnamese writes it: 2.340.000."""
        return f"{self.amount:,}".replace(",", ".")


class SalaryRow(PersonSection):
    """One row of a person's salary history, in force from ``from_date`` until the next row's.

    ``step_since`` is the date the time in the step counts from (mốc tính nâng bậc, S-3/S-4);
    ``beyond_frame_percent`` the seniority allowance beyond the frame (S-8), only at the last step.
    """

    grade = models.ForeignKey(Grade, verbose_name="ngạch", on_delete=models.PROTECT)
    step = models.PositiveSmallIntegerField("bậc", validators=[MinValueValidator(1), MaxValueValidator(20)])
    coefficient = models.DecimalField("hệ số lương", max_digits=4, decimal_places=2)
    beyond_frame_percent = models.PositiveSmallIntegerField(
        "phụ cấp thâm niên vượt khung (%)", default=0, validators=[MaxValueValidator(50)]
    )
    position_allowance = models.DecimalField(
        "hệ số phụ cấp chức vụ", max_digits=4, decimal_places=2, null=True, blank=True
    )
    other_allowance = models.CharField("phụ cấp khác", max_length=200, blank=True)
    from_date = models.DateField("ngày hưởng")
    step_since = models.DateField("mốc tính nâng bậc")
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)

    class Meta:
        verbose_name = "diễn biến lương"
        verbose_name_plural = "diễn biến quá trình lương"
        ordering = ["person", "-from_date"]
        constraints = [
            models.UniqueConstraint(fields=["person", "from_date"], name="salary_row_one_per_day"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.grade.code} bậc {self.step} ({_num(self.coefficient)}) từ {format_date(self.from_date)}"
        )

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.grade_id is not None and self.step is not None:
            group = self.grade.group
            if self.step > group.steps or self.step < 1:
                errors["step"] = (
                    f"Ngạch {self.grade.code} thuộc {group.name}, chỉ có {group.steps} bậc; "
                    f"không có bậc {self.step}."
                )
            elif self.coefficient is not None and Decimal(self.coefficient) != group.coefficient(self.step):
                errors["coefficient"] = (
                    f"Hệ số {_num(Decimal(self.coefficient))} không đúng: bậc {self.step} của "
                    f"{group.name} có hệ số {_num(group.coefficient(self.step))}."
                )
            elif self.beyond_frame_percent and self.step != group.steps:
                errors["beyond_frame_percent"] = (
                    f"Chỉ hưởng phụ cấp thâm niên vượt khung ở bậc cuối (bậc {group.steps}) của {group.name}."
                )
        if self.step_since and self.from_date and self.step_since > self.from_date:
            errors["step_since"] = "Mốc tính nâng bậc không thể sau ngày hưởng."
        if self.person_id is not None and self.from_date:
            errors.update(self._timeline_errors())
        if errors:
            raise ValidationError(errors)

    def _timeline_errors(self) -> dict[str, str]:
        recruited = self.person.recruitment_date
        if recruited and self.from_date < recruited:
            return {
                "from_date": (
                    f"Ngày hưởng {format_date(self.from_date)} trước ngày tuyển dụng "
                    f"{format_date(recruited)}."
                )
            }
        same = SalaryRow.objects.filter(person_id=self.person_id, from_date=self.from_date)
        if self.pk:
            same = same.exclude(pk=self.pk)
        if same.exists():
            return {
                "from_date": (
                    f"Đã có một dòng diễn biến lương hưởng từ {format_date(self.from_date)}; "
                    "hai dòng không được trùng thời gian."
                )
            }
        return {}

    def in_force_on(self, day: dt.date) -> bool:
        return self.from_date <= day

    def after_section_write(self, acting_user: ActingUser) -> None:
        """The person's current grade, step and coefficient follow the row in force today."""
        from canbo.salary.services import sync_person

        sync_person(self.person_id, acting_user=acting_user)


class NoticeKind(models.TextChoices):
    NOTICE = "thong_bao", "Thông báo nghỉ hưu"
    DECISION = "quyet_dinh", "Quyết định nghỉ hưu"


class RetirementNotice(ScopedModel):
    """A retirement notice or decision recorded as issued (SALARY.md H-8), one of each kind per
    person. ``retirement_date`` is the date it announced (H-2 or the override on the day it was
    recorded). Once a notice is issued, H-9 bars appointment and planning to a higher post."""

    person = models.ForeignKey(Person, verbose_name="cán bộ", on_delete=models.CASCADE)
    kind = models.CharField("loại văn bản", max_length=12, choices=NoticeKind.choices)
    number = models.CharField("số văn bản", max_length=60)
    issued_on = models.DateField("ngày ban hành")
    retirement_date = models.DateField("thời điểm nghỉ hưu")
    signer = models.CharField("người ký", max_length=150, blank=True)

    history_hidden: ClassVar[tuple[str, ...]] = ("person",)

    class Meta:
        verbose_name = "thông báo, quyết định nghỉ hưu"
        verbose_name_plural = "thông báo, quyết định nghỉ hưu"
        ordering = ["person", "issued_on"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="salary_retirement_notice_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} số {self.number} ngày {format_date(self.issued_on)}"

    def clean(self) -> None:
        super().clean()
        if self.issued_on and self.retirement_date and self.issued_on > self.retirement_date:
            raise ValidationError(
                {
                    "issued_on": (
                        f"Ngày ban hành {format_date(self.issued_on)} sau thời điểm nghỉ hưu "
                        f"{format_date(self.retirement_date)}."
                    )
                }
            )


class EarlyRule(models.TextChoices):
    ACHIEVEMENT = "S-9", "Lập thành tích xuất sắc (S-9)"
    RETIREMENT = "S-10", "Có thông báo nghỉ hưu (S-10)"


class EarlyRaise(ScopedModel):
    """A proposal to raise a person one step before his regular due date (SALARY.md S-9, S-10),
    made by an agency for a year; finalised when its decision is recorded (number, date), which
    writes the salary row. S-9 proposals name the award that justifies them; S-10 proposals are
    made when a retirement notice is recorded and name it."""

    person = models.ForeignKey(Person, verbose_name="cán bộ", on_delete=models.CASCADE)
    agency = models.ForeignKey(
        "org.Unit", verbose_name="cơ quan đề nghị", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("năm")
    rule = models.CharField("trường hợp", max_length=4, choices=EarlyRule.choices)
    award = models.ForeignKey(
        "assessment.Award", verbose_name="khen thưởng", on_delete=models.PROTECT, null=True, blank=True
    )
    notice = models.ForeignKey(
        RetirementNotice, verbose_name="thông báo nghỉ hưu", on_delete=models.PROTECT, null=True, blank=True
    )
    months = models.PositiveSmallIntegerField(
        "số tháng nâng trước", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    regular_due = models.DateField("ngày đến hạn nâng bậc thường xuyên")
    raise_date = models.DateField("ngày hưởng bậc mới")
    to_step = models.PositiveSmallIntegerField("lên bậc")
    to_coefficient = models.DecimalField("hệ số mới", max_digits=4, decimal_places=2)
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)

    history_hidden: ClassVar[tuple[str, ...]] = ("person",)

    class Meta:
        verbose_name = "đề nghị nâng bậc lương trước thời hạn"
        verbose_name_plural = "đề nghị nâng bậc lương trước thời hạn"
        ordering = ["agency", "year", "raise_date"]
        constraints = [
            models.UniqueConstraint(fields=["person", "regular_due"], name="salary_early_one_per_step"),
        ]

    def __str__(self) -> str:
        return (
            f"Nâng trước thời hạn {self.months} tháng ({self.rule}) lên bậc {self.to_step} từ "
            f"{format_date(self.raise_date)}"
        )

    @property
    def finalised(self) -> bool:
        return bool(self.decision_number)
