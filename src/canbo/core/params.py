"""The one parser of ids, integers and dates that come from a request (issue 14).

Query parameters, hidden form fields and URL parts are typed by anyone. ``str.isdigit()`` is
not a test for ``int()``: it accepts "²" and a 5,000-digit number, on which ``int()`` raises,
and a number that ``int()`` reads may still be beyond what the database stores. Every such
value is read here; a value that cannot be used raises ``BadParameter``, a ``DomainError``
with status 400 and a Vietnamese message. The API's exception handler answers it as any
domain error; for pages ``BadParameterMiddleware`` renders the 400 page, so a view only
calls the parser.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.core.exceptions import ValidationError

from canbo.core.dates import parse_as_of
from canbo.core.errors import DomainError

# Ids are PostgreSQL bigints; counts, versions and offsets are kept well inside the same range.
MAX_ID = 2**63 - 1
MAX_INT = 2**31 - 1
_ASCII_INT = re.compile(r"^[+-]?[0-9]{1,19}$")


class BadParameter(DomainError):
    """A request parameter that cannot be used: answered 400 with ``message``."""

    status_code = 400
    code = "bad_parameter"


# A NUL character (code 0) is no part of any value CanBo keeps, and PostgreSQL refuses it in a
# text parameter (psycopg raises DataError, a 500), where SQLite just finds nothing: a request
# carrying one is refused before any lookup, with the same 400 on both databases.
NUL_IN_QUERY = "Địa chỉ có tham số chứa ký tự không hợp lệ (ký tự NUL, mã 0)."
NUL_IN_BODY = "Dữ liệu gửi lên có ký tự không hợp lệ (ký tự NUL, mã 0)."
# A multipart body that cannot be parsed (no boundary, a broken part), met while looking for NULs.
UNREADABLE_FORM = "Không đọc được dữ liệu biểu mẫu gửi lên; hãy tải lại trang và gửi lại."


def contains_nul(value: Any) -> bool:
    """Whether a NUL character is in ``value``: a string, or any key or item of the dicts, lists
    and QueryDicts a parser returns."""
    if isinstance(value, str):
        return "\x00" in value
    if hasattr(value, "lists"):  # QueryDict: every value of every key
        return any(contains_nul(k) or any(contains_nul(v) for v in vs) for k, vs in value.lists())
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(contains_nul(v) for v in value)
    return False


def parse_int(
    raw: Any, what: str, *, minimum: int = 0, maximum: int = MAX_INT, default: int | None = None
) -> int:
    """An integer in [minimum, maximum] written in ASCII digits; ``default`` when empty.

    Empty without a default, anything else than digits, or a number out of range raise
    BadParameter naming ``what`` (the parameter's Vietnamese name).
    """
    if isinstance(raw, bool):
        raise BadParameter(f"{what} phải là một số nguyên.")
    text = str(raw).strip() if raw is not None else ""
    if not text:
        if default is not None:
            return default
        raise BadParameter(f"Thiếu {what}.")
    if isinstance(raw, int):
        number = raw
    elif _ASCII_INT.match(text):
        number = int(text)
    else:
        raise BadParameter(f"{what} phải là một số nguyên (chỉ gồm chữ số 0–9).")
    if not minimum <= number <= maximum:
        raise BadParameter(f"{what} phải từ {_grouped(minimum)} đến {_grouped(maximum)}.")
    return number


def parse_year(raw: Any, what: str = "Năm", *, minimum: int, maximum: int, default: int | None = None) -> int:
    """A calendar year in [minimum, maximum]; its message writes years as years ("1900", not the
    grouped "1.900" of other numbers)."""
    year = parse_int(raw, what, minimum=-MAX_INT, maximum=MAX_INT, default=default)
    if not minimum <= year <= maximum:
        raise BadParameter(f"{what} phải từ {minimum} đến {maximum}.")
    return year


def _grouped(n: int) -> str:
    """A number as Vietnamese text writes it: 1.000.000."""
    return f"{n:,}".replace(",", ".")


def parse_optional_int(raw: Any, what: str, *, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
    """``parse_int``, or None when the value is absent or empty."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return parse_int(raw, what, minimum=minimum, maximum=maximum)


def parse_id(raw: Any, what: str = "Mã") -> int:
    """A record id (a positive bigint)."""
    return parse_int(raw, what, minimum=1, maximum=MAX_ID)


def parse_optional_id(raw: Any, what: str = "Mã") -> int | None:
    """A record id, or None when the value is absent or empty."""
    return parse_optional_int(raw, what, minimum=1, maximum=MAX_ID)


def parse_date(raw: Any, what: str = "Ngày", *, default: dt.date | None = None) -> dt.date:
    """A date written dd/mm/yyyy or yyyy-mm-dd, between 1900 and 2100; ``default`` when empty
    (today when no default is given)."""
    text = str(raw).strip() if raw is not None else ""
    if not text and default is not None:
        return default
    try:
        return parse_as_of(text)
    except ValidationError as exc:
        raise BadParameter(f"{what}: {exc.messages[0]}") from exc


def parse_version(raw: Any) -> int:
    """The ``row_version`` a form or an API client read with the record: required on every
    change and delete so that nobody overwrites a change he has not seen."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise BadParameter(
            "Thiếu phiên bản bản ghi (row_version). Hãy tải lại bản ghi rồi gửi kèm row_version "
            "đã đọc, để không ghi đè thay đổi của người khác."
        )
    return parse_int(raw, "Phiên bản bản ghi (row_version)", minimum=0)


def load_json(text: str) -> Any:
    """``json.loads`` for JSON posted in a form field: a document nested beyond Python's
    recursion limit raises ValueError, as any other unreadable one, not RecursionError."""
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise ValueError("JSON nested too deep") from exc
