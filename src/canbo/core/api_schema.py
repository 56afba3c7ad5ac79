"""The OpenAPI schema's view of the API's conventions: every write names its reason."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from canbo.core.api import REASON_HEADER

REASON_DOC = (
    "Lý do / căn cứ của thay đổi (bắt buộc với mọi thao tác ghi: POST, PUT, PATCH, DELETE), nếu "
    "nội dung gửi lên không có trường “reason”. Chữ tiếng Việt mã hóa UTF-8 theo kiểu phần trăm "
    "(percent-encoding). Thiếu cả hai → 400. Ví dụ: “Theo quyết định số 123/QĐ-UBND”, “Sửa lỗi "
    "nhập liệu”, “Theo đề nghị của cá nhân”."
)


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the reason header on every write."""

    def get_override_parameters(self) -> list[Any]:
        params = list(super().get_override_parameters())
        if self.method not in ("GET", "HEAD", "OPTIONS") and not getattr(self.view, "writes_nothing", False):
            params.append(
                OpenApiParameter(
                    REASON_HEADER,
                    OpenApiTypes.STR,
                    location=OpenApiParameter.HEADER,
                    required=False,
                    description=REASON_DOC,
                )
            )
        return params
