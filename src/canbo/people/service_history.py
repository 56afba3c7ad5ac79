"""Who is in service on a date: periods of service derived from the service events.

A person's ``ServiceEvent`` rows (recruitment, transfer in/out, retirement, resignation, death)
are the source. ``periods`` turns them into periods of service; ``refresh`` stores their
envelope on the person (``service_from``, ``service_until``, ``service_end_kind``, and the
derived ``recruitment_date``/``left_service_*``) and the gaps between them in ``ServiceGap``.
Every list, count, export and indicator population reads ``in_service_q`` (a condition on the
person's own row plus an anti-join on the rare gaps): docs/architecture.md, "Who is in service
on a date".

Rules:
- An entry (recruitment, transfer in) opens a period on its date; an exit (transfer out,
  retirement, resignation, death) closes it: the person is no longer in service on the exit's
  date ("nghỉ hưu từ 01/02/2023").
- No entry known before the first exit (or no event at all): in service from the 18th
  birthday, the youngest age at which anyone may be recruited (Luật CBCC 2008 Art. 36,
  Luật Viên chức 2010 Art. 22). A person is never in service before he is 18 or born.
- An entry while in service, or an exit while out, changes nothing (a duplicate record).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from canbo.core.dates import format_date
from canbo.core.text import fold
from canbo.people.choices import SERVICE_ENTRIES, ServiceEventKind, ServiceStatus
from canbo.people.models import Person, ServiceEvent, ServiceGap
from canbo.people.sections import read_records

ADULT_AGE = 18

# The list filter's statuses for people out of service, by the kind of the exit that put them out.
STATUS_OF_EXIT = {
    ServiceEventKind.RETIREMENT: ServiceStatus.RETIRED,
    ServiceEventKind.TRANSFER_OUT: ServiceStatus.TRANSFERRED_OUT,
    ServiceEventKind.RESIGNATION: ServiceStatus.RESIGNED,
    ServiceEventKind.DEATH: ServiceStatus.DECEASED,
}
EXIT_OF_STATUS = {status: kind for kind, status in STATUS_OF_EXIT.items()}


def exit_kind(reason: str) -> str:
    """The kind of exit a free-text reason names ("Nghỉ hưu theo chế độ", "Chuyển công tác ra
    ngoài tỉnh", "Từ trần"); anything else is a resignation or dismissal (thôi việc)."""
    text = f" {fold(reason)} "
    if "huu" in text:
        return ServiceEventKind.RETIREMENT
    if any(w in text for w in ("tu tran", "chet", "qua doi", " mat ")):
        return ServiceEventKind.DEATH
    if "chuyen" in text:
        return ServiceEventKind.TRANSFER_OUT
    return ServiceEventKind.RESIGNATION


@dataclass(frozen=True)
class Period:
    """In service from ``start`` (None: from the 18th birthday) until the day before ``end``
    (None: still serving), ended by an exit of kind ``end_kind``."""

    start: dt.date | None
    end: dt.date | None = None
    end_kind: str = ""


def adult_on(birth: dt.date) -> dt.date:
    """The 18th birthday (29 February → 28 February)."""
    try:
        return birth.replace(year=birth.year + ADULT_AGE)
    except ValueError:
        return birth.replace(year=birth.year + ADULT_AGE, day=28)


def born_by(day: dt.date) -> dt.date:
    """The latest birth date of someone 18 or older on ``day``."""
    try:
        return day.replace(year=day.year - ADULT_AGE)
    except ValueError:
        return day.replace(year=day.year - ADULT_AGE, day=28)


def periods(events: list[tuple[str, dt.date]]) -> list[Period]:
    """The periods of service of a person with these (kind, date) events, in date order."""
    out: list[Period] = []
    start: dt.date | None = None
    serving = False
    first = True
    # Same day: the entry first, so that "recruited and resigned on the same day" is a period.
    for kind, day in sorted(events, key=lambda e: (e[1], e[0] not in SERVICE_ENTRIES)):
        if kind in SERVICE_ENTRIES:
            if not serving:
                start, serving = day, True
        elif serving or first:
            # An exit with no entry before it: in service since the (unknown) start.
            out.append(Period(start if serving else None, day, kind))
            serving = False
            if kind == ServiceEventKind.DEATH:
                break
        first = False
    if serving:
        out.append(Period(start))
    return out


def refresh(person: Person) -> dict[str, Any]:
    """The person's derived service fields from his events, and his gaps rewritten.

    Returns the field changes for the caller to write through the audited path (so the
    person's history shows "Ngày tuyển dụng", "Ngày thôi công tác" change with the event's
    reason). ``ServiceGap`` rows are derived data, replaced here without a log entry.
    """
    read = read_records(person, ServiceEvent)  # the person page's rows, when it read them
    if read is not None:
        events = [(e.kind, e.event_date) for e in read]
    else:
        events = list(ServiceEvent.objects.filter(person=person).values_list("kind", "event_date"))
    return derived_fields(person.pk, events, write_gaps=True)


def derived_fields(person_id: int, events: list[tuple[str, dt.date]], *, write_gaps: bool) -> dict[str, Any]:
    spans = periods(events)
    recruited = sorted(d for k, d in events if k == ServiceEventKind.RECRUITMENT)
    last = spans[-1] if spans else None
    fields: dict[str, Any] = {
        "service_from": spans[0].start if spans else None,
        "service_until": last.end if last else None,
        "service_end_kind": (last.end_kind or None) if last else None,
        "recruitment_date": recruited[0] if recruited else None,
        "left_service_date": last.end if last else None,
        "left_service_reason": ServiceEventKind(last.end_kind).label if last and last.end else "",
    }
    if write_gaps:
        ServiceGap.objects.filter(person_id=person_id).delete()
        ServiceGap.objects.bulk_create(gaps(person_id, spans))
    return fields


def gaps(person_id: int, spans: list[Period]) -> list[ServiceGap]:
    return [
        ServiceGap(person_id=person_id, start=a.end, end=b.start, kind=a.end_kind)
        for a, b in itertools.pairwise(spans)
        if a.end is not None and b.start is not None
    ]


def _began_q(day: dt.date, prefix: str) -> Q:
    """Service had begun by ``day``: the first period's start, or the 18th birthday."""
    return Q(**{f"{prefix}service_from__lte": day}) | Q(
        **{f"{prefix}service_from__isnull": True, f"{prefix}birth_date__lte": born_by(day)}
    )


def _in_gap(day: dt.date, kind: str | None = None) -> Any:
    gaps_on = ServiceGap.objects.filter(start__lte=day, end__gt=day)
    if kind is not None:
        gaps_on = gaps_on.filter(kind=kind)
    return gaps_on.values("person_id")


def in_service_q(day: dt.date, prefix: str = "", person_key: str | None = None) -> Q:
    """Persons in service on ``day``, as a condition on ``Person`` (``prefix`` "person__" from a
    row pointing at the person). One indexed-free predicate on the person's own row plus an
    anti-join on the few gaps: no scan of the events. ``person_key``: the column naming the
    person when the service dates are copied onto another row (the indicators' fact tables)."""
    key = person_key or (f"{prefix}pk" if not prefix else f"{prefix}id")
    return (
        _began_q(day, prefix)
        & (Q(**{f"{prefix}service_until__isnull": True}) | Q(**{f"{prefix}service_until__gt": day}))
        & ~Q(**{f"{key}__in": _in_gap(day)})
    )


def status_q(status: str, day: dt.date) -> Q:
    """Persons of the list filter's ``status`` on ``day``. Nobody is listed before his service
    began (not yet recruited, not yet 18, not yet born), whatever the status."""
    if status == ServiceStatus.IN_SERVICE:
        return in_service_q(day)
    if status == ServiceStatus.ALL:
        return _began_q(day, "")
    kind = EXIT_OF_STATUS[ServiceStatus(status)]
    ended = Q(service_until__lte=day, service_end_kind=kind)
    return _began_q(day, "") & (ended | Q(pk__in=_in_gap(day, kind)))


@dataclass(frozen=True)
class StatusOn:
    """A person's standing on a date, for the person page."""

    status: str  # ServiceStatus value, or "" before his service began
    since: dt.date | None

    @property
    def in_service(self) -> bool:
        return self.status == ServiceStatus.IN_SERVICE

    @property
    def label(self) -> str:
        if not self.status:
            return "Chưa vào công tác"
        if self.status == ServiceStatus.IN_SERVICE:
            return "Đang công tác"
        text = ServiceStatus(self.status).label
        return f"{text} từ {format_date(self.since)}" if self.since else text


def status_on(person: Person, day: dt.date) -> StatusOn:
    """Where ``person`` stood on ``day``. All his events are read, later ones included: a
    first recruitment after ``day`` says that he had not begun on ``day``."""
    read = read_records(person, ServiceEvent)  # the person page's rows, when it read them
    if read is not None:
        events = [(e.kind, e.event_date) for e in read]
    else:
        events = list(ServiceEvent.objects.filter(person=person).values_list("kind", "event_date"))
    spans = periods(events)
    began = spans[0].start if spans else None
    if (began or adult_on(person.birth_date)) > day:
        return StatusOn("", None)
    for span in spans:
        start = span.start or adult_on(person.birth_date)
        if start <= day and (span.end is None or span.end > day):
            return StatusOn(ServiceStatus.IN_SERVICE, start)
    if not spans:
        return StatusOn(ServiceStatus.IN_SERVICE, None)
    ended = [s for s in spans if s.end is not None and s.end <= day]
    if not ended:  # between the 18th birthday and a first entry
        return StatusOn("", None)
    last = ended[-1]
    return StatusOn(STATUS_OF_EXIT[ServiceEventKind(last.end_kind)], last.end)
