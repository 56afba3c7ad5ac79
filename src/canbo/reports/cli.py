"""Argument checks of the report commands: Vietnamese messages, exit 1, no traceback."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from canbo.core.dates import in_supported_range
from canbo.core.errors import DomainError
from canbo.org.models import Unit
from canbo.rules.cli import SystemUser


def acting_user(username: str | None) -> Any:
    """The account whose grants scope the command; the system itself without ``--user``."""
    if not username:
        return SystemUser()
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise DomainError(f"Không có tài khoản đang hoạt động “{username}”.")
    return user


def parse_day(text: str | None, what: str) -> dt.date:
    try:
        day = dt.date.fromisoformat((text or "").strip())
    except ValueError as exc:
        raise DomainError(f"{what} không hợp lệ: “{text or ''}” (dùng dạng YYYY-MM-DD).") from exc
    if not in_supported_range(day):
        raise DomainError(f"{what} phải trong khoảng năm 1900–2100.")
    return day


def parse_moment(text: str | None, what: str) -> dt.datetime:
    raw = (text or "").strip()
    try:
        # A wall-clock time in the server's zone, made aware below.
        moment = dt.datetime.strptime(raw, "%Y-%m-%dT%H:%M")  # noqa: DTZ007
    except ValueError as exc:
        raise DomainError(f"{what} không hợp lệ: “{raw}” (dùng dạng YYYY-MM-DDTHH:MM).") from exc
    if not in_supported_range(moment.date()):
        raise DomainError(f"{what} phải trong khoảng năm 1900–2100.")
    return timezone.make_aware(moment)


def unit_in_scope(user: Any, code: str | None) -> Unit:
    code = (code or "").strip()
    if not code:
        raise DomainError("Thiếu mã đơn vị (--unit).")
    unit = Unit.objects.restrict(user).filter(code=code).first()
    if unit is None:
        raise DomainError(f"Không có đơn vị mã “{code}” trong phạm vi được giao.")
    return unit
