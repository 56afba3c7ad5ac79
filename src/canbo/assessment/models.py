"""Awards, discipline, ratings, confidence votes and the political-standard conclusion.

These are recorded here as facts of the dossier; the rules that judge them (discipline windows,
expiry, rating quotas) belong to the rulebook (issue 4) and read these records.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from canbo.people.models import PersonSection


class Award(PersonSection):
    """An award or commendation (khen thưởng)."""

    form = models.CharField("hình thức khen thưởng", max_length=200)
    year = models.PositiveSmallIntegerField(
        "năm", validators=[MinValueValidator(1945), MaxValueValidator(2100)]
    )
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    issuing_body = models.CharField("cấp quyết định", max_length=200, blank=True)
    # Not "reason": every write takes a ``reason`` for the change log, and the two ate each
    # other (issue 14).
    achievement = models.CharField("thành tích", max_length=300, blank=True)

    class Meta:
        verbose_name = "khen thưởng"
        verbose_name_plural = "khen thưởng"
        ordering = ["person", "-year"]

    def __str__(self) -> str:
        return f"{self.form} ({self.year})"


class DisciplineSystem(models.TextChoices):
    PARTY = "dang", "Kỷ luật Đảng"
    STATE = "chinh_quyen", "Kỷ luật chính quyền"
    MASS_ORG = "doan_the", "Kỷ luật đoàn thể"


class DisciplineForm(models.TextChoices):
    """Forms of RULES.md §7a; which form is valid for whom on which date is the rulebook's job."""

    REPRIMAND = "khien_trach", "Khiển trách"
    WARNING = "canh_cao", "Cảnh cáo"
    SALARY_REDUCTION = "ha_bac_luong", "Hạ bậc lương"
    DEMOTION = "giang_chuc", "Giáng chức"
    REMOVAL = "cach_chuc", "Cách chức"
    RECALL = "bai_nhiem", "Bãi nhiệm"
    DISMISSAL = "buoc_thoi_viec", "Buộc thôi việc"
    EXPULSION = "khai_tru", "Khai trừ"


class Discipline(PersonSection):
    """A disciplinary decision (Party, State or mass organisation)."""

    system = models.CharField("loại kỷ luật", max_length=12, choices=DisciplineSystem.choices)
    form = models.CharField("hình thức", max_length=20, choices=DisciplineForm.choices)
    decision_number = models.CharField("số quyết định", max_length=60)
    decision_date = models.DateField("ngày quyết định")
    effective_date = models.DateField("ngày có hiệu lực", null=True, blank=True)
    announced_date = models.DateField("ngày công bố", null=True, blank=True)
    issuing_body = models.CharField("cơ quan quyết định", max_length=200)
    violation = models.TextField("nội dung vi phạm")
    duty_related = models.BooleanField("vi phạm liên quan đến thực thi nhiệm vụ", default=True)

    class Meta:
        verbose_name = "kỷ luật"
        verbose_name_plural = "kỷ luật"
        ordering = ["person", "-decision_date"]

    def __str__(self) -> str:
        return f"{self.get_form_display()} ({self.get_system_display()}, {self.decision_date:%d/%m/%Y})"

    def clean(self) -> None:
        super().clean()
        if self.effective_date and self.decision_date and self.effective_date < self.decision_date:
            raise ValidationError({"effective_date": "Ngày hiệu lực không thể trước ngày quyết định."})
        if self.form and self.decision_date and self.system:
            from canbo.assessment.hooks import discipline_form_refusal

            refusal = discipline_form_refusal(self)
            if refusal:
                raise ValidationError({"form": refusal})


class RatingLevel(models.TextChoices):
    EXCELLENT = "htxs", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "htt", "Hoàn thành tốt nhiệm vụ"
    DONE = "ht", "Hoàn thành nhiệm vụ"
    NOT_DONE = "kht", "Không hoàn thành nhiệm vụ"


class RatingPeriod(models.TextChoices):
    YEAR = "nam", "Năm"
    HALF = "6_thang", "6 tháng"
    QUARTER = "quy", "Quý"
    TERM = "nhiem_ky", "Nhiệm kỳ"


class RatingSystem(models.TextChoices):
    """Who rates: the Party rates its members, the State its cadres, civil servants and public
    employees, a mass organisation its members. The codes are those of ``DisciplineSystem`` (one
    vocabulary of sides), the labels name the rating, not a discipline."""

    PARTY = "dang", "Xếp loại đảng viên"
    STATE = "chinh_quyen", "Xếp loại cán bộ, công chức, viên chức"
    MASS_ORG = "doan_the", "Xếp loại đoàn viên, hội viên"


class Rating(PersonSection):
    """A quality rating (đánh giá, xếp loại chất lượng), Party or State side."""

    system = models.CharField("loại đánh giá", max_length=12, choices=RatingSystem.choices)
    period = models.CharField("kỳ đánh giá", max_length=10, choices=RatingPeriod.choices, default="nam")
    year = models.PositiveSmallIntegerField(
        "năm", validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        "quý / nửa năm", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    level = models.CharField("mức xếp loại", max_length=4, choices=RatingLevel.choices)
    score = models.DecimalField(
        "điểm (thang 100)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    decision_date = models.DateField("ngày quyết định xếp loại", null=True, blank=True)
    rated_by = models.CharField("cấp đánh giá", max_length=200, blank=True)

    class Meta:
        verbose_name = "đánh giá, xếp loại"
        verbose_name_plural = "đánh giá, xếp loại"
        ordering = ["person", "-year", "system"]
        # the due list's KHT years (a rare level: 1.5% of a province's ratings) without a scan of
        # every rating, and without a visit of the table (covering: docs/performance.md, issue 17)
        indexes = [
            models.Index(
                fields=["level", "system", "period", "person", "year", "decision_date"],
                name="rating_level_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_level_display()}"


class VoteBody(models.TextChoices):
    """Who holds a confidence vote: a Party committee (QĐ 96), a People's Council (NQ 96/2023,
    V-8), or another meeting under QĐ 96 (the collective of an agency). Only a People's Council
    vote has V-8's consequences; the others have V-4 and V-5's."""

    PARTY_COMMITTEE = "cap_uy", "Hội nghị Ban Chấp hành đảng bộ"
    PEOPLES_COUNCIL = "hdnd", "Kỳ họp Hội đồng nhân dân"
    OTHER = "khac", "Hội nghị khác"


def vote_body_of(label: str) -> str:
    """The body a meeting's wording names (for records written before the body was a field, and
    import sheets without the column): a People's Council session (HĐND), a Party committee
    (Ban Chấp hành, cấp ủy, Đảng bộ), else another meeting."""
    text = " ".join(label.lower().replace("uỷ", "ủy").split())
    if "hội đồng nhân dân" in text or "hđnd" in text:
        return VoteBody.PEOPLES_COUNCIL
    party = ("ban chấp hành", "bch", "cấp ủy", "đảng ủy", "đảng bộ", "huyện ủy", "tỉnh ủy", "thành ủy")
    if any(w in text for w in party):
        return VoteBody.PARTY_COMMITTEE
    return VoteBody.OTHER


class ConfidenceVote(PersonSection):
    """A confidence vote on the person: the counts of RULES.md V-2…V-6, all three denominators;
    ``body`` names the meeting, ``body_kind`` says which body held it (V-8 reads it)."""

    vote_date = models.DateField("ngày lấy phiếu")
    body_kind = models.CharField("cơ quan lấy phiếu", max_length=8, choices=VoteBody.choices)
    body = models.CharField("hội nghị / kỳ họp", max_length=200)
    position = models.CharField("chức vụ được lấy phiếu", max_length=200)
    convened = models.PositiveIntegerField("số được triệu tập")
    present = models.PositiveIntegerField("số có mặt")
    ballots = models.PositiveIntegerField("số phiếu phát ra")
    high = models.PositiveIntegerField("tín nhiệm cao")
    medium = models.PositiveIntegerField("tín nhiệm")
    low = models.PositiveIntegerField("tín nhiệm thấp")

    class Meta:
        verbose_name = "lấy phiếu tín nhiệm"
        verbose_name_plural = "lấy phiếu tín nhiệm"
        ordering = ["person", "-vote_date"]

    def __str__(self) -> str:
        return f"Lấy phiếu {self.vote_date:%d/%m/%Y}"

    def clean(self) -> None:
        super().clean()
        if not self.body_kind and self.body:  # an import sheet without the column
            self.body_kind = vote_body_of(self.body)
        if None in (self.convened, self.present, self.ballots, self.high, self.medium, self.low):
            return
        if self.present > self.convened:
            raise ValidationError({"present": "Số có mặt không thể lớn hơn số được triệu tập."})
        if self.ballots > self.present:
            raise ValidationError({"ballots": "Số phiếu phát ra không thể lớn hơn số có mặt."})
        if self.high + self.medium + self.low > self.ballots:
            raise ValidationError({"low": "Tổng số phiếu ba mức vượt quá số phiếu phát ra."})


class PoliticalConclusion(PersonSection):
    """Conclusion on the political standard (kết luận tiêu chuẩn chính trị, RULES.md T-5): sensitive."""

    sensitive: ClassVar[bool] = True

    conclusion_date = models.DateField("ngày kết luận")
    issuing_body = models.CharField("cơ quan kết luận", max_length=200)
    meets_standard = models.BooleanField("đủ tiêu chuẩn chính trị", default=True)
    ceiling = models.CharField("mức trần (nếu có)", max_length=200, blank=True)
    content = models.TextField("nội dung kết luận", blank=True)

    class Meta:
        verbose_name = "kết luận tiêu chuẩn chính trị"
        verbose_name_plural = "kết luận tiêu chuẩn chính trị"
        ordering = ["person", "-conclusion_date"]

    def __str__(self) -> str:
        return f"Kết luận {self.conclusion_date:%d/%m/%Y}"
