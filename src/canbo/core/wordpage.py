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

python-docx (and lxml under it) is imported inside the functions that use it, not at the top:
this module is imported at start-up (``cases`` registers its forms, which use
``place_date_line``), and every command would otherwise pay for loading python-docx
(docs/architecture.md, "Start-up: heavy libraries imported when used").
"""

from __future__ import annotations

from typing import Any

FONT = "Times New Roman"
BODY_PT = 13
A4_MM = (210, 297)
# (top, bottom, left, right) in millimetres, within NĐ 30/2020's ranges.
MARGINS_MM = (20, 20, 30, 15)


def set_font(style_or_run: Any, name: str = FONT, size_pt: float | None = None) -> None:
    """Set ``name`` on every script slot of a style or run (ascii, hAnsi, cs, eastAsia)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

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
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

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
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

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


# --- the header of an administrative document (NĐ 30/2020, Phụ lục I, ô 1–4) -----------------

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RULE = "―――――――"  # the short line under the issuing body and under the motto


def place_date_line(place: str, day: Any) -> str:
    """The place and date line ("Lào Cai, ngày 06 tháng 02 năm 2026"): the decree writes a day
    below 10 and the months 1 and 2 with a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _header_cell(cell: Any, lines: list[tuple[str, bool, bool]], size_pt: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cell.text = ""
    first = True
    for text, bold, italic in lines:
        para = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.space_after = Pt(0)
        run = para.add_run(text)
        run.bold, run.italic = bold, italic
        run.font.size = Pt(size_pt)


def add_official_header(
    document: Any, *, issuer: str, parent: str = "", number: str = "", place_date: str = ""
) -> Any:
    """The header every administrative document CanBo writes starts with (NĐ 30/2020, Phụ lục I):
    a borderless two-column table, on the left the governing body (``parent``, upper case), the
    issuing body (``issuer``, upper case, bold) with a short line under it and the number
    (``number``, "Số: …"); on the right the national title (quốc hiệu, upper case, bold) and the
    motto (tiêu ngữ, bold) with a short line under it, then the place and date (italic,
    ``place_date``: ``place_date_line``, or a template's placeholder).

    Call it on a document already on the official page, before its title. Returns the table.
    The texts may be docxtpl placeholders (a template's ``{{ co_quan }}``); they are upper-cased
    only when they are not one.
    """

    def upper(text: str) -> str:
        return text if "{{" in text else text.upper()

    section = document.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    left_lines = [(upper(parent), False, False)] if parent else []
    left_lines += [(upper(issuer), True, False), (RULE, False, False)]
    if number:
        left_lines.append((f"Số: {number}", False, False))
    right_lines = [(NATIONAL_TITLE, True, False), (MOTTO, True, False), (RULE, False, False)]
    if place_date:
        right_lines.append((place_date, False, True))
    _header_cell(left, left_lines, 12)
    _header_cell(right, right_lines, 12)
    # Word reads the cells' widths, LibreOffice the table grid's: both are set. The right column
    # holds the national title on one line at 12 pt.
    for column, cell, share in ((table.columns[0], left, 0.36), (table.columns[1], right, 0.64)):
        column.width = cell.width = int(usable * share)
    document.add_paragraph()
    return table
