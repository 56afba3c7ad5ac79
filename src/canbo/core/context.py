"""The context every write is made in: who, from which request, why.

Requests, management commands, import jobs and the demo generator all bind the same context,
so the change log reads the same whatever the entry point (STYLE.md convention 7).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class RequestContext:
    """Identifies one entry point's unit of work in the change log."""

    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    source: str = "web"
    # The reason the entry point was given for its changes (the API's ``reason`` or
    # X-Change-Reason): the change log's reason when the service was handed none.
    reason: str = ""


_current: ContextVar[RequestContext | None] = ContextVar("canbo_request_context", default=None)


def current_context() -> RequestContext:
    """The bound context, or a fresh one for code that runs outside any entry point."""
    ctx = _current.get()
    return ctx if ctx is not None else RequestContext(source="other")


@contextmanager
def bind_context(*, source: str, request_id: uuid.UUID | None = None) -> Iterator[RequestContext]:
    """Bind a request id and source (web, api, command, import, generator) for the block."""
    ctx = RequestContext(request_id=request_id or uuid.uuid4(), source=source)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def bound_context() -> RequestContext | None:
    """The context bound by the entry point, or None outside any (no fresh one is made)."""
    return _current.get()


def current_reason(reason: str = "") -> str:
    """``reason`` if given, else the reason bound for the request (the API's header), stripped."""
    ctx = _current.get()
    return (reason or (ctx.reason if ctx is not None else "") or "").strip()


def with_reason(own: str, reason: str = "") -> str:
    """The change log's reason of a service's write: its own account, then the officer's reason
    (a form's required reason field, issue 21), else the request's (an API write's
    ``X-Change-Reason``): "Hoàn tất đợt đánh giá: Theo quyết định số 12/QĐ-UBND"."""
    given = current_reason(reason)
    return f"{own}: {given}" if given else own


def set_reason(reason: str) -> None:
    """Record the reason of the bound context's changes (a no-op outside any entry point)."""
    ctx = _current.get()
    if ctx is not None:
        _current.set(replace(ctx, reason=reason))
