"""Qualification kinds and levels, with ranks for "at or above" (RULES.md §8).

They live below the dossier because the titles' standards (``Title.min_professional`` …) are
written in them; ``people.choices`` re-exports them for the dossier's qualifications.
"""

from django.db import models


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
