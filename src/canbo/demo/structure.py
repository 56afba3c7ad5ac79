"""The demo province's structure: title catalogue, unit tree and the restructuring events.

The tree is planned in memory first (``UnitSpec``), including the units that only start later
(the departments merged on 1/3/2025, the communes of 1/7/2025), then written in bulk with
materialized paths computed here, and logged with ``bulk_log_created``. The restructuring
events themselves (Tà Chải into Thị trấn Bắc Hà on 1/11/2024, the department mergers of
1/3/2025, the two-tier reorganisation of 1/7/2025) go through ``canbo.org.restructuring`` on the
still empty units, so lineage rows, closing dates and their log entries are the real ones. People
are written afterwards with careers that follow the planned fates (``successor``) of the units.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from canbo.core.services import bulk_log_created
from canbo.core.text import fold
from canbo.org.choices import Block, HeadKind, Level, ManagementScope, UnitKind
from canbo.org.choices import TitleGroup as G
from canbo.org.models import AdminArea, Post, Title, Unit
from canbo.org.restructuring import unit_dissolve, unit_merge

TA_CHAI_MERGE = dt.date(2024, 11, 1)
DEPARTMENT_MERGE = dt.date(2025, 3, 1)
TWO_TIER = dt.date(2025, 7, 1)
ROOT_CODE = "LC"

BASIS_TA_CHAI = "NQ 1197/NQ-UBTVQH15: nhập Xã Tà Chải vào Thị trấn Bắc Hà"
BASIS_DEPARTMENTS = "Sắp xếp cơ quan chuyên môn thuộc UBND tỉnh (NĐ 45/2025/NĐ-CP)"
BASIS_COMMUNES = "NQ 1673/NQ-UBTVQH15: sắp xếp đơn vị hành chính cấp xã tỉnh Lào Cai"
BASIS_DISTRICTS = "NQ 203/2025/QH15: kết thúc hoạt động của đơn vị hành chính cấp huyện"
BASIS_DISTRICT_SERVICES = "Chuyển đơn vị sự nghiệp cấp huyện về sở quản lý khi tổ chức chính quyền hai cấp"

TINH, HUYEN, XA = "tinh", "huyen", "xa"
DANG, NN, MT, SN = "dang", "nha_nuoc", "mat_tran", "su_nghiep"
TRUONG, PHO, NV = "truong", "pho", "nhan_vien"
S_TW, S_TINH, S_HUYEN, S_XA, S_CQ = "tw", "btv_tinh_uy", "btv_huyen_uy", "dang_uy_xa", "co_quan"
assert {S_TW, S_TINH, S_HUYEN, S_XA, S_CQ} <= set(ManagementScope.values)
assert {TINH, HUYEN, XA} <= set(Level.values) and {DANG, NN, MT, SN} <= set(Block.values)
assert {TRUONG, PHO, NV} <= set(HeadKind.values)


@dataclass(frozen=True)
class TitleSpec:
    """One title of the catalogue."""

    code: str
    name: str
    level: str
    group: str
    block: str
    head_kind: str
    scope: str
    rank: int
    is_key: bool
    is_leader: bool


class Catalogue:
    """The titles, in insertion order, with their database rows once written."""

    def __init__(self) -> None:
        self.specs: dict[str, TitleSpec] = {}
        self.rows: dict[str, Title] = {}

    def add(
        self,
        code: str,
        name: str,
        level: str,
        group: str,
        block: str,
        head: str,
        scope: str,
        rank: int,
        *,
        key: bool = False,
    ) -> str:
        if code not in self.specs:
            leader = head in (TRUONG, PHO)
            self.specs[code] = TitleSpec(code, name, level, group, block, head, scope, rank, key, leader)
        return code

    def __getitem__(self, code: str) -> TitleSpec:
        return self.specs[code]


@dataclass(eq=False)
class UnitSpec:
    """A planned unit. ``successor`` is where its people go when it closes (None: dissolved)."""

    code: str
    name: str
    kind: str
    block: str
    level: str
    parent: UnitSpec | None
    area_id: int | None
    role: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    successor: UnitSpec | None = None
    district: UnitSpec | None = None
    children: list[UnitSpec] = field(default_factory=list)
    # Fixed staffing on the baseline date: (title code, seats, elastic group or "").
    slots: list[list[Any]] = field(default_factory=list)
    mass_weight: float = 0.0
    mass_titles: tuple[str, ...] = ()
    # For a locality or body of a commune: the matching body of its 2025 commune.
    body: str = ""
    pk: int | None = None
    path: str = ""

    def add(self, **kw: Any) -> UnitSpec:
        child = UnitSpec(parent=self, **kw)
        if child.district is None:
            child.district = self.district
        self.children.append(child)
        return child

    def open_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def walk(self) -> Iterator[UnitSpec]:
        yield self
        for c in self.children:
            yield from c.walk()


def _slug(text: str) -> str:
    return "".join(ch for ch in fold(text).upper().replace(" ", "_") if ch.isalnum() or ch == "_")[:24]


# --------------------------------------------------------------------------------------------
# Province configuration (names follow Lào Cai's organisation before 2025)
# --------------------------------------------------------------------------------------------

PARTY_BOARDS = [
    (
        "VP",
        "Văn phòng Tỉnh ủy",
        "Chánh Văn phòng Tỉnh ủy",
        3,
        ["Phòng Tổng hợp", "Phòng Hành chính – Lưu trữ", "Phòng Quản trị – Tài vụ", "Phòng Tài chính Đảng"],
    ),
    (
        "BTC",
        "Ban Tổ chức Tỉnh ủy",
        "Trưởng Ban Tổ chức Tỉnh ủy",
        3,
        ["Phòng Tổ chức Đảng – Đảng viên", "Phòng Cán bộ", "Phòng Bảo vệ chính trị nội bộ", "Văn phòng Ban"],
    ),
    (
        "BTG",
        "Ban Tuyên giáo Tỉnh ủy",
        "Trưởng Ban Tuyên giáo Tỉnh ủy",
        3,
        [
            "Phòng Lý luận chính trị – Lịch sử Đảng",
            "Phòng Tuyên truyền – Báo chí",
            "Phòng Khoa giáo",
            "Văn phòng Ban",
        ],
    ),
    (
        "BDV",
        "Ban Dân vận Tỉnh ủy",
        "Trưởng Ban Dân vận Tỉnh ủy",
        2,
        ["Phòng Dân vận – Dân tộc – Tôn giáo", "Văn phòng Ban"],
    ),
    (
        "BNC",
        "Ban Nội chính Tỉnh ủy",
        "Trưởng Ban Nội chính Tỉnh ủy",
        2,
        ["Phòng Nghiệp vụ 1", "Phòng Nghiệp vụ 2"],
    ),
    (
        "UBKT",
        "Ủy ban Kiểm tra Tỉnh ủy",
        "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy",
        3,
        ["Phòng Kiểm tra 1", "Phòng Kiểm tra 2", "Phòng Kiểm tra 3", "Văn phòng Ủy ban"],
    ),
    (
        "TCT",
        "Trường Chính trị tỉnh",
        "Hiệu trưởng Trường Chính trị tỉnh",
        2,
        ["Khoa Lý luận cơ sở", "Khoa Xây dựng Đảng", "Khoa Nhà nước và Pháp luật", "Phòng Quản lý đào tạo"],
    ),
    (
        "DUCQ",
        "Đảng ủy Khối các cơ quan tỉnh",
        "Bí thư Đảng ủy Khối các cơ quan tỉnh",
        2,
        ["Ban Tổ chức", "Ban Tuyên giáo", "Văn phòng"],
    ),
    (
        "DUDN",
        "Đảng ủy Khối Doanh nghiệp tỉnh",
        "Bí thư Đảng ủy Khối Doanh nghiệp tỉnh",
        1,
        ["Ban Tổ chức – Kiểm tra", "Văn phòng"],
    ),
]

_VP_TT = ["Văn phòng", "Thanh tra"]
AGENCIES = [
    (
        "VP",
        "Văn phòng UBND tỉnh",
        "Chánh Văn phòng UBND tỉnh",
        [
            "Phòng Tổng hợp",
            "Phòng Kinh tế",
            "Phòng Nội chính",
            "Phòng Khoa giáo – Văn xã",
            "Phòng Hành chính – Tổ chức",
            "Ban Tiếp công dân",
        ],
    ),
    (
        "SNV",
        "Sở Nội vụ",
        "Giám đốc Sở",
        [
            *_VP_TT,
            "Phòng Tổ chức – Biên chế",
            "Phòng Xây dựng chính quyền và Công tác thanh niên",
            "Phòng Cải cách hành chính",
            "Ban Thi đua – Khen thưởng",
            "Ban Tôn giáo",
        ],
    ),
    (
        "STP",
        "Sở Tư pháp",
        "Giám đốc Sở",
        [
            *_VP_TT,
            "Phòng Xây dựng và Kiểm tra văn bản",
            "Phòng Phổ biến, giáo dục pháp luật",
            "Phòng Hành chính tư pháp",
            "Phòng Bổ trợ tư pháp",
        ],
    ),
    (
        "SKHDT",
        "Sở Kế hoạch và Đầu tư",
        "Giám đốc Sở",
        [
            *_VP_TT,
            "Phòng Tổng hợp, Quy hoạch",
            "Phòng Đăng ký kinh doanh",
            "Phòng Kinh tế ngành",
            "Phòng Doanh nghiệp, kinh tế tập thể và tư nhân",
        ],
    ),
    (
        "STC",
        "Sở Tài chính",
        "Giám đốc Sở",
        [
            *_VP_TT,
            "Phòng Quản lý ngân sách",
            "Phòng Tài chính đầu tư",
            "Phòng Quản lý giá và công sản",
            "Phòng Tài chính doanh nghiệp",
        ],
    ),
    (
        "SCT",
        "Sở Công Thương",
        "Giám đốc Sở",
        [
            *_VP_TT,
            "Phòng Quản lý công nghiệp",
            "Phòng Quản lý thương mại",
            "Phòng Quản lý năng lượng",
            "Phòng Kế hoạch – Tài chính",
        ],
    ),
    (
        "SNN",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Giám đốc Sở",
        [
            *_VP_TT,
            "Phòng Kế hoạch – Tài chính",
            "Phòng Tổ chức cán bộ",
            "Chi cục Trồng trọt và Bảo vệ thực vật",
            "Chi cục Chăn nuôi và Thú y",
            "Chi cục Kiểm lâm",
            "Chi cục Thủy lợi",
            "Chi cục Phát triển nông thôn",
        ],
    ),
    (
        "SGTVT",
        "Sở Giao thông vận tải",
        "Giám đốc Sở",
        [
            *_VP_TT,
            "Phòng Quản lý kết cấu hạ tầng giao thông",
            "Phòng Quản lý vận tải, phương tiện và người lái",
            "Phòng Kế hoạch – Tài chính",
        ],
    ),
    (
        "SXD",
        "Sở Xây dựng",
        "Giám đốc Sở",
        [
            *_VP_TT,
            "Phòng Quy hoạch – Kiến trúc",
            "Phòng Quản lý xây dựng",
            "Phòng Phát triển đô thị và Hạ tầng kỹ thuật",
            "Phòng Quản lý nhà và thị trường bất động sản",
        ],
    ),
    (
        "STNMT",
        "Sở Tài nguyên và Môi trường",
        "Giám đốc Sở",
        [
            *_VP_TT,
            "Phòng Quản lý đất đai",
            "Phòng Tài nguyên nước – Khoáng sản",
            "Chi cục Bảo vệ môi trường",
            "Phòng Đo đạc, Bản đồ và Viễn thám",
        ],
    ),
    (
        "STTTT",
        "Sở Thông tin và Truyền thông",
        "Giám đốc Sở",
        [*_VP_TT, "Phòng Báo chí – Xuất bản", "Phòng Bưu chính – Viễn thông", "Phòng Công nghệ thông tin"],
    ),
    (
        "SLDTBXH",
        "Sở Lao động – Thương binh và Xã hội",
        "Giám đốc Sở",
        [
            *_VP_TT,
            "Phòng Lao động – Việc làm – Giáo dục nghề nghiệp",
            "Phòng Người có công",
            "Phòng Bảo trợ xã hội – Trẻ em – Bình đẳng giới",
        ],
    ),
    (
        "SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Giám đốc Sở",
        [
            *_VP_TT,
            "Phòng Quản lý văn hóa và gia đình",
            "Phòng Quản lý thể dục thể thao",
            "Phòng Quản lý du lịch",
            "Phòng Kế hoạch – Tài chính",
        ],
    ),
    (
        "SKHCN",
        "Sở Khoa học và Công nghệ",
        "Giám đốc Sở",
        [
            *_VP_TT,
            "Phòng Quản lý khoa học",
            "Phòng Quản lý công nghệ và Sở hữu trí tuệ",
            "Chi cục Tiêu chuẩn Đo lường Chất lượng",
        ],
    ),
    (
        "SGDDT",
        "Sở Giáo dục và Đào tạo",
        "Giám đốc Sở",
        [
            *_VP_TT,
            "Phòng Giáo dục mầm non – tiểu học",
            "Phòng Giáo dục trung học",
            "Phòng Giáo dục thường xuyên – chuyên nghiệp",
            "Phòng Khảo thí và Quản lý chất lượng",
            "Phòng Tổ chức cán bộ",
            "Phòng Kế hoạch – Tài chính",
        ],
    ),
    (
        "SYT",
        "Sở Y tế",
        "Giám đốc Sở",
        [
            *_VP_TT,
            "Phòng Kế hoạch – Tài chính",
            "Phòng Nghiệp vụ Y",
            "Phòng Nghiệp vụ Dược",
            "Phòng Tổ chức cán bộ",
            "Chi cục Dân số – Kế hoạch hóa gia đình",
            "Chi cục An toàn vệ sinh thực phẩm",
        ],
    ),
    ("SNGV", "Sở Ngoại vụ", "Giám đốc Sở", ["Văn phòng", "Phòng Quản lý biên giới", "Phòng Hợp tác quốc tế"]),
    (
        "TTR",
        "Thanh tra tỉnh",
        "Chánh Thanh tra tỉnh",
        [
            "Văn phòng",
            "Phòng Nghiệp vụ 1",
            "Phòng Nghiệp vụ 2",
            "Phòng Nghiệp vụ 3",
            "Phòng Tiếp công dân và xử lý đơn thư",
            "Phòng Phòng, chống tham nhũng",
        ],
    ),
    (
        "BDT",
        "Ban Dân tộc tỉnh",
        "Trưởng Ban Dân tộc tỉnh",
        [*_VP_TT, "Phòng Chính sách dân tộc", "Phòng Kế hoạch – Tổng hợp"],
    ),
]

# Department mergers of 1/3/2025: (sources, receiving code or None for a new department).
NEW_AGENCIES = [
    ("SNNMT", "Sở Nông nghiệp và Môi trường", ["STNMT", "SNN"]),
]
MERGES_INTO = [("SKHDT", "STC"), ("SLDTBXH", "SNV"), ("SGTVT", "SXD"), ("STTTT", "SKHCN")]

HOSPITAL_WARDS = [
    "Khoa Khám bệnh",
    "Khoa Hồi sức tích cực – Chống độc",
    "Khoa Nội tổng hợp",
    "Khoa Ngoại tổng hợp",
    "Khoa Sản",
    "Khoa Nhi",
    "Khoa Truyền nhiễm",
    "Khoa Xét nghiệm",
    "Khoa Chẩn đoán hình ảnh",
    "Khoa Dược",
    "Phòng Kế hoạch tổng hợp",
    "Phòng Tổ chức cán bộ",
    "Phòng Điều dưỡng",
    "Phòng Tài chính – Kế toán",
]
SMALL_WARDS = [
    "Khoa Khám bệnh",
    "Khoa Điều trị",
    "Khoa Xét nghiệm",
    "Phòng Kế hoạch – Nghiệp vụ",
    "Phòng Tổ chức – Hành chính",
]
CENTRE_DIVISIONS = ["Phòng Hành chính – Tổng hợp", "Phòng Nghiệp vụ"]

# (parent agency code, name, kind of staff, divisions)
SERVICE_UNITS = [
    ("SYT", "Bệnh viện Đa khoa tỉnh Lào Cai", "yte", HOSPITAL_WARDS),
    ("SYT", "Bệnh viện Sản Nhi tỉnh Lào Cai", "yte", HOSPITAL_WARDS[:10]),
    ("SYT", "Bệnh viện Nội tiết tỉnh Lào Cai", "yte", SMALL_WARDS),
    ("SYT", "Bệnh viện Y học cổ truyền tỉnh Lào Cai", "yte", SMALL_WARDS),
    ("SYT", "Bệnh viện Phục hồi chức năng tỉnh Lào Cai", "yte", SMALL_WARDS),
    ("SYT", "Bệnh viện Đa khoa số 2 tỉnh Lào Cai", "yte", HOSPITAL_WARDS[:8]),
    ("SYT", "Bệnh viện Tâm thần tỉnh Lào Cai", "yte", SMALL_WARDS),
    (
        "SYT",
        "Trung tâm Kiểm soát bệnh tật tỉnh",
        "yte",
        [
            "Khoa Phòng chống bệnh truyền nhiễm",
            "Khoa Sức khỏe môi trường – Y tế trường học",
            "Khoa Xét nghiệm",
            "Phòng Kế hoạch – Nghiệp vụ",
            "Phòng Tổ chức – Hành chính",
        ],
    ),
    ("SYT", "Trung tâm Pháp y tỉnh", "yte", []),
    ("SYT", "Trung tâm Kiểm nghiệm thuốc, mỹ phẩm, thực phẩm tỉnh", "yte", []),
    ("SGDDT", "Trường THPT chuyên Lào Cai", "gd", []),
    ("SGDDT", "Trường Phổ thông Dân tộc nội trú THPT tỉnh", "gd", []),
    ("SNV", "Trung tâm Lưu trữ lịch sử tỉnh", "vc", []),
    ("STP", "Trung tâm Trợ giúp pháp lý nhà nước tỉnh", "vc", CENTRE_DIVISIONS),
    ("STP", "Phòng Công chứng số 1 tỉnh", "vc", []),
    ("SNN", "Trung tâm Khuyến nông tỉnh", "vc", CENTRE_DIVISIONS),
    ("SNN", "Trung tâm Nước sạch và Vệ sinh môi trường nông thôn", "vc", CENTRE_DIVISIONS),
    ("SNN", "Ban Quản lý rừng phòng hộ Văn Bàn", "vc", []),
    (
        "STNMT",
        "Văn phòng Đăng ký đất đai tỉnh",
        "vc",
        ["Phòng Hành chính – Tổng hợp", "Phòng Đăng ký và Cấp giấy chứng nhận", "Phòng Kỹ thuật – Địa chính"],
    ),
    ("STNMT", "Trung tâm Phát triển quỹ đất tỉnh", "vc", CENTRE_DIVISIONS),
    ("STNMT", "Trung tâm Quan trắc tài nguyên và môi trường", "vc", []),
    ("STTTT", "Trung tâm Công nghệ thông tin và Truyền thông", "vc", CENTRE_DIVISIONS),
    ("SLDTBXH", "Trung tâm Dịch vụ việc làm tỉnh", "vc", CENTRE_DIVISIONS),
    ("SLDTBXH", "Cơ sở Bảo trợ xã hội tổng hợp tỉnh", "vc", []),
    ("SVHTTDL", "Trung tâm Văn hóa tỉnh", "vc", CENTRE_DIVISIONS),
    ("SVHTTDL", "Thư viện tỉnh", "vc", []),
    ("SVHTTDL", "Bảo tàng tỉnh", "vc", []),
    ("SVHTTDL", "Trung tâm Huấn luyện và Thi đấu thể dục thể thao", "vc", CENTRE_DIVISIONS),
    ("SKHCN", "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ", "vc", []),
    ("SXD", "Trung tâm Kiểm định chất lượng công trình xây dựng", "vc", []),
    ("SKHDT", "Trung tâm Xúc tiến đầu tư tỉnh", "vc", []),
    ("SGTVT", "Ban Quản lý bảo trì đường bộ", "vc", CENTRE_DIVISIONS),
    (
        "UB",
        "Trường Cao đẳng Lào Cai",
        "gd",
        [
            "Phòng Đào tạo",
            "Phòng Tổ chức – Hành chính",
            "Khoa Nông lâm",
            "Khoa Kỹ thuật – Công nghệ",
            "Khoa Y dược",
            "Khoa Kinh tế – Du lịch",
        ],
    ),
    (
        "UB",
        "Đài Phát thanh và Truyền hình tỉnh",
        "vc",
        ["Phòng Thời sự", "Phòng Chuyên đề", "Phòng Kỹ thuật – Công nghệ", "Phòng Hành chính – Tổ chức"],
    ),
    (
        "UB",
        "Ban Quản lý dự án đầu tư xây dựng tỉnh",
        "vc",
        ["Phòng Kế hoạch – Tổng hợp", "Phòng Kỹ thuật", "Phòng Tài chính – Kế toán"],
    ),
    ("UB", "Ban Quản lý Khu kinh tế tỉnh", "vc", CENTRE_DIVISIONS),
    ("TU", "Báo Lào Cai", "vc", ["Phòng Thư ký tòa soạn", "Phòng Phóng viên", "Phòng Hành chính – Trị sự"]),
]

MASS_ORGS = [
    ("TD", "Tỉnh đoàn Lào Cai", "Bí thư Tỉnh đoàn", "Phó Bí thư Tỉnh đoàn", 2),
    (
        "PN",
        "Hội Liên hiệp Phụ nữ tỉnh",
        "Chủ tịch Hội Liên hiệp Phụ nữ tỉnh",
        "Phó Chủ tịch Hội Liên hiệp Phụ nữ tỉnh",
        2,
    ),
    ("ND", "Hội Nông dân tỉnh", "Chủ tịch Hội Nông dân tỉnh", "Phó Chủ tịch Hội Nông dân tỉnh", 2),
    (
        "CCB",
        "Hội Cựu chiến binh tỉnh",
        "Chủ tịch Hội Cựu chiến binh tỉnh",
        "Phó Chủ tịch Hội Cựu chiến binh tỉnh",
        1,
    ),
    (
        "LDLD",
        "Liên đoàn Lao động tỉnh",
        "Chủ tịch Liên đoàn Lao động tỉnh",
        "Phó Chủ tịch Liên đoàn Lao động tỉnh",
        2,
    ),
]

DISTRICT_DIVISIONS = [
    "Văn phòng HĐND và UBND",
    "Phòng Nội vụ",
    "Phòng Tư pháp",
    "Phòng Tài chính – Kế hoạch",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Lao động – Thương binh và Xã hội",
    "Phòng Văn hóa và Thông tin",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Y tế",
    "Thanh tra",
    "Phòng Nông nghiệp và Phát triển nông thôn",
    "Phòng Kinh tế và Hạ tầng",
    "Phòng Dân tộc",
]
DISTRICT_BOARDS = [
    ("VP", "Văn phòng", "Chánh Văn phòng", 1),
    ("BTC", "Ban Tổ chức", "Trưởng Ban Tổ chức", 1),
    ("BTG", "Ban Tuyên giáo", "Trưởng Ban Tuyên giáo", 1),
    ("BDV", "Ban Dân vận", "Trưởng Ban Dân vận", 1),
    ("UBKT", "Ủy ban Kiểm tra", "Chủ nhiệm Ủy ban Kiểm tra", 2),
]
# District public service units: (code, name prefix, staff kind, provincial successor agency or "").
DISTRICT_SERVICES = [
    ("TTYT", "Trung tâm Y tế", "yte", "SYT"),
    ("GDNN", "Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên", "gd", "SGDDT"),
    ("DTNT", "Trường Phổ thông Dân tộc nội trú THCS", "gd", "SGDDT"),
    ("THPT1", "Trường THPT số 1", "gd", ""),
    ("THPT2", "Trường THPT số 2", "gd", ""),
    ("VHTT", "Trung tâm Văn hóa – Thể thao và Truyền thông", "vc", ""),
]
DISTRICT_MASS = [
    ("DOAN", "Huyện đoàn"),
    ("PN", "Hội Liên hiệp Phụ nữ"),
    ("ND", "Hội Nông dân"),
    ("CCB", "Hội Cựu chiến binh"),
]
NEW_COMMUNE_DIVISIONS = [
    "Văn phòng HĐND và UBND",
    "Phòng Kinh tế",
    "Phòng Văn hóa – Xã hội",
    "Trung tâm Phục vụ hành chính công",
]
COMMUNE_MASS_TITLES = ["DOAN", "PN", "ND", "CCB"]

CONGRESS_2015 = {TINH: dt.date(2015, 10, 15), HUYEN: dt.date(2015, 7, 20), XA: dt.date(2015, 5, 15)}
CONGRESS_2020 = {TINH: dt.date(2020, 10, 15), HUYEN: dt.date(2020, 7, 20), XA: dt.date(2020, 5, 15)}
CONGRESS_2025 = {TINH: dt.date(2025, 10, 1), XA: TWO_TIER}


def _district_prefix(kind: str) -> tuple[str, str]:
    """(party committee word, short locality word) for a district kind."""
    if kind == "thanh_pho":
        return "Thành ủy", "thành phố"
    if kind == "thi_xa":
        return "Thị ủy", "thị xã"
    return "Huyện ủy", "huyện"


def _commune_word(kind: str) -> str:
    return {"phuong": "phường", "thi_tran": "thị trấn"}.get(kind, "xã")


def _short(name: str) -> str:
    """ "Huyện Bát Xát" → "Bát Xát"; "Thị trấn Bắc Hà" → "Bắc Hà"."""
    for prefix in ("Thành phố ", "Thị xã ", "Thị trấn ", "Huyện ", "Phường ", "Xã "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


@dataclass
class Structure:
    """The planned province: root, titles, and indexes the people generator needs."""

    root: UnitSpec
    titles: Catalogue
    districts: list[UnitSpec]
    communes: list[UnitSpec]  # old commune localities (152)
    new_communes: list[UnitSpec]  # 2025 commune localities (99)
    yen_bai_communes: list[UnitSpec]
    by_code: dict[str, UnitSpec]
    province_area_id: int
    district_area_ids: dict[str, int]  # district unit code -> area id
    district_commune_area_ids: dict[str, list[int]]  # district unit code -> its commune areas
    other_province_area_ids: list[int]
    district_new_communes: dict[str, list[UnitSpec]]

    def units(self) -> list[UnitSpec]:
        return list(self.root.walk())


def plan_structure(rng: random.Random) -> Structure:
    """Plan the whole unit tree and title catalogue (no database writes except reading areas)."""
    del rng  # the structure is fixed; kept in the signature for future variation
    cat = Catalogue()
    former = AdminArea.Dataset.FORMER
    current = AdminArea.Dataset.CURRENT
    areas = list(AdminArea.objects.filter(dataset__in=[former, current]).order_by("dataset", "level", "code"))
    old_province = next(a for a in areas if a.dataset == former and a.level == "tinh" and a.code == "10")
    new_province = next(a for a in areas if a.dataset == current and a.level == "tinh" and a.code == "15")
    old_districts = [
        a for a in areas if a.dataset == former and a.level == "huyen" and a.parent_id == old_province.pk
    ]
    old_communes = [a for a in areas if a.dataset == former and a.level == "xa" and a.parent_id is not None]
    district_ids = {d.pk for d in old_districts}
    old_communes = [a for a in old_communes if a.parent_id in district_ids]
    new_communes = [
        a for a in areas if a.dataset == current and a.level == "xa" and a.parent_id == new_province.pk
    ]
    other_provinces = [a.pk for a in areas if a.dataset == former and a.level == "tinh" and a.code != "10"]
    from canbo.org.models import AreaLineage

    succ: dict[int, int] = {}
    for pred_id, succ_id in AreaLineage.objects.filter(
        predecessor_id__in=[a.pk for a in old_communes]
    ).values_list("predecessor_id", "successor_id"):
        succ[pred_id] = succ_id

    by_code: dict[str, UnitSpec] = {}

    def reg(u: UnitSpec) -> UnitSpec:
        assert u.code not in by_code, u.code
        by_code[u.code] = u
        return u

    root = reg(
        UnitSpec(
            code=ROOT_CODE,
            name="Tỉnh Lào Cai",
            kind=UnitKind.LOCALITY,
            block=NN,
            level=TINH,
            parent=None,
            area_id=old_province.pk,
            role="root",
        )
    )

    def child(
        parent: UnitSpec, code: str, name: str, kind: str, block: str, level: str, **kw: Any
    ) -> UnitSpec:
        kw.setdefault("area_id", parent.area_id)
        return reg(parent.add(code=code, name=name, kind=kind, block=block, level=level, **kw))

    # Titles of the province.
    t_bt = cat.add("T.BT", "Bí thư Tỉnh ủy", TINH, G.SECRETARY, DANG, TRUONG, S_TW, 100, key=True)
    t_pbt = cat.add(
        "T.PBT", "Phó Bí thư Thường trực Tỉnh ủy", TINH, G.DEPUTY_SECRETARY, DANG, PHO, S_TW, 96, key=True
    )
    t_cthd = cat.add("T.CTHD", "Chủ tịch HĐND tỉnh", TINH, G.COUNCIL_CHAIR, NN, TRUONG, S_TW, 95, key=True)
    t_pcthd = cat.add(
        "T.PCTHD", "Phó Chủ tịch HĐND tỉnh", TINH, G.COUNCIL_VICE, NN, PHO, S_TINH, 88, key=True
    )
    t_ctub = cat.add("T.CTUB", "Chủ tịch UBND tỉnh", TINH, G.COMMITTEE_CHAIR, NN, TRUONG, S_TW, 95, key=True)
    t_pctub = cat.add(
        "T.PCTUB", "Phó Chủ tịch UBND tỉnh", TINH, G.COMMITTEE_VICE, NN, PHO, S_TINH, 88, key=True
    )
    t_ctmt = cat.add(
        "T.CTMT", "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", TINH, G.FRONT_CHAIR, MT, TRUONG, S_TINH, 88, key=True
    )
    t_pctmt = cat.add(
        "T.PCTMT", "Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", TINH, G.AGENCY_DEPUTY, MT, PHO, S_TINH, 70
    )
    div_head = {
        b: cat.add(
            f"T.TP.{b}", "Trưởng phòng và tương đương (cấp tỉnh)", TINH, G.DIVISION_HEAD, b, TRUONG, S_CQ, 50
        )
        for b in (DANG, NN, MT, SN)
    }
    div_dep = {
        b: cat.add(
            f"T.PP.{b}",
            "Phó Trưởng phòng và tương đương (cấp tỉnh)",
            TINH,
            G.DIVISION_DEPUTY,
            b,
            PHO,
            S_CQ,
            45,
        )
        for b in (DANG, NN, MT, SN)
    }
    staff = {
        "cv": cat.add("T.CV", "Chuyên viên", TINH, G.CIVIL_SERVANT, NN, NV, S_CQ, 10),
        "cvd": cat.add(
            "T.CVD", "Chuyên viên (cơ quan Đảng, đoàn thể)", TINH, G.CIVIL_SERVANT, DANG, NV, S_CQ, 10
        ),
        "gd": cat.add("T.GV", "Giáo viên, giảng viên", TINH, G.PUBLIC_EMPLOYEE, SN, NV, S_CQ, 10),
        "yte": cat.add(
            "T.YT", "Bác sĩ, điều dưỡng, viên chức y tế", TINH, G.PUBLIC_EMPLOYEE, SN, NV, S_CQ, 10
        ),
        "vc": cat.add("T.VC", "Viên chức", TINH, G.PUBLIC_EMPLOYEE, SN, NV, S_CQ, 10),
    }

    def divisions(parent: UnitSpec, names: list[str], block: str, mass: float, mass_title: str) -> None:
        for i, dname in enumerate(names, 1):
            full = f"{dname} {parent.name}" if dname in ("Văn phòng", "Thanh tra") else dname
            d = child(
                parent,
                f"{parent.code}.P{i:02d}",
                full,
                UnitKind.DIVISION,
                block,
                parent.level,
                role="division",
                mass_weight=mass,
                mass_titles=(mass_title,),
            )
            d.slots = [[div_head[block], 1, ""], [div_dep[block], 1, "div_dep"]]

    # Party committee of the province and its boards.
    tu = child(root, "LC.TU", "Tỉnh ủy Lào Cai", UnitKind.PARTY_COMMITTEE, DANG, TINH, role="party_committee")
    tu.slots = [[t_bt, 1, ""], [t_pbt, 1, ""]]
    for code, name, head, ndep, divs in PARTY_BOARDS:
        kind = UnitKind.SERVICE if code == "TCT" else UnitKind.PARTY_BOARD
        b = child(tu, f"LC.TU.{code}", name, kind, DANG, TINH, role="agency")
        h = cat.add(f"T.{code}.H", head, TINH, G.AGENCY_HEAD, DANG, TRUONG, S_TINH, 80)
        dep_name = head.replace("Chánh", "Phó Chánh").replace("Trưởng Ban", "Phó Trưởng Ban")
        dep_name = dep_name.replace("Chủ nhiệm", "Phó Chủ nhiệm").replace("Hiệu trưởng", "Phó Hiệu trưởng")
        dep_name = dep_name.replace("Bí thư", "Phó Bí thư")
        d = cat.add(f"T.{code}.D", dep_name, TINH, G.AGENCY_DEPUTY, DANG, PHO, S_TINH, 70)
        b.slots = [[h, 1, ""], [d, ndep, "agency_dep"]]
        divisions(b, divs, DANG, 3, staff["cvd"])

    # People's Council.
    hd = child(
        root, "LC.HD", "Hội đồng nhân dân tỉnh Lào Cai", UnitKind.PEOPLES_COUNCIL, NN, TINH, role="council"
    )
    hd.slots = [[t_cthd, 1, ""], [t_pcthd, 2, ""]]
    t_tbhd = cat.add("T.TBHD", "Trưởng ban HĐND tỉnh", TINH, G.AGENCY_HEAD, NN, TRUONG, S_TINH, 78)
    t_ptbhd = cat.add("T.PTBHD", "Phó Trưởng ban HĐND tỉnh", TINH, G.AGENCY_DEPUTY, NN, PHO, S_TINH, 68)
    for i, bname in enumerate(
        ["Ban Kinh tế – Ngân sách", "Ban Văn hóa – Xã hội", "Ban Pháp chế", "Ban Dân tộc"], 1
    ):
        b = child(hd, f"LC.HD.B{i}", f"{bname} HĐND tỉnh", UnitKind.DIVISION, NN, TINH, role="council_board")
        b.slots = [[t_tbhd, 1, ""], [t_ptbhd, 1, ""]]
    vp = child(
        hd, "LC.HD.VP", "Văn phòng Đoàn ĐBQH và HĐND tỉnh", UnitKind.DEPARTMENT, NN, TINH, role="agency"
    )
    vp.slots = [
        [
            cat.add(
                "T.VPHD.H",
                "Chánh Văn phòng Đoàn ĐBQH và HĐND tỉnh",
                TINH,
                G.AGENCY_HEAD,
                NN,
                TRUONG,
                S_TINH,
                78,
            ),
            1,
            "",
        ],
        [
            cat.add(
                "T.VPHD.D",
                "Phó Chánh Văn phòng Đoàn ĐBQH và HĐND tỉnh",
                TINH,
                G.AGENCY_DEPUTY,
                NN,
                PHO,
                S_TINH,
                68,
            ),
            2,
            "",
        ],
    ]
    divisions(
        vp,
        ["Phòng Công tác HĐND", "Phòng Công tác Quốc hội", "Phòng Hành chính – Tổ chức – Quản trị"],
        NN,
        4,
        staff["cv"],
    )

    # People's Committee and its agencies.
    ub = child(
        root, "LC.UB", "Ủy ban nhân dân tỉnh Lào Cai", UnitKind.PEOPLES_COMMITTEE, NN, TINH, role="committee"
    )
    ub.slots = [[t_ctub, 1, ""], [t_pctub, 3, ""]]
    agency_titles: dict[str, tuple[str, str]] = {}
    for code, name, head, divs in AGENCIES:
        ag = child(
            ub,
            f"LC.UB.{code}",
            name + (" tỉnh Lào Cai" if name.startswith("Sở") else ""),
            UnitKind.DEPARTMENT,
            NN,
            TINH,
            role="agency",
        )
        hcode = "SO" if head == "Giám đốc Sở" else code
        dep = "Phó " + head[0].lower() + head[1:] if not head.startswith("Chánh") else "Phó " + head
        h = cat.add(f"T.{hcode}.H", head, TINH, G.AGENCY_HEAD, NN, TRUONG, S_TINH, 80)
        d = cat.add(f"T.{hcode}.D", dep, TINH, G.AGENCY_DEPUTY, NN, PHO, S_TINH, 70)
        agency_titles[code] = (h, d)
        ag.slots = [[h, 1, ""], [d, 3, "agency_dep"]]
        divisions(ag, divs, NN, 6, staff["cv"])

    # Front and mass organisations.
    mt = child(root, "LC.MT", "Ủy ban MTTQ Việt Nam tỉnh Lào Cai", UnitKind.FRONT, MT, TINH, role="front")
    mt.slots = [[t_ctmt, 1, ""], [t_pctmt, 3, ""]]
    divisions(
        mt, ["Ban Dân chủ – Pháp luật", "Ban Tuyên giáo", "Ban Phong trào", "Văn phòng"], MT, 2, staff["cvd"]
    )
    for code, name, head, dep, ndep in MASS_ORGS:
        m = child(root, f"LC.{code}", name, UnitKind.FRONT, MT, TINH, role="agency")
        m.slots = [
            [cat.add(f"T.{code}.H", head, TINH, G.AGENCY_HEAD, MT, TRUONG, S_TINH, 78), 1, ""],
            [cat.add(f"T.{code}.D", dep, TINH, G.AGENCY_DEPUTY, MT, PHO, S_TINH, 68), ndep, ""],
        ]
        divisions(
            m, ["Ban Tổ chức – Kiểm tra", "Ban Tuyên giáo – Phong trào", "Văn phòng"], MT, 2, staff["cvd"]
        )

    # Provincial public service units.
    su_head = cat.add(
        "T.SN.H", "Giám đốc, Hiệu trưởng đơn vị sự nghiệp tỉnh", TINH, G.AGENCY_HEAD, SN, TRUONG, S_TINH, 72
    )
    su_dep = cat.add(
        "T.SN.D",
        "Phó Giám đốc, Phó Hiệu trưởng đơn vị sự nghiệp tỉnh",
        TINH,
        G.AGENCY_DEPUTY,
        SN,
        PHO,
        S_TINH,
        62,
    )
    service_parents = {"UB": ub, "TU": tu}
    school_names: list[str] = []
    weights = {"yte": 40.0, "gd": 30.0, "vc": 8.0}

    def service(
        parent: UnitSpec, code: str, name: str, staff_kind: str, divs: list[str], level: str = TINH
    ) -> UnitSpec:
        su = child(parent, code, name, UnitKind.SERVICE, SN, level, role="service")
        big = len(divs) >= 8
        if level == TINH:
            su.slots = [[su_head, 1, ""], [su_dep, 2 if big else 1, "service_dep"]]
        su.mass_titles = (staff[staff_kind] if level == TINH else f"H.{staff_kind.upper()}",)
        if divs:
            for i, dname in enumerate(divs, 1):
                d = child(
                    su,
                    f"{code}.K{i:02d}",
                    dname,
                    UnitKind.DIVISION,
                    SN,
                    level,
                    role="division",
                    mass_weight=weights[staff_kind] / 2,
                    mass_titles=su.mass_titles,
                )
                if level == TINH:
                    d.slots = [[div_head[SN], 1, ""], [div_dep[SN], 1, "div_dep"]]
            su.mass_weight = 2.0
        else:
            su.mass_weight = weights[staff_kind]
        return su

    for i, (pcode, name, skind, divs) in enumerate(SERVICE_UNITS, 1):
        parent = service_parents.get(pcode) or by_code[f"LC.UB.{pcode}"]
        service(parent, f"{parent.code}.S{i:02d}", name, skind, divs)

    # Districts and communes (former list), with the 2025 communes planned beside them.
    district_area_ids: dict[str, int] = {}
    district_commune_area_ids: dict[str, list[int]] = {}
    districts: list[UnitSpec] = []
    communes: list[UnitSpec] = []
    new_by_area: dict[int, UnitSpec] = {}
    t = _district_titles(cat)
    x = _commune_titles(cat)
    sgd = by_code["LC.UB.SGDDT"]
    for dist in old_districts:
        party_word, word = _district_prefix(dist.kind)
        short = _short(dist.name)
        dcode = f"LC.H{dist.code}"
        loc = child(root, dcode, dist.name, UnitKind.LOCALITY, NN, HUYEN, area_id=dist.pk, role="district")
        loc.district = loc
        districts.append(loc)
        district_area_ids[dcode] = dist.pk
        hu = child(
            loc,
            f"{dcode}.HU",
            f"{party_word} {short}",
            UnitKind.PARTY_COMMITTEE,
            DANG,
            HUYEN,
            role="party_committee",
        )
        hu.slots = [[t["BT"], 1, ""], [t["PBT"], 1, ""]]
        for code, bname, _head, ndep in DISTRICT_BOARDS:
            b = child(
                hu,
                f"{hu.code}.{code}",
                f"{bname} {party_word} {short}",
                UnitKind.PARTY_BOARD,
                DANG,
                HUYEN,
                role="agency",
            )
            b.slots = [[t[f"{code}.H"], 1, ""], [t[f"{code}.D"], ndep, ""]]
            b.mass_weight, b.mass_titles = 1.5, (t["CV"],)
        hdh = child(
            loc, f"{dcode}.HD", f"HĐND {word} {short}", UnitKind.PEOPLES_COUNCIL, NN, HUYEN, role="council"
        )
        hdh.slots = [[t["CTHD"], 1, ""], [t["PCTHD"], 2 if dist.code == "080" else 1, ""]]
        ubh = child(
            loc,
            f"{dcode}.UB",
            f"UBND {word} {short}",
            UnitKind.PEOPLES_COMMITTEE,
            NN,
            HUYEN,
            role="committee",
        )
        ubh.slots = [[t["CTUB"], 1, ""], [t["PCTUB"], 3, ""]]
        for i, dname in enumerate(DISTRICT_DIVISIONS, 1):
            if dist.kind != "huyen":
                dname = {
                    "Phòng Nông nghiệp và Phát triển nông thôn": "Phòng Kinh tế",
                    "Phòng Kinh tế và Hạ tầng": "Phòng Quản lý đô thị",
                }.get(dname, dname)
            dv = child(
                ubh,
                f"{ubh.code}.P{i:02d}",
                f"{dname} {word} {short}",
                UnitKind.DIVISION,
                NN,
                HUYEN,
                role="division",
            )
            dv.slots = [[t["TP"], 1, ""], [t["PP"], 2 if i in (1, 8) else 1, ""]]
            dv.mass_weight, dv.mass_titles = 3.0, (t["CV"],)
        for code, sname, skind, _succ in DISTRICT_SERVICES:
            if code == "THPT2" and dist.code in ("084", "088"):
                continue
            if code.startswith("THPT"):
                dsu = service(sgd, f"{sgd.code}.{dist.code}{code}", f"{sname} {short}", "gd", [])
                school_names.append(dsu.name)
                continue
            dsu = child(
                ubh,
                f"{ubh.code}.{code}",
                f"{sname} {word} {short}",
                UnitKind.SERVICE,
                SN,
                HUYEN,
                role="service",
            )
            dsu.slots = [[t["SN.H"], 1, ""], [t["SN.D"], 2 if code == "TTYT" else 1, ""]]
            dsu.mass_weight = {"yte": 60.0, "gd": 14.0, "vc": 5.0}[skind]
            dsu.mass_titles = (t[f"{skind.upper()}"],)
            dsu.body = code
        mth = child(
            loc,
            f"{dcode}.MT",
            f"Ủy ban MTTQ Việt Nam {word} {short}",
            UnitKind.FRONT,
            MT,
            HUYEN,
            role="front",
        )
        mth.slots = [[t["CTMT"], 1, ""], [t["PCTMT"], 1, ""]]
        for code, mname in DISTRICT_MASS:
            m = child(
                loc, f"{dcode}.{code}", f"{mname} {word} {short}", UnitKind.FRONT, MT, HUYEN, role="agency"
            )
            m.slots = [[t[f"M{code}"], 1, ""]]
        # Communes of the district.
        district_commune_area_ids[dcode] = []
        for ca in [a for a in old_communes if a.parent_id == dist.pk]:
            district_commune_area_ids[dcode].append(ca.pk)
            word_c = _commune_word(ca.kind)
            cshort = _short(ca.name)
            cl = child(
                loc,
                f"LC.X{ca.code}",
                ca.name,
                UnitKind.LOCALITY,
                NN,
                XA,
                area_id=ca.pk,
                role="commune",
                body="LOC",
            )
            if ca.valid_to and ca.valid_to < dt.date(2025, 6, 30):
                cl.role = "commune_ta_chai"
            communes.append(cl)
            du = child(
                cl,
                f"{cl.code}.DU",
                f"Đảng ủy {word_c} {cshort}",
                UnitKind.PARTY_COMMITTEE,
                DANG,
                XA,
                role="party_committee",
                body="DU",
            )
            du.slots = [[x["BT"], 1, ""], [x["PBT"], 1, ""]]
            hx = child(
                cl,
                f"{cl.code}.HD",
                f"HĐND {word_c} {cshort}",
                UnitKind.PEOPLES_COUNCIL,
                NN,
                XA,
                role="council",
                body="HD",
            )
            hx.slots = [[x["CTHD"], 1, ""], [x["PCTHD"], 1, ""]]
            ux = child(
                cl,
                f"{cl.code}.UB",
                f"UBND {word_c} {cshort}",
                UnitKind.PEOPLES_COMMITTEE,
                NN,
                XA,
                role="committee",
                body="UB",
            )
            ux.slots = [
                [x["CTUB"], 1, ""],
                [x["PCTUB"], 2, ""],
                [x["CHQS"], 1, ""],
                [x["VPTK"], 2, ""],
                [x["DCXD"], 2, ""],
                [x["TCKT"], 2, ""],
                [x["TPHT"], 2, ""],
                [x["VHXH"], 2, ""],
            ]
            mx = child(
                cl,
                f"{cl.code}.MT",
                f"Ủy ban MTTQ Việt Nam {word_c} {cshort}",
                UnitKind.FRONT,
                MT,
                XA,
                role="front",
                body="MT",
            )
            mx.slots = [[x["CTMT"], 1, ""]] + [[x[f"M{m}"], 1, ""] for m in COMMUNE_MASS_TITLES]
    # Commune size: 23 cadres and civil servants in 110 communes, 22 in the other 42 (3,454 in all).
    for c in communes[110:]:
        by_code[f"{c.code}.UB"].slots[5][1] = 1  # one accountant fewer

    # New communes (1/7/2025) under the root, in the 2025 code order.
    n_t = _new_commune_titles(cat)
    new_commune_specs: list[UnitSpec] = []
    lc_new_ids = {succ[c.area_id] for c in communes if c.area_id in succ}
    for a in new_communes:
        word_c = _commune_word(a.kind)
        short = _short(a.name)
        nl = child(
            root,
            f"LC.XM{a.code}",
            a.name,
            UnitKind.LOCALITY,
            NN,
            XA,
            area_id=a.pk,
            role="new_commune",
            valid_from=TWO_TIER,
            body="LOC",
        )
        new_by_area[a.pk] = nl
        new_commune_specs.append(nl)
        du = child(
            nl,
            f"{nl.code}.DU",
            f"Đảng ủy {word_c} {short}",
            UnitKind.PARTY_COMMITTEE,
            DANG,
            XA,
            valid_from=TWO_TIER,
            body="DU",
            role="party_committee",
        )
        child(
            nl,
            f"{nl.code}.HD",
            f"HĐND {word_c} {short}",
            UnitKind.PEOPLES_COUNCIL,
            NN,
            XA,
            valid_from=TWO_TIER,
            body="HD",
            role="council",
        )
        ux = child(
            nl,
            f"{nl.code}.UB",
            f"UBND {word_c} {short}",
            UnitKind.PEOPLES_COMMITTEE,
            NN,
            XA,
            valid_from=TWO_TIER,
            body="UB",
            role="committee",
        )
        for i, dname in enumerate(NEW_COMMUNE_DIVISIONS, 1):
            if dname == "Phòng Kinh tế" and a.kind == "phuong":
                dname = "Phòng Kinh tế, Hạ tầng và Đô thị"
            child(
                ux,
                f"{ux.code}.P{i}",
                dname,
                UnitKind.DIVISION,
                NN,
                XA,
                valid_from=TWO_TIER,
                role="division",
                body=f"P{i}",
            )
        child(
            nl,
            f"{nl.code}.MT",
            f"Ủy ban MTTQ Việt Nam {word_c} {short}",
            UnitKind.FRONT,
            MT,
            XA,
            valid_from=TWO_TIER,
            body="MT",
            role="front",
        )
        del du
    yen_bai = [nl for nl in new_commune_specs if nl.area_id not in lc_new_ids]
    for nl in yen_bai:
        nl.role = "new_commune_yb"
    del n_t

    # Fates of the former communes: each body goes to the same body of its 2025 commune.
    ta_chai = next(c for c in communes if c.role == "commune_ta_chai")
    bac_ha = next(c for c in communes if c.area_id == next(a.pk for a in old_communes if a.code == "02839"))
    for c in communes:
        if c is ta_chai:
            c.valid_to = TA_CHAI_MERGE - dt.timedelta(days=1)
            target = bac_ha
        else:
            c.valid_to = TWO_TIER - dt.timedelta(days=1)
            assert c.area_id is not None
            target = new_by_area[succ[c.area_id]]
        c.successor = target
        for body in c.children:
            body.valid_to = c.valid_to
            body.successor = next(b for b in target.children if b.body == body.body)
    district_new_communes: dict[str, list[UnitSpec]] = {}
    for dl in districts:
        seen: list[UnitSpec] = []
        for c in dl.children:
            if c.role == "commune" and c.successor is not None and c.successor not in seen:
                seen.append(c.successor)
        district_new_communes[dl.code] = seen

    # Department mergers (1/3/2025).
    day_before = DEPARTMENT_MERGE - dt.timedelta(days=1)
    for code, name, sources in NEW_AGENCIES:
        nag = child(
            ub,
            f"LC.UB.{code}",
            f"{name} tỉnh Lào Cai",
            UnitKind.DEPARTMENT,
            NN,
            TINH,
            role="agency",
            valid_from=DEPARTMENT_MERGE,
        )
        for src_code in sources:
            _plan_merge(by_code[f"LC.UB.{src_code}"], nag, day_before, reg)
    for src_code, dst_code in MERGES_INTO:
        _plan_merge(by_code[f"LC.UB.{src_code}"], by_code[f"LC.UB.{dst_code}"], day_before, reg)

    # District public service units taken over by the province's departments (1/7/2025).
    last = TWO_TIER - dt.timedelta(days=1)
    for dl in districts:
        for u in list(dl.walk()):
            if u.role in ("district", "commune") or u.parent is None:
                continue
            if u.valid_to is None:
                u.valid_to = last
        ubh = by_code[f"{dl.code}.UB"]
        for code, sname, _kind, succ_code in DISTRICT_SERVICES:
            dsrv = by_code.get(f"{ubh.code}.{code}")
            if dsrv is None or not succ_code:
                continue
            region = "khu vực " + _short(dl.name)
            parent = by_code[f"LC.UB.{succ_code}"]
            nu = child(
                parent,
                f"{parent.code}.{dl.code[-3:]}{code}",
                f"{sname} {region}",
                UnitKind.SERVICE,
                SN,
                TINH,
                role="service",
                valid_from=TWO_TIER,
                area_id=dl.area_id,
            )
            nu.mass_titles = (staff["yte" if code == "TTYT" else "gd"],)
            dsrv.successor = nu
        dl.valid_to = last
    return Structure(
        root=root,
        titles=cat,
        districts=districts,
        communes=communes,
        new_communes=new_commune_specs,
        yen_bai_communes=yen_bai,
        by_code=by_code,
        province_area_id=old_province.pk,
        district_area_ids=district_area_ids,
        district_commune_area_ids=district_commune_area_ids,
        other_province_area_ids=other_provinces,
        district_new_communes=district_new_communes,
    )


def _plan_merge(src: UnitSpec, dst: UnitSpec, last_day: dt.date, reg: Any) -> None:
    """Plan ``src`` merged into ``dst``: each child goes to ``dst``'s child of the same name,
    created from the merger date when ``dst`` lacks one."""
    src.valid_to = last_day
    src.successor = dst
    start = last_day + dt.timedelta(days=1)
    for c in src.children:
        short = c.name.replace(src.name, "").strip()
        match = next(
            (d for d in dst.children if d.name.replace(dst.name, "").strip() == short and d.open_on(start)),
            None,
        )
        if match is None:
            name = f"{short} {dst.name}" if short in ("Văn phòng", "Thanh tra") else c.name
            match = reg(
                dst.add(
                    code=f"{dst.code}.{c.code.rsplit('.', 1)[-1]}{src.code.rsplit('.', 1)[-1]}",
                    name=name,
                    kind=c.kind,
                    block=c.block,
                    level=c.level,
                    area_id=c.area_id,
                    role=c.role,
                    valid_from=start,
                    mass_titles=c.mass_titles,
                    slots=[],
                )
            )
        _plan_merge(c, match, last_day, reg)


def _district_titles(cat: Catalogue) -> dict[str, str]:
    h = HUYEN
    t = {
        "BT": cat.add(
            "H.BT", "Bí thư Huyện ủy (Thành ủy, Thị ủy)", h, G.SECRETARY, DANG, TRUONG, S_TINH, 70, key=True
        ),
        "PBT": cat.add(
            "H.PBT", "Phó Bí thư Thường trực Huyện ủy", h, G.DEPUTY_SECRETARY, DANG, PHO, S_TINH, 66, key=True
        ),
        "CTHD": cat.add(
            "H.CTHD", "Chủ tịch HĐND cấp huyện", h, G.COUNCIL_CHAIR, NN, TRUONG, S_TINH, 65, key=True
        ),
        "PCTHD": cat.add(
            "H.PCTHD", "Phó Chủ tịch HĐND cấp huyện", h, G.COUNCIL_VICE, NN, PHO, S_TINH, 58, key=True
        ),
        "CTUB": cat.add(
            "H.CTUB", "Chủ tịch UBND cấp huyện", h, G.COMMITTEE_CHAIR, NN, TRUONG, S_TINH, 66, key=True
        ),
        "PCTUB": cat.add(
            "H.PCTUB", "Phó Chủ tịch UBND cấp huyện", h, G.COMMITTEE_VICE, NN, PHO, S_TINH, 58, key=True
        ),
        "CTMT": cat.add(
            "H.CTMT", "Chủ tịch Ủy ban MTTQ cấp huyện", h, G.FRONT_CHAIR, MT, TRUONG, S_TINH, 58, key=True
        ),
        "PCTMT": cat.add(
            "H.PCTMT", "Phó Chủ tịch Ủy ban MTTQ cấp huyện", h, G.AGENCY_DEPUTY, MT, PHO, S_HUYEN, 45
        ),
        "TP": cat.add(
            "H.TP", "Trưởng phòng và tương đương (cấp huyện)", h, G.DIVISION_HEAD, NN, TRUONG, S_HUYEN, 50
        ),
        "PP": cat.add(
            "H.PP", "Phó Trưởng phòng và tương đương (cấp huyện)", h, G.DIVISION_DEPUTY, NN, PHO, S_HUYEN, 42
        ),
        "SN.H": cat.add(
            "H.SN.H",
            "Giám đốc, Hiệu trưởng đơn vị sự nghiệp cấp huyện",
            h,
            G.AGENCY_HEAD,
            SN,
            TRUONG,
            S_HUYEN,
            48,
        ),
        "SN.D": cat.add(
            "H.SN.D",
            "Phó Giám đốc, Phó Hiệu trưởng đơn vị sự nghiệp cấp huyện",
            h,
            G.AGENCY_DEPUTY,
            SN,
            PHO,
            S_HUYEN,
            40,
        ),
        "CV": cat.add("H.CV", "Chuyên viên (cấp huyện)", h, G.CIVIL_SERVANT, NN, NV, S_CQ, 8),
        "YTE": cat.add(
            "H.YTE", "Bác sĩ, điều dưỡng, viên chức y tế (cấp huyện)", h, G.PUBLIC_EMPLOYEE, SN, NV, S_CQ, 8
        ),
        "GD": cat.add("H.GD", "Giáo viên (cấp huyện)", h, G.PUBLIC_EMPLOYEE, SN, NV, S_CQ, 8),
        "VC": cat.add("H.VC", "Viên chức (cấp huyện)", h, G.PUBLIC_EMPLOYEE, SN, NV, S_CQ, 8),
    }
    for code, bname, head, _n in DISTRICT_BOARDS:
        dep = (
            head.replace("Chánh", "Phó Chánh")
            .replace("Trưởng", "Phó Trưởng")
            .replace("Chủ nhiệm", "Phó Chủ nhiệm")
        )
        t[f"{code}.H"] = cat.add(
            f"H.{code}.H", f"{head} Huyện ủy", h, G.AGENCY_HEAD, DANG, TRUONG, S_TINH, 56
        )
        t[f"{code}.D"] = cat.add(f"H.{code}.D", f"{dep} Huyện ủy", h, G.AGENCY_DEPUTY, DANG, PHO, S_HUYEN, 44)
        del bname
    for code, mname in DISTRICT_MASS:
        head = "Bí thư Huyện đoàn" if code == "DOAN" else f"Chủ tịch {mname} cấp huyện"
        t[f"M{code}"] = cat.add(f"H.M{code}", head, h, G.AGENCY_HEAD, MT, TRUONG, S_HUYEN, 46)
    return t


def _commune_titles(cat: Catalogue) -> dict[str, str]:
    x = XA
    cadre, cs = G.COMMUNE_CADRE, G.CIVIL_SERVANT
    return {
        "BT": cat.add("X.BT", "Bí thư Đảng ủy cấp xã", x, G.SECRETARY, DANG, TRUONG, S_HUYEN, 40, key=True),
        "PBT": cat.add(
            "X.PBT", "Phó Bí thư Đảng ủy cấp xã", x, G.DEPUTY_SECRETARY, DANG, PHO, S_HUYEN, 36, key=True
        ),
        "CTHD": cat.add(
            "X.CTHD", "Chủ tịch HĐND cấp xã", x, G.COUNCIL_CHAIR, NN, TRUONG, S_HUYEN, 37, key=True
        ),
        "PCTHD": cat.add(
            "X.PCTHD", "Phó Chủ tịch HĐND cấp xã", x, G.COUNCIL_VICE, NN, PHO, S_HUYEN, 32, key=True
        ),
        "CTUB": cat.add(
            "X.CTUB", "Chủ tịch UBND cấp xã", x, G.COMMITTEE_CHAIR, NN, TRUONG, S_HUYEN, 38, key=True
        ),
        "PCTUB": cat.add(
            "X.PCTUB", "Phó Chủ tịch UBND cấp xã", x, G.COMMITTEE_VICE, NN, PHO, S_HUYEN, 33, key=True
        ),
        "CTMT": cat.add(
            "X.CTMT", "Chủ tịch Ủy ban MTTQ cấp xã", x, G.FRONT_CHAIR, MT, TRUONG, S_HUYEN, 32, key=True
        ),
        "PCTMT": cat.add("X.PCTMT", "Phó Chủ tịch Ủy ban MTTQ cấp xã", x, G.COMMUNE_CADRE, MT, PHO, S_XA, 26),
        "MDOAN": cat.add("X.MDOAN", "Bí thư Đoàn Thanh niên cấp xã", x, cadre, MT, TRUONG, S_XA, 28),
        "MPN": cat.add("X.MPN", "Chủ tịch Hội Liên hiệp Phụ nữ cấp xã", x, cadre, MT, TRUONG, S_XA, 28),
        "MND": cat.add("X.MND", "Chủ tịch Hội Nông dân cấp xã", x, cadre, MT, TRUONG, S_XA, 28),
        "MCCB": cat.add("X.MCCB", "Chủ tịch Hội Cựu chiến binh cấp xã", x, cadre, MT, TRUONG, S_XA, 28),
        "CHQS": cat.add("X.CHQS", "Chỉ huy trưởng Ban Chỉ huy quân sự cấp xã", x, cs, NN, NV, S_XA, 20),
        "VPTK": cat.add("X.VPTK", "Công chức Văn phòng – Thống kê", x, cs, NN, NV, S_XA, 15),
        "DCXD": cat.add(
            "X.DCXD", "Công chức Địa chính – Xây dựng – Đô thị và Môi trường", x, cs, NN, NV, S_XA, 15
        ),
        "TCKT": cat.add("X.TCKT", "Công chức Tài chính – Kế toán", x, cs, NN, NV, S_XA, 15),
        "TPHT": cat.add("X.TPHT", "Công chức Tư pháp – Hộ tịch", x, cs, NN, NV, S_XA, 15),
        "VHXH": cat.add("X.VHXH", "Công chức Văn hóa – Xã hội", x, cs, NN, NV, S_XA, 15),
    }


def _new_commune_titles(cat: Catalogue) -> dict[str, str]:
    x = XA
    return {
        "TP": cat.add(
            "X.TP", "Trưởng phòng và tương đương (cấp xã)", x, G.DIVISION_HEAD, NN, TRUONG, S_XA, 30
        ),
        "PP": cat.add(
            "X.PP", "Phó Trưởng phòng và tương đương (cấp xã)", x, G.DIVISION_DEPUTY, NN, PHO, S_XA, 27
        ),
        "CV": cat.add("X.CV", "Chuyên viên (cấp xã)", x, G.CIVIL_SERVANT, NN, NV, S_XA, 14),
    }


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def write_titles(cat: Catalogue, *, acting_user: Any, reason: str) -> None:
    """Create the catalogue's titles (or reuse those already there with the same code)."""
    existing = {t.code: t for t in Title.objects.filter(code__in=list(cat.specs))}
    new: list[Title] = []
    for spec in cat.specs.values():
        if spec.code in existing:
            cat.rows[spec.code] = existing[spec.code]
            continue
        row = Title(
            code=spec.code,
            name=spec.name,
            level=spec.level,
            group=spec.group,
            block=spec.block,
            is_key=spec.is_key,
            is_leader=spec.is_leader,
            head_kind=spec.head_kind,
            management_scope=spec.scope,
            rank=spec.rank,
        )
        new.append(row)
        cat.rows[spec.code] = row
    Title.objects.bulk_create(new)
    bulk_log_created(new, acting_user=acting_user, reason=reason)


def write_units(structure: Structure, *, acting_user: Any, reason: str) -> dict[str, Unit]:
    """Bulk-create the planned tree with materialized paths, then its posts; log both."""
    last_root = Unit.objects.get_last_root_node()
    root_path = last_root._inc_path() if last_root else Unit._get_path(None, 1, 1)
    rows: list[Unit] = []
    specs: list[UnitSpec] = []

    def visit(u: UnitSpec, path: str, depth: int) -> None:
        u.path = path
        # The tree written now holds each unit as it starts; closing dates come from the
        # restructuring services, except for the planned start of later units.
        rows.append(
            Unit(
                path=path,
                depth=depth,
                numchild=len(u.children),
                code=u.code,
                name=u.name,
                kind=u.kind,
                block=u.block,
                level=u.level,
                area_id=u.area_id,
                valid_from=u.valid_from,
                valid_to=None,
            )
        )
        specs.append(u)
        for i, c in enumerate(u.children, 1):
            visit(c, Unit._get_path(path, depth + 1, i), depth + 1)

    visit(structure.root, root_path, 1)
    Unit.objects.bulk_create(rows, batch_size=500)
    by_code = {u.code: u for u in Unit.objects.filter(path__startswith=root_path)}
    for s in specs:
        s.pk = by_code[s.code].pk
    bulk_log_created([by_code[s.code] for s in specs], acting_user=acting_user, reason=reason)
    return by_code


def write_posts(
    structure: Structure, units: dict[str, Unit], *, acting_user: Any, reason: str
) -> dict[tuple[str, str], Post]:
    """One post per title planned in a unit (fixed slots, and the staff titles of the mass)."""
    posts: list[Post] = []
    out: dict[tuple[str, str], Post] = {}
    for u in structure.units():
        seats: dict[str, int] = {}
        for title_code, n, _g in u.slots:
            seats[title_code] = seats.get(title_code, 0) + n
        for title_code in u.mass_titles:
            seats.setdefault(title_code, 0)
        for title_code, n in seats.items():
            p = Post(
                unit=units[u.code],
                title=structure.titles.rows[title_code],
                seats=max(1, n),
                valid_from=u.valid_from,
            )
            posts.append(p)
            out[(u.code, title_code)] = p
    Post.objects.bulk_create(posts, batch_size=1000)
    bulk_log_created(posts, acting_user=acting_user, reason=reason)
    return out


def run_events(structure: Structure, units: dict[str, Unit], *, acting_user: Any) -> int:
    """Apply the planned restructuring through the services, in date order. Returns the count."""
    n = 0

    def obj(u: UnitSpec) -> Unit:
        return Unit.objects.get(pk=u.pk)

    def merge_tree(src: UnitSpec, on: dt.date, basis: str) -> None:
        nonlocal n
        for c in src.children:
            if c.valid_to is not None and c.valid_to == on - dt.timedelta(days=1) and c.successor is not None:
                merge_tree(c, on, basis)
        assert src.successor is not None
        unit_merge(acting_user=acting_user, sources=[obj(src)], on=on, into=obj(src.successor), basis=basis)
        n += 1

    # 1/11/2024: Tà Chải into Thị trấn Bắc Hà.
    for c in structure.communes:
        if c.role == "commune_ta_chai":
            merge_tree(c, TA_CHAI_MERGE, BASIS_TA_CHAI)
    # 1/3/2025: department mergers (children first, then the department).
    for u in structure.units():
        if u.role == "agency" and u.valid_to == DEPARTMENT_MERGE - dt.timedelta(days=1) and u.level == TINH:
            merge_tree(u, DEPARTMENT_MERGE, BASIS_DEPARTMENTS)
    # 1/7/2025: communes into the new communes, district services to the departments, districts end.
    for c in structure.communes:
        if c.role == "commune":
            merge_tree(c, TWO_TIER, BASIS_COMMUNES)
    for d in structure.districts:
        for u in d.walk():
            if u.role == "service" and u.successor is not None:
                unit_merge(
                    acting_user=acting_user,
                    sources=[obj(u)],
                    on=TWO_TIER,
                    into=obj(u.successor),
                    basis=BASIS_DISTRICT_SERVICES,
                )
                n += 1
        unit_dissolve(acting_user=acting_user, unit=obj(d), on=TWO_TIER, basis=BASIS_DISTRICTS)
        n += 1
    return n
