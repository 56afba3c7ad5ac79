"""Indicator definitions (versioned data) and the targets that plans set for them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from canbo.core.models import ChangeLoggedModel
from canbo.indicators.spec import KINDS, SpecError, validate
from canbo.org.models import Title, Unit
from canbo.plans.models import Plan


class IndicatorDefinition(ChangeLoggedModel):
    """One version of an indicator: kind, population, numerator condition (``spec``).

    Reference data like titles, not personnel data: every user may read it. A definition is
    never edited in place: a change is a new ``version`` (the repository file says which), so a
    figure computed last year can be recomputed with the definition it used.
    """

    class Source(models.TextChoices):
        REPOSITORY = "repo", "Tệp định nghĩa trong mã nguồn"
        ADMIN = "admin", "Quản trị viên thêm trên giao diện"

    code = models.SlugField("mã chỉ tiêu", max_length=80)
    version = models.PositiveSmallIntegerField("phiên bản", default=1)
    label = models.CharField("tên chỉ tiêu", max_length=300)
    kind = models.CharField("loại", max_length=20, choices=list(KINDS.items()))
    spec = models.JSONField("định nghĩa")
    source = models.CharField("nguồn", max_length=10, choices=Source.choices, default=Source.REPOSITORY)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "định nghĩa chỉ tiêu"
        verbose_name_plural = "định nghĩa chỉ tiêu"
        ordering = ("code", "-version")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="indicator_code_version")]

    def __str__(self) -> str:
        return f"{self.label} (v{self.version})"

    def clean(self) -> None:
        super().clean()
        try:
            validate(self.kind, self.spec)
        except SpecError as exc:
            raise ValidationError({"spec": exc.messages}) from exc

    @property
    def pending(self) -> str:
        """Why CanBo cannot compute this yet ("" when it can)."""
        return str(self.spec.get("pending", "")) if isinstance(self.spec, dict) else ""


class TargetKind(models.TextChoices):
    MIN = "min", "Tối thiểu"
    MAX = "max", "Tối đa"
    RANGE = "range", "Trong khoảng"
    ALL = "all", "100%"
    EXISTS = "exists", "Có ít nhất một người"
    PROPORTIONAL = "proportional", "Tương xứng cơ cấu dân số"


class IndicatorTarget(ChangeLoggedModel):
    """A plan's target for an indicator in a term, for the whole plan or for one unit.

    ``row`` and ``content`` are the plan's own numbering and wording (Phụ lục 1 of 18-ĐA/TU:
    "1a", "Tỷ lệ cán bộ … dưới 40 tuổi"); ``text`` is the target as printed ("5–10%", "trên 15%").
    Reached only through its plan, whose unit the grants cover.
    """

    plan = models.ForeignKey(Plan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="targets")
    definition = models.ForeignKey(
        IndicatorDefinition, verbose_name="chỉ tiêu", on_delete=models.PROTECT, related_name="targets"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Bỏ trống: mục tiêu chung của kế hoạch.",
    )
    term = models.CharField("nhiệm kỳ, giai đoạn", max_length=20)
    row = models.CharField("số thứ tự trong văn bản", max_length=20)
    order = models.PositiveSmallIntegerField("thứ tự hiển thị", default=0)
    content = models.CharField("nội dung (như văn bản)", max_length=500)
    kind = models.CharField("loại mục tiêu", max_length=15, choices=TargetKind.choices)
    low = models.DecimalField("từ (tỷ lệ)", max_digits=6, decimal_places=4, null=True, blank=True)
    high = models.DecimalField("đến (tỷ lệ)", max_digits=6, decimal_places=4, null=True, blank=True)
    text = models.CharField("mục tiêu (như văn bản)", max_length=200)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "mục tiêu"
        verbose_name_plural = "mục tiêu"
        ordering = ("plan", "order", "term")
        constraints = [
            # A NULL unit (the plan-wide target) is not unique in SQL; the loader looks rows up.
            models.UniqueConstraint(fields=["plan", "row", "term", "unit"], name="target_plan_row_term_unit")
        ]

    def __str__(self) -> str:
        return f"{self.plan.number} {self.row}: {self.text}"

    def audit_person_id(self) -> int | None:
        return None

    def clean(self) -> None:
        super().clean()
        need = {
            TargetKind.MIN: ("low",),
            TargetKind.MAX: ("high",),
            TargetKind.RANGE: ("low", "high"),
        }.get(TargetKind(self.kind) if self.kind in TargetKind.values else TargetKind.ALL, ())
        errors = {f: "Cần tỷ lệ mục tiêu." for f in need if getattr(self, f) is None}
        for f in ("low", "high"):
            value = getattr(self, f)
            if value is not None and not 0 <= value <= 1:
                errors[f] = "Tỷ lệ phải trong khoảng 0 đến 1 (ví dụ 0,15 cho 15%)."
        low, high = self.low, self.high
        if (
            not errors
            and self.kind == TargetKind.RANGE
            and low is not None
            and high is not None
            and low > high
        ):
            errors["high"] = "Cận trên phải lớn hơn hoặc bằng cận dưới."
        if errors:
            raise ValidationError(errors)


class IndicatorSnapshot(models.Model):
    """One computation of the engine kept for reuse (``indicators.snapshots``): derived data, like
    ``people.ServiceGap``, never edited and not audited.

    ``key`` hashes everything the computation reads besides the records (definitions, dates,
    unit, depth, the user's scope); ``last_day`` is the latest date it counts on. A write to the
    records the engine reads deletes, in its own transaction, every snapshot whose
    ``last_day`` is on or after the earliest date the written row touches. ``day`` and ``scope``
    (definitions, unit, user, depth: what ``key`` hashes, as ids) say what to compute again in
    the background when today's snapshot is deleted (``snapshots.refresh_snapshots``)."""

    key = models.CharField("khóa", max_length=64, unique=True)
    last_day = models.DateField("ngày muộn nhất", db_index=True)
    day = models.DateField("ngày tính", null=True)
    scope = models.JSONField("phạm vi tính", null=True)
    data = models.JSONField("kết quả")
    computed_at = models.DateTimeField("lúc tính", auto_now_add=True)

    class Meta:
        verbose_name = "kết quả chỉ tiêu đã tính"
        verbose_name_plural = "kết quả chỉ tiêu đã tính"

    def __str__(self) -> str:
        return f"Kết quả chỉ tiêu đến ngày {self.last_day:%d/%m/%Y}"


class SnapshotEpoch(models.Model):
    """SQLite: the count of writes that invalidated snapshots (one row). PostgreSQL uses the
    sequence ``indicators_snapshot_epoch`` instead (no row lock shared by every writer)."""

    value = models.BigIntegerField("số lần ghi", default=0)

    class Meta:
        verbose_name = "mốc ghi dữ liệu"
        verbose_name_plural = "mốc ghi dữ liệu"

    def __str__(self) -> str:
        return f"Mốc ghi dữ liệu {self.value}"


# ---- fact tables (``indicators.facts``) -------------------------------------------------------

FACT_SLOTS = 8  # qualification conditions a fact row holds the first date of (q1 … q8)


class _Fact(models.Model):
    """The person's facts the engine's counting reads, copied onto a counted row: derived data,
    like ``IndicatorSnapshot``, never edited and not audited; rebuilt from the records by
    ``indicators.facts`` in the transaction of every write that changes them. Relations carry
    no database constraint: the records own the rows, the facts follow them."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    start_date = models.DateField()
    # The last day held; ``facts.OPEN`` (31/12/9999) for an open row, so that one index range on
    # (…, end_date, start_date) reads only the rows still running on a date, open ones included.
    end_date = models.DateField()
    birth_date = models.DateField()
    sex = models.CharField(max_length=3)
    category = models.CharField(max_length=20)
    kinh = models.BooleanField()
    service_from = models.DateField(null=True)
    service_until = models.DateField(null=True)
    # Home town in the unit's (the body's) area or one of its sub-areas (RULES.md K-3).
    is_local = models.BooleanField()
    # The first date the person held a qualification meeting condition k (``FactState.conditions``).
    q1 = models.DateField(null=True)
    q2 = models.DateField(null=True)
    q3 = models.DateField(null=True)
    q4 = models.DateField(null=True)
    q5 = models.DateField(null=True)
    q6 = models.DateField(null=True)
    q7 = models.DateField(null=True)
    q8 = models.DateField(null=True)

    class Meta:
        abstract = True


class TenureFact(_Fact):
    """One row per primary tenure (``careers.Tenure``), with its person's facts."""

    tenure = models.OneToOneField(
        "careers.Tenure", primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    title = models.ForeignKey(Title, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    class Meta:
        verbose_name = "dữ kiện chức vụ"
        verbose_name_plural = "dữ kiện chức vụ"
        indexes = [
            models.Index(fields=["title", "end_date", "start_date"], name="indicators_tfact_title"),
            models.Index(fields=["person"], name="indicators_tfact_person"),
        ]

    def __str__(self) -> str:
        return f"Dữ kiện chức vụ {self.pk}"


class MembershipFact(_Fact):
    """One row per body membership (``careers.BodyMembership``), with its person's facts."""

    membership = models.OneToOneField(
        "careers.BodyMembership",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    body = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    kind = models.CharField(max_length=15)

    class Meta:
        verbose_name = "dữ kiện thành viên cơ quan"
        verbose_name_plural = "dữ kiện thành viên cơ quan"
        indexes = [
            models.Index(fields=["kind", "end_date", "start_date"], name="indicators_mfact_kind"),
            models.Index(fields=["person"], name="indicators_mfact_person"),
        ]

    def __str__(self) -> str:
        return f"Dữ kiện thành viên {self.pk}"


class FactState(models.Model):
    """One row: whether the fact tables hold the records (``valid``; a write in bulk, whose rows
    are not named, clears it until the next rebuild), the count of such writes (``generation``:
    a rebuild that raced with one does not set ``valid``), and the qualification conditions
    ``[kind, min_rank]`` whose first dates the columns q1, q2 … hold."""

    valid = models.BooleanField(default=False)
    generation = models.BigIntegerField(default=0)
    conditions = models.JSONField(default=list)
    rebuilt_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "trạng thái bảng dữ kiện"
        verbose_name_plural = "trạng thái bảng dữ kiện"

    def __str__(self) -> str:
        return "Bảng dữ kiện " + ("đúng" if self.valid else "cần dựng lại")
