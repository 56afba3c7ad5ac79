"""Enumerations of the dossier (RULES.md §8 and the 2C résumé), with ranks for "at or above"."""

from django.db import models

# The qualification catalogue is the organisation's (titles' standards are written in it).
from canbo.org.qualifications import (  # noqa: F401  (re-exported)
    QUALIFICATION_LEVELS,
    QualificationKind,
    level_choices,
    level_label,
    level_rank,
)


class Sex(models.TextChoices):
    MALE = "nam", "Nam"
    FEMALE = "nu", "Nữ"


class Category(models.TextChoices):
    CADRE = "can_bo", "Cán bộ"
    CIVIL_SERVANT = "cong_chuc", "Công chức"
    PUBLIC_EMPLOYEE = "vien_chuc", "Viên chức"
    ELECTED_DEPUTY = "dai_bieu", "Đại biểu dân cử"
    PART_TIME = "khong_chuyen_trach", "Người hoạt động không chuyên trách"
    OTHER = "khac", "Khác"


class StudyMode(models.TextChoices):
    FULL_TIME = "chinh_quy", "Chính quy"
    IN_SERVICE = "tai_chuc", "Tại chức"
    PART_TIME = "vua_lam_vua_hoc", "Vừa làm vừa học"
    DISTANCE = "tu_xa", "Từ xa"
    BRIDGING = "lien_thong", "Liên thông"
    SHORT_COURSE = "boi_duong", "Bồi dưỡng ngắn hạn"


class Relation(models.TextChoices):
    FATHER = "bo", "Bố"
    MOTHER = "me", "Mẹ"
    SPOUSE = "vo_chong", "Vợ/chồng"
    CHILD = "con", "Con"
    SIBLING = "anh_chi_em", "Anh, chị, em ruột"
    FATHER_IN_LAW = "bo_vo_chong", "Bố vợ/bố chồng"
    MOTHER_IN_LAW = "me_vo_chong", "Mẹ vợ/mẹ chồng"
    SIBLING_IN_LAW = "anh_chi_em_vo_chong", "Anh, chị, em ruột của vợ/chồng"
    OTHER = "khac", "Khác"


class PersonalHistoryKind(models.TextChoices):
    ARREST = "bi_bat", "Bị bắt, bị tù (từ ngày tháng năm nào đến ngày tháng năm nào, ở đâu)"
    OLD_REGIME = "che_do_cu", "Làm việc trong chế độ cũ"
    FOREIGN_ORG = "to_chuc_nuoc_ngoai", "Tham gia hoặc có quan hệ với tổ chức nước ngoài"
    RELATIVES_ABROAD = "than_nhan_nuoc_ngoai", "Thân nhân ở nước ngoài"
    OTHER = "khac", "Khác"


class HealthStatus(models.TextChoices):
    GOOD = "tot", "Tốt"
    FAIR = "kha", "Khá"
    AVERAGE = "trung_binh", "Trung bình"
    WEAK = "yeu", "Yếu"


class AssetDeclarationKind(models.TextChoices):
    FIRST = "lan_dau", "Kê khai lần đầu"
    ANNUAL = "hang_nam", "Kê khai hằng năm"
    SUPPLEMENTARY = "bo_sung", "Kê khai bổ sung"
    FOR_APPOINTMENT = "phuc_vu_can_bo", "Kê khai phục vụ công tác cán bộ"


class AttachmentKind(models.TextChoices):
    PHOTO = "anh", "Ảnh chân dung"
    RESUME = "so_yeu_ly_lich", "Sơ yếu lý lịch (bản quét)"
    DIPLOMA = "van_bang", "Văn bằng, chứng chỉ"
    DECISION = "quyet_dinh", "Quyết định"
    OTHER = "khac", "Tài liệu khác"


class ServiceEventKind(models.TextChoices):
    """Events of a person's service in the province: an entry opens a period of service, an
    exit closes it (docs/architecture.md, "Who is in service on a date")."""

    RECRUITMENT = "tuyen_dung", "Tuyển dụng"
    TRANSFER_IN = "chuyen_den", "Chuyển đến tỉnh"
    TRANSFER_OUT = "chuyen_di", "Chuyển khỏi tỉnh"
    RETIREMENT = "nghi_huu", "Nghỉ hưu"
    RESIGNATION = "thoi_viec", "Thôi việc"
    DEATH = "tu_tran", "Từ trần"


SERVICE_ENTRIES = frozenset({ServiceEventKind.RECRUITMENT, ServiceEventKind.TRANSFER_IN})


class ServiceStatus(models.TextChoices):
    """A person's standing on a date, as the list's "Tình trạng công tác" filter offers it."""

    IN_SERVICE = "dang_cong_tac", "Đang công tác"
    RETIRED = "nghi_huu", "Đã nghỉ hưu"
    TRANSFERRED_OUT = "chuyen_di", "Đã chuyển khỏi tỉnh"
    RESIGNED = "thoi_viec", "Đã thôi việc"
    DECEASED = "tu_tran", "Đã từ trần"
    ALL = "tat_ca", "Tất cả"
