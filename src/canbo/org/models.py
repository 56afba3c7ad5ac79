"""Organisation: administrative areas, the unit tree, titles and posts.

Every record here is dated. A unit or area is in force on a day when ``valid_from <= day`` and
(``valid_to`` is empty or ``day <= valid_to``): ``valid_to`` is the last day, as the documents
write it ("đến hết 30/6/2025"). Restructuring never edits the past: it closes records, opens new
ones and links them through lineage rows (see ``canbo.org.restructuring``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from canbo.core.models import ChangeLoggedModel, ScopedModel
from canbo.core.querysets import RestrictedQuerySet
from canbo.org.choices import (
    AreaLevel,
    Block,
    CatalogueGroup,
    HeadKind,
    Level,
    LineageEvent,
    ManagementScope,
    TitleGroup,
    UnitKind,
)
from canbo.org.qualifications import QUALIFICATION_LEVELS, QualificationKind, level_rank


def _levels(kind: str) -> list[tuple[str, str]]:
    return [(code, label) for code, label, _rank in QUALIFICATION_LEVELS[kind]]


PROFESSIONAL_CHOICES = _levels(QualificationKind.PROFESSIONAL)
POLITICAL_CHOICES = _levels(QualificationKind.POLITICAL_THEORY)
STATE_MGMT_CHOICES = _levels(QualificationKind.STATE_MANAGEMENT)


def in_force_q(day: dt.date, prefix: str = "") -> Q:
    """Records in force on ``day`` (empty bounds are open; ``valid_to`` is the last day)."""
    starts = Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})
    ends = Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    return starts & ends


class DatedMixin(models.Model):
    """valid_from / valid_to with the inclusive-last-day convention."""

    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến hết", null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."})

    def in_force_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class AdminArea(DatedMixin, ChangeLoggedModel):
    """An administrative area (tỉnh, huyện, xã) as it existed in a period.

    Codes are only unique within a ``dataset``: the 2025 list reuses old codes for other areas
    (province 15 is Yên Bái before 1/7/2025 and the new Lào Cai after).
    """

    class Dataset(models.TextChoices):
        CURRENT = "2025", "Danh mục từ 01/7/2025"
        FORMER = "truoc_2025", "Danh mục trước 01/7/2025"

    dataset = models.CharField("danh mục", max_length=12, choices=Dataset.choices)
    code = models.CharField("mã", max_length=10)
    name = models.CharField("tên", max_length=200)
    kind = models.CharField("loại", max_length=20)
    level = models.CharField("cấp", max_length=10, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="thuộc", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        ordering = ["dataset", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "level", "code"], name="area_unique_code_in_dataset")
        ]

    def __str__(self) -> str:
        return self.name

    def successors(self) -> list[AdminArea]:
        return [link.successor for link in self.successor_links.select_related("successor")]

    def current_areas(self) -> list[AdminArea]:
        """The areas in force today that this one became (itself if still in force)."""
        if self.valid_to is None:
            return [self]
        out: list[AdminArea] = []
        for s in self.successors():
            for c in s.current_areas():
                if c not in out:
                    out.append(c)
        return out


class AreaLineage(ChangeLoggedModel):
    """Predecessor → successor link between administrative areas (RULES.md G-9.1)."""

    predecessor = models.ForeignKey(AdminArea, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(AdminArea, on_delete=models.CASCADE, related_name="predecessor_links")
    event_date = models.DateField("ngày hiệu lực")
    basis = models.CharField("căn cứ", max_length=200, blank=True)

    class Meta:
        verbose_name = "kế thừa đơn vị hành chính"
        verbose_name_plural = "kế thừa đơn vị hành chính"
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="area_lineage_unique")
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class UnitQuerySet(MP_NodeQuerySet, RestrictedQuerySet):
    """Tree queryset with ``restrict()`` and date filters."""

    def in_force(self, day: dt.date) -> UnitQuerySet:
        return self.filter(in_force_q(day))

    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        """The unit and all its descendants (filtering by a unit always includes them)."""
        return self.filter(path__startswith=unit.path)


class UnitManager(MP_NodeManager):
    """Tree manager; ``restrict``, ``in_force`` and ``subtree_of`` work on it as on its querysets."""

    def get_queryset(self) -> UnitQuerySet:
        return UnitQuerySet(self.model, using=self._db).order_by("path")

    def restrict(self, user: Any, action: str = "view") -> UnitQuerySet:
        return self.get_queryset().restrict(user, action)  # type: ignore[return-value]

    def in_force(self, day: dt.date) -> UnitQuerySet:
        return self.get_queryset().in_force(day)

    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        return self.get_queryset().subtree_of(unit)


class Unit(MP_Node, DatedMixin, ScopedModel):
    """An organisation unit in a tree of any depth: a Party committee, a board, a People's
    Council or Committee, a department, a division, a Front or mass organisation, a public
    service unit, or a locality that groups a commune's or district's bodies.

    The tree is a materialized path (django-treebeard); a grant on a unit covers every unit
    whose path starts with its path. Units are never moved: a restructuring closes units and
    opens new ones, so any past date still shows the structure of that date.
    """

    steplen = 4
    node_order_by: ClassVar[list[str]] = []

    code = models.CharField("mã đơn vị", max_length=40, unique=True)
    name = models.CharField("tên đơn vị", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=100, blank=True)
    kind = models.CharField("loại đơn vị", max_length=30, choices=UnitKind.choices)
    block = models.CharField("khối", max_length=20, choices=Block.choices)
    level = models.CharField("cấp", max_length=10, choices=Level.choices)
    area = models.ForeignKey(
        AdminArea,
        verbose_name="địa bàn",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        help_text="Đơn vị hành chính mà đơn vị phục vụ.",
    )
    basis = models.CharField(
        "quyết định thành lập", max_length=200, blank=True, help_text="Số, ngày quyết định thành lập."
    )
    note = models.TextField("ghi chú", blank=True)

    scope_unit_path: ClassVar[str] = "path"
    scope_person: ClassVar[str | None] = None
    # The tree's own bookkeeping: not shown in a history (canbo.core.history).
    history_hidden: ClassVar[tuple[str, ...]] = ("path", "depth", "numchild")

    objects: ClassVar[UnitManager] = UnitManager()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"

    def __str__(self) -> str:
        return self.name

    def audit_person_id(self) -> int | None:
        return None

    @classmethod
    def history_labels(cls, ids: Any) -> dict[int, str]:
        """Units in a history are shown with their path, as everywhere (``unit_label``)."""
        from canbo.org.selectors import unit_labels

        return unit_labels(ids)

    def name_on(self, day: dt.date) -> str:
        """The unit's name as it was on ``day`` (renames keep the former names)."""
        for former in self.former_names.all():
            if former.valid_from <= day <= former.valid_to:
                return former.name
        return self.name

    def clean(self) -> None:
        super().clean()
        parent = Unit.objects.get_parent(self) if self.path and self.depth and self.depth > 1 else None
        if (
            parent is not None
            and self.valid_from
            and parent.valid_from
            and self.valid_from < parent.valid_from
        ):
            raise ValidationError({"valid_from": "Đơn vị không thể có hiệu lực trước đơn vị cấp trên."})


class UnitFormerName(ChangeLoggedModel):
    """A name a unit carried before a rename, with the period it was used."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="former_names")
    name = models.CharField("tên cũ", max_length=255)
    valid_from = models.DateField("dùng từ")
    valid_to = models.DateField("dùng đến hết")
    basis = models.CharField("căn cứ", max_length=200, blank=True)

    class Meta:
        verbose_name = "tên cũ của đơn vị"
        verbose_name_plural = "tên cũ của đơn vị"
        ordering = ["unit", "valid_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d/%m/%Y}–{self.valid_to:%d/%m/%Y})"

    def audit_person_id(self) -> int | None:
        return None


class UnitLineage(ChangeLoggedModel):
    """Predecessor → successor link created by a merge, split or dissolution."""

    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessor_links")
    event = models.CharField("sự kiện", max_length=20, choices=LineageEvent.choices)
    event_date = models.DateField("ngày hiệu lực")
    basis = models.CharField("căn cứ", max_length=200, blank=True)

    class Meta:
        verbose_name = "kế thừa đơn vị"
        verbose_name_plural = "kế thừa đơn vị"

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.get_event_display()})"

    def audit_person_id(self) -> int | None:
        return None


class Title(ChangeLoggedModel):
    """A title (chức danh) of the catalogue: level, key post, head or deputy, management scope.

    ``rank`` orders titles by seniority within the province so that "a title above the one
    currently held" (RULES.md P-1) can be decided; higher is more senior.
    """

    code = models.CharField("mã chức danh", max_length=40, unique=True)
    name = models.CharField("tên chức danh", max_length=255)
    level = models.CharField("cấp", max_length=10, choices=Level.choices)
    group = models.CharField("nhóm chức danh", max_length=30, choices=TitleGroup.choices)
    block = models.CharField("khối", max_length=20, choices=Block.choices)
    is_key = models.BooleanField("chức danh chủ chốt", default=False)
    is_leader = models.BooleanField("lãnh đạo, quản lý", default=False)
    head_kind = models.CharField("cấp trưởng/phó", max_length=12, choices=HeadKind.choices)
    management_scope = models.CharField("diện quản lý", max_length=20, choices=ManagementScope.choices)
    rank = models.PositiveSmallIntegerField("thứ bậc", default=0)
    catalogue_group = models.CharField(
        "nhóm theo Quy định 368-QĐ/TW", max_length=4, choices=CatalogueGroup.choices, blank=True
    )
    allowance_coefficient = models.DecimalField(
        "hệ số phụ cấp chức vụ", max_digits=4, decimal_places=2, null=True, blank=True
    )
    # Standards the rules read (RULES.md): minimum levels as codes of QUALIFICATION_LEVELS,
    # age limits in whole years. Empty = the title sets no such standard.
    min_professional = models.CharField(
        "trình độ chuyên môn tối thiểu", max_length=20, blank=True, choices=PROFESSIONAL_CHOICES
    )
    min_political_theory = models.CharField(
        "trình độ lý luận chính trị tối thiểu", max_length=20, blank=True, choices=POLITICAL_CHOICES
    )
    min_state_management = models.CharField(
        "trình độ quản lý nhà nước tối thiểu", max_length=20, blank=True, choices=STATE_MGMT_CHOICES
    )
    max_age_first_appointment = models.PositiveSmallIntegerField(
        "tuổi tối đa khi bổ nhiệm lần đầu", null=True, blank=True
    )
    max_age_reappointment = models.PositiveSmallIntegerField(
        "tuổi tối đa khi bổ nhiệm lại", null=True, blank=True
    )
    standards = models.TextField("tiêu chuẩn khác", blank=True)
    source = models.CharField("căn cứ", max_length=200, blank=True)

    class Meta:
        verbose_name = "chức danh"
        verbose_name_plural = "chức danh"
        ordering = ["-rank", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name with its block, as every title picker shows it: the catalogue holds one
        "Trưởng phòng và tương đương (cấp tỉnh)" per block, which the name alone cannot tell apart."""
        if not self.block:
            return self.name
        return f"{self.name} — khối {self.get_block_display()}"

    def audit_person_id(self) -> int | None:
        return None

    def clean(self) -> None:
        super().clean()
        for field in ("max_age_first_appointment", "max_age_reappointment"):
            age = getattr(self, field)
            if age is not None and not 18 <= age <= 75:
                raise ValidationError({field: "Tuổi phải từ 18 đến 75."})
        if self.allowance_coefficient is not None and not 0 <= self.allowance_coefficient <= 3:
            raise ValidationError({"allowance_coefficient": "Hệ số phụ cấp chức vụ phải từ 0 đến 3."})

    def minimum_rank(self, kind: str) -> int | None:
        """The rank (QUALIFICATION_LEVELS) of the title's minimum level of ``kind``, or None."""
        codes: dict[str, str] = {
            QualificationKind.PROFESSIONAL: self.min_professional,
            QualificationKind.POLITICAL_THEORY: self.min_political_theory,
            QualificationKind.STATE_MANAGEMENT: self.min_state_management,
        }
        code = codes.get(kind, "")
        return level_rank(kind, code) if code else None


class Post(DatedMixin, ScopedModel):
    """A post: a title in a unit with its number of seats (biên chế vị trí)."""

    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="posts")
    title = models.ForeignKey(Title, verbose_name="chức danh", on_delete=models.PROTECT, related_name="posts")
    seats = models.PositiveSmallIntegerField("số lượng", default=1)

    scope_unit_path: ClassVar[str] = "unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "vị trí"
        verbose_name_plural = "vị trí"
        ordering = ["unit", "-title__rank"]

    def __str__(self) -> str:
        return f"{self.title} – {self.unit}"

    def audit_person_id(self) -> int | None:
        return None

    def clean(self) -> None:
        super().clean()
        if self.seats < 1:
            raise ValidationError({"seats": "Số lượng phải từ 1 trở lên."})


class StaffingQuota(ScopedModel):
    """The staffing quota (biên chế) approved for a unit for a year: civil-servant and
    public-employee positions, with the decision that approved it."""

    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="quotas")
    year = models.PositiveSmallIntegerField("năm")
    civil_servants = models.PositiveIntegerField("biên chế công chức", default=0)
    public_employees = models.PositiveIntegerField("số lượng người làm việc (viên chức)", default=0)
    basis = models.CharField("căn cứ (số, ngày quyết định giao)", max_length=200, blank=True)

    scope_unit_path: ClassVar[str] = "unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "biên chế được giao"
        verbose_name_plural = "biên chế được giao"
        ordering = ["unit", "-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="quota_unique_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.year}"

    def audit_person_id(self) -> int | None:
        return None

    def clean(self) -> None:
        super().clean()
        if not 1945 <= self.year <= 2100:
            raise ValidationError({"year": "Năm không hợp lệ."})


class JobPosition(ChangeLoggedModel):
    """A job position (vị trí việc làm, Luật Cán bộ, công chức 80/2025) of the catalogue.

    A person's record points here (``Person.job_position_entry``); ``Person.job_position`` stays
    free text for what imports and older records wrote.
    """

    class Kind(models.TextChoices):
        LEADERSHIP = "lanh_dao", "Lãnh đạo, quản lý"
        PROFESSIONAL = "chuyen_mon", "Chuyên môn, nghiệp vụ"
        SHARED = "dung_chung", "Chuyên môn dùng chung"
        SUPPORT = "ho_tro", "Hỗ trợ, phục vụ"

    code = models.CharField("mã vị trí việc làm", max_length=40, unique=True)
    name = models.CharField("tên vị trí việc làm", max_length=255)
    kind = models.CharField("nhóm", max_length=20, choices=Kind.choices)
    category = models.CharField("đối tượng", max_length=20, choices=[
        ("cong_chuc", "Công chức"), ("vien_chuc", "Viên chức"), ("can_bo", "Cán bộ"),
    ])  # fmt: skip
    level = models.CharField("cấp", max_length=10, choices=Level.choices, blank=True)
    title = models.ForeignKey(
        Title, verbose_name="chức danh tương ứng", on_delete=models.PROTECT, null=True, blank=True
    )
    source = models.CharField("căn cứ", max_length=200, blank=True)

    class Meta:
        verbose_name = "vị trí việc làm"
        verbose_name_plural = "vị trí việc làm"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def audit_person_id(self) -> int | None:
        return None
