"""Name and personal-id search (people.search) on SQLite and on PostgreSQL: the matching rule
(``name_search``), the name-word table kept by triggers (migration 0007) and the pages read
from it (``NameSearchResults``), which must give exactly the rows of the rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from canbo.conftest import make_tree, new_person, rows_kept_for_the_scope
from canbo.core.querysets import VIEW
from canbo.org.models import Unit
from canbo.people import search
from canbo.people.models import Person
from canbo.people.search import WORD_TABLE, NameSearchResults, name_search
from canbo.people.services import NAME_FIELDS, _derive_names, person_update

NAMES = [
    "Nguyễn Thị Hoa",
    "Trần Thị Hòa",
    "Hoàng Văn Nam",
    "Nguyễn Văn Khoa",
    "Đặng Đình Đào",
    "Lê Thị Thu Hà",
    "Nguyễn Hoa",
]


def make_people(tree: dict[str, Unit]) -> dict[str, Person]:
    out = {}
    for i, name in enumerate(NAMES):
        unit = tree["B"] if name == "Nguyễn Hoa" else tree["A1"]
        sex = "nu" if " Thị " in name else "nam"
        out[name] = new_person(unit, name, sex=sex, born=dt.date(1970 + i, 1, 1))
    return out


@pytest.fixture
def people(tree: dict[str, Unit]) -> dict[str, Person]:
    return make_people(tree)


def found(query: str, qs: Any = None) -> list[str]:
    qs = Person.objects.all() if qs is None else qs
    return sorted(p.full_name for p in name_search(qs, query))


@pytest.fixture(scope="class")
def people_of_the_class(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Person]]:
    """The tree and the seven people written once for ``TestTheRuleReadOnly``, in the order the
    ``tree`` and ``people`` fixtures wrote them, and rolled back after its last test."""

    def build() -> dict[str, Person]:
        return make_people(make_tree())

    with rows_kept_for_the_scope(django_db_blocker, build) as rows:
        yield rows


class TestTheRuleReadOnly:
    """The tests that only read the seven people: they share one copy (``people_of_the_class``;
    each of the 24 wrote the tree and the seven again). The other tests of the module write
    their own, and the class's rows are gone before them."""

    @pytest.fixture
    def people(self, people_of_the_class: dict[str, Person], db: Any) -> dict[str, Person]:
        # Read afresh for each test: a change in memory is not seen by the next one.
        fresh = Person.objects.in_bulk([p.pk for p in people_of_the_class.values()])
        return {name: fresh[p.pk] for name, p in people_of_the_class.items()}

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
    def test_name_semantics(self, people: dict[str, Person], query: str, expected: list[str]) -> None:
        assert found(query) == expected

    def test_empty_query_is_no_filter(self, people: dict[str, Person]) -> None:
        assert len(found("")) == len(NAMES) == len(found("   "))

    def test_personal_id_prefix(self, people: dict[str, Person]) -> None:
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


def word_rows(person: Person) -> set[tuple[str, int]]:
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT word, part, sort_key, search_name FROM {WORD_TABLE} WHERE person_id = %s", [person.pk]
        )
        rows = cur.fetchall()
    person.refresh_from_db()
    assert all(r[2] == person.sort_key and r[3] == person.search_name for r in rows)
    return {(r[0], r[1]) for r in rows}


def test_word_table_follows_insert_rename_and_delete(people: dict[str, Person]) -> None:
    """The triggers keep one row per word, with its place: 10 × from the start + from the end."""
    assert word_rows(people["Lê Thị Thu Hà"]) == {("le", 13), ("thi", 23), ("thu", 32), ("ha", 31)}
    assert word_rows(people["Nguyễn Hoa"]) == {("nguyen", 12), ("hoa", 21)}
    hoa = people["Nguyễn Thị Hoa"]
    assert word_rows(hoa) == {("nguyen", 13), ("thi", 22), ("hoa", 31)}
    person_update(acting_user=None, person=hoa, changes={"full_name": "Nguyễn Thị Hồng Nhung"})
    assert word_rows(hoa) == {("nguyen", 13), ("thi", 23), ("hong", 32), ("nhung", 31)}
    assert found("nguyen thi hoa") == []
    assert found("nguyen thi hong nhung") == ["Nguyễn Thị Hồng Nhung"]
    # Quotes and backslashes cannot break the triggers' splitting of the name. The name check
    # refuses them in a write through the services; a bulk load (the generator) does not check,
    # so the name is written here as such a load would.
    odd = Person(full_name='Nguyễn "Bé\\ Hoa')
    _derive_names(odd)
    Person.objects.filter(pk=hoa.pk).update(**{f: getattr(odd, f) for f in ("full_name", *NAME_FIELDS)})
    assert word_rows(hoa) == {("nguyen", 13), ('"be\\', 22), ("hoa", 31)}
    assert [
        p.full_name for p in NameSearchResults(Person.objects.order_by("sort_key", "id"), '"be')[0:50]
    ] == ['Nguyễn "Bé\\ Hoa']
    ha = people["Lê Thị Thu Hà"]
    Person.objects.filter(pk=ha.pk).delete()
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {WORD_TABLE} WHERE person_id = %s", [ha.pk])
        assert cur.fetchone()[0] == 0
    assert found("le thi thu ha") == []


def test_search_indexes_exist(db: Any) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'people_person_name_trgm'")
            (indexdef,) = cur.fetchone()
            assert "gin" in indexdef and "gin_trgm_ops" in indexdef
            cur.execute("SELECT 1 FROM pg_statistic_ext WHERE stxname = 'people_person_name_stats'")
            assert cur.fetchone()
            cur.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'people_person'::regclass AND NOT tgisinternal"
            )
            assert {f"{WORD_TABLE}_ins_del", f"{WORD_TABLE}_upd"} <= {r[0] for r in cur.fetchall()}
            cur.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [f"{WORD_TABLE}_unit"])
            assert cur.fetchone()
            # Marks the search's statements as not to be run by parallel workers (migration 0009).
            cur.execute("SELECT proparallel, provolatile FROM pg_proc WHERE proname = %s", [search.SERIAL])
            assert cur.fetchone() == ("u", "i")
        else:
            cur.execute(
                "SELECT type, name, tbl_name FROM sqlite_master WHERE name LIKE %s", ["people_person_name%"]
            )
            objects = set(cur.fetchall())
            # The triggers must sit on the current people_person (a table rebuild drops them).
            assert {
                ("table", WORD_TABLE, WORD_TABLE),
                ("index", f"{WORD_TABLE}_unit", WORD_TABLE),
                ("trigger", f"{WORD_TABLE}_ai", "people_person"),
                ("trigger", f"{WORD_TABLE}_ad", "people_person"),
                ("trigger", f"{WORD_TABLE}_au", "people_person"),
                ("index", "people_person_name_walk", "people_person"),
            } <= objects


def test_plan_uses_the_search_index(people: dict[str, Person]) -> None:
    """Best effort: with so few rows the planner would rather scan, so scans are discouraged."""
    qs = name_search(Person.objects.all(), "nguyen thi hoa").order_by("sort_key", "id")[:50]
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute("SET LOCAL enable_indexscan = off")
        assert "people_person_name_trgm" in qs.explain()
    else:
        walk = name_search(Person.objects.all(), "hoa").order_by("sort_key", "id")[:50]
        assert "people_person_name_walk" in walk.explain()


def test_unit_scope(users: dict[str, Any], tree: dict[str, Unit]) -> None:
    from canbo.accounts.models import Grant, Role
    from canbo.conftest import _user

    scope = search.unit_scope(users["officer_a"], exact=True)
    assert scope is not None and set(scope.unit_ids or ()) == {tree["A"].pk, tree["A1"].pk}
    assert search.unit_scope(users["admin"], exact=True) is None  # no grant limit
    assert search.unit_scope(users["self_user"], exact=True) is None  # his own dossier, kept anywhere
    nogrant = search.unit_scope(users["nogrant"], exact=True)
    assert nogrant is not None and nogrant.unit_ids == ()
    officer = _user("officer_p")
    Grant.objects.create(user=officer, role=Role.OFFICER, unit=tree["P"])
    root = search.unit_scope(officer, exact=True)
    assert root is not None and root.unit_ids is None  # every unit: no condition on the entries


def test_word_table_follows_a_change_of_managing_unit(
    users: dict[str, Any], people: dict[str, Person], tree: dict[str, Unit]
) -> None:
    """A dossier moved to another unit leaves the old grant's searches and enters the new one's."""
    from canbo.people.services import person_update

    hoa = people["Nguyễn Thị Hoa"]  # kept in A1
    person_update(acting_user=None, person=hoa, changes={"managing_unit": tree["B"]})
    with connection.cursor() as cur:
        cur.execute(f"SELECT DISTINCT unit_id FROM {WORD_TABLE} WHERE person_id = %s", [hoa.pk])
        assert [r[0] for r in cur.fetchall()] == [tree["B"].pk]
    for name, expected in (("officer_a", []), ("officer_b", ["Nguyễn Thị Hoa"])):
        user = users[name]
        base = Person.objects.restrict(user, VIEW).order_by("sort_key", "id")
        results = search.name_results(base, "nguyen thi hoa", user=user, grants_only=True)
        assert [p.full_name for p in results[0:50] if p.pk == hoa.pk] == expected


def test_count_of_names_repeating_a_word(tree: dict[str, Unit]) -> None:
    """A person has an entry in each run where a word of his starts with the query word: the
    count stops by entries, then counts persons, reading each run again when it must."""
    for _ in range(2):
        new_person(tree["A1"], "Thi Thi Thi Thi Thi Thi Thi")  # 5 entries each: parts 13, 23, 33, 32, 31
    index = search._WordIndex(connection.alias)
    words, parts = index.expand("thi"), search.allowed_parts(0, 1)
    assert index.count(words, parts, None, 1) == (1, True)  # 6 entries read: 2 persons
    assert index.count(words, parts, None, 2) == (2, False)  # 9 entries read, 2 persons: each run again
    assert index.count(words, parts, None, 10) == (2, False)  # every entry read
