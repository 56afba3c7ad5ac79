"""Logging plumbing: every record names the request it belongs to (``[request id]``), so the
administrator finds an error's traceback from the "Mã lỗi" the officer read off the page."""

import logging

from canbo.core.context import bound_context


class RequestIdFilter(logging.Filter):
    """Sets ``record.request_id``: the id of the request being answered, else "-"."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        request_id = getattr(request, "request_id", None)
        if request_id is None:
            ctx = bound_context()
            request_id = ctx.request_id if ctx is not None else None
        record.request_id = str(request_id) if request_id is not None else "-"
        return True
