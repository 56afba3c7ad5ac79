"""Synthetic Vietnamese names and ethnic make-up for the demo province (modelled on Lào Cai).

Family names carry rough frequencies; ethnic minorities of Lào Cai (Mông, Dao, Tày, Giáy, Nùng,
Hà Nhì, Phù Lá, …) have their own family names, middle names and given names. Every choice is
made with the caller's ``random.Random`` over lists (never sets or dicts iterated by hash), so a
seed always gives the same names.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

Weighted = Sequence[tuple[str, float]]

# (ethnicity code, weight): officials of the province (higher Kinh share than the population).
OFFICIAL_ETHNICITIES: Weighted = [
    ("01", 56), ("02", 12), ("08", 10), ("09", 9), ("25", 4), ("07", 4),
    ("35", 1.5), ("40", 1.5), ("03", 1), ("06", 0.5), ("43", 0.5),
]  # fmt: skip
# Commune cadres: close to the population of the communes (Kinh ~35% province-wide).
COMMUNE_ETHNICITIES: Weighted = [
    ("01", 30), ("08", 24), ("02", 15), ("09", 14), ("25", 6), ("07", 4),
    ("35", 2.5), ("40", 2.5), ("03", 1), ("43", 1),
]  # fmt: skip
# Citizens elected to People's Councils.
CITIZEN_ETHNICITIES: Weighted = [
    ("01", 33), ("08", 25), ("02", 14), ("09", 14), ("25", 5), ("07", 4),
    ("35", 2), ("40", 2), ("03", 0.5), ("43", 0.5),
]  # fmt: skip

RELIGIONS: Weighted = [("00", 96.5), ("03", 1.6), ("02", 1.0), ("01", 0.9)]
MINORITY_RELIGIONS: Weighted = [("00", 93.0), ("03", 5.0), ("02", 1.5), ("01", 0.5)]

KINH_FAMILY: Weighted = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 4), ("Vũ", 4), ("Võ", 1),
    ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 1.2), ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5),
    ("Đinh", 1), ("Đào", 1), ("Trịnh", 0.8), ("Phan", 1.2), ("Lương", 0.6), ("Tạ", 0.4),
    ("Cao", 0.5), ("Mai", 0.5), ("Đoàn", 0.6), ("Lưu", 0.4), ("Hà", 0.6), ("Vương", 0.3),
]  # fmt: skip
KINH_MIDDLE_M: Weighted = [
    ("Văn", 30), ("Đức", 8), ("Minh", 8), ("Quang", 6), ("Hữu", 5), ("Xuân", 5), ("Thanh", 4),
    ("Mạnh", 3), ("Tiến", 3), ("Trung", 3), ("Ngọc", 3), ("Công", 3), ("Việt", 2), ("Anh", 2),
    ("Thế", 2), ("Đình", 3), ("Hồng", 2),
]  # fmt: skip
KINH_MIDDLE_F: Weighted = [
    ("Thị", 55), ("Thu", 5), ("Thanh", 5), ("Ngọc", 5), ("Minh", 4), ("Hồng", 4), ("Thúy", 3),
    ("Phương", 3), ("Kim", 3), ("Hải", 2), ("Bích", 2), ("Mai", 2), ("Lan", 1), ("Quỳnh", 2),
]  # fmt: skip
KINH_GIVEN_M = [
    "Anh", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Giang", "Hải", "Hiếu", "Hùng", "Huy", "Khánh",
    "Kiên", "Long", "Lâm", "Mạnh", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang",
    "Sơn", "Tâm", "Thắng", "Thành", "Thịnh", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh",
    "Hoàng", "Hưng", "Lợi", "Tiến", "Công", "Chiến", "Định", "Hòa", "Khải", "Lực", "Tú",
]  # fmt: skip
KINH_GIVEN_F = [
    "Anh", "Bích", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hằng", "Hạnh", "Hiền", "Hoa", "Hồng",
    "Huệ", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "Nga", "Ngọc", "Nhung", "Oanh",
    "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thơm", "Thu", "Thủy", "Trang", "Tuyết", "Vân",
    "Yến", "Hải", "Lê", "Minh", "Ánh", "Diệp", "Hậu", "Nhàn", "Thúy", "Xuân",
]  # fmt: skip

# Ethnic minorities: family names, middle names (male, female) and given names (male, female).
# fmt: off
MINORITY_NAMES: dict[str, tuple[Weighted, Weighted, Weighted, list[str], list[str]]] = {
    "08": (  # Mông
        [
            ("Giàng", 20),
            ("Sùng", 14),
            ("Vàng", 14),
            ("Thào", 14),
            ("Lù", 8),
            ("Lý", 8),
            ("Hầu", 6),
            ("Ly", 6),
            ("Mùa", 5),
            ("Cứ", 3),
            ("Hạng", 3),
            ("Tráng", 3),
            ("Chảo", 2),
        ],
        [("A", 40), ("Seo", 25), ("Văn", 20), ("Mí", 5), ("Chẩn", 5)],
        [("Thị", 60), ("Mí", 25), ("Seo", 10)],
        [
            "Páo",
            "Sử",
            "Chứ",
            "Dìn",
            "Pó",
            "Sình",
            "Chính",
            "Súa",
            "Lử",
            "Phềnh",
            "Chư",
            "Tủa",
            "Chớ",
            "Lềnh",
            "Sang",
            "Dế",
            "Pao",
            "Thào",
            "Lồng",
            "Vư",
        ],
        ["Mai", "Sua", "Mỷ", "Dung", "Chở", "Dợ", "Súa", "Mỉ", "Pằng", "Chía", "Sông", "Di", "Cở"],
    ),
    "09": (  # Dao
        [
            ("Tẩn", 18),
            ("Triệu", 18),
            ("Bàn", 16),
            ("Phàn", 14),
            ("Lý", 12),
            ("Chảo", 10),
            ("Đặng", 6),
            ("Hoàng", 4),
            ("Lò", 2),
        ],
        [("Láo", 25), ("Văn", 35), ("Ông", 15), ("Sành", 10), ("Kim", 5)],
        [("Thị", 65), ("Tả", 15), ("Mùi", 10), ("Sử", 5)],
        [
            "Lở",
            "San",
            "Kiềm",
            "Chài",
            "Phẩu",
            "Quẩy",
            "Sinh",
            "Vần",
            "Chấn",
            "Lưu",
            "Dào",
            "Pham",
            "Tả",
            "Chiêu",
            "Kiêm",
            "Lai",
            "Phin",
        ],
        ["Mẩy", "Mai", "Mùi", "Dung", "Xuân", "Sành", "Chạn", "Chiếm", "Lìu", "Thu", "Tả", "Hiền"],
    ),
    "02": (  # Tày
        [
            ("Hoàng", 20),
            ("Nông", 12),
            ("Lục", 8),
            ("Hà", 10),
            ("La", 8),
            ("Lương", 8),
            ("Ma", 8),
            ("Vi", 6),
            ("Hứa", 5),
            ("Nguyễn", 6),
            ("Bế", 4),
            ("Lò", 3),
        ],
        [("Văn", 70), ("Đức", 10), ("Quang", 10), ("Xuân", 10)],
        [("Thị", 85), ("Thu", 8), ("Kim", 7)],
        [
            "Thắng",
            "Chung",
            "Hưng",
            "Lợi",
            "Tuấn",
            "Khoa",
            "Nghiệp",
            "Chinh",
            "Thọ",
            "Dương",
            "Kiên",
            "Sơn",
            "Hiệp",
            "Toàn",
            "Lực",
            "Thái",
        ],
        ["Hoa", "Lan", "Hương", "Huyền", "Thảo", "Nhung", "Xuân", "Thu", "Liên", "Hằng", "Yến"],
    ),
    "25": (  # Giáy
        [("Vàng", 25), ("Lò", 20), ("Hoàng", 15), ("Lù", 15), ("Sần", 10), ("Giàng", 10), ("Lồ", 5)],
        [("Văn", 70), ("Seo", 15), ("A", 15)],
        [("Thị", 90), ("Mí", 10)],
        ["Điều", "Quân", "Lử", "Pao", "Chảng", "Nhàn", "Sấu", "Quý", "Dũng", "Páo", "Thành"],
        ["Hoa", "Lan", "Thơm", "Mai", "Mỷ", "Nương", "Thanh", "Hà", "Dung"],
    ),
    "07": (  # Nùng
        [
            ("Nông", 18),
            ("Hoàng", 18),
            ("Lục", 10),
            ("Vi", 8),
            ("Lù", 10),
            ("Sầm", 8),
            ("Tô", 8),
            ("Lăng", 8),
            ("Chu", 6),
            ("Sèn", 6),
        ],
        [("Văn", 75), ("Seo", 10), ("Quốc", 15)],
        [("Thị", 90), ("Kim", 10)],
        ["Chúng", "Phủ", "Sinh", "Tằng", "Dìn", "Thắng", "Lâm", "Quyết", "Tài", "Chiến"],
        ["Thu", "Hoa", "Liên", "Sim", "Hiền", "Thanh", "Mai", "Lý"],
    ),
    "35": (  # Hà Nhì
        [("Ly", 30), ("Chu", 25), ("Pờ", 15), ("Sần", 10), ("Phu", 10), ("Hù", 10)],
        [("Xé", 30), ("Gió", 20), ("Văn", 30), ("A", 20)],
        [("Thị", 60), ("Mé", 20), ("Chà", 20)],
        ["Chừ", "Xá", "Lỳ", "Giá", "Chứ", "Sừ", "Pơ", "Cà", "Hừ"],
        ["Mé", "Sé", "Nhú", "Xé", "Lò", "Chà", "Pó"],
    ),
    "40": (  # Phù Lá
        [("Vàng", 25), ("Ma", 20), ("Lù", 15), ("Ly", 15), ("Sùng", 10), ("Thào", 15)],
        [("Văn", 55), ("A", 25), ("Seo", 20)],
        [("Thị", 90), ("Mí", 10)],
        ["Sỉ", "Chứ", "Lìn", "Pháng", "Tỉnh", "Chản", "Sinh", "Dỉn"],
        ["Hoa", "Mai", "Sinh", "Ghến", "Mỷ", "Lan"],
    ),
    "03": (  # Thái
        [("Lò", 25), ("Lường", 20), ("Cầm", 15), ("Điêu", 15), ("Quàng", 10), ("Tòng", 15)],
        [("Văn", 85), ("Thanh", 15)],
        [("Thị", 95), ("Ngọc", 5)],
        ["Pọm", "Ban", "Khăm", "Xuân", "Hoàn", "Sơn", "Thiêm", "Tịnh"],
        ["Ún", "Xuân", "Bua", "Ánh", "Hương", "Lả"],
    ),
    "43": (  # Lô Lô
        [("Lò", 40), ("Lù", 30), ("Hoàng", 30)],
        [("Văn", 80), ("Chí", 20)],
        [("Thị", 100)],
        ["Dũng", "Cáo", "Chính", "Hùng", "Sính"],
        ["Dín", "Mai", "Lan", "Chỉnh"],
    ),
    "06": (  # Mường
        [("Đinh", 40), ("Bùi", 30), ("Quách", 15), ("Hà", 15)],
        [("Văn", 80), ("Công", 20)],
        [("Thị", 100)],
        ["Thắng", "Tuấn", "Hùng", "Bính", "Lâm"],
        ["Hoa", "Lan", "Thúy", "Hằng"],
    ),
}
# fmt: on


# The sum of each weighted list's weights, by the list's id (with the list, so that an id reused
# by another object is not mistaken for it): summed once, not on every pick (the generator picks
# five times per person). The lists above are constants; the sum is the same float as before.
_TOTALS: dict[int, tuple[Weighted, float]] = {}


def pick(rng: random.Random, items: Weighted) -> str:
    """One value of a weighted list (deterministic for a given ``rng`` state)."""
    known = _TOTALS.get(id(items))
    if known is None or known[0] is not items:
        known = _TOTALS[id(items)] = (items, sum(w for _, w in items))
    total = known[1]
    x = rng.random() * total
    for value, weight in items:
        x -= weight
        if x < 0:
            return value
    return items[-1][0]


def full_name(rng: random.Random, *, ethnicity: str, female: bool) -> str:
    """A full name written family name first, as a 2C résumé writes it."""
    if ethnicity in MINORITY_NAMES:
        family, mid_m, mid_f, given_m, given_f = MINORITY_NAMES[ethnicity]
        middle = pick(rng, mid_f if female else mid_m)
        given = rng.choice(given_f if female else given_m)
        return f"{pick(rng, family)} {middle} {given}"
    middle = pick(rng, KINH_MIDDLE_F if female else KINH_MIDDLE_M)
    given = rng.choice(KINH_GIVEN_F if female else KINH_GIVEN_M)
    if rng.random() < 0.12:  # a two-word middle name: "Nguyễn Thị Thu Hà"
        extra = rng.choice(["Thu", "Ngọc", "Thanh", "Minh"] if female else ["Minh", "Quốc", "Đức", "Anh"])
        if extra != middle:
            middle = f"{middle} {extra}"
    return f"{pick(rng, KINH_FAMILY)} {middle} {given}"
