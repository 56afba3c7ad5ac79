"""The menu of every page, from the user's grants."""

from typing import Any

from django.http import HttpRequest


def menu(request: HttpRequest) -> dict[str, Any]:
    from canbo.accounts.menu import access_of, menu_for, menu_html

    if not request.user.is_authenticated:
        return {}
    access = access_of(request.user)
    items = menu_for(request, access)
    return {
        "menu": items,
        # The entries' markup, written once per process for each menu (base.html's loop over
        # 17 entries with three tags each was a tenth of a nearly empty page; issue 22).
        "menu_html": menu_html(tuple(items)),
        # Unit pages open only through a grant on a unit subtree (not the person role's).
        "user_sees_units": access.units,
    }
