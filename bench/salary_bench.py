"""The due list (SALARY.md S-4 to S-8) of a whole 150,000-person province.

Usage: ./canbo bench salary_bench [--size 150000] [--as-of 2026-12-06] [--months 3] [--repeat 7]
       [--against REV]

The first run builds a separate SQLite file ``var/bench/salary-<size>.sqlite3`` (``migrate``,
then plain ``bulk_create``: a province with 60 districts of 5 offices, ``size`` persons each
with a salary history of one to four rows whose current row started within the last four
years — 8% support staff on 24-month steps, a fifth at the last step, some beyond the frame —
yearly ratings 2019 to the year before the as-of date, 1.5% of them "không hoàn thành nhiệm vụ",
and 0.6% of persons disciplined). Building takes a few minutes; the file is kept.

Then prints, as medians of N runs: ``due_list`` for the root unit as the system (the command
line's ``./canbo salary due``) and as a user with an officer's grant on the root (the page),
the number due and blocked, the page ``/luong/den-han/`` itself as that officer (the test
client: request, list and template) and the load average. No figure is asserted. Before each
timed run the previous list is freed and ``gc.collect()`` run, outside the timed part (a
command computes one list in a fresh process).
``--file PATH`` keeps the bench database elsewhere (e.g. outside the repository).

``--against REV`` times the due list of ``salary/selectors.py`` as of the git revision REV
(loaded from ``git show``) and of the working tree in the same process, alternately, as the
system, checks that both give the same list (``to_dict()``), and prints both medians.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def build(size: int, as_of: dt.date) -> None:
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import transaction

    from canbo.assessment.models import Discipline, Rating
    from canbo.conftest import make_unit, reference_data
    from canbo.org.choices import Level, UnitKind
    from canbo.org.models import Unit
    from canbo.people.models import Ethnicity, Person, Religion
    from canbo.people.validators import make_personal_id
    from canbo.rules.engine.dates import add_months
    from canbo.salary.models import Grade, SalaryRow

    call_command("migrate", verbosity=0)
    call_command("rules", "load", verbosity=0)
    reference_data()
    rng = random.Random(17)
    root = make_unit(None, "BS", "Tỉnh Bench Lương")
    units: list[Unit] = []
    for d in range(60):
        district = make_unit(root, f"BS{d:02d}", f"Huyện {d:02d}", level=Level.DISTRICT)
        units.extend(
            make_unit(district, f"BS{d:02d}{o}", f"Phòng {o} huyện {d:02d}", kind=UnitKind.DIVISION,
                      level=Level.DISTRICT)
            for o in range(5)
        )  # fmt: skip
    grades = {g.code: g for g in Grade.objects.select_related("group")}
    ethnicity, religion = Ethnicity.objects.get(code="01"), Religion.objects.get(code="00")
    batch = 10_000
    for start in range(0, size, batch):
        with transaction.atomic():
            persons = []
            for n in range(start, min(size, start + batch)):
                sex = "nam" if n % 2 else "nu"
                born = dt.date(rng.randint(1966, 2000), rng.randint(1, 12), rng.randint(1, 28))
                persons.append(
                    Person(
                        personal_id=make_personal_id(
                            province_prefix="010", sex=sex, birth_year=born.year, serial=100000 + n
                        ),
                        full_name=f"Người Thử {n}",
                        family_name="Người",
                        middle_name="Thử",
                        given_name=str(n),
                        search_name=f"nguoi thu {n}",
                        sex=sex,
                        birth_date=born,
                        ethnicity=ethnicity,
                        religion=religion,
                        category="cong_chuc",
                        managing_unit=units[n % len(units)],
                        recruitment_date=dt.date(born.year + 24, 9, 1),
                    )
                )
            Person.objects.bulk_create(persons, batch_size=2000)
            rows, ratings, disciplines = [], [], []
            for p in persons:
                recruited = p.recruitment_date
                assert recruited is not None
                x = rng.random()
                grade = grades["01.005" if x < 0.08 else "01.002" if x < 0.25 else "01.003"]
                group = grade.group
                step_months = 24 if group.code == "B" else 36
                step = group.steps if rng.random() < 0.2 else rng.randint(1, group.steps - 1)
                percent = rng.choice((0, 0, 5, 6, 7, 8)) if step == group.steps else 0
                since = as_of - dt.timedelta(days=rng.randint(0, (step_months if not percent else 12) * 30))
                since = max(since, recruited)
                day = since
                for back in range(rng.randint(1, 4)):
                    s = max(1, step - back)
                    rows.append(
                        SalaryRow(
                            person=p,
                            grade=grade,
                            step=s,
                            coefficient=Decimal(group.coefficient(s)),
                            beyond_frame_percent=percent if back == 0 else 0,
                            from_date=day,
                            step_since=day,
                        )
                    )
                    day = add_months(day, -step_months)
                    if day < recruited:
                        break
                for year in range(max(2019, recruited.year), as_of.year):
                    y = rng.random()
                    level = "htxs" if y < 0.12 else "htt" if y < 0.8 else "ht" if y < 0.985 else "kht"
                    ratings.append(
                        Rating(person=p, system="chinh_quyen", year=year, level=level,
                               decision_date=dt.date(year, 12, 20))
                    )  # fmt: skip
                if rng.random() < 0.006:
                    when = as_of - dt.timedelta(days=rng.randint(30, 900))
                    form = rng.choice(["khien_trach", "canh_cao"])
                    disciplines.append(
                        Discipline(person=p, system="chinh_quyen", form=form, decision_number="1/QĐ-KL",
                                   decision_date=when, effective_date=when, issuing_body="Thủ trưởng",
                                   violation="Vi phạm")
                    )  # fmt: skip
            SalaryRow.objects.bulk_create(rows, batch_size=2000)
            Rating.objects.bulk_create(ratings, batch_size=2000)
            Discipline.objects.bulk_create(disciplines, batch_size=2000)
        print(f"  … {min(size, start + batch):,} người", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=150_000)
    parser.add_argument("--as-of", default="2026-12-06")
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--against", default="", help="git revision whose salary/selectors.py to compare")
    parser.add_argument(
        "--file", default="", help="the bench database (default var/bench/salary-SIZE.sqlite3)"
    )
    args = parser.parse_args()
    as_of = dt.date.fromisoformat(args.as_of)
    path = Path(args.file) if args.file else ROOT / "var" / "bench" / f"salary-{args.size}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = not path.exists()
    os.environ["CANBO_DB"] = "sqlite"
    os.environ["CANBO_SQLITE_PATH"] = str(path)
    import django

    django.setup()
    if fresh:
        started = time.monotonic()
        print(f"Tạo {path} ({args.size:,} người)…", flush=True)
        try:
            build(args.size, as_of)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        print(f"  xong sau {time.monotonic() - started:.0f} s", flush=True)

    from django.contrib.auth.models import User

    from canbo.accounts.models import Grant, Role
    from canbo.org.models import Unit
    from canbo.people.models import Person
    from canbo.rules.selectors import rulebook
    from canbo.salary.models import SalaryRow
    from canbo.salary.selectors import DueItem, due_list

    root = Unit.objects.get(code="BS")
    officer, _ = User.objects.get_or_create(username="bench_salary")
    Grant.objects.get_or_create(user=officer, role=Role.OFFICER, unit=root)
    rulebook()
    print(
        f"{Person.objects.count():,} người, {SalaryRow.objects.count():,} dòng diễn biến lương; "
        f"ngày {as_of:%d/%m/%Y}, {args.months} tháng"
    )
    if args.against:
        against(args.against, root, as_of, args.months, args.repeat)
        return
    for label, user in (("hệ thống (./canbo salary due)", None), ("cán bộ tổ chức, quyền cả tỉnh", officer)):
        times, cpu = [], []
        items: list[DueItem] = []
        due_list(user, root, as_of, args.months)  # warm: grants, unit index, rulebook
        for _ in range(args.repeat):
            items.clear()
            gc.collect()  # the previous list freed and collected outside the timed part
            t0, c0 = time.perf_counter(), time.process_time()
            items = due_list(user, root, as_of, args.months)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)  # SQLite runs in this process
        blocked = sum(1 for i in items if i.blocked)
        print(
            f"{label}: trung vị {statistics.median(times) * 1000:.0f} ms "
            f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.repeat} lần), "
            f"CPU trung vị {statistics.median(cpu) * 1000:.0f} ms; "
            f"{len(items):,} người đến hạn, {blocked:,} chưa đủ điều kiện hoặc chưa kết luận"
        )
    page(officer, root, as_of, args.months, args.repeat)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def page(officer: object, root: object, as_of: dt.date, months: int, repeat: int) -> None:
    """The page /luong/den-han/ as the officer (Django's test client: the whole request, the
    due list, the template), medians of ``repeat`` runs after one warm run; CPU included."""
    from django.test import Client, override_settings

    client = Client()
    client.force_login(officer)  # type: ignore[arg-type]
    query = {"don_vi": root.pk, "ngay": f"{as_of:%d/%m/%Y}", "so_thang": months}  # type: ignore[attr-defined]
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        response = client.get("/luong/den-han/", query)
        assert response.status_code == 200, response.status_code
        times, cpu = [], []
        for _ in range(repeat):
            gc.collect()
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get("/luong/den-han/", query)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
    print(
        f"trang /luong/den-han/ (cán bộ tổ chức): trung vị {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {repeat} lần), CPU trung vị "
        f"{statistics.median(cpu) * 1000:.0f} ms; {len(response.content) / 1024:,.0f} KB HTML"
    )


def against(rev: str, root: object, as_of: dt.date, months: int, repeat: int) -> None:
    """Old (``rev``'s selectors) and new due lists timed alternately in this process."""
    import shutil
    import subprocess
    import types

    from canbo.salary import selectors

    source = subprocess.run(
        [shutil.which("git") or "git", "-C", str(ROOT), "show", f"{rev}:src/canbo/salary/selectors.py"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    old = types.ModuleType("canbo.salary.selectors_old")
    sys.modules[old.__name__] = old  # for its dataclasses
    exec(compile(source, f"{rev}:selectors.py", "exec"), old.__dict__)  # noqa: S102 - our own file at REV
    runs = {"old": old.due_list, "new": selectors.due_list}
    lists = {k: [i.to_dict() for i in f(None, root, as_of, months)] for k, f in runs.items()}  # warm
    assert lists["old"] == lists["new"], "the two due lists differ"
    print(f"cùng danh sách: {len(lists['new']):,} người")
    times: dict[str, list[float]] = {"old": [], "new": []}
    cpu: dict[str, list[float]] = {"old": [], "new": []}
    loads = []
    for n in range(repeat):
        for key in ("old", "new") if n % 2 == 0 else ("new", "old"):
            gc.collect()
            t0, c0 = time.perf_counter(), time.process_time()
            kept = runs[key](None, root, as_of, months)
            times[key].append(time.perf_counter() - t0)
            cpu[key].append(time.process_time() - c0)  # SQLite runs in this process
            del kept  # freed outside the timed part
        loads.append(os.getloadavg()[0])
    for key, label in (("old", f"trước ({rev})"), ("new", "sau (cây làm việc)")):
        t = times[key]
        print(
            f"{label}: trung vị {statistics.median(t) * 1000:.0f} ms "
            f"(min {min(t) * 1000:.0f}, max {max(t) * 1000:.0f}, {repeat} lần); "
            f"CPU trung vị {statistics.median(cpu[key]) * 1000:.0f} ms"
        )
    print(f"load average (1 phút) trong lúc đo: {min(loads):.2f}–{max(loads):.2f}")


if __name__ == "__main__":
    main()
