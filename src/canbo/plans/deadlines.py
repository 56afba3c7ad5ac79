"""Deadlines as plans write them, turned into structured schedules (pure Python, no Django).

Officials write deadlines in words: "thực hiện trong quý IV năm 2018", "xong trong quý I/2021",
"hằng năm", "thường xuyên", "sau khi có hướng dẫn của Trung ương". ``parse_deadline`` keeps those
words and adds one or more *parts*, each a structured piece of the schedule:

- ``date``, ``month``, ``quarter``, ``year``: a one-off deadline; ``due`` is the period's last day;
- ``from``: the work runs from ``start`` on, with no due date;
- ``recurring``: due every ``every_months`` months (12, 6, 3, 1), first due in a year at
  ``anchor_month``, from ``start`` (None: from the plan's own start); ``term_year`` for "năm thứ 3
  nhiệm kỳ" (due at the end of that year of the term);
- ``continuous``: "thường xuyên", never due, never overdue;
- ``conditional``: "sau khi …": due ``after_months`` months after the condition is recorded as met.

A phrase may hold several parts ("xong trong quý I/2021 và điều chỉnh, bổ sung hằng năm" is a
quarter then a yearly recurrence). A phrase in which nothing is recognised is kept as text with
``flagged=True`` for the officer to read; nothing is ever guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

DATE = "date"
MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
FROM = "from"
RECURRING = "recurring"
CONTINUOUS = "continuous"
CONDITIONAL = "conditional"
UNPARSED = "unparsed"
NONE = "none"

KIND_LABELS = {
    DATE: "Ngày cụ thể",
    MONTH: "Tháng",
    QUARTER: "Quý",
    YEAR: "Năm",
    FROM: "Thực hiện từ",
    RECURRING: "Định kỳ",
    CONTINUOUS: "Thường xuyên",
    CONDITIONAL: "Sau khi có điều kiện",
    UNPARSED: "Chưa đọc được",
    NONE: "Không có thời hạn",
}

ONE_OFF = (DATE, MONTH, QUARTER, YEAR)

# Months a condition-bound task gets once its condition is recorded as met, unless the phrase
# says otherwise ("trong vòng 30 ngày sau khi …"). Three months is the usual lead time the seed
# plans give for "ban hành kế hoạch triển khai" after a central text; the officer can change it.
DEFAULT_AFTER_MONTHS = 3

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass
class Part:
    """One structured piece of a schedule (see the module docstring for the kinds)."""

    kind: str
    words: str = ""
    due: dt.date | None = None
    start: dt.date | None = None
    every_months: int | None = None
    anchor_month: int | None = None
    term_year: int | None = None
    condition: str = ""
    after_months: int | None = None
    after_days: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("due", "start"):
            data[key] = data[key].isoformat() if data[key] else None
        return {k: v for k, v in data.items() if v not in (None, "")}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Part:
        values = dict(data)
        for key in ("due", "start"):
            if values.get(key):
                values[key] = dt.date.fromisoformat(values[key])
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


@dataclass
class Schedule:
    """A deadline: the original words and the parts read from them."""

    text: str
    parts: list[Part] = field(default_factory=list)
    flagged: bool = False
    # Some deadline words were left unread ("quý III và quý IV/2021" reads only the fourth
    # quarter): the parts read are kept, and the officer is told to check.
    incomplete: bool = False

    @property
    def kind(self) -> str:
        if self.flagged:
            return UNPARSED
        if not self.parts:
            return NONE
        return self.parts[0].kind

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def is_conditional(self) -> bool:
        return any(p.kind == CONDITIONAL for p in self.parts)

    @property
    def is_recurring(self) -> bool:
        return any(p.kind == RECURRING for p in self.parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "flagged": self.flagged,
            "incomplete": self.incomplete,
            "parts": [p.to_dict() for p in self.parts],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Schedule:
        if not data:
            return cls(text="")
        return cls(
            text=data.get("text", ""),
            parts=[Part.from_dict(p) for p in data.get("parts", [])],
            flagged=bool(data.get("flagged")),
            incomplete=bool(data.get("incomplete")),
        )


def fold_keep(text: str) -> str:
    """Fold accents and case character by character, keeping positions (đ→d, ắ→a)."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
        out.append((base or " ")[0].lower() if not ch.isspace() else " ")
    return "".join(out)


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_Y = r"((?:19|20)\d{2})"
_SEP = r"\s*(?:[/\-.,]|\bnam\b)?\s*"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (CONDITIONAL, re.compile(r"\bsau khi\b\s*(?P<cond>[^;()]+)")),
    (
        DATE,
        re.compile(
            r"\b(?:ngay\s*)?(?P<d>\d{1,2})\s*[/\-.]\s*(?P<m>\d{1,2})\s*[/\-.]\s*"
            + _Y
            + r"|\bngay\s*(?P<d2>\d{1,2})\s*thang\s*(?P<m2>\d{1,2})\s*nam\s*(?P<y2>(?:19|20)\d{2})"
        ),
    ),
    (
        RECURRING,
        re.compile(
            r"\bquy\s*(?P<rq>iv|iii|ii|i|[1-4])\s*(?:hang|moi)\s*nam\b"
            r"|\bnam\s*thu\s*(?P<term>\d+|nhat|hai|ba|tu|nam)\s*(?:cua\s*)?nhiem\s*ky\b"
            r"|\b(?:dinh\s*ky\s*)?(?P<n>\d{1,2})\s*thang\s*(?:mot\s*lan|\d?\s*lan)"
            r"|\bdinh\s*ky\s*(?:hang\s*)?(?P<n2>\d{1,2})\s*thang\b"
            r"|\b(?P<q>hang|moi)\s*quy\b"
            r"|\b(?P<mo>hang|moi)\s*thang\b"
            r"|\b(?:hang|moi)\s*nam\b(?:\s*(?:tu|ke tu|bat dau tu)\s*(?:nam\s*)?(?P<from>(?:19|20)\d{2}))?"
            r"|\bcac\s*nam\s*tiep\s*theo\b(?P<next>)"
            r"|\bdinh\s*ky\s*(?:hang\s*)?nam\b"
        ),
    ),
    (
        QUARTER,
        re.compile(r"\b(?:quy|q)\s*\.?\s*(?P<q>iv|iii|ii|i|[1-4])\b" + _SEP + r"(?:nam\s*)?" + _Y),
    ),
    # "6 tháng đầu năm 2022", "9 tháng năm 2022": a month-end due date (the half, the nine months).
    (
        MONTH,
        re.compile(r"\b(?P<span>0?6|0?9)\s*thang\s*(?P<w>dau|cuoi)?\s*(?:nam\s*)?(?P<y>(?:19|20)\d{2})"),
    ),
    (MONTH, re.compile(r"\bthang\s*(?P<m>\d{1,2})" + _SEP + r"(?:nam\s*)?" + _Y)),
    (FROM, re.compile(r"\b(?:tu|ke tu|bat dau tu)\s*(?:nam\s*)?" + _Y)),
    (
        YEAR,
        re.compile(
            r"\b(?:(?:hoan thanh|xong|thuc hien|trong|vao|truoc|den het|den|cuoi|nam)\s*)+"
            r"(?:nam\s*)?" + _Y + r"(?!\s*[-–]\s*(?:19|20)\d{2})"
        ),
    ),
    (CONTINUOUS, re.compile(r"\bthuong\s*xuyen\b")),
]

_AFTER = re.compile(
    r"\b(?:trong\s*(?:vong|thoi\s*han)?\s*)?(?P<n>\d{1,3})\s*(?P<unit>ngay|thang)\s*(?:ke\s*tu\s*|sau\s*khi)"
)
# Deadline words that, left outside every part read, mean the phrase was not fully understood.
_LEFTOVER = re.compile(r"\b(?:quy\s*(?:iv|iii|ii|i|[1-4])\b|thang\s*\d{1,2}\b|(?:19|20)\d{2}\b)")
_TERM_WORDS = {"nhat": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5}


def _quarter_number(token: str) -> int:
    return ROMAN.get(token) or int(token)


def _part_from_match(kind: str, m: re.Match[str], original: str) -> Part | None:
    words = original[m.start() : m.end()].strip(" ,;.")
    g = m.groupdict()
    if kind == DATE:
        d, mo, y = (g["d"], g["m"], m.group(3)) if g.get("d") else (g["d2"], g["m2"], g["y2"])
        try:
            day = dt.date(int(y), int(mo), int(d))
        except ValueError:
            return None
        return Part(DATE, words, due=day)
    if kind == MONTH and g.get("span"):
        year = int(g["y"])
        month = 12 if g.get("w") == "cuoi" else int(g["span"])
        return Part(MONTH, words, due=_last_day(year, month))
    if kind == MONTH:
        month, year = int(g["m"]), int(m.group(2))
        if not 1 <= month <= 12:
            return None
        return Part(MONTH, words, due=_last_day(year, month))
    if kind == QUARTER:
        q, year = _quarter_number(g["q"]), int(m.group(2))
        return Part(QUARTER, words, due=_last_day(year, q * 3))
    if kind == YEAR:
        year = int(m.group(1))
        return Part(YEAR, words, due=dt.date(year, 12, 31))
    if kind == FROM:
        return Part(FROM, words, start=dt.date(int(m.group(1)), 1, 1))
    if kind == CONTINUOUS:
        return Part(CONTINUOUS, words)
    if kind == CONDITIONAL:
        cond = original[m.start("cond") : m.end("cond")].strip(" ,;.*")
        return Part(CONDITIONAL, words, condition=cond, after_months=DEFAULT_AFTER_MONTHS)
    # recurring
    if g.get("rq"):
        q = _quarter_number(g["rq"])
        return Part(RECURRING, words, every_months=12, anchor_month=q * 3)
    if g.get("term"):
        token = g["term"]
        n = int(token) if token.isdigit() else _TERM_WORDS[token]
        return Part(RECURRING, words, every_months=None, term_year=n)
    if g.get("n") or g.get("n2"):
        n = int(g.get("n") or g["n2"])
        if n not in (1, 2, 3, 4, 6, 12):
            return None
        return Part(RECURRING, words, every_months=n, anchor_month=n)
    if g.get("q"):
        return Part(RECURRING, words, every_months=3, anchor_month=3)
    if g.get("mo"):
        return Part(RECURRING, words, every_months=1, anchor_month=1)
    start = dt.date(int(g["from"]), 1, 1) if g.get("from") else None
    part = Part(RECURRING, words, every_months=12, anchor_month=12, start=start)
    if g.get("next") is not None:
        part.condition = "next"  # resolved below: the year after the preceding one-off part
    return part


def parse_deadline(text: str) -> Schedule:
    """Read a deadline phrase; see the module docstring. Empty text gives an empty schedule."""
    original = unicodedata.normalize("NFC", text or "").strip()
    schedule = Schedule(text=original)
    if not original:
        return schedule
    folded = fold_keep(original)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Part]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            part = _part_from_match(kind, m, original)
            if part is None:
                continue
            if kind == CONDITIONAL:
                after = _AFTER.search(folded, 0, m.start() + len("sau khi"))
                if after:
                    n = int(after["n"])
                    if after["unit"] == "ngay":
                        part.after_months, part.after_days = None, n
                    else:
                        part.after_months = n
            taken.append((m.start(), m.end()))
            found.append((m.start(), part))
    found.sort(key=lambda item: item[0])
    parts = [p for _, p in found]
    # "thường xuyên hằng năm" is a yearly duty: the recurrence says more than "continuous".
    if any(p.kind == RECURRING for p in parts):
        parts = [p for p in parts if p.kind != CONTINUOUS]
    last_due: dt.date | None = None
    for p in parts:
        if p.kind in ONE_OFF and p.due:
            last_due = p.due
        if p.kind == RECURRING and p.condition == "next":
            p.condition = ""
            if last_due:
                p.start = dt.date(last_due.year + 1, 1, 1)
        # "hằng năm" right after a one-off ("xong trong quý I/2021 và điều chỉnh … hằng năm")
        # starts the year after the one-off is done.
        elif p.kind == RECURRING and p.start is None and last_due and p.term_year is None:
            p.start = dt.date(last_due.year + 1, 1, 1)
    schedule.parts = parts
    schedule.flagged = not parts
    schedule.incomplete = bool(parts) and any(
        not any(start <= m.start() < end for start, end in taken) for m in _LEFTOVER.finditer(folded)
    )
    return schedule


@dataclass(frozen=True)
class Occurrence:
    """One due date of a schedule, with the words it comes from."""

    due: dt.date
    label: str


def _recurring_dues(part: Part, start: dt.date, end: dt.date, term_start: dt.date | None) -> list[Occurrence]:
    if part.term_year is not None:
        if term_start is None:
            return []
        year = term_start.year + part.term_year - 1
        due = dt.date(year, 12, 31)
        return [Occurrence(due, f"Năm thứ {part.term_year} nhiệm kỳ ({year})")] if start <= due <= end else []
    every = part.every_months or 12
    anchor = part.anchor_month or every
    begin = max(start, part.start) if part.start else start
    out: list[Occurrence] = []
    # A period that lies mostly before the work begins is not due: a plan issued on 11/12/2020
    # owes no yearly report for 2020.
    window = every if every < 12 or anchor == 12 else 3  # "quý I hằng năm": the quarter counts
    min_days = window * 30 // 2
    for year in range(begin.year, end.year + 1):
        month = anchor
        while month <= 12:
            due = _last_day(year, month)
            if begin <= due <= end and (due - begin).days >= min_days:
                out.append(Occurrence(due, _period_label(every, year, month)))
            month += every
            if every >= 12:
                break
    return out


def _period_label(every: int, year: int, month: int) -> str:
    if every >= 12:
        return f"Năm {year}"
    if every == 6:
        return f"6 tháng {'đầu' if month <= 6 else 'cuối'} năm {year}"
    if every == 3:
        return f"Quý {('I', 'II', 'III', 'IV')[(month - 1) // 3]}/{year}"
    return f"Tháng {month:02d}/{year}"


def due_dates(
    schedule: Schedule,
    *,
    condition_met_on: dt.date | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    term_start: dt.date | None = None,
) -> list[dt.date]:
    """Every due date of the schedule (recurring ones within ``period``), in order."""
    return [
        o.due
        for o in occurrences(
            schedule, period=period, condition_met_on=condition_met_on, term_start=term_start
        )
    ]


def occurrences(
    schedule: Schedule,
    *,
    period: tuple[dt.date, dt.date] | None = None,
    condition_met_on: dt.date | None = None,
    term_start: dt.date | None = None,
) -> list[Occurrence]:
    """The due dates of ``schedule`` falling in ``period`` (all one-off ones when it is None).

    Recurring parts need a period (usually the plan's); continuous and "from" parts never fall
    due; a conditional part falls due only once its condition is recorded as met.
    """
    out: list[Occurrence] = []
    for part in schedule.parts:
        if part.kind in ONE_OFF and part.due:
            if period is None or period[0] <= part.due <= period[1]:
                out.append(Occurrence(part.due, part.words))
        elif part.kind == CONDITIONAL and condition_met_on is not None:
            if part.after_days is not None:
                due = condition_met_on + dt.timedelta(days=part.after_days)
            else:
                due = _add_months(condition_met_on, part.after_months or DEFAULT_AFTER_MONTHS)
            if period is None or period[0] <= due <= period[1]:
                out.append(Occurrence(due, f"Sau khi {part.condition}"))
        elif part.kind == RECURRING and period is not None:
            out.extend(_recurring_dues(part, period[0], period[1], term_start))
    out.sort(key=lambda o: o.due)
    return out


def next_due(schedule: Schedule, *, after: dt.date, **kwargs: Any) -> dt.date | None:
    """The first due date on or after ``after`` (recurring ones within the given period)."""
    for due in due_dates(schedule, **kwargs):
        if due >= after:
            return due
    return None


# Terms of office (nhiệm kỳ): Party committees are elected by the congresses of 2015, 2020, 2025…
# (the provincial ones by October), People's Councils in 2016, 2021, 2026… (elections in spring;
# the Committees they elect share the term). A plan's "năm thứ 3 nhiệm kỳ" is the third year of
# the term of the body that issued it, in force on the issue date.
_PARTY_BODY = re.compile(r"\b(?:tinh|huyen|thanh|thi|dang|quan)\s*uy\b|\bban thuong vu\b|\bban chap hanh\b")
_STATE_BODY = re.compile(r"\bhoi dong nhan dan\b|\bhdnd\b|\buy ban nhan dan\b|\bubnd\b")


def body_term_start(issuer: str, issued_on: dt.date) -> dt.date | None:
    """The first day (1 January of the election year) of the term of the issuing body in force on
    ``issued_on``; None when the issuer is neither a Party committee nor a People's Council or
    Committee (the caller then counts from the plan's own start)."""
    folded = fold_keep(issuer or "")
    if _PARTY_BODY.search(folded):
        remainder, new_term = 0, (10, 1)
    elif _STATE_BODY.search(folded):
        remainder, new_term = 1, (6, 1)
    else:
        return None
    year = issued_on.year - (issued_on.year - remainder) % 5
    if issued_on.year == year and (issued_on.month, issued_on.day) < new_term:
        year -= 5  # the congress or election of that year has not met yet
    return dt.date(year, 1, 1)


def describe(schedule: Schedule) -> str:
    """A short Vietnamese reading of the parsed schedule, shown next to the original words."""
    if schedule.flagged:
        return "Chưa đọc được thời hạn — cần cán bộ xác định"
    bits = []
    for p in schedule.parts:
        if p.kind in ONE_OFF and p.due:
            bits.append(f"hạn {p.due:%d/%m/%Y}")
        elif p.kind == FROM and p.start:
            bits.append(f"thực hiện từ {p.start:%d/%m/%Y}")
        elif p.kind == CONTINUOUS:
            bits.append("thường xuyên")
        elif p.kind == CONDITIONAL:
            delay = f"{p.after_days} ngày" if p.after_days is not None else f"{p.after_months} tháng"
            bits.append(f"{delay} sau khi {p.condition}")
        elif p.kind == RECURRING:
            if p.term_year:
                bits.append(f"năm thứ {p.term_year} nhiệm kỳ")
            else:
                every = {12: "hằng năm", 6: "6 tháng một lần", 3: "hằng quý", 1: "hằng tháng"}.get(
                    p.every_months or 12, f"{p.every_months} tháng một lần"
                )
                if p.every_months == 12 and p.anchor_month and p.anchor_month != 12:
                    every += f" (hạn {_last_day(2001, p.anchor_month):%d/%m})"
                bits.append(every + (f" từ năm {p.start.year}" if p.start else ""))
    text = "; ".join(bits) or "Không có thời hạn"
    if schedule.incomplete:
        text += " (có phần chưa đọc được — cần cán bộ kiểm tra)"
    return text
