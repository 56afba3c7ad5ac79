"""Facts the validators read: plain dataclasses, built by the Django side from the dossier.

``None`` always means "not on file": a validator that needs it answers ``cannot_decide``, never a
silent pass. Codes are those of the dossier (sex "nam"/"nu", discipline systems "dang"/
"chinh_quyen", forms "khien_trach", ...), so the Django side passes them through unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

MALE = "nam"
FEMALE = "nu"

PARTY = "dang"
STATE = "chinh_quyen"


@dataclass(frozen=True)
class Birth:
    """Sex and date of birth, full or partial (month and day may be unknown; RULES.md H-3)."""

    sex: str
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def precision(self) -> str:
        return "d" if self.day else ("m" if self.month else "y")

    def display(self) -> str:
        if self.day and self.month:
            return f"{self.day:02d}/{self.month:02d}/{self.year}"
        if self.month:
            return f"{self.month:02d}/{self.year}"
        return str(self.year)


@dataclass(frozen=True)
class RetirementOverride:
    """A per-person retirement month decided by the authority (RULES.md H-5, H-6)."""

    year: int
    month: int
    kind: str
    basis: str = ""


@dataclass(frozen=True)
class TitleInfo:
    """A title of the catalogue: ``rank`` orders seniority (higher is more senior)."""

    code: str
    name: str
    rank: int | None
    level: str = ""
    group: str = ""
    is_leader: bool = False
    head_kind: str = ""


@dataclass(frozen=True)
class TenureFact:
    """A post held: title, unit, from the decision's effective date to the last day held."""

    title: TitleInfo
    unit_id: int | None
    unit_name: str
    start: dt.date
    end: dt.date | None = None
    kind: str = ""
    is_primary: bool = True
    decision: str = ""


@dataclass(frozen=True)
class DisciplineFact:
    system: str
    form: str
    decision_date: dt.date
    effective_date: dt.date | None = None
    announced_date: dt.date | None = None
    decision: str = ""
    duty_related: bool = True

    @property
    def label(self) -> str:
        return f"{FORM_LABELS.get(self.form, self.form)} ({SYSTEM_LABELS.get(self.system, self.system)})"


@dataclass(frozen=True)
class PoliticalFact:
    """The political-standard conclusion (RULES.md T-5)."""

    conclusion_date: dt.date
    meets_standard: bool
    ceiling: str = ""
    body: str = ""


@dataclass(frozen=True)
class RatingFact:
    system: str
    year: int
    level: str
    decision_date: dt.date | None = None
    period: str = "nam"  # nam (yearly), 6_thang, quy, nhiem_ky

    @property
    def period_is_year(self) -> bool:
        return self.period == "nam"


@dataclass(frozen=True)
class HealthFact:
    check_date: dt.date
    status: str  # tot / kha / trung_binh / yeu


@dataclass(frozen=True)
class MembershipFact:
    kind: str  # cap_uy / ban_thuong_vu / hdnd / doan_the
    start: dt.date
    end: dt.date | None = None


@dataclass(frozen=True)
class PlanningFact:
    """One entry of a planning list (quy hoạch): the title planned, from ``added_on`` to the day
    before ``removed_on`` (the first day out)."""

    title: TitleInfo
    list_name: str
    term: str  # "2025–2030"
    added_on: dt.date
    removed_on: dt.date | None = None
    decision: str = ""
    removal_reason: str = ""

    def in_force(self, day: dt.date) -> bool:
        return self.added_on <= day and (self.removed_on is None or self.removed_on > day)

    def covers(self, title: TitleInfo) -> bool:
        """Planned for ``title`` or an equivalent or higher one (the same title, or a rank at
        least as high)."""
        if self.title.code == title.code:
            return True
        return self.title.rank is not None and title.rank is not None and self.title.rank >= title.rank


@dataclass(frozen=True)
class RetirementNoticeFact:
    """A retirement notice or decision recorded as issued (H-8), read for H-9."""

    kind: str  # "thong_bao" (notice) | "quyet_dinh" (decision)
    number: str
    issued_on: dt.date


@dataclass(frozen=True)
class PersonFacts:
    """Everything the validators may read about one person."""

    person_id: int | None
    name: str
    birth: Birth | None
    override: RetirementOverride | None = None
    tenures: tuple[TenureFact, ...] = ()
    disciplines: tuple[DisciplineFact, ...] = ()
    political: tuple[PoliticalFact, ...] = ()
    ratings: tuple[RatingFact, ...] = ()
    health: tuple[HealthFact, ...] = ()
    memberships: tuple[MembershipFact, ...] = ()
    is_party_member: bool | None = None
    # The planning entries read from the dossier (the lists the user may see); None = not read,
    # so that planning is a declared fact (the command line, a caller without the database).
    planning: tuple[PlanningFact, ...] | None = None
    # Retirement notices and decisions recorded as issued (H-9); none recorded = none issued.
    retirement_notices: tuple[RetirementNoticeFact, ...] = ()


@dataclass(frozen=True)
class Declared:
    """Facts the dossier does not hold (yet), declared by the officer for one check.

    None = not declared: rules that need them answer cannot_decide.
    """

    # In the planning list for the title (or equivalent/higher). The check page reads it from the
    # dossier (``PersonFacts.planning``); a declaration here is for callers without it.
    planned_for_title: bool | None = None
    pending_discipline: bool | None = None  # under discipline consideration, investigation, trial
    open_proposal_same_title: bool | None = None  # P-3
    people_planned_for_title: int | None = None  # P-2, counting this person
    titles_planned_same_level: int | None = None  # P-2, counting this title
    rotation_purpose: str = ""  # "" | khong_dia_phuong | han_nhiem_ky
    rotation_months: int | None = None  # planned duration
    planned_term_start: dt.date | None = None  # P-5 measuring date (default: event date)
    external: bool = False  # candidate from elsewhere
    extra: dict[str, str] = field(default_factory=dict)


FORM_LABELS = {
    "khien_trach": "Khiển trách",
    "canh_cao": "Cảnh cáo",
    "ha_bac_luong": "Hạ bậc lương",
    "giang_chuc": "Giáng chức",
    "cach_chuc": "Cách chức",
    "bai_nhiem": "Bãi nhiệm",
    "buoc_thoi_viec": "Buộc thôi việc",
    "khai_tru": "Khai trừ",
    "giai_tan": "Giải tán",
}
SYSTEM_LABELS = {PARTY: "kỷ luật Đảng", STATE: "kỷ luật chính quyền", "doan_the": "kỷ luật đoàn thể"}
RATING_LABELS = {
    "htxs": "Hoàn thành xuất sắc nhiệm vụ",
    "htt": "Hoàn thành tốt nhiệm vụ",
    "ht": "Hoàn thành nhiệm vụ",
    "kht": "Không hoàn thành nhiệm vụ",
}
RATING_ORDER = {"kht": 0, "ht": 1, "htt": 2, "htxs": 3}
