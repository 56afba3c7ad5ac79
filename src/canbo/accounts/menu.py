"""The main menu and the landing page, by role: each user sees only the pages he may open.

What a page lets a user do is decided by the page (``restrict()``, ``can_change_anything``,
``is_admin``); this module only mirrors it, from the same grants, so that nobody is offered a
page that would show him nothing ("0 đơn vị") or refuse him. ``accounts/tests/test_menu.py``
opens every entry of every role's menu and fails if one does not answer 200.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from canbo.accounts.selectors import active_grants, can_change_anything, is_admin


@dataclass(frozen=True)
class Access:
    """What a user's grants open, in the terms the menu needs."""

    units: bool  # a grant on a unit subtree (officer, leader, administrator), or superuser
    change: bool  # may change records (officer, administrator)
    admin: bool  # administrator of CanBo (API, rule versions, indicator definitions)
    staff: bool  # may open Django's admin site
    own: int | None  # the dossier of the person role, if he holds it


def access_of(user: Any) -> Access:
    grants = active_grants(user)
    superuser = bool(getattr(user, "is_superuser", False))
    return Access(
        units=superuser or any(not g.is_self and g.unit_id for g in grants),
        change=can_change_anything(user),
        admin=is_admin(user),
        staff=bool(getattr(user, "is_staff", False)),
        own=next((g.person_id for g in grants if g.is_self and g.person_id), None),
    )


def landing_url(user: Any) -> str | None:
    """Where the home page sends a user whose only access is his own dossier (the person role):
    his dossier, instead of a search box over a scope of one person and "0 đơn vị"."""
    access = access_of(user)
    if access.own is None or access.units:
        return None
    return reverse("people:detail", args=[access.own])


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    active: bool
    hint: str = ""


@dataclass(frozen=True)
class _Entry:
    label: str
    url_name: str
    app: str  # the URL namespace that marks the entry as the current one
    shown: Callable[[Access], bool]
    hint: str = ""


def _units(a: Access) -> bool:
    return a.units


_ENTRIES = (
    _Entry("Tổ chức", "org:tree", "org", _units),
    _Entry("Cán bộ", "people:list", "people", _units),
    _Entry("Nhập dữ liệu", "imports:index", "imports", lambda a: a.change),
    _Entry("Quy định", "rules:index", "rules", lambda a: True),  # the rulebook is public law
    _Entry("Kế hoạch", "plans:list", "plans", _units),
    _Entry("Quy hoạch", "planning:index", "planning", _units),
    _Entry("Đánh giá", "campaigns:index", "campaigns", _units, hint="Đánh giá, xếp loại chất lượng hằng năm"),
    _Entry("Chỉ tiêu", "indicators:index", "indicators", _units),
    _Entry("Nâng lương", "salary:due", "salary", _units, hint="Đến hạn nâng bậc lương"),
    _Entry("Nghỉ hưu", "retirement:index", "retirement", _units, hint="Thông báo, quyết định nghỉ hưu"),
    _Entry("Bổ nhiệm", "cases:list", "cases", _units, hint="Hồ sơ bổ nhiệm, bổ nhiệm lại"),
    _Entry("Danh sách", "lists:saved", "lists", _units, hint="Danh sách đã lưu"),
    _Entry(
        "Báo cáo",
        "reports:statistics",
        "reports",
        _units,
        hint="Báo cáo số lượng, chất lượng; đồng bộ cơ sở dữ liệu quốc gia",
    ),
    _Entry("Người dùng", "accounts:users", "accounts", lambda a: a.admin, hint="Tài khoản và quyền"),
    _Entry(
        "Mẫu tài liệu",
        "documents:templates",
        "documents",
        lambda a: a.admin,
        hint="Mẫu sơ yếu lý lịch, biên bản kiểm phiếu, tờ trình (Word)",
    ),
    _Entry("API", "api-docs", "", lambda a: a.admin, hint="Tài liệu API (dành cho quản trị)"),
    _Entry("Quản trị", "admin:index", "admin", lambda a: a.staff),
)


def menu_for(request: HttpRequest, access: Access | None = None) -> list[MenuItem]:
    """The menu of the logged-in user of ``request``: "Hồ sơ của tôi" for the person role, then
    the entries his grants open (``access``: his ``access_of``, when the caller has it)."""
    if access is None:
        access = access_of(request.user)
    match = request.resolver_match
    app = match.app_name if match else ""
    items = []
    on_own = False
    if access.own is not None:
        on_own = app == "people" and match is not None and match.kwargs.get("pk") == access.own
        items.append(MenuItem("Hồ sơ của tôi", reverse("people:detail", args=[access.own]), on_own))
    for e in _ENTRIES:
        if e.shown(access):
            active = bool(e.app) and app == e.app and not on_own
            items.append(MenuItem(e.label, _entry_url(e.url_name), active, e.hint))
    return items


_ENTRY_URLS: dict[tuple[str, Any, str], str] = {}


def _entry_url(name: str) -> str:
    """``reverse(name)`` of a menu entry (no arguments), kept per process by the script prefix
    and the URL configuration it was reversed under: the 17 entries cost a ``reverse`` each on
    every page (issue 22)."""
    key = (get_script_prefix(), get_urlconf(), name)
    url = _ENTRY_URLS.get(key)
    if url is None:
        url = _ENTRY_URLS[key] = reverse(name)
    return url


@functools.lru_cache(maxsize=256)
def menu_html(items: tuple[MenuItem, ...]) -> SafeString:
    """The menu's entries as base.html's loop wrote them, kept per process by the entries (a
    menu differs only by the user's access and the current page's app: a few dozen kinds)."""
    parts = []
    for item in items:
        tag = '\n    <a href="{}" class="active"{}>{}</a>' if item.active else '\n    <a href="{}"{}>{}</a>'
        hint = format_html(' title="{}"', item.hint) if item.hint else ""
        parts.append(format_html(tag, item.url, hint, item.label))
    return mark_safe("".join(parts))  # noqa: S308 (each part escaped by format_html)
