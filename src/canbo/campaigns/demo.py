"""``./canbo ratings seed_demo``: the demo province's rating campaigns (idempotent).

One agency of the demo province (the one managing the most civil servants, up to 80) gets a
finished 2025 campaign within the quota (NĐ 90/48, decided 15/12/2025) and an open 2026 campaign
above it (NĐ 335), both written through the services. A person whose dossier establishes a KHT
ground (discipline or low vote in the year) is rated "không hoàn thành nhiệm vụ", as validator 8
requires.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count

from canbo.campaigns import selectors, services
from canbo.campaigns.models import CampaignEntry, RatingCampaign, VoteBody, VoteSession
from canbo.core.context import bind_context
from canbo.core.errors import DomainError
from canbo.org.models import Unit
from canbo.people.models import Person

ROOT_CODE = "LC"
DECIDED_2025 = dt.date(2025, 12, 15)
DECIDED_2026 = dt.date(2026, 12, 15)
SCORES = {"htxs": 92, "htt": 82, "ht": 62, "kht": 40}


def _agency() -> Unit | None:
    root = Unit.objects.filter(code=ROOT_CODE, depth=1).first()
    if root is None:
        return None
    counts = (
        Person.objects.filter(managing_unit__path__startswith=root.path, category="cong_chuc")
        .values("managing_unit")
        .annotate(n=Count("pk"))
        .filter(n__gte=6, n__lte=80)
        .order_by("-n", "managing_unit")
    )
    first = counts.first()
    return Unit.objects.get(pk=first["managing_unit"]) if first else None


def _rate(campaign: RatingCampaign, htxs_share: float, *, decide: bool) -> None:
    """Levels for every entry: ``htxs_share`` of them HTXS, one in five HT, the rest HTT; then
    KHT wherever the dossier establishes a ground."""
    entries = list(CampaignEntry.objects.filter(campaign=campaign).select_related("campaign", "person"))
    n_htxs = max(1, round(len(entries) * htxs_share))
    for i, e in enumerate(entries):
        level = "htxs" if i < n_htxs else ("ht" if i % 5 == 4 else "htt")
        changes: dict[str, Any] = {
            "proposed_level": level,
            "score": SCORES[level],
            "kht_trigger": False,
            "self_level": level,
        }
        if decide:
            changes["decided_level"] = level
        services.entry_update(entry=e, acting_user=None, **changes)
    view = selectors.campaign_view(campaign)
    for row in view.rows:
        if row.facts.duty_discipline or (row.entry.is_leader and row.facts.low_votes):
            changes = {"proposed_level": "kht", "score": SCORES["kht"]}
            if decide:
                changes["decided_level"] = "kht"
            services.entry_update(entry=row.entry, acting_user=None, **changes)


def _within_quota(campaign: RatingCampaign) -> None:
    """Rate HTXS people HTT, one at a time, until every group is within the quota."""
    while True:
        view = selectors.campaign_view(campaign)
        over = {(q.agency_id, q.group) for q in view.over_quota}
        row = next(
            (
                r
                for r in view.rows
                if r.entry.level == "htxs"
                and (r.entry.agency_id, r.entry.duty_group or selectors.COMMON_GROUP) in over
            ),
            None,
        )
        if row is None:
            return
        services.entry_update(
            entry=row.entry, acting_user=None, proposed_level="htt", decided_level="htt", score=SCORES["htt"]
        )


VOTE_DATE = dt.date(2026, 10, 15)


def _vote_unit(root: Unit) -> Unit | None:
    """The unit directly under the province with the fewest (at least 3) leaders in post on the
    vote date: a session small enough to read."""
    from canbo.campaigns import votes

    best: tuple[int, str, Unit] | None = None
    for unit in Unit.objects.filter(path__startswith=root.path, depth=root.depth + 1).order_by("path"):
        n = len(votes.people_voted_on(unit, VoteBody.PARTY_COMMITTEE, VOTE_DATE))
        if n >= 3 and (best is None or (n, unit.path) < best[:2]):
            best = (n, unit.path, unit)
    return best[2] if best else None


def seed_votes() -> str:
    """A finalised confidence-vote session (15/10/2026) with one person in each consequence band:
    ≥ 2/3 low (V-5), > 1/2 and < 2/3 (V-4), the rest at most 1/2; idempotent."""
    from canbo.campaigns import votes

    root = Unit.objects.filter(code=ROOT_CODE, depth=1).first()
    if root is None:
        return ""
    if VoteSession.objects.filter(unit__path__startswith=root.path, vote_date=VOTE_DATE).exists():
        return "Đợt lấy phiếu tín nhiệm mẫu: đã có, không nạp lại."
    unit = _vote_unit(root)
    if unit is None:
        return "Đợt lấy phiếu tín nhiệm mẫu: tỉnh mẫu không có đơn vị đủ ba người giữ chức vụ lãnh đạo."
    convened = 45
    session = votes.session_create(unit=unit, body=VoteBody.PARTY_COMMITTEE, vote_date=VOTE_DATE,
                                   convened=convened, present=42, ballots=42, acting_user=None)  # fmt: skip
    entries = list(session.entries.select_related("session", "person").order_by("person__full_name", "pk"))
    # over the 45 convened (V-6): 31 ≥ 2/3 (30); 25 > 1/2 (22.5) and < 2/3; then 3 and fewer
    lows = [31, 25] + [3 - i % 3 for i in range(len(entries) - 2)]
    for e, low in zip(entries, lows, strict=True):
        high = max(0, 30 - low)
        votes.counts_set(entry=e, high=high, medium=42 - high - low, low=low, acting_user=None)
    n = votes.session_finalise(session=session, acting_user=None)
    return f"Đợt lấy phiếu tín nhiệm mẫu của {unit.name}: hoàn tất, {n} người."


def seed_demo() -> str:
    """Create the demo campaigns that are missing; say what was done."""
    with bind_context(source="command"):
        vote_line = seed_votes()
    agency = _agency()
    if agency is None:
        raise DomainError(
            "Chưa có tỉnh mẫu (đơn vị gốc mã LC) có cơ quan đủ công chức: chạy ./canbo demo trước."
        )
    lines = []
    with bind_context(source="command"):
        for year, decided, share, finish in (
            (2025, DECIDED_2025, 0.1, True),
            (2026, DECIDED_2026, 0.3, False),
        ):
            if RatingCampaign.objects.filter(
                unit=agency, system="chinh_quyen", year=year, period="nam"
            ).exists():
                lines.append(f"Đợt đánh giá năm {year} của {agency.name}: đã có, không nạp lại.")
                continue
            campaign = services.campaign_create(
                unit=agency, system="chinh_quyen", year=year, period="nam", part=None,
                decision_date=decided, acting_user=None,
            )  # fmt: skip
            _rate(campaign, share, decide=finish)
            if finish:
                _within_quota(campaign)
                written = services.campaign_finalise(campaign=campaign, acting_user=None)
                lines.append(f"Đợt đánh giá năm {year} của {agency.name}: hoàn tất, {written} người.")
            else:
                over = len(selectors.campaign_view(campaign).over_quota)
                lines.append(
                    f"Đợt đánh giá năm {year} của {agency.name}: đang đánh giá, "
                    f"{over} nhóm vượt tỷ lệ xuất sắc."
                )
    return "\n".join([*lines, vote_line] if vote_line else lines)
