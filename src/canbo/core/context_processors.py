"""Template context shared by every page."""

from typing import Any

from django.http import HttpRequest


def canbo(request: HttpRequest) -> dict[str, Any]:
    from canbo.accounts.selectors import can_change_anything, is_admin

    user = request.user
    if not user.is_authenticated:
        return {}
    return {"user_can_change": can_change_anything(user), "user_is_admin": is_admin(user)}
