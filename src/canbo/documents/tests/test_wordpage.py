"""Every Word document CanBo writes is on the official page (NĐ 30/2020): A4, margins, Times New Roman."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
from docx.shared import Length

from canbo.core.wordpage import apply_official_page
from canbo.documents.services import DATA

SRC = Path(__file__).resolve().parents[2]


def _mm(length: Length | None) -> int:
    assert length is not None
    return round(length.mm)


def _check(document: docx.document.Document, *, landscape: bool = False) -> None:
    for section in document.sections:
        width, height = _mm(section.page_width), _mm(section.page_height)
        if landscape:
            width, height = height, width
        assert (width, height) == (210, 297)
        assert 20 <= _mm(section.top_margin) <= 25 and 20 <= _mm(section.bottom_margin) <= 25
        assert 30 <= _mm(section.left_margin) <= 35 and 15 <= _mm(section.right_margin) <= 20
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt in (13, 14)


def test_helper_puts_a_new_document_on_the_official_page() -> None:
    out = io.BytesIO()
    apply_official_page(docx.Document()).save(out)
    _check(docx.Document(io.BytesIO(out.getvalue())))
    out = io.BytesIO()
    apply_official_page(docx.Document(), landscape=True).save(out)
    _check(docx.Document(io.BytesIO(out.getvalue())), landscape=True)


def test_shipped_resume_templates_are_on_the_official_page() -> None:
    for path in DATA.glob("*.docx"):
        _check(docx.Document(str(path)))


def test_every_new_word_document_in_the_code_goes_through_the_helper() -> None:
    """A module that starts a blank python-docx ``Document()`` must also call
    ``apply_official_page`` (the indicator and plan-report exports, the template tools)."""
    blank = re.compile(r"\bDocument\(\s*\)")
    offenders = []
    for path in [*SRC.rglob("*.py"), *(SRC.parents[1] / "tools").glob("*.py")]:
        if "tests" in path.parts or path.name == "wordpage.py":
            continue
        text = path.read_text(encoding="utf-8")
        if blank.search(text) and "apply_official_page" not in text:
            offenders.append(str(path))
    assert not offenders, offenders
