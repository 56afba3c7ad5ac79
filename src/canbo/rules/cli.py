"""Argument checks shared by the command line and the API: Vietnamese messages, no traceback."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError

from canbo.core import params
from canbo.core.dates import parse_partial_date
from canbo.core.errors import DomainError
from canbo.rules.engine.checks import K4_LEVELS, PURPOSES
from canbo.rules.engine.facts import Birth, Declared

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SystemUser:
    """The command line without ``--user``: the system itself, which every grant check lets through."""

    is_authenticated = True
    is_superuser = True
    is_active = True
    pk = None
    username = "hệ thống"

    def get_full_name(self) -> str:
        return "hệ thống"


def parse_sex(value: str | None) -> str:
    text = (value or "").strip().lower()
    if text in ("nam", "m"):
        return "nam"
    if text in ("nu", "nữ", "f"):
        return "nu"
    raise DomainError("Giới tính phải là “nam” hoặc “nu”.")


def parse_born(value: str | None) -> tuple[dt.date, str]:
    if not value or not value.strip():
        raise DomainError("Thiếu ngày sinh: nhập dạng dd/mm/yyyy, mm/yyyy hoặc yyyy.")
    try:
        day, precision = parse_partial_date(value)
    except ValidationError as exc:
        raise DomainError(exc.messages[0]) from exc
    if not 1900 <= day.year <= 2100:
        raise DomainError(f"Năm sinh {day.year} nằm ngoài khoảng 1900–2100.")
    return day, precision


def birth_from(sex: str | None, born: str | None) -> Birth:
    s = parse_sex(sex)
    day, precision = parse_born(born)
    if precision == "y":
        return Birth(s, day.year)
    if precision == "m":
        return Birth(s, day.year, day.month)
    return Birth(s, day.year, day.month, day.day)


def parse_iso_date(value: str | None, what: str) -> dt.date:
    text = (value or "").strip()
    if not _ISO.match(text):
        raise DomainError(f"{what} phải có dạng YYYY-MM-DD (ví dụ 2025-11-01).")
    return params.parse_date(text, what)


def parse_purpose(value: str | None) -> str:
    text = (value or "").strip()
    if text not in PURPOSES:
        raise DomainError("Mục đích phải là một trong: " + ", ".join(PURPOSES) + ".")
    return text


def parse_int(value: Any, what: str, *, minimum: int = 0, maximum: int = 10**9) -> int:
    return params.parse_int(value, what, minimum=minimum, maximum=maximum)


def parse_tristate(value: Any, what: str) -> bool | None:
    """ "có"/"yes"/"1" → True, "không"/"no"/"0" → False, empty → not declared."""
    text = str(value or "").strip().lower()
    if text in ("", "chua_ro", "chưa rõ", "unknown"):
        return None
    if text in ("co", "có", "yes", "1", "true"):
        return True
    if text in ("khong", "không", "no", "0", "false"):
        return False
    raise DomainError(f"{what} phải là “co”, “khong” hoặc để trống.")


ROTATION_PURPOSES = {"", "khong_dia_phuong", "han_nhiem_ky"}


def declared_from(data: Any) -> Declared:
    """The officer's declarations from a query string, form or command line (all optional)."""

    def opt_int(key: str, what: str) -> int | None:
        raw = data.get(key)
        return None if raw in (None, "") else parse_int(raw, what, maximum=1000)

    purpose = (data.get("muc_dich_luan_chuyen") or "").strip()
    if purpose not in ROTATION_PURPOSES:
        raise DomainError("Mục đích luân chuyển phải là “khong_dia_phuong” hoặc “han_nhiem_ky”.")
    start = data.get("bat_dau_nhiem_ky")
    level = (data.get("cap_dai_hoi") or "").strip()
    if level and level not in K4_LEVELS:
        raise DomainError("Cấp đại hội phải là một trong: " + ", ".join(K4_LEVELS) + ".")
    return Declared(
        planned_for_title=parse_tristate(data.get("quy_hoach"), "Tình trạng quy hoạch"),
        pending_discipline=parse_tristate(data.get("dang_xem_xet_ky_luat"), "Đang xem xét kỷ luật"),
        open_proposal_same_title=parse_tristate(data.get("de_nghi_bo_nhiem"), "Đề nghị bổ nhiệm đang mở"),
        people_planned_for_title=opt_int("so_nguoi_quy_hoach", "Số người quy hoạch chức danh"),
        titles_planned_same_level=opt_int("so_chuc_danh_quy_hoach", "Số chức danh quy hoạch cùng cấp"),
        rotation_purpose=purpose,
        rotation_months=opt_int("thoi_gian_luan_chuyen", "Thời gian luân chuyển (tháng)"),
        planned_term_start=parse_iso_date(start, "Ngày bắt đầu nhiệm kỳ quy hoạch") if start else None,
        extra={"k4_level": level} if level else {},
    )
