"""Word documents of a case (python-docx, built in code until the documents issue's templates
land): the ballot-count minutes (biên bản kiểm phiếu) of one step, and the proposal (tờ trình)
with each candidate's verdict at the case's event date."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from canbo.cases.models import Case, Step
from canbo.core.wordpage import apply_official_page
from canbo.org.selectors import unit_label


def _heading(doc: Any, case: Case, title: str) -> None:
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = f"{unit_label(case.unit).upper()}\n———"
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc\n———"
    for cell in (left, right):
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(title)
    run.bold = True
    run.font.size = Pt(14)


def _bytes(doc: Any) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def minutes_docx(case: Case, step: Step, names: dict[int, str]) -> bytes:
    """Biên bản kiểm phiếu of ``step``: counts, quorum, each candidate's votes and share of those
    convened, and who is selected or goes on (A-9, A-10)."""
    doc = apply_official_page(Document())
    _heading(doc, case, "BIÊN BẢN KIỂM PHIẾU")
    doc.add_paragraph(
        f"Bước {step.number}: {step.body}, họp ngày {step.held_on:%d/%m/%Y}, giới thiệu nhân sự "
        f"{case.post.title.name} – {unit_label(case.unit)}."
    )
    doc.add_paragraph(
        f"Số được triệu tập: {step.convened}. Số có mặt: {step.present}. Số phiếu phát ra: {step.ballots}."
    )
    needed = -(-2 * step.convened // 3)
    doc.add_paragraph(
        f"Số lượng (A-9): {'đủ' if step.quorum_met else 'không đủ'} – có mặt {step.present}/{step.convened}, "
        f"cần ít nhất {needed}."
    )
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("Họ và tên", "Số phiếu", "Tỷ lệ trên số triệu tập"), strict=True
    ):
        cell.text = text
    for key, votes in step.votes_by_candidate.items():
        row = table.add_row().cells
        row[0].text = names.get(key, "")
        row[1].text = str(votes)
        share = votes / step.convened * 100 if step.convened else 0.0
        row[2].text = f"{share:.1f}%".replace(".", ",")
    if step.selected:
        doc.add_paragraph(
            "Người trúng (trên 50% số được triệu tập, A-10): " + ", ".join(names[i] for i in step.selected)
        )
    if step.next_round:
        doc.add_paragraph("Chuyển sang bước sau: " + ", ".join(names[i] for i in step.next_round))
    if not step.quorum_met:
        doc.add_paragraph("Hội nghị không đủ số lượng: kết quả không được dùng để chuyển bước.")
    doc.add_paragraph("TỔ KIỂM PHIẾU").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return _bytes(doc)


def proposal_docx(case: Case, rows: list[Any]) -> bytes:
    """Tờ trình of the case: the post, the procedure, the candidates with their verdict at the
    event date (each rule not passed, with its reason) and any exception on file."""
    doc = apply_official_page(Document())
    _heading(doc, case, "TỜ TRÌNH")
    doc.add_paragraph(
        f"Về việc {case.get_kind_display().lower()} chức danh {case.post.title.name} – "
        f"{unit_label(case.unit)}."
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(
        f"Nguồn nhân sự: {case.get_source_display()}. Ngày cơ quan tổ chức nhận tờ trình và hồ sơ: "
        f"{case.received_on:%d/%m/%Y}."
    )
    for i, r in enumerate(rows, start=1):
        v = r.verdict
        doc.add_paragraph(f"{i}. {r.candidate.person.full_name}: {v.outcome_label} ({v.counts_text}).")
        for x in v.results:
            if x.outcome not in ("pass", "not_applicable"):
                doc.add_paragraph(f"{x.label} – {x.outcome_label}: {x.message}", style="List Bullet")
        for e in r.exceptions:
            doc.add_paragraph(f"Ngoại lệ {e.rules}: {e.reason} (căn cứ: {e.basis}).", style="List Bullet")
    doc.add_paragraph("Kính trình cấp có thẩm quyền xem xét, quyết định.")
    return _bytes(doc)
