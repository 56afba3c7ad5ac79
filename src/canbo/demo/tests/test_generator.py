"""The demo province: exact baselines of INDICATORS.md §2 on 11/12/2020, determinism, the
two-tier structure of 2026, the change log and the demo accounts.

``baseline_counts`` implements, with plain ORM queries, exactly the definitions written in
docs/demo-data.md; the indicator engine (issue 5) must give the same numbers.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.test.utils import CaptureQueriesContext

from canbo.accounts.models import Grant, Role
from canbo.careers.models import BodyMembership, Tenure, on_date_q
from canbo.conftest import new_person
from canbo.core.errors import DomainError
from canbo.core.models import ObjectChange
from canbo.core.services import audited_create
from canbo.demo.generator import checksum, generate, generator_user, minimum_size, wipe
from canbo.demo.models import DemoDataset
from canbo.demo.people import Planner, retirement_end
from canbo.org.models import AdminArea, Title, Unit, UnitLineage, in_force_q
from canbo.people.models import Person, Qualification
from canbo.plans.models import Plan, Task
from canbo.rules.models import RetirementOverride

BASELINE = dt.date(2020, 12, 11)
HORIZON = dt.date(2026, 11, 21)
LEADER_SCOPES = ["tw", "btv_tinh_uy"]
COMMUNE_GROUPS = [
    "bi_thu",
    "pho_bi_thu",
    "chu_tich_hdnd",
    "pho_chu_tich_hdnd",
    "chu_tich_ubnd",
    "pho_chu_tich_ubnd",
    "chu_tich_mttq",
    "can_bo_xa",
    "cong_chuc",
]
EXPECTED = {
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


def _holders(day: dt.date, **title: Any) -> QuerySet[Tenure]:
    """Primary tenures running on ``day`` whose title matches ``title`` lookups."""
    return Tenure.objects.filter(
        on_date_q(day), is_primary=True, **{f"title__{k}": v for k, v in title.items()}
    )


def _people(tenures: QuerySet[Tenure]) -> QuerySet[Person]:
    return Person.objects.filter(pk__in=tenures.values("person_id"))


def _qualified(people: QuerySet[Person], day: dt.date, kind: str, rank: int) -> int:
    """People holding a qualification of ``kind`` at or above ``rank`` obtained by ``day``."""
    ok = Qualification.objects.filter(kind=kind, level_rank__gte=rank, obtained_date__lte=day)
    return people.filter(pk__in=ok.values("person_id")).count()


def _members(day: dt.date, kind: str) -> QuerySet[Person]:
    bodies = BodyMembership.objects.filter(on_date_q(day), kind=kind, body__level__in=["tinh", "huyen", "xa"])
    return Person.objects.filter(pk__in=bodies.values("person_id"))


def _non_local_district(tenures: QuerySet[Tenure]) -> int:
    n = 0
    for t in tenures.select_related("person", "unit"):
        local = {
            t.unit.area_id,
            *AdminArea.objects.filter(parent_id=t.unit.area_id).values_list("pk", flat=True),
        }
        n += t.person.home_town_id not in local
    return n


def baseline_counts(day: dt.date = BASELINE) -> dict[str, tuple[int, int]]:
    """(numerator, population) of each indicator of INDICATORS.md §2, as docs/demo-data.md defines them."""
    young = dt.date(day.year - 40, day.month, day.day)  # born after this day: under 40 in full years
    out: dict[str, tuple[int, int]] = {}
    p1a = _people(_holders(day, level="tinh", is_leader=True, management_scope__in=LEADER_SCOPES))
    out["1a"] = (p1a.filter(birth_date__gt=young).count(), p1a.count())
    p1b = _people(_holders(day, level="huyen", is_leader=True, management_scope__in=LEADER_SCOPES))
    out["1b"] = (p1b.filter(birth_date__gt=young).count(), p1b.count())
    p2 = _people(
        _holders(day, level="tinh", is_leader=True, management_scope__in=LEADER_SCOPES).exclude(
            title__block="su_nghiep"
        )
    )
    out["2"] = (_qualified(p2, day, "ngoai_ngu", 40), p2.count())
    p3 = _members(day, "cap_uy")
    out["3"] = (p3.filter(sex="nu").count(), p3.count())
    p4 = _members(day, "hdnd")
    out["4"] = (p4.filter(sex="nu").count(), p4.count())
    p5 = _people(_holders(day, level="xa", group__in=COMMUNE_GROUPS))
    out["5"] = (_qualified(p5, day, "chuyen_mon", 40), p5.count())
    out["6"] = (_qualified(p5, day, "ly_luan_chinh_tri", 20), p5.count())
    sec_h = _holders(day, level="huyen", group="bi_thu")
    out["7a"] = (_non_local_district(sec_h), sec_h.count())
    sec_x = _holders(day, level="xa", group="bi_thu")
    out["7b"] = (sec_x.exclude(person__home_town_id=F("unit__area_id")).count(), sec_x.count())
    chair_h = _holders(day, level="huyen", group="chu_tich_ubnd")
    out["8a"] = (_non_local_district(chair_h), chair_h.count())
    chair_x = _holders(day, level="xa", group="chu_tich_ubnd")
    out["8b"] = (chair_x.exclude(person__home_town_id=F("unit__area_id")).count(), chair_x.count())
    p9 = _people(_holders(day, level="tinh", is_leader=True))
    out["9"] = (_qualified(p9, day, "chuyen_mon", 50), p9.count())
    return out


def foreign_key_violations() -> list[str]:
    """PostgreSQL: every foreign key constraint that a row breaks (a referenced row missing),
    checked over whole tables, one anti-join per constraint of ``pg_constraint`` (a null in any
    of its columns is no reference: MATCH SIMPLE, as the constraint itself)."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text,
                   ARRAY(SELECT quote_ident(a.attname) FROM unnest(c.conkey) WITH ORDINALITY AS k(n, i)
                         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i),
                   ARRAY(SELECT quote_ident(a.attname) FROM unnest(c.confkey) WITH ORDINALITY AS k(n, i)
                         JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i)
            FROM pg_constraint c JOIN pg_namespace s ON s.oid = c.connamespace
            WHERE c.contype = 'f' AND s.nspname = current_schema()
            ORDER BY c.conname
            """
        )
        broken = []
        for name, table, parent, columns, targets in cur.fetchall():
            present = " AND ".join(f"c.{col} IS NOT NULL" for col in columns)
            found = " AND ".join(f"p.{t} = c.{col}" for col, t in zip(columns, targets, strict=True))
            cur.execute(
                # Names from the catalogue, quoted by it.
                f"SELECT count(*) FROM {table} AS c WHERE {present} "
                f"AND NOT EXISTS (SELECT 1 FROM {parent} AS p WHERE {found})"
            )
            if cur.fetchone()[0]:
                broken.append(f"{name}: {table} → {parent}")
        return broken


@pytest.fixture
def bulk_rows_checked_then_rolled_back(db: Any) -> Iterator[None]:
    """PostgreSQL: the test's rows in a savepoint of their own; at its end every foreign key is
    checked over whole tables, then the savepoint is rolled back. Django's ``TestCase`` checks
    the deferred constraints before its rollback (``check_constraints``: ``SET CONSTRAINTS ALL
    IMMEDIATE``), which fires one trigger per foreign key of every row written — over a million
    for the two builds, most of the test's teardown — where one anti-join per constraint checks
    the same references. Rolled back, the savepoint leaves that check nothing to fire. On SQLite
    Django's check is already one pass (``PRAGMA foreign_key_check``), and a savepoint around
    the builds would make SQLite copy every page they change: nothing is done there."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        yield
        if not connection.needs_rollback:  # a failed statement has already failed the test
            assert foreign_key_violations() == []
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("bulk_rows_checked_then_rolled_back")
def test_demo_province() -> None:
    """One build at the minimum size, checked from every side, then one rebuild."""
    size = minimum_size(seed=7)
    said: list[str] = []
    result = generate(size=size, seed=7, horizon=HORIZON, progress=said.append)
    assert result["persons"] == size
    # The time of each phase is printed at the end (wall and CPU seconds, the Vietnamese way).
    steps = said[said.index("Thời gian theo từng bước:") + 1 :]
    assert [line.split(":")[0].strip() for line in steps] == [
        "lập danh sách người (phần cố định)",
        "chức danh, cây đơn vị, vị trí",
        "sắp xếp tổ chức",
        "dựng hồ sơ",
        "ghi hồ sơ và các phần",
        "dựng các phần hồ sơ",
        "diễn biến lương",
        "ghi lịch sử thay đổi",
        "lập danh sách người (phần theo quy mô)",
        "dựng bảng dữ kiện chỉ tiêu",
        "cập nhật thống kê (ANALYZE)",
    ]
    assert all(re.fullmatch(r"[^:]+: \d+,\d giây \(\d+,\d giây CPU\)", line.strip()) for line in steps)
    assert not Person.objects.filter(is_synthetic=False).exists()

    # The twelve baselines, exactly.
    assert baseline_counts() == EXPECTED

    # 2026: no district-level unit in force; the communes in force are the 2025 ones.
    day = dt.date(2026, 1, 1)
    assert not Unit.objects.filter(in_force_q(day), level="huyen").exists()
    communes = Unit.objects.filter(in_force_q(day), level="xa", kind="dia_phuong")
    assert communes.count() == 99
    assert set(communes.values_list("area__dataset", flat=True)) == {AdminArea.Dataset.CURRENT}
    assert not _holders(day, level="huyen").exists()
    assert Unit.objects.filter(in_force_q(BASELINE), level="xa", kind="dia_phuong").count() == 152
    ta_chai = Unit.objects.get(name="Xã Tà Chải")
    assert ta_chai.valid_to == dt.date(2024, 10, 31)
    assert UnitLineage.objects.filter(predecessor=ta_chai, successor__name="Thị trấn Bắc Hà").exists()
    assert Unit.objects.get(code="LC.UB.SKHDT").valid_to == dt.date(2025, 2, 28)
    assert UnitLineage.objects.filter(predecessor__code="LC.UB.STNMT", successor__code="LC.UB.SNNMT").exists()

    # Careers: ordered dates, nobody in service past retirement age (RULES.md §1), nobody holding
    # two primary posts at once, tenures only while their unit is in force.
    assert not Tenure.objects.filter(end_date__lt=F("start_date")).exists()
    assert not Tenure.objects.filter(unit__valid_to__isnull=False, end_date__isnull=True).exists()
    assert not Tenure.objects.filter(unit__valid_to__lt=F("end_date")).exists()
    for sex, birth in Person.objects.filter(
        left_service_date__isnull=True, category__in=["can_bo", "cong_chuc", "vien_chuc"]
    ).values_list("sex", "birth_date"):
        assert retirement_end(sex, birth) >= HORIZON
    for pid in Person.objects.values_list("pk", flat=True)[:: max(1, size // 300)]:
        spans = sorted(
            Tenure.objects.filter(person_id=pid, is_primary=True).values_list("start_date", "end_date")
        )
        for (_s1, e1), (s2, _e2) in itertools.pairwise(spans):
            assert e1 is not None and e1 < s2
    # A sample of dossiers passes the models' own validation (personal ids, names, dates).
    for person in Person.objects.order_by("pk")[:: max(1, size // 40)]:
        person.full_clean()
    # Every row written in bulk has its change-log entry, made by the generator.
    logged = ObjectChange.objects.filter(source="generator", action="create")
    assert logged.filter(content_type__model="person").count() == size
    assert logged.filter(content_type__model="tenure").count() >= Tenure.objects.count() - 100
    assert logged.filter(content_type__model="qualification").count() == Qualification.objects.count()
    assert set(logged.values_list("reason", flat=True).distinct()) >= {"Tạo dữ liệu tỉnh mẫu (tổng hợp)"}

    # Plan 18-ĐA/TU's Phụ lục 1 on this build, through the CLI, API, dashboard and exports (issue
    # 5's bar), checked here so that the suite builds the demo province once per database.
    from canbo.indicators.tests.test_demo_baselines import check_18_da_tu_on_the_demo_province

    check_18_da_tu_on_the_demo_province()

    # Same parameters: a quick no-op.
    again = generate(size=size, seed=7)
    assert again["unchanged"] is True
    first = checksum()

    # Demo accounts (idempotent).
    out = io.StringIO()
    call_command("demo_login", stdout=out)
    for name in ("quantri", "tochuc", "lanhdao", "xa", "canhan"):
        assert name in out.getvalue()
    assert Grant.objects.filter(user__username="canhan", role=Role.SELF).count() == 1
    call_command("demo_login", stdout=io.StringIO())
    assert Grant.objects.filter(user__username="tochuc").count() == 1

    # What `./canbo demo` loads next: the plans' targets and tasks on demo units, and a record
    # about a synthetic person outside his dossier sections (a retirement override).
    call_command("indicators", "load", stdout=io.StringIO())
    call_command("plans", "seed_demo", stdout=io.StringIO())
    plan = Plan.objects.get(code="lc-18-da-tu")
    assert plan.unit.code == "LC" and Task.objects.filter(plan=plan).exists()
    someone = Person.objects.filter(is_synthetic=True).earliest("pk")
    RetirementOverride.objects.create(person=someone, kind="som", year=2030, month=6, basis="QĐ 1")

    # Different parameters: the old demo data (with the demo users' grants) is wiped and rebuilt;
    # built again with the same parameters, the data is identical.
    DemoDataset.objects.update(size=size + 1)
    rebuilt = generate(size=size, seed=7, horizon=HORIZON)
    assert not Plan.objects.filter(unit__code__startswith="LC").exists()
    assert not Task.objects.exists() and not RetirementOverride.objects.exists()
    assert ObjectChange.objects.filter(
        action="delete", object_id=plan.pk, content_type__model="plan"
    ).exists()
    assert rebuilt["unchanged"] is False
    assert checksum() == first
    assert DemoDataset.objects.count() == 1
    assert not Grant.objects.filter(user__username="tochuc").exists()
    assert Person.objects.filter(is_synthetic=True).count() == size


@pytest.mark.django_db
def test_too_small_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the size of the fixed part is known (``minimum_size``), a smaller size is refused
    before anything is loaded, planned or written: not one query. The planning fits the elastic
    seats with one count per population, followed step by step (it recounted every baseline unit
    at each step, thousands of times; ``test_demo_province`` checks the populations exact)."""
    counted: list[str] = []
    count = Planner._count

    def spy(planner: Planner, units: list[Any], pred: str) -> int:
        counted.append(pred)
        return count(planner, units, pred)

    monkeypatch.setattr(Planner, "_count", spy)
    # Planned here whatever ran before in this process (test_demo_province knows the size too).
    monkeypatch.setattr("canbo.demo.generator._fixed_sizes", {})
    size = minimum_size(seed=7)
    assert counted == ["2", "1a", "9", "1b", "5"]
    with CaptureQueriesContext(connection) as queries, pytest.raises(DomainError, match="cần ít nhất"):
        generate(size=size - 1, seed=7, horizon=HORIZON)
    assert len(queries) == 0
    assert not Person.objects.exists()
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_wipe_refuses_real_dossiers_in_demo_units() -> None:
    """A real (non-synthetic) dossier attached to a demo unit stops the wipe."""
    root = Unit.objects.add_root(
        instance=Unit(code="LC", name="Tỉnh Lào Cai", kind="dia_phuong", block="nha_nuoc", level="tinh")
    )
    person = new_person(root, "Nguyễn Văn Thật", sex="nam", born=dt.date(1980, 1, 1))
    title = Title.objects.create(
        code="Z",
        name="Z",
        level="tinh",
        group="khac",
        block="nha_nuoc",
        head_kind="nhan_vien",
        management_scope="co_quan",
    )
    audited_create(
        Tenure(person=person, unit=root, title=title, kind="tuyen_dung", start_date=dt.date(2020, 1, 1)),
        acting_user=generator_user(),
        check_scope=False,
    )
    with pytest.raises(DomainError, match="hồ sơ thật"):
        wipe()
