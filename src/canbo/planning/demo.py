"""Demo planning lists of the synthetic Lào Cai (``manage.py planning seed_demo``).

Idempotent: a list that exists (unit, term, kind) is left alone. Entries are added and removed
through the same logged services an officer uses, so P-1 and the P-2 caps hold; candidates are
chosen deterministically (most senior post held, then personal id) among people holding a lower
leadership post in the unit's subtree on the decision date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from canbo.careers.models import Tenure, on_date_q
from canbo.core.context import bind_context
from canbo.core.dates import today
from canbo.core.errors import DomainError
from canbo.org.models import Title, Unit
from canbo.people.models import Person
from canbo.planning import services
from canbo.planning.models import PlanningEntry, PlanningKind, PlanningList

ROOT_CODE = "LC"
# Candidates young enough for one full term from 2025 (P-5), so that most verdicts pass.
BORN_AFTER = dt.date(1972, 1, 1)
PER_TITLE = 2
TITLES_PER_PERSON = 2


@dataclass(frozen=True)
class ListSpec:
    unit_code: str
    name: str
    kind: str
    decision: str
    decided: dt.date
    titles: tuple[str, ...]
    level: str  # candidates hold a leadership post of this level
    review: dt.date | None = None  # yearly review: one removal, one addition (P-4)


SPECS = (
    ListSpec(
        "LC",
        "Quy hoạch Ban Thường vụ Tỉnh ủy và các chức danh chủ chốt tỉnh nhiệm kỳ 2025–2030",
        PlanningKind.LEADERSHIP,
        "1234-QĐ/TU",
        dt.date(2024, 3, 15),
        ("T.BT", "T.PBT", "T.CTHD", "T.CTUB", "T.PCTHD", "T.PCTUB", "T.CTMT"),
        "tinh",
        dt.date(2025, 3, 20),
    ),
    ListSpec(
        "LC.H082",
        "Quy hoạch Ban Thường vụ Huyện ủy Bát Xát nhiệm kỳ 2025–2030",
        PlanningKind.COMMITTEE,
        "456-QĐ/HU",
        dt.date(2023, 6, 12),
        ("H.BT", "H.PBT", "H.CTHD", "H.CTUB", "H.PCTUB"),
        "huyen",
        dt.date(2024, 3, 25),
    ),
    ListSpec(
        "LC.XM02683",
        "Quy hoạch chức danh chủ chốt xã Bát Xát nhiệm kỳ 2025–2030",
        PlanningKind.LEADERSHIP,
        "78-QĐ/ĐU",
        dt.date(2025, 10, 20),
        ("X.BT", "X.PBT", "X.CTUB", "X.CTHD", "X.PCTUB"),
        "xa",
        dt.date(2026, 3, 16),
    ),
    ListSpec(
        "LC.XM02647",
        "Quy hoạch chức danh chủ chốt phường Lào Cai nhiệm kỳ 2025–2030",
        PlanningKind.LEADERSHIP,
        "91-QĐ/ĐU",
        dt.date(2025, 10, 22),
        ("X.BT", "X.PBT", "X.CTUB", "X.CTHD"),
        "xa",
    ),
)

REMOVAL_REASON = "Rà soát quy hoạch hằng năm: không còn đáp ứng yêu cầu chức danh quy hoạch"


def _candidates(unit: Unit, title: Title, level: str, day: dt.date) -> list[Person]:
    held = (
        Tenure.objects.filter(
            on_date_q(day),
            unit__path__startswith=unit.path,
            is_primary=True,
            title__is_leader=True,
            title__level=level,
            title__rank__gt=0,
            title__rank__lt=title.rank,
            person__birth_date__gte=BORN_AFTER,
            person__left_service_date__isnull=True,
        )
        .select_related("person")
        .order_by("-title__rank", "person__personal_id")
    )
    seen: dict[int, Person] = {}
    for t in held:
        seen.setdefault(t.person_id, t.person)
    return list(seen.values())


def _fill(planning_list: PlanningList, spec: ListSpec, day: dt.date, decision: str, per_title: int) -> int:
    unit = planning_list.unit
    added = 0
    for code in spec.titles:
        title = Title.objects.filter(code=code).first()
        if title is None:
            continue
        have = PlanningEntry.objects.filter(planning_list=planning_list, title=title, removed_on__isnull=True)
        want = per_title - have.count()
        in_list = set(planning_list.entries.values_list("person_id", flat=True))
        # People not yet in the list first, so that a list is not the same few names per title.
        for person in sorted(_candidates(unit, title, spec.level, day), key=lambda p: p.pk in in_list):
            if want <= 0:
                break
            mine = PlanningEntry.objects.filter(planning_list=planning_list, person=person)
            # Never twice for one title: a person removed at a review is not put back that day.
            if mine.filter(title=title).exists():
                continue
            if mine.filter(removed_on__isnull=True).count() >= TITLES_PER_PERSON:
                continue
            try:
                services.planning_entry_add(
                    acting_user=None,
                    planning_list=planning_list,
                    person=person,
                    title=title,
                    added_on=day,
                    decision=decision,
                )
            except DomainError:
                continue  # P-1 or a P-2 cap: the next candidate
            want -= 1
            added += 1
    return added


def seed_demo() -> str:
    """Create the demo planning lists that are missing; say what was done."""
    if Unit.objects.filter(code=ROOT_CODE, depth=1).first() is None:
        raise DomainError("Chưa có tỉnh mẫu (đơn vị gốc mã LC): chạy ./canbo demo trước.")
    lines = []
    with bind_context(source="command"):
        for spec in SPECS:
            unit = Unit.objects.filter(code=spec.unit_code).first()
            if unit is None:
                lines.append(f"Bỏ qua {spec.unit_code}: không có đơn vị này.")
                continue
            if PlanningList.objects.filter(
                unit=unit, term_start=2025, term_end=2030, kind=spec.kind
            ).exists():
                lines.append(f"{spec.name}: đã có, không nạp lại.")
                continue
            pl = services.planning_list_create(
                acting_user=None,
                unit=unit,
                name=spec.name,
                kind=spec.kind,
                term_start=2025,
                term_end=2030,
                decision_number=spec.decision,
                decision_date=spec.decided,
            )
            added = _fill(pl, spec, spec.decided, spec.decision, PER_TITLE)
            removed = 0
            if spec.review is not None:
                first = pl.entries.order_by("-title__rank", "id").first()
                if first is not None:
                    services.planning_entry_remove(
                        acting_user=None,
                        entry=first,
                        removed_on=spec.review,
                        reason=REMOVAL_REASON,
                        decision=f"Rà soát năm {spec.review.year}",
                    )
                    removed = 1
                added += _fill(pl, spec, spec.review, f"Bổ sung năm {spec.review.year}", PER_TITLE)
            reviewed = ""
            if spec.review is not None and spec.review <= today():
                try:  # the year's review record (P-4); refused while someone has a removal ground
                    services.planning_review_record(
                        acting_user=None,
                        planning_list=pl,
                        year=spec.review.year,
                        reviewed_on=spec.review,
                        decision=f"Rà soát năm {spec.review.year}",
                    )
                    reviewed = f", rà soát năm {spec.review.year}"
                except DomainError as exc:
                    reviewed = f"; chưa ghi rà soát năm {spec.review.year}: {exc}"
            lines.append(f"{spec.name}: {added} lượt bổ sung, {removed} lượt đưa ra{reviewed}.")
    return "\n".join(lines)
