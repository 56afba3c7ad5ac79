"""The Word documents of a case, as templates kept as data (``core.docforms``): the ballot-count
minutes (biên bản kiểm phiếu) of one step, and the proposal (tờ trình) with each candidate's
verdict at the case's event date.

The forms' text lives in the Word files ``cases/data/*.docx`` (first written by
``tools/case_templates.py``: the official page and the header of NĐ 30/2020) or in a version an
administrator uploaded at /tai-lieu/mau/; this module computes only the values of the fields
they may use (``*_FIELDS``, ``*_TABLES``). The forms are registered in ``CasesConfig.ready`` and
filled by the documents app through ``core.docforms.render``; cases imports nothing of it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from canbo.cases.models import Case, Step
from canbo.core.docforms import DocumentForm, vn_date
from canbo.core.wordpage import place_date_line
from canbo.org.selectors import document_issuer, unit_label

DATA = Path(__file__).resolve().parent / "data"
MINUTES = "bbkp"
PROPOSAL = "totrinh"
READ_KIND = "ho_so_bo_nhiem"  # documents.DocumentKind.CASE

HEADER_FIELDS: dict[str, str] = {
    "co_quan_cap_tren": "Cơ quan, tổ chức chủ quản (in hoa; trống nếu không có)",
    "co_quan": "Cơ quan, tổ chức ban hành: đơn vị của vị trí (in hoa)",
    "dia_danh_ngay": "Địa danh và ngày tháng năm ban hành",
    "chuc_danh": "Chức danh cần bổ nhiệm",
    "don_vi": "Đơn vị của vị trí",
}

MINUTES_FIELDS: dict[str, str] = {
    **HEADER_FIELDS,
    "buoc": "Số thứ tự của bước",
    "hoi_nghi": "Hội nghị",
    "ngay_hop": "Ngày họp",
    "so_trieu_tap": "Số người được triệu tập",
    "so_co_mat": "Số người có mặt",
    "so_phieu_phat_ra": "Số phiếu phát ra",
    "so_luong": "Kết luận về số lượng (A-9), với số cần có mặt",
    "nguoi_trung": "Người trúng (trên 50% số được triệu tập, A-10)",
    "chuyen_buoc": "Người chuyển sang bước sau",
    "ghi_chu": "Ghi chú khi hội nghị không đủ số lượng",
}
MINUTES_TABLES: dict[str, tuple[str, ...]] = {
    "phieu": ("stt", "ho_ten", "so_phieu", "ty_le", "ket_qua"),
}

PROPOSAL_FIELDS: dict[str, str] = {
    **HEADER_FIELDS,
    "ve_viec": "Trích yếu: về việc bổ nhiệm (bổ nhiệm lại, giới thiệu ứng cử) chức danh …",
    "nguon": "Nguồn nhân sự và quy trình",
    "ngay_nhan": "Ngày cơ quan tổ chức nhận tờ trình và hồ sơ (ngày chọn phiên bản quy định)",
    "so_buoc": "Số bước của quy trình",
}
PROPOSAL_TABLES: dict[str, tuple[str, ...]] = {
    "nhan_su": ("stt", "ho_ten", "ngay_sinh", "ket_luan", "chua_dat", "ngoai_le"),
}


def _header(case: Case, day: dt.date) -> dict[str, str]:
    parent, issuer, place = document_issuer(case.unit, day)
    return {
        "co_quan_cap_tren": parent.upper(),
        "co_quan": issuer.upper(),
        "dia_danh_ngay": place_date_line(place or "……", day),
        "chuc_danh": case.post.title.name,
        "don_vi": unit_label(case.unit),
    }


def _pct(votes: int, convened: int) -> str:
    share = votes / convened * 100 if convened else 0.0
    return f"{share:.1f}%".replace(".", ",")


def minutes_context(case: Case, step: Step, names: dict[int, str]) -> dict[str, Any]:
    """The minutes of ``step``: counts, quorum (validator 3 on the step's vote rows), each
    candidate's votes and share of those convened, and who is selected or goes on (A-9, A-10)."""
    from canbo.cases.selectors import step_ballot
    from canbo.rules.engine.checks.ballot import BallotCase
    from canbo.rules.selectors import rulebook

    computed = BallotCase(rulebook(), step_ballot(step))
    outcome = {"trung": "Trúng", "chuyen_buoc": "Chuyển bước sau", "": ""}
    rows = sorted(step.vote_rows.all(), key=lambda r: (-r.votes, names.get(r.candidate_id, "")))
    return {
        **_header(case, step.held_on),
        "buoc": str(step.number),
        "hoi_nghi": step.body,
        "ngay_hop": vn_date(step.held_on),
        "so_trieu_tap": str(step.convened),
        "so_co_mat": str(step.present),
        "so_phieu_phat_ra": str(step.ballots),
        "so_luong": (
            f"{'Đủ' if computed.quorum_met else 'Không đủ'} số lượng (A-9): có mặt "
            f"{step.present}/{step.convened}, cần ít nhất {computed.quorum_needed}."
        ),
        "phieu": [
            {
                "stt": str(i),
                "ho_ten": names.get(r.candidate_id, ""),
                "so_phieu": str(r.votes),
                "ty_le": _pct(r.votes, step.convened),
                "ket_qua": outcome.get(r.outcome, ""),
            }
            for i, r in enumerate(rows, start=1)
        ],
        "nguoi_trung": ", ".join(names[i] for i in step.selected) or "Không có",
        "chuyen_buoc": ", ".join(names[i] for i in step.next_round) or "Không có",
        "ghi_chu": ""
        if step.quorum_met
        else "Hội nghị không đủ số lượng: kết quả không được dùng để chuyển bước.",
    }


def proposal_context(case: Case, rows: list[Any], day: dt.date) -> dict[str, Any]:
    """The proposal of the case made on ``day``: the post, the procedure, the candidates with their
    verdict at the event date (each rule not passed, with its reason) and any exception on file."""
    people = []
    for i, r in enumerate(rows, start=1):
        v = r.verdict
        failing = [
            f"{x.label} – {x.outcome_label}: {x.message}"
            for x in v.results
            if x.outcome not in ("pass", "not_applicable")
        ]
        people.append(
            {
                "stt": str(i),
                "ho_ten": r.candidate.person.full_name,
                "ngay_sinh": vn_date(r.candidate.person.birth_date),
                "ket_luan": f"{v.outcome_label} ({v.counts_text})",
                "chua_dat": "; ".join(failing) or "Không",
                "ngoai_le": "; ".join(f"{e.rule}: {e.reason} (căn cứ: {e.basis})" for e in r.exceptions)
                or "Không",
            }
        )
    return {
        **_header(case, day),
        "ve_viec": f"Về việc {case.get_kind_display().lower()} chức danh {case.post.title.name} – "
        f"{unit_label(case.unit)}",
        "nguon": case.get_source_display(),
        "ngay_nhan": vn_date(case.received_on),
        "so_buoc": str(case.step_count),
        "nhan_su": people,
    }


def _sample(fields: dict[str, str], tables: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    ctx: dict[str, Any] = {name: "Giá trị thử – Nguyễn Văn Mẫu" for name in fields}
    for name, cols in tables.items():
        ctx[name] = [{c: f"{c} dòng {i}" for c in cols} for i in range(40)]
    return ctx


FORMS = (
    DocumentForm(
        key=MINUTES,
        label="Biên bản kiểm phiếu (một bước của quy trình bổ nhiệm)",
        group="Hồ sơ bổ nhiệm",
        shipped=DATA / "bien-ban-kiem-phieu.docx",
        fields=MINUTES_FIELDS,
        tables=MINUTES_TABLES,
        sample=lambda: _sample(MINUTES_FIELDS, MINUTES_TABLES),
        read_kind=READ_KIND,
        order=20,
    ),
    DocumentForm(
        key=PROPOSAL,
        label="Tờ trình bổ nhiệm (kèm kết luận về từng nhân sự)",
        group="Hồ sơ bổ nhiệm",
        shipped=DATA / "to-trinh.docx",
        fields=PROPOSAL_FIELDS,
        tables=PROPOSAL_TABLES,
        sample=lambda: _sample(PROPOSAL_FIELDS, PROPOSAL_TABLES),
        read_kind=READ_KIND,
        order=21,
    ),
)
