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


class PlanSection(ScopedModel):
    """A section of a plan as the document numbers it ("Phần thứ hai", "II", "II.1")."""

    plan = models.ForeignKey(Plan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="sections")
    number = models.CharField("số mục", max_length=40, blank=True)
    title = models.CharField("tên mục", max_length=500)
    level = models.PositiveSmallIntegerField("cấp", default=1)
    order = models.PositiveIntegerField("thứ tự", default=0)

    scope_unit_path: ClassVar[str] = "plan__unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "mục của kế hoạch"
        verbose_name_plural = "mục của kế hoạch"
        ordering = ("plan", "order", "id")

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class TaskStatus(models.TextChoices):
    NOT_STARTED = "chua_thuc_hien", "Chưa thực hiện"
    IN_PROGRESS = "dang_thuc_hien", "Đang thực hiện"
    DONE = "hoan_thanh", "Hoàn thành"
    DONE_LATE = "hoan_thanh_qua_han", "Hoàn thành quá hạn"
    FAILED = "khong_thuc_hien_duoc", "Không thực hiện được"
    STOPPED = "dung", "Dừng"


CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.DONE_LATE, TaskStatus.FAILED, TaskStatus.STOPPED)


class Task(ScopedModel):
    """A task of a plan: what, who leads, who helps, by when (as written and as a schedule).

    ``lead_unit`` is the catalogue unit when the officer matched it; ``lead_name`` keeps the words
    of the document either way ("Các sở, ban, ngành tỉnh" is no single unit). ``schedule`` is
    ``deadlines.Schedule.to_dict()`` of ``deadline_text``. Grants on the plan's unit see every
    task; a unit also sees the tasks it leads or coordinates (``selectors.tasks_for``).
    """

    plan = models.ForeignKey(Plan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        PlanSection,
        verbose_name="mục",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    number = models.CharField("số thứ tự", max_length=40, blank=True)
    order = models.PositiveIntegerField("thứ tự", default=0)
    content = models.TextField("nội dung nhiệm vụ")
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị chủ trì",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_plan_tasks",
    )
    lead_name = models.CharField("đơn vị chủ trì (theo văn bản)", max_length=500, blank=True)
    coordinating_units = models.ManyToManyField(
        Unit, verbose_name="đơn vị phối hợp", blank=True, related_name="coordinated_plan_tasks"
    )
    coordinating_names = models.TextField(
        "đơn vị phối hợp (theo văn bản)", blank=True, help_text="Mỗi đơn vị một dòng."
    )
    deadline_text = models.CharField("thời hạn (theo văn bản)", max_length=500, blank=True)
    schedule = models.JSONField("thời hạn (đã đọc)", default=dict, blank=True)
    condition_met_on = models.DateField("ngày điều kiện được đáp ứng", null=True, blank=True)
    condition_note = models.CharField(
        "căn cứ đáp ứng điều kiện", max_length=300, blank=True, help_text="Ví dụ: số văn bản hướng dẫn."
    )
    status = models.CharField(
        "tình trạng", max_length=24, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    result = models.TextField("kết quả thực hiện", blank=True)
    evidence_number = models.CharField("số văn bản kết quả", max_length=120, blank=True)
    evidence_storage_name = models.CharField("tệp kết quả", max_length=200, blank=True, editable=False)
    evidence_original_name = models.CharField("tên tệp kết quả", max_length=255, blank=True, editable=False)
    evidence_content_type = models.CharField("kiểu tệp", max_length=100, blank=True, editable=False)
    evidence_sha256 = models.CharField("mã kiểm tra SHA-256", max_length=64, blank=True, editable=False)

    scope_unit_path: ClassVar[str] = "plan__unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ("plan", "order", "id")
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self) -> str:
        head = self.content[:80]
        return f"{self.number}. {head}" if self.number else head

    @property
    def lead_display(self) -> str:
        from canbo.org.selectors import unit_label

        return unit_label(self.lead_unit_id) if self.lead_unit_id else self.lead_name

    @property
    def coordinating_name_list(self) -> list[str]:
        return [n.strip() for n in self.coordinating_names.splitlines() if n.strip()]

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class TaskOccurrence(ScopedModel):
    """One due date of a task: the single one of a one-off deadline, each period of a recurring
    one, the date a conditional deadline falls due once its condition is met. ``done_on`` marks
    it done; an open occurrence past its due date is overdue."""

    task = models.ForeignKey(
        Task, verbose_name="nhiệm vụ", on_delete=models.CASCADE, related_name="occurrences"
    )
    due = models.DateField("hạn")
    label = models.CharField("kỳ", max_length=200, blank=True)
    done_on = models.DateField("ngày thực hiện xong", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=500, blank=True)

    scope_unit_path: ClassVar[str] = "task__plan__unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "lần đến hạn"
        verbose_name_plural = "lần đến hạn"
        ordering = ("task", "due")
        constraints = [models.UniqueConstraint(fields=["task", "due"], name="plans_occurrence_task_due")]

    def __str__(self) -> str:
        return f"{self.task} — {self.due:%d/%m/%Y}"


class PeriodKind(models.TextChoices):
    QUARTER = "quy", "Quý"
    HALF = "6_thang", "6 tháng"
    NINE = "9_thang", "9 tháng"
    YEAR = "nam", "Năm"


class ReportingPeriod(ScopedModel):
    """A reporting period of a plan (quý, 6 tháng, 9 tháng, năm) and when reports are due."""

    plan = models.ForeignKey(
        Plan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="reporting_periods"
    )
    kind = models.CharField("loại kỳ", max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField("năm")
    # 0 for periods that are not a quarter, so the unique constraint holds (NULLs never clash).
    quarter = models.PositiveSmallIntegerField("quý", default=0)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    report_due = models.DateField("hạn nộp báo cáo")

    scope_unit_path: ClassVar[str] = "plan__unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        ordering = ("plan", "end", "kind")
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "year", "quarter"], name="plans_period_unique"),
        ]

    def __str__(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return f"Quý {('I', 'II', 'III', 'IV')[max(self.quarter, 1) - 1]}/{self.year}"
        if self.kind == PeriodKind.YEAR:
            return f"Năm {self.year}"
        return f"{self.get_kind_display()} năm {self.year}"


class TaskReport(ScopedModel):
    """A unit's progress report on one task for one period (the lead or a coordinating unit)."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name="kỳ báo cáo", on_delete=models.CASCADE, related_name="reports"
    )
    task = models.ForeignKey(Task, verbose_name="nhiệm vụ", on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị báo cáo", on_delete=models.PROTECT, related_name="plan_task_reports"
    )
    status = models.CharField("tình trạng", max_length=24, choices=TaskStatus.choices)
    result = models.TextField("kết quả thực hiện")
    difficulties = models.TextField("khó khăn, vướng mắc", blank=True)
    evidence_number = models.CharField("số văn bản báo cáo", max_length=120, blank=True)

    scope_unit_path: ClassVar[str] = "unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "báo cáo nhiệm vụ"
        verbose_name_plural = "báo cáo nhiệm vụ"
        ordering = ("period", "task", "unit")
        constraints = [
            models.UniqueConstraint(fields=["period", "task", "unit"], name="plans_report_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.task} ({self.period})"
