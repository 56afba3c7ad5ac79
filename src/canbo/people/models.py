"""The person and the sections of his dossier (C1).

The person carries the identity fields of the national database's group 1 and of the 2C résumé
(items 1–8 and the service fields); every dated part of the dossier is its own record in a
section model, so that it can be listed, changed and audited on its own and read "as of" a date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from canbo.core.dates import (
    PRECISION_CHOICES,
    PRECISION_DAY,
    PRECISION_YEAR,
    age_at,
    format_date,
    format_partial_date,
    today,
)
from canbo.core.models import ScopedModel
from canbo.core.types import ActingUser
from canbo.org.models import AdminArea, Unit
from canbo.people import plausibility
from canbo.people.choices import (
    AssetDeclarationKind,
    AttachmentKind,
    Category,
    HealthStatus,
    PersonalHistoryKind,
    QualificationKind,
    Relation,
    ServiceEventKind,
    Sex,
    StudyMode,
    level_label,
    level_rank,
)
from canbo.people.fields import PersonalNameField
from canbo.people.validators import personal_id_conflicts, validate_personal_id


class Ethnicity(models.Model):
    """One of the 54 ethnic groups (GSO code list)."""

    code = models.CharField("mã", max_length=2, unique=True)
    name = models.CharField("tên dân tộc", max_length=50)

    class Meta:
        verbose_name = "dân tộc"
        verbose_name_plural = "dân tộc"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_minority(self) -> bool:
        return self.code != "01"


class Religion(models.Model):
    """A religion; "Không" is a value of its own (2C: never left blank)."""

    code = models.CharField("mã", max_length=3, unique=True)
    name = models.CharField("tên tôn giáo", max_length=80)

    class Meta:
        verbose_name = "tôn giáo"
        verbose_name_plural = "tôn giáo"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Person(ScopedModel):
    """A cadre, civil servant, public employee or elected deputy; his dossier's root.

    The personal identification number is the natural key (RULES.md N-3). The date of birth is
    stored as its earliest possible day plus a precision, so "1975" stays "1975" on every page
    while computations treat it as 1/1/1975 (RULES.md H-3). ``managing_unit`` is the unit that
    keeps the dossier; grants on its subtree cover the person.
    """

    personal_id = models.CharField(
        "số định danh cá nhân", max_length=12, unique=True, validators=[validate_personal_id]
    )
    # The identity card's issue date (2C item 25) and the social-insurance book number (item 26):
    # today's values, CanBo keeps no history of them.
    identity_issue_date = models.DateField("ngày cấp căn cước", null=True, blank=True)
    social_insurance_number = models.CharField(
        "số sổ BHXH",
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{10}$", "Số sổ bảo hiểm xã hội gồm đúng 10 chữ số.")],
    )
    dossier_number = models.CharField("số hiệu hồ sơ", max_length=40, blank=True)
    national_db_id = models.CharField("mã hồ sơ CSDL quốc gia", max_length=40, blank=True)

    full_name = PersonalNameField("họ và tên khai sinh", max_length=150)
    family_name = models.CharField("họ", max_length=50, editable=False, blank=True)
    middle_name = models.CharField("tên đệm", max_length=80, editable=False, blank=True)
    given_name = models.CharField("tên", max_length=50, editable=False)
    search_name = models.CharField("tên không dấu", max_length=150, editable=False, db_index=True)
    sort_key = models.CharField("khóa sắp xếp tên", max_length=400, editable=False, db_index=True, default="")
    other_names = PersonalNameField("tên gọi khác", max_length=150, blank=True)
    sex = models.CharField("giới tính", max_length=3, choices=Sex.choices)
    birth_date = models.DateField("ngày sinh")
    birth_precision = models.CharField(
        "độ chính xác ngày sinh", max_length=1, choices=PRECISION_CHOICES, default=PRECISION_DAY
    )

    birth_place = models.ForeignKey(
        AdminArea, verbose_name="nơi sinh", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    birth_place_text = models.CharField("nơi sinh (ghi đầy đủ)", max_length=255, blank=True)
    home_town = models.ForeignKey(
        AdminArea, verbose_name="quê quán", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    home_town_text = models.CharField("quê quán (ghi đầy đủ)", max_length=255, blank=True)
    residence = models.ForeignKey(
        AdminArea,
        verbose_name="nơi thường trú",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    residence_text = models.CharField("địa chỉ thường trú", max_length=255, blank=True)
    current_address = models.CharField("nơi ở hiện nay", max_length=255, blank=True)
    ethnicity = models.ForeignKey(Ethnicity, verbose_name="dân tộc", on_delete=models.PROTECT)
    religion = models.ForeignKey(Religion, verbose_name="tôn giáo", on_delete=models.PROTECT)
    social_origin = models.CharField("thành phần gia đình xuất thân", max_length=100, blank=True)
    occupation_before = models.CharField("nghề nghiệp khi được tuyển dụng", max_length=150, blank=True)
    general_education = models.CharField(
        "giáo dục phổ thông",
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{1,2}/\d{1,2}$", "Ghi theo dạng 12/12 hoặc 10/10.")],
    )

    category = models.CharField("đối tượng", max_length=20, choices=Category.choices)
    managing_unit = models.ForeignKey(
        Unit, verbose_name="đơn vị quản lý hồ sơ", on_delete=models.PROTECT, related_name="dossiers"
    )
    # Derived from the service events (``people.service_history.refresh``), kept for the 2C
    # résumé and the readers that know no events: the first recruitment, the last exit.
    recruitment_date = models.DateField("ngày tuyển dụng", null=True, blank=True, editable=False)
    recruiting_agency = models.CharField("cơ quan tuyển dụng", max_length=200, blank=True)
    revolution_date = models.DateField("ngày tham gia cách mạng", null=True, blank=True)
    job_position = models.CharField("vị trí việc làm", max_length=200, blank=True)
    # The catalogue's entry (org.JobPosition); the free text above stays for what imports and
    # older records wrote.
    job_position_entry = models.ForeignKey(
        "org.JobPosition",
        verbose_name="vị trí việc làm theo danh mục",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="persons",
    )
    grade_name = models.CharField("ngạch/chức danh nghề nghiệp", max_length=100, blank=True)
    grade_code = models.CharField("mã ngạch", max_length=20, blank=True)
    salary_step = models.PositiveSmallIntegerField("bậc lương", null=True, blank=True)
    salary_coefficient = models.DecimalField(
        "hệ số lương", max_digits=4, decimal_places=2, null=True, blank=True
    )
    position_allowance = models.DecimalField(
        "phụ cấp chức vụ", max_digits=4, decimal_places=2, null=True, blank=True
    )
    enlistment_date = models.DateField("ngày nhập ngũ", null=True, blank=True)
    discharge_date = models.DateField("ngày xuất ngũ", null=True, blank=True)
    military_rank = models.CharField("quân hàm cao nhất", max_length=50, blank=True)
    honorary_title = models.CharField("danh hiệu được phong tặng", max_length=150, blank=True)
    strengths = models.CharField("sở trường công tác", max_length=255, blank=True)
    policy_status = models.CharField("thương binh, gia đình chính sách", max_length=150, blank=True)
    left_service_date = models.DateField("ngày thôi công tác", null=True, blank=True, editable=False)
    left_service_reason = models.CharField("lý do thôi công tác", max_length=200, blank=True, editable=False)
    # The envelope of the periods of service, derived from the service events: in service from
    # ``service_from`` (None: not known, taken as the 18th birthday) until the day before
    # ``service_until`` (None: still serving), ended by an exit of ``service_end_kind``. Gaps
    # between periods are in ``ServiceGap``. ``people.service_history.in_service_q`` reads them.
    service_from = models.DateField("công tác từ", null=True, blank=True, editable=False)
    service_until = models.DateField("thôi công tác từ", null=True, blank=True, editable=False)
    # Nullable, unlike the other text fields: a NOT NULL column makes SQLite rebuild the table,
    # which drops the name-word triggers of migration 0009.
    service_end_kind = models.CharField(
        "hình thức thôi công tác",
        max_length=10,
        choices=ServiceEventKind.choices,
        null=True,
        blank=True,
        editable=False,
    )
    is_synthetic = models.BooleanField("dữ liệu mẫu (tổng hợp)", default=False, editable=False)

    scope_unit_path: ClassVar[str] = "managing_unit__path"
    scope_person: ClassVar[str | None] = "pk"

    class Meta:
        verbose_name = "cán bộ"
        verbose_name_plural = "cán bộ"
        ordering = ["sort_key", "id"]
        indexes = [
            # Covering index for the indicator engine (canbo.indicators.engine): the few columns
            # its conditions read, so that each population row's person is an index-only probe
            # instead of a scan of the whole (wide) table. docs/performance.md, "Indicators".
            # With the service columns, "in service on the date" (``service_history.in_service_q``)
            # reads from it too, and so does the count of everybody in service (home page, lists).
            models.Index(
                fields=[
                    "id",
                    "birth_date",
                    "sex",
                    "ethnicity",
                    "home_town",
                    "category",
                    "service_from",
                    "service_until",
                ],
                name="people_person_indicators",
            ),
            # Births in a window: who retires within the career calendar's months (rules
            # selectors ``calendar_events``), instead of a scan of every person.
            models.Index(fields=["birth_date"], name="people_person_birth"),
            # The few known by their birth year only (H-3): the calendar's year branch reads
            # them alone, not every person born that year (2.4 against 0.5 ms at 40,000).
            models.Index(
                fields=["birth_date"],
                name="people_person_birth_year_only",
                condition=models.Q(birth_precision=PRECISION_YEAR),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def audit_person_id(self) -> int | None:
        return self.pk

    @property
    def birth_display(self) -> str:
        return format_partial_date(self.birth_date, self.birth_precision)

    def age_on(self, day: dt.date) -> int:
        return age_at(self.birth_date, day)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.birth_date and self.birth_date.year < 1900:
            errors["birth_date"] = "Năm sinh không hợp lý (trước 1900)."
        if self.birth_date and self.birth_date > today():
            errors["birth_date"] = "Ngày sinh không thể ở tương lai."
        pid = self.personal_id
        if pid and pid.isascii() and pid.isdigit() and len(pid) == 12 and self.birth_date:
            msg = personal_id_conflicts(self.personal_id, sex=self.sex, birth=self.birth_date)
            if msg:
                errors["personal_id"] = msg
        if self.identity_issue_date and self.identity_issue_date > today():
            errors["identity_issue_date"] = "Ngày cấp căn cước không thể ở tương lai."
        elif self.identity_issue_date and self.birth_date and self.identity_issue_date < self.birth_date:
            errors["identity_issue_date"] = "Ngày cấp căn cước phải sau ngày sinh."
        if self.discharge_date and self.enlistment_date and self.discharge_date < self.enlistment_date:
            errors["discharge_date"] = "Ngày xuất ngũ phải sau ngày nhập ngũ."
        for name, msg in plausibility.person_errors(self).items():
            errors.setdefault(name, msg)
        if errors:
            raise ValidationError(errors)


class ServiceGap(models.Model):
    """A time out of service between two periods (moved away and back, retired and re-hired):
    not in service from ``start`` until the day before ``end``. Derived from the service events
    by ``people.service_history.refresh`` (never edited, hence not audited); rare, so the
    "in service" filter's anti-join on it costs nothing."""

    person = models.ForeignKey("Person", on_delete=models.CASCADE, related_name="service_gaps")
    start = models.DateField()
    end = models.DateField()
    kind = models.CharField(max_length=10, choices=ServiceEventKind.choices)

    class Meta:
        indexes = [models.Index(fields=["start", "end"])]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.start}–{self.end}"


class PersonSection(ScopedModel):
    """Base of every dossier section: belongs to one person, scoped through him.

    ``clean()`` checks the section's dates against the person's birth and the present
    (``people.plausibility``); every section's own ``clean()`` calls it first.
    """

    person = models.ForeignKey(Person, verbose_name="cán bộ", on_delete=models.CASCADE)

    # (date of birth, precision) of the person, set by the import, which knows it for every row
    # without reading the person; None: read from ``person`` when there is one.
    holder_birth: tuple[dt.date, str] | None = None

    # A section's changes are read on its person's history: his name on every line is noise.
    history_hidden: ClassVar[tuple[str, ...]] = ("person",)

    class Meta:
        abstract = True

    def after_section_write(self, acting_user: ActingUser) -> None:
        """Called by ``people.services`` after this record was created, changed or deleted, in
        the same transaction (a section from which person fields are derived keeps them in
        step here)."""

    def clean(self) -> None:
        super().clean()
        birth = self.holder_birth
        if birth is None and self.person_id is not None:
            birth = (self.person.birth_date, self.person.birth_precision)
        errors = plausibility.date_errors(self, *(birth or (None, PRECISION_DAY)))
        if errors:
            raise ValidationError(errors)


def _check_order(start: dt.date | None, end: dt.date | None, field: str = "end_date") -> None:
    if start and end and end < start:
        raise ValidationError({field: "Ngày kết thúc phải sau ngày bắt đầu."})


class Qualification(PersonSection):
    """A qualification: professional, political theory, state management, foreign language, IT,
    ethnic-minority language, defence or other training; with level, field, institution, mode
    and the date obtained (only qualifications obtained by a date count as of that date)."""

    kind = models.CharField("loại", max_length=20, choices=QualificationKind.choices)
    level = models.CharField("trình độ", max_length=25)
    level_rank = models.PositiveSmallIntegerField("thứ bậc trình độ", editable=False, default=0)
    original_name = models.CharField("tên văn bằng, chứng chỉ (như ghi)", max_length=200, blank=True)
    field_of_study = models.CharField("chuyên ngành", max_length=200, blank=True)
    language = models.CharField("ngôn ngữ", max_length=50, blank=True)
    institution = models.CharField("cơ sở đào tạo", max_length=200, blank=True)
    mode = models.CharField("hình thức đào tạo", max_length=20, choices=StudyMode.choices, blank=True)
    start_date = models.DateField("bắt đầu học", null=True, blank=True)
    obtained_date = models.DateField("ngày cấp bằng")

    class Meta:
        verbose_name = "trình độ"
        verbose_name_plural = "trình độ đào tạo"
        ordering = ["person", "kind", "-level_rank", "obtained_date"]
        indexes = [
            models.Index(fields=["kind", "level_rank", "obtained_date"]),
            # Covering index for the indicator engine: a person's qualifications obtained by a
            # date, of some kinds and ranks, read from the index alone.
            models.Index(
                fields=["person", "kind", "level_rank", "obtained_date"], name="people_qual_indicators"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.level_display}"

    @property
    def level_display(self) -> str:
        return level_label(self.kind, self.level)

    @staticmethod
    def history_value(field: str, value: Any, snapshot: dict[str, Any]) -> str | None:
        """The level as its label in a history (canbo.core.history), as the page shows it."""
        if field == "level" and snapshot.get("kind"):
            return level_label(snapshot["kind"], value)
        return None

    def clean(self) -> None:
        super().clean()
        rank = level_rank(self.kind, self.level)
        if rank is None:
            raise ValidationError({"level": "Trình độ này không thuộc loại đã chọn."})
        # Stored so that "at or above a level" is an indexed comparison for lists and indicators.
        self.level_rank = rank
        if (
            self.kind in (QualificationKind.FOREIGN_LANGUAGE, QualificationKind.ETHNIC_LANGUAGE)
            and not self.language
        ):
            raise ValidationError({"language": "Ghi rõ ngôn ngữ."})
        _check_order(self.start_date, self.obtained_date, "obtained_date")


class WorkHistory(PersonSection):
    """One line of the work history as written in the old dossier (2C "Tóm tắt quá trình công tác")."""

    start_date = models.DateField("từ")
    start_precision = models.CharField(max_length=1, choices=PRECISION_CHOICES, default="m")
    end_date = models.DateField("đến", null=True, blank=True)
    end_precision = models.CharField(max_length=1, choices=PRECISION_CHOICES, default="m")
    description = models.CharField("chức danh, chức vụ, đơn vị công tác", max_length=500)

    class Meta:
        verbose_name = "quá trình công tác (hồ sơ gốc)"
        verbose_name_plural = "quá trình công tác (hồ sơ gốc)"
        ordering = ["person", "start_date"]

    def __str__(self) -> str:
        return f"{format_partial_date(self.start_date, self.start_precision)}: {self.description}"

    def clean(self) -> None:
        super().clean()
        _check_order(self.start_date, self.end_date)


class PartyMembership(PersonSection):
    """Party membership: admission, recognition as full member, leaving."""

    admission_date = models.DateField("ngày vào Đảng")
    official_date = models.DateField("ngày chính thức", null=True, blank=True)
    card_number = models.CharField("số thẻ đảng viên", max_length=20, blank=True)
    party_cell = models.CharField("chi bộ sinh hoạt", max_length=200, blank=True)
    left_date = models.DateField("ngày ra khỏi Đảng", null=True, blank=True)
    left_reason = models.CharField("lý do", max_length=200, blank=True)

    class Meta:
        verbose_name = "đảng tịch"
        verbose_name_plural = "đảng tịch"
        ordering = ["person", "admission_date"]

    def __str__(self) -> str:
        return f"Vào Đảng {format_date(self.admission_date)}"

    def clean(self) -> None:
        super().clean()
        _check_order(self.admission_date, self.official_date, "official_date")
        _check_order(self.admission_date, self.left_date, "left_date")


class FamilyRelation(PersonSection):
    """A family member (2C "Quan hệ gia đình"): sensitive."""

    sensitive: ClassVar[bool] = True

    relation = models.CharField("quan hệ", max_length=25, choices=Relation.choices)
    spouse_side = models.BooleanField("bên vợ/chồng", default=False)
    full_name = PersonalNameField("họ và tên", max_length=150)
    birth_year = models.PositiveSmallIntegerField(
        "năm sinh", null=True, blank=True, validators=[MinValueValidator(1880), MaxValueValidator(2100)]
    )
    details = models.CharField(
        "quê quán, nghề nghiệp, chức danh, chức vụ, đơn vị công tác, học tập, nơi ở",
        max_length=500,
        blank=True,
    )
    deceased = models.BooleanField("đã mất", default=False)

    class Meta:
        verbose_name = "quan hệ gia đình"
        verbose_name_plural = "quan hệ gia đình"
        # The 2C résumé's order: his own family (Bố, Mẹ, Vợ/chồng, Con, Anh chị em ruột), then
        # his spouse's; each relation in the order of ``Relation``, elders first within it.
        ordering = [
            "person",
            "spouse_side",
            models.Case(
                *(models.When(relation=value, then=rank) for rank, value in enumerate(Relation.values)),
                default=len(Relation.values),
                output_field=models.PositiveSmallIntegerField(),
            ).asc(),
            "birth_year",
            "id",
        ]

    def __str__(self) -> str:
        return f"{self.get_relation_display()}: {self.full_name}"


class PersonalHistory(PersonSection):
    """Personal history (2C "Đặc điểm lịch sử bản thân"): sensitive."""

    sensitive: ClassVar[bool] = True

    kind = models.CharField("nội dung", max_length=25, choices=PersonalHistoryKind.choices)
    period = models.CharField("thời gian", max_length=100, blank=True)
    description = models.TextField("chi tiết")

    class Meta:
        verbose_name = "lịch sử bản thân"
        verbose_name_plural = "lịch sử bản thân"
        ordering = ["person", "kind"]

    def __str__(self) -> str:
        return self.get_kind_display()


class HealthRecord(PersonSection):
    """A health check: status, height, weight, blood group."""

    check_date = models.DateField("ngày khám")
    status = models.CharField("tình trạng sức khỏe", max_length=12, choices=HealthStatus.choices)
    height_cm = models.PositiveSmallIntegerField(
        "chiều cao (cm)", null=True, blank=True, validators=[MinValueValidator(100), MaxValueValidator(230)]
    )
    weight_kg = models.PositiveSmallIntegerField(
        "cân nặng (kg)", null=True, blank=True, validators=[MinValueValidator(30), MaxValueValidator(250)]
    )
    blood_group = models.CharField(
        "nhóm máu",
        max_length=3,
        blank=True,
        choices=[("A", "A"), ("B", "B"), ("AB", "AB"), ("O", "O")],
    )
    notes = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "sức khỏe"
        verbose_name_plural = "sức khỏe"
        ordering = ["person", "-check_date"]

    def __str__(self) -> str:
        return f"Khám {format_date(self.check_date)}: {self.get_status_display()}"


class AssetDeclaration(PersonSection):
    """An asset and income declaration (kê khai tài sản, thu nhập): sensitive."""

    sensitive: ClassVar[bool] = True

    kind = models.CharField("loại kê khai", max_length=20, choices=AssetDeclarationKind.choices)
    year = models.PositiveSmallIntegerField(
        "năm", validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    declared_date = models.DateField("ngày kê khai")
    receiving_body = models.CharField("cơ quan tiếp nhận", max_length=200, blank=True)
    summary = models.TextField("tóm tắt", blank=True)

    class Meta:
        verbose_name = "kê khai tài sản, thu nhập"
        verbose_name_plural = "kê khai tài sản, thu nhập"
        ordering = ["person", "-declared_date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"


class Attachment(PersonSection):
    """A scanned document or photo. The bytes live on disk under MEDIA_ROOT, named by their
    SHA-256 checksum; the database keeps only the reference and the checksum."""

    kind = models.CharField("loại tài liệu", max_length=20, choices=AttachmentKind.choices)
    title = models.CharField("tên tài liệu", max_length=200)
    storage_name = models.CharField("tệp lưu trữ", max_length=200, editable=False)
    sha256 = models.CharField("mã kiểm tra SHA-256", max_length=64, editable=False)
    size = models.PositiveBigIntegerField("dung lượng (byte)", editable=False)
    content_type = models.CharField("kiểu tệp", max_length=100, editable=False)
    original_name = models.CharField("tên tệp gốc", max_length=255, editable=False)

    class Meta:
        verbose_name = "tài liệu đính kèm"
        verbose_name_plural = "tài liệu đính kèm"
        ordering = ["person", "-created"]

    def __str__(self) -> str:
        return self.title


class ServiceEvent(PersonSection):
    """A dated event of the person's service in the province: recruitment, transfer in,
    transfer out, retirement, resignation or dismissal, death; with its decision. The periods
    of service (``Person.service_from``/``service_until``, ``ServiceGap``) are derived from
    these by ``people.service_history.refresh``, which every write of an event calls."""

    kind = models.CharField("sự kiện", max_length=10, choices=ServiceEventKind.choices)
    event_date = models.DateField("ngày hiệu lực")
    decision_number = models.CharField("số quyết định", max_length=50, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    issuing_body = models.CharField("cơ quan quyết định", max_length=200, blank=True)
    details = models.CharField("lý do, nơi đến/đi, ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "sự kiện công tác"
        verbose_name_plural = "tuyển dụng, chuyển đến/đi, nghỉ hưu, thôi việc"
        ordering = ["person", "event_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {format_date(self.event_date)}"

    def clean(self) -> None:
        super().clean()
        person = getattr(self, "person", None) if self.person_id else None
        if (
            self.event_date
            and person is not None
            and person.birth_date
            and self.event_date < person.birth_date
        ):
            raise ValidationError({"event_date": "Ngày hiệu lực không thể trước ngày sinh."})
        # Only a retirement may be recorded ahead (the planned date of the decision).
        if self.event_date and self.kind != ServiceEventKind.RETIREMENT and self.event_date > today():
            raise ValidationError({"event_date": "Ngày hiệu lực không thể ở tương lai."})
        if self.decision_date and self.decision_date > today():
            raise ValidationError({"decision_date": "Ngày quyết định không thể ở tương lai."})
