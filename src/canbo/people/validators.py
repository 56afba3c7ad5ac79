"""Validation of the personal identification number (số định danh cá nhân).

Structure (12 digits): 3 digits for the province where the birth was registered, 1 digit for
century and sex (0/1 = 20th century male/female, 2/3 = 21st, 4/5 = 22nd, …), 2 digits for the
last two digits of the year of birth, then 6 random digits.
"""

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError

from canbo.core.text import normalize_name

# The 63 province codes of the former list, which the number's first 3 digits use.
PROVINCE_PREFIXES = frozenset(
    f"{c:03d}"
    for c in (
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36,
        37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74,
        75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    )
)  # fmt: skip


def validate_personal_id(value: str) -> None:
    """Shape check: 12 digits with a known province prefix."""
    # isdigit() alone would let full-width or other Unicode digits through.
    if not (len(value) == 12 and value.isascii() and value.isdigit()):
        raise ValidationError("Số định danh cá nhân phải gồm đúng 12 chữ số.", code="pid_format")
    if value[:3] not in PROVINCE_PREFIXES:
        raise ValidationError(
            "Số định danh cá nhân không hợp lệ: 3 chữ số đầu (%(p)s) không phải mã tỉnh "
            "nơi đăng ký khai sinh.",
            params={"p": value[:3]},
            code="pid_province",
        )


def personal_id_conflicts(value: str, *, sex: str, birth: dt.date) -> str | None:
    """Cross-check the century/sex digit and the year digits against sex and date of birth.

    Returns a Vietnamese message when they disagree, None when they agree.
    """
    digit = int(value[3])
    century = 1900 + 100 * (digit // 2)
    female = digit % 2 == 1
    if (sex == "nu") != female:
        return "Số định danh cá nhân không khớp giới tính (chữ số thứ 4 mã hóa thế kỷ và giới tính)."
    if century + int(value[4:6]) != birth.year:
        return "Số định danh cá nhân không khớp năm sinh (chữ số thứ 4–6 mã hóa năm sinh)."
    return None


def make_personal_id(*, province_prefix: str, sex: str, birth_year: int, serial: int) -> str:
    """Build a well-formed number (used by the demo generator and tests)."""
    century_index = (birth_year - 1900) // 100
    digit = century_index * 2 + (1 if sex == "nu" else 0)
    return f"{province_prefix}{digit}{birth_year % 100:02d}{serial % 1_000_000:06d}"


# Besides letters (with their marks) and digits (a name kept as "Nguyễn Văn A 2" in an old
# register), what a personal name may contain: spaces, hyphens, apostrophes (Ê-đê, K'Ho and
# other minority names), and in other names a comma or brackets between several names.
_NAME_PUNCTUATION = frozenset(" -'’.,()")


def validate_personal_name(value: str) -> None:
    """A personal name (full name, other names, a family member's name): letters, digits and a
    few separators, at least one letter. Invisible characters (zero-width space, direction
    overrides), symbols and emoji are refused, so that a name that looks blank or
    reads backwards on screen cannot be saved."""
    text = normalize_name(value)
    if not text:
        return
    for ch in text:
        if unicodedata.category(ch)[0] not in "LM" and not ch.isdecimal() and ch not in _NAME_PUNCTUATION:
            shown = ch if unicodedata.category(ch)[0] in "NPS" else f"ký tự ẩn U+{ord(ch):04X}"
            raise ValidationError(
                "Tên chỉ gồm chữ cái, chữ số, dấu cách và các dấu - ' . , ( ); không nhận “%(c)s”.",
                params={"c": shown},
                code="name_character",
            )
    if not any(unicodedata.category(ch)[0] == "L" for ch in text):
        raise ValidationError("Tên phải có ít nhất một chữ cái.", code="name_no_letter")
