"""The official page of every Word document CanBo writes (NĐ 30/2020/NĐ-CP, Phụ lục I).

One helper for all of them (the indicator and plan-report exports, the résumé templates'
generator), so that no export is left on python-docx's default US Letter with Calibri:

- A4 (210 × 297 mm), portrait unless asked;
- margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm (the decree: top and bottom 20–25,
  left 30–35, right 15–20);
- Times New Roman 13 pt for the body (the decree allows 13–14), set for the Latin, complex and
  East-Asian slots so that Word does not fall back to another font for Vietnamese letters;
- the page number centred in the header from the second page on (the decree numbers pages in
  the top margin, not the first).

Core knows no app: this module takes a python-docx ``Document`` and returns nothing.
"""

from __future__ import annotations

from typing import Any

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
BODY_PT = 13
A4_MM = (210, 297)
# (top, bottom, left, right) in millimetres, within NĐ 30/2020's ranges.
MARGINS_MM = (20, 20, 30, 15)


def set_font(style_or_run: Any, name: str = FONT, size_pt: float | None = None) -> None:
    """Set ``name`` on every script slot of a style or run (ascii, hAnsi, cs, eastAsia)."""
    font = style_or_run.font
    font.name = name
    if size_pt is not None:
        font.size = Pt(size_pt)
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), name)


def _page_number_field(paragraph: Any) -> None:
    """A PAGE field in ``paragraph`` (Word and LibreOffice compute it when the page is laid out)."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(end)


def apply_official_page(
    document: Any, *, landscape: bool = False, body_pt: float = BODY_PT, page_numbers: bool = True
) -> Any:
    """Put ``document`` (python-docx) on the official page: A4, NĐ 30 margins, Times New Roman.

    Applies to every section already in the document; call it right after ``Document()`` so that
    the sections added later inherit it. ``landscape`` turns the page for wide tables (the
    decree allows it for appendices). Returns the document for chaining.
    """
    top, bottom, left, right = MARGINS_MM
    width, height = A4_MM
    for section in document.sections:
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (
            (Mm(height), Mm(width)) if landscape else (Mm(width), Mm(height))
        )
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)
        if page_numbers:
            # NĐ 30/2020 numbers pages from the second: the first page's header stays empty.
            section.different_first_page_header_footer = True
            header = section.header
            para = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            if not para.text:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _page_number_field(para)
    styles = document.styles
    set_font(styles["Normal"], FONT, body_pt)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid"):
        try:
            style = styles[name]
        except KeyError:
            continue
        set_font(style, FONT)
        if name.startswith("Heading") or name == "Title":
            style.font.color.rgb = None
    return document
