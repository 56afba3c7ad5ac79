"""Values as people write them in their sheets: dates, sex, levels, yes/no, codes or names.

Each parser takes the raw cell value (``str``, ``int``, ``float``, ``datetime``, ``bool`` or
None, as ``reader.Sheet.rows`` gives it, i.e. as openpyxl did) and returns the stored value, or
raises ``ParseError`` with a Vietnamese message. Reference lists (units, titles, ethnic groups,
religions) are looked up in ``References``, loaded once per import.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from canbo.core.dates import (
    PARTIAL_DATE_HELP,
    PRECISION_DAY,
    PRECISION_MONTH,
    PRECISION_YEAR,
    parse_partial_date,
)
from canbo.core.text import fold, normalize_name
from canbo.people.choices import QUALIFICATION_LEVELS, Category, QualificationKind, Relation, StudyMode


class ParseError(ValueError):
    """A cell value that cannot be read; ``message`` is Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=65536)
def key(text: str) -> str:
    """Compare key: accents, case, spaces and punctuation ignored ("Th.S" → "ths", "ĐH" → "dh")."""
    return _NON_ALNUM.sub("", fold(text))


def words(text: str) -> str:
    """Like ``key`` but keeps word boundaries as single spaces ("Họ và tên:" → "ho va ten")."""
    return " ".join(_NON_ALNUM.sub(" ", fold(text)).split())


def show(value: Any) -> str:
    """A cell value quoted for a message, cut short if long."""
    text = value.strftime("%d/%m/%Y") if isinstance(value, dt.date | dt.datetime) else str(value)
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# -- text and numbers -------------------------------------------------------------------------


def text(value: Any) -> str:
    """Any cell as text; whole numbers lose their ".0" (Excel stores 125 as 125.0)."""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return normalize_name(str(value)) if isinstance(value, str) else str(value)


def personal_id(value: Any) -> str:
    """12 digits. A number cell lost its leading zeros in Excel: they are put back."""
    if isinstance(value, bool):
        raise ParseError("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise ParseError("Số định danh cá nhân phải gồm đúng 12 chữ số.")
        digits = str(int(value))
        return digits.zfill(12) if len(digits) <= 12 else digits
    raw = str(value).strip().replace(" ", "").replace(".", "")
    if raw.startswith("'"):
        raw = raw[1:]
    return raw


def integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ParseError(f"Cần một số nguyên, không phải {show(value)}.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raw = str(value).strip()
    if re.fullmatch(r"[+-]?\d+", raw):
        return int(raw)
    raise ParseError(f"Cần một số nguyên, không phải {show(value)}.")


def decimal(value: Any) -> Decimal:
    """A decimal number: 2.34, "2,34" or "2.34"."""
    if isinstance(value, bool):
        raise ParseError(f"Cần một số, không phải {show(value)}.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raw = str(value).strip().replace(" ", "")
    if re.fullmatch(r"[+-]?\d+([.,]\d+)?", raw):
        try:
            return Decimal(raw.replace(",", "."))
        except InvalidOperation:
            pass
    raise ParseError(f"Cần một số (ví dụ 2,34), không phải {show(value)}.")


_TRUE = {"co", "x", "1", "true", "dung", "yes", "v", "c"}
_FALSE = {"khong", "0", "false", "sai", "no", "k"}


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    k = key(str(value))
    if k in _TRUE:
        return True
    if k in _FALSE:
        return False
    raise ParseError(f"Ghi “Có” hoặc “Không”, không phải {show(value)}.")


# -- dates ------------------------------------------------------------------------------------

# Plain numbers in this range are years as written ("1980"), not Excel serial dates (which
# would be days in 1905–1960 and are never meant).
YEAR_MIN, YEAR_MAX = 1800, 2200
_EXCEL_EPOCH = dt.date(1899, 12, 30)

DATE_HELP = PARTIAL_DATE_HELP


def partial_date(value: Any) -> tuple[dt.date, str]:
    """(earliest day, precision) from an Excel date, a serial number, or text as written.

    Accepted: a date cell; an Excel serial number; text in the one grammar of
    ``core.dates.parse_partial_date`` (the person form reads the same spellings).
    """
    if isinstance(value, dt.datetime):
        return value.date(), PRECISION_DAY
    if isinstance(value, dt.date):
        return value, PRECISION_DAY
    if isinstance(value, bool):
        raise ParseError(f"Ngày không hợp lệ: {show(value)}. {DATE_HELP}")
    if isinstance(value, int | float):
        if float(value).is_integer() and YEAR_MIN <= value <= YEAR_MAX:
            return dt.date(int(value), 1, 1), PRECISION_YEAR
        if 1 <= value < 2_958_466:  # Excel's range: 1/1/1900 … 31/12/9999
            # Serial 60 is Excel's fictitious 29/2/1900; dates after it count from 30/12/1899.
            days = int(value)
            return _EXCEL_EPOCH + dt.timedelta(days=days if days > 60 else days + 1), PRECISION_DAY
        raise ParseError(f"Ngày không hợp lệ: {show(value)}. {DATE_HELP}")
    try:
        return parse_partial_date(str(value))
    except ValidationError as exc:
        raise ParseError(exc.messages[0]) from None


def date(value: Any) -> dt.date:
    """A start-like date: a month or year alone means its first day."""
    day, _precision = partial_date(value)
    return day


def end_date(value: Any) -> dt.date:
    """An end date ("đến hết"): a month or year alone means its last day."""
    day, precision = partial_date(value)
    if precision == PRECISION_MONTH:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision == PRECISION_YEAR:
        return day.replace(month=12, day=31)
    return day


def year(value: Any) -> int:
    """A year, or the year of a date."""
    day, _precision = partial_date(value)
    return day.year


# -- enumerations ---------------------------------------------------------------------------


def _choice_parser(table: dict[str, str], what: str, accepted: Iterable[str]) -> Callable[[Any], str]:
    help_text = "; ".join(accepted)

    def parse(value: Any) -> str:
        found = table.get(key(text(value)))
        if found is None:
            raise ParseError(f"{what} không hợp lệ: {show(value)}. Dùng một trong: {help_text}.")
        return found

    return parse


def _table(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {key(k): v for k, v in pairs}


SEX_TABLE = _table(
    [("nam", "nam"), ("nữ", "nu"), ("nu", "nu"), ("m", "nam"), ("f", "nu"), ("male", "nam"), ("female", "nu")]
)
sex = _choice_parser(SEX_TABLE, "Giới tính", ["Nam", "Nữ"])


def _with_labels(choices: Any, extra: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    pairs = [(c.value, c.value) for c in choices] + [(c.label, c.value) for c in choices]
    return _table([*pairs, *extra])


category = _choice_parser(
    _with_labels(
        Category,
        [
            ("CB", "can_bo"),
            ("CC", "cong_chuc"),
            ("VC", "vien_chuc"),
            ("Đại biểu", "dai_bieu"),
            ("Đại biểu HĐND", "dai_bieu"),
            ("Không chuyên trách", "khong_chuyen_trach"),
            ("KCT", "khong_chuyen_trach"),
        ],
    ),
    "Đối tượng",
    [c.label for c in Category],
)

study_mode = _choice_parser(
    _with_labels(
        StudyMode, [("Chính qui", "chinh_quy"), ("VLVH", "vua_lam_vua_hoc"), ("Tập trung", "chinh_quy")]
    ),
    "Hình thức đào tạo",
    [c.label for c in StudyMode],
)

_RELATIONS = [
    ("Bố", "bo"),
    ("Cha", "bo"),
    ("Bố đẻ", "bo"),
    ("Cha đẻ", "bo"),
    ("Mẹ", "me"),
    ("Mẹ đẻ", "me"),
    ("Má", "me"),
    ("Vợ", "vo_chong"),
    ("Chồng", "vo_chong"),
    ("Con", "con"),
    ("Con trai", "con"),
    ("Con gái", "con"),
    ("Anh", "anh_chi_em"),
    ("Chị", "anh_chi_em"),
    ("Em", "anh_chi_em"),
    ("Anh trai", "anh_chi_em"),
    ("Chị gái", "anh_chi_em"),
    ("Em trai", "anh_chi_em"),
    ("Em gái", "anh_chi_em"),
    ("Anh ruột", "anh_chi_em"),
    ("Chị ruột", "anh_chi_em"),
    ("Em ruột", "anh_chi_em"),
    ("Bố vợ", "bo_vo_chong"),
    ("Bố chồng", "bo_vo_chong"),
    ("Cha vợ", "bo_vo_chong"),
    ("Cha chồng", "bo_vo_chong"),
    ("Mẹ vợ", "me_vo_chong"),
    ("Mẹ chồng", "me_vo_chong"),
    ("Anh vợ", "anh_chi_em_vo_chong"),
    ("Chị vợ", "anh_chi_em_vo_chong"),
    ("Em vợ", "anh_chi_em_vo_chong"),
    ("Anh chồng", "anh_chi_em_vo_chong"),
    ("Chị chồng", "anh_chi_em_vo_chong"),
    ("Em chồng", "anh_chi_em_vo_chong"),
]
relation = _choice_parser(
    _with_labels(Relation, _RELATIONS),
    "Quan hệ",
    ["Bố", "Mẹ", "Vợ", "Chồng", "Con", "Anh", "Chị", "Em", "Bố vợ", "Mẹ chồng…", "Khác"],
)
SPOUSE_SIDE_RELATIONS = frozenset({"bo_vo_chong", "me_vo_chong", "anh_chi_em_vo_chong"})


@functools.cache
def _tenure_kind_parser() -> Callable[[Any], str]:
    from canbo.careers.models import TenureKind

    table = _with_labels(
        TenureKind,
        [
            ("Tuyển dụng", "tuyen_dung"),
            ("Tiếp nhận", "tuyen_dung"),
            ("Sắp xếp", "sap_xep"),
            ("Bầu cử", "bau"),
        ],
    )
    return _choice_parser(table, "Hình thức", [c.label for c in TenureKind])


def tenure_kind(value: Any) -> str:
    return _tenure_kind_parser()(value)


@functools.cache
def _body_kind_parser() -> Callable[[Any], str]:
    from canbo.careers.models import BodyKind

    extra = [
        ("BTV", "ban_thuong_vu"),
        ("Ban Thường vụ", "ban_thuong_vu"),
        ("Thường vụ", "ban_thuong_vu"),
        ("HĐND", "hdnd"),
        ("Đoàn thể", "doan_the"),
        ("Cấp ủy", "cap_uy"),
        ("Cấp uỷ", "cap_uy"),
        ("Ban chấp hành", "cap_uy"),
        ("BCH", "cap_uy"),
    ]
    return _choice_parser(_with_labels(BodyKind, extra), "Loại", [c.label for c in BodyKind])


def body_kind(value: Any) -> str:
    return _body_kind_parser()(value)


@functools.cache
def _discipline_system_parser() -> Callable[[Any], str]:
    from canbo.assessment.models import DisciplineSystem

    extra = [
        ("Đảng", "dang"),
        ("Chính quyền", "chinh_quyen"),
        ("Nhà nước", "chinh_quyen"),
        ("Đoàn thể", "doan_the"),
    ]
    return _choice_parser(
        _with_labels(DisciplineSystem, extra), "Hệ thống", ["Đảng", "Chính quyền", "Đoàn thể"]
    )


def discipline_system(value: Any) -> str:
    return _discipline_system_parser()(value)


@functools.cache
def _discipline_form_parser() -> Callable[[Any], str]:
    from canbo.assessment.models import DisciplineForm

    return _choice_parser(
        _with_labels(DisciplineForm), "Hình thức kỷ luật", [c.label for c in DisciplineForm]
    )


def discipline_form(value: Any) -> str:
    return _discipline_form_parser()(value)


@functools.cache
def _rating_period_parser() -> Callable[[Any], str]:
    from canbo.assessment.models import RatingPeriod

    extra = [("Hằng năm", "nam"), ("Hàng năm", "nam"), ("Nửa năm", "6_thang"), ("6 tháng đầu năm", "6_thang")]
    return _choice_parser(_with_labels(RatingPeriod, extra), "Kỳ đánh giá", [c.label for c in RatingPeriod])


def rating_period(value: Any) -> str:
    return _rating_period_parser()(value)


@functools.cache
def _rating_level_parser() -> Callable[[Any], str]:
    from canbo.assessment.models import RatingLevel

    extra = [
        ("HTXSNV", "htxs"),
        ("HTXS", "htxs"),
        ("Hoàn thành xuất sắc", "htxs"),
        ("HTTNV", "htt"),
        ("HTT", "htt"),
        ("Hoàn thành tốt", "htt"),
        ("HTNV", "ht"),
        ("HT", "ht"),
        ("Hoàn thành", "ht"),
        ("KHTNV", "kht"),
        ("KHT", "kht"),
        ("Không hoàn thành", "kht"),
    ]
    return _choice_parser(
        _with_labels(RatingLevel, extra), "Mức xếp loại", ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
    )


def rating_level(value: Any) -> str:
    return _rating_level_parser()(value)


@functools.cache
def _vote_body_parser() -> Callable[[Any], str]:
    from canbo.assessment.models import VoteBody

    extra = [
        ("Cấp ủy", "cap_uy"),
        ("Cấp uỷ", "cap_uy"),
        ("Ban Chấp hành", "cap_uy"),
        ("Đảng", "cap_uy"),
        ("HĐND", "hdnd"),
        ("Hội đồng nhân dân", "hdnd"),
        ("Khác", "khac"),
    ]
    return _choice_parser(
        _with_labels(VoteBody, extra), "Cơ quan lấy phiếu", ["Cấp ủy", "Hội đồng nhân dân", "Khác"]
    )


def vote_body(value: Any) -> str:
    return _vote_body_parser()(value)


# -- sheets added by issue 14 -------------------------------------------------------------------


def _people_choice(name: str) -> Any:
    from canbo.people import choices

    return getattr(choices, name)


@functools.cache
def _health_status_parser() -> Callable[[Any], str]:
    status = _people_choice("HealthStatus")
    return _choice_parser(
        _with_labels(status, [("Trung bình", "trung_binh"), ("TB", "trung_binh")]),
        "Tình trạng sức khỏe",
        [c.label for c in status],
    )


def health_status(value: Any) -> str:
    return _health_status_parser()(value)


blood_group = _choice_parser(
    _table([(g, g) for g in ("A", "B", "AB", "O")] + [("0", "O"), ("Nhóm A", "A"), ("Nhóm B", "B"),
                                                      ("Nhóm AB", "AB"), ("Nhóm O", "O")]),
    "Nhóm máu",
    ["A", "B", "AB", "O"],
)  # fmt: skip


@functools.cache
def _personal_history_kind_parser() -> Callable[[Any], str]:
    kind = _people_choice("PersonalHistoryKind")
    extra = [
        ("Bị bắt, bị tù", "bi_bat"),
        ("Bị bắt", "bi_bat"),
        ("Bị tù", "bi_bat"),
        ("Chế độ cũ", "che_do_cu"),
        ("Tổ chức nước ngoài", "to_chuc_nuoc_ngoai"),
        ("Quan hệ với tổ chức nước ngoài", "to_chuc_nuoc_ngoai"),
        ("Thân nhân nước ngoài", "than_nhan_nuoc_ngoai"),
        ("Có thân nhân ở nước ngoài", "than_nhan_nuoc_ngoai"),
    ]
    return _choice_parser(
        _with_labels(kind, extra),
        "Nội dung",
        ["Bị bắt, bị tù", "Làm việc trong chế độ cũ", "Tham gia hoặc có quan hệ với tổ chức nước ngoài",
         "Thân nhân ở nước ngoài", "Khác"],
    )  # fmt: skip


def personal_history_kind(value: Any) -> str:
    return _personal_history_kind_parser()(value)


@functools.cache
def _asset_declaration_kind_parser() -> Callable[[Any], str]:
    kind = _people_choice("AssetDeclarationKind")
    extra = [
        ("Lần đầu", "lan_dau"),
        ("Hằng năm", "hang_nam"),
        ("Hàng năm", "hang_nam"),
        ("Bổ sung", "bo_sung"),
        ("Phục vụ công tác cán bộ", "phuc_vu_can_bo"),
    ]
    accepted = ["Lần đầu", "Hằng năm", "Bổ sung", "Phục vụ công tác cán bộ"]
    return _choice_parser(_with_labels(kind, extra), "Loại kê khai", accepted)


def asset_declaration_kind(value: Any) -> str:
    return _asset_declaration_kind_parser()(value)


_MEETS = {"dutieuchuan": True, "du": True, "dat": True, "chuadutieuchuan": False, "khongdutieuchuan": False,
          "chuadu": False, "khongdu": False}  # fmt: skip


def meets_standard(value: Any) -> bool:
    """Whether the conclusion finds the political standard met: yes/no, or the words."""
    found = _MEETS.get(key(text(value)))
    if found is not None:
        return found
    try:
        return boolean(value)
    except ParseError:
        raise ParseError(
            f"Ghi “Có” (đủ tiêu chuẩn) hoặc “Không” (chưa đủ tiêu chuẩn), không phải {show(value)}."
        ) from None


_TERM = re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{4})$")


def term(value: Any) -> str:
    """A term "2020–2025" (any dash) stored with an en dash."""
    m = _TERM.match(text(value).replace("Nhiệm kỳ", "").replace("nhiệm kỳ", "").strip())
    if not m:
        raise ParseError(f"Nhiệm kỳ ghi dạng 2020–2025, không phải {show(value)}.")
    return f"{m[1]}–{m[2]}"


def general_education(value: Any) -> str:
    raw = text(value).replace(" ", "")
    if re.fullmatch(r"\d{1,2}/\d{1,2}", raw):
        return raw
    if re.fullmatch(r"\d{1,2}", raw):  # "12" means 12/12 in most sheets
        return f"{raw}/12" if int(raw) > 10 else f"{raw}/10"
    raise ParseError(f"Giáo dục phổ thông ghi dạng 12/12, không phải {show(value)}.")


# -- qualification kinds and levels -----------------------------------------------------------

QK = QualificationKind
_KIND_EXTRA = [
    ("CM", QK.PROFESSIONAL),
    ("Chuyên môn nghiệp vụ", QK.PROFESSIONAL),
    ("Trình độ chuyên môn", QK.PROFESSIONAL),
    ("LLCT", QK.POLITICAL_THEORY),
    ("Chính trị", QK.POLITICAL_THEORY),
    ("Lý luận", QK.POLITICAL_THEORY),
    ("QLNN", QK.STATE_MANAGEMENT),
    ("NN", QK.FOREIGN_LANGUAGE),
    ("Tiếng dân tộc", QK.ETHNIC_LANGUAGE),
    ("Quốc phòng an ninh", QK.DEFENCE),
    ("QPAN", QK.DEFENCE),
    ("Bồi dưỡng", QK.OTHER_TRAINING),
    ("Tin học", QK.IT),
    ("CNTT", QK.IT),
]
qualification_kind = _choice_parser(_with_labels(QK, _KIND_EXTRA), "Loại trình độ", [c.label for c in QK])

# Written forms of each level, besides its code and label (RULES.md §8: "cử nhân chính trị" and
# "cao cấp lý luận chính trị – hành chính" count as advanced; the original name is kept).
_LEVEL_SYNONYMS: dict[str, list[tuple[str, str]]] = {
    QK.PROFESSIONAL: [
        ("SC", "so_cap"),
        ("TC", "trung_cap"),
        ("TCCN", "trung_cap"),
        ("Trung học chuyên nghiệp", "trung_cap"),
        ("CĐ", "cao_dang"),
        ("ĐH", "dai_hoc"),
        ("CN", "dai_hoc"),
        ("Cử nhân", "dai_hoc"),
        ("Kỹ sư", "dai_hoc"),
        ("KS", "dai_hoc"),
        ("Bác sĩ", "dai_hoc"),
        ("BS", "dai_hoc"),
        ("Dược sĩ", "dai_hoc"),
        ("Kiến trúc sư", "dai_hoc"),
        ("Đại học trở lên", "dai_hoc"),
        ("ThS", "thac_si"),
        ("Thạc sỹ", "thac_si"),
        ("Cao học", "thac_si"),
        ("Bác sĩ chuyên khoa I", "thac_si"),
        ("BSCKI", "thac_si"),
        ("TS", "tien_si"),
        ("Tiến sỹ", "tien_si"),
        ("Bác sĩ chuyên khoa II", "tien_si"),
        ("BSCKII", "tien_si"),
        ("TSKH", "tskh"),
        ("Tiến sỹ khoa học", "tskh"),
    ],
    QK.POLITICAL_THEORY: [
        ("SC", "so_cap"),
        ("TC", "trung_cap"),
        ("CC", "cao_cap"),
        ("Cao cấp lý luận chính trị", "cao_cap"),
        ("Cao cấp chính trị", "cao_cap"),
        ("Trung cấp lý luận chính trị", "trung_cap"),
        ("Trung cấp chính trị", "trung_cap"),
        ("Sơ cấp lý luận chính trị", "so_cap"),
        ("Sơ cấp chính trị", "so_cap"),
        ("Cao cấp lý luận chính trị – hành chính", "cao_cap"),
        ("Cao cấp LLCT", "cao_cap"),
        ("Trung cấp LLCT", "trung_cap"),
        ("Sơ cấp LLCT", "so_cap"),
        ("Cao cấp LLCT-HC", "cao_cap"),
        ("Cử nhân chính trị", "cu_nhan"),
        ("CNCT", "cu_nhan"),
    ],
    QK.STATE_MANAGEMENT: [
        ("CV", "chuyen_vien"),
        ("CVC", "chuyen_vien_chinh"),
        ("CVCC", "chuyen_vien_cao_cap"),
        ("Tương đương chuyên viên", "chuyen_vien"),
        ("Tương đương chuyên viên chính", "chuyen_vien_chinh"),
        ("Tương đương chuyên viên cao cấp", "chuyen_vien_cao_cap"),
        ("Chuyên viên và tương đương", "chuyen_vien"),
        ("Chuyên viên chính và tương đương", "chuyen_vien_chinh"),
        ("Chuyên viên cao cấp và tương đương", "chuyen_vien_cao_cap"),
    ],
    QK.FOREIGN_LANGUAGE: [
        ("A", "a"),
        ("B", "b"),
        ("C", "c"),
        ("Trình độ A", "a"),
        ("Trình độ B", "b"),
        ("Trình độ C", "c"),
        ("Chứng chỉ A", "a"),
        ("Chứng chỉ B", "b"),
        ("Chứng chỉ C", "c"),
        ("Bậc 1", "a1"),
        ("Bậc 2", "a2"),
        ("Bậc 3", "b1"),
        ("Bậc 4", "b2"),
        ("Bậc 5", "c1"),
        ("Bậc 6", "c2"),
        ("Bậc 1/6", "a1"),
        ("Bậc 2/6", "a2"),
        ("Bậc 3/6", "b1"),
        ("Bậc 4/6", "b2"),
        ("Bậc 5/6", "c1"),
        ("Bậc 6/6", "c2"),
        ("Cử nhân", "dai_hoc"),
        ("Cử nhân ngoại ngữ", "dai_hoc"),
        ("Đại học", "dai_hoc"),
        ("ĐH", "dai_hoc"),
    ],
    QK.IT: [
        ("A", "a"),
        ("B", "b"),
        ("Trình độ A", "a"),
        ("Trình độ B", "b"),
        ("Cơ bản", "co_ban"),
        ("Ứng dụng CNTT cơ bản", "co_ban"),
        ("Chuẩn kỹ năng sử dụng CNTT cơ bản", "co_ban"),
        ("Nâng cao", "nang_cao"),
        ("Ứng dụng CNTT nâng cao", "nang_cao"),
        ("Cao đẳng", "cao_dang"),
        ("Đại học", "dai_hoc"),
        ("Đại học CNTT", "dai_hoc"),
    ],
    QK.ETHNIC_LANGUAGE: [("Chứng chỉ", "chung_chi"), ("Thành thạo", "thanh_thao")],
    QK.DEFENCE: [
        *((f"Đối tượng {n}", f"doi_tuong_{n}") for n in range(1, 5)),
        *((f"ĐT{n}", f"doi_tuong_{n}") for n in range(1, 5)),
        *((f"ĐT {n}", f"doi_tuong_{n}") for n in range(1, 5)),
    ],
    QK.OTHER_TRAINING: [("Chứng chỉ", "chung_chi"), ("Giấy chứng nhận", "chung_chi")],
}


def _level_tables() -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = {}
    for kind, levels in QUALIFICATION_LEVELS.items():
        pairs = [(code, code) for code, _l, _r in levels] + [(label, code) for code, label, _r in levels]
        # "Bậc 3 (B1)" is also written "B1" or "Bậc 3": the parts of a label in brackets.
        for code, label, _r in levels:
            if "(" in label:
                inner = label[label.index("(") + 1 : label.index(")")]
                pairs.append((inner, code))
                pairs.append((label[: label.index("(")], code))
        pairs += _LEVEL_SYNONYMS.get(kind, [])
        tables[str(kind)] = _table(pairs)
    return tables


LEVELS = _level_tables()


MAIN_KINDS = frozenset({QK.PROFESSIONAL, QK.POLITICAL_THEORY, QK.STATE_MANAGEMENT})


def level(value: Any, kind: str | None) -> tuple[str, str]:
    """(kind, level code) from a level as written, within ``kind`` or guessed when None.

    Without a kind the level must belong to one kind only ("Thạc sĩ", "B1", "Cao cấp");
    "Trung cấp" could be professional or political theory and needs the kind column.
    """
    k = key(text(value))
    if kind is not None:
        code = LEVELS.get(kind, {}).get(k)
        if code is None:
            label = QK(kind).label
            names = "; ".join(lbl for _c, lbl, _r in QUALIFICATION_LEVELS[kind])
            raise ParseError(f"Trình độ {show(value)} không thuộc loại “{label}”. Dùng một trong: {names}.")
        return kind, code
    found = [(kd, table[k]) for kd, table in LEVELS.items() if k in table]
    if len(found) > 1:
        # "ĐH", "CN", "Cao đẳng" written alone mean the professional degree, not a language or IT
        # level; between the three main kinds ("Trung cấp": professional or political theory?)
        # the kind must be written.
        main = [f for f in found if f[0] in MAIN_KINDS]
        if len(main) == 1:
            return main[0]
    if len(found) == 1:
        return found[0]
    if not found:
        raise ParseError(
            f"Không nhận ra trình độ {show(value)}. Ghi tên (ví dụ “Thạc "
            "sĩ”, “Cao cấp”) hoặc chữ viết tắt (ThS, ĐH, B1)."
        )
    kinds = ", ".join(f"“{QK(kd).label}”" for kd, _c in found)
    raise ParseError(f"Trình độ {show(value)} có ở nhiều loại ({kinds}); hãy ghi cột “Loại trình độ”.")


# -- reference lists --------------------------------------------------------------------------


class References:
    """Ethnic groups, religions, units and titles, by code or name; loaded once per import."""

    def __init__(self) -> None:
        from canbo.core.dates import today
        from canbo.org.models import Title, Unit
        from canbo.people.models import Ethnicity, Religion

        self.today = today()
        self.ethnicities: dict[str, Any] = {}
        for e in Ethnicity.objects.all():
            self.ethnicities[key(e.code)] = e
            self.ethnicities[key(str(int(e.code)))] = e
            self.ethnicities[key(e.name)] = e
        for alias in ("Việt", "Kinh (Việt)"):
            self.ethnicities.setdefault(key(alias), self.ethnicities.get("kinh"))
        self.religions: dict[str, Any] = {}
        for r in Religion.objects.all():
            self.religions[key(r.code)] = r
            self.religions[key(str(int(r.code)))] = r
            self.religions[key(r.name)] = r
        none = self.religions.get("khong")
        for alias in ("Không tôn giáo", "Không có", "KTG"):
            self.religions.setdefault(key(alias), none)
        for alias, name in (
            ("Thiên chúa giáo", "Công giáo"),
            ("Thiên chúa", "Công giáo"),
            ("Đạo Phật", "Phật giáo"),
            ("Tin lành", "Tin Lành"),
        ):
            if key(name) in self.religions:
                self.religions.setdefault(key(alias), self.religions[key(name)])
        self.default_religion = none
        self.units_by_code: dict[str, Any] = {}
        self.units_by_name: dict[str, list[Any]] = {}
        for u in Unit.objects.only("id", "code", "name", "short_name", "path", "valid_from", "valid_to"):
            self.units_by_code[u.code.strip().casefold()] = u
            self.units_by_name.setdefault(key(u.name), []).append(u)
            if u.short_name and key(u.short_name) != key(u.name):
                self.units_by_name.setdefault(key(u.short_name), []).append(u)
        self.titles_by_code: dict[str, Any] = {}
        self.titles_by_name: dict[str, list[Any]] = {}
        for t in Title.objects.all():
            self.titles_by_code[t.code.strip().casefold()] = t
            self.titles_by_name.setdefault(key(t.name), []).append(t)
        self._grades: dict[str, Any] | None = None

    def ethnicity(self, value: Any) -> Any:
        found = self.ethnicities.get(key(text(value)))
        if found is None:
            raise ParseError(
                f"Không có dân tộc {show(value)} trong danh mục 54 dân tộc "
                "(ghi tên hoặc mã, ví dụ “Kinh” hoặc 01)."
            )
        return found

    def religion(self, value: Any) -> Any:
        found = self.religions.get(key(text(value)))
        if found is None:
            raise ParseError(
                f"Không có tôn giáo {show(value)} trong danh mục (ghi tên hoặc "
                "mã; “Không” nếu không theo tôn giáo nào)."
            )
        return found

    def unit(self, value: Any) -> Any:
        raw = text(value)
        by_code = self.units_by_code.get(raw.strip().casefold())
        if by_code is not None:
            return by_code
        candidates = self.units_by_name.get(key(raw), [])
        if len(candidates) > 1:  # prefer the units in force today when names were reused
            live = [u for u in candidates if u.valid_to is None or u.valid_to >= self.today]
            candidates = live or candidates
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise ParseError(
                f"Không tìm thấy đơn vị {show(value)} (ghi mã đơn vị hoặc tên đúng như trong danh mục)."
            )
        listed = "; ".join(f"{u.name} (mã {u.code})" for u in candidates[:6])
        more = f" và {len(candidates) - 6} đơn vị khác" if len(candidates) > 6 else ""
        raise ParseError(
            f"Tên đơn vị {show(value)} trùng với nhiều đơn vị: {listed}{more}. Hãy ghi mã đơn vị."
        )

    def grade(self, value: Any) -> Any:
        """A grade of the salary catalogue (with its group), by code or name."""
        if self._grades is None:
            from canbo.salary.models import Grade

            self._grades = {}
            for g in Grade.objects.select_related("group"):
                self._grades[g.code.strip().casefold()] = g
                self._grades.setdefault(key(g.name), g)
        found = self._grades.get(text(value).strip().casefold()) or self._grades.get(key(text(value)))
        if found is None:
            raise ParseError(
                f"Không có ngạch {show(value)} trong danh mục ngạch, chức danh nghề nghiệp "
                "(ghi mã ngạch, ví dụ 01.003)."
            )
        return found

    def title(self, value: Any) -> Any:
        raw = text(value)
        by_code = self.titles_by_code.get(raw.strip().casefold())
        if by_code is not None:
            return by_code
        candidates = self.titles_by_name.get(key(raw), [])
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise ParseError(
                f"Không tìm thấy chức danh {show(value)} trong danh mục (ghi mã hoặc tên chức danh)."
            )
        listed = "; ".join(f"{t.name} (mã {t.code})" for t in candidates[:6])
        raise ParseError(
            f"Tên chức danh {show(value)} trùng với nhiều chức danh: {listed}. Hãy ghi mã chức danh."
        )


@functools.cache
def _service_event_kind_parser() -> Callable[[Any], str]:
    from canbo.people.choices import ServiceEventKind

    extra = [
        ("Chuyển đến", "chuyen_den"),
        ("Tiếp nhận", "chuyen_den"),
        ("Chuyển đi", "chuyen_di"),
        ("Chuyển công tác", "chuyen_di"),
        ("Hưu", "nghi_huu"),
        ("Nghỉ chế độ", "nghi_huu"),
        ("Buộc thôi việc", "thoi_viec"),
        ("Nghỉ việc", "thoi_viec"),
        ("Chết", "tu_tran"),
        ("Qua đời", "tu_tran"),
    ]
    return _choice_parser(
        _with_labels(ServiceEventKind, extra), "Sự kiện", [c.label for c in ServiceEventKind]
    )


def service_event_kind(value: Any) -> str:
    return _service_event_kind_parser()(value)


SIMPLE: dict[str, Callable[[Any], Any]] = {
    "text": text,
    "personal_id": personal_id,
    "integer": integer,
    "decimal": decimal,
    "boolean": boolean,
    "boolean_default_true": boolean,
    "date": date,
    "end_date": end_date,
    "partial_date": partial_date,
    "year": year,
    "sex": sex,
    "category": category,
    "study_mode": study_mode,
    "relation": relation,
    "tenure_kind": tenure_kind,
    "body_kind": body_kind,
    "discipline_system": discipline_system,
    "discipline_form": discipline_form,
    "rating_period": rating_period,
    "rating_level": rating_level,
    "vote_body": vote_body,
    "term": term,
    "general_education": general_education,
    "qualification_kind": qualification_kind,
    "level": text,  # resolved with the kind in validate.py
    # sheets added by issue 14
    "health_status": health_status,
    "blood_group": blood_group,
    "personal_history_kind": personal_history_kind,
    "asset_declaration_kind": asset_declaration_kind,
    "meets_standard": meets_standard,
    "service_event_kind": service_event_kind,
}
REFERENCE = frozenset({"ethnicity", "religion", "unit", "title", "grade"})
