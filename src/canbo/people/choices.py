"""Enumerations of the dossier (RULES.md §8 and the 2C résumé), with ranks for "at or above"."""

from django.db import models


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


class QualificationKind(models.TextChoices):
    PROFESSIONAL = "chuyen_mon", "Chuyên môn"
    POLITICAL_THEORY = "ly_luan_chinh_tri", "Lý luận chính trị"
    STATE_MANAGEMENT = "quan_ly_nha_nuoc", "Quản lý nhà nước"
    FOREIGN_LANGUAGE = "ngoai_ngu", "Ngoại ngữ"
    IT = "tin_hoc", "Tin học"
    ETHNIC_LANGUAGE = "tieng_dtts", "Tiếng dân tộc thiểu số"
    DEFENCE = "quoc_phong_an_ninh", "Quốc phòng – an ninh"
    OTHER_TRAINING = "boi_duong", "Bồi dưỡng khác"


# (code, label, rank) per kind; rank orders the levels so that "at or above a level" is a
# comparison. Professional levels are seed values until the national code list (RULES.md §8).
QUALIFICATION_LEVELS: dict[str, list[tuple[str, str, int]]] = {
    QualificationKind.PROFESSIONAL: [
        ("so_cap", "Sơ cấp", 10),
        ("trung_cap", "Trung cấp", 20),
        ("cao_dang", "Cao đẳng", 30),
        ("dai_hoc", "Đại học", 40),
        ("thac_si", "Thạc sĩ", 50),
        ("tien_si", "Tiến sĩ", 60),
        ("tskh", "Tiến sĩ khoa học", 70),
    ],
    QualificationKind.POLITICAL_THEORY: [
        ("so_cap", "Sơ cấp", 10),
        ("trung_cap", "Trung cấp", 20),
        ("cao_cap", "Cao cấp", 30),
        ("cu_nhan", "Cử nhân chính trị (tương đương cao cấp)", 30),
    ],
    QualificationKind.STATE_MANAGEMENT: [
        ("chuyen_vien", "Chuyên viên", 10),
        ("chuyen_vien_chinh", "Chuyên viên chính", 20),
        ("chuyen_vien_cao_cap", "Chuyên viên cao cấp", 30),
    ],
    QualificationKind.FOREIGN_LANGUAGE: [
        ("a", "Trình độ A (cũ)", 5),
        ("a1", "Bậc 1 (A1)", 10),
        ("b", "Trình độ B (cũ)", 15),
        ("a2", "Bậc 2 (A2)", 20),
        ("c", "Trình độ C (cũ)", 25),
        ("b1", "Bậc 3 (B1)", 30),
        ("b2", "Bậc 4 (B2)", 40),
        ("c1", "Bậc 5 (C1)", 50),
        ("c2", "Bậc 6 (C2)", 60),
        ("dai_hoc", "Cử nhân ngoại ngữ", 50),
    ],
    QualificationKind.IT: [
        ("a", "Trình độ A (cũ)", 10),
        ("b", "Trình độ B (cũ)", 20),
        ("co_ban", "Ứng dụng CNTT cơ bản", 20),
        ("nang_cao", "Ứng dụng CNTT nâng cao", 30),
        ("cao_dang", "Cao đẳng CNTT", 40),
        ("dai_hoc", "Đại học CNTT trở lên", 50),
    ],
    QualificationKind.ETHNIC_LANGUAGE: [
        ("chung_chi", "Chứng chỉ", 10),
        ("thanh_thao", "Sử dụng thành thạo", 20),
    ],
    QualificationKind.DEFENCE: [
        ("doi_tuong_4", "Đối tượng 4", 10),
        ("doi_tuong_3", "Đối tượng 3", 20),
        ("doi_tuong_2", "Đối tượng 2", 30),
        ("doi_tuong_1", "Đối tượng 1", 40),
    ],
    QualificationKind.OTHER_TRAINING: [("chung_chi", "Chứng chỉ, giấy chứng nhận", 10)],
}


def level_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a select: one group per kind, values "kind:level"."""
    return [
        (str(QualificationKind(kind).label), [(f"{kind}:{code}", label) for code, label, _ in levels])
        for kind, levels in QUALIFICATION_LEVELS.items()
    ]


def level_rank(kind: str, level: str) -> int | None:
    for code, _label, rank in QUALIFICATION_LEVELS.get(kind, []):
        if code == level:
            return rank
    return None


def level_label(kind: str, level: str) -> str:
    for code, label, _rank in QUALIFICATION_LEVELS.get(kind, []):
        if code == level:
            return label
    return level


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
