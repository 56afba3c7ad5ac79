"""Planning the demo province's people: the fixed baseline roster and the scalable mass.

Everything here is in memory and deterministic: a ``random.Random`` per phase, lists in a fixed
order, no iteration over sets or hash-ordered dicts of objects. The baseline roster (who holds
which post and seat on ``BASELINE`` = 11/12/2020) is sized and its attributes chosen so that the
twelve baselines of INDICATORS.md §2 come out exactly (docs/demo-data.md gives the definitions).
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass, field

from canbo.careers.models import BodyKind, TenureKind
from canbo.demo import names
from canbo.demo.structure import (
    CONGRESS_2015,
    CONGRESS_2020,
    CONGRESS_2025,
    DEPARTMENT_MERGE,
    HUYEN,
    S_TINH,
    S_TW,
    SN,
    TA_CHAI_MERGE,
    TINH,
    TWO_TIER,
    XA,
    Structure,
    UnitSpec,
)
from canbo.org.choices import TitleGroup as G

BASELINE = dt.date(2020, 12, 11)
DAY = dt.timedelta(days=1)
TERM_HD_2016 = (dt.date(2016, 6, 15), dt.date(2021, 6, 14))
TERM_HD_2021 = dt.date(2021, 6, 15)
EARLY_RETIREMENT = "Nghỉ hưu trước tuổi theo Nghị định 178/2024/NĐ-CP"

# Baselines of INDICATORS.md §2 (numerator, population).
TARGETS = {
    "1a": (11, 428),
    "1b": (10, 127),
    "2": (2, 166),
    "3": (750, 3199),
    "4": (1460, 4495),
    "5": (1998, 3454),
    "6": (1978, 3454),
    "7a": (8, 9),
    "7b": (110, 152),
    "8a": (9, 9),
    "8b": (83, 152),
    "9": (280, 1524),
}
COMMUNE_GROUPS = (
    G.SECRETARY,
    G.DEPUTY_SECRETARY,
    G.COUNCIL_CHAIR,
    G.COUNCIL_VICE,
    G.COMMITTEE_CHAIR,
    G.COMMITTEE_VICE,
    G.FRONT_CHAIR,
    G.COMMUNE_CADRE,
    G.CIVIL_SERVANT,
)
ELECTED_GROUPS = (
    G.SECRETARY,
    G.DEPUTY_SECRETARY,
    G.COUNCIL_CHAIR,
    G.COUNCIL_VICE,
    G.COMMITTEE_CHAIR,
    G.COMMITTEE_VICE,
    G.FRONT_CHAIR,
)


@dataclass(eq=False, slots=True)
class Seg:
    """One tenure."""

    unit: UnitSpec
    title: str
    kind: str
    start: dt.date
    end: dt.date | None = None
    end_reason: str = ""


@dataclass(eq=False, slots=True)
class Mem:
    """One membership of a body."""

    body: UnitSpec
    kind: str
    term: str
    start: dt.date
    end: dt.date | None
    role: str = ""


@dataclass(eq=False, slots=True)
class Q:
    """One qualification."""

    kind: str
    level: str
    obtained: dt.date
    field_of_study: str = ""
    language: str = ""


@dataclass(eq=False, slots=True)
class P:
    """A planned person."""

    idx: int
    sex: str = "nam"
    sex_locked: bool = False
    birth: dt.date = dt.date(1980, 1, 1)
    birth_precision: str = "d"
    eth: str = "01"
    rel: str = "00"
    name: str = ""
    home: int | None = None
    birthplace: int | None = None
    citizen: bool = False
    recruit: dt.date | None = None
    segs: list[Seg] = field(default_factory=list)
    mems: list[Mem] = field(default_factory=list)
    quals: list[Q] = field(default_factory=list)
    left: dt.date | None = None
    left_reason: str = ""
    # Baseline constraints (None: free).
    young: bool | None = None
    univ: bool | None = None
    lct: bool | None = None
    master: bool | None = None
    b2: bool | None = None
    local: bool | None = None
    local_area: int | None = None
    body_unit: UnitSpec | None = None  # for citizens: their council
    seat: tuple[UnitSpec, str] | None = None  # baseline post


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def retirement_end(sex: str, birth: dt.date) -> dt.date:
    """Last day of the retirement month (RULES.md H-1, H-2): the first month (y, m) whose age in
    months, ``(y - birth.year) * 12 + (m - birth.month)``, reaches the age the year ``y``
    requires. Found one year at a time (the first month of a year that reaches it, if any)
    rather than one month at a time from the birth: the same month, without 700 steps per
    person (``demo/tests/test_generator.py`` compares it with the month-by-month walk)."""
    start, step, cap = (720, 3, 744) if sex == "nam" else (660, 4, 720)
    by, bm = birth.year, birth.month
    # No year before this one can reach ``start`` months (the least any year requires).
    y = by + max(0, (start - 11) // 12)
    while True:
        need = start if y < 2021 else min(start + step * (y - 2020), cap)
        m = max(1, need - (y - by) * 12 + bm)
        if m <= 12 and (y > by or m >= bm):
            return month_end(y, m)
        y += 1


def rand_date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    if hi <= lo:
        return lo
    return lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))


class Planner:
    """Plans the fixed roster and carries people through the restructuring."""

    def __init__(self, structure: Structure, seed: int) -> None:
        self.s = structure
        self.t = structure.titles
        self.seed = seed
        self.people: list[P] = []
        self.registry: dict[tuple[str, str], int] = {}
        self.rotation: dict[str, int] = {}
        self.open_tinh_divisions = [
            u
            for u in structure.units()
            if u.role == "division" and u.level == TINH and u.block != SN and u.valid_to is None
        ]

    def rng(self, phase: str) -> random.Random:
        return random.Random(f"canbo-demo:{self.seed}:{phase}")  # noqa: S311 (seeded on purpose: the demo province must be reproducible, not secret)

    # ---------------------------------------------------------------- baseline slots
    def _count(self, units: list[UnitSpec], pred: str) -> int:
        n = 0
        for u in units:
            for code, k, _g in u.slots:
                if self._is(code, pred):
                    n += k
        return n

    def _is(self, code: str, pred: str) -> bool:
        t = self.t[code]
        if pred == "1a":
            return t.level == TINH and t.is_leader and t.scope in (S_TW, S_TINH)
        if pred == "2":
            return t.level == TINH and t.is_leader and t.scope in (S_TW, S_TINH) and t.block != SN
        if pred == "9":
            return t.level == TINH and t.is_leader
        if pred == "1b":
            return t.level == HUYEN and t.is_leader and t.scope in (S_TW, S_TINH)
        if pred == "5":
            return t.level == XA and t.group in COMMUNE_GROUPS
        raise ValueError(pred)

    def fit_slots(self) -> None:
        """Adjust the elastic deputy seats so the baseline populations are exact."""
        baseline_units = [u for u in self.s.units() if u.open_on(BASELINE)]

        def adjust(group: str, target: int, pred: str, minimum: int) -> None:
            lines = [line for u in baseline_units for line in u.slots if line[2] == group]
            # The count followed step by step rather than recounted over every unit at each step
            # (a seat added to a line adds to the count as many times as the line is counted):
            # the same steps and the same seats, without the recount that took most of the
            # planning (issue 15, "The suite").
            weight: dict[int, int] = {}
            for u in baseline_units:
                for line in u.slots:
                    if self._is(line[0], pred):
                        weight[id(line)] = weight.get(id(line), 0) + 1
            cur = self._count(baseline_units, pred)
            i = 0
            guard = 0
            while cur != target:
                line = lines[i % len(lines)]
                if cur < target:
                    line[1] += 1
                    cur += weight.get(id(line), 0)
                elif line[1] > minimum:
                    line[1] -= 1
                    cur -= weight.get(id(line), 0)
                i += 1
                guard += 1
                if guard > 100_000:
                    raise RuntimeError(f"cannot fit {pred}")

        adjust("agency_dep", TARGETS["2"][1], "2", 1)
        adjust("service_dep", TARGETS["1a"][1], "1a", 0)
        adjust("div_dep", TARGETS["9"][1], "9", 0)
        for pred in ("1b", "5"):
            got = self._count(baseline_units, pred)
            if got != TARGETS[pred][1]:
                raise RuntimeError(f"structure gives {got} for population {pred}")

    # ---------------------------------------------------------------- people
    def new_person(self) -> P:
        p = P(idx=len(self.people))
        self.people.append(p)
        return p

    def plan_fixed(self) -> None:
        """The whole fixed part: baseline roster, memberships, attributes, careers."""
        self.fit_slots()
        rng = self.rng("roster")
        for u in self.s.units():
            if not u.open_on(BASELINE):
                continue
            for code, k, _g in u.slots:
                for _ in range(k):
                    p = self.new_person()
                    p.seat = (u, code)
        self._memberships(rng)
        self._sexes(self.rng("sex"))
        self._ages(self.rng("age"))
        self._origins(self.rng("origin"))
        self._flags(self.rng("flags"))
        self._careers(self.rng("careers"))
        self._yen_bai(self.rng("yenbai"))
        self._later_terms(self.rng("terms"))

    # Memberships on the baseline date --------------------------------------------------
    def _seats(self) -> dict[str, list[P]]:
        out: dict[str, list[P]] = {}
        for p in self.people:
            if p.seat:
                out.setdefault(_su(p).code, []).append(p)
        return out

    def _memberships(self, rng: random.Random) -> None:
        seats = self._seats()
        s = self.s
        rank = lambda p: -self.t[_st(p)].rank  # noqa: E731

        def holders(code: str, title: str | None = None) -> list[P]:
            return [p for p in seats.get(code, []) if title is None or _st(p) == title]

        def cap(p: P, body: UnitSpec, level: str, standing: bool = False) -> None:
            p.mems.append(Mem(body, BodyKind.PARTY_COMMITTEE, "2020-2025", CONGRESS_2020[level], None))
            if standing:
                p.mems.append(Mem(body, BodyKind.STANDING_COMMITTEE, "2020-2025", CONGRESS_2020[level], None))

        def council(p: P, body: UnitSpec, role: str = "") -> None:
            p.mems.append(
                Mem(body, BodyKind.PEOPLES_COUNCIL, "2016-2021", TERM_HD_2016[0], TERM_HD_2016[1], role)
            )

        tu, hd = s.by_code["LC.TU"], s.by_code["LC.HD"]
        key = holders("LC.TU") + holders("LC.HD") + holders("LC.UB")
        boards = [
            holders(c.code, f"T.{c.code.rsplit('.', 1)[-1]}.H")[0] for c in tu.children if c.role == "agency"
        ][:8]
        agencies = [
            holders(c.code)[0]
            for c in s.by_code["LC.UB"].children
            if c.role == "agency" and c.open_on(BASELINE)
        ][:10]
        mass = [holders(f"LC.{c}")[0] for c in ("TD", "PN", "ND", "LDLD")]
        ctmt = holders("LC.MT", "T.CTMT")
        dist_bt = [holders(f"{d.code}.HU", "H.BT")[0] for d in s.districts]
        dist_ct = [holders(f"{d.code}.UB", "H.CTUB")[0] for d in s.districts]
        provincial = key + ctmt + boards + agencies + mass + dist_bt + dist_ct
        standing = [
            *[p for p in key if _st(p) in ("T.BT", "T.PBT", "T.CTHD", "T.CTUB")],
            next(p for p in key if _st(p) == "T.PCTUB"),
            next(p for p in key if _st(p) == "T.PCTHD"),
            *ctmt,
            *boards[:6],
            dist_bt[0],
            agencies[1],
        ]
        standing_ids = {id(p) for p in standing}
        for p in provincial:
            cap(p, tu, TINH, id(p) in standing_ids)
        for p in [
            *key,
            *ctmt,
            *holders("LC.HD.B1"),
            *holders("LC.HD.B2"),
            *holders("LC.HD.B3"),
            *holders("LC.HD.B4"),
        ]:
            if _st(p) != "T.PTBHD":
                council(p, hd)
        for p in [*agencies[:8], *dist_bt]:
            council(p, hd)
        self.citizens_for(hd, 56 - sum(1 for p in self.people if any(m.body is hd for m in p.mems)))
        # Districts.
        for d in s.districts:
            hu = s.by_code[f"{d.code}.HU"]
            leaders: list[P] = []
            for u in d.walk():
                if u.level == HUYEN:
                    leaders += [p for p in seats.get(u.code, []) if self.t[_st(p)].is_leader]
            leaders.sort(key=rank)
            members = leaders[:33]
            communes = [c for c in d.children if c.role.startswith("commune")]
            for c in communes[:2]:
                members.append(holders(f"{c.code}.DU", "X.BT")[0])
            std_titles = (
                "H.BT",
                "H.PBT",
                "H.CTHD",
                "H.CTUB",
                "H.UBKT.H",
                "H.BTC.H",
                "H.BTG.H",
                "H.BDV.H",
                "H.VP.H",
                "H.CTMT",
            )
            first_pct = next(p for p in leaders if _st(p) == "H.PCTUB")
            for p in members:
                cap(p, hu, HUYEN, _st(p) in std_titles or p is first_pct)
            hdh = s.by_code[f"{d.code}.HD"]
            bt = holders(hu.code, "H.BT")[0]
            btv_scope = [p for p in leaders if self._is(_st(p), "1b") and p is not bt]
            heads = [p for p in leaders if _st(p) == "H.TP"][:6]
            for p in btv_scope + heads:
                council(p, hdh)
            self.citizens_for(hdh, 14)
        # Communes: committees of 19 (18 in nine communes), councils of the 13 cadres plus citizens.
        self.commune_committees: list[tuple[UnitSpec, list[P]]] = []
        for i, c in enumerate(s.communes):
            staff: list[P] = []
            for body in c.children:
                staff += seats.get(body.code, [])
            staff.sort(key=rank)
            du = next(b for b in c.children if b.body == "DU")
            size = 18 if i % 17 == 16 else 19
            self.commune_committees.append((du, staff))
            for p in staff[:size]:
                cap(p, du, XA, _st(p) in ("X.BT", "X.PBT", "X.CTUB", "X.CTHD", "X.CTMT"))
            hx = next(b for b in c.children if b.body == "HD")
            for p in staff:
                if self.t[_st(p)].group != G.CIVIL_SERVANT or _st(p) == "X.CHQS":
                    council(p, hx, "Chủ tịch HĐND" if _st(p) == "X.CTHD" else "")
            self.citizens_for(hx, 14)
        self._fit_committees()
        self._fit_councils()

    def citizens_for(self, body: UnitSpec, n: int) -> None:
        for _ in range(n):
            p = self.new_person()
            p.citizen = True
            p.body_unit = body
            p.mems.append(Mem(body, BodyKind.PEOPLES_COUNCIL, "2016-2021", TERM_HD_2016[0], TERM_HD_2016[1]))

    def _members(self, kind: str) -> list[P]:
        return [
            p
            for p in self.people
            if any(
                m.kind == kind and m.start <= BASELINE and (m.end is None or m.end >= BASELINE)
                for m in p.mems
            )
        ]

    def _fit_committees(self) -> None:
        target = TARGETS["3"][1]
        i = 0
        while (cur := len(self._members(BodyKind.PARTY_COMMITTEE))) != target:
            du, staff = self.commune_committees[i % len(self.commune_committees)]
            inside = [
                p for p in staff if any(m.body is du and m.kind == BodyKind.PARTY_COMMITTEE for m in p.mems)
            ]
            if cur < target and len(inside) < len(staff):
                staff[len(inside)].mems.append(
                    Mem(du, BodyKind.PARTY_COMMITTEE, "2020-2025", CONGRESS_2020[XA], None)
                )
            elif cur > target and len(inside) > 12:
                last = inside[-1]
                last.mems = [
                    m for m in last.mems if not (m.body is du and m.kind == BodyKind.PARTY_COMMITTEE)
                ]
            i += 1
            if i > 100_000:
                raise RuntimeError("cannot fit committees")

    def _fit_councils(self) -> None:
        target = TARGETS["4"][1]
        cur = len(self._members(BodyKind.PEOPLES_COUNCIL))
        councils = [next(b for b in c.children if b.body == "HD") for c in self.s.communes]
        i = 0
        while cur < target:
            self.citizens_for(councils[i % len(councils)], 1)
            cur += 1
            i += 1
        while cur > target:
            body = councils[i % len(councils)]
            victim = next(p for p in reversed(self.people) if p.citizen and p.body_unit is body)
            self.people.remove(victim)
            cur -= 1
            i += 1
        for n, p in enumerate(self.people):
            p.idx = n

    # Attributes --------------------------------------------------------------------------
    def _title_of(self, p: P) -> str:
        return _st(p) if p.seat else ""

    def _sexes(self, rng: random.Random) -> None:
        female_titles = {"X.MPN", "H.MPN", "T.PN.H", "T.PN.D"}
        male_titles = {"X.MCCB", "H.MCCB", "T.CCB.H", "T.CCB.D", "X.CHQS", "T.BT", "H.BT"}
        for p in self.people:
            code = self._title_of(p)
            if code in female_titles:
                p.sex, p.sex_locked = "nu", True
                continue
            if code in male_titles:
                p.sex, p.sex_locked = "nam", True
                continue
            t = self.t[code] if code else None
            share = 0.42 if p.citizen else (0.22 if t and t.is_key else 0.30)
            p.sex = "nu" if rng.random() < share else "nam"
        members3 = self._members(BodyKind.PARTY_COMMITTEE)
        members4 = self._members(BodyKind.PEOPLES_COUNCIL)
        ids3 = {p.idx for p in members3}
        ids4 = {p.idx for p in members4}
        only3 = [p for p in members3 if p.idx not in ids4 and not p.sex_locked]
        only4 = [p for p in members4 if p.idx not in ids3 and not p.sex_locked]
        for group, members, target in (
            (only3, members3, TARGETS["3"][0]),
            (only4, members4, TARGETS["4"][0]),
        ):
            need = target - sum(1 for p in members if p.sex == "nu")
            pool = [p for p in group if p.sex == ("nam" if need > 0 else "nu")]
            for p in rng.sample(pool, abs(need)):
                p.sex = "nu" if need > 0 else "nam"

    def _ages(self, rng: random.Random) -> None:
        pop1a = [p for p in self.people if p.seat and self._is(_st(p), "1a")]
        pop1b = [p for p in self.people if p.seat and self._is(_st(p), "1b")]
        young_a = rng.sample(
            [p for p in pop1a if self.t[_st(p)].head_kind == "pho" and not self.t[_st(p)].is_key],
            TARGETS["1a"][0],
        )
        young_b = rng.sample(
            [p for p in pop1b if _st(p) in ("H.PCTUB", "H.PCTHD", "H.BDV.H", "H.VP.H", "H.BTG.H", "H.CTMT")],
            TARGETS["1b"][0],
        )
        for p in pop1a + pop1b:
            p.young = False
        for p in young_a + young_b:
            p.young = True
        for p in self.people:
            if p.citizen:
                lo, hi = 25, 68
            else:
                t = self.t[_st(p)]
                if p.young:
                    lo, hi = 33, 39
                elif p.young is False:
                    lo, hi = (40, 59) if not t.is_key else (46, 59)
                elif t.code in ("X.MDOAN",):
                    lo, hi = 24, 32
                elif t.is_leader and t.head_kind == "truong":
                    lo, hi = 35, 58
                elif t.is_leader:
                    lo, hi = 31, 57
                else:
                    lo, hi = 24, 56
            age = rng.randint(lo, hi)
            birth = add_years(BASELINE, -age - 1) + dt.timedelta(days=rng.randrange(1, 365))
            if p.young is False:
                birth = min(birth, add_years(BASELINE, -40))
            if p.young:
                birth = max(birth, add_years(BASELINE, -40) + DAY)
            if not p.citizen:
                floor = dt.date(1961, 1, 1) if p.sex == "nam" else dt.date(1966, 1, 1)
                birth = max(birth, floor)
            p.birth = birth

    def _origins(self, rng: random.Random) -> None:
        s = self.s
        all_communes = [c.area_id for c in s.communes]
        others = s.other_province_area_ids
        for p in self.people:
            unit = _su(p) if p.seat else p.body_unit
            assert unit is not None  # noqa: S101 (invariant; narrows the type for mypy)
            commune = _commune_area(unit)
            district = unit.district
            if p.citizen or unit.level == XA:
                p.eth = names.pick(rng, names.CITIZEN_ETHNICITIES if p.citizen else names.COMMUNE_ETHNICITIES)
            else:
                p.eth = names.pick(rng, names.OFFICIAL_ETHNICITIES)
            p.rel = names.pick(rng, names.RELIGIONS if p.eth == "01" else names.MINORITY_RELIGIONS)
            p.name = names.full_name(rng, ethnicity=p.eth, female=p.sex == "nu")
            x = rng.random()
            home: int | None
            if commune is not None and (p.citizen or x < 0.65):
                home = commune
            elif district is not None and x < 0.85:
                home = rng.choice(s.district_commune_area_ids[district.code])
            elif p.eth != "01" or x < 0.9:
                home = rng.choice(all_communes)
            else:
                home = rng.choice(others)
            p.home = home
            p.birthplace = home if rng.random() < 0.85 else rng.choice(all_communes)

        # Non-local secretaries and chairs (RULES.md K-3, INDICATORS.md 7a–8b).
        def place(pop: list[P], n_nonlocal: int, local_of: dict[int, list[int]]) -> None:
            chosen = {p.idx for p in rng.sample(pop, n_nonlocal)}
            for p in pop:
                local = local_of[p.idx]
                if p.idx in chosen:
                    p.local = False
                    if p.home in local:
                        p.home = rng.choice(
                            [a for a in all_communes if a not in local] if rng.random() < 0.7 else others
                        )
                else:
                    p.local = True
                    p.home = local[0] if len(local) == 1 else rng.choice(local)
                    p.birthplace = p.home

        for title, key in (("H.BT", "7a"), ("H.CTUB", "8a")):
            pop = [p for p in self.people if p.seat and _st(p) == title]
            local_of = {p.idx: self._district_areas(_su(p)) for p in pop}
            place(pop, TARGETS[key][0], local_of)
        for title, key in (("X.BT", "7b"), ("X.CTUB", "8b")):
            pop = [p for p in self.people if p.seat and _st(p) == title]
            place(pop, TARGETS[key][0], {p.idx: [_area(_su(p))] for p in pop})

    def _district_areas(self, unit: UnitSpec) -> list[int]:
        """The district's own area and those of its communes (RULES.md K-3 "local")."""
        assert unit.district is not None  # noqa: S101 (invariant; narrows the type for mypy)
        code = unit.district.code
        return [self.s.district_area_ids[code], *self.s.district_commune_area_ids[code]]

    def _flags(self, rng: random.Random) -> None:
        def choose(pop: list[P], n: int, attr: str) -> None:
            chosen = {p.idx for p in rng.sample(pop, n)}
            for p in pop:
                setattr(p, attr, p.idx in chosen)

        seated = [p for p in self.people if p.seat]
        pop5 = [p for p in seated if self._is(_st(p), "5")]
        choose(pop5, TARGETS["5"][0], "univ")
        choose(pop5, TARGETS["6"][0], "lct")
        choose([p for p in seated if self._is(_st(p), "9")], TARGETS["9"][0], "master")
        choose([p for p in seated if self._is(_st(p), "2")], TARGETS["2"][0], "b2")

    # Careers ------------------------------------------------------------------------------
    def _careers(self, rng: random.Random) -> None:
        order = {HUYEN: 0, XA: 1, TINH: 2}
        seated = [p for p in self.people if p.seat]
        seated.sort(key=lambda p: (order[_su(p).level], -self.t[_st(p)].rank, p.idx))
        for p in seated:
            unit, title = _su(p), _st(p)
            t = self.t[title]
            if t.group in ELECTED_GROUPS and rng.random() < 0.6:
                start = (
                    CONGRESS_2020[unit.level]
                    if unit.level != TINH or rng.random() < 0.5
                    else CONGRESS_2015[unit.level]
                )
                start = min(start, BASELINE - 30 * DAY)
            else:
                start = rand_date(rng, dt.date(2012, 1, 1), BASELINE - 60 * DAY)
            earliest = add_years(p.birth, 22)
            start = max(start, add_years(p.birth, 23 if t.is_leader else 21))
            kind = TenureKind.ELECTED if t.group in ELECTED_GROUPS else TenureKind.APPOINTED
            recruit = rand_date(rng, earliest, max(earliest, min(add_years(p.birth, 30), start)))
            prior = self._prior(p, unit, title, rng)
            segs: list[Seg] = []
            if prior is not None and (start - recruit).days > 3 * 365:
                pstart = max(recruit, add_years(start, -rng.randint(3, 8)))
                pkind = TenureKind.RECRUITED if pstart == recruit else TenureKind.APPOINTED
                segs.append(
                    Seg(
                        prior[0],
                        prior[1],
                        pkind,
                        pstart,
                        start - DAY,
                        "Được bổ nhiệm, điều động chức vụ khác",
                    )
                )
                if prior[0].level != unit.level or prior[0].district is not unit.district:
                    kind = TenureKind.ROTATED if t.is_key else TenureKind.TRANSFERRED
            elif t.head_kind == "nhan_vien" and (start - recruit).days < 2 * 365:
                kind = TenureKind.RECRUITED
                start = recruit
            p.recruit = recruit
            segs.append(Seg(unit, title, kind, start))
            p.segs = segs
            self.forward(p, rng)

    def _prior(self, p: P, unit: UnitSpec, title: str, rng: random.Random) -> tuple[UnitSpec, str] | None:
        t = self.t[title]
        s = self.s
        if t.level == XA and t.is_key and p.local is False and unit.district is not None:
            ub = s.by_code[f"{unit.district.code}.UB"]
            return rng.choice([c for c in ub.children if c.role == "division"]), "H.PP"
        if t.level == XA and t.group != G.CIVIL_SERVANT:
            cl = unit.parent
            assert cl is not None  # noqa: S101 (invariant; narrows the type for mypy)
            return next(b for b in cl.children if b.body == "UB"), "X.VPTK"
        if t.level == HUYEN and t.is_key and unit.district is not None:
            ub = s.by_code[f"{unit.district.code}.UB"]
            return rng.choice([c for c in ub.children if c.role == "division"]), "H.TP"
        if t.group == G.DIVISION_HEAD:
            return unit, title.replace(".TP", ".PP")
        if t.group == G.AGENCY_HEAD and title.endswith(".H"):
            return unit, title[:-2] + ".D"
        if t.head_kind == "pho" and unit.mass_titles:
            return unit, unit.mass_titles[0]
        if t.head_kind == "pho" and t.level == TINH and not t.is_key:
            return rng.choice(self.open_tinh_divisions), "T.CV"
        return None

    def forward(self, p: P, rng: random.Random) -> None:
        """Run ``p`` from his last segment through retirement and the restructuring."""
        retire = retirement_end(p.sex, p.birth)
        while True:
            seg = p.segs[-1]
            unit = seg.unit
            if seg.start > retire:
                # Planned start after retirement: drop it (the person left before).
                p.segs.pop()
                prev = p.segs[-1] if p.segs else None
                if prev is not None:
                    prev.end = min(prev.end or retire, retire)
                p.left, p.left_reason = retire + DAY, "Nghỉ hưu"
                return
            if unit.valid_to is not None and unit.valid_to < retire:
                on = unit.valid_to + DAY
                seg.end = unit.valid_to
                seg.end_reason = _basis(on)
                nxt = self.fate(p, unit, seg.title, on, rng)
                if nxt is None:
                    p.left, p.left_reason = on, EARLY_RETIREMENT
                    return
                p.segs.append(Seg(nxt[0], nxt[1], TenureKind.CARRIED, on))
                continue
            seg.end = retire
            seg.end_reason = "Nghỉ hưu"
            p.left, p.left_reason = retire + DAY, "Nghỉ hưu theo chế độ"
            return

    # Fates ----------------------------------------------------------------------------------
    def _take(self, commune: UnitSpec, chain: list[tuple[str, str, int]]) -> tuple[UnitSpec, str]:
        for body, title, seats in chain:
            unit = _body(commune, body)
            key = (unit.code, title)
            used = self.registry.get(key, 0)
            if seats == 0 or used < seats:
                self.registry[key] = used + 1
                return unit, title
        raise AssertionError("chain without a free seat")

    def _chain(self, title: str, rng: random.Random) -> list[tuple[str, str, int]]:
        staff = [(f"P{rng.randint(1, 4)}", "X.CV", 0)]
        division = f"P{rng.randint(1, 3)}"
        lead = [(division, "X.TP", 1), (division, "X.PP", 2), *staff]
        if title in ("X.BT", "X.PBT", "H.BT", "H.PBT") or (
            title.startswith("H.") and title.endswith(".H") and title[2:4] in ("VP", "BT", "BD", "UB")
        ):
            return [("DU", "X.BT", 1), ("DU", "X.PBT", 2), *lead]
        if title in ("X.CTUB", "X.PCTUB", "H.CTUB", "H.PCTUB"):
            return [("UB", "X.CTUB", 1), ("UB", "X.PCTUB", 3), *lead]
        if title in ("X.CTHD", "X.PCTHD", "H.CTHD", "H.PCTHD"):
            return [("HD", "X.CTHD", 1), ("HD", "X.PCTHD", 1), *lead]
        if title in ("X.CTMT", "H.CTMT", "H.PCTMT", "X.PCTMT"):
            return [("MT", "X.CTMT", 1), ("MT", "X.PCTMT", 2), *staff]
        if title.startswith(("X.M", "H.M")):
            return [("MT", "X." + title[2:], 1), ("MT", "X.PCTMT", 2), *staff]
        if self.t[title].is_leader:
            return lead
        return staff

    def fate(
        self, p: P, unit: UnitSpec, title: str, on: dt.date, rng: random.Random
    ) -> tuple[UnitSpec, str] | None:
        """Where ``p`` goes when ``unit`` closes the day before ``on`` (None: he leaves)."""
        t = self.t[title]
        succ = unit.successor
        age = (on - p.birth).days // 365
        if succ is not None and succ.level == XA:
            commune = _locality(succ)
            if succ.valid_from == on:
                return self._take(commune, self._chain(title, rng))
            # Carried into an existing commune (Tà Chải, 2024): heads become deputies.
            demote = {"X.BT": "X.PBT", "X.CTUB": "X.PCTUB", "X.CTHD": "X.PCTHD", "X.CTMT": "X.PCTMT"}
            if title.startswith("X.M"):
                return succ, title if rng.random() < 0.3 else "X.VHXH"
            return succ, demote.get(title, title)
        if succ is not None:
            if t.level != succ.level:
                mapped = {
                    "H.YTE": "T.YT",
                    "H.GD": "T.GV",
                    "H.VC": "T.VC",
                    "H.SN.H": "T.SN.H",
                    "H.SN.D": "T.SN.D",
                    "H.TP": "T.TP.su_nghiep",
                    "H.PP": "T.PP.su_nghiep",
                    "H.CV": "T.VC",
                }.get(title, "T.VC")
                if mapped == "T.SN.H":
                    key = (succ.code, mapped)
                    if self.registry.get(key):
                        mapped = "T.SN.D"
                    self.registry[key] = 1
                return succ, mapped
            if t.is_leader and succ.valid_from != on and t.head_kind == "truong":
                down = title[:-2] + ".D" if title.endswith(".H") else title.replace(".TP.", ".PP.")
                return succ, down if down in self.t.specs else title
            if t.is_leader and succ.valid_from == on and t.head_kind == "truong":
                key = (succ.code, title)
                if self.registry.get(key):
                    down = title[:-2] + ".D" if title.endswith(".H") else title.replace(".TP.", ".PP.")
                    return succ, down if down in self.t.specs else title
                self.registry[key] = 1
            return succ, title
        # Dissolved district unit: to a 2025 commune of the district, the province, or retirement.
        district = unit.district
        assert district is not None  # noqa: S101 (invariant; narrows the type for mypy)
        communes = self.s.district_new_communes[district.code]
        x = rng.random()
        if age >= 52 and x < 0.25:
            return None
        if t.level == HUYEN and x > 0.85 and title != "H.BT":
            return rng.choice(self.open_tinh_divisions), "T.PP.nha_nuoc" if t.is_leader else "T.CV"
        if t.is_leader:
            n = self.rotation.get(district.code, 0)
            self.rotation[district.code] = n + 1
            commune = communes[n % len(communes)]
        else:
            commune = rng.choice(communes)
        return self._take(commune, self._chain(title, rng))

    # The 51 communes from former Yên Bái -------------------------------------------------------
    def _yen_bai(self, rng: random.Random) -> None:
        seats = [
            ("DU", "X.BT", 1),
            ("DU", "X.PBT", 2),
            ("HD", "X.CTHD", 1),
            ("HD", "X.PCTHD", 1),
            ("UB", "X.CTUB", 1),
            ("UB", "X.PCTUB", 2),
            ("MT", "X.CTMT", 1),
            ("MT", "X.MDOAN", 1),
            ("MT", "X.MPN", 1),
            ("MT", "X.MND", 1),
            ("MT", "X.MCCB", 1),
        ]
        for i in (1, 2, 3):
            seats += [(f"P{i}", "X.TP", 1), (f"P{i}", "X.PP", 1), (f"P{i}", "X.CV", 2)]
        for commune in self.s.yen_bai_communes:
            for body, title, n in seats:
                for _ in range(n):
                    p = self.new_person()
                    unit = _body(commune, body)
                    t = self.t[title]
                    p.sex = (
                        "nu"
                        if title == "X.MPN" or (title not in ("X.MCCB",) and rng.random() < 0.32)
                        else "nam"
                    )
                    age = rng.randint(28, 56) if t.is_leader else rng.randint(24, 52)
                    p.birth = add_years(TWO_TIER, -age - 1) + dt.timedelta(days=rng.randrange(1, 365))
                    p.birth = max(p.birth, dt.date(1966, 1, 1) if p.sex == "nam" else dt.date(1971, 1, 1))
                    p.eth = names.pick(rng, names.COMMUNE_ETHNICITIES)
                    p.rel = names.pick(rng, names.RELIGIONS if p.eth == "01" else names.MINORITY_RELIGIONS)
                    p.name = names.full_name(rng, ethnicity=p.eth, female=p.sex == "nu")
                    p.home = p.birthplace = commune.area_id
                    p.recruit = rand_date(rng, add_years(p.birth, 21), add_years(p.birth, 28))
                    p.seat = None
                    p.segs = [Seg(unit, title, TenureKind.CARRIED, TWO_TIER)]
                    self.registry[(unit.code, title)] = self.registry.get((unit.code, title), 0) + 1
                    self.forward(p, rng)
                    if t.is_leader or t.group in ELECTED_GROUPS:
                        p.mems.append(
                            Mem(_body(commune, "HD"), BodyKind.PEOPLES_COUNCIL, "2021-2026", TWO_TIER, None)
                        )
                    p.body_unit = commune
                    p.local = True

    # Later terms ---------------------------------------------------------------------------
    def _later_terms(self, rng: random.Random) -> None:
        """Close baseline memberships, carry them through mergers, add 2015, 2021 and 2025 terms."""
        for p in self.people:
            retire_day = p.left - DAY if p.left else None
            new: list[Mem] = []
            for m in p.mems:
                if m.term == "2020-2025":
                    level = m.body.level
                    # Previous term for those already serving then.
                    if p.recruit and p.recruit < CONGRESS_2015[level] and rng.random() < 0.55:
                        new.append(
                            Mem(m.body, m.kind, "2015-2020", CONGRESS_2015[level], CONGRESS_2020[level] - DAY)
                        )
                    end = CONGRESS_2025[TINH] - DAY if level == TINH else None
                    new.extend(self._carry(m, end, retire_day))
                elif m.term == "2016-2021":
                    new.append(m)
                    serving = p.citizen or (retire_day is None or retire_day >= TERM_HD_2021)
                    if serving and rng.random() < (0.45 if p.citizen else 0.7):
                        m2 = Mem(m.body, m.kind, "2021-2026", TERM_HD_2021, None, m.role)
                        new.extend(self._carry(m2, None, None))
                else:
                    new.append(m)
            p.mems = new
            # New commune Party committees (2025–2030) for those holding a key seat there.
            for seg in p.segs:
                if seg.start == TWO_TIER and seg.unit.level == XA and self.t[seg.title].is_leader:
                    du = _body(_locality(seg.unit), "DU")
                    end = retire_day if retire_day and retire_day >= TWO_TIER else None
                    p.mems.append(Mem(du, BodyKind.PARTY_COMMITTEE, "2025-2030", TWO_TIER, end))
                    if seg.title in ("X.BT", "X.PBT", "X.CTUB", "X.CTHD"):
                        p.mems.append(Mem(du, BodyKind.STANDING_COMMITTEE, "2025-2030", TWO_TIER, end))
        # Provincial committee 2025–2030: members still serving, then provincial heads, up to 50.
        tu = self.s.by_code["LC.TU"]
        start = CONGRESS_2025[TINH]
        chosen: list[P] = [
            p
            for p in self.people
            if any(
                m.body is tu and m.term == "2020-2025" and m.kind == BodyKind.PARTY_COMMITTEE for m in p.mems
            )
            and (p.left is None or p.left > start)
        ]
        heads = [
            p
            for p in self.people
            if p.seat and _su(p).level == TINH and self.t[_st(p)].group == G.AGENCY_HEAD
        ]
        for p in heads:
            if len(chosen) >= 50:
                break
            if p not in chosen and (p.left is None or p.left > start):
                chosen.append(p)
        for p in chosen[:50]:
            end = p.left - DAY if p.left else None
            p.mems.append(Mem(tu, BodyKind.PARTY_COMMITTEE, "2025-2030", start, end))

    def _carry(self, m: Mem, term_end: dt.date | None, retire_day: dt.date | None) -> list[Mem]:
        """``m`` and its continuations when its body merges (closing with the body)."""
        out = [m]
        cur = m
        while True:
            ends = [d for d in (term_end, retire_day, cur.body.valid_to) if d is not None]
            end = min(ends) if ends else None
            cur.end = end if cur.end is None else min(cur.end, end) if end else cur.end
            body = cur.body
            if (
                body.valid_to is not None
                and cur.end == body.valid_to
                and body.successor is not None
                and body.successor.level == body.level
                and (cur.kind == BodyKind.PEOPLES_COUNCIL or body.successor.valid_from != body.valid_to + DAY)
            ):
                nxt = Mem(body.successor, cur.kind, cur.term, body.valid_to + DAY, None, cur.role)
                out.append(nxt)
                cur = nxt
                continue
            return out


def _area(u: UnitSpec) -> int:
    assert u.area_id is not None  # noqa: S101 (invariant; narrows the type for mypy)
    return u.area_id


def _st(p: P) -> str:
    """The title of ``p``'s baseline post."""
    assert p.seat is not None  # noqa: S101 (invariant; narrows the type for mypy)
    return p.seat[1]


def _su(p: P) -> UnitSpec:
    """The unit of ``p``'s baseline post."""
    assert p.seat is not None  # noqa: S101 (invariant; narrows the type for mypy)
    return p.seat[0]


def _basis(on: dt.date) -> str:
    if on == TA_CHAI_MERGE:
        return "Nhập Xã Tà Chải vào Thị trấn Bắc Hà (NQ 1197/NQ-UBTVQH15)"
    if on == DEPARTMENT_MERGE:
        return "Sắp xếp, hợp nhất cơ quan chuyên môn thuộc UBND tỉnh"
    if on == TWO_TIER:
        return "Tổ chức chính quyền địa phương hai cấp từ 01/7/2025"
    return "Sắp xếp tổ chức bộ máy"


def _locality(u: UnitSpec) -> UnitSpec:
    while u.role not in ("commune", "commune_ta_chai", "new_commune", "new_commune_yb", "district", "root"):
        assert u.parent is not None  # noqa: S101 (invariant; narrows the type for mypy)
        u = u.parent
    return u


def _body(commune: UnitSpec, body: str) -> UnitSpec:
    if body == "LOC":
        return commune
    for b in commune.children:
        if b.body == body:
            return b
    ub = next(b for b in commune.children if b.body == "UB")
    return next(c for c in ub.children if c.body == body)


def _commune_area(u: UnitSpec) -> int | None:
    loc = _locality(u)
    return loc.area_id if loc.level == XA else None
