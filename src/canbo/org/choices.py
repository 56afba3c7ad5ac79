"""Enumerations of the organisation: unit kinds, blocks, levels, title groups, management scopes."""

from django.db import models


class AreaLevel(models.TextChoices):
    PROVINCE = "tinh", "Cấp tỉnh"
    DISTRICT = "huyen", "Cấp huyện"
    COMMUNE = "xa", "Cấp xã"


class Level(models.TextChoices):
    """Level of a unit or a title. District level ends on 30/6/2025 (RULES.md G-3)."""

    CENTRAL = "tw", "Trung ương"
    PROVINCE = "tinh", "Cấp tỉnh"
    DISTRICT = "huyen", "Cấp huyện"
    COMMUNE = "xa", "Cấp xã"


class Block(models.TextChoices):
    PARTY = "dang", "Đảng"
    STATE = "nha_nuoc", "Nhà nước"
    FRONT = "mat_tran", "Mặt trận và đoàn thể"
    SERVICE = "su_nghiep", "Sự nghiệp"


class UnitKind(models.TextChoices):
    LOCALITY = "dia_phuong", "Địa phương (khối tổng hợp)"
    PARTY_COMMITTEE = "cap_uy", "Cấp ủy đảng"
    PARTY_BOARD = "co_quan_dang", "Cơ quan tham mưu của cấp ủy"
    PEOPLES_COUNCIL = "hdnd", "Hội đồng nhân dân"
    PEOPLES_COMMITTEE = "ubnd", "Ủy ban nhân dân"
    DEPARTMENT = "co_quan_chuyen_mon", "Cơ quan chuyên môn"
    DIVISION = "phong", "Phòng, ban, đơn vị trực thuộc"
    FRONT = "mttq_doan_the", "Mặt trận Tổ quốc, đoàn thể"
    SERVICE = "su_nghiep", "Đơn vị sự nghiệp công lập"
    OTHER = "khac", "Khác"


class HeadKind(models.TextChoices):
    HEAD = "truong", "Cấp trưởng"
    DEPUTY = "pho", "Cấp phó"
    MEMBER = "thanh_vien", "Thành viên"
    STAFF = "nhan_vien", "Không giữ chức vụ"


class ManagementScope(models.TextChoices):
    """Which committee manages a title (diện quản lý)."""

    CENTRAL = "tw", "Bộ Chính trị, Ban Bí thư quản lý"
    PROVINCIAL_STANDING = "btv_tinh_uy", "Ban Thường vụ Tỉnh ủy quản lý"
    DISTRICT_STANDING = "btv_huyen_uy", "Ban Thường vụ Huyện ủy quản lý"
    COMMUNE_COMMITTEE = "dang_uy_xa", "Đảng ủy xã quản lý"
    AGENCY = "co_quan", "Cơ quan, đơn vị quản lý"


class CatalogueGroup(models.TextChoices):
    """The four groups of Quy định 368-QĐ/TW (8/9/2025) of the Politburo."""

    G1 = "I", "Nhóm I – Lãnh đạo chủ chốt, lãnh đạo cấp cao"
    G2 = "II", "Nhóm II – Thuộc diện Bộ Chính trị quản lý"
    G3 = "III", "Nhóm III – Thuộc diện Ban Bí thư quản lý"
    G4 = "IV", "Nhóm IV – Thuộc diện cấp ủy, tổ chức đảng, lãnh đạo cơ quan, đơn vị quản lý"


class TitleGroup(models.TextChoices):
    """Groups of titles used by lists and indicators (INDICATORS.md populations)."""

    SECRETARY = "bi_thu", "Bí thư cấp ủy"
    DEPUTY_SECRETARY = "pho_bi_thu", "Phó Bí thư cấp ủy"
    STANDING_MEMBER = "uy_vien_btv", "Ủy viên Ban Thường vụ"
    COUNCIL_CHAIR = "chu_tich_hdnd", "Chủ tịch HĐND"
    COUNCIL_VICE = "pho_chu_tich_hdnd", "Phó Chủ tịch HĐND"
    COMMITTEE_CHAIR = "chu_tich_ubnd", "Chủ tịch UBND"
    COMMITTEE_VICE = "pho_chu_tich_ubnd", "Phó Chủ tịch UBND"
    FRONT_CHAIR = "chu_tich_mttq", "Chủ tịch Ủy ban MTTQ"
    AGENCY_HEAD = "truong_co_quan", "Người đứng đầu cơ quan, đơn vị"
    AGENCY_DEPUTY = "pho_co_quan", "Cấp phó cơ quan, đơn vị"
    DIVISION_HEAD = "truong_phong", "Trưởng phòng và tương đương"
    DIVISION_DEPUTY = "pho_phong", "Phó Trưởng phòng và tương đương"
    COMMUNE_CADRE = "can_bo_xa", "Cán bộ cấp xã khác"
    CIVIL_SERVANT = "cong_chuc", "Công chức"
    PUBLIC_EMPLOYEE = "vien_chuc", "Viên chức"
    OTHER = "khac", "Khác"


class LineageEvent(models.TextChoices):
    MERGE = "merge", "Hợp nhất / sáp nhập"
    SPLIT = "split", "Chia tách"
    RENAME = "rename", "Đổi tên"
    DISSOLVE = "dissolve", "Giải thể"
    REORGANISE = "reorganise", "Sắp xếp đơn vị hành chính"
    MOVE = "move", "Chuyển sang đơn vị cấp trên khác"
