"""Reads of rating campaigns: the campaigns a user sees, the entries with their dossier facts,
validator 8 on each entry and the "hoàn thành xuất sắc" quota per agency and duty group.

Every read goes through ``restrict(user)``. The dossier facts validator 8 reads (discipline in
the year, confidence votes) are fetched for the whole campaign in two queries, not per person.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from canbo.assessment.models import ConfidenceVote, Discipline, RatingLevel
from canbo.campaigns.models import CampaignEntry, RatingCampaign, UnitRating
from canbo.org.selectors import unit_label
from canbo.rules.engine.checks import RatingInput, check_rating, check_vote
from canbo.rules.engine.checks.rating import RatingCase
from canbo.rules.engine.checks.vote import VoteInput
from canbo.rules.engine.facts import RATING_ORDER
from canbo.rules.engine.rulebook import Rulebook
from canbo.rules.engine.verdict import FAIL, Verdict
from canbo.rules.selectors import rulebook

LEVELS = ("htxs", "htt", "ht", "kht")
LEVEL_SHORT = {"htxs": "HTXS", "htt": "HTT", "ht": "HT", "kht": "KHT"}
COMMON_GROUP = "Chung"


def campaigns_for(user: Any) -> Any:
    return (
        RatingCampaign.objects.restrict(user).select_related("unit").order_by("-year", "unit__path", "system")
    )


def campaign_or_404(user: Any, pk: int, action: str = "view") -> RatingCampaign:
    """The campaign if the user may ``action`` it; the same 404 whether missing or not permitted."""
    found = RatingCampaign.objects.restrict(user, action).select_related("unit").filter(pk=pk).first()
    if found is None:
        raise Http404("Không tìm thấy đợt đánh giá.")
    return found


def entry_or_404(user: Any, pk: int, action: str = "view") -> CampaignEntry:
    found = (
        CampaignEntry.objects.restrict(user, action)
        .select_related("campaign__unit", "person", "agency")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("Không tìm thấy người được đánh giá.")
    return found


def entries_of(campaign: RatingCampaign) -> list[CampaignEntry]:
    """The campaign's entries (the caller has read the campaign through the user's grants)."""
    return list(
        CampaignEntry.objects.filter(campaign=campaign)
        .select_related("person", "agency")
        .order_by("agency__path", "duty_group", "person__full_name", "pk")
    )


def unit_levels(campaign: RatingCampaign) -> dict[int, str]:
    return {pk: level for pk, _, level in unit_ratings(campaign)}


def unit_ratings(campaign: RatingCampaign) -> list[tuple[int, str, str]]:
    """(unit id, tree path, level) of each collective rated in the campaign: one query."""
    return list(UnitRating.objects.filter(campaign=campaign).values_list("unit_id", "unit__path", "level"))


def units_led_kht(entry: CampaignEntry, rated: list[tuple[int, str, str]]) -> tuple[int, int] | None:
    """E-4: (rated KHT, rated) among the collectives below the agency a head leads, as rated in
    the campaign; None for one who heads nothing or when none of them is rated (then declared)."""
    if not entry.is_head:
        return None
    below = [
        level for pk, path, level in rated if path.startswith(entry.agency.path) and pk != entry.agency_id
    ]
    if not below:
        return None
    return sum(1 for level in below if level == "kht"), len(below)


# -- the quota (E-5, E-9, E-12) and the head (E-13) -------------------------------------------


@dataclass
class QuotaLine:
    agency_id: int
    agency: str  # the unit's label with its parents where needed
    agency_code: str
    group: str
    counts: dict[str, int]
    share: float
    rule: str  # "E-9 v1"
    basis: str

    @property
    def cap(self) -> int:
        """The most "hoàn thành xuất sắc" the group may have: ⌊share × HTT⌋."""
        return math.floor(self.share * self.counts["htt"] + 1e-9)

    @property
    def share_text(self) -> str:
        return f"{self.share:.0%}"

    @property
    def within(self) -> bool:
        return self.counts["htxs"] <= self.cap

    def to_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency_code,
            "group": self.group,
            "counts": {LEVEL_SHORT[k]: self.counts[k] for k in LEVELS},
            "cap": self.cap,
            "within_quota": self.within,
            "rules": [self.rule],
        }


def quota_rule(book: Rulebook, campaign: RatingCampaign) -> tuple[str, float, str]:
    """(rule label, share of HTT, basis) of the quota in force on the rating decision date."""
    case = RatingCase(book, RatingInput(campaign.system, campaign.decision_date, "ht"))
    version = book.find(case.quota_rule, campaign.decision_date)
    if version is None:
        return case.quota_rule, 0.2, ""
    share = float(version.params.get("htxs_share_of_htt", version.params.get("htxs_share", 0.2)))
    return f"{version.rule_id} v{version.version}", share, version.basis


def quota_lines(
    campaign: RatingCampaign,
    entries: Iterable[CampaignEntry],
    *,
    book: Rulebook | None = None,
    override: tuple[int, str] | None = None,
) -> list[QuotaLine]:
    """One line per agency and duty group, counting each entry's level (decided, else proposed);
    ``override`` (entry id, level) counts one entry at a level being entered (the live preview)."""
    rule, share, basis = quota_rule(book or rulebook(), campaign)
    groups: dict[tuple[int, str], QuotaLine] = {}
    for e in entries:
        level = override[1] if override and override[0] == e.pk else e.level
        key = (e.agency_id, e.duty_group or COMMON_GROUP)
        if key not in groups:
            groups[key] = QuotaLine(
                e.agency_id,
                unit_label(e.agency),
                e.agency.code,
                key[1],
                dict.fromkeys(LEVELS, 0),
                share,
                rule,
                basis,
            )
        if level:
            groups[key].counts[level] += 1
    return sorted(groups.values(), key=lambda q: (q.agency, q.group))


@dataclass(frozen=True)
class HeadAbove:
    entry: CampaignEntry
    unit_level: str

    @property
    def message(self) -> str:
        return (
            f"{self.entry.person.full_name} (người đứng đầu) được xếp "
            f"{RatingLevel(self.entry.level).label.lower()}, cao hơn tập thể "
            f"({RatingLevel(self.unit_level).label.lower()}) — E-13."
        )


def heads_above(entries: Iterable[CampaignEntry], levels: dict[int, str]) -> list[HeadAbove]:
    """E-13: heads rated above the collective they lead (only where the collective is rated)."""
    return [
        HeadAbove(e, levels[e.agency_id])
        for e in entries
        if e.is_head
        and e.level
        and e.agency_id in levels
        and RATING_ORDER[e.level] > RATING_ORDER[levels[e.agency_id]]
    ]


# -- validator 8 on each entry ----------------------------------------------------------------


@dataclass
class DossierFacts:
    """What the dossier says about a person for the rating year (None: nothing recorded)."""

    duty_discipline: list[str] = field(default_factory=list)  # decisions in the year
    low_votes: list[str] = field(default_factory=list)  # votes of the year with V-10 established


def dossier_facts(campaign: RatingCampaign, person_ids: list[int], book: Rulebook) -> dict[int, DossierFacts]:
    """Discipline taking effect in the rating year for a duty-related violation (D-11), and the
    year's confidence votes with "low" above V-10's threshold; two queries for the campaign."""
    year = campaign.year
    out: dict[int, DossierFacts] = defaultdict(DossierFacts)
    for d in Discipline.objects.filter(person_id__in=person_ids, duty_related=True, decision_date__year=year):
        out[d.person_id].duty_discipline.append(
            f"{d.get_form_display()} ({d.decision_number}, {d.decision_date:%d/%m/%Y})"
        )
    for v in ConfidenceVote.objects.filter(person_id__in=person_ids, vote_date__year=year):
        verdict = check_vote(
            book, VoteInput(v.vote_date, v.convened, v.present, v.ballots, v.high, v.medium, v.low)
        )
        if any(r.rule_id == "V-10" and r.outcome == FAIL for r in verdict.results):
            out[v.person_id].low_votes.append(f"{v.body}, {v.vote_date:%d/%m/%Y}")
    return out


@dataclass
class EntryRow:
    entry: CampaignEntry
    facts: DossierFacts
    verdict: Verdict | None  # None while no level is entered

    @property
    def outcome(self) -> str:
        return self.verdict.outcome if self.verdict else ""


def entry_verdict(
    book: Rulebook,
    campaign: RatingCampaign,
    entry: CampaignEntry,
    facts: DossierFacts,
    line: QuotaLine | None,
    units_led: tuple[int, int] | None = None,
) -> Verdict | None:
    """Validator 8 on ``entry``'s level (decided, else proposed) as of the rating decision date:
    bands and conditions, the KHT grounds read from the dossier (discipline and votes of the year,
    the collectives a head leads: E-4, E-8, D-11, V-10), the quota of its group."""
    level = entry.level
    if not level:
        return None
    return check_rating(
        book,
        RatingInput(
            campaign.system,
            campaign.decision_date,
            level,
            float(entry.score) if entry.score is not None else None,
            is_leader=entry.is_leader,
            kht_trigger=entry.kht_trigger,
            duty_discipline_in_year=bool(facts.duty_discipline),
            low_vote_over_half=bool(facts.low_votes),
            units_led_kht=units_led,
            exceeded_share=float(entry.exceeded_share) if entry.exceeded_share is not None else None,
            unit_htxs=line.counts["htxs"] if line else None,
            unit_htt=line.counts["htt"] if line else None,
            person_id=entry.person_id,
            person_name=entry.person.full_name,
        ),
    )


@dataclass
class CampaignView:
    campaign: RatingCampaign
    rows: list[EntryRow]
    quota: list[QuotaLine]
    heads: list[HeadAbove]
    unit_levels: dict[int, str]

    @property
    def over_quota(self) -> list[QuotaLine]:
        return [q for q in self.quota if not q.within]

    @property
    def failing(self) -> list[EntryRow]:
        """Entries validator 8 refuses, the quota aside (the quota has its own exception)."""
        return [
            r
            for r in self.rows
            if r.verdict
            and any(x.outcome == FAIL and x.rule_id not in QUOTA_RULES for x in r.verdict.results)
        ]

    @property
    def undecided(self) -> list[EntryRow]:
        return [r for r in self.rows if not r.entry.decided_level]


QUOTA_RULES = ("E-5", "E-9", "E-12")


def campaign_view(campaign: RatingCampaign, *, book: Rulebook | None = None) -> CampaignView:
    """Entries with validator 8's verdicts, the quota and the E-13 findings of ``campaign``."""
    book = book or rulebook()
    entries = entries_of(campaign)
    quota = quota_lines(campaign, entries, book=book)
    by_group = {(q.agency_id, q.group): q for q in quota}
    facts = dossier_facts(campaign, [e.person_id for e in entries], book)
    rated = unit_ratings(campaign)
    rows = [
        EntryRow(
            e,
            facts[e.person_id],
            entry_verdict(
                book,
                campaign,
                e,
                facts[e.person_id],
                by_group.get((e.agency_id, e.duty_group or COMMON_GROUP)),
                units_led_kht(e, rated),
            ),
        )
        for e in entries
    ]
    levels = {pk: level for pk, _, level in rated}
    e13 = book.find("E-13", campaign.decision_date)
    heads = heads_above(entries, levels) if e13 is None or e13.params.get("enabled", True) else []
    return CampaignView(campaign, rows, quota, heads, levels)


def summary(
    campaign: RatingCampaign, entries: Iterable[CampaignEntry]
) -> list[tuple[str, str, dict[str, int]]]:
    """Counts per agency and category: (agency label, category label, {level: n, "": not rated})."""
    from canbo.people.choices import Category

    table: dict[tuple[str, str], dict[str, int]] = {}
    for e in entries:
        key = (
            unit_label(e.agency),
            Category(e.category).label if e.category in Category.values else e.category,
        )
        counts = table.setdefault(key, {**dict.fromkeys(LEVELS, 0), "": 0})
        counts[e.level or ""] += 1
    return [(a, c, n) for (a, c), n in sorted(table.items())]


def period_start_end(campaign: RatingCampaign) -> tuple[dt.date, dt.date]:
    return campaign.bounds
