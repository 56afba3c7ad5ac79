"""How a test process runs the suite (``canbo/conftest.py``): the order (``suite_order``: the long
poles first, then the tests without a database, those that wait on processes of their own among
them, then the database tests in pytest-django's order, the transactional ones last), and the
garbage collector's threshold (``GC_THRESHOLD``)."""

from __future__ import annotations

import pytest

from canbo.conftest import LONG_POLES, pytest_collection_modifyitems


def test_this_run_s_order(request: pytest.FixtureRequest) -> None:
    """This very run's items (pytest-django sorted them first, then ``suite_order``): whatever was
    selected, no test without a database comes after a database test, and no database test
    after a transactional one."""
    items = request.session.items

    def kind(item: pytest.Item) -> int:
        if item.nodeid.endswith(LONG_POLES):
            return 0
        fixtures = set(getattr(item, "fixturenames", ()))
        marker = item.get_closest_marker("django_db")
        if fixtures & {"transactional_db", "live_server"} or (marker and marker.kwargs.get("transaction")):
            return 3
        return 2 if (marker or "db" in fixtures) else 1

    kinds = [kind(item) for item in items]
    assert kinds == sorted(kinds)
    assert kind(request.node) == 1  # this test opens no database: it ran among the first


class _Item:
    def __init__(self, nodeid: str, fixtures: tuple[str, ...] = (), db: bool = False) -> None:
        self.nodeid = nodeid
        self.fixturenames = list(fixtures)
        self._db = db
        self.path: str | None = None

    def get_closest_marker(self, name: str) -> object:
        return object() if name == "django_db" and self._db else None


def test_the_order_moves_tests_without_a_database_before_the_database_tests() -> None:
    # pytest-django's order: database tests, transactional tests, tests without a database.
    items = [
        _Item("a.py::db_by_marker", db=True),
        _Item("a.py::db_by_fixture", ("db",)),
        _Item("canbo/demo/tests/test_generator.py::test_demo_province", ("db",)),
        _Item("b.py::server", ("live_server", "transactional_db")),
        _Item("b.py::flushes", ("transactional_db",)),
        _Item("c.py::pure"),
        _Item("c.py::starts_a_process", ("tmp_path",)),
    ]
    pytest_collection_modifyitems(None, items)  # type: ignore[arg-type]
    assert [i.nodeid for i in items] == [
        "canbo/demo/tests/test_generator.py::test_demo_province",
        "c.py::pure",
        "c.py::starts_a_process",
        "a.py::db_by_marker",
        "a.py::db_by_fixture",
        "b.py::server",
        "b.py::flushes",
    ]


def test_a_test_process_collects_garbage_less_often_and_not_the_start_up_s() -> None:
    import gc

    from canbo.conftest import GC_THRESHOLD

    assert gc.get_threshold() == GC_THRESHOLD
    assert gc.get_freeze_count() > 10_000  # Django's and the collected modules' objects


class _Marked(_Item):
    def __init__(self, nodeid: str, fixtures: tuple[str, ...] = (), markers: tuple[str, ...] = ()) -> None:
        super().__init__(nodeid, fixtures)
        self.markers = markers
        self.path = __file__  # a module that names the engine: CANBO_DB

    def get_closest_marker(self, name: str) -> object:
        return object() if name in self.markers else None


def test_a_test_on_a_database_of_its_own_runs_once_though_its_module_names_the_engine() -> None:
    from canbo.conftest import runs_the_same_on_every_database as same

    assert not same(_Marked("m.py::starts_a_process", ("tmp_path",)))  # type: ignore[arg-type]
    assert same(_Marked("m.py::starts_a_process", ("tmp_path",), ("own_database",)))  # type: ignore[arg-type]
    # A database fixture or a skip condition keeps it on both passes, marked or not.
    assert not same(_Marked("m.py::t", ("db",), ("own_database",)))  # type: ignore[arg-type]
    assert not same(_Marked("m.py::t", (), ("own_database", "skipif")))  # type: ignore[arg-type]
