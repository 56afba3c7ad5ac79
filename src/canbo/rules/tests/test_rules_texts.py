"""Every text of rules.toml that reaches the interface is Vietnamese (product standard).

``statement`` keeps RULES.md's English text for traceability and is not shown; the interface shows
``statement_vi``. The check is deliberately simple: required texts are present, carry Vietnamese
diacritics, and contain none of a small list of typical English words.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from canbo.conftest import REASON_HEADERS
from canbo.rules.engine.rulebook import DATA_DIR, read_toml

DISPLAYED = ("name", "statement_vi", "basis", "confidence_note", "parameters_text", "in_force_text")
REQUIRED = ("name", "statement_vi", "basis", "confidence_note")
ENGLISH = (
    "the",
    "and",
    "with",
    "of",
    "for",
    "or",
    "as",
    "per",
    "see",
    "rule",
    "rules",
    "in force",
    "months",
    "years",
    "confirmed",
    "unconfirmed",
    "secondary",
    "default",
    "draft",
    "assumed",
    "art.",
)
ENGLISH_RE = re.compile(r"(?<![\w.])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?!\w)", re.IGNORECASE)
CONFIDENCE_WORDS = ("xác nhận", "mặc định", "thứ cấp")


def has_diacritics(text: str) -> bool:
    """Vietnamese text carries accented letters (any sentence has some); English does not."""
    return any(ch in "đĐ" or (ch.isalpha() and not ch.isascii()) for ch in text)


def rule_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = read_toml(DATA_DIR / "rules.toml")["rule"]
    return rows


def label(row: dict[str, Any]) -> str:
    return f"{row['id']} v{row['version']}"


def test_every_version_has_its_vietnamese_texts() -> None:
    rows = rule_rows()
    assert len(rows) >= 120
    problems = []
    for row in rows:
        for key in REQUIRED:
            text = str(row.get(key, "")).strip()
            if not text:
                problems.append(f"{label(row)}: thiếu {key}")
        problems.extend(
            f"{label(row)}: {key} không phải tiếng Việt có dấu"
            for key in ("name", "statement_vi")
            if not has_diacritics(str(row.get(key, "")))
        )
        if row.get("statement_vi", "").strip() == row["statement"].strip():
            problems.append(f"{label(row)}: statement_vi chép nguyên văn tiếng Anh")
    assert not problems, "\n".join(problems)


def test_no_english_in_displayed_texts() -> None:
    problems = []
    for row in rule_rows():
        for key in DISPLAYED:
            found = ENGLISH_RE.findall(str(row.get(key, "")))
            if found:
                problems.append(f"{label(row)} {key}: {sorted(set(found))}")
    assert not problems, "\n".join(problems)


def test_basis_carries_no_confidence_words() -> None:
    problems = [
        f"{label(row)}: {row['basis']}"
        for row in rule_rows()
        if any(w in row["basis"].lower() for w in CONFIDENCE_WORDS)
    ]
    assert not problems, "\n".join(problems)


def test_the_denylist_catches_english() -> None:
    """The checker itself: the old English wordings are caught, Vietnamese ones pass."""
    assert ENGLISH_RE.search("2025 rules on appointing viên chức leaders; draft amending NĐ 138")
    assert ENGLISH_RE.search("QĐ 58-QĐ/TW (8/2/2022) with Central Organisation Board guidance")
    assert ENGLISH_RE.search("cadres: QĐ 80, QĐ 377 (UNCONFIRMED, default 24)")
    assert ENGLISH_RE.search("NĐ 170/2025 Art. 33")
    assert not ENGLISH_RE.search("quy định năm 2025 về bổ nhiệm viên chức quản lý; dự thảo sửa đổi NĐ 138")
    assert not ENGLISH_RE.search("QĐ 377-QĐ/TW; NĐ 172/2025/NĐ-CP; HD 16-HD/BTCTW (15/2/2022)")


@pytest.mark.django_db
def test_pages_show_the_vietnamese_statement(rules_loaded: None, users: dict) -> None:
    c = Client(headers=REASON_HEADERS)
    c.force_login(users["admin"])
    rows = {label(r): r for r in rule_rows()}
    html = c.get("/quy-dinh/").content.decode()
    d6 = rows["D-6 v3"]
    assert d6["statement_vi"] in html and d6["statement"] not in html
    assert "Caps on planning lists" not in html and " in force" not in html
    page = c.get("/quy-dinh/A-6/phien-ban-moi/").content.decode()
    assert rows["A-6 v1"]["statement_vi"] in page
    assert "viên chức: quy định năm 2025 về bổ nhiệm" in page and "CONFIRMED" not in page
    api = c.get("/api/rules/versions/", {"rule": "A-6"}).json()
    assert api[0]["statement_vi"] == rows["A-6 v1"]["statement_vi"]
    assert api[0]["statement"] == rows["A-6 v1"]["statement"]
