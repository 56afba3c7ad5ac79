"""Extraction of the seed plans, compared with lists checked by hand against the documents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest

from canbo.plans.deadlines import Schedule, due_dates
from canbo.plans.demo import seed_document
from canbo.plans.extract import (
    FLAG_LEAD_UNMATCHED,
    FLAG_NO_LEAD,
    Catalogue,
    ExtractError,
    extract_plan,
    read_text_file,
)


def seed_text(prefix: str) -> str:
    return seed_document(prefix)


D = dt.date
BTC = "Ban Tổ chức Tỉnh ủy"
CQLQ = "các cơ quan, đơn vị liên quan"
SO_HUYEN = "Các sở, ban, ngành tỉnh, Ủy ban nhân dân các huyện, thành phố"

# (number, lead as written, coordinating bodies, deadline kind, one-off due dates)
EXPECTED_001 = [
    ("II.1.a", "Các cơ quan, đơn vị, địa phương", [], "quarter", [D(2018, 12, 31)]),
    (
        "II.1.b",
        "Sở Thông tin và Truyền thông",
        [
            "Sở Nội vụ",
            "Ban Tuyên giáo Tỉnh ủy",
            "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
            "các sở, ngành, địa phương, cơ quan truyền thông, báo chí trong tỉnh",
        ],
        "none",
        [],
    ),
    ("II.2.a", "Sở Nội vụ", [BTC, CQLQ], "conditional", []),
    ("II.2.b.1", "Sở Giáo dục và Đào tạo", ["Sở Nội vụ", CQLQ], "conditional", []),
    ("II.2.b.2", "Sở Giáo dục và Đào tạo", ["Sở Nội vụ", CQLQ], "conditional", []),
    ("II.2.c.1", "Sở Khoa học và Công nghệ", ["Sở Nội vụ", CQLQ], "from", []),
    ("II.2.c.2", "Sở Khoa học và Công nghệ", ["Sở Nội vụ", CQLQ], "year", [D(2019, 12, 31)]),
    ("II.3", "Sở Xây dựng", ["Sở Tài nguyên và Môi trường", CQLQ], "from", []),
    *[(f"II.4.{n}", SO_HUYEN, [], "continuous", []) for n in range(1, 8)],
    ("III.1.1", "Sở Nội vụ", [], "recurring", []),
    ("III.1.2", "Sở Nội vụ", [], "none", []),
    ("III.5", "Các Sở, ban ngành tỉnh và Ủy ban nhân dân các huyện, thành phố", [], "recurring", []),
]

EXPECTED_002 = [
    ("II.1.1", None, [], "quarter", [D(2021, 3, 31)]),
    ("II.1.2", None, [], "year", [D(2021, 12, 31)]),
    ("II.1.3", None, [], "recurring", []),
    ("II.2.1", None, [], "quarter", [D(2021, 3, 31)]),
    ("II.2.2", None, [], "year", [D(2021, 12, 31)]),
    ("II.2.3", None, [], "year", [D(2021, 12, 31)]),
    ("II.2.4", None, [], "year", [D(2021, 12, 31)]),
    ("II.2.5", None, [], "none", []),
    ("II.2.6", None, [], "quarter", [D(2021, 3, 31)]),
    ("II.2.7", None, [], "recurring", []),
    ("II.2.8", None, [], "quarter", [D(2021, 6, 30)]),
    ("II.2.9", None, [], "none", []),
    ("II.2.10", None, [], "recurring", []),
    ("II.2.11", None, [], "continuous", []),
    ("II.2.12", None, [], "recurring", []),
    (
        "II.1",
        BTC,
        [
            "các cơ quan chuyên trách tham mưu, giúp việc Tỉnh ủy",
            "các đảng đoàn",
            "Ban Cán sự Đảng",
            "các huyện uỷ, thị uỷ, thành uỷ, đảng uỷ trực thuộc",
        ],
        # "xây dựng kế hoạch thực hiện Đề án trong giai đoạn 2020 - 2025 và hằng năm": a yearly
        # plan, read since deadlines anywhere in the task's sentence are read (issue 14).
        "recurring",
        [],
    ),
    (
        "II.2",
        "Các đảng đoàn, ban cán sự đảng; các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc tỉnh",
        [],
        "none",
        [],
    ),
]

EXPECTED_004 = [
    ("II.1", "Các cấp ủy, tổ chức đảng", [], "none", []),
    ("II.2.1", None, [], "none", []),
    ("II.2.2", None, [], "none", []),
    ("II.2.3", "Các cấp ủy, tổ chức đảng, cơ quan, đơn vị", [], "recurring", []),
    *[(n, None, [], "none", []) for n in ("II.2.4", "II.2.5", "II.2.6", "II.2.7", "II.2.8", "II.3.1")],
    ("II.3.2", "Các cấp ủy, tổ chức đảng và người đứng đầu cơ quan, đơn vị", [], "none", []),
    (
        "III.1",
        "Các cấp ủy đảng, ban cán sự đảng, đảng đoàn, lãnh đạo các cơ quan, đơn vị",
        [],
        "quarter",
        [D(2016, 12, 31)],
    ),
    ("III.2", "Ban cán sự đảng UBND tỉnh", [], "none", []),
    (
        "III.3",
        "Ban Tuyên giáo Tỉnh ủy",
        ["Báo Bắc Giang", "Đài Phát thanh và Truyền hình tỉnh", "các cơ quan thông tin đại chúng"],
        "none",
        [],
    ),
    ("III.4", "Ủy ban Kiểm tra Tỉnh ủy", [], "none", []),
    ("III.5", "Trường Chính trị tỉnh", [], "none", []),
    ("III.6", BTC, ["các cơ quan liên quan"], "year", [D(2016, 12, 31), D(2020, 12, 31), D(2025, 12, 31)]),
]


def summary(text: str, catalogue: Catalogue | None = None) -> list[tuple]:
    draft = extract_plan(text, catalogue)
    rows = []
    for t in draft.tasks:
        schedule = Schedule.from_dict(t.schedule)
        rows.append(
            (
                t.number,
                t.lead.name if t.lead else None,
                [c.name for c in t.coordinating],
                schedule.kind,
                due_dates(schedule),
            )
        )
    return rows


@pytest.mark.parametrize(
    ("prefix", "expected"), [("001", EXPECTED_001), ("002", EXPECTED_002), ("004", EXPECTED_004)]
)
def test_seed_tasks_match_the_hand_checked_list(prefix: str, expected: list[tuple]) -> None:
    got = summary(seed_text(prefix))
    assert len(got) == len(expected)
    for row, want in zip(got, expected, strict=True):
        assert row == want


def test_deadline_words_are_kept_as_written() -> None:
    tasks = extract_plan(seed_text("001")).tasks
    assert tasks[0].deadline_text == "thực hiện trong quý IV năm 2018"
    assert tasks[2].deadline_text == (
        "thực hiện sau khi Chiến lược quốc gia thu hút, trọng dụng nhân tài được ban hành"
    )
    assert tasks[2].schedule["parts"][0]["condition"] == (
        "Chiến lược quốc gia thu hút, trọng dụng nhân tài được ban hành"
    )
    t004 = extract_plan(seed_text("004")).tasks
    assert t004[-1].deadline_text == "Hoàn thành trong năm 2016; vào quý IV/2020; vào quý IV/2025"
    t002 = extract_plan(seed_text("002")).tasks
    assert t002[10].deadline_text.startswith("ban hành kế hoạch xong trong quý II/2021; triển khai")


def test_sections_and_header_of_seed_002() -> None:
    draft = extract_plan(seed_text("002"))
    assert draft.header["number"] == "18-ĐA/TU"
    assert draft.header["issued_on"] == "2020-12-11"
    assert draft.header["kind"] == "de_an"
    assert draft.header["issuer_name"] == "TỈNH UỶ LÀO CAI"
    numbers = [(s.number, s.title) for s in draft.sections if s.level <= 1]
    assert ("Phần thứ ba", "TỔ CHỨC THỰC HIỆN") in numbers
    assert ("II", "NHIỆM VỤ CỤ THỂ") in numbers
    assert draft.tasks[0].section == "II.1 Nhóm nhiệm vụ về chủ trương, chính sách"
    # Goals, grounds and general solutions are not tasks.
    assert not any("Mục tiêu" in t.section or "GIẢI PHÁP" in t.section for t in draft.tasks)


def test_page_breaks_and_footnotes_do_not_split_tasks() -> None:
    tasks = extract_plan(seed_text("004")).tasks
    iii2 = next(t for t in tasks if t.number == "III.2")
    assert "tạo nguồn bí thư đảng ủy, chủ tịch UBND xã" in iii2.content
    ii1 = tasks[0]
    assert "gương mẫu thực hiện nghĩa vụ công dân nơi cư trú" in ii1.content
    assert "Cán bộ chủ chốt trong Nghị quyết này" not in ii1.content


def test_units_are_matched_to_the_catalogue_accent_insensitively() -> None:
    catalogue = Catalogue([(1, "Sở Nội vụ", 2), (2, "Ban Tổ chức Tỉnh uỷ", 3), (3, "Ban Tổ chức Tỉnh ủy", 5)])
    tasks = extract_plan(seed_text("001"), catalogue).tasks
    t = tasks[2]  # Sở Nội vụ chủ trì, phối hợp với Ban Tổ chức Tỉnh ủy …
    assert t.lead is not None and t.lead.unit_id == 1
    assert [c.unit_id for c in t.coordinating] == [2, None]  # the shallowest unit of that name
    assert t.coordinating[1].generic
    assert t.flags == []
    info = tasks[1]  # Sở Thông tin và Truyền thông is not in this catalogue: kept as text, flagged.
    assert info.lead is not None and info.lead.unit_id is None
    assert FLAG_LEAD_UNMATCHED in info.flags
    assert FLAG_NO_LEAD in extract_plan(seed_text("002"), catalogue).tasks[0].flags


def test_docx_made_from_a_seed_gives_the_same_draft(tmp_path: Path) -> None:
    text = seed_text("001")
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line.replace("**", "").replace("#", "").strip())
    path = tmp_path / "ke-hoach.docx"
    document.save(str(path))
    assert summary(read_text_file(path)) == summary(text)


def test_bad_files_are_refused_in_vietnamese(tmp_path: Path) -> None:
    fake = tmp_path / "hong.docx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(ExtractError, match=r"Không đọc được tệp \.docx"):
        read_text_file(fake)
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(ExtractError, match="Chỉ nhận tệp"):
        read_text_file(pdf)
    latin = tmp_path / "a.txt"
    latin.write_bytes("Kế hoạch".encode("utf-16"))
    with pytest.raises(ExtractError, match="UTF-8"):
        read_text_file(latin)
    with pytest.raises(ExtractError, match="Không tìm thấy"):
        read_text_file(tmp_path / "khong-co.txt")


def test_an_excerpt_without_a_task_heading_is_read_as_tasks() -> None:
    text = (
        "KẾ HOẠCH triển khai\n"
        "1. Sở Nội vụ chủ trì, phối hợp với Sở Tài chính rà soát vị trí việc làm (Q3/2022).\n"
        "2. Các huyện thực hiện thường xuyên:\n"
        "- Báo cáo kết quả hằng quý.\n"
    )
    draft = extract_plan(text)
    got = [(t.number, t.lead.name if t.lead else None, t.deadline_text) for t in draft.tasks]
    assert got == [
        ("1", "Sở Nội vụ", "Q3/2022"),
        # The bullet's own deadline ("Báo cáo kết quả hằng quý") wins over the one of the item
        # that introduces it ("thực hiện thường xuyên"), which it inherits only when it has none.
        ("2.1", "Các huyện", "hằng quý"),
    ]
    assert [c.name for c in draft.tasks[0].coordinating] == ["Sở Tài chính"]


def test_a_docx_that_unpacks_to_too_much_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import canbo.plans.extract as extract

    document = docx.Document()
    document.add_paragraph("1. Sở Nội vụ chủ trì rà soát (quý 4/2021).")
    path = tmp_path / "a.docx"
    document.save(str(path))
    assert "Sở Nội vụ" in read_text_file(path)
    monkeypatch.setattr(extract, "MAX_DOCX_UNPACKED", 1000)
    with pytest.raises(ExtractError, match="quá lớn khi giải nén"):
        read_text_file(path)
