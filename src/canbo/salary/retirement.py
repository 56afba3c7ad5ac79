"""Retirement notices (SALARY.md H-8, H-9): who retires in the coming months, the notice and
decision due dates, the documents recorded as issued, and the notice as a Word document.

The retirement date is the rules engine's (RULES.md H-1–H-3, or the person's recorded override
H-5): ``rules.engine.calculators.retirement``. H-8's two periods are parameters of the rulebook
(``notice_months``, ``decision_months``), read from the version in force on the as-of date.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q

from canbo.core.dates import format_date
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.services import audited_create, ensure_can_change
from canbo.core.types import ActingUser
from canbo.org.models import Unit
from canbo.org.selectors import unit_label
from canbo.people.models import Person
from canbo.people.service_history import in_service_q
from canbo.rules.engine.calculators import Retirement, required_months, retirement
from canbo.rules.engine.dates import add_months
from canbo.rules.engine.facts import FEMALE, MALE
from canbo.rules.engine.rulebook import Rulebook
from canbo.salary.models import NoticeKind, RetirementNotice

MAX_MONTHS = 24
DEFAULT_NOTICE_MONTHS = 6
DEFAULT_DECISION_MONTHS = 3


@dataclass(frozen=True)
class H8:
    """H-8's periods in force on a day, and the version cited ("H-8 v1")."""

    notice_months: int
    decision_months: int
    cited: str


def h8(book: Rulebook, day: dt.date) -> H8:
    version = book.find("H-8", day)
    if version is None:
        return H8(DEFAULT_NOTICE_MONTHS, DEFAULT_DECISION_MONTHS, "H-8")
    return H8(
        int(version.params.get("notice_months", DEFAULT_NOTICE_MONTHS)),
        int(version.params.get("decision_months", DEFAULT_DECISION_MONTHS)),
        f"H-8 v{version.version}",
    )


@dataclass
class RetirementItem:
    person_id: int
    name: str
    personal_id: str
    unit: str
    birth: str
    retirement: Retirement
    notice_due: dt.date
    decision_due: dt.date
    notice: RetirementNotice | None = None  # issued on or before the as-of date
    decision: RetirementNotice | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def date(self) -> dt.date:
        return self.retirement.date

    @property
    def notice_overdue(self) -> bool:
        return "notice" in self.flags

    @property
    def decision_overdue(self) -> bool:
        return "decision" in self.flags


def _persons(user: Any) -> Any:
    return Person.objects.all() if user is None else Person.objects.restrict(user)


def _birth_window(book: Rulebook, start: dt.date, end: dt.date) -> Q:
    """Persons who may reach H-1's age between ``start`` and ``end``, per sex: born between
    ``start`` minus the highest requirement of those years and ``end`` minus the lowest, with a
    year of slack each side (H-3's assumed month of a partial birth date). A superset: each
    candidate's date is then computed exactly; overrides are read apart."""
    q = Q()
    for sex in (MALE, FEMALE):
        needs = [required_months(book, sex, y) for y in range(start.year, end.year + 1)]
        q |= Q(
            sex=sex,
            birth_date__gte=add_months(start, -max(needs) - 12),
            birth_date__lt=add_months(end, -min(needs) + 12),
        )
    return q


def retirement_list(
    user: Any, unit: Unit, as_of: dt.date, months: int, *, book: Rulebook | None = None
) -> list[RetirementItem]:
    """People of ``unit``'s subtree (within ``user``'s grants), in service on ``as_of``, whose
    retirement date falls in [as_of, as_of + months), with H-8's due dates and the notices and
    decisions issued by ``as_of``. A notice or decision due before ``as_of`` and not issued by
    then is flagged overdue. Sorted by retirement date, then name."""
    from canbo.rules.engine.facts import RetirementOverride as OverrideFact
    from canbo.rules.models import RetirementOverride
    from canbo.rules.selectors import birth_of, rulebook

    if not 1 <= months <= MAX_MONTHS:
        raise DomainError(f"Số tháng phải từ 1 đến {MAX_MONTHS}.")
    book = book or rulebook()
    periods = h8(book, as_of)
    end = add_months(as_of, months)
    persons = (
        _persons(user)
        .filter(in_service_q(as_of), managing_unit__path__startswith=unit.path)
        .only("id", "full_name", "personal_id", "sex", "birth_date", "birth_precision", "managing_unit_id")
    )
    overrides = {
        o.person_id: OverrideFact(o.year, o.month, o.kind, o.basis)
        for o in RetirementOverride.objects.filter(person__in=persons.values("pk"))
    }
    candidates = persons.filter(_birth_window(book, as_of, end))
    chosen = list(candidates) + list(
        persons.filter(pk__in=list(overrides)).exclude(pk__in=candidates.values("pk"))
    )
    items: list[RetirementItem] = []
    for p in chosen:
        if p.birth_date is None or not p.sex:
            continue
        ret = retirement(book, birth_of(p), overrides.get(p.pk))
        if not as_of <= ret.date < end:
            continue
        items.append(
            RetirementItem(
                person_id=p.pk,
                name=p.full_name,
                personal_id=p.personal_id or "",
                unit=unit_label(p.managing_unit_id),
                birth=birth_of(p).display(),
                retirement=ret,
                notice_due=add_months(ret.date, -periods.notice_months),
                decision_due=add_months(ret.date, -periods.decision_months),
            )
        )
    by_person = {i.person_id: i for i in items}
    for n in RetirementNotice.objects.filter(person_id__in=list(by_person), issued_on__lte=as_of):
        item = by_person[n.person_id]
        if n.kind == NoticeKind.NOTICE:
            item.notice = n
        else:
            item.decision = n
    for item in items:
        if item.notice is None and item.notice_due < as_of:
            item.flags.append("notice")
        if item.decision is None and item.decision_due < as_of:
            item.flags.append("decision")
    items.sort(key=lambda i: (i.date, i.name))
    return items


def retirement_of(user: Any, person: Person) -> Retirement | None:
    """The person's retirement (H-2 or his recorded override), read through ``user``'s grants."""
    from canbo.rules.selectors import birth_of, override_of, rulebook

    if person.birth_date is None or not person.sex:
        return None
    return retirement(rulebook(), birth_of(person), override_of(user, person))


def record_notice(
    *,
    acting_user: ActingUser,
    person_id: int,
    kind: str,
    number: str,
    issued_on: dt.date,
    signer: str = "",
) -> RetirementNotice:
    """Record a retirement notice or decision as issued (H-8): scoped (a person outside the
    user's grants is refused as not found), validated, change-logged, one of each kind."""
    person = _persons(acting_user).filter(pk=person_id).first()
    if person is None:
        raise NotPermitted("Không tìm thấy cán bộ hoặc bạn không có quyền với cán bộ này.")
    if kind not in NoticeKind.values:
        raise DomainError("Loại văn bản không hợp lệ: chỉ có thông báo nghỉ hưu hoặc quyết định nghỉ hưu.")
    label = NoticeKind(kind).label
    ret = retirement_of(acting_user, person)
    if ret is None:
        raise DomainError(
            f"Hồ sơ của {person.full_name} thiếu ngày sinh hoặc giới tính: chưa tính được thời điểm nghỉ hưu."
        )
    with transaction.atomic():
        ensure_can_change(person, acting_user)
        existing = RetirementNotice.objects.filter(person=person, kind=kind).first()
        if existing is not None:
            raise DomainError(
                f"{person.full_name} đã có {label.lower()} số {existing.number} "
                f"ngày {format_date(existing.issued_on)}."
            )
        if (
            kind == NoticeKind.DECISION
            and not RetirementNotice.objects.filter(
                person=person, kind=NoticeKind.NOTICE, issued_on__lte=issued_on
            ).exists()
        ):
            raise DomainError(
                f"Chưa có thông báo nghỉ hưu của {person.full_name} ban hành trước ngày "
                f"{format_date(issued_on)}; ghi thông báo trước quyết định."
            )
        saved = audited_create(
            RetirementNotice(
                person=person,
                kind=kind,
                number=number.strip(),
                issued_on=issued_on,
                retirement_date=ret.date,
                signer=signer.strip(),
            ),
            acting_user=acting_user,
            reason=f"Ghi {label.lower()} (H-8)",
        )
        if kind == NoticeKind.NOTICE:  # S-10: the early raise proposal appears with the notice
            from canbo.salary.early import propose_at_notice

            saved.early_raise = propose_at_notice(saved, acting_user=acting_user)  # type: ignore[attr-defined]
        return saved


# -- the notice as a Word document ---------------------------------------------------------


TEMPLATES = {
    NoticeKind.NOTICE: Path(__file__).resolve().parent / "data" / "thong-bao-nghi-huu.docx",
    NoticeKind.DECISION: Path(__file__).resolve().parent / "data" / "quyet-dinh-nghi-huu.docx",
}
BLANK_NUMBER, BLANK_DATE = "……", "……/……/………"


def header_fields(unit: Unit | None, day: dt.date, issued: dt.date | None) -> dict[str, str]:
    """The fields of the NĐ 30/2020 header the salary templates share with every Word document
    CanBo writes (``core.wordpage.add_official_header``, filled through placeholders): the
    governing body and the issuing body, ``unit``'s parent and ``unit`` as named on ``day``
    (upper case), and the place and date line of ``issued`` (dotted blanks for a document not
    yet issued)."""
    from canbo.core.wordpage import place_date_line
    from canbo.org.selectors import document_issuer

    parent, issuer, place = document_issuer(unit, day) if unit is not None else ("", "", "")
    place = place or "……"
    return {
        "co_quan_cap_tren": parent.upper(),
        "co_quan_hoa": issuer.upper(),
        "dia_danh_ngay": (place_date_line(place, issued) if issued else f"{place}, ngày …… tháng …… năm ……"),
    }


def document_context(user: Any, person: Person, day: dt.date) -> dict[str, str]:
    """The fields of the notice and decision templates (Vietnamese names, dates dd/mm/yyyy), from
    the dossier as of ``day``: numbers, dates and signers of the documents recorded by then
    (``so``… of the notice, ``so_qd``… of the decision), blanks otherwise."""
    from canbo.rules.selectors import birth_of, rulebook

    ret = retirement_of(user, person)
    if ret is None:
        raise DomainError(
            f"Hồ sơ của {person.full_name} thiếu ngày sinh hoặc giới tính: chưa tính được thời điểm nghỉ hưu."
        )
    periods = h8(rulebook(), day)
    issued = {n.kind: n for n in RetirementNotice.objects.filter(person=person, issued_on__lte=day)}
    notice, decision = issued.get(NoticeKind.NOTICE), issued.get(NoticeKind.DECISION)
    unit = unit_label(person.managing_unit_id) if person.managing_unit_id else ""
    title = "Ông" if person.sex == "nam" else "Bà"
    managing = person.managing_unit
    notice_head = header_fields(managing, day, notice.issued_on if notice else None)
    decision_head = header_fields(managing, day, decision.issued_on if decision else None)
    return {
        "co_quan": unit or "Cơ quan",
        "co_quan_hoa": notice_head["co_quan_hoa"],
        "co_quan_cap_tren": notice_head["co_quan_cap_tren"],
        "dia_danh_ngay_thong_bao": notice_head["dia_danh_ngay"],
        "dia_danh_ngay_quyet_dinh": decision_head["dia_danh_ngay"],
        "so_thong_bao": notice.number if notice else BLANK_NUMBER,
        "ngay_thong_bao": format_date(notice.issued_on) if notice else BLANK_DATE,
        "nguoi_ky_thong_bao": notice.signer if notice else "",
        "so_quyet_dinh": decision.number if decision else BLANK_NUMBER,
        "ngay_quyet_dinh": format_date(decision.issued_on) if decision else BLANK_DATE,
        "nguoi_ky_quyet_dinh": decision.signer if decision else "",
        "so_thang_thong_bao": str(periods.notice_months),
        "danh_xung": title,
        "danh_xung_thuong": title.lower(),
        "ho_ten": person.full_name,
        "ngay_sinh": birth_of(person).display(),
        "so_dinh_danh": person.personal_id or "",
        "don_vi": unit,
        "ngay_nghi_huu": format_date(ret.date),
        "ngay_huong_luong_huu": format_date(ret.pension_start),
        "can_cu": ret.basis,
        "han_quyet_dinh": format_date(add_months(ret.date, -periods.decision_months)),
    }


def document_docx(user: Any, person: Person, day: dt.date, kind: str) -> bytes:
    """The retirement notice or decision (H-8) of ``person``: the Word template of ``kind``
    (``data/thong-bao-nghi-huu.docx``, ``data/quyet-dinh-nghi-huu.docx``, docxtpl) filled from his
    dossier as of ``day``. In each template ``so``, ``ngay_ban_hanh``, ``nguoi_ky`` and the header's
    ``dia_danh_ngay`` are its own document's."""
    from docxtpl import DocxTemplate

    context = document_context(user, person, day)
    own = "thong_bao" if kind == NoticeKind.NOTICE else "quyet_dinh"
    context |= {
        "so": context[f"so_{own}"],
        "ngay_ban_hanh": context[f"ngay_{own}"],
        "nguoi_ky": context[f"nguoi_ky_{own}"],
        "dia_danh_ngay": context[f"dia_danh_ngay_{own}"],
    }
    doc = DocxTemplate(str(TEMPLATES[NoticeKind(kind)]))
    doc.render(context, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
