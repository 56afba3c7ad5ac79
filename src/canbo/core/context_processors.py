"""Template context shared by every page (the menu comes from ``accounts.context_processors``)."""

from typing import Any

from django.http import HttpRequest


def canbo(request: HttpRequest) -> dict[str, Any]:
    from canbo.core.dates import stored_day, today
    from canbo.core.grants import can_change_anything, is_admin
    from canbo.core.views import SESSION_KEY

    user = request.user
    if not user.is_authenticated:
        return {}
    # Pages that do not read a date still show the remembered one in the header (views that
    # read it put their own "as_of" in the context, which takes precedence).
    day = stored_day(request.session.get(SESSION_KEY)) or today()
    return {
        "user_can_change": can_change_anything(user),
        "user_is_admin": is_admin(user),
        "as_of": day,
        "as_of_is_today": day == today(),
    }
