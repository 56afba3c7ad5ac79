"""The demo province's structure: title catalogue, unit tree and the restructuring events.

The tree is planned in memory first (``UnitSpec``), including the units that only start later
(the departments merged on 1/3/2025, the communes of 1/7/2025), then written in bulk with
materialized paths computed here, and logged with ``bulk_log_created``. The restructuring
events themselves (Tà Chải into Thị trấn Bắc Hà on 1/11/2024, the department mergers of
1/3/2025, the two-tier reorganisation of 1/7/2025) go through ``canbo.org.restructuring`` on the
still empty units, so lineage rows, closing dates and their log entries are the real ones. People
are written afterwards with careers that follow the planned fates (``successor``) of the units.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from canbo.careers.units import units_known_empty
from canbo.core.services import bulk_log_created, deferred_log
from canbo.core.text import fold
from canbo.core.types import ActingUser
from canbo.org.choices import Block, HeadKind, Level, ManagementScope, UnitKind
from canbo.org.choices import TitleGroup as G
from canbo.org.models import AdminArea, Post, Title, Unit
from canbo.org.restructuring import unit_dissolve, unit_merge_each

TA_CHAI_MERGE = dt.date(2024, 11, 1)
DEPARTMENT_MERGE = dt.date(2025, 3, 1)
TWO_TIER = dt.date(2025, 7, 1)
ROOT_CODE = "LC"

BASIS_TA_CHAI = "NQ 1197/NQ-UBTVQH15: nhập Xã Tà Chải vào Thị trấn Bắc Hà"
BASIS_DEPARTMENTS = "Sắp xếp cơ quan chuyên môn thuộc UBND tỉnh (NĐ 45/2025/NĐ-CP)"
BASIS_COMMUNES = "NQ 1673/NQ-UBTVQH15: sắp xếp đơn vị hành chính cấp xã tỉnh Lào Cai"
BASIS_DISTRICTS = "NQ 203/2025/QH15: kết thúc hoạt động của đơn vị hành chính cấp huyện"
BASIS_DISTRICT_SERVICES = "Chuyển đơn vị sự nghiệp cấp huyện về sở quản lý khi tổ chức chính quyền hai cấp"

TINH, HUYEN, XA = "tinh", "huyen", "xa"
DANG, NN, MT, SN = "dang", "nha_nuoc", "mat_tran", "su_nghiep"
TRUONG, PHO, NV = "truong", "pho", "nhan_vien"
S_TW, S_TINH, S_HUYEN, S_XA, S_CQ = "tw", "btv_tinh_uy", "btv_huyen_uy", "dang_uy_xa", "co_quan"
assert {S_TW, S_TINH, S_HUYEN, S_XA, S_CQ} <= set(ManagementScope.values)  # noqa: S101 (checks the constants above at import)
assert {TINH, HUYEN, XA} <= set(Level.values) and {DANG, NN, MT, SN} <= set(Block.values)  # noqa: S101 (checks the constants above at import)
assert {TRUONG, PHO, NV} <= set(HeadKind.values)  # noqa: S101 (checks the constants above at import)


@dataclass(frozen=True)
class TitleSpec:
    """One title of the catalogue."""

    code: str
    name: str
    level: str
    group: str
    block: str
    head_kind: str
    scope: str
    rank: int
    is_key: bool
    is_leader: bool


class Catalogue:
    """The titles, in insertion order, with their database rows once written."""

    def __init__(self) -> None:
        self.specs: dict[str, TitleSpec] = {}
        self.rows: dict[str, Title] = {}

    def add(
        self,
        code: str,
        name: str,
        level: str,
        group: str,
        block: str,
        head: str,
        scope: str,
        rank: int,
        *,
        key: bool = False,
    ) -> str:
        if code not in self.specs:
            leader = head in (TRUONG, PHO)
            self.specs[code] = TitleSpec(code, name, level, group, block, head, scope, rank, key, leader)
        return code

    def fixed(self, code: str) -> str:
        """Add the title ``code`` of data/titles.toml."""
        t = load_province()["titles"][code]
        return self.add(
            code,
            t["name"],
            t["level"],
            G(t["group"]),
            t["block"],
            t["head"],
            t["scope"],
            t["rank"],
            key=t.get("key", False),
        )

    def __getitem__(self, code: str) -> TitleSpec:
        return self.specs[code]


@dataclass(eq=False)
class UnitSpec:
    """A planned unit. ``successor`` is where its people go when it closes (None: dissolved)."""

    code: str
    name: str
    kind: str
    block: str
    level: str
    parent: UnitSpec | None
    area_id: int | None
    role: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    successor: UnitSpec | None = None
    district: UnitSpec | None = None
    children: list[UnitSpec] = field(default_factory=list)
    # Fixed staffing on the baseline date: (title code, seats, elastic group or "").
    slots: list[list[Any]] = field(default_factory=list)
    mass_weight: float = 0.0
    mass_titles: tuple[str, ...] = ()
    # For a locality or body of a commune: the matching body of its 2025 commune.
    body: str = ""
    pk: int | None = None
    path: str = ""

    def add(self, **kw: Any) -> UnitSpec:
        child = UnitSpec(parent=self, **kw)
        if child.district is None:
            child.district = self.district
        self.children.append(child)
        return child

    def open_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def walk(self) -> Iterator[UnitSpec]:
        yield self
        for c in self.children:
            yield from c.walk()


def _slug(text: str) -> str:
    return "".join(ch for ch in fold(text).upper().replace(" ", "_") if ch.isalnum() or ch == "_")[:24]


# --------------------------------------------------------------------------------------------
# Province configuration: data/province.toml (units) and data/titles.toml (fixed titles)
# --------------------------------------------------------------------------------------------

DATA_DIR = Path(__file__).resolve().parent / "data"


@functools.cache
def load_province() -> dict[str, Any]:
    """The demo province's specs: province.toml, with titles.toml's titles by code under "titles"."""
    with (DATA_DIR / "province.toml").open("rb") as fh:
        data = tomllib.load(fh)
    with (DATA_DIR / "titles.toml").open("rb") as fh:
        data["titles"] = {t["code"]: t for t in tomllib.load(fh)["titles"]}
    return data


def _service_divisions(unit: dict[str, Any], lists: dict[str, list[str]]) -> list[str]:
    if "division_list" in unit:
        shared = lists[unit["division_list"]]
        return shared[: unit["first"]] if "first" in unit else shared
    return unit.get("divisions", [])


_P = load_province()
PARTY_BOARDS = [(b["code"], b["name"], b["head"], b["deputies"], b["divisions"]) for b in _P["party_boards"]]
AGENCIES = [(a["code"], a["name"], a["head"], a["divisions"]) for a in _P["agencies"]]
# Department mergers of 1/3/2025: (code, name, sources) of a new department; (source, receiving).
NEW_AGENCIES = [(a["code"], a["name"], a["sources"]) for a in _P["new_agencies"]]
MERGES_INTO = [(m["source"], m["into"]) for m in _P["merges"]]
# (parent agency code, name, kind of staff, divisions)
SERVICE_UNITS = [
    (u["parent"], u["name"], u["staff"], _service_divisions(u, _P["division_lists"]))
    for u in _P["service_units"]
]
MASS_ORGS = [(m["code"], m["name"], m["head"], m["deputy"], m["deputies"]) for m in _P["mass_orgs"]]
DISTRICT_DIVISIONS: list[str] = _P["district"]["divisions"]
DISTRICT_URBAN_RENAMES: dict[str, str] = _P["district"]["urban_renames"]
DISTRICT_BOARDS = [(b["code"], b["name"], b["head"], b["deputies"]) for b in _P["district_boards"]]
# District public service units: (code, name prefix, staff kind, provincial successor agency or "").
DISTRICT_SERVICES = [(d["code"], d["name"], d["staff"], d["successor"]) for d in _P["district_services"]]
DISTRICT_MASS = [(m["code"], m["name"]) for m in _P["district_mass"]]
NEW_COMMUNE_DIVISIONS: list[str] = _P["new_commune"]["divisions"]
WARD_RENAMES: dict[str, str] = _P["new_commune"]["ward_renames"]
COMMUNE_MASS_TITLES: list[str] = _P["commune"]["mass_titles"]

CONGRESS_2015 = {TINH: dt.date(2015, 10, 15), HUYEN: dt.date(2015, 7, 20), XA: dt.date(2015, 5, 15)}
CONGRESS_2020 = {TINH: dt.date(2020, 10, 15), HUYEN: dt.date(2020, 7, 20), XA: dt.date(2020, 5, 15)}
CONGRESS_2025 = {TINH: dt.date(2025, 10, 1), XA: TWO_TIER}


def _district_prefix(kind: str) -> tuple[str, str]:
    """(party committee word, short locality word) for a district kind."""
    if kind == "thanh_pho":
        return "Thành ủy", "thành phố"
    if kind == "thi_xa":
        return "Thị ủy", "thị xã"
    return "Huyện ủy", "huyện"


def _commune_word(kind: str) -> str:
    return {"phuong": "phường", "thi_tran": "thị trấn"}.get(kind, "xã")


def _short(name: str) -> str:
    """ "Huyện Bát Xát" → "Bát Xát"; "Thị trấn Bắc Hà" → "Bắc Hà"."""
    for prefix in ("Thành phố ", "Thị xã ", "Thị trấn ", "Huyện ", "Phường ", "Xã "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


@dataclass
class Structure:
    """The planned province: root, titles, and indexes the people generator needs."""

    root: UnitSpec
    titles: Catalogue
    districts: list[UnitSpec]
    communes: list[UnitSpec]  # old commune localities (152)
    new_communes: list[UnitSpec]  # 2025 commune localities (99)
    yen_bai_communes: list[UnitSpec]
    by_code: dict[str, UnitSpec]
    province_area_id: int
    district_area_ids: dict[str, int]  # district unit code -> area id
    district_commune_area_ids: dict[str, list[int]]  # district unit code -> its commune areas
    other_province_area_ids: list[int]
    district_new_communes: dict[str, list[UnitSpec]]

    def units(self) -> list[UnitSpec]:
        return list(self.root.walk())


def plan_structure(rng: random.Random) -> Structure:
    """Plan the whole unit tree and title catalogue (no database writes except reading areas)."""
    del rng  # the structure is fixed; kept in the signature for future variation
    cat = Catalogue()
    former = AdminArea.Dataset.FORMER
    current = AdminArea.Dataset.CURRENT
    areas = list(AdminArea.objects.filter(dataset__in=[former, current]).order_by("dataset", "level", "code"))
    old_province = next(a for a in areas if a.dataset == former and a.level == "tinh" and a.code == "10")
    new_province = next(a for a in areas if a.dataset == current and a.level == "tinh" and a.code == "15")
    old_districts = [
        a for a in areas if a.dataset == former and a.level == "huyen" and a.parent_id == old_province.pk
    ]
    old_communes = [a for a in areas if a.dataset == former and a.level == "xa" and a.parent_id is not None]
    district_ids = {d.pk for d in old_districts}
    old_communes = [a for a in old_communes if a.parent_id in district_ids]
    new_communes = [
        a for a in areas if a.dataset == current and a.level == "xa" and a.parent_id == new_province.pk
    ]
    other_provinces = [a.pk for a in areas if a.dataset == former and a.level == "tinh" and a.code != "10"]
    from canbo.org.models import AreaLineage

    succ: dict[int, int] = dict(
        AreaLineage.objects.filter(predecessor_id__in=[a.pk for a in old_communes]).values_list(
            "predecessor_id", "successor_id"
        )
    )

    by_code: dict[str, UnitSpec] = {}

    def reg(u: UnitSpec) -> UnitSpec:
        assert u.code not in by_code, u.code  # noqa: S101 (invariant of the fixed structure)
        by_code[u.code] = u
        return u

    root = reg(
        UnitSpec(
            code=ROOT_CODE,
            name="Tỉnh Lào Cai",
            kind=UnitKind.LOCALITY,
            block=NN,
            level=TINH,
            parent=None,
            area_id=old_province.pk,
            role="root",
        )
    )

    def child(
        parent: UnitSpec, code: str, name: str, kind: str, block: str, level: str, **kw: Any
    ) -> UnitSpec:
        kw.setdefault("area_id", parent.area_id)
        return reg(parent.add(code=code, name=name, kind=kind, block=block, level=level, **kw))

    # Titles of the province (data/titles.toml).
    t_bt, t_pbt, t_cthd, t_pcthd, t_ctub, t_pctub, t_ctmt, t_pctmt = (
        cat.fixed(f"T.{c}") for c in ("BT", "PBT", "CTHD", "PCTHD", "CTUB", "PCTUB", "CTMT", "PCTMT")
    )
    div_head = {b: cat.fixed(f"T.TP.{b}") for b in (DANG, NN, MT, SN)}
    div_dep = {b: cat.fixed(f"T.PP.{b}") for b in (DANG, NN, MT, SN)}
    staff = {
        k: cat.fixed(c)
        for k, c in (("cv", "T.CV"), ("cvd", "T.CVD"), ("gd", "T.GV"), ("yte", "T.YT"), ("vc", "T.VC"))
    }

    def divisions(parent: UnitSpec, names: list[str], block: str, mass: float, mass_title: str) -> None:
        for i, dname in enumerate(names, 1):
            full = f"{dname} {parent.name}" if dname in ("Văn phòng", "Thanh tra") else dname
            d = child(
                parent,
                f"{parent.code}.P{i:02d}",
                full,
                UnitKind.DIVISION,
                block,
                parent.level,
                role="division",
                mass_weight=mass,
                mass_titles=(mass_title,),
            )
            d.slots = [[div_head[block], 1, ""], [div_dep[block], 1, "div_dep"]]

    # Party committee of the province and its boards.
    tu = child(root, "LC.TU", "Tỉnh ủy Lào Cai", UnitKind.PARTY_COMMITTEE, DANG, TINH, role="party_committee")
    tu.slots = [[t_bt, 1, ""], [t_pbt, 1, ""]]
    for code, name, head, ndep, divs in PARTY_BOARDS:
        kind = UnitKind.SERVICE if code == "TCT" else UnitKind.PARTY_BOARD
        b = child(tu, f"LC.TU.{code}", name, kind, DANG, TINH, role="agency")
        h = cat.add(f"T.{code}.H", head, TINH, G.AGENCY_HEAD, DANG, TRUONG, S_TINH, 80)
        dep_name = head.replace("Chánh", "Phó Chánh").replace("Trưởng Ban", "Phó Trưởng Ban")
        dep_name = dep_name.replace("Chủ nhiệm", "Phó Chủ nhiệm").replace("Hiệu trưởng", "Phó Hiệu trưởng")
        dep_name = dep_name.replace("Bí thư", "Phó Bí thư")
        d = cat.add(f"T.{code}.D", dep_name, TINH, G.AGENCY_DEPUTY, DANG, PHO, S_TINH, 70)
        b.slots = [[h, 1, ""], [d, ndep, "agency_dep"]]
        divisions(b, divs, DANG, 3, staff["cvd"])

    # People's Council.
    hd = child(
        root, "LC.HD", "Hội đồng nhân dân tỉnh Lào Cai", UnitKind.PEOPLES_COUNCIL, NN, TINH, role="council"
    )
    hd.slots = [[t_cthd, 1, ""], [t_pcthd, 2, ""]]
    t_tbhd = cat.fixed("T.TBHD")
    t_ptbhd = cat.fixed("T.PTBHD")
    for i, bname in enumerate(_P["council"]["boards"], 1):
        b = child(hd, f"LC.HD.B{i}", f"{bname} HĐND tỉnh", UnitKind.DIVISION, NN, TINH, role="council_board")
        b.slots = [[t_tbhd, 1, ""], [t_ptbhd, 1, ""]]
    vp = child(
        hd, "LC.HD.VP", "Văn phòng Đoàn ĐBQH và HĐND tỉnh", UnitKind.DEPARTMENT, NN, TINH, role="agency"
    )
    vp.slots = [[cat.fixed("T.VPHD.H"), 1, ""], [cat.fixed("T.VPHD.D"), 2, ""]]
    divisions(vp, _P["council"]["office_divisions"], NN, 4, staff["cv"])

    # People's Committee and its agencies.
    ub = child(
        root, "LC.UB", "Ủy ban nhân dân tỉnh Lào Cai", UnitKind.PEOPLES_COMMITTEE, NN, TINH, role="committee"
    )
    ub.slots = [[t_ctub, 1, ""], [t_pctub, 3, ""]]
    agency_titles: dict[str, tuple[str, str]] = {}
    for code, name, head, divs in AGENCIES:
        ag = child(
            ub,
            f"LC.UB.{code}",
            name + (" tỉnh Lào Cai" if name.startswith("Sở") else ""),
            UnitKind.DEPARTMENT,
            NN,
            TINH,
            role="agency",
        )
        hcode = "SO" if head == "Giám đốc Sở" else code
        dep = "Phó " + head[0].lower() + head[1:] if not head.startswith("Chánh") else "Phó " + head
        h = cat.add(f"T.{hcode}.H", head, TINH, G.AGENCY_HEAD, NN, TRUONG, S_TINH, 80)
        d = cat.add(f"T.{hcode}.D", dep, TINH, G.AGENCY_DEPUTY, NN, PHO, S_TINH, 70)
        agency_titles[code] = (h, d)
        ag.slots = [[h, 1, ""], [d, 3, "agency_dep"]]
        divisions(ag, divs, NN, 6, staff["cv"])

    # Front and mass organisations.
    mt = child(root, "LC.MT", "Ủy ban MTTQ Việt Nam tỉnh Lào Cai", UnitKind.FRONT, MT, TINH, role="front")
    mt.slots = [[t_ctmt, 1, ""], [t_pctmt, 3, ""]]
    divisions(mt, _P["front"]["divisions"], MT, 2, staff["cvd"])
    for code, name, head, dep, ndep in MASS_ORGS:
        m = child(root, f"LC.{code}", name, UnitKind.FRONT, MT, TINH, role="agency")
        m.slots = [
            [cat.add(f"T.{code}.H", head, TINH, G.AGENCY_HEAD, MT, TRUONG, S_TINH, 78), 1, ""],
            [cat.add(f"T.{code}.D", dep, TINH, G.AGENCY_DEPUTY, MT, PHO, S_TINH, 68), ndep, ""],
        ]
        divisions(m, _P["front"]["mass_org_divisions"], MT, 2, staff["cvd"])

    # Provincial public service units.
    su_head = cat.fixed("T.SN.H")
    su_dep = cat.fixed("T.SN.D")
    service_parents = {"UB": ub, "TU": tu}
    school_names: list[str] = []
    weights = {"yte": 40.0, "gd": 30.0, "vc": 8.0}

    def service(
        parent: UnitSpec, code: str, name: str, staff_kind: str, divs: list[str], level: str = TINH
    ) -> UnitSpec:
        su = child(parent, code, name, UnitKind.SERVICE, SN, level, role="service")
        big = len(divs) >= 8
        if level == TINH:
            su.slots = [[su_head, 1, ""], [su_dep, 2 if big else 1, "service_dep"]]
        su.mass_titles = (staff[staff_kind] if level == TINH else f"H.{staff_kind.upper()}",)
        if divs:
            for i, dname in enumerate(divs, 1):
                d = child(
                    su,
                    f"{code}.K{i:02d}",
                    dname,
                    UnitKind.DIVISION,
                    SN,
                    level,
                    role="division",
                    mass_weight=weights[staff_kind] / 2,
                    mass_titles=su.mass_titles,
                )
                if level == TINH:
                    d.slots = [[div_head[SN], 1, ""], [div_dep[SN], 1, "div_dep"]]
            su.mass_weight = 2.0
        else:
            su.mass_weight = weights[staff_kind]
        return su

    for i, (pcode, name, skind, divs) in enumerate(SERVICE_UNITS, 1):
        parent = service_parents.get(pcode) or by_code[f"LC.UB.{pcode}"]
        service(parent, f"{parent.code}.S{i:02d}", name, skind, divs)

    # Districts and communes (former list), with the 2025 communes planned beside them.
    district_area_ids: dict[str, int] = {}
    district_commune_area_ids: dict[str, list[int]] = {}
    districts: list[UnitSpec] = []
    communes: list[UnitSpec] = []
    new_by_area: dict[int, UnitSpec] = {}
    t = _district_titles(cat)
    x = _fixed_titles(cat, "X")  # a commune's titles, the 2025 communes' too
    sgd = by_code["LC.UB.SGDDT"]
    for dist in old_districts:
        party_word, word = _district_prefix(dist.kind)
        short = _short(dist.name)
        dcode = f"LC.H{dist.code}"
        loc = child(root, dcode, dist.name, UnitKind.LOCALITY, NN, HUYEN, area_id=dist.pk, role="district")
        loc.district = loc
        districts.append(loc)
        district_area_ids[dcode] = dist.pk
        hu = child(
            loc,
            f"{dcode}.HU",
            f"{party_word} {short}",
            UnitKind.PARTY_COMMITTEE,
            DANG,
            HUYEN,
            role="party_committee",
        )
        hu.slots = [[t["BT"], 1, ""], [t["PBT"], 1, ""]]
        for code, bname, _head, ndep in DISTRICT_BOARDS:
            b = child(
                hu,
                f"{hu.code}.{code}",
                f"{bname} {party_word} {short}",
                UnitKind.PARTY_BOARD,
                DANG,
                HUYEN,
                role="agency",
            )
            b.slots = [[t[f"{code}.H"], 1, ""], [t[f"{code}.D"], ndep, ""]]
            b.mass_weight, b.mass_titles = 1.5, (t["CV"],)
        hdh = child(
            loc, f"{dcode}.HD", f"HĐND {word} {short}", UnitKind.PEOPLES_COUNCIL, NN, HUYEN, role="council"
        )
        hdh.slots = [[t["CTHD"], 1, ""], [t["PCTHD"], 2 if dist.code == "080" else 1, ""]]
        ubh = child(
            loc,
            f"{dcode}.UB",
            f"UBND {word} {short}",
            UnitKind.PEOPLES_COMMITTEE,
            NN,
            HUYEN,
            role="committee",
        )
        ubh.slots = [[t["CTUB"], 1, ""], [t["PCTUB"], 3, ""]]
        for i, dname in enumerate(DISTRICT_DIVISIONS, 1):
            if dist.kind != "huyen":
                dname = DISTRICT_URBAN_RENAMES.get(dname, dname)
            dv = child(
                ubh,
                f"{ubh.code}.P{i:02d}",
                f"{dname} {word} {short}",
                UnitKind.DIVISION,
                NN,
                HUYEN,
                role="division",
            )
            dv.slots = [[t["TP"], 1, ""], [t["PP"], 2 if i in (1, 8) else 1, ""]]
            dv.mass_weight, dv.mass_titles = 3.0, (t["CV"],)
        for code, sname, skind, _succ in DISTRICT_SERVICES:
            if code == "THPT2" and dist.code in ("084", "088"):
                continue
            if code.startswith("THPT"):
                dsu = service(sgd, f"{sgd.code}.{dist.code}{code}", f"{sname} {short}", "gd", [])
                school_names.append(dsu.name)
                continue
            dsu = child(
                ubh,
                f"{ubh.code}.{code}",
                f"{sname} {word} {short}",
                UnitKind.SERVICE,
                SN,
                HUYEN,
                role="service",
            )
            dsu.slots = [[t["SN.H"], 1, ""], [t["SN.D"], 2 if code == "TTYT" else 1, ""]]
            dsu.mass_weight = {"yte": 60.0, "gd": 14.0, "vc": 5.0}[skind]
            dsu.mass_titles = (t[f"{skind.upper()}"],)
            dsu.body = code
        mth = child(
            loc,
            f"{dcode}.MT",
            f"Ủy ban MTTQ Việt Nam {word} {short}",
            UnitKind.FRONT,
            MT,
            HUYEN,
            role="front",
        )
        mth.slots = [[t["CTMT"], 1, ""], [t["PCTMT"], 1, ""]]
        for code, mname in DISTRICT_MASS:
            m = child(
                loc, f"{dcode}.{code}", f"{mname} {word} {short}", UnitKind.FRONT, MT, HUYEN, role="agency"
            )
            m.slots = [[t[f"M{code}"], 1, ""]]
        # Communes of the district.
        district_commune_area_ids[dcode] = []
        for ca in [a for a in old_communes if a.parent_id == dist.pk]:
            district_commune_area_ids[dcode].append(ca.pk)
            word_c = _commune_word(ca.kind)
            cshort = _short(ca.name)
            cl = child(
                loc,
                f"LC.X{ca.code}",
                ca.name,
                UnitKind.LOCALITY,
                NN,
                XA,
                area_id=ca.pk,
                role="commune",
                body="LOC",
            )
            if ca.valid_to and ca.valid_to < dt.date(2025, 6, 30):
                cl.role = "commune_ta_chai"
            communes.append(cl)
            du = child(
                cl,
                f"{cl.code}.DU",
                f"Đảng ủy {word_c} {cshort}",
                UnitKind.PARTY_COMMITTEE,
                DANG,
                XA,
                role="party_committee",
                body="DU",
            )
            du.slots = [[x["BT"], 1, ""], [x["PBT"], 1, ""]]
            hx = child(
                cl,
                f"{cl.code}.HD",
                f"HĐND {word_c} {cshort}",
                UnitKind.PEOPLES_COUNCIL,
                NN,
                XA,
                role="council",
                body="HD",
            )
            hx.slots = [[x["CTHD"], 1, ""], [x["PCTHD"], 1, ""]]
            ux = child(
                cl,
                f"{cl.code}.UB",
                f"UBND {word_c} {cshort}",
                UnitKind.PEOPLES_COMMITTEE,
                NN,
                XA,
                role="committee",
                body="UB",
            )
            ux.slots = [
                [x["CTUB"], 1, ""],
                [x["PCTUB"], 2, ""],
                [x["CHQS"], 1, ""],
                [x["VPTK"], 2, ""],
                [x["DCXD"], 2, ""],
                [x["TCKT"], 2, ""],
                [x["TPHT"], 2, ""],
                [x["VHXH"], 2, ""],
            ]
            mx = child(
                cl,
                f"{cl.code}.MT",
                f"Ủy ban MTTQ Việt Nam {word_c} {cshort}",
                UnitKind.FRONT,
                MT,
                XA,
                role="front",
                body="MT",
            )
            mx.slots = [[x["CTMT"], 1, ""]] + [[x[f"M{m}"], 1, ""] for m in COMMUNE_MASS_TITLES]
    # Commune size: 23 cadres and civil servants in 110 communes, 22 in the other 42 (3,454 in all).
    for c in communes[110:]:
        by_code[f"{c.code}.UB"].slots[5][1] = 1  # one accountant fewer

    # New communes (1/7/2025) under the root, in the 2025 code order.
    new_commune_specs: list[UnitSpec] = []
    lc_new_ids = {succ[c.area_id] for c in communes if c.area_id in succ}
    for a in new_communes:
        word_c = _commune_word(a.kind)
        short = _short(a.name)
        nl = child(
            root,
            f"LC.XM{a.code}",
            a.name,
            UnitKind.LOCALITY,
            NN,
            XA,
            area_id=a.pk,
            role="new_commune",
            valid_from=TWO_TIER,
            body="LOC",
        )
        new_by_area[a.pk] = nl
        new_commune_specs.append(nl)
        du = child(
            nl,
            f"{nl.code}.DU",
            f"Đảng ủy {word_c} {short}",
            UnitKind.PARTY_COMMITTEE,
            DANG,
            XA,
            valid_from=TWO_TIER,
            body="DU",
            role="party_committee",
        )
        child(
            nl,
            f"{nl.code}.HD",
            f"HĐND {word_c} {short}",
            UnitKind.PEOPLES_COUNCIL,
            NN,
            XA,
            valid_from=TWO_TIER,
            body="HD",
            role="council",
        )
        ux = child(
            nl,
            f"{nl.code}.UB",
            f"UBND {word_c} {short}",
            UnitKind.PEOPLES_COMMITTEE,
            NN,
            XA,
            valid_from=TWO_TIER,
            body="UB",
            role="committee",
        )
        for i, dname in enumerate(NEW_COMMUNE_DIVISIONS, 1):
            if a.kind == "phuong":
                dname = WARD_RENAMES.get(dname, dname)
            child(
                ux,
                f"{ux.code}.P{i}",
                dname,
                UnitKind.DIVISION,
                NN,
                XA,
                valid_from=TWO_TIER,
                role="division",
                body=f"P{i}",
            )
        child(
            nl,
            f"{nl.code}.MT",
            f"Ủy ban MTTQ Việt Nam {word_c} {short}",
            UnitKind.FRONT,
            MT,
            XA,
            valid_from=TWO_TIER,
            body="MT",
            role="front",
        )
        del du
    yen_bai = [nl for nl in new_commune_specs if nl.area_id not in lc_new_ids]
    for nl in yen_bai:
        nl.role = "new_commune_yb"

    # Fates of the former communes: each body goes to the same body of its 2025 commune.
    ta_chai = next(c for c in communes if c.role == "commune_ta_chai")
    bac_ha = next(c for c in communes if c.area_id == next(a.pk for a in old_communes if a.code == "02839"))
    for c in communes:
        if c is ta_chai:
            c.valid_to = TA_CHAI_MERGE - dt.timedelta(days=1)
            target = bac_ha
        else:
            c.valid_to = TWO_TIER - dt.timedelta(days=1)
            assert c.area_id is not None  # noqa: S101 (invariant; narrows the type for mypy)
            target = new_by_area[succ[c.area_id]]
        c.successor = target
        for body in c.children:
            body.valid_to = c.valid_to
            body.successor = next(b for b in target.children if b.body == body.body)
    district_new_communes: dict[str, list[UnitSpec]] = {}
    for dl in districts:
        seen: list[UnitSpec] = []
        for c in dl.children:
            if c.role == "commune" and c.successor is not None and c.successor not in seen:
                seen.append(c.successor)
        district_new_communes[dl.code] = seen

    # Department mergers (1/3/2025).
    day_before = DEPARTMENT_MERGE - dt.timedelta(days=1)
    for code, name, sources in NEW_AGENCIES:
        nag = child(
            ub,
            f"LC.UB.{code}",
            f"{name} tỉnh Lào Cai",
            UnitKind.DEPARTMENT,
            NN,
            TINH,
            role="agency",
            valid_from=DEPARTMENT_MERGE,
        )
        for src_code in sources:
            _plan_merge(by_code[f"LC.UB.{src_code}"], nag, day_before, reg)
    for src_code, dst_code in MERGES_INTO:
        _plan_merge(by_code[f"LC.UB.{src_code}"], by_code[f"LC.UB.{dst_code}"], day_before, reg)

    # District public service units taken over by the province's departments (1/7/2025).
    last = TWO_TIER - dt.timedelta(days=1)
    for dl in districts:
        for u in list(dl.walk()):
            if u.role in ("district", "commune") or u.parent is None:
                continue
            if u.valid_to is None:
                u.valid_to = last
        ubh = by_code[f"{dl.code}.UB"]
        for code, sname, _kind, succ_code in DISTRICT_SERVICES:
            dsrv = by_code.get(f"{ubh.code}.{code}")
            if dsrv is None or not succ_code:
                continue
            region = "khu vực " + _short(dl.name)
            parent = by_code[f"LC.UB.{succ_code}"]
            nu = child(
                parent,
                f"{parent.code}.{dl.code[-3:]}{code}",
                f"{sname} {region}",
                UnitKind.SERVICE,
                SN,
                TINH,
                role="service",
                valid_from=TWO_TIER,
                area_id=dl.area_id,
            )
            nu.mass_titles = (staff["yte" if code == "TTYT" else "gd"],)
            dsrv.successor = nu
        dl.valid_to = last
    return Structure(
        root=root,
        titles=cat,
        districts=districts,
        communes=communes,
        new_communes=new_commune_specs,
        yen_bai_communes=yen_bai,
        by_code=by_code,
        province_area_id=old_province.pk,
        district_area_ids=district_area_ids,
        district_commune_area_ids=district_commune_area_ids,
        other_province_area_ids=other_provinces,
        district_new_communes=district_new_communes,
    )


def _plan_merge(src: UnitSpec, dst: UnitSpec, last_day: dt.date, reg: Any) -> None:
    """Plan ``src`` merged into ``dst``: each child goes to ``dst``'s child of the same name,
    created from the merger date when ``dst`` lacks one."""
    src.valid_to = last_day
    src.successor = dst
    start = last_day + dt.timedelta(days=1)
    for c in src.children:
        short = c.name.replace(src.name, "").strip()
        match = next(
            (d for d in dst.children if d.name.replace(dst.name, "").strip() == short and d.open_on(start)),
            None,
        )
        if match is None:
            name = f"{short} {dst.name}" if short in ("Văn phòng", "Thanh tra") else c.name
            match = reg(
                dst.add(
                    code=f"{dst.code}.{c.code.rsplit('.', 1)[-1]}{src.code.rsplit('.', 1)[-1]}",
                    name=name,
                    kind=c.kind,
                    block=c.block,
                    level=c.level,
                    area_id=c.area_id,
                    role=c.role,
                    valid_from=start,
                    mass_titles=c.mass_titles,
                    slots=[],
                )
            )
        _plan_merge(c, match, last_day, reg)


def _fixed_titles(cat: Catalogue, prefix: str) -> dict[str, str]:
    """Add data/titles.toml's titles "<prefix>.X" in the file's order; their codes keyed by X."""
    return {
        c[len(prefix) + 1 :]: cat.fixed(c) for c in load_province()["titles"] if c.startswith(prefix + ".")
    }


def _district_titles(cat: Catalogue) -> dict[str, str]:
    h = HUYEN
    t = _fixed_titles(cat, "H")
    for code, bname, head, _n in DISTRICT_BOARDS:
        dep = (
            head.replace("Chánh", "Phó Chánh")
            .replace("Trưởng", "Phó Trưởng")
            .replace("Chủ nhiệm", "Phó Chủ nhiệm")
        )
        t[f"{code}.H"] = cat.add(
            f"H.{code}.H", f"{head} Huyện ủy", h, G.AGENCY_HEAD, DANG, TRUONG, S_TINH, 56
        )
        t[f"{code}.D"] = cat.add(f"H.{code}.D", f"{dep} Huyện ủy", h, G.AGENCY_DEPUTY, DANG, PHO, S_HUYEN, 44)
        del bname
    for code, mname in DISTRICT_MASS:
        head = "Bí thư Huyện đoàn" if code == "DOAN" else f"Chủ tịch {mname} cấp huyện"
        t[f"M{code}"] = cat.add(f"H.M{code}", head, h, G.AGENCY_HEAD, MT, TRUONG, S_HUYEN, 46)
    return t


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def write_titles(cat: Catalogue, *, acting_user: ActingUser, reason: str) -> None:
    """Create the catalogue's titles (or reuse those already there with the same code)."""
    existing = {t.code: t for t in Title.objects.filter(code__in=list(cat.specs))}
    new: list[Title] = []
    for spec in cat.specs.values():
        if spec.code in existing:
            cat.rows[spec.code] = existing[spec.code]
            continue
        row = Title(
            code=spec.code,
            name=spec.name,
            level=spec.level,
            group=spec.group,
            block=spec.block,
            is_key=spec.is_key,
            is_leader=spec.is_leader,
            head_kind=spec.head_kind,
            management_scope=spec.scope,
            rank=spec.rank,
        )
        new.append(row)
        cat.rows[spec.code] = row
    Title.objects.bulk_create(new)
    bulk_log_created(new, acting_user=acting_user, reason=reason)


def write_units(structure: Structure, *, acting_user: ActingUser, reason: str) -> dict[str, Unit]:
    """Bulk-create the planned tree with materialized paths, then its posts; log both."""
    last_root = Unit.objects.get_last_root_node()
    root_path = last_root._inc_path() if last_root else Unit._get_path(None, 1, 1)
    rows: list[Unit] = []
    specs: list[UnitSpec] = []

    def visit(u: UnitSpec, path: str, depth: int) -> None:
        u.path = path
        # The tree written now holds each unit as it starts; closing dates come from the
        # restructuring services, except for the planned start of later units.
        rows.append(
            Unit(
                path=path,
                depth=depth,
                numchild=len(u.children),
                code=u.code,
                name=u.name,
                kind=u.kind,
                block=u.block,
                level=u.level,
                area_id=u.area_id,
                valid_from=u.valid_from,
                valid_to=None,
            )
        )
        specs.append(u)
        for i, c in enumerate(u.children, 1):
            visit(c, Unit._get_path(path, depth + 1, i), depth + 1)

    visit(structure.root, root_path, 1)
    Unit.objects.bulk_create(rows, batch_size=500)
    by_code = {u.code: u for u in Unit.objects.filter(path__startswith=root_path)}
    for s in specs:
        s.pk = by_code[s.code].pk
    bulk_log_created([by_code[s.code] for s in specs], acting_user=acting_user, reason=reason)
    return by_code


def write_posts(
    structure: Structure, units: dict[str, Unit], *, acting_user: ActingUser, reason: str
) -> dict[tuple[str, str], Post]:
    """One post per title planned in a unit (fixed slots, and the staff titles of the mass)."""
    posts: list[Post] = []
    out: dict[tuple[str, str], Post] = {}
    for u in structure.units():
        seats: dict[str, int] = {}
        for title_code, n, _g in u.slots:
            seats[title_code] = seats.get(title_code, 0) + n
        for title_code in u.mass_titles:
            seats.setdefault(title_code, 0)
        for title_code, n in seats.items():
            p = Post(
                unit=units[u.code],
                title=structure.titles.rows[title_code],
                seats=max(1, n),
                valid_from=u.valid_from,
            )
            posts.append(p)
            out[(u.code, title_code)] = p
    Post.objects.bulk_create(posts, batch_size=1000)
    bulk_log_created(posts, acting_user=acting_user, reason=reason)
    return out


def run_events(structure: Structure, units: dict[str, Unit], *, acting_user: ActingUser) -> int:
    """Apply the planned restructuring through the services, in date order. Returns the count.

    The change-log entries of the ~860 operations are written together at the end
    (``core.services.deferred_log``): the same entries, in the same order, as one by one. No
    person exists yet, so the careers hook that closes a unit's tenures and memberships knows
    the units empty (``careers.units.units_known_empty``) instead of reading each."""
    with deferred_log(), units_known_empty(u.pk for u in units.values()):
        return _run_events(structure, units, acting_user=acting_user)


def _merging(src: UnitSpec, on: dt.date) -> Iterator[UnitSpec]:
    """``src``'s children that close the day before ``on`` into a successor (depth first, each
    child's own such children before it), then ``src``: the order of one merge after another."""
    for c in src.children:
        if c.valid_to is not None and c.valid_to == on - dt.timedelta(days=1) and c.successor is not None:
            yield from _merging(c, on)
    yield src


def _run_events(structure: Structure, units: dict[str, Unit], *, acting_user: ActingUser) -> int:
    """The merges of each day and basis in one ``unit_merge_each`` batch (in the order one merge
    after another took: each subtree depth first), then the districts' dissolutions."""
    n = 0

    def merge_all(tops: list[UnitSpec], on: dt.date, basis: str) -> None:
        nonlocal n
        specs = [u for top in tops for u in _merging(top, on)]
        read = Unit.objects.in_bulk(
            [u.pk for u in specs] + [u.successor.pk for u in specs if u.successor is not None]
        )
        pairs = []
        for u in specs:
            assert u.successor is not None  # noqa: S101 (invariant; narrows the type for mypy)
            pairs.append((read[u.pk], read[u.successor.pk]))
        unit_merge_each(acting_user=acting_user, pairs=pairs, on=on, basis=basis)
        n += len(pairs)

    # 1/11/2024: Tà Chải into Thị trấn Bắc Hà.
    merge_all([c for c in structure.communes if c.role == "commune_ta_chai"], TA_CHAI_MERGE, BASIS_TA_CHAI)
    # 1/3/2025: department mergers (children first, then the department).
    merge_all(
        [
            u
            for u in structure.units()
            if u.role == "agency"
            and u.valid_to == DEPARTMENT_MERGE - dt.timedelta(days=1)
            and u.level == TINH
        ],
        DEPARTMENT_MERGE,
        BASIS_DEPARTMENTS,
    )
    # 1/7/2025: communes into the new communes, district services to the departments, districts end.
    merge_all([c for c in structure.communes if c.role == "commune"], TWO_TIER, BASIS_COMMUNES)
    # A service is merged alone (without the children ``_merging`` would add), as before.
    services = [
        (u, u.successor)
        for d in structure.districts
        for u in d.walk()
        if u.role == "service" and u.successor is not None
    ]
    read = Unit.objects.in_bulk([u.pk for u, _to in services] + [to.pk for _u, to in services])
    unit_merge_each(
        acting_user=acting_user,
        pairs=[(read[u.pk], read[to.pk]) for u, to in services],
        on=TWO_TIER,
        basis=BASIS_DISTRICT_SERVICES,
    )
    n += len(services)
    for d in structure.districts:
        unit_dissolve(
            acting_user=acting_user, unit=Unit.objects.get(pk=d.pk), on=TWO_TIER, basis=BASIS_DISTRICTS
        )
        n += 1
    return n
