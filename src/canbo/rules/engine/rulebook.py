"""Rule versions and the rulebook that picks the version in force on an event's date.

A rule (P-2, A-3, D-6, ...) keeps its ID for ever; each change of its content is a new version
with its own basis, parameters and half-open range ``[valid_from, valid_to)`` (RULES.md "How to
read this"). ``Rulebook.version(rule_id, day)`` applies RULES.md binding convention 3: the version
is chosen by the date of the event being judged.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from canbo.rules.engine.workdays import EXTRA_OFF, SWAPPED_WORK, CalendarDay, WorkCalendar

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

CONFIRMED = "confirmed"
SECONDARY = "secondary"
UNCONFIRMED = "unconfirmed"
CONFIDENCE_LABELS = {
    CONFIRMED: "Đã xác nhận",
    SECONDARY: "Nguồn thứ cấp",
    UNCONFIRMED: "Chưa xác nhận (giá trị mặc định)",
}


class RuleNotInForce(LookupError):
    """No version of the rule governs the date (the rule did not exist then, or is unknown)."""


@dataclass(frozen=True)
class RuleVersion:
    """One version of one rule: what it says, its numbers, its legal basis and its range."""

    rule_id: str
    version: int
    name: str
    statement: str
    basis: str
    confidence: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    params: dict[str, Any] = field(default_factory=dict)
    confidence_note: str = ""
    parameters_text: str = ""
    in_force_text: str = ""
    statement_vi: str = ""

    @property
    def display_statement(self) -> str:
        """The statement shown to users: the Vietnamese one (the English one is RULES.md's)."""
        return self.statement_vi or self.statement

    @property
    def label(self) -> str:
        """ "D-6 v3": how verdicts and logs cite a version."""
        return f"{self.rule_id} v{self.version}"

    @property
    def topic(self) -> str:
        return self.rule_id.split("-")[0]

    @property
    def number(self) -> int:
        return int(self.rule_id.split("-")[1])

    @property
    def uses_defaults(self) -> bool:
        """Secondary or unconfirmed: its parameters are configurable defaults (convention 1)."""
        return self.confidence != CONFIRMED

    def in_force(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )

    def param(self, name: str) -> Any:
        try:
            return self.params[name]
        except KeyError as exc:
            raise KeyError(f"{self.label} has no parameter {name!r}") from exc


@dataclass(frozen=True)
class Holiday:
    """An administrator's adjustment of the computed holiday calendar (``workdays``): an extra
    day off, or (``working``) a day worked in exchange for one."""

    day: dt.date
    name: str
    working: bool = False

    def as_calendar_day(self) -> CalendarDay:
        return CalendarDay(self.day, self.name, SWAPPED_WORK if self.working else EXTRA_OFF)


FIND_MEMO = 100_000  # (rule, day) answers kept by ``Rulebook.find``


class Rulebook:
    """All versions of all rules plus the working-day calendar; immutable once built.

    ``holidays`` is the calendar of every year (computed holidays and compensatory days) with
    the administrator's adjustments on top.
    """

    def __init__(self, versions: Iterable[RuleVersion], holidays: Iterable[Holiday] = ()) -> None:
        self._by_rule: dict[str, list[RuleVersion]] = {}
        for v in versions:
            self._by_rule.setdefault(v.rule_id, []).append(v)
        for rule_versions in self._by_rule.values():
            rule_versions.sort(key=lambda v: v.version)
        self.holidays = WorkCalendar(h.as_calendar_day() for h in holidays)
        # ``find``'s answers: a list of thousands of persons asks for the same few (rule, day)
        # pairs again and again (docs/performance.md "Due raises"); cleared when it grows large
        self._found: dict[tuple[str, dt.date], RuleVersion | None] = {}

    def rule_ids(self) -> list[str]:
        return sorted(self._by_rule, key=_rule_sort_key)

    def versions(self, rule_id: str) -> list[RuleVersion]:
        return list(self._by_rule.get(rule_id, []))

    def all_versions(self) -> list[RuleVersion]:
        return [v for rid in self.rule_ids() for v in self._by_rule[rid]]

    def version(self, rule_id: str, day: dt.date) -> RuleVersion:
        """The version of ``rule_id`` in force on ``day``; RuleNotInForce if none is."""
        for v in reversed(self._by_rule.get(rule_id, [])):
            if v.in_force(day):
                return v
        raise RuleNotInForce(f"{rule_id} has no version in force on {day.isoformat()}")

    def find(self, rule_id: str, day: dt.date) -> RuleVersion | None:
        """The version of ``rule_id`` in force on ``day``, None if none is (memoised: the
        rulebook is immutable)."""
        key = (rule_id, day)
        try:
            return self._found[key]
        except KeyError:
            pass
        found = next((v for v in reversed(self._by_rule.get(rule_id, [])) if v.in_force(day)), None)
        if len(self._found) >= FIND_MEMO:
            self._found.clear()
        self._found[key] = found
        return found

    def latest(self, rule_id: str) -> RuleVersion:
        return self._by_rule[rule_id][-1]


TOPIC_ORDER = "HPARVEDTKGNS"


def _rule_sort_key(rule_id: str) -> tuple[int, int]:
    topic, number = rule_id.split("-")
    return (TOPIC_ORDER.index(topic) if topic in TOPIC_ORDER else 99, int(number))


def rule_sort_key(rule_id: str) -> tuple[int, int]:
    return _rule_sort_key(rule_id)


def versions_from_data(data: dict[str, Any]) -> list[RuleVersion]:
    """Rule versions from the parsed ``rules.toml``."""
    out = []
    for row in data.get("rule", []):
        out.append(  # noqa: PERF401 (one multi-line record per rule, read once)
            RuleVersion(
                rule_id=row["id"],
                version=int(row["version"]),
                name=row["name"],
                statement=row["statement"],
                basis=row.get("basis", ""),
                confidence=row["confidence"],
                valid_from=row.get("valid_from"),
                valid_to=row.get("valid_to"),
                params=dict(row.get("params", {})),
                confidence_note=row.get("confidence_note", ""),
                parameters_text=row.get("parameters_text", ""),
                in_force_text=row.get("in_force_text", ""),
                statement_vi=row.get("statement_vi", ""),
            )
        )
    return out


def holidays_from_data(data: dict[str, Any]) -> list[Holiday]:
    """The adjustments of ``holidays.toml``: ``kind = "lam_viec"`` marks a working day."""
    return [
        Holiday(day=row["day"], name=row["name"], working=row.get("kind", EXTRA_OFF) == SWAPPED_WORK)
        for row in data.get("holiday", [])
    ]


# The data files as read, kept per process by path (and by what was made of them) and checked
# against the file's identity, modification time and size on every read (one ``stat``). Parsing
# ``rules.toml`` (130 kB) costs ~20 ms of CPU and the database-less rulebook (``load_rulebook``:
# the tests, a new installation) was built from it on the first request after each reset, i.e. in
# most tests that judge or show a rule (docs/performance.md, "Session 15: the suite (the request
# path)"). The rows loaded into the database are not kept here: ``rules.selectors.rulebook``
# reads those itself.
_kept: dict[tuple[Path, Callable[[dict[str, Any]], Any]], tuple[tuple[int, int, int], Any]] = {}
_kept_lock = threading.Lock()
T = TypeVar("T")


def _file_stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _read_kept(path: Path, make: Callable[[dict[str, Any]], T]) -> T:
    """``make(the parsed file)``, made again only when the file was replaced or changed since it
    was last made in this process. The stamp is taken before the file is read, so a change made
    while it is read is seen at the next call; two threads that both find nothing kept each make
    it, and either answer is right. ``make``'s answer is shared: it must not be changed."""
    path = path.resolve()
    stamp = _file_stamp(path)
    with _kept_lock:
        kept = _kept.get((path, make))
    if kept is None or kept[0] != stamp:
        with path.open("rb") as fh:
            kept = (stamp, make(tomllib.load(fh)))
        with _kept_lock:
            _kept[(path, make)] = kept
    return cast(T, kept[1])


def _parsed(data: dict[str, Any]) -> dict[str, Any]:
    return data


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed TOML file at ``path``, a copy of its own for each caller (who may change it)."""
    return copy.deepcopy(_read_kept(path, _parsed))


def _versions(data: dict[str, Any]) -> tuple[RuleVersion, ...]:
    return tuple(versions_from_data(data))


def _holidays(data: dict[str, Any]) -> tuple[Holiday, ...]:
    return tuple(holidays_from_data(data))


def load_rulebook(data_dir: Path = DATA_DIR) -> Rulebook:
    """The rulebook as shipped in the repository (``data/rules.toml`` and ``data/holidays.toml``)."""
    # A new rulebook each time (its answers are remembered per rulebook), of the versions and
    # days kept for the files (frozen, shared as one rulebook shares them between requests).
    return Rulebook(
        _read_kept(data_dir / "rules.toml", _versions), _read_kept(data_dir / "holidays.toml", _holidays)
    )
