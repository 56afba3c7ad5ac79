"""The deterministic demo-province generator (C19): ``generate()`` builds it, ``wipe()`` removes it.

Same size, seed and horizon give the same data. The fixed part (leadership, commune cadres,
elected bodies) does not scale and reproduces the baselines of INDICATORS.md §2 as of
11/12/2020; the mass of ordinary staff scales with ``size`` and is written in batches, so memory
stays bounded up to the 2,500,000 people of the national benchmark. Audited models are written
with ``core.bulkwrite.BulkWriter`` and logged with ``BulkWriter.log_objects`` in the "generator" context
(STYLE.md allows this to an import or a generator that writes its own log entries).
See docs/demo-data.md.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import partial
from typing import Any

from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Q as DjQ
from django.utils import timezone

from canbo.accounts.models import Grant
from canbo.assessment.models import Award, Discipline, Rating
from canbo.careers.models import BodyMembership, Tenure, TenureKind
from canbo.core.bulkwrite import BulkWriter, analyze_all, build_connection
from canbo.core.context import bind_context
from canbo.core.errors import DomainError
from canbo.core.models import ObjectChange
from canbo.core.services import log_change
from canbo.core.text import fold, normalize_name, split_name
from canbo.core.vnsort import name_sort_key
from canbo.demo import names
from canbo.demo.models import DemoDataset
from canbo.demo.people import (
    BASELINE,
    DAY,
    EARLY_RETIREMENT,
    ELECTED_GROUPS,
    P,
    Planner,
    Q,
    Seg,
    _st,
    add_years,
    rand_date,
)
from canbo.demo.salary import SalaryHistories, set_salary_fields
from canbo.demo.structure import (
    ROOT_CODE,
    SN,
    TINH,
    XA,
    Structure,
    plan_structure,
    run_events,
    write_posts,
    write_titles,
    write_units,
)
from canbo.org.choices import TitleGroup as G
from canbo.org.models import AdminArea, Post, Title, Unit, UnitFormerName, UnitLineage
from canbo.org.services import areas_load
from canbo.people.choices import level_rank
from canbo.people.models import (
    Ethnicity,
    FamilyRelation,
    HealthRecord,
    PartyMembership,
    Person,
    PersonSection,
    Qualification,
    Religion,
    ServiceEvent,
    WorkHistory,
)
from canbo.people.service_history import derived_fields, exit_kind
from canbo.people.validators import make_personal_id
from canbo.rules.selectors import rulebook
from canbo.salary.models import SalaryRow

GENERATOR_VERSION = 3  # 2: persons carry the Vietnamese sort key; 3: salary histories
DEFAULT_SIZE = 40_000
MAX_SIZE = 2_500_000
DEFAULT_SEED = 2020
REASON = "Tạo dữ liệu tỉnh mẫu (tổng hợp)"
BATCH = 1000  # people built, inserted and logged together (the memory of a build)
# People written per transaction: a commit per batch wrote the same hot index pages (the
# person table's random keys, the change log's) into SQLite's WAL again at every commit; see
# docs/performance.md, "Session 13: the demo build (writing the rows)".
TRANSACTION_PEOPLE = 10_000
EARLIEST_HORIZON = dt.date(2026, 1, 1)
MASS_RECRUIT_END = dt.date(2025, 12, 31)

Progress = Callable[[str], None]


class Phases:
    """Wall and CPU seconds per phase of a build, summed over its batches (printed at the end).

    CPU is ``time.process_time()``: on SQLite it includes the database's own work, on
    PostgreSQL only this process's (the server's is not counted)."""

    LABELS = {
        "plan": "lập danh sách người (phần cố định)",
        "catalogue": "chức danh, cây đơn vị, vị trí",
        "events": "sắp xếp tổ chức",
        "mass": "lập danh sách người (phần theo quy mô)",
        "persons": "dựng hồ sơ",
        "sections": "dựng các phần hồ sơ",
        "salary": "diễn biến lương",
        "insert": "ghi hồ sơ và các phần",
        "log": "ghi lịch sử thay đổi",
        "facts": "dựng bảng dữ kiện chỉ tiêu",
        "analyze": "cập nhật thống kê (ANALYZE)",
    }

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        w, c = time.monotonic(), time.process_time()
        try:
            yield
        finally:
            self.wall[name] = self.wall.get(name, 0.0) + time.monotonic() - w
            self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - c

    def report(self) -> list[str]:
        """One line per phase, in the order they first ran."""
        out = []
        for name, wall in self.wall.items():
            line = f"  {self.LABELS.get(name, name)}: {wall:.1f} giây ({self.cpu[name]:.1f} giây CPU)"
            out.append(line.replace(".", ","))
        return out


def _n(value: int) -> str:
    """A count written the Vietnamese way: 40.000."""
    return f"{value:,}".replace(",", ".")


def generator_user() -> User:
    """The acting user of the generator: an unsaved superuser, so the log names the generator
    ("Trình tạo dữ liệu mẫu") without creating an account."""
    return User(username="trinh-tao-du-lieu-mau", first_name="Trình tạo dữ liệu mẫu", is_superuser=True)


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


# The size of the fixed part of each seed already planned in this process (``minimum_size`` or a
# build): a smaller ``size`` is then refused before anything is loaded, planned or written.
_fixed_sizes: dict[int, int] = {}


def _structure_rng(seed: int) -> random.Random:
    return random.Random(f"canbo-demo:{seed}:structure")  # noqa: S311 (seeded on purpose: the demo province must be reproducible, not secret)


def minimum_size(seed: int = DEFAULT_SEED) -> int:
    """The number of people of the fixed structure (the smallest allowed ``size``), planned as
    ``generate`` plans it (the same structure), once per seed in a process."""
    known = _fixed_sizes.get(seed)
    if known is not None:
        return known
    areas_load()
    planner = Planner(plan_structure(_structure_rng(seed)), seed)
    planner.plan_fixed()
    _fixed_sizes[seed] = len(planner.people)
    return len(planner.people)


def _too_small(size: int, fixed: int) -> DomainError:
    return DomainError(
        f"Quy mô {_n(size)} người quá nhỏ: cơ cấu cố định của tỉnh mẫu "
        "(lãnh đạo, cán bộ cấp xã, đại biểu HĐND) "
        f"cần ít nhất {_n(fixed)} người. Hãy dùng --size {fixed} trở lên."
    )


def generate(
    *,
    size: int = DEFAULT_SIZE,
    seed: int = DEFAULT_SEED,
    horizon: dt.date | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Build the demo province (or do nothing when the same one is already there).

    ``horizon`` is the last day the generated history runs to: retirements and other events after
    it are not recorded. It defaults to today (``canbo.core.dates.today``) for a new build; when
    it is not given and a complete data set of the same size and seed exists, that one is kept.
    Returns the counts; ``counts["unchanged"]`` is True for a no-op.
    """
    from canbo.core.dates import today

    say = progress or (lambda _msg: None)
    if size < 1 or size > MAX_SIZE:
        raise DomainError(f"Quy mô phải từ 1 đến {_n(MAX_SIZE)} người.")
    fixed = _fixed_sizes.get(seed)
    if fixed is not None and size < fixed:
        raise _too_small(size, fixed)  # known already: refused before anything is loaded or planned
    say("Nạp danh mục đơn vị hành chính…")
    areas_load()
    marker = DemoDataset.objects.order_by("-pk").first()
    if (
        marker is not None
        and marker.complete
        and marker.size == size
        and marker.seed == seed
        and marker.generator_version == GENERATOR_VERSION
        and (horizon is None or marker.horizon == horizon)
    ):
        return {**marker.counts, "unchanged": True, "horizon": marker.horizon.isoformat()}
    horizon = horizon or today()
    if horizon < EARLIEST_HORIZON:
        raise DomainError(
            f"Ngày kết thúc dữ liệu phải từ {EARLIEST_HORIZON:%d/%m/%Y} trở đi "
            "(sau khi sắp xếp đơn vị hành chính năm 2025)."
        )
    started = time.monotonic()
    phases = Phases()
    structure = plan_structure(_structure_rng(seed))
    planner = Planner(structure, seed)
    say("Lập danh sách cán bộ chủ chốt, cán bộ cấp xã và đại biểu (phần cố định)…")
    with phases("plan"):
        planner.plan_fixed()
    fixed = _fixed_sizes[seed] = len(planner.people)
    if size < fixed:
        raise _too_small(size, fixed)
    user = generator_user()
    with bind_context(source="generator"):
        if marker is not None or Unit.objects.filter(code=ROOT_CODE).exists():
            say("Xóa dữ liệu tỉnh mẫu cũ…")
            wipe()
        marker = DemoDataset.objects.create(
            size=size, seed=seed, horizon=horizon, generator_version=GENERATOR_VERSION, root_code=ROOT_CODE
        )
        writer = Writer(structure, planner, seed=seed, horizon=horizon, user=user, phases=phases)
        say("Tạo danh mục chức danh, cây đơn vị và vị trí…")
        with phases("catalogue"), transaction.atomic():
            write_titles(structure.titles, acting_user=user, reason=REASON)
            writer.units = write_units(structure, acting_user=user, reason=REASON)
            writer.posts = write_posts(structure, writer.units, acting_user=user, reason=REASON)
        say("Sắp xếp tổ chức: nhập xã Tà Chải (2024), hợp nhất sở (2025), chính quyền hai cấp (01/7/2025)…")
        with phases("events"), transaction.atomic():
            events = run_events(structure, writer.units, acting_user=user)
        writer.units = {u.code: u for u in Unit.objects.filter(code__startswith=ROOT_CODE)}
        _check_structure(structure, writer.units)
        with build_connection():
            say(f"Ghi {_n(fixed)} người của phần cố định…")
            writer.write(planner.people, say)
            planner.people = []
            mass = size - fixed
            say(f"Ghi {_n(mass)} công chức, viên chức (phần theo quy mô)…")

            def mass_batches() -> Iterator[list[P]]:
                batches = planner_mass(planner, mass, seed)
                while True:
                    with phases("mass"):
                        batch = next(batches, None)
                    if batch is None:
                        return
                    yield batch

            writer.write_all(mass_batches(), lambda: say(f"  … {_n(writer.persons)}/{_n(size)} người"))
        with phases("facts"):
            # The bulk writes left the indicators' fact tables stale: rebuilt once, at the end.
            from canbo.indicators.facts import rebuild_if_stale

            rebuild_if_stale()
        with phases("analyze"):
            analyze_all()
        say("Thời gian theo từng bước:")
        for line in phases.report():
            say(line)
        counts = writer.counts()
        counts["events"] = events
        marker.counts = counts
        marker.complete = True
        marker.finished = timezone.now()
        marker.seconds = round(time.monotonic() - started, 1)
        marker.save()
    return {**counts, "unchanged": False, "horizon": horizon.isoformat(), "seconds": marker.seconds}


def _check_structure(structure: Structure, units: dict[str, Unit]) -> None:
    """The services closed exactly the units the plan closes (a guard against drift)."""
    for spec in structure.units():
        got = units[spec.code].valid_to
        if got != spec.valid_to:
            raise RuntimeError(f"{spec.code}: valid_to {got} != planned {spec.valid_to}")


# --------------------------------------------------------------------------------------------
# The mass of ordinary staff
# --------------------------------------------------------------------------------------------


def planner_mass(planner: Planner, count: int, seed: int) -> Iterator[list[P]]:
    """Yield the scalable staff in batches of ``BATCH`` people (each batch its own RNG)."""
    s = planner.s
    pool = [u for u in s.units() if u.mass_weight > 0 and u.open_on(BASELINE) and u.mass_titles]
    cum: list[float] = []
    total = 0.0
    for u in pool:
        total += u.mass_weight
        cum.append(total)
    female = {"T.YT": 0.68, "H.YTE": 0.66, "T.GV": 0.66, "H.GD": 0.7, "T.VC": 0.5, "H.VC": 0.45}
    communes = [c.area_id for c in s.communes]
    base = 10_000_000

    def batch(batch_no: int, first: int, n: int) -> list[P]:
        """The people ``first`` to ``first + n - 1`` of the mass."""
        rng = random.Random(f"canbo-demo:{seed}:mass:{batch_no}")  # noqa: S311 (seeded on purpose: the demo province must be reproducible, not secret)
        out: list[P] = []
        for i in range(n):
            p = P(idx=base + first + i)
            unit = pool[bisect.bisect_left(cum, rng.random() * total)]
            title = unit.mass_titles[0]
            p.sex = "nu" if rng.random() < female.get(title, 0.42) else "nam"
            recruit = rand_date(rng, dt.date(1990, 1, 1), MASS_RECRUIT_END)
            p.birth = add_years(recruit, -rng.randint(21, 30)) - dt.timedelta(days=rng.randrange(365))
            p.recruit = recruit
            p.eth = names.pick(rng, names.OFFICIAL_ETHNICITIES)
            p.rel = names.pick(rng, names.RELIGIONS if p.eth == "01" else names.MINORITY_RELIGIONS)
            p.name = names.full_name(rng, ethnicity=p.eth, female=p.sex == "nu")
            x = rng.random()
            if unit.district is not None and x < 0.55:
                p.home = rng.choice(s.district_commune_area_ids[unit.district.code])
            elif p.eth != "01" or x < 0.8:
                p.home = rng.choice(communes)
            else:
                p.home = rng.choice(s.other_province_area_ids)
            p.birthplace = p.home if rng.random() < 0.85 else rng.choice(communes)
            # The unit in force at recruitment (following the restructuring if needed).
            seg_unit, seg_title = unit, title
            while seg_unit.valid_to is not None and recruit > seg_unit.valid_to:
                nxt = planner.fate(p, seg_unit, seg_title, seg_unit.valid_to + DAY, rng)
                if nxt is None:
                    assert seg_unit.district is not None  # noqa: S101 (invariant; narrows the type for mypy)
                    nxt = planner._take(
                        s.district_new_communes[seg_unit.district.code][0], [("P1", "X.CV", 0)]
                    )
                seg_unit, seg_title = nxt
            p.segs = [Seg(seg_unit, seg_title, TenureKind.RECRUITED, recruit)]
            # Some transfers between units of the same kind.
            if rng.random() < 0.08 and recruit < dt.date(2022, 1, 1):
                when = rand_date(rng, add_years(recruit, 3), dt.date(2024, 12, 31))
                other = pool[bisect.bisect_left(cum, rng.random() * total)]
                if other.open_on(when) and other is not seg_unit and seg_unit.open_on(when):
                    p.segs[-1].end = when - DAY
                    p.segs[-1].end_reason = "Điều động, chuyển công tác"
                    p.segs.append(Seg(other, other.mass_titles[0], TenureKind.TRANSFERRED, when))
            planner.forward(p, rng)
            if p.left is None and rng.random() < 0.01:
                p.left = rand_date(rng, add_years(recruit, 2), dt.date(2025, 12, 31))
                p.left_reason = "Chuyển công tác ngoài tỉnh"
                cut = [g for g in p.segs if g.start < p.left]
                if cut:
                    cut[-1].end = p.left - DAY
                    cut[-1].end_reason = p.left_reason
                    p.segs = cut
                else:
                    p.left = None
            _mid_career_exit(p, seed)
            out.append(p)
        return out

    made = 0
    batch_no = 0
    while made < count:
        n = min(BATCH, count - made)
        out = batch(batch_no, made, n)
        made += n
        batch_no += 1
        yield out


RESIGNED = "Thôi việc theo nguyện vọng"
MOVED_AWAY = "Chuyển công tác ra ngoài tỉnh"
DECEASED = "Từ trần"


def _mid_career_exit(p: P, seed: int) -> None:
    """About 1.2% of the scalable staff resign, 0.8% move to another province and 0.2% die in
    service, at a date between three years after recruitment and the end of 2025; their posts
    end the day before. Their own random stream, so that nobody else's data changes. The
    scalable staff hold no baseline post or seat, so no baseline changes either."""
    if p.recruit is None:
        return
    rng = random.Random(f"canbo-demo:{seed}:exit:{p.idx}")  # noqa: S311 (seeded on purpose: the demo province must be reproducible, not secret)
    x = rng.random()
    if x >= 0.022:
        return
    lo = add_years(p.recruit, 3)
    if lo >= dt.date(2025, 12, 31):
        return
    when = rand_date(rng, lo, dt.date(2025, 12, 31))
    cut = [g for g in p.segs if g.start < when]
    # ``forward`` has set everybody's retirement (``p.left``), most of them in the future.
    if not cut or (p.left is not None and p.left <= when):
        return
    p.left, p.left_reason = when, DECEASED if x < 0.002 else RESIGNED if x < 0.014 else MOVED_AWAY
    cut[-1].end, cut[-1].end_reason = when - DAY, p.left_reason
    p.segs = cut


# --------------------------------------------------------------------------------------------
# Writing people
# --------------------------------------------------------------------------------------------


FIELDS_OF_STUDY = [
    "Luật",
    "Kinh tế",
    "Quản lý nhà nước",
    "Hành chính học",
    "Kế toán",
    "Tài chính – Ngân hàng",
    "Nông học",
    "Lâm sinh",
    "Quản lý đất đai",
    "Xây dựng Đảng và chính quyền nhà nước",
    "Công nghệ thông tin",
    "Sư phạm Toán",
    "Sư phạm Ngữ văn",
    "Y đa khoa",
    "Điều dưỡng",
    "Chăn nuôi – Thú y",
]
INSTITUTIONS = [
    "Trường Đại học Luật Hà Nội",
    "Học viện Hành chính Quốc gia",
    "Trường Đại học Kinh tế Quốc dân",
    "Trường Đại học Nông Lâm – Đại học Thái Nguyên",
    "Trường Đại học Sư phạm – Đại học Thái Nguyên",
    "Trường Đại học Y Dược – Đại học Thái Nguyên",
    "Học viện Chính trị quốc gia Hồ Chí Minh",
    "Trường Cao đẳng Lào Cai",
    "Trường Đại học Tây Bắc",
    "Trường Đại học Hùng Vương",
]
AWARDS = [
    ("Giấy khen của Chủ tịch UBND huyện", "UBND huyện"),
    ("Bằng khen của Chủ tịch UBND tỉnh", "UBND tỉnh Lào Cai"),
    ("Chiến sĩ thi đua cơ sở", "Thủ trưởng cơ quan"),
    ("Giấy khen của Ban Thường vụ Huyện ủy", "Huyện ủy"),
]
OCCUPATIONS = [
    "Giáo viên hợp đồng",
    "Nhân viên hợp đồng",
    "Cán bộ không chuyên trách",
    "Bộ đội xuất ngũ",
    "Làm nông nghiệp",
]


class Writer:
    """Turns planned people into rows, batch by batch, and logs every row it writes."""

    def __init__(
        self,
        structure: Structure,
        planner: Planner,
        *,
        seed: int,
        horizon: dt.date,
        user: Any,
        phases: Phases | None = None,
    ) -> None:
        self.phases = phases or Phases()
        self.s = structure
        self.t = structure.titles
        self.horizon = horizon
        self.user = user
        self.seed = seed
        self.units: dict[str, Unit] = {}
        self.posts: dict[tuple[str, str], Post] = {}
        self.persons = 0
        self.rows: dict[str, int] = {}
        self.ethnicity = {e.code: e for e in Ethnicity.objects.all()}
        self.religion = {r.code: r for r in Religion.objects.all()}
        self.area: dict[int, AdminArea] = {a.pk: a for a in AdminArea.objects.all()}
        self.area_texts: dict[int | None, str] = {}
        # A planned name → its normalised form, its three parts, its folded form and sort key.
        self.names: dict[str, tuple[str, str, str, str, str, str]] = {}
        self.serial: dict[tuple[str, str], int] = {}
        self.serial_rng = random.Random(f"canbo-demo:{seed}:pid")  # noqa: S311 (seeded on purpose: the demo province must be reproducible, not secret)
        self.inserter = BulkWriter(acting_user=user, reason=REASON)
        self.salary = SalaryHistories(
            seed=seed, horizon=horizon, book=rulebook(), make=self.inserter.maker(SalaryRow)
        )

    # -- helpers -----------------------------------------------------------------------------
    def _prefix(self, area_id: int | None) -> str:
        a = self.area.get(area_id) if area_id else None
        while a is not None and a.level != "tinh":
            a = self.area.get(a.parent_id) if a.parent_id else None
        if a is None:
            return "010"
        if a.dataset == AdminArea.Dataset.CURRENT:
            return "015"  # the 2025 communes of new Lào Cai in this data set come from former Yên Bái
        return f"{int(a.code):03d}"

    def _pid(self, p: P) -> str:
        prefix = self._prefix(p.birthplace)
        digit = str(((p.birth.year - 1900) // 100) * 2 + (1 if p.sex == "nu" else 0))
        key = (prefix + digit, f"{p.birth.year % 100:02d}")
        serial = self.serial.get(key)
        if serial is None:
            serial = self.serial_rng.randrange(1000, 90_000)
        serial += self.serial_rng.randint(1, 9)
        if serial >= 1_000_000:
            raise RuntimeError("personal id serials exhausted")
        self.serial[key] = serial
        return make_personal_id(province_prefix=prefix, sex=p.sex, birth_year=p.birth.year, serial=serial)

    def _area_text(self, area_id: int | None) -> str:
        """The area's name and its parents' (made once per area: two per person)."""
        text = self.area_texts.get(area_id)
        if text is None:
            text = self.area_texts[area_id] = self._area_path(area_id)
        return text

    def _area_path(self, area_id: int | None) -> str:
        parts: list[str] = []
        a = self.area.get(area_id) if area_id else None
        while a is not None:
            parts.append(a.name)
            a = self.area.get(a.parent_id) if a.parent_id else None
        return ", ".join(parts)

    def _cut(self, p: P) -> None:
        """Drop or open what lies after the horizon."""
        h = self.horizon
        p.segs = [g for g in p.segs if g.start <= h]
        for g in p.segs:
            if g.end is not None and g.end > h:
                g.end, g.end_reason = None, ""
        if p.left is not None and p.left > h:
            p.left, p.left_reason = None, ""
        p.mems = [m for m in p.mems if m.start <= h]
        for m in p.mems:
            if m.end is not None and m.end > h:
                m.end = None

    def _category(self, p: P) -> str:
        if p.citizen or not p.segs:
            return "dai_bieu"
        t = self.t[p.segs[-1].title]
        if (
            t.group in ELECTED_GROUPS
            or t.group == G.COMMUNE_CADRE
            or (t.block == "mat_tran" and t.head_kind == "truong")
        ):
            return "can_bo"
        if t.block == SN:
            return "vien_chuc"
        return "cong_chuc"

    # -- planning of the dossier sections ------------------------------------------------------
    def _quals(self, p: P, rng: random.Random) -> list[Q]:
        out: list[Q] = []
        lo = add_years(p.birth, 18)
        first = p.segs[0] if p.segs else None
        title = self.t[first.title] if first else None
        leader = bool(p.seat and self.t[_st(p)].is_leader) or bool(title and title.is_leader)
        d_cap = BASELINE - 30 * DAY

        def when(a: dt.date, b: dt.date) -> dt.date:
            return rand_date(rng, max(a, lo), max(max(a, lo), b))

        study = rng.choice(FIELDS_OF_STUDY)
        grad = add_years(p.birth, 22) + dt.timedelta(days=rng.randrange(700))
        # Professional.
        if p.master is not None or p.univ is True:
            grad = min(grad, d_cap - 2 * 365 * DAY) if p.master else min(grad, d_cap)
            out.append(Q("chuyen_mon", "dai_hoc", grad, study))
            if p.master:
                out.append(
                    Q(
                        "chuyen_mon",
                        "tien_si" if rng.random() < 0.06 else "thac_si",
                        when(grad + 700 * DAY, d_cap),
                        study,
                    )
                )
            elif p.master is False and rng.random() < 0.12:
                out.append(
                    Q("chuyen_mon", "thac_si", when(BASELINE + 200 * DAY, dt.date(2025, 6, 30)), study)
                )
        elif p.univ is False:
            out.append(
                Q(
                    "chuyen_mon",
                    rng.choice(["trung_cap", "cao_dang", "trung_cap"]),
                    min(add_years(p.birth, 20), d_cap),
                    study,
                )
            )
            if rng.random() < 0.35:
                out.append(
                    Q("chuyen_mon", "dai_hoc", when(BASELINE + 200 * DAY, dt.date(2025, 6, 30)), study)
                )
        elif not p.citizen:
            x = rng.random()
            level = (
                "dai_hoc" if x < 0.72 else "cao_dang" if x < 0.84 else "trung_cap" if x < 0.94 else "thac_si"
            )
            if level == "thac_si":
                out.append(Q("chuyen_mon", "dai_hoc", grad, study))
                grad = add_years(grad, rng.randint(2, 8))
            out.append(Q("chuyen_mon", level, grad, study))
        elif rng.random() < 0.45:
            out.append(Q("chuyen_mon", rng.choice(["trung_cap", "cao_dang", "dai_hoc"]), grad, study))
        # Political theory.
        if p.lct is True:
            out.append(
                Q(
                    "ly_luan_chinh_tri",
                    "cao_cap" if rng.random() < 0.04 else "trung_cap",
                    when(dt.date(2006, 1, 1), d_cap),
                )
            )
        elif p.lct is False:
            if rng.random() < 0.5:
                out.append(Q("ly_luan_chinh_tri", "so_cap", when(dt.date(2008, 1, 1), d_cap)))
            if rng.random() < 0.4:
                out.append(
                    Q("ly_luan_chinh_tri", "trung_cap", when(BASELINE + 120 * DAY, dt.date(2025, 6, 30)))
                )
        elif leader and first is not None:
            level = "cao_cap" if rng.random() < 0.65 else "trung_cap"
            out.append(
                Q(
                    "ly_luan_chinh_tri",
                    level,
                    when(add_years(p.birth, 27), max(first.start, add_years(p.birth, 28))),
                )
            )
        elif not p.citizen:
            x = rng.random()
            if x < 0.3:
                out.append(
                    Q("ly_luan_chinh_tri", "trung_cap", when(add_years(p.birth, 26), add_years(p.birth, 40)))
                )
            elif x < 0.55:
                out.append(
                    Q("ly_luan_chinh_tri", "so_cap", when(add_years(p.birth, 23), add_years(p.birth, 35)))
                )
        if p.citizen:
            return [q for q in out if q.obtained <= self.horizon]
        # State management, foreign language, IT.
        if leader and rng.random() < 0.8:
            out.append(
                Q(
                    "quan_ly_nha_nuoc",
                    "chuyen_vien_chinh" if rng.random() < 0.7 else "chuyen_vien",
                    when(add_years(p.birth, 28), add_years(p.birth, 45)),
                )
            )
        elif rng.random() < 0.4:
            out.append(
                Q("quan_ly_nha_nuoc", "chuyen_vien", when(add_years(p.birth, 24), add_years(p.birth, 40)))
            )
        lang = "Tiếng Anh" if rng.random() < 0.93 else "Tiếng Trung"
        if p.b2 is True:
            out.append(Q("ngoai_ngu", "b2", when(dt.date(2012, 1, 1), d_cap), language=lang))
        elif p.b2 is False:
            out.append(
                Q(
                    "ngoai_ngu",
                    rng.choice(["b1", "a2", "b", "c"]),
                    when(dt.date(2005, 1, 1), d_cap),
                    language=lang,
                )
            )
            if rng.random() < 0.15:
                out.append(
                    Q("ngoai_ngu", "b2", when(BASELINE + 90 * DAY, dt.date(2025, 9, 30)), language=lang)
                )
        elif rng.random() < 0.6:
            level = "b2" if rng.random() < 0.08 else rng.choice(["a2", "b1", "b", "c"])
            out.append(
                Q("ngoai_ngu", level, when(add_years(p.birth, 21), add_years(p.birth, 35)), language=lang)
            )
        if rng.random() < 0.7:
            level = "co_ban" if p.birth.year > 1975 else "b"
            out.append(Q("tin_hoc", level, when(add_years(p.birth, 21), add_years(p.birth, 38))))
        if title is not None and title.level == XA and p.eth == "01" and rng.random() < 0.15:
            out.append(
                Q(
                    "tieng_dtts",
                    "chung_chi",
                    when(add_years(p.birth, 24), add_years(p.birth, 40)),
                    language="Tiếng Mông",
                )
            )
        return [q for q in out if q.obtained <= self.horizon]

    # -- the batch ----------------------------------------------------------------------------
    def write(self, people: list[P], say: Progress, *, quiet: bool = False) -> None:
        """Write ``people`` in batches of ``BATCH`` (``TRANSACTION_PEOPLE`` to a transaction)."""
        chunks = (people[start : start + BATCH] for start in range(0, len(people), BATCH))
        self.write_all(chunks, (lambda: None) if quiet else (lambda: say(f"  … {_n(self.persons)} người")))

    def write_all(self, chunks: Iterator[list[P]], after: Callable[[], None]) -> None:
        """Write each chunk (built, inserted and logged together: memory is bounded by a chunk),
        committing once per ``TRANSACTION_PEOPLE`` people rather than per chunk; ``after`` runs
        after each chunk (the progress line)."""
        # Inside a caller's transaction (a test's) the atomic blocks are savepoints: one per chunk
        # as before, since SQLite keeps a copy of every page a savepoint changes until it is
        # released (a savepoint of 10,000 people made the demo test's memory double).
        limit = 0 if connection.in_atomic_block else TRANSACTION_PEOPLE
        pending = iter(chunks)
        done = False
        while not done:
            written = 0
            with transaction.atomic():
                for chunk in pending:
                    self._write_chunk(chunk)
                    after()
                    written += len(chunk)
                    if written >= limit:
                        break
                else:
                    done = True

    def _service_events(self, p: P, first: Seg | None) -> list[ServiceEvent]:
        """The person's service events, consistent with his posts: the entry on ``p.recruit``
        (the start of his first post or earlier), the exit on ``p.left`` (the day after his last
        post ended). About one official in twelve came from another province (transfer in, no
        recruitment here). Of those who left at the 2025 restructuring (Decree 178/2024), some
        resigned, some moved to another province and a few died; the rest retired early. The
        dates are those the planner gave, so posts, seats and baselines are unchanged; a citizen
        deputy has no service event (in service from 18, docs/architecture.md)."""
        new = self.inserter.maker
        if p.citizen:
            return []
        rng = random.Random(f"canbo-demo:{self.seed}:service:{p.idx}")  # noqa: S311 (seeded on purpose: the demo province must be reproducible, not secret)
        out: list[ServiceEvent] = []
        if p.recruit is not None:
            transfer_in = rng.random() < 0.08
            body = first.unit.name if first is not None else ""
            out.append(
                new(ServiceEvent)(
                    kind="chuyen_den" if transfer_in else "tuyen_dung",
                    event_date=p.recruit,
                    decision_number=f"{rng.randint(10, 2999)}/QĐ-UBND",
                    decision_date=p.recruit - dt.timedelta(days=rng.randint(5, 30)),
                    issuing_body=body[:200],
                    details="Chuyển công tác từ tỉnh khác đến" if transfer_in else "",
                )
            )
        if p.left is not None:
            kind, details = exit_kind(p.left_reason), p.left_reason
            if p.left_reason == DECEASED:
                details = ""
            if p.left_reason == EARLY_RETIREMENT:
                x = rng.random()
                if x < 0.15:
                    kind, details = "thoi_viec", "Nghỉ thôi việc theo Nghị định 178/2024/NĐ-CP"
                elif x < 0.27:
                    kind, details = "chuyen_di", "Chuyển công tác ra ngoài tỉnh"
                elif x < 0.30:
                    kind, details = "tu_tran", ""
            out.append(
                new(ServiceEvent)(
                    kind=kind,
                    event_date=p.left,
                    decision_number="" if kind == "tu_tran" else f"{rng.randint(10, 2999)}/QĐ-UBND",
                    decision_date=None
                    if kind == "tu_tran"
                    else p.left - dt.timedelta(days=rng.randint(15, 60)),
                    details=details[:300],
                )
            )
        return out

    def _write_chunk(self, chunk: list[P]) -> None:
        phase = self.phases
        with phase("persons"):
            persons, service_events = self._persons(chunk)
        with phase("insert"):
            self.inserter.insert_objects(persons)
        self.persons += len(persons)
        self._count("Person", len(persons))
        with phase("sections"):
            sections = self._all_sections(chunk, persons, service_events)
        with phase("salary"):
            set_salary_fields(persons)
        with phase("insert"):
            for model in (
                Tenure,
                BodyMembership,
                Qualification,
                PartyMembership,
                WorkHistory,
                Rating,
                FamilyRelation,
                HealthRecord,
                Award,
                Discipline,
                ServiceEvent,
                SalaryRow,
            ):
                rows = sections.get(model, [])
                if rows:
                    self.inserter.insert_objects(rows)
                    self._count(model.__name__, len(rows))
        with phase("log"):
            self.inserter.log_objects(persons)
            for model_rows in sections.values():
                self.inserter.log_objects(model_rows)

    def _persons(self, chunk: list[P]) -> tuple[list[Person], list[list[ServiceEvent]]]:
        """The unsaved persons of ``chunk`` and the service events of each."""
        new = self.inserter.maker
        persons: list[Person] = []
        service_events: list[list[ServiceEvent]] = []
        for p in chunk:
            self._cut(p)
            rng = random.Random(f"canbo-demo:{self.seed}:person:{p.idx}")  # noqa: S311 (seeded on purpose: the demo province must be reproducible, not secret)
            p.quals = self._quals(p, rng)
            names_of = self.names.get(p.name)
            if names_of is None:  # names repeat: the forms of each made once
                full = normalize_name(p.name)
                family, middle, given = split_name(full)
                names_of = self.names[p.name] = (
                    full,
                    family,
                    middle,
                    given,
                    fold(full),
                    name_sort_key(given, middle, family),
                )
            full, family, middle, given, folded, sort_key = names_of
            last = p.segs[-1] if p.segs else None
            if last is not None:
                managing = self.units[last.unit.code]
            else:
                body = p.mems[-1].body if p.mems else p.body_unit
                assert body is not None  # noqa: S101 (invariant; narrows the type for mypy)
                managing = self.units[body.code]
            category = self._category(p)
            year_only = p.seat is None and not p.citizen and rng.random() < 0.03
            birth = p.birth.replace(month=1, day=1) if year_only else p.birth
            p.birth = birth
            first = p.segs[0] if p.segs else None
            title = self.t[last.title] if last else None
            step = rng.randint(1, 9)
            events = self._service_events(p, first)
            service = derived_fields(0, [(e.kind, e.event_date) for e in events], write_gaps=False)
            service_events.append(events)
            person = new(Person)(
                personal_id=self._pid(p),
                dossier_number=f"LC-{p.idx:08d}",
                full_name=full,
                family_name=family,
                middle_name=middle,
                given_name=given,
                search_name=folded,
                sort_key=sort_key,
                sex=p.sex,
                birth_date=birth,
                birth_precision="y" if year_only else "d",
                birth_place_id=p.birthplace,
                birth_place_text=self._area_text(p.birthplace),
                home_town_id=p.home,
                home_town_text=self._area_text(p.home),
                residence_id=managing.area_id,
                ethnicity=self.ethnicity[p.eth],
                religion=self.religion[p.rel],
                social_origin=rng.choice(["Nông dân", "Nông dân", "Công nhân viên chức", "Công nhân"]),
                occupation_before=rng.choice(OCCUPATIONS) if p.recruit else "",
                general_education="12/12",
                category=category,
                managing_unit=managing,
                recruitment_date=service["recruitment_date"],
                recruiting_agency=first.unit.name if first and first.kind == TenureKind.RECRUITED else "",
                job_position=title.name if title else "Đại biểu HĐND",
                grade_name={"vien_chuc": "Viên chức hạng III", "dai_bieu": ""}.get(
                    category, "Chuyên viên chính" if title and title.is_leader else "Chuyên viên"
                ),
                grade_code={"vien_chuc": "V.07.05.15", "dai_bieu": ""}.get(
                    category, "01.002" if title and title.is_leader else "01.003"
                ),
                salary_step=step if not p.citizen else None,
                salary_coefficient=Decimal("2.34") + Decimal("0.33") * (step - 1) if not p.citizen else None,
                left_service_date=service["left_service_date"],
                left_service_reason=service["left_service_reason"],
                service_from=service["service_from"],
                service_until=service["service_until"],
                service_end_kind=service["service_end_kind"],
                is_synthetic=True,
            )
            persons.append(person)
        return persons, service_events

    def _all_sections(
        self, chunk: list[P], persons: list[Person], service_events: list[list[ServiceEvent]]
    ) -> dict[type, list[Any]]:
        """The unsaved section rows of the (saved) ``persons``, by model in the order first made."""
        new = self.inserter.maker
        sections: dict[type, list[Any]] = {}

        def add(obj: Any) -> None:
            sections.setdefault(type(obj), []).append(obj)

        titles = self.t.rows
        for p, person, events in zip(chunk, persons, service_events, strict=True):
            for event in events:
                event.person = person
                add(event)
            rng = random.Random(f"canbo-demo:{self.seed}:sections:{p.idx}")  # noqa: S311 (seeded on purpose: the demo province must be reproducible, not secret)
            for g in p.segs:
                unit = self.units[g.unit.code]
                tenure = new(Tenure)(
                    person=person,
                    unit=unit,
                    title=titles[g.title],
                    post=self.posts.get((g.unit.code, g.title)),
                    kind=g.kind,
                    is_primary=True,
                    start_date=g.start,
                    end_date=g.end,
                    end_reason=g.end_reason[:200] if g.end else "",
                    decision_number=f"{rng.randint(10, 2999)}/QĐ-{'UBND' if unit.block != 'dang' else 'TU'}",
                    decision_date=g.start - dt.timedelta(days=rng.randint(3, 25)),
                    decision_body=_decision_body(g, unit),
                )
                add(tenure)
            for m in p.mems:
                add(
                    new(BodyMembership)(
                        person=person,
                        body=self.units[m.body.code],
                        kind=m.kind,
                        role=m.role,
                        term=m.term.replace("-", "–"),
                        start_date=m.start,
                        end_date=m.end,
                    )
                )
            for q in p.quals:
                add(
                    new(Qualification)(
                        person=person,
                        kind=q.kind,
                        level=q.level,
                        level_rank=level_rank(q.kind, q.level) or 0,
                        field_of_study=q.field_of_study,
                        language=q.language,
                        institution=rng.choice(INSTITUTIONS) if q.kind == "chuyen_mon" else "",
                        mode="chinh_quy"
                        if q.kind == "chuyen_mon" and q.obtained < add_years(p.birth, 25)
                        else "vua_lam_vua_hoc",
                        obtained_date=q.obtained,
                    )
                )
            mine: list[Any] = []
            self._sections(p, person, rng, partial(_add_both, mine, add))
            leading = next((g.start for g in p.segs if self.t[g.title].is_leader), None)
            for row in self.salary.rows(person, leader_from=leading, left=p.left, records=mine):
                add(row)
        return sections

    def _sections(self, p: P, person: Person, rng: random.Random, add: Callable[[Any], None]) -> None:
        new = self.inserter.maker
        h = self.horizon
        in_service_from = p.segs[0].start if p.segs else None
        last_day = (p.left - DAY) if p.left else h
        leader = bool(p.seat and self.t[_st(p)].is_leader)
        # Party membership: most officials; every holder of a Party post.
        party_post = any(
            self.t[g.title].block == "dang" or self.t[g.title].group in ELECTED_GROUPS for g in p.segs
        )
        share = 0.3 if p.citizen else 0.95 if (leader or party_post) else 0.7 if p.seat else 0.38
        if party_post or rng.random() < share:
            lo = add_years(p.birth, 20)
            hi = add_years(p.birth, 34)
            if in_service_from is not None:
                hi = min(hi, max(lo, in_service_from - 400 * DAY))
            hi = min(hi, h - 400 * DAY)
            admitted = rand_date(rng, lo, max(lo, hi))
            official = admitted + dt.timedelta(days=365 + rng.randint(0, 20))
            add(
                new(PartyMembership)(
                    person=person,
                    admission_date=admitted,
                    official_date=official if official <= h else None,
                    card_number=f"{rng.randint(10, 99)}.{rng.randint(100000, 999999)}",
                    party_cell=f"Chi bộ {p.segs[0].unit.name}" if p.segs else "Chi bộ thôn",
                )
            )
        # Work history before the first recorded tenure.
        if p.recruit and p.segs and p.recruit < p.segs[0].start:
            add(
                new(WorkHistory)(
                    person=person,
                    start_date=p.recruit.replace(day=1),
                    end_date=(p.segs[0].start - DAY).replace(day=1),
                    description=f"Công tác tại {p.segs[0].unit.name}"
                    if rng.random() < 0.5
                    else rng.choice(OCCUPATIONS),
                )
            )
        elif p.citizen:
            add(
                new(WorkHistory)(
                    person=person,
                    start_date=add_years(p.birth, 20).replace(day=1),
                    description=rng.choice(["Làm nông nghiệp", "Kinh doanh", "Trưởng thôn", "Giáo viên"]),
                )
            )
        # Yearly ratings while in service.
        if in_service_from is not None:
            for year in range(max(2019, in_service_from.year), h.year):
                decided = dt.date(year, 12, 20)
                if decided > last_day or decided < in_service_from:
                    continue
                x = rng.random()
                level = "htxs" if x < 0.12 else "htt" if x < 0.82 else "ht" if x < 0.985 else "kht"
                add(
                    new(Rating)(
                        person=person,
                        system="chinh_quyen",
                        year=year,
                        level=level,
                        decision_date=decided,
                        rated_by="Thủ trưởng cơ quan, đơn vị",
                    )
                )
        # Family.
        family = p.name.split(" ")[0]
        father_year = p.birth.year - rng.randint(24, 36)
        add(
            new(FamilyRelation)(
                person=person,
                relation="bo",
                full_name=f"{family} Văn {rng.choice(names.KINH_GIVEN_M)}"
                if p.eth == "01"
                else names.full_name(rng, ethnicity=p.eth, female=False),
                birth_year=father_year,
                details="Làm ruộng",
                deceased=father_year < 1945 or rng.random() < 0.2,
            )
        )
        add(
            new(FamilyRelation)(
                person=person,
                relation="me",
                full_name=names.full_name(rng, ethnicity=p.eth, female=True),
                birth_year=father_year + rng.randint(0, 6),
                details="Làm ruộng",
                deceased=father_year < 1942 or rng.random() < 0.12,
            )
        )
        if (h - p.birth).days > 26 * 365 and rng.random() < 0.85:
            add(
                new(FamilyRelation)(
                    person=person,
                    relation="vo_chong",
                    full_name=names.full_name(
                        rng, ethnicity=p.eth if rng.random() < 0.8 else "01", female=p.sex == "nam"
                    ),
                    birth_year=p.birth.year + rng.randint(-4, 4),
                    details=rng.choice(["Giáo viên", "Làm ruộng", "Kinh doanh", "Công chức"]),
                )
            )
            if rng.random() < 0.8:
                add(
                    new(FamilyRelation)(
                        person=person,
                        relation="con",
                        full_name=names.full_name(rng, ethnicity=p.eth, female=rng.random() < 0.5),
                        birth_year=min(h.year, p.birth.year + rng.randint(24, 34)),
                        details="Học sinh",
                    )
                )
        # Health, awards, discipline.
        check_year = min(h.year, (p.left or h).year) - (1 if rng.random() < 0.5 else 0)
        add(
            new(HealthRecord)(
                person=person,
                check_date=dt.date(check_year, rng.randint(3, 10), rng.randint(1, 28)),
                status="tot" if rng.random() < 0.75 else "kha",
                height_cm=rng.randint(150, 172) if p.sex == "nu" else rng.randint(158, 180),
                weight_kg=rng.randint(45, 68) if p.sex == "nu" else rng.randint(52, 82),
                blood_group=rng.choice(["O", "A", "B", "AB", "O", "A"]),
            )
        )
        if in_service_from is not None:
            for _ in range(2 if rng.random() < 0.08 else 1 if rng.random() < 0.25 else 0):
                year = rng.randint(
                    max(2016, in_service_from.year),
                    max(max(2016, in_service_from.year), min(h.year - 1, last_day.year)),
                )
                form, body = rng.choice(AWARDS)
                add(
                    new(Award)(
                        person=person,
                        form=form,
                        year=year,
                        issuing_body=body,
                        decision_number=f"{rng.randint(100, 4999)}/QĐ-KT",
                        decision_date=dt.date(year, 12, rng.randint(1, 28)),
                        achievement="Hoàn thành xuất sắc nhiệm vụ",
                    )
                )
            if rng.random() < 0.006:
                when = rand_date(
                    rng,
                    max(in_service_from, dt.date(2019, 1, 1)),
                    max(max(in_service_from, dt.date(2019, 1, 1)), min(last_day, h)),
                )
                add(
                    new(Discipline)(
                        person=person,
                        system=rng.choice(["chinh_quyen", "dang"]),
                        form=rng.choice(["khien_trach", "canh_cao"]),
                        decision_number=f"{rng.randint(10, 999)}/QĐ-KL",
                        decision_date=when,
                        effective_date=when,
                        issuing_body="Thủ trưởng cơ quan",
                        violation="Vi phạm quy định về thực hiện nhiệm vụ được giao",
                    )
                )

    def _count(self, name: str, n: int) -> None:
        self.rows[name] = self.rows.get(name, 0) + n

    def counts(self) -> dict[str, Any]:
        units = sum(1 for _ in self.s.units())
        return {
            "persons": self.persons,
            "units": Unit.objects.filter(code__startswith=ROOT_CODE).count() if units else 0,
            "titles": len(self.t.specs),
            "rows": dict(sorted(self.rows.items())),
            "log_entries": ObjectChange.objects.filter(source="generator").count(),
        }


def _add_both(mine: list[Any], add: Callable[[Any], None], obj: Any) -> None:
    mine.append(obj)
    add(obj)


def _decision_body(g: Seg, unit: Unit) -> str:
    if unit.block == "dang":
        return "Ban Thường vụ Tỉnh ủy" if g.unit.level == TINH else "Ban Thường vụ Huyện ủy"
    if g.kind == TenureKind.ELECTED:
        return "Hội nghị, kỳ họp bầu cử"
    return "Chủ tịch UBND tỉnh" if g.unit.level == TINH else "Chủ tịch UBND huyện"


# --------------------------------------------------------------------------------------------
# Wiping
# --------------------------------------------------------------------------------------------


def wipe() -> dict[str, int]:
    """Remove the demo province: its people and their sections, units, posts, titles, lineage,
    grants on its units or people, the marker, and the generator's change-log entries.

    The rows are removed wholesale (a generator's own output, logged by it as created; its log
    entries go with it), so no per-row delete entries are written.
    """
    out: dict[str, int] = {}
    root = Unit.objects.filter(code=ROOT_CODE).first()
    people = Person.objects.filter(is_synthetic=True)
    unit_q = DjQ(path__startswith=root.path) if root else DjQ(pk__in=[])
    with transaction.atomic():
        foreign = Tenure.objects.filter(unit__in=Unit.objects.filter(unit_q)).exclude(
            person__is_synthetic=True
        )
        if root is not None and foreign.exists():
            raise DomainError("Không thể xóa tỉnh mẫu: có hồ sơ thật gắn với đơn vị của tỉnh mẫu.")
        grants = Grant.objects.filter(
            DjQ(unit__in=Unit.objects.filter(unit_q)) | DjQ(person__is_synthetic=True)
        )
        out["grants"] = grants._raw_delete(grants.db)
        out["Plan"] = _wipe_plans(Unit.objects.filter(unit_q))
        out["PlanningList"] = _wipe_planning(Unit.objects.filter(unit_q))
        out["RatingCampaign"] = _wipe_campaigns(Unit.objects.filter(unit_q))
        out["Case"] = _wipe_cases(Unit.objects.filter(unit_q))
        # Other records kept about a synthetic person (a retirement override…), found by their
        # foreign key to Person so that a model added later is wiped too.
        for model in apps.get_models():
            if model in (Person, Grant) or issubclass(model, PersonSection):
                continue
            for f in model._meta.concrete_fields:
                if f.is_relation and f.related_model is Person:
                    qs = model._default_manager.filter(**{f"{f.name}__is_synthetic": True})
                    out[model.__name__] = qs._raw_delete(qs.db)
        # Exceptions recorded on the demo's units (a campaign's E-9, an agency's S-9 cap), whose
        # subject is no person: they would hold the units.
        from canbo.rules.models import RuleException

        kept = RuleException.objects.filter(unit__in=Unit.objects.filter(unit_q))
        out["RuleException"] = out.get("RuleException", 0) + kept._raw_delete(kept.db)
        # Every dossier section model, found rather than listed, so that a section added later
        # is wiped too (raw deletes do not cascade).
        section_models = [m for m in apps.get_models() if issubclass(m, PersonSection)]
        for model in section_models:
            qs = model._default_manager.filter(person__is_synthetic=True)
            out[model.__name__] = qs._raw_delete(qs.db)
        out["Person"] = people._raw_delete(people.db)
        units = Unit.objects.filter(unit_q)
        posts = Post.objects.filter(unit__in=units)
        out["Post"] = posts._raw_delete(posts.db)
        lineage = UnitLineage.objects.filter(DjQ(predecessor__in=units) | DjQ(successor__in=units))
        out["UnitLineage"] = lineage._raw_delete(lineage.db)
        former = UnitFormerName.objects.filter(unit__in=units)
        former._raw_delete(former.db)
        out["Unit"] = units._raw_delete(units.db)
        titles = Title.objects.filter(code__regex=r"^[THX]\.").filter(
            posts__isnull=True, tenures__isnull=True
        )
        out["Title"] = titles._raw_delete(titles.db) if titles.exists() else 0
        log = ObjectChange.objects.filter(source="generator")
        out["ObjectChange"] = log._raw_delete(log.db)
        DemoDataset.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA optimize")
    return out


def _wipe_plans(units: Any) -> int:
    """Delete the plans kept by demo units (with their tasks, reports and targets), each with a
    delete entry in the change log since loaders outside the generator created them. Refuses when
    a plan kept elsewhere has a task, report or target on a demo unit."""
    from canbo.indicators.models import IndicatorTarget
    from canbo.plans.models import Plan, Task, TaskReport

    plans = Plan.objects.filter(unit__in=units)
    coordinated = Task.coordinating_units.through.objects.filter(unit__in=units).exclude(task__plan__in=plans)
    if (
        Task.objects.filter(lead_unit__in=units).exclude(plan__in=plans).exists()
        or TaskReport.objects.filter(unit__in=units).exclude(task__plan__in=plans).exists()
        or IndicatorTarget.objects.filter(unit__in=units).exclude(plan__in=plans).exists()
        or coordinated.exists()
    ):
        raise DomainError(
            "Không thể xóa tỉnh mẫu: có kế hoạch thật giao nhiệm vụ hoặc chỉ tiêu cho đơn vị của tỉnh mẫu."
        )
    removed = 0
    # Not "generator": those entries go with the wipe, and these must stay.
    with bind_context(source="command"):
        for plan in plans:
            _log_plan_delete(plan)
            plan.delete()
            removed += 1
    return removed


def _wipe_planning(units: Any) -> int:
    """Delete the planning lists kept by demo units with their entries (``planning seed_demo``
    wrote them through the services, outside the generator), each with a delete entry in the
    change log. Entries of synthetic people in other lists go with the people (foreign key)."""
    from canbo.planning.models import PlanningList

    removed = 0
    with bind_context(source="command"):
        for planning_list in PlanningList.objects.filter(unit__in=units):
            _log_plan_delete(planning_list, "Xóa tỉnh mẫu (kèm danh sách quy hoạch)")
            planning_list.delete()
            removed += 1
    return removed


def _wipe_campaigns(units: Any) -> int:
    """Delete the rating campaigns and the confidence-vote sessions of demo units with their
    entries and collective ratings
    (``ratings seed_demo`` wrote them through the services), each with a delete entry in the
    change log; the persons' rating rows are dossier sections and go with the people."""
    from canbo.campaigns.models import RatingCampaign, VoteSession

    removed = 0
    with bind_context(source="command"):
        for campaign in RatingCampaign.objects.filter(unit__in=units):
            _log_plan_delete(campaign, "Xóa tỉnh mẫu (kèm đợt đánh giá, xếp loại)")
            campaign.delete()
            removed += 1
        for session in VoteSession.objects.filter(unit__in=units):
            _log_plan_delete(session, "Xóa tỉnh mẫu (kèm đợt lấy phiếu tín nhiệm)")
            session.delete()
    return removed


def _wipe_cases(units: Any) -> int:
    """Delete the appointment cases of demo units with their candidates, steps and exceptions, and
    the units' A-12 pilot records
    (``cases seed_demo`` or an officer trying the demo wrote them through the services), each
    with a delete entry in the change log."""
    from canbo.cases.models import Case, HeadPilot

    removed = 0
    with bind_context(source="command"):
        for case in Case.objects.filter(unit__in=units):
            _log_plan_delete(case, "Xóa tỉnh mẫu (kèm hồ sơ bổ nhiệm)")
            case.delete()
            removed += 1
        for pilot in HeadPilot.objects.filter(unit__in=units):
            _log_plan_delete(pilot, "Xóa tỉnh mẫu (kèm đơn vị thí điểm A-12)")
            pilot.delete()
    return removed


def _log_plan_delete(
    plan: Any, reason: str = "Xóa tỉnh mẫu (kèm nhiệm vụ, báo cáo và chỉ tiêu của kế hoạch)"
) -> None:
    log_change(
        instance=plan,
        action=ObjectChange.Action.DELETE,
        before=plan.snapshot(),
        after=None,
        acting_user=generator_user(),
        reason=reason,
    )


def checksum() -> str:
    """A SHA-256 over the key fields of the demo data, in a fixed order (for determinism tests)."""
    h = hashlib.sha256()
    for row in (
        Person.objects.filter(is_synthetic=True)
        .order_by("personal_id")
        .values_list(
            "personal_id",
            "full_name",
            "sex",
            "birth_date",
            "home_town__code",
            "managing_unit__code",
            "left_service_date",
        )
    ):
        h.update(repr(row).encode())
    for row in (
        Tenure.objects.filter(person__is_synthetic=True)
        .order_by("person__personal_id", "start_date", "unit__code")
        .values_list("person__personal_id", "unit__code", "title__code", "start_date", "end_date")
    ):
        h.update(repr(row).encode())
    for row in (
        BodyMembership.objects.filter(person__is_synthetic=True)
        .order_by("person__personal_id", "body__code", "kind", "start_date")
        .values_list("person__personal_id", "body__code", "kind", "start_date", "end_date")
    ):
        h.update(repr(row).encode())
    for row in (
        Qualification.objects.filter(person__is_synthetic=True)
        .order_by("person__personal_id", "kind", "level", "obtained_date")
        .values_list("person__personal_id", "kind", "level", "obtained_date")
    ):
        h.update(repr(row).encode())
    return h.hexdigest()
