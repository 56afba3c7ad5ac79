"""Consequences of ratings, votes, disciplines and political conclusions for planning entries
(validator 5's automatic-removal flags, P-4's yearly review): which entries in force on a day
must be taken out of their list, each with its ground and the rule version that says so, and
which additions a rule refuses unless an exception is recorded.

The dossier is read through the user's grants, in one query per kind of record for any number of
entries (the list page and the votes worklist judge many entries at once); the judgement is the
rules engine's pure ``check_removal``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from canbo.assessment.models import (
    ConfidenceVote,
    Discipline,
    DisciplineForm,
    PoliticalConclusion,
    Rating,
    RatingSystem,
)
from canbo.planning.models import PlanningEntry, planned_on_q
from canbo.rules.engine.checks import (
    AgeInput,
    ConclusionEvent,
    DisciplineEvent,
    RatingEvent,
    RemovalInput,
    VoteEvent,
    VoteInput,
    check_removal,
)
from canbo.rules.engine.facts import RetirementOverride as OverrideFact
from canbo.rules.engine.rulebook import Rulebook
from canbo.rules.engine.verdict import FAIL, RuleResult, Verdict
from canbo.rules.models import RetirementOverride
from canbo.rules.selectors import birth_of, rulebook

# A conservative bound for reading the rulebook for the age ground (P-8 with P-5): nobody's H-1
# retirement age is below 55 years and no P-5 version asks more than 120 months, so a person
# younger than 45 on the measuring day (and without an H-5 retirement date of his own) cannot be
# over the planning age. ``test_consequences`` checks both figures against the rulebook.
AGE_SCREEN_YEARS = 45


@dataclass
class Dossier:
    """One person's records the removal grounds read (what the user may see)."""

    votes: list[VoteEvent] = field(default_factory=list)
    ratings: list[RatingEvent] = field(default_factory=list)
    disciplines: list[DisciplineEvent] = field(default_factory=list)
    conclusions: list[ConclusionEvent] = field(default_factory=list)
    override: OverrideFact | None = None  # the authority's own retirement date (H-5)


def _read(model: Any, user: Any) -> Any:
    """The model's rows ``user`` may see; all of them for a system action (no user)."""
    return model.objects.all() if user is None else model.objects.restrict(user)


def dossiers(user: Any, person_ids: Iterable[int], until: dt.date) -> dict[int, Dossier]:
    """The records of ``person_ids`` dated up to ``until``: five queries whatever the number."""
    ids = list(set(person_ids))
    out: dict[int, Dossier] = defaultdict(Dossier)
    if not ids:
        return out
    for v in _read(ConfidenceVote, user).filter(person_id__in=ids, vote_date__lte=until):
        counts = VoteInput(v.vote_date, v.convened, v.present, v.ballots, v.high, v.medium, v.low)
        out[v.person_id].votes.append(VoteEvent(v.body, counts, v.body_kind))
    # Plain values for the many rows (a list's people have years of ratings each), labelled as
    # ``get_..._display`` would.
    systems = dict(RatingSystem.choices)
    for pid, year, level, decided, system in (
        _read(Rating, user)
        .filter(person_id__in=ids, period="nam", year__lte=until.year)
        .values_list("person_id", "year", "level", "decision_date", "system")
    ):
        event = RatingEvent(year, level, decided, systems.get(system, system))
        if event.day <= until:
            out[pid].ratings.append(event)
    forms = dict(DisciplineForm.choices)
    for pid, decided, form, number in (
        _read(Discipline, user)
        .filter(person_id__in=ids, decision_date__lte=until)
        .values_list("person_id", "decision_date", "form", "decision_number")
    ):
        out[pid].disciplines.append(DisciplineEvent(decided, forms.get(form, form), number))
    for c in _read(PoliticalConclusion, user).filter(person_id__in=ids, conclusion_date__lte=until):
        out[c.person_id].conclusions.append(
            ConclusionEvent(c.conclusion_date, c.meets_standard, c.issuing_body)
        )
    for o in _read(RetirementOverride, user).filter(person_id__in=ids):
        out[o.person_id].override = OverrideFact(o.year, o.month, o.kind, o.basis)
    return out


def age_measured_on(entry: PlanningEntry, day: dt.date) -> dt.date:
    """The day P-5 measures the working time left on for an entry judged on ``day``: the start of
    the planned term (1 January of its first year, as the entry page's verdict measures it), or
    ``day`` itself once the term has begun."""
    return max(day, dt.date(entry.planning_list.term_start, 1, 1))


def removal_verdict(book: Rulebook, entry: PlanningEntry, dossier: Dossier, day: dt.date) -> Verdict:
    return check_removal(
        book,
        RemovalInput(
            day,
            entry.added_on,
            entry.person_id,
            entry.person.full_name,
            entry.title.name,
            tuple(dossier.votes),
            tuple(dossier.ratings),
            tuple(dossier.disciplines),
            tuple(dossier.conclusions),
            AgeInput(birth_of(entry.person), age_measured_on(entry, day), dossier.override),
        ),
    )


@dataclass
class Flag:
    """An entry in force on ``day`` with the grounds (failed results) for taking it out."""

    entry: PlanningEntry
    verdict: Verdict

    @property
    def grounds(self) -> list[RuleResult]:
        return [r for r in self.verdict.results if r.outcome == FAIL]

    @property
    def reason(self) -> str:
        """The removal reason the one-click action records: each ground with its rule version."""
        return "; ".join(f"{r.message} ({r.label}, {r.basis})" for r in self.grounds)[:500]


def flags(
    user: Any, entries: Iterable[PlanningEntry], day: dt.date, *, book: Rulebook | None = None
) -> list[Flag]:
    """The entries in force on ``day`` that a ground takes out of their list (the caller has read
    the entries through the user's grants)."""
    current = [e for e in entries if e.in_force_on(day)]
    if not current:
        return []
    records = dossiers(user, [e.person_id for e in current], day)
    # Only entries with a candidate event since their addition are judged, and the rulebook (a
    # tenth of a second to build) is read only when one is: most lists have none.
    candidates = [
        e
        for e in current
        if _has_event(records[e.person_id], e.added_on) or _may_be_over_age(e, records[e.person_id], day)
    ]
    if not candidates:
        return []
    book = book or rulebook()
    out = []
    for e in candidates:
        f = Flag(e, removal_verdict(book, e, records[e.person_id], day))
        if f.grounds:
            out.append(f)
    return out


def _may_be_over_age(e: PlanningEntry, d: Dossier, day: dt.date) -> bool:
    """Whether the age ground could apply (see ``AGE_SCREEN_YEARS``; the check decides)."""
    born = e.person.birth_date
    if d.override is not None or born is None:
        return True
    measure = age_measured_on(e, day)
    return (measure.year - born.year, measure.month, measure.day) >= (AGE_SCREEN_YEARS, born.month, born.day)


def _has_event(d: Dossier, since: dt.date) -> bool:
    """A record dated from ``since`` that a removal ground could rest on (the check decides)."""
    return (
        any(v.vote.vote_date >= since for v in d.votes)
        or any(r.level == "kht" and r.day >= since for r in d.ratings)
        or any(x.decision_date >= since for x in d.disciplines)
        or any(not c.meets_standard and c.conclusion_date >= since for c in d.conclusions)
    )


def open_entries_by_person(
    user: Any, person_ids: Iterable[int], day: dt.date
) -> dict[int, list[PlanningEntry]]:
    """The planning entries in force on ``day`` of ``person_ids`` in the lists ``user`` sees: one
    query (registered for the votes worklist in ``PlanningConfig.ready()``)."""
    out: dict[int, list[PlanningEntry]] = defaultdict(list)
    ids = list(set(person_ids))
    if not ids:
        return out
    for e in (
        PlanningEntry.objects.restrict(user)
        .filter(planned_on_q(day), person_id__in=ids)
        .select_related("title", "planning_list")
        .order_by("planning_list__term_start", "title__name", "pk")
    ):
        out[e.person_id].append(e)
    return out


# -- refusals at addition ------------------------------------------------------------------------


def addition_grounds(
    user: Any, person_id: int, day: dt.date, *, book: Rulebook | None = None
) -> list[RuleResult]:
    """What forbids adding the person on ``day``: his latest vote with "low" above half (V-4, V-5:
    out of planning for higher posts), his latest yearly rating "không hoàn thành" (P-4), his
    latest political conclusion "không đạt" (T-6). Each stands until a later record of its kind
    (a new vote, a new year's rating, a new conclusion) replaces it."""
    book = book or rulebook()
    d = dossiers(user, [person_id], day)[person_id]
    latest = Dossier(
        votes=[max(d.votes, key=lambda v: v.vote.vote_date)] if d.votes else [],
        ratings=[r for r in d.ratings if r.year == max(x.year for x in d.ratings)] if d.ratings else [],
        conclusions=[max(d.conclusions, key=lambda c: c.conclusion_date)] if d.conclusions else [],
    )
    since = min(
        [v.vote.vote_date for v in latest.votes]
        + [r.day for r in latest.ratings]
        + [c.conclusion_date for c in latest.conclusions]
        + [day]
    )
    verdict = check_removal(
        book,
        RemovalInput(
            day,
            since,
            person_id,
            votes=tuple(latest.votes),
            ratings=tuple(latest.ratings),
            conclusions=tuple(latest.conclusions),
        ),
    )
    return [r for r in verdict.results if r.outcome == FAIL]
