"""The name search's pages and counts (people.search) against the matching rule, on 97 namesakes
(``crowd``) in the test tree, with and without grants, lists of a unit and the API.

The namesakes are written once per class and kept for its tests (``rows_kept_for_the_scope``:
one transaction around the class, each test a savepoint inside it), since every test here only
reads them; before, each of the ~100 tests wrote them again (docs/performance.md, "Session 11").
The rule and the word table themselves are tested in ``test_search.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from canbo.conftest import make_tree, new_person, rows_kept_for_the_scope
from canbo.core.querysets import VIEW
from canbo.org.models import Unit
from canbo.people import search
from canbo.people.models import Person
from canbo.people.search import NameSearchResults, name_results, name_search
from canbo.people.tests.test_search import make_people


def add_crowd(tree: dict[str, Unit]) -> None:
    """More namesakes, so that pages, bounds and several runs per word are exercised."""
    given = ["Hoa", "Hòa", "Hoàng", "Hoài", "An", "Yến", "Thu", "Hà"]
    middle = ["Thị", "Văn", "Thị Thu", "", "Hoàng", "Ngọc"]
    family = ["Nguyễn", "Trần", "Hoàng", "Lê", "Nguyễn"]
    for i in range(90):
        name = " ".join(w for w in (family[i % 5], middle[i % 6], given[i % 8]) if w)
        new_person(tree["A1"] if i % 3 else tree["B"], name, born=dt.date(1960 + i % 40, 1, 1))


def build(*, with_person_a: bool) -> dict[str, Any]:
    """The rows the tests of a class share, written in the order the function-scoped fixtures
    wrote them before: the tree, ``person_a`` (which ``users`` brings), the seven people of
    ``test_search.py``, then the 90 namesakes."""
    tree = make_tree()
    person_a = new_person(tree["A1"], "Nguyễn Thị Hoa") if with_person_a else None
    people = make_people(tree)
    add_crowd(tree)
    return {"tree": tree, "person_a": person_a, "people": people}


@pytest.fixture(scope="class")
def shared(
    request: pytest.FixtureRequest, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[dict[str, Any]]:
    """The rows of one class, written when its first test starts and rolled back after its last."""
    with_person_a = getattr(request.cls, "with_person_a", False)
    with rows_kept_for_the_scope(django_db_blocker, lambda: build(with_person_a=with_person_a)) as rows:
        yield rows


class Shared:
    """Function-scoped views of the class's rows, read afresh for each test (a test that changes
    an instance in memory leaves the next one an unchanged copy)."""

    with_person_a = False

    @pytest.fixture
    def tree(self, shared: dict[str, Any], db: Any) -> dict[str, Unit]:
        units = Unit.objects.in_bulk([u.pk for u in shared["tree"].values()])
        return {code: units[u.pk] for code, u in shared["tree"].items()}

    @pytest.fixture
    def crowd(self, shared: dict[str, Any], tree: dict[str, Unit]) -> dict[str, Person]:
        persons = Person.objects.in_bulk([p.pk for p in shared["people"].values()])
        return {name: persons[p.pk] for name, p in shared["people"].items()}


PAGE_QUERIES = [
    "nguyen thi hoa", "NGUYỄN THỊ HOA", "hoa", "hòa", "khoa", "nguyen hoa", "ng hoa", "thi hoa",
    "hoa nguyen", "nguyen thi hoa khoa", "dang dinh dao", "dao", "le thi thu ha", "thu ha", "%", "_",
    "nguyen%hoa", "zzz", "n", "h", "nguyen", "thi", "van", "le thu", "t h", "hoa\ud7ff", "\U0010ffff",
]  # fmt: skip


def page_names(results: Any, start: int = 0, stop: int = 50) -> list[str]:
    return [p.full_name for p in results[start:stop]]


def rule_names(qs: Any, query: str, start: int = 0, stop: int = 50) -> list[str]:
    return [p.full_name for p in name_search(qs, query).order_by("sort_key", "id")[start:stop]]


GRANT_QUERIES = ["hoa", "nguyen thi", "thu", "le thu", "nguyen", "h", "hoa nguyen", "zzz"]


def candidate_reads(results: Any, monkeypatch: Any) -> list[int | None]:
    """The ``stop`` of each reading of the candidates within the grants' units, as it happens."""
    reads: list[int | None] = []
    read = results._local_candidates

    def spy(stop: int | None, **kwargs: Any) -> list[int]:
        reads.append(stop)
        return list(read(stop, **kwargs))

    monkeypatch.setattr(results, "_local_candidates", spy)
    return reads


class TestCrowd(Shared):
    """The tests that use no ``users`` (so no ``person_a``)."""

    @pytest.mark.parametrize("query", PAGE_QUERIES)
    def test_pages_are_the_rule_in_name_order(
        self, crowd: dict[str, Person], query: str, monkeypatch: Any
    ) -> None:
        base = Person.objects.order_by("sort_key", "id")
        results = name_results(base, query)
        for start, stop in [(0, 10), (10, 20), (0, 50), (40, 60)]:
            assert page_names(results, start, stop) == rule_names(base, query, start, stop), (start, stop)
        assert results.count() == name_search(base, query).count()
        # The pages come from the word table: without the fallback filter they are the same.
        fresh = name_results(base, query)
        monkeypatch.setattr(fresh, "queryset", None)
        assert page_names(fresh, 0, 20) == rule_names(base, query, 0, 20)

    def test_capped_count(self, crowd: dict[str, Person], monkeypatch: Any) -> None:
        monkeypatch.setattr(search, "COUNT_CAP", 5)
        base = Person.objects.order_by("sort_key", "id")
        many = NameSearchResults(base, "nguyen")
        assert (many.count(), many.count_is_lower_bound) == (5, True)
        few = NameSearchResults(base, "le thi thu ha")
        assert (few.count(), few.count_is_lower_bound) == (1, False)
        exact = NameSearchResults(base, "nguyen", exact_count=True)
        assert (exact.count(), exact.count_is_lower_bound) == (name_search(base, "nguyen").count(), False)
        assert NameSearchResults(base, "xyz").count() == 0

    def test_list_page_says_more_than(
        self, admin_client: Any, crowd: dict[str, Person], monkeypatch: Any
    ) -> None:
        monkeypatch.setattr(search, "COUNT_CAP", 5)
        page = admin_client.get("/can-bo/", {"q": "nguyen"}).content.decode()
        assert "Hơn 5 người" in page
        page = admin_client.get("/can-bo/", {"q": "le thi thu ha"}).content.decode()
        assert "<strong>1 người</strong>" in page and "Lê Thị Thu Hà" in page
        api = admin_client.get("/api/persons/", {"q": "nguyen", "limit": 3}).json()  # as the page says
        assert (api["count"], api["count_is_lower_bound"], len(api["results"])) == (5, True, 3)
        exact = admin_client.get("/api/persons/", {"q": "nguyen", "limit": 3, "dem_chinh_xac": "true"}).json()
        assert exact["count"] == name_search(Person.objects.all(), "nguyen").count()

    def test_capped_count_for_a_grant_on_the_whole_province(
        self, tree: dict[str, Unit], crowd: dict[str, Person], monkeypatch: Any
    ) -> None:
        from canbo.accounts.models import Grant, Role
        from canbo.conftest import _user

        monkeypatch.setattr(search, "COUNT_CAP", 5)
        officer = _user("officer_p")
        Grant.objects.create(user=officer, role=Role.OFFICER, unit=tree["P"])
        base = Person.objects.restrict(officer, VIEW).order_by("sort_key", "id")
        results = NameSearchResults(base, "nguyen")
        monkeypatch.setattr(results, "queryset", None)  # counted from the word table, not the filter
        assert (results.count(), results.count_is_lower_bound) == (5, True)
        few = NameSearchResults(base, "le thi thu ha")
        assert (few.count(), few.count_is_lower_bound) == (1, False)


class TestCrowdAndUsers(Shared):
    """The tests that use ``users``: ``person_a`` is written before the namesakes, as before."""

    with_person_a = True

    @pytest.fixture
    def person_a(self, shared: dict[str, Any], tree: dict[str, Unit]) -> Person:
        return Person.objects.get(pk=shared["person_a"].pk)

    @pytest.mark.parametrize("query", ["hoa", "nguyen thi", "thu", "h", "le thu", "zzz"])
    def test_pages_within_grants_walk_the_index(
        self, users: dict[str, Any], crowd: dict[str, Person], query: str, monkeypatch: Any
    ) -> None:
        """Another subtree's people never show: the runs (forced: SMALL_BASE 0) keep only the rows
        the grants and other filters let through, and the capped count counts only those."""
        monkeypatch.setattr(search, "SMALL_BASE", 0)
        monkeypatch.setattr(search, "BIG_BASE", 10_000)
        officer_b = Person.objects.restrict(users["officer_b"], VIEW).order_by("sort_key", "id")
        women = officer_b.filter(sex="nu")
        for base in (officer_b, women):
            results = NameSearchResults(base, query)
            for start, stop in [(0, 7), (7, 14), (0, 50)]:
                assert page_names(results, start, stop) == rule_names(base, query, start, stop)
            monkeypatch.setattr(results, "queryset", None)  # no fallback to the filter
            assert page_names(results, 0, 50) == rule_names(base, query)
            assert results.count() == name_search(base, query).count()
        officer_a_units = {p.managing_unit_id for p in Person.objects.restrict(users["officer_a"], VIEW)}
        shown = NameSearchResults(officer_b, query)[0:50]
        assert not {p.managing_unit_id for p in shown} & officer_a_units

    @pytest.mark.parametrize("query", ["hoa", "nguyen thi", "thu", "le thu", "nguyen", "zzz"])
    def test_pages_for_a_grant_on_the_whole_province(
        self,
        users: dict[str, Any],
        tree: dict[str, Unit],
        crowd: dict[str, Person],
        query: str,
        monkeypatch: Any,
    ) -> None:
        """A grant on the root lets nearly everybody through: the pages and the count come from
        everybody's matches checked against the grant (no id list, no filter), with the same rows."""
        from canbo.accounts.models import Grant, Role
        from canbo.conftest import _user

        officer = _user("officer_p")
        Grant.objects.create(user=officer, role=Role.OFFICER, unit=tree["P"])
        base = Person.objects.restrict(officer, VIEW).order_by("sort_key", "id")
        women = base.filter(sex="nu")
        for qs in (base, women):
            results = NameSearchResults(qs, query)
            monkeypatch.setattr(results, "queryset", None)  # neither the filter's pages nor its count
            monkeypatch.setattr(results, "_base_ids", None)  # nor the id list of narrow grants
            if query in ("nguyen", "hoa", "thu", "nguyen thi") and qs is base:
                assert page_names(results, 0, 20) == rule_names(qs, query, 0, 20)
                assert results.count() == name_search(qs, query).count()
            fresh = NameSearchResults(qs, query)
            for start, stop in [(0, 10), (10, 20), (0, 50)]:
                assert page_names(fresh, start, stop) == rule_names(qs, query, start, stop)
            assert fresh.count() == name_search(qs, query).count()

    @pytest.mark.parametrize("query", GRANT_QUERIES)
    @pytest.mark.parametrize("local_max", [10_000, 3])
    def test_pages_within_a_grant_read_its_units(
        self, users: dict[str, Any], crowd: dict[str, Person], query: str, local_max: int, monkeypatch: Any
    ) -> None:
        """A list that is exactly a grant reads the word table within the grant's units: sorted from
        the unit-led index when few (``LOCAL_MAX``), else walked in name order checking the unit of
        each entry. Same rows and count as the filter, and nobody of another subtree."""
        monkeypatch.setattr(search, "LOCAL_MAX", local_max)
        for name in ("officer_a", "officer_b"):
            user = users[name]
            base = Person.objects.restrict(user, VIEW).order_by("sort_key", "id")
            scope = search.unit_scope(user, exact=True)
            assert scope is not None and scope.unit_ids and scope.exact
            results = NameSearchResults(base, query, scope=scope)
            monkeypatch.setattr(results, "queryset", None)  # neither the filter's pages nor its count
            monkeypatch.setattr(results, "_base_ids", None)  # nor the id list of narrow lists
            monkeypatch.setattr(results, "_allowed", None)  # nor checks of persons against the grant
            if query != "h":  # a single letter starts too many words: the filter serves it
                for start, stop in [(0, 7), (7, 14), (0, 50)]:
                    assert page_names(results, start, stop) == rule_names(base, query, start, stop), name
                expected = name_search(base, query).count()
                assert results.count() == expected and not results.count_is_lower_bound
            fresh = search.name_results(base, query, user=user, grants_only=True)
            assert page_names(fresh, 0, 50) == rule_names(base, query)
            others = set(Person.objects.exclude(pk__in=base.values("pk")).values_list("pk", flat=True))
            assert not {p.pk for p in fresh[0:50]} & others

    def test_count_within_a_grant_over_local_max(
        self, users: dict[str, Any], crowd: dict[str, Person], monkeypatch: Any
    ) -> None:
        """Over LOCAL_MAX entries within the grant, the list says "more than COUNT_CAP"; the API's
        exact count reads all of them."""
        monkeypatch.setattr(search, "LOCAL_MAX", 6)  # 7 entries read: 7 persons, over COUNT_CAP
        monkeypatch.setattr(search, "COUNT_CAP", 5)
        user = users["officer_a"]
        base = Person.objects.restrict(user, VIEW).order_by("sort_key", "id")
        scope = search.unit_scope(user, exact=True)
        capped = NameSearchResults(base, "nguyen", scope=scope)
        assert (capped.count(), capped.count_is_lower_bound) == (5, True)
        exact = NameSearchResults(base, "nguyen", scope=scope, exact_count=True)
        monkeypatch.setattr(exact, "queryset", None)
        assert (exact.count(), exact.count_is_lower_bound) == (name_search(base, "nguyen").count(), False)

    @pytest.mark.parametrize("query", ["hoa", "nguyen thi", "thu", "nguyen", "le thu", "hoa nguyen", "zzz"])
    def test_other_filters_within_a_grant(
        self, users: dict[str, Any], crowd: dict[str, Person], query: str, monkeypatch: Any
    ) -> None:
        """Other filters besides the grant: the persons of the grant's units having the query word
        are read in name order and checked against the whole list (women only here) batch by batch,
        with neither the filter nor the id list of the list."""
        user = users["officer_a"]
        women = Person.objects.restrict(user, VIEW).filter(sex="nu").order_by("sort_key", "id")
        results = search.name_results(women, query, user=user, grants_only=False)
        assert results.scope is not None and not results.scope.exact
        monkeypatch.setattr(results, "queryset", None)
        monkeypatch.setattr(results, "_base_ids", None)
        assert page_names(results, 0, 5) == rule_names(women, query, 0, 5)
        assert page_names(results, 0, 50) == rule_names(women, query)
        assert (results.count(), results.count_is_lower_bound) == (name_search(women, query).count(), False)
        # Nobody of another subtree, though B's women have the same names.
        b_women = set(
            Person.objects.filter(sex="nu").exclude(pk__in=women.values("pk")).values_list("pk", flat=True)
        )
        assert b_women and not {p.pk for p in results[0:50]} & b_women

    def test_api_count_of_a_name_stops_at_the_cap_unless_exact(
        self, client: Any, users: dict[str, Any], crowd: dict[str, Person], monkeypatch: Any
    ) -> None:
        """The API counts a name query as the list page does: up to COUNT_CAP, saying so, with the
        next page still linked; ``?dem_chinh_xac=1`` counts them all; another value is a 400."""
        monkeypatch.setattr(search, "COUNT_CAP", 3)
        client.force_login(users["admin"])  # no grant limit: a department's is exact
        mine = Person.objects.all()
        expected = list(name_search(mine, "nguyen").order_by("sort_key", "id").values_list("pk", flat=True))
        assert len(expected) > 6
        capped = client.get("/api/persons/", {"q": "nguyen", "limit": 3}).json()
        assert (capped["count"], capped["count_is_lower_bound"]) == (3, True)
        assert [p["id"] for p in capped["results"]] == expected[:3] and "offset=3" in capped["next"]
        second = client.get(capped["next"]).json()
        assert [p["id"] for p in second["results"]] == expected[3:6] and second["count_is_lower_bound"]
        exact = client.get("/api/persons/", {"q": "nguyen", "limit": 3, "dem_chinh_xac": "1"}).json()
        assert (exact["count"], exact["count_is_lower_bound"]) == (len(expected), False)
        everyone = client.get("/api/persons/", {"limit": 3}).json()
        assert everyone["count"] == mine.count() and not everyone["count_is_lower_bound"]
        bad = client.get("/api/persons/", {"q": "nguyen", "dem_chinh_xac": "có"})
        assert bad.status_code == 400 and "Giá trị phải là 1" in bad.json()["errors"]["dem_chinh_xac"][0]

    def test_list_page_and_api_within_a_grant(
        self, client: Any, users: dict[str, Any], crowd: dict[str, Person]
    ) -> None:
        """The list page and the API of an officer: his subtree's namesakes only, counted exactly."""
        client.force_login(users["officer_b"])
        base = Person.objects.restrict(users["officer_b"], VIEW)
        expected = name_search(base, "nguyen").count()
        page = client.get("/can-bo/", {"q": "nguyen"}).content.decode()
        assert f"<strong>{expected} người</strong>" in page
        api = client.get("/api/persons/", {"q": "nguyen", "limit": 100}).json()
        assert api["count"] == expected
        assert {r["id"] for r in api["results"]} <= set(base.values_list("pk", flat=True))

    def test_capped_count_with_other_filters_within_a_grant(
        self, users: dict[str, Any], crowd: dict[str, Person], monkeypatch: Any
    ) -> None:
        monkeypatch.setattr(search, "COUNT_CAP", 3)
        user = users["officer_a"]
        women = Person.objects.restrict(user, VIEW).filter(sex="nu").order_by("sort_key", "id")
        assert name_search(women, "nguyen").count() > 3
        results = search.name_results(women, "nguyen", user=user)
        monkeypatch.setattr(results, "queryset", None)
        assert (results.count(), results.count_is_lower_bound) == (3, True)
        exact = search.name_results(women, "nguyen", user=user, exact_count=True)
        assert (exact.count(), exact.count_is_lower_bound) == (name_search(women, "nguyen").count(), False)

    def test_count_with_other_filters_when_few_pass(
        self, users: dict[str, Any], crowd: dict[str, Person], monkeypatch: Any
    ) -> None:
        """The count's first look at the candidates within the grant's units (any few of them)
        holds too few that pass: all of them are then read and checked, each counted once."""
        monkeypatch.setattr(search, "COUNT_CAP", 2)
        user = users["officer_a"]
        mine = Person.objects.restrict(user, VIEW)
        two = list(name_search(mine, "nguyen").order_by("-pk").values_list("pk", flat=True)[:2])
        base = mine.filter(pk__in=two).order_by("sort_key", "id")
        results = search.name_results(base, "nguyen", user=user)
        assert results.scope is not None and not results.scope.exact
        monkeypatch.setattr(results, "queryset", None)
        reads = candidate_reads(results, monkeypatch)
        assert (results.count(), results.count_is_lower_bound) == (2, False)
        assert reads == [15, None]  # 3 to pass, a quarter passing: 15 entries; then all of them
        assert search.NameSearchResults._local_entries(results)[0] > 15  # type: ignore[index]
        assert [p.pk for p in results[0:10]] == list(base.values_list("pk", flat=True))

    def test_the_first_page_comes_from_the_candidates_the_count_checked(
        self, users: dict[str, Any], crowd: dict[str, Person], monkeypatch: Any
    ) -> None:
        """Other filters within a grant, few entries: the count reads them all in name order and
        checks them; the first pages are the first of those that passed, read from nowhere else."""
        user = users["officer_a"]
        mine = Person.objects.restrict(user, VIEW)
        second = name_search(mine, "nguyen").order_by("sort_key", "id").values_list("pk", flat=True)[1]
        base = mine.exclude(pk=second).order_by("sort_key", "id")
        results = search.name_results(base, "nguyen", user=user)
        monkeypatch.setattr(results, "queryset", None)
        entries = search.NameSearchResults._local_entries(results)[0]  # type: ignore[index]
        monkeypatch.setattr(search, "COUNT_CAP", entries // 5 + 1)  # the first look reads them all
        first = int((search.COUNT_CAP + 1) * 4 * 1.25)
        reads = candidate_reads(results, monkeypatch)
        expected = list(name_search(base, "nguyen").values_list("pk", flat=True))
        assert results.count() == min(len(expected), search.COUNT_CAP) and len(expected) >= 5
        assert [p.pk for p in results[0:3]] == expected[:3]
        assert [p.pk for p in results[3:5]] == expected[3:5] and second not in expected
        assert reads == [first] and first >= entries  # the pages read nothing more

    @pytest.mark.parametrize("query", ["hoa", "nguyen thi", "thu", "nguyen", "le thu", "zzz"])
    @pytest.mark.parametrize("username", ["admin", "officer_a"])
    @pytest.mark.parametrize("sex", ["", "nu"])
    def test_a_units_list_reads_its_subtree_and_its_post_holders(
        self,
        users: dict[str, Any],
        tree: dict[str, Unit],
        crowd: dict[str, Person],
        title: Any,
        query: str,
        username: str,
        sex: str,
    ) -> None:
        """A unit's list (``?don_vi=``) holds the dossiers kept in its subtree and the persons holding
        a post there: the name search reads the word table within the subtree's units and adds the
        post holders whose name matches, with the same rows and count as the filter."""
        from django.http import QueryDict

        from canbo.careers.models import Tenure
        from canbo.lists.selectors import filtered_persons

        kept_in_b = Person.objects.filter(managing_unit=tree["B"]).order_by("pk")
        for person in kept_in_b[:6]:  # namesakes kept in B, holding a post in A1
            Tenure.objects.create(
                person=person, unit=tree["A1"], title=title, kind="bo_nhiem", start_date=dt.date(2020, 1, 1)
            )
        day = dt.date(2026, 1, 1)
        params = QueryDict(mutable=True)
        params.update({"don_vi": str(tree["A"].pk), "q": query, "gioi_tinh": sex})
        _form, _unit, results = filtered_persons(users[username], params, day, paged=True, exact_count=True)
        _form, _unit, rule = filtered_persons(users[username], params, day)
        assert (
            isinstance(results, NameSearchResults)
            and results.scope is not None
            and results.scope.others is not None
        )
        results.queryset = None  # type: ignore[assignment]  # neither the filter's pages nor its count
        results._base_ids = None  # type: ignore[method-assign,assignment]
        # Never "plain" since the list's service status always applies (by default: in service on
        # the day), so every candidate is checked against the list.
        assert not results.scope.plain
        assert [p.pk for p in results[0:50]] == [p.pk for p in rule[:50]]
        assert [p.pk for p in results[3:9]] == [p.pk for p in rule[3:9]]
        assert results.count() == rule.count()
        _form, _unit, capped = filtered_persons(users[username], params, day, paged=True, exact_count=False)
        capped.queryset = None
        assert (capped.count(), capped.count_is_lower_bound) == (rule.count(), False)
        holders = {p.pk for p in kept_in_b[:6]}
        if username == "admin" and query in ("nguyen", "hoa") and not sex:  # found by their post in A1
            assert {p.pk for p in results[0:50]} & holders
        if username == "officer_a":  # kept in B: outside officer_a's grants, post or not
            assert not {p.pk for p in results[0:50]} & holders
