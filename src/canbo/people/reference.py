"""Reference lists loaded by a data migration: the 54 ethnic groups and the religions."""

# GSO code list of the 54 ethnic groups (Quyết định 121-TCTK/PPCĐ, 1979), code order.
ETHNICITIES = [
    ("01", "Kinh"), ("02", "Tày"), ("03", "Thái"), ("04", "Hoa"), ("05", "Khmer"),
    ("06", "Mường"), ("07", "Nùng"), ("08", "Mông"), ("09", "Dao"), ("10", "Gia Rai"),
    ("11", "Ngái"), ("12", "Ê Đê"), ("13", "Ba Na"), ("14", "Xơ Đăng"), ("15", "Sán Chay"),
    ("16", "Cơ Ho"), ("17", "Chăm"), ("18", "Sán Dìu"), ("19", "Hrê"), ("20", "Mnông"),
    ("21", "Ra Glai"), ("22", "Xtiêng"), ("23", "Bru - Vân Kiều"), ("24", "Thổ"), ("25", "Giáy"),
    ("26", "Cơ Tu"), ("27", "Giẻ Triêng"), ("28", "Mạ"), ("29", "Khơ Mú"), ("30", "Co"),
    ("31", "Tà Ôi"), ("32", "Chơ Ro"), ("33", "Kháng"), ("34", "Xinh Mun"), ("35", "Hà Nhì"),
    ("36", "Chu Ru"), ("37", "Lào"), ("38", "La Chí"), ("39", "La Ha"), ("40", "Phù Lá"),
    ("41", "La Hủ"), ("42", "Lự"), ("43", "Lô Lô"), ("44", "Chứt"), ("45", "Mảng"),
    ("46", "Pà Thẻn"), ("47", "Cờ Lao"), ("48", "Cống"), ("49", "Bố Y"), ("50", "Si La"),
    ("51", "Pu Péo"), ("52", "Brâu"), ("53", "Ơ Đu"), ("54", "Rơ Măm"),
]  # fmt: skip

# "Không" first: the 2C résumé writes it rather than leaving the field blank (RULES.md N-7).
RELIGIONS = [
    ("00", "Không"),
    ("01", "Phật giáo"),
    ("02", "Công giáo"),
    ("03", "Tin Lành"),
    ("04", "Cao Đài"),
    ("05", "Phật giáo Hòa Hảo"),
    ("06", "Hồi giáo"),
    ("07", "Tôn giáo Baha'i"),
    ("08", "Tịnh độ Cư sĩ Phật hội Việt Nam"),
    ("09", "Đạo Tứ Ân Hiếu Nghĩa"),
    ("10", "Bửu Sơn Kỳ Hương"),
    ("11", "Minh Sư Đạo"),
    ("12", "Minh Lý Đạo – Tam Tông Miếu"),
    ("13", "Bà-la-môn"),
    ("14", "Mặc môn"),
    ("15", "Phật giáo Hiếu Nghĩa Tà Lơn"),
    ("16", "Cơ đốc Phục lâm"),
    ("99", "Khác"),
]


def ensure_loaded() -> int:
    """Write the catalogues of ethnicities and religions where rows are missing; the number added.

    The data migration writes them once, but a database emptied table by table (a restore of the
    people tables only, a test that flushes) keeps its migrations applied and loses the rows;
    ``./canbo setup`` calls this so that the imports can name a person's ethnicity again.
    """
    from canbo.people.models import Ethnicity, Religion

    have = set(Ethnicity.objects.values_list("code", flat=True))
    ethnicities = [Ethnicity(code=code, name=name) for code, name in ETHNICITIES if code not in have]
    Ethnicity.objects.bulk_create(ethnicities)
    have = set(Religion.objects.values_list("code", flat=True))
    religions = [Religion(code=code, name=name) for code, name in RELIGIONS if code not in have]
    Religion.objects.bulk_create(religions)
    return len(ethnicities) + len(religions)
