"""API plumbing: the one exception handler mapping domain and validation errors to 4xx, the
JSON parser and the pagination every list uses."""

import contextlib
from typing import Any
from urllib.parse import unquote

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination, parsers, serializers, status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from canbo.core.context import set_reason
from canbo.core.errors import DomainError
from canbo.core.forms import validate_supported_day
from canbo.core.params import MAX_INT, NUL_IN_BODY, contains_nul, parse_int


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error answers JSON ``{"detail": "<Vietnamese message>", ...}`` with a 4xx status."""
    # Imported here: rest_framework.views reads the parser and pagination settings, which name
    # this module, when it is first imported (a circular import whenever this module comes first).
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DomainError):
        return Response({"detail": exc.message, "code": exc.code}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(
            {"detail": "Dữ liệu không hợp lệ.", "errors": detail}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, Http404):
        return Response({"detail": "Không tìm thấy."}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return Response({"detail": "Bạn cần đăng nhập."}, status=status.HTTP_401_UNAUTHORIZED)
    if isinstance(exc, exceptions.PermissionDenied):
        return Response(
            {"detail": "Bạn không có quyền thực hiện thao tác này."}, status=status.HTTP_403_FORBIDDEN
        )
    if isinstance(exc, exceptions.ParseError):
        return Response({"detail": "Dữ liệu gửi lên không đọc được (JSON không hợp lệ)."}, status=400)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return Response({"detail": "Kiểu dữ liệu không được hỗ trợ; hãy gửi JSON."}, status=415)
    if isinstance(exc, exceptions.MethodNotAllowed):
        return Response({"detail": "Phương thức không được phép."}, status=405)
    if isinstance(exc, exceptions.ValidationError):
        return Response({"detail": "Dữ liệu không hợp lệ.", "errors": exc.detail}, status=400)
    return drf_exception_handler(exc, context)


def _refuse_nul(data: Any) -> Any:
    """A body with a NUL character anywhere is refused (core.params.NUL_IN_BODY): DRF's CharField
    refuses one, but a SlugRelatedField, a DictField's keys or a JSONField pass it to PostgreSQL."""
    if contains_nul(data):
        raise exceptions.ValidationError({"non_field_errors": [NUL_IN_BODY]})
    return data


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing a body nested too deep for Python's recursion limit (a 400
    instead of the RecursionError a 1,100-level array raises) or holding a NUL character."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError("JSON lồng quá sâu.") from exc
        return _refuse_nul(data)


class FormParser(parsers.FormParser):
    """DRF's form parser, refusing a NUL character (``_refuse_nul``)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return _refuse_nul(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, refusing a NUL character in a field (``_refuse_nul``)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        _refuse_nul(parsed.data)
        return parsed


class DateField(serializers.DateField):
    """DRF's date, within the dates CanBo computes with (1900–2100, ``core.dates``), as every
    form's: a restructuring dated 01/01/0001 reached the service, whose day before overflowed
    (a 500 found by the schema fuzzing)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["validators"] = [*kwargs.get("validators", []), validate_supported_day]
        super().__init__(**kwargs)


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """``?limit=`` and ``?offset=`` read by the shared parser: a value that is not a number in
    range answers 400 (DRF's own falls back silently on "²" and passes 10^20 to the database)."""

    max_limit = 1000

    def get_limit(self, request: Request) -> int | None:
        return parse_int(
            request.query_params.get(self.limit_query_param),
            "Số bản ghi mỗi trang (limit)",
            minimum=1,
            maximum=self.max_limit,
            default=self.default_limit,
        )

    def get_offset(self, request: Request) -> int:
        return parse_int(
            request.query_params.get(self.offset_query_param),
            "Vị trí bắt đầu (offset)",
            minimum=0,
            maximum=MAX_INT,
            default=0,
        )

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """The bounds above, in the schema: a client (or schemathesis) reading it knows that
        ``limit=0`` or ``limit=5000`` is refused (DRF's own says only "integer")."""
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0, "maximum": MAX_INT},
        }
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {**parameter["schema"], **bounds.get(parameter["name"], {})}
        return parameters


# Every change through the API says why (issue 21), as every form does: the body's ``reason``,
# else the X-Change-Reason header (UTF-8, percent-encoded where the client cannot send it raw),
# else ``?ly_do=`` (kept for DELETE). The reason is bound to the request's context, so the change
# log carries it whichever service writes.
REASON_HEADER = "X-Change-Reason"
REASON_MAX = 500
REASON_MISSING = (
    "Hãy ghi lý do thay đổi: trường “reason” trong nội dung gửi lên, hoặc tiêu đề X-Change-Reason "
    "(ví dụ “Theo quyết định số 123/QĐ-UBND”, “Sửa lỗi nhập liệu”, “Theo đề nghị của cá nhân”)."
)


def change_reason(request: Request) -> str:
    """The reason a write request carries, stripped ("" when none)."""
    data = request.data
    reason: Any = data.get("reason") if isinstance(data, dict) else None
    if not isinstance(reason, str) or not reason.strip():
        raw = request.META.get("HTTP_" + REASON_HEADER.upper().replace("-", "_"), "")
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            raw = raw.encode("latin-1").decode("utf-8")  # raw UTF-8 bytes, as WSGI hands them
        reason = unquote(raw) or request.query_params.get("ly_do", "")
    return reason.strip()


class ChangeReasonRequired(BasePermission):
    """Refuses (400, Vietnamese) a write without a reason; binds the reason for the change log.
    Listed after IsAuthenticated, so an anonymous write is still answered 401."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS or getattr(view, "writes_nothing", False):
            return True
        reason = change_reason(request)
        if not reason:
            raise DomainError(REASON_MISSING, code="reason_required")
        if len(reason) > REASON_MAX:
            raise DomainError(f"Lý do thay đổi dài quá {REASON_MAX} ký tự.", code="reason_too_long")
        set_reason(reason)
        return True
