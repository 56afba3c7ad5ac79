"""API plumbing: the one exception handler mapping domain and validation errors to 4xx."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from canbo.core.errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error answers JSON ``{"detail": "<Vietnamese message>", ...}`` with a 4xx status."""
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
