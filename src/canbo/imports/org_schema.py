"""The organisation workbook: sheets "Đơn vị", "Chức danh" and "Vị trí", their columns and the
values each column accepts.

A separate schema from the people's (``schema.py``): the organisation is imported before the
people, by ``org_import.py``, and its sheets are keyed by unit and title codes rather than by
personal ID. Both the template (``org_import.build_org_template``) and the guide
(docs/huong-dan/to-chuc.md, "Nhập cơ cấu tổ chức từ tệp Excel") describe these columns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from canbo.imports.parsers import _choice_parser, _with_labels
from canbo.imports.schema import DATE_ANY, YES_NO, FieldSpec, SheetSpec
from canbo.org.choices import Block, HeadKind, Level, ManagementScope, TitleGroup, UnitKind


def _labels(choices: Any) -> str:
    return "; ".join(f"“{c.label}”" for c in choices)


level = _choice_parser(
    _with_labels(
        Level,
        [("TW", "tw"), ("Tỉnh", "tinh"), ("Huyện", "huyen"), ("Xã", "xa"), ("Cấp tỉnh", "tinh")],
    ),
    "Cấp",
    [c.label for c in Level],
)
block = _choice_parser(
    _with_labels(Block, [("Mặt trận", "mat_tran"), ("Đoàn thể", "mat_tran")]),
    "Khối",
    [c.label for c in Block],
)
unit_kind = _choice_parser(
    _with_labels(
        UnitKind,
        [
            ("Địa phương", "dia_phuong"),
            ("HĐND", "hdnd"),
            ("UBND", "ubnd"),
            ("Phòng", "phong"),
            ("Ban", "phong"),
            ("Sở", "co_quan_chuyen_mon"),
            ("Đơn vị sự nghiệp", "su_nghiep"),
            ("MTTQ", "mttq_doan_the"),
        ],
    ),
    "Loại đơn vị",
    [c.label for c in UnitKind],
)
title_group = _choice_parser(_with_labels(TitleGroup), "Nhóm chức danh", [c.label for c in TitleGroup])
head_kind = _choice_parser(
    _with_labels(HeadKind, [("Trưởng", "truong"), ("Phó", "pho")]),
    "Cấp trưởng/phó",
    [c.label for c in HeadKind],
)
management_scope = _choice_parser(
    _with_labels(ManagementScope), "Diện quản lý", [c.label for c in ManagementScope]
)

# Parsers of this schema by name (the people's parsers are found in ``parsers.py``).
PARSERS: dict[str, Callable[[Any], Any]] = {
    "level": level,
    "block": block,
    "unit_kind": unit_kind,
    "title_group": title_group,
    "head_kind": head_kind,
    "management_scope": management_scope,
}

UNIT_CODE_HELP = "Mã do tỉnh đặt, không trùng với đơn vị khác (ví dụ LC, LC.SNV, LC.SNV.TCCC)."

UNITS = SheetSpec(
    kind="don_vi",
    title="Đơn vị",
    model_label="org.Unit",
    key=("code",),
    synonyms=("Don vi", "Cơ cấu tổ chức", "Đơn vị tổ chức"),
    description=(
        "Mỗi dòng một đơn vị. Đơn vị cấp trên ghi bằng mã: mã của một đơn vị ở dòng khác trong "
        "sheet này (trước hay sau đều được) hoặc của một đơn vị đã có trong hệ thống; để trống "
        "cho đơn vị gốc. Mã đã có trong hệ thống thì dòng đó đính chính thông tin của đơn vị."
    ),
    fields=(
        FieldSpec("code", "Mã đơn vị", required=True, synonyms=("Mã", "Mã ĐV"), accepted=UNIT_CODE_HELP),
        FieldSpec("name", "Tên đơn vị", required=True, synonyms=("Tên", "Đơn vị")),
        FieldSpec(
            "parent",
            "Mã đơn vị cấp trên",
            synonyms=("Đơn vị cấp trên", "Mã cấp trên", "Trực thuộc"),
            accepted="Mã của đơn vị cấp trên; để trống cho đơn vị gốc (tỉnh).",
        ),
        FieldSpec(
            "kind", "Loại", "unit_kind", required=True, synonyms=("Loại đơn vị",), accepted=_labels(UnitKind)
        ),
        FieldSpec("block", "Khối", "block", required=True, accepted=_labels(Block)),
        FieldSpec("level", "Cấp", "level", required=True, accepted=_labels(Level)),
        FieldSpec(
            "area",
            "Mã địa bàn",
            synonyms=("Địa bàn", "Mã đơn vị hành chính"),
            accepted="Mã đơn vị hành chính mà đơn vị phục vụ (tỉnh 2 chữ số, xã 5 chữ số, theo danh "
            "mục từ 01/7/2025); có thể để trống.",
        ),
        FieldSpec(
            "valid_from",
            "Hiệu lực từ ngày",
            "date",
            required=True,
            synonyms=("Ngày thành lập", "Hiệu lực từ"),
            accepted=DATE_ANY + " Không trước ngày của đơn vị cấp trên.",
        ),
        FieldSpec(
            "basis",
            "Quyết định thành lập",
            synonyms=("Căn cứ", "Quyết định"),
            accepted="Số, ngày quyết định thành lập.",
        ),
    ),
)

TITLES = SheetSpec(
    kind="chuc_danh",
    title="Chức danh",
    model_label="org.Title",
    key=("code",),
    synonyms=("Chuc danh", "Danh mục chức danh"),
    description=(
        "Mỗi dòng một chức danh của danh mục. Mã đã có trong danh mục thì dòng đó sửa chức danh. "
        "Chỉ quản trị hệ thống được sửa danh mục chức danh."
    ),
    fields=(
        FieldSpec(
            "code",
            "Mã chức danh",
            required=True,
            synonyms=("Mã",),
            accepted="Không trùng với chức danh khác.",
        ),
        FieldSpec("name", "Tên chức danh", required=True, synonyms=("Tên", "Chức danh")),
        FieldSpec("level", "Cấp", "level", required=True, accepted=_labels(Level)),
        FieldSpec("block", "Khối", "block", required=True, accepted=_labels(Block)),
        FieldSpec(
            "group",
            "Nhóm chức danh",
            "title_group",
            required=True,
            synonyms=("Nhóm",),
            accepted=_labels(TitleGroup),
        ),
        FieldSpec(
            "head_kind",
            "Cấp trưởng/phó",
            "head_kind",
            required=True,
            synonyms=("Trưởng/phó", "Cấp trưởng, cấp phó"),
            accepted=_labels(HeadKind),
        ),
        FieldSpec("is_key", "Chủ chốt", "boolean", synonyms=("Chức danh chủ chốt",), accepted=YES_NO),
        FieldSpec(
            "management_scope",
            "Diện quản lý",
            "management_scope",
            required=True,
            accepted=_labels(ManagementScope),
        ),
        FieldSpec(
            "rank",
            "Thứ bậc",
            "integer",
            synonyms=("Thứ tự",),
            accepted="Số nguyên; chức danh cao hơn có số lớn hơn. Để trống là 0.",
        ),
        FieldSpec(
            "allowance_coefficient",
            "Hệ số phụ cấp chức vụ",
            "decimal",
            synonyms=("Phụ cấp chức vụ", "Hệ số phụ cấp"),
            accepted="Từ 0 đến 3, ví dụ 0,9; có thể để trống.",
        ),
    ),
)

POSTS = SheetSpec(
    kind="vi_tri",
    title="Vị trí",
    model_label="org.Post",
    key=("unit", "title"),
    synonyms=("Vi tri", "Vị trí chức danh"),
    description=(
        "Mỗi dòng một vị trí: số người của một chức danh trong một đơn vị. Chức danh phải cùng cấp "
        "với đơn vị. Đơn vị đã có vị trí của chức danh đó thì dòng đó sửa số lượng."
    ),
    fields=(
        FieldSpec(
            "unit",
            "Mã đơn vị",
            required=True,
            synonyms=("Đơn vị",),
            accepted="Mã của một đơn vị trong sheet “Đơn vị” hoặc đã có trong hệ thống.",
        ),
        FieldSpec(
            "title",
            "Mã chức danh",
            required=True,
            synonyms=("Chức danh",),
            accepted="Mã của một chức danh trong sheet “Chức danh” hoặc đã có trong danh mục.",
        ),
        FieldSpec(
            "seats",
            "Số lượng",
            "integer",
            required=True,
            synonyms=("Số người",),
            accepted="Số nguyên từ 1 trở lên.",
        ),
        FieldSpec(
            "valid_from",
            "Hiệu lực từ ngày",
            "date",
            synonyms=("Hiệu lực từ",),
            accepted=DATE_ANY + " Để trống: từ ngày đơn vị có hiệu lực.",
        ),
    ),
)

ORG_SHEETS: dict[str, SheetSpec] = {s.kind: s for s in (UNITS, TITLES, POSTS)}
