"""Name and personal-id search (people.search.name_search) on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from canbo.conftest import new_person
from canbo.core.querysets import VIEW
from canbo.org.models import Unit
from canbo.people.models import Person
from canbo.people.search import FTS_TABLE, name_search
from canbo.people.services import person_update

NAMES = [
    "Nguyễn Thị Hoa",
    "Trần Thị Hòa",
    "Hoàng Văn Nam",
    "Nguyễn Văn Khoa",
    "Đặng Đình Đào",
    "Lê Thị Thu Hà",
    "Nguyễn Hoa",
]


@pytest.fixture
def people(tree: dict[str, Unit]) -> dict[str, Person]:
    out = {}
    for i, name in enumerate(NAMES):
        unit = tree["B"] if name == "Nguyễn Hoa" else tree["A1"]
        sex = "nu" if " Thị " in name else "nam"
        out[name] = new_person(unit, name, sex=sex, born=dt.date(1970 + i, 1, 1))
    return out


def found(query: str, qs: Any = None) -> list[str]:
    qs = Person.objects.all() if qs is None else qs
    return sorted(p.full_name for p in name_search(qs, query))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen thi hoa", ["Nguyễn Thị Hoa"]),
        ("NGUYỄN THỊ HOA", ["Nguyễn Thị Hoa"]),
        ("Nguyen Thi Hoa", ["Nguyễn Thị Hoa"]),
        ("  nguyen   thi  hoa ", ["Nguyễn Thị Hoa"]),
        # A word matches the start of a name word: Hoa, Hòa and Hoàng, never Khoa.
        ("hoa", ["Hoàng Văn Nam", "Nguyễn Hoa", "Nguyễn Thị Hoa", "Trần Thị Hòa"]),
        ("hòa", ["Hoàng Văn Nam", "Nguyễn Hoa", "Nguyễn Thị Hoa", "Trần Thị Hòa"]),
        ("khoa", ["Nguyễn Văn Khoa"]),
        # Family + given name, word prefixes, in the order typed.
        ("nguyen hoa", ["Nguyễn Hoa", "Nguyễn Thị Hoa"]),
        ("ng hoa", ["Nguyễn Hoa", "Nguyễn Thị Hoa"]),
        ("thi hoa", ["Nguyễn Thị Hoa", "Trần Thị Hòa"]),
        ("hoa nguyen", []),
        ("nguyen thi hoa khoa", []),
        # đ is found by d (and by đ).
        ("dang dinh dao", ["Đặng Đình Đào"]),
        ("dao", ["Đặng Đình Đào"]),
        ("ĐÀO", ["Đặng Đình Đào"]),
        ("le thi thu ha", ["Lê Thị Thu Hà"]),
        ("thu ha", ["Lê Thị Thu Hà"]),
        # LIKE wildcards typed by the user are plain characters.
        ("%", []),
        ("_", []),
        ("nguyen%hoa", []),
        ("nguyen_thi", []),
        ("zzz", []),
    ],
)
def test_name_semantics(people: dict[str, Person], query: str, expected: list[str]) -> None:
    assert found(query) == expected


def test_empty_query_is_no_filter(people: dict[str, Person]) -> None:
    assert len(found("")) == len(NAMES) == len(found("   "))


def test_personal_id_prefix(people: dict[str, Person]) -> None:
    hoa = people["Nguyễn Thị Hoa"]
    pid = hoa.personal_id
    assert found(pid) == ["Nguyễn Thị Hoa"]
    assert found(f"{pid[:4]} {pid[4:8]} {pid[8:]}") == ["Nguyễn Thị Hoa"]  # typed in groups
    assert "Nguyễn Thị Hoa" in found(pid[:6])
    assert found(pid[:-1] + str((int(pid[-1]) + 1) % 10)) == []
    assert found("999") == []  # no upper bound for a prefix of nines
    assert found("010") == sorted(NAMES)  # every test person is registered in province 010


def test_combines_with_restrict_and_other_filters(users: dict[str, Any], people: dict[str, Person]) -> None:
    # ``users`` brings person_a, another "Nguyễn Thị Hoa" kept in A1.
    officer_a = Person.objects.restrict(users["officer_a"], VIEW)
    assert found("nguyen hoa", officer_a) == ["Nguyễn Thị Hoa", "Nguyễn Thị Hoa"]  # Nguyễn Hoa is in B
    officer_b = Person.objects.restrict(users["officer_b"], VIEW)
    assert found("nguyen thi hoa", officer_b) == []
    assert found("nguyen hoa", officer_b) == ["Nguyễn Hoa"]
    assert found("hoa", Person.objects.filter(sex="nam")) == ["Hoàng Văn Nam", "Nguyễn Hoa"]
    # Filters after the search as well, then the caller's name order and page.
    unit_b = people["Nguyễn Hoa"].managing_unit
    assert found("hoa", name_search(Person.objects.all(), "nguyen").filter(managing_unit=unit_b)) == [
        "Nguyễn Hoa"
    ]
    page = name_search(Person.objects.exclude(pk__in=[p.pk for p in people.values()][:1]), "hoa")
    # Given name first: Hoa (Nguyễn Hoa, no middle name, first), Hoa, Hòa, then Nam.
    names = [p.full_name for p in page.order_by("sort_key", "id")[:50]]
    assert names == ["Nguyễn Hoa", "Nguyễn Thị Hoa", "Trần Thị Hòa", "Hoàng Văn Nam"]


def test_index_follows_rename_and_delete(people: dict[str, Person]) -> None:
    """On SQLite the FTS table is kept in sync by triggers; three-word queries use it."""
    hoa = people["Nguyễn Thị Hoa"]
    person_update(acting_user=None, person=hoa, changes={"full_name": "Nguyễn Thị Hồng Nhung"})
    assert found("nguyen thi hoa") == []
    assert found("nguyen thi hong nhung") == ["Nguyễn Thị Hồng Nhung"]
    Person.objects.filter(pk=people["Lê Thị Thu Hà"].pk).delete()
    assert found("le thi thu ha") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")


def test_search_indexes_exist(db: Any) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'people_person_name_trgm'")
            (indexdef,) = cur.fetchone()
            assert "gin" in indexdef and "gin_trgm_ops" in indexdef
            cur.execute("SELECT 1 FROM pg_statistic_ext WHERE stxname = 'people_person_name_stats'")
            assert cur.fetchone()
        else:
            cur.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'people_person_name%'")
            objects = set(cur.fetchall())
            assert {
                ("table", FTS_TABLE),
                ("trigger", f"{FTS_TABLE}_ai"),
                ("trigger", f"{FTS_TABLE}_ad"),
                ("trigger", f"{FTS_TABLE}_au"),
                ("index", "people_person_name_walk"),
            } <= objects
            # The triggers must sit on the current people_person (a table rebuild drops them).
            cur.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'people_person'"
            )
            assert cur.fetchone()[0] >= 3


def test_plan_uses_the_search_index(people: dict[str, Person]) -> None:
    """Best effort: with so few rows the planner would rather scan, so scans are discouraged."""
    qs = name_search(Person.objects.all(), "nguyen thi hoa").order_by("sort_key", "id")[:50]
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute("SET LOCAL enable_indexscan = off")
        assert "people_person_name_trgm" in qs.explain()
    else:
        assert f"{FTS_TABLE} VIRTUAL TABLE" in qs.explain()
        walk = name_search(Person.objects.all(), "hoa").order_by("sort_key", "id")[:50]
        assert "people_person_name_walk" in walk.explain()
