"""Every Word document CanBo writes is on the official page (NĐ 30/2020): A4, margins, Times New Roman."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
from docx.shared import Mm

from canbo.core.wordpage import apply_official_page
from canbo.documents.services import DATA

SRC = Path(__file__).resolve().parents[2]


def _check(document: docx.document.Document, *, landscape: bool = False) -> None:
    for section in document.sections:
        width, height = (section.page_width, section.page_height)
        if landscape:
            width, height = height, width
        assert abs(width - Mm(210)) < Mm(1) and abs(height - Mm(297)) < Mm(1)
        assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
        assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
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
