"""Appointment cases (C9): from a vacant seat, or a term ending, to a decision.

A case belongs to the unit of the post it fills; every record of it is reached from a grant on
that unit's subtree (``scope_unit_path``) and never by the person role (a case is not part of
anyone's own dossier). Writes go through ``canbo.cases.services``; the status moves only through
its transition functions.
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse

from canbo.careers.models import Tenure
from canbo.core.models import ScopedModel
from canbo.org.models import Post, Unit
from canbo.people.models import Person


class CaseKind(models.TextChoices):
    APPOINTMENT = "bo_nhiem", "Bổ nhiệm"
    REAPPOINTMENT = "bo_nhiem_lai", "Bổ nhiệm lại"
    NOMINATION = "gioi_thieu_ung_cu", "Giới thiệu ứng cử"


class CaseSource(models.TextChoices):
    INTERNAL = "tai_cho", "Nguồn tại chỗ (A-9, 5 bước)"
    EXTERNAL = "noi_khac", "Nguồn từ nơi khác (A-11, 3 bước)"
    HEAD = "nguoi_dung_dau", "Người đứng đầu giới thiệu (A-12)"


# The number of steps of each procedure (RULES.md; A-12 runs the collective's review
# as one step).
STEPS = {CaseSource.INTERNAL: 5, CaseSource.EXTERNAL: 3, CaseSource.HEAD: 1}


class CaseStatus(models.TextChoices):
    NOMINATION = "gioi_thieu", "Đang giới thiệu nhân sự"
    BALLOTS = "lay_phieu", "Đang thực hiện các bước"
    SUBMITTED = "trinh", "Đã trình, chờ quyết định"
    DECIDED = "da_quyet_dinh", "Đã có quyết định"
    EXTENDED = "keo_dai", "Kéo dài thời hạn đến khi nghỉ hưu"
    STOPPED = "dung", "Dừng"


OPEN_STATUSES = (CaseStatus.NOMINATION, CaseStatus.BALLOTS, CaseStatus.SUBMITTED)


class Case(ScopedModel):
    """One appointment, reappointment or nomination procedure for one post."""

    post = models.ForeignKey(Post, verbose_name="vị trí", on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField("loại", max_length=20, choices=CaseKind.choices)
    source = models.CharField("nguồn nhân sự", max_length=20, choices=CaseSource.choices)
    received_on = models.DateField(
        "ngày cơ quan tổ chức nhận tờ trình và hồ sơ",
        help_text="Ngày này chọn phiên bản quy định được áp dụng.",
    )
    status = models.CharField(
        "trạng thái", max_length=20, choices=CaseStatus.choices, default=CaseStatus.NOMINATION
    )
    # A reappointment: the tenure whose term ends.
    prior_tenure = models.ForeignKey(
        Tenure,
        verbose_name="chức vụ đang giữ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reappointment_cases",
    )
    note = models.CharField("ghi chú", max_length=500, blank=True)
    # The decision
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    effective_date = models.DateField("ngày có hiệu lực", null=True, blank=True)
    term_end = models.DateField("thời hạn giữ chức vụ đến", null=True, blank=True)
    signer = models.CharField("người ký", max_length=150, blank=True)
    decided_person = models.ForeignKey(
        Person, verbose_name="người được bổ nhiệm", on_delete=models.PROTECT, null=True, blank=True
    )
    tenure = models.OneToOneField(
        Tenure,
        verbose_name="chức vụ được ghi",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointment_case",
    )
    stop_reason = models.CharField("lý do dừng", max_length=500, blank=True)

    scope_unit_path: ClassVar[str] = "unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "hồ sơ bổ nhiệm"
        verbose_name_plural = "hồ sơ bổ nhiệm"
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.post.title} – {self.unit}"

    def audit_person_id(self) -> int | None:
        return self.decided_person_id

    @property
    def step_count(self) -> int:
        return STEPS[CaseSource(self.source)]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Candidate(ScopedModel):
    """A personnel option of a case."""

    case = models.ForeignKey(Case, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, verbose_name="người", on_delete=models.PROTECT, related_name="+")
    added_note = models.CharField("ghi chú", max_length=300, blank=True)
    # A-7's fact the dossier does not hold: declared by the officer (None: not declared yet).
    pending_discipline = models.BooleanField(
        "đang bị xem xét kỷ luật, điều tra, truy tố, xét xử", null=True, blank=True
    )

    # The authority's exceptions (A-5: "the appointing authority may grant exceptions and is
    # accountable"): ``rules.RuleException`` rows on the candidate, deleted with him.
    exceptions = GenericRelation("rules.RuleException")

    scope_unit_path: ClassVar[str] = "case__unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "nhân sự được giới thiệu"
        verbose_name_plural = "nhân sự được giới thiệu"
        ordering = ["case", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="cases_candidate_once")]

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.case_id])

    def __str__(self) -> str:
        return f"{self.person.full_name} ({self.case_id})"

    def audit_person_id(self) -> int | None:
        return self.person_id


class Step(ScopedModel):
    """One meeting of the procedure with its counts and votes (validator 3 computed on save)."""

    case = models.ForeignKey(Case, verbose_name="hồ sơ", on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField("bước")
    held_on = models.DateField("ngày họp")
    body = models.CharField("hội nghị", max_length=200)
    convened = models.PositiveIntegerField("số được triệu tập")
    present = models.PositiveIntegerField("số có mặt")
    ballots = models.PositiveIntegerField("số phiếu phát ra")
    # The votes of each candidate are ``StepVote`` rows (``vote_rows``); the quorum is validator
    # 3's result on them, kept with the step.
    quorum_met = models.BooleanField("đủ số lượng", default=False)

    scope_unit_path: ClassVar[str] = "case__unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "bước quy trình"
        verbose_name_plural = "bước quy trình"
        ordering = ["case", "number", "held_on", "id"]

    def __str__(self) -> str:
        return f"Bước {self.number} ngày {self.held_on:%d/%m/%Y}"

    def audit_person_id(self) -> int | None:
        return None

    def _rows(self) -> list[StepVote]:
        # ``vote_rows.all()`` uses the prefetch when the reader made one.
        return sorted(self.vote_rows.all(), key=lambda r: (-r.votes, r.candidate_id))

    @property
    def votes_by_candidate(self) -> dict[int, int]:
        """Candidate id → votes, most votes first."""
        return {r.candidate_id: r.votes for r in self._rows()}

    @property
    def selected(self) -> list[int]:
        return [r.candidate_id for r in self._rows() if r.outcome == StepVote.Outcome.SELECTED]

    @property
    def next_round(self) -> list[int]:
        return [r.candidate_id for r in self._rows() if r.outcome == StepVote.Outcome.NEXT_ROUND]


class StepVote(ScopedModel):
    """The votes one candidate received at one step, and what validator 3 made of them (selected,
    on to the next step, or neither)."""

    class Outcome(models.TextChoices):
        NONE = "", "Không trúng"
        SELECTED = "trung", "Trúng"
        NEXT_ROUND = "chuyen_buoc", "Chuyển bước sau"

    step = models.ForeignKey(Step, verbose_name="bước", on_delete=models.CASCADE, related_name="vote_rows")
    candidate = models.ForeignKey(
        Candidate, verbose_name="nhân sự", on_delete=models.CASCADE, related_name="step_votes"
    )
    votes = models.PositiveIntegerField("số phiếu")
    outcome = models.CharField("kết quả", max_length=12, choices=Outcome.choices, blank=True, default="")

    scope_unit_path: ClassVar[str] = "step__case__unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "số phiếu của nhân sự tại một bước"
        verbose_name_plural = "số phiếu tại các bước"
        ordering = ["step", "-votes", "candidate"]
        constraints = [models.UniqueConstraint(fields=["step", "candidate"], name="cases_step_vote_once")]

    def __str__(self) -> str:
        return f"{self.votes} phiếu – bước {self.step.number}"

    def audit_person_id(self) -> int | None:
        return self.candidate.person_id


class HeadPilot(ScopedModel):
    """A unit (and its subtree) in the A-12 pilot from a date: there the head may propose a single
    candidate per post (source ``nguoi_dung_dau``)."""

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="head_pilots"
    )
    valid_from = models.DateField("áp dụng từ ngày")
    basis = models.CharField("căn cứ (quyết định thí điểm)", max_length=300)

    scope_unit_path: ClassVar[str] = "unit__path"
    scope_person: ClassVar[str | None] = None

    class Meta:
        verbose_name = "đơn vị thí điểm A-12"
        verbose_name_plural = "đơn vị thí điểm A-12"
        ordering = ["unit", "valid_from"]

    def __str__(self) -> str:
        return f"Thí điểm A-12: {self.unit} từ {self.valid_from:%d/%m/%Y}"

    def audit_person_id(self) -> int | None:
        return None
