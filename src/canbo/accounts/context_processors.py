"""The menu of every page, from the user's grants."""

from typing import Any

from django.http import HttpRequest


def menu(request: HttpRequest) -> dict[str, Any]:
    from canbo.accounts.menu import access_of, menu_for

    if not request.user.is_authenticated:
        return {}
    return {
        "menu": menu_for(request),
        # Unit pages open only through a grant on a unit subtree (not the person role's).
        "user_sees_units": access_of(request.user).units,
    }
