"""Plans (kế hoạch, đề án, nghị quyết, chương trình) that the Party committees and People's
Committees issue, which the indicators' targets and the tracked tasks belong to."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from canbo.core.models import ScopedModel
from canbo.org.models import Unit


class PlanKind(models.TextChoices):
    KE_HOACH = "ke_hoach", "Kế hoạch"
    DE_AN = "de_an", "Đề án"
    NGHI_QUYET = "nghi_quyet", "Nghị quyết"
    CHUONG_TRINH = "chuong_trinh", "Chương trình"
    CHI_THI = "chi_thi", "Chỉ thị"
    KET_LUAN = "ket_luan", "Kết luận"
    KHAC = "khac", "Văn bản khác"


class Plan(ScopedModel):
    """A plan document: its number, date, issuing body, title and period.

    ``code`` is a short, stable key for commands and URLs (``lc-18-da-tu``); ``number`` is the
    document's own symbol as printed (``18-ĐA/TU``). ``unit`` is the unit that keeps the plan in
    CanBo (usually the issuing body or its organisation board): grants on its subtree see it.
    ``issuer_name`` is the issuing body as printed, since the issuer may lie outside the unit
    catalogue (the Central Committee, another province).
    """

    code = models.SlugField("mã kế hoạch", max_length=60, unique=True)
    kind = models.CharField("loại văn bản", max_length=20, choices=PlanKind.choices)
    number = models.CharField("số, ký hiệu", max_length=60)
    issued_on = models.DateField("ngày ban hành")
    issuer_name = models.CharField("cơ quan ban hành", max_length=255)
    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị quản lý",
        on_delete=models.PROTECT,
        related_name="plans",
        help_text="Đơn vị theo dõi kế hoạch trong CanBo; quyền trên cây đơn vị này cho phép xem.",
    )
    title = models.CharField("trích yếu", max_length=500)
    period_start = models.DateField("thực hiện từ", null=True, blank=True)
    period_end = models.DateField("thực hiện đến", null=True, blank=True)
    implements = models.ManyToManyField(
        "self",
        verbose_name="thực hiện / bổ sung văn bản",
        symmetrical=False,
        blank=True,
        related_name="implemented_by",
    )
    note = models.TextField("ghi chú", blank=True)

    scope_unit_path: ClassVar[str] = "unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"
        ordering = ("-issued_on", "number")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"
