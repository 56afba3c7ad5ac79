"""The shared fixtures of ``canbo/conftest.py`` written in bulk write the rows they wrote one by one:
the test tree (``make_tree``) is the tree treebeard's ``add_root``/``add_child`` write one unit at
a time (the same rows, paths, depths, child counts and order, also beside a tree already in the
database), and ``users`` the accounts and grants of ``create_user`` and ``Grant.objects.create``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from canbo.accounts.models import Grant, Role
from canbo.conftest import _user, make_tree, make_unit
from canbo.org.choices import Level, UnitKind
from canbo.org.models import Unit
from canbo.people.models import Person

SKIPPED = {"id", "created", "last_updated"}


def one_by_one() -> dict[str, Unit]:
    """The tree as ``make_tree`` wrote it before, through treebeard, unit by unit."""
    p = make_unit(None, "P", "Tỉnh Thử nghiệm")
    a = make_unit(p, "A", "Huyện A", level=Level.DISTRICT)
    a1 = make_unit(a, "A1", "Phòng Nội vụ huyện A", kind=UnitKind.DIVISION, level=Level.DISTRICT)
    b = make_unit(p, "B", "Huyện B", level=Level.DISTRICT)
    return {u.code: Unit.objects.get(pk=u.pk) for u in (p, a, a1, b)}


def rows() -> list[dict[str, Any]]:
    values = Unit.objects.order_by("id").values()
    return [{k: v for k, v in row.items() if k not in SKIPPED} for row in values]


def built(build: Any, *, before: Any = None) -> tuple[list[dict[str, Any]], list[str], list[int]]:
    """The rows ``build`` leaves (after ``before``), in id order, then undone."""
    sid = transaction.savepoint()
    if before:
        before()
    tree = build()
    result = rows(), list(tree), [u.pk for u in tree.values()]
    transaction.savepoint_rollback(sid)
    return result


def test_the_tree_in_one_statement_is_the_tree_unit_by_unit(db: Any) -> None:
    slow, slow_keys, slow_ids = built(one_by_one)
    fast, fast_keys, fast_ids = built(make_tree)
    assert fast == slow
    assert fast_keys == slow_keys == ["P", "A", "A1", "B"]
    assert fast_ids == sorted(fast_ids) and slow_ids == sorted(slow_ids)
    assert [r["path"] for r in fast] == ["0001", "00010001", "000100010001", "00010002"]
    assert [r["numchild"] for r in fast] == [2, 1, 0, 0]


def test_beside_another_root_the_paths_follow_it(db: Any) -> None:
    """A test that writes a root of its own first: the tree goes after it, as treebeard puts it."""

    def other() -> None:
        make_unit(None, "X", "Tỉnh Khác", valid_from=dt.date(2020, 1, 1))

    slow = built(one_by_one, before=other)[0]
    fast = built(make_tree, before=other)[0]
    assert fast == slow
    assert [r["path"] for r in fast] == ["0001", "0002", "00020001", "000200010001", "00020002"]


def test_the_tree_is_written_in_three_queries(db: Any) -> None:
    """The last root, one insert of the four units, one read of them back (it was sixteen)."""
    with CaptureQueriesContext(connection) as ctx:
        tree = make_tree()
    assert len(ctx.captured_queries) == 3, [q["sql"] for q in ctx.captured_queries]
    assert [u.code for u in Unit.objects.get_children(tree["P"])] == ["A", "B"]
    assert [u.code for u in Unit.objects.get_children(tree["A"])] == ["A1"]


def users_one_by_one(tree: dict[str, Unit], person_a: Any) -> dict[str, User]:
    """The ``users`` fixture as it was: ``create_user`` and ``Grant.objects.create`` one by one."""
    u = {
        "officer_a": _user("officer_a"),
        "leader_a": _user("leader_a"),
        "officer_b": _user("officer_b"),
        "nogrant": _user("nogrant"),
        "admin": _user("admin", is_superuser=True, is_staff=True),
        "self_user": _user("self_user"),
    }
    Grant.objects.create(user=u["officer_a"], role=Role.OFFICER, unit=tree["A"], include_sensitive=True)
    Grant.objects.create(user=u["leader_a"], role=Role.LEADER, unit=tree["A"])
    Grant.objects.create(user=u["officer_b"], role=Role.OFFICER, unit=tree["B"], include_sensitive=True)
    Grant.objects.create(user=u["self_user"], role=Role.SELF, person=person_a)
    return u


def accounts() -> list[Any]:
    """Users and grants without ids, times and salted hashes; the password each user logs in with."""
    seen: list[Any] = []
    for user in User.objects.order_by("id"):
        row = {k: v for k, v in vars(user).items() if k not in {"_state", "id", "password", "date_joined"}}
        seen.append((row, user.check_password("pw-" + user.username)))
    for grant in Grant.objects.order_by("id").select_related("user"):
        row = {k: v for k, v in vars(grant).items() if k not in {"_state", "id", "user_id", *SKIPPED}}
        seen.append((row, grant.user.username))
    return seen


def test_users_in_bulk_are_the_users_one_by_one(
    users: dict[str, User], tree: dict[str, Unit], person_a: Any
) -> None:
    fast = accounts()
    assert [u.pk for u in users.values()] == sorted(u.pk for u in users.values())
    User.objects.all().delete()  # their grants go with them
    users_one_by_one(tree, person_a)
    assert accounts() == fast
    assert len(fast) == 10 and all(ok for _row, ok in fast[:6])


def test_the_users_are_written_in_two_queries(tree: dict[str, Unit], person_a: Any, request: Any) -> None:
    with CaptureQueriesContext(connection) as ctx:
        request.getfixturevalue("users")
    assert len(ctx.captured_queries) == 2, [q["sql"] for q in ctx.captured_queries]


def test_users_kept_for_a_module_are_hashed_as_the_tests_hash(tree: dict[str, Unit], person_a: Any) -> None:
    """A module-scoped fixture (``common_rows_of_the_module``) writes the users with MD5, the tests'
    hasher, whatever hasher the settings name then: not with the default PBKDF2 (600 ms of CPU for
    six users, and another hash to check at each login)."""
    from django.test import override_settings

    from canbo.conftest import make_users

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        made = make_users(tree, person_a)
    assert all(u.password.startswith("md5$") for u in made.values())
    assert all(u.check_password(f"pw-{name}") for name, u in made.items())


def test_the_bulk_fixtures_skip_no_signal() -> None:
    """``bulk_create`` sends no ``pre_save``/``post_save``: the day a receiver is added for one of
    these models, the bulk fixtures would silently leave out its rows, so this fails first."""
    from django.db.models import signals

    for model in (Unit, User, Grant):
        for signal in (signals.pre_save, signals.post_save):
            assert not signal.has_listeners(model), (model.__name__, signal)


def test_a_person_names_the_reference_rows_read_when_the_database_was_made(db: Any) -> None:
    """``new_person`` reads no ethnicity or religion (three queries a person before): its nine
    are ``person_create``'s own (the checks of the three links and of the personal ID, the
    insert, the snapshots' epoch, the change log, and the savepoint around them)."""
    from canbo.conftest import new_person
    from canbo.people.models import Ethnicity, Religion

    tree = make_tree()
    with CaptureQueriesContext(connection) as ctx:
        person = new_person(tree["A1"])
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(sql) == 9, sql
    assert not [s for s in sql if '"code" =' in s], sql
    assert (person.ethnicity.pk, person.ethnicity.name) == (
        Ethnicity.objects.get(code="01").pk, Ethnicity.objects.get(code="01").name,
    )  # fmt: skip
    assert person.religion == Religion.objects.get(code="00")
    assert not person.ethnicity._state.adding and person.ethnicity._state.db == "default"
    other = new_person(tree["A1"])
    assert other.ethnicity is not person.ethnicity and other.religion is not person.religion
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.ethnicity_id, fresh.religion_id) == (person.ethnicity.pk, person.religion.pk)


def test_once_a_transactional_test_starts_each_person_reads_them_again(db: Any, monkeypatch: Any) -> None:
    """A transactional test may migrate the reference rows away and its flush deletes them: its
    set-up forgets the rows kept, and ``new_person`` reads (or writes) them per person again."""
    from django.test import TransactionTestCase

    from canbo import conftest
    from canbo.conftest import new_person

    kept = dict(conftest._reference_rows)
    assert kept, "the rows were not read when the test database was made"
    monkeypatch.setattr(conftest, "_reference_rows", kept)

    # What pytest-django's transactional test case runs first (a private class method of Django's).
    getattr(TransactionTestCase, "_fixture_setup")()  # noqa: B009
    assert conftest._reference_rows == {}
    tree = make_tree()
    with CaptureQueriesContext(connection) as ctx:
        person = new_person(tree["A1"])
    assert len(ctx.captured_queries) == 12, [q["sql"] for q in ctx.captured_queries]
    assert (person.ethnicity.code, person.religion.code) == ("01", "00")
