"""Demo appointment cases of the synthetic province (``./canbo cases seed_demo``).

Idempotent: nothing is written when the province already has a case. Every case goes through
the same services an officer uses (as the system): open and closed cases of each source, one
decided with an exception, one stopped for lack of quorum, one reappointment extended to
retirement and one reappointment open. Posts and people are chosen deterministically.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from canbo.careers.models import Tenure
from canbo.cases import services as S
from canbo.cases.models import Candidate, Case
from canbo.core.context import bind_context
from canbo.core.dates import today
from canbo.core.errors import DomainError
from canbo.org.models import Post, Title, Unit
from canbo.people.models import Person
from canbo.people.service_history import in_service_q
from canbo.rules.cli import SystemUser

ROOT_CODE = "LC"
POOL = 12


def _vacant_posts(root: Unit, day: dt.date, user: Any) -> list[Post]:
    from canbo.org.selectors import vacancy_rows, vacancy_seats

    # The vacancy view's rows with empty seats, counted in the database; objects are read only
    # for the leaders' posts among them.
    found = vacancy_seats(user, [root], day, only="trong")
    leaders = set(Title.objects.filter(is_leader=True).values_list("pk", flat=True))
    empty = [r for r in found.rows if r.post_ids and r.key[1] in leaders]
    return [r.post for r in vacancy_rows(user, day, found, empty) if r.post is not None]


def _pool(post: Post, day: dt.date, exclude: set[int]) -> list[Person]:
    """People in service in the post's parent unit subtree, youngest first (most likely to pass
    A-3), at most POOL."""
    path = post.unit.path
    base = path[: -Unit.steplen] or path
    return list(
        Person.objects.filter(in_service_q(day), managing_unit__path__startswith=base, is_synthetic=True)
        .exclude(pk__in=exclude)
        .order_by("-birth_date", "personal_id")[:POOL]
    )


def _steps(case: Case, day: dt.date, cands: list[Candidate], *, fail_at: int | None = None) -> None:
    for n in range(1, case.step_count + 1):
        present = 8 if n == fail_at else 14
        votes = {cands[0].pk: min(11, present)} if len(cands) == 1 else {cands[0].pk: 10, cands[1].pk: 3}
        if n == fail_at:
            votes = {cands[0].pk: 6, cands[1].pk: 2} if len(cands) > 1 else {cands[0].pk: 8}
        S.step_record(
            acting_user=None,
            case=case,
            number=n,
            held_on=day + dt.timedelta(days=3 * n),
            body=f"Hội nghị bước {n}",
            convened=15,
            present=present,
            ballots=present,
            votes=votes,
        )
        if n == fail_at:
            return


def _open(post: Post, source: str, day: dt.date, people: list[Person]) -> tuple[Case, list[Candidate]]:
    case = S.case_open(acting_user=None, post=post, kind="bo_nhiem", source=source, received_on=day)
    cands = [S.candidate_add(acting_user=None, case=case, person=p) for p in people]
    for c in cands:
        S.candidate_declare(acting_user=None, candidate=c, pending_discipline=False)
    return case, cands


def _ranked(post: Post, day: dt.date, user: Any, exclude: set[int]) -> tuple[list[Person], list[Person]]:
    """(people whose verdict passes, people whose verdict fails) for an appointment to ``post``."""
    from canbo.rules.selectors import verdict

    good: list[Person] = []
    bad: list[Person] = []
    for p in _pool(post, day, exclude):
        v = verdict(user, p, "appointment", post.title, day)
        (good if v.outcome in ("pass", "warn", "cannot_decide") else bad).append(p)
    return good, bad


def seed_demo() -> str:
    root = Unit.objects.filter(code=ROOT_CODE).first()
    if root is None:
        raise DomainError("Chưa có tỉnh mẫu (mã LC). Chạy ./canbo seed_demo trước.")
    if Case.objects.filter(unit__path__startswith=root.path).exists():
        return "Tỉnh mẫu đã có hồ sơ bổ nhiệm; không tạo thêm."
    user = SystemUser()
    day = today()
    received = day - dt.timedelta(days=40)
    posts = _vacant_posts(root, day, user)
    used: set[int] = set()
    lines: list[str] = []
    with bind_context(source="command"):
        plan = [("tai_cho", "decided"), ("noi_khac", "exception"), ("nguoi_dung_dau", "steps"),
                ("tai_cho", "no_quorum"), ("noi_khac", "nomination")]  # fmt: skip
        queue = iter(posts)
        for source, outcome in plan:
            needed = 1 if source == "nguoi_dung_dau" else 2
            post, people = None, []
            for candidate_post in queue:
                good, bad = _ranked(candidate_post, received, user, used)
                people = ((bad + good) if outcome == "exception" else (good + bad))[:needed]
                if len(people) == needed:
                    post = candidate_post
                    break
            if post is None:
                break
            used.update(p.pk for p in people)
            if source == "nguoi_dung_dau" and not S.in_head_pilot(post.unit, received):
                S.head_pilot_add(
                    acting_user=None,
                    unit=post.unit,
                    valid_from=received - dt.timedelta(days=365),
                    basis="Quyết định thí điểm giao quyền cho người đứng đầu (dữ liệu mẫu)",
                )
            case, cands = _open(post, source, received, people)
            if outcome == "nomination":
                lines.append(f"{case}: đang giới thiệu nhân sự")
                continue
            S.case_start_steps(acting_user=None, case=case)
            if outcome == "steps":
                lines.append(f"{case}: đang thực hiện các bước")
                continue
            if outcome == "no_quorum":
                _steps(case, received, cands, fail_at=3)
                S.case_stop(
                    acting_user=None, case=case, reason="Hội nghị bước 3 không đủ 2/3 số được triệu tập"
                )
                lines.append(f"{case}: dừng vì hội nghị không đủ số lượng")
                continue
            _steps(case, received, cands)
            S.case_submit(acting_user=None, case=case)
            chosen = cands[0]
            verdict = S.candidate_verdict(user, case, chosen)
            message = S.gate_message(verdict)
            if message:
                barred = sorted(
                    {r.rule_id for r in verdict.results if r.outcome in ("fail", "cannot_decide")}
                )
                S.exception_record(
                    acting_user=None,
                    candidate=chosen,
                    rules=", ".join(barred),
                    reason="Nhân sự có năng lực nổi trội, đáp ứng yêu cầu nhiệm vụ (dữ liệu mẫu)",
                    basis="Văn bản của Ban Thường vụ (dữ liệu mẫu)",
                )
            S.case_decide(
                acting_user=None,
                case=case,
                candidate=chosen,
                decision_number=f"{100 + case.pk}/QĐ-UBND",
                decision_date=day - dt.timedelta(days=2),
                effective_date=day,
                signer="Chủ tịch UBND tỉnh",
            )
            lines.append(f"{case}: đã quyết định" + (" (có ngoại lệ)" if message else ""))
        lines += _reappointments(root, day, user)
    return "\n".join(lines) or "Không tìm được vị trí phù hợp để tạo hồ sơ mẫu."


def _reappointments(root: Unit, day: dt.date, user: Any) -> list[str]:
    """One reappointment extended to retirement (A-14: under 24 months left at term end) and one
    left open, among open leadership tenures on posts of the province."""
    base = (
        Tenure.objects.filter(unit__path__startswith=root.path, title__is_leader=True, post__isnull=False)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("person", "post__title", "title", "unit")
    )
    # the oldest holders first (one near retirement), then the youngest (one far from it)
    tenures = [
        *base.order_by("person__birth_date", "id")[:40],
        *base.order_by("-person__birth_date", "id")[:40],
    ]
    lines: list[str] = []
    extended = opened = False
    from canbo.rules.engine.facts import Declared
    from canbo.rules.selectors import verdict

    for t in tenures:
        if extended and opened:
            break
        if Case.objects.filter(prior_tenure=t).exists():
            continue
        post = t.post
        assert post is not None  # noqa: S101 (filtered above)
        v = verdict(user, t.person, "reappointment", post.title, day, Declared(pending_discipline=False))
        a14 = next((r for r in v.results if r.rule_id == "A-14"), None)
        if a14 is None or (a14.outcome == "warn" and extended) or (a14.outcome == "pass" and opened):
            continue
        if a14.outcome not in ("warn", "pass"):
            continue
        case = S.case_open(
            acting_user=None,
            post=post,
            kind="bo_nhiem_lai",
            source="tai_cho",
            received_on=day,
            prior_tenure=t,
        )
        S.candidate_declare(acting_user=None, candidate=case.candidates.get(), pending_discipline=False)
        if a14.outcome == "warn":
            S.case_extend(
                acting_user=None, case=case, decision_number=f"{200 + case.pk}/QĐ-UBND", decision_date=day
            )
            lines.append(f"{case}: kéo dài thời hạn đến khi nghỉ hưu")
            extended = True
        else:
            lines.append(f"{case}: bổ nhiệm lại, đang giới thiệu")
            opened = True
    return lines
