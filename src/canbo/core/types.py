"""Types shared by every app.

``ActingUser`` is who does a write or asks a question: ``request.user`` in a view (an
authenticated user, or anonymous where a page allows it), or None for the system itself (a
management command, the demo generator). Services take ``acting_user: ActingUser`` and pass it to
``core.services.audited_*`` and ``.restrict()``; core names no app's user model (issue 15).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# settings.AUTH_USER_MODEL is Django's own ``auth.User``, so core may name it (it is no app of ours).
ActingUser: TypeAlias = "User | AnonymousUser | None"
