"""The OpenAPI schema's view of the API's conventions: every write names its reason; a record
id in a path is a positive bigint."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from canbo.core.api import REASON_HEADER
from canbo.core.params import MAX_ID

REASON_DOC = (
    "Lý do / căn cứ của thay đổi (bắt buộc với mọi thao tác ghi: POST, PUT, PATCH, DELETE), nếu "
    "nội dung gửi lên không có trường “reason”. Chữ tiếng Việt mã hóa UTF-8 theo kiểu phần trăm "
    "(percent-encoding). Thiếu cả hai → 400. Ví dụ: “Theo quyết định số 123/QĐ-UBND”, “Sửa lỗi "
    "nhập liệu”, “Theo đề nghị của cá nhân”."
)


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the reason header on every write and the bounds of the ids
    in a path (``core.params.parse_id``: 1 to 2^63 - 1; "integer" alone let a client, or the
    schema fuzzing, send 0 or -5 and get a 400 for a request the schema called valid)."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            schema = parameter.get("schema", {})
            # A nested route's parent id (``{person_pk}``) comes as a string matching ``^\d+$``,
            # which also matches "٣" (a Unicode digit) and 20-digit numbers.
            numeric = schema.get("type") == "integer" or schema == {"type": "string", "pattern": r"^\d+$"}
            if parameter.get("in") == "path" and numeric:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        return operation

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
