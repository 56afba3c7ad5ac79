"""Domain errors: raised by services, turned into a 4xx with a Vietnamese message by views and API."""

import errno

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A business rule refused the operation. ``message`` is Vietnamese and shown to the user."""

    status_code = 400
    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class ConflictError(DomainError):
    """The record changed since the user loaded it (optimistic locking)."""

    status_code = 409
    code = "conflict"


class StorageFull(DomainError):
    """The attachment disk has no room left (ENOSPC, or the user's quota: EDQUOT). Nothing was
    recorded; the page keeps the form and says so (507 Insufficient Storage)."""

    status_code = 507
    code = "storage_full"

    def __init__(self) -> None:
        super().__init__(
            "Không lưu được tệp: ổ đĩa chứa tài liệu đính kèm của máy chủ đã đầy. Hồ sơ chưa bị thay đổi; "
            "hãy báo cho quản trị hệ thống giải phóng dung lượng rồi tải lên lại."
        )

    @staticmethod
    def raised_by(exc: BaseException) -> bool:
        """True for the operating system's "no space left" (or "quota exceeded") error."""
        return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


class NotPermitted(DomainError):
    """The acting user's grants do not cover the record. Views answer 404, like a missing record."""

    status_code = 404
    code = "not_found"


def validation_messages(exc: ValidationError) -> list[str]:
    """Flatten a Django ValidationError into readable Vietnamese lines."""
    if hasattr(exc, "error_dict"):
        return [
            msg if field_name == "__all__" else f"{field_name}: {msg}"
            for field_name, errors in exc.message_dict.items()
            for msg in errors
        ]
    return list(exc.messages)


def error_text(exc: Exception) -> str:
    """One line for the page from a refused write: a DomainError's message or a ValidationError's."""
    if isinstance(exc, ValidationError):
        return " ".join(validation_messages(exc))
    return str(exc)
