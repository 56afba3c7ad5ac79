"""Shared fixtures: a small unit tree, users with grants on different subtrees, and factories.

The tree:  P (province root) ─┬─ A (district A) ── A1 (division of A)
                              └─ B (district B)
Users: ``officer_a`` (officer on A, sensitive), ``leader_a`` (leader on A, no sensitive),
``officer_b`` (officer on B), ``nogrant`` (logged in, no grant), ``admin`` (superuser),
``self_user`` (person role on ``person_a``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import itertools
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS

from canbo import testbytecode, testdb
from canbo.accounts.models import Grant, Role
from canbo.core.querysets import scope_breadth_reset
from canbo.core.types import ActingUser
from canbo.lists.kept import kept_counts_reset
from canbo.org.choices import Block, HeadKind, Level, ManagementScope, TitleGroup, UnitKind
from canbo.org.models import Title, Unit
from canbo.org.selectors import unit_index_reset
from canbo.people.models import Ethnicity, Person, Religion
from canbo.people.services import person_create
from canbo.people.validators import make_personal_id
from canbo.rules.selectors import rulebook_reset

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_serial = itertools.count(1)
_media_serial = itertools.count(1)
T = TypeVar("T")
R = TypeVar("R", Ethnicity, Religion)


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# Tests that take far longer than the rest (the demo province: two builds at the minimum size).
# They run first, so that under xdist one worker starts them at once while the others share the
# rest, rather than one worker reaching them late and the run waiting on it (docs/performance.md).
# Only tests that keep their database's data may be moved first: a transactional test (the
# Done-means walk of core/tests/test_done_means.py) flushes every table at its end, the
# data-migration catalogues included, so pytest-django runs those last and so must we.
LONG_POLES = ("canbo/demo/tests/test_generator.py::test_demo_province",)


# Fixtures that open the database to a test (``item.fixturenames`` holds every fixture a test
# uses, indirect ones included, and the ``django_db`` marker adds ``_django_db_helper``).
DB_FIXTURES = frozenset({"db", "transactional_db", "live_server", "_django_db_helper"})
# A module that mentions one of these may behave differently on the two databases even in a test
# that opens none (it reads the engine, or starts a command on the configured database).
ENGINE_WORDS = ("vendor", "CANBO_DB", "DATABASES")


def runs_the_same_on_every_database(item: pytest.Item) -> bool:
    """Whether ``item`` never touches the database and nothing in it depends on which one is
    configured: no database fixture, no ``skip``/``skipif``/``xfail`` marker (a condition may name
    the engine) and no mention of the engine in its module (``ENGINE_WORDS``) unless the test is
    marked ``own_database``."""
    if DB_FIXTURES & set(getattr(item, "fixturenames", ())):
        return False
    if any(item.get_closest_marker(name) for name in ("django_db", "skip", "skipif", "xfail")):
        return False
    # A test that starts its processes on a database it names itself (CANBO_DB in their
    # environment) runs the same whichever the suite is configured with, though its module
    # mentions the engine.
    if item.get_closest_marker("own_database"):
        return True
    path = getattr(item, "path", None)
    if path is None:
        return False
    return not any(word in _module_text(str(path)) for word in ENGINE_WORDS)


@functools.cache
def _module_text(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def uses_the_database(item: pytest.Item) -> bool:
    """Whether ``item`` opens the database: a database fixture, directly or through another
    (``item.fixturenames`` is the closure), or the ``django_db`` marker."""
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(DB_FIXTURES & fixtures) or item.get_closest_marker("django_db") is not None


def suite_order(item: pytest.Item) -> int:
    """Where ``item`` runs, for a stable sort of pytest-django's order (database tests, then the
    transactional ones, then the tests without a database): the long poles first, then the tests
    without a database, then the database tests in pytest-django's order. The tests without a
    database include those that wait on processes of their own (a server started, a command run,
    `manage.py check --deploy`); run last, as pytest-django has them, they were the end of the
    PostgreSQL pass, after the SQLite pass had finished, and left a core idle while they waited
    (docs/performance.md, "Session 15"). Run early, their waits overlap the other pass's work. The
    transactional tests stay last: each flushes the tables at its end, the data migrations' rows
    included, which the database tests after it would miss."""
    if item.nodeid.endswith(LONG_POLES):
        return 0
    return 2 if uses_the_database(item) else 1


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> bool | None:
    # `./canbo test`'s byte-code step (CANBO_TEST_BYTE_CODE_ONLY=1 with --collect-only) only
    # writes the byte-code a collection would write (canbo/testbytecode.py): importing every test
    # module and building every item cost ~5 s of CPU per process beyond that.
    if testbytecode.wanted(session.config):
        testbytecode.write(session.config)
        return True
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=suite_order)
    # `./canbo test` runs the suite on PostgreSQL, then again on SQLite for what differs between
    # the two: on the second pass (CANBO_TEST_SECOND_DATABASE=1) the tests that run the same on
    # every database (pure-Python rules, parsers, template and source checks) are not run again.
    if os.environ.get("CANBO_TEST_SECOND_DATABASE") == "1":
        again = [item for item in items if not runs_the_same_on_every_database(item)]
        if len(again) < len(items):
            config.hook.pytest_deselected(items=[i for i in items if runs_the_same_on_every_database(i)])
            items[:] = again


# What every test of the suite runs with, set once per process rather than per test (each
# ``settings.X = …`` in a fixture is an override entered and left around every test, with its
# ``setting_changed`` signals). A test changes them as any setting, through pytest-django's
# ``settings`` fixture or ``override_settings``, and gets them back after it.
TEST_PROFILE: dict[str, Any] = {
    # Background tasks run inside the call that enqueues them; the worker's own tests
    # (imports/tests/test_worker.py) put the database backend back and run `db_worker`.
    "TASKS": IMMEDIATE_TASKS,
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}


# The cyclic garbage collector of a test process runs after this many new container objects
# rather than CPython's 700 (docs/performance.md, "Session 15"): a test makes many short-lived
# objects (querysets, model instances, template nodes, request objects), and with the default the
# collector walked the young ones every 700; the same tests took 5–10% less CPU (PostgreSQL /
# SQLite). Garbage is still collected, less often;
# the objects of the start-up and of the collected test modules, kept for the whole run, are
# frozen out of the collector's walks (``pytest_collection_finish``). Test processes only: the
# product's processes (gunicorn, the worker, commands) keep CPython's defaults.
GC_THRESHOLD = (50_000, 20, 20)


def pytest_configure(config: pytest.Config) -> None:
    from django.test.utils import override_settings

    gc.set_threshold(*GC_THRESHOLD)
    override_settings(**TEST_PROFILE).enable()
    # The xdist controller of a run with workers gives them a directory where the first to start
    # leaves its migrated test database for the others to copy (canbo/testdb.py).
    if not hasattr(config, "workerinput") and getattr(config.option, "numprocesses", None):
        config.stash[_run_dir_key] = testdb.make_run_dir()


# Libraries that a few tests use and that collecting the suite need not import: every pytest
# process of `./canbo test` collects the whole suite, and those that run none of these tests (an
# SQLite worker runs no browser test; a worker may run no fuzz test) paid their import.
# core/tests/test_collection.py checks the list against what the collection imported.
NOT_IMPORTED_BY_THE_COLLECTION = ("schemathesis", "anyio", "playwright")
imported_by_the_collection = pytest.StashKey[frozenset[str]]()


def pytest_collection_finish(session: pytest.Session) -> None:
    session.stash[imported_by_the_collection] = frozenset(
        name for name in NOT_IMPORTED_BY_THE_COLLECTION if name in sys.modules
    )
    gc.collect()
    gc.freeze()


def pytest_unconfigure(config: pytest.Config) -> None:
    run_dir = config.stash.get(_run_dir_key, None)
    if run_dir is not None:
        from pytest_django.plugin import blocking_manager_key

        with config.stash[blocking_manager_key].unblock():
            testdb.remove_run_dir(run_dir)


_run_dir_key = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    from django.conf import settings

    testdb.quick_test_connections(settings.DATABASES["default"])


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_use_migrations: bool,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """pytest-django's fixture, except that under xdist the workers after the first copy its
    migrated database instead of migrating their own (canbo/testdb.py)."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    keepdb = django_db_keepdb and not django_db_createdb
    if not django_db_use_migrations:
        _disable_migrations()
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        if aliases == {"default"} and django_db_use_migrations and not keepdb:
            db_cfg = testdb.setup_test_database(verbosity, serialized_aliases)
        else:
            db_cfg = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,  # type: ignore[arg-type]  # a set of names, as pytest-django passes
                serialized_aliases=serialized_aliases,
                keepdb=keepdb,
            )
        _remember_reference_rows()
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(db_cfg, verbosity=verbosity)


@pytest.fixture(scope="session")
def _media_roots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A directory for the tests' MEDIA_ROOTs: one new, not yet made, subdirectory per test."""
    base = tmp_path_factory.mktemp("media")
    yield base


@pytest.fixture(autouse=True)
def _media_root(settings: Any, _media_roots: Path) -> None:
    # Each test its own MEDIA_ROOT, made by the first file stored in it (the numbered directory
    # of pytest's ``tmp_path`` cost a directory made and an old one removed per test).
    settings.MEDIA_ROOT = _media_roots / str(next(_media_serial))
    # Each test has its own units: the process-wide unit labels are read afresh.
    unit_index_reset()
    rulebook_reset()
    kept_counts_reset()
    scope_breadth_reset()


@contextlib.contextmanager
def rows_kept_for_the_scope(django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """``build()``'s rows, kept for every test of a class or module and rolled back after its
    last one, as Django's ``TestCase.setUpTestData`` does: for data that many tests read and that
    is slow to build (the 97 namesakes of ``people/tests/test_search_pages.py``). Use it in a
    class- or module-scoped fixture that requests ``django_db_setup`` and ``django_db_blocker``.

    The rows are written in one transaction left open around the tests; each test's own
    (pytest-django's ``db``) is a savepoint inside it, so what a test writes is still undone
    after it and the tests stay independent of each other. Only for tests on ``db``: a
    ``transactional_db`` or ``live_server`` test commits and flushes, and a server thread would
    not see the uncommitted rows.
    """
    from django.db import connection, transaction

    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            value = build()
            # Nothing may wait for a commit that never comes (a test would take it for its own).
            assert not connection.run_on_commit, "a shared fixture registered on_commit callbacks"
        except BaseException:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)
            raise
    try:
        yield value
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.fixture(scope="module")
def common_rows_of_the_module(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """``tree``, ``person_a`` and ``users`` written once, in the order the function-scoped
    fixtures write them, when the module's first test needs them, and rolled back after its last
    (``rows_kept_for_the_scope``: each test's own transaction is a savepoint inside the module's,
    so what a test writes, a login's session or a new row, is undone after it). For a module
    whose tests are all on ``db`` (none transactional), where no test minds these rows being there
    when it did not ask for them, and that takes ``kept_tree``, ``kept_person_a`` and
    ``kept_users`` under the usual names, e.g. ``core/tests/test_bad_input.py``."""

    def build() -> dict[str, Any]:
        tree = make_tree()
        person_a = new_person(tree["A1"], "Nguyễn Thị Hoa")
        return {"tree": tree, "person_a": person_a, "users": make_users(tree, person_a)}

    with rows_kept_for_the_scope(django_db_blocker, build) as rows:
        yield rows


# Function-scoped views of the module's rows, read afresh for each test (a test that changes an
# instance in memory leaves the next one an unchanged copy), as the usual fixtures hand them out.


def kept_tree(common_rows_of_the_module: dict[str, Any], db: Any) -> dict[str, Unit]:
    kept = common_rows_of_the_module["tree"]
    units = Unit.objects.in_bulk([u.pk for u in kept.values()])
    return {code: units[u.pk] for code, u in kept.items()}


def kept_person_a(common_rows_of_the_module: dict[str, Any], tree: dict[str, Unit]) -> Person:
    # As ``new_person`` returns it: its ethnicity and religion loaded, its unit the tree's A1.
    person = Person.objects.select_related("ethnicity", "religion").get(
        pk=common_rows_of_the_module["person_a"].pk
    )
    person.managing_unit = tree["A1"]
    return person


def kept_users(common_rows_of_the_module: dict[str, Any], person_a: Person) -> dict[str, User]:
    kept = common_rows_of_the_module["users"]
    fresh = User.objects.in_bulk([u.pk for u in kept.values()])
    return {name: fresh[u.pk] for name, u in kept.items()}


def migrate_to(targets: list[tuple[str, str]]) -> Any:
    """``MigrationExecutor(connection).migrate(targets)`` for the data-migration tests, with the
    project state of a backward run built in the order that renders the fewest models.

    Django builds the state before each migration to unapply by walking every migration of the
    project in its plan's order; once it meets the first one to unapply it renders the models and
    then reloads them for every applied migration after it, of whatever app (78% of a backward
    run of `reports/tests/test_read_log_migration.py`, docs/performance.md, session 13). Here the
    same walk is given the applied migrations that stay first and the ones to unapply last: the
    migrations unapplied, their operations and the states they see are those of Django's run
    (the migrations to unapply are closed under their applied descendants, so both orders are
    valid plans and the states differ by nothing those migrations depend on), but the models are
    rendered once, just before the first of them. A forward run is Django's own."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor: Any = MigrationExecutor(connection)
    plan = executor.migration_plan(targets)
    if not plan or not all(backwards for _, backwards in plan):
        return executor.migrate(targets, plan=plan)
    executor.recorder.ensure_schema()
    full_plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    leaving = {migration for migration, _ in plan}
    staying_first = [step for step in full_plan if step[0] not in leaving]
    state = executor._migrate_all_backwards(
        plan, staying_first + [s for s in full_plan if s[0] in leaving], False
    )
    executor.check_replacements()
    return state


def make_unit(parent: Unit | None, code: str, name: str, **kw: Any) -> Unit:
    fields = {
        "code": code,
        "name": name,
        "kind": kw.pop("kind", UnitKind.LOCALITY),
        "block": kw.pop("block", Block.STATE),
        "level": kw.pop("level", Level.PROVINCE),
        "valid_from": kw.pop("valid_from", dt.date(2015, 1, 1)),
        **kw,
    }
    unit = Unit(**fields)
    return Unit.objects.add_child(parent, instance=unit) if parent else Unit.objects.add_root(instance=unit)


# The reason every API write carries (issue 21), as an integration sends it: the X-Change-Reason
# header, UTF-8 percent-encoded. Test clients that write through the API send it on every call.
REASON_HEADERS = {"X-Change-Reason": quote("Sửa lỗi nhập liệu")}
REASON = "Sửa lỗi nhập liệu"


@pytest.fixture
def tree(db: Any) -> dict[str, Unit]:
    return make_tree()


def make_tree() -> dict[str, Unit]:
    """The four units P, A, A1, B, written by one statement with the paths, depths and child counts
    treebeard's ``add_root``/``add_child`` give them one by one (``make_unit``): the same rows in
    the same order, in three queries instead of sixteen (``core/tests/test_conftest_fixtures.py``).
    Used by most tests of the suite: some 1,600 times in the SQLite pass."""
    last = Unit.objects.get_last_root_node()
    root = last._inc_path() if last else Unit._get_path(None, 1, 1)
    a_path = Unit._get_path(root, 2, 1)
    district: dict[str, Any] = {"level": Level.DISTRICT}
    division: dict[str, Any] = {**district, "kind": UnitKind.DIVISION}
    rows: list[tuple[str, str, str, int, int, dict[str, Any]]] = [
        ("P", "Tỉnh Thử nghiệm", root, 1, 2, {}),
        ("A", "Huyện A", a_path, 2, 1, district),
        ("A1", "Phòng Nội vụ huyện A", Unit._get_path(a_path, 3, 1), 3, 0, division),
        ("B", "Huyện B", Unit._get_path(root, 2, 2), 2, 0, district),
    ]  # fmt: skip
    units = [
        Unit(**{
            "code": code, "name": name, "path": path, "depth": depth, "numchild": numchild,
            "kind": UnitKind.LOCALITY, "block": Block.STATE, "level": Level.PROVINCE,
            "valid_from": dt.date(2015, 1, 1), **kw,
        })
        for code, name, path, depth, numchild, kw in rows
    ]  # fmt: skip
    Unit.objects.bulk_create(units)
    fresh = Unit.objects.in_bulk([u.pk for u in units])
    return {u.code: fresh[u.pk] for u in units}


@pytest.fixture
def title(db: Any) -> Title:
    return make_title()


def make_title() -> Title:
    return Title.objects.create(
        code="TP",
        name="Trưởng phòng",
        level=Level.DISTRICT,
        group=TitleGroup.DIVISION_HEAD,
        block=Block.STATE,
        is_leader=True,
        head_kind=HeadKind.HEAD,
        management_scope=ManagementScope.DISTRICT_STANDING,
        rank=30,
    )


def reference_data() -> None:
    """Transactional tests (live server) flush the tables, data-migration rows included."""
    from canbo.people.reference import ETHNICITIES, RELIGIONS

    if not Ethnicity.objects.exists():
        Ethnicity.objects.bulk_create([Ethnicity(code=c, name=n) for c, n in ETHNICITIES])
        Religion.objects.bulk_create([Religion(code=c, name=n) for c, n in RELIGIONS])


# The ethnicity and religion every ``new_person`` names ("01" Kinh, "00" none), as the test
# database held them when it was made (its data migrations wrote them and committed): read once
# per process instead of three queries per person (a quarter of ``new_person``'s queries; it is
# called ~3,000 times a pass). Only until the first transactional test starts (``live_server``,
# ``transactional_db``): it may migrate them back and forth, and its flush deletes them; from then
# on every person reads them, and writes them if need be, as before. Each person gets instances
# of its own, so a test that changes one in memory changes nobody else's.
_reference_rows: dict[type[Ethnicity | Religion], Mapping[str, Any]] = {}
_REFERENCE_CODES: dict[type[Ethnicity | Religion], str] = {Ethnicity: "01", Religion: "00"}


def _remember_reference_rows() -> None:
    _reference_rows.clear()
    for model, code in _REFERENCE_CODES.items():
        row = model.objects.filter(code=code).values().first()
        if row is None:  # a database made without the data migrations (--no-migrations)
            _reference_rows.clear()
            return
        _reference_rows[model] = row


def _reference_row(model: type[R]) -> R:
    """``model``'s row of ``_REFERENCE_CODES``: a new instance of the row read when the test
    database was made, or, once a transactional test has started, the row read now."""
    row = _reference_rows.get(model)
    if row is None:
        return model.objects.get(code=_REFERENCE_CODES[model])
    return model.from_db(DEFAULT_DB_ALIAS, list(row), list(row.values()))


def new_person(unit: Unit, full_name: str = "Nguyễn Thị Hoa", *, sex: str = "nu", born: dt.date | None = None,
               acting_user: ActingUser = None, **kw: Any) -> Person:  # fmt: skip
    if not _reference_rows:
        reference_data()
    born = born or dt.date(1980, 5, 17)
    pid = make_personal_id(province_prefix="010", sex=sex, birth_year=born.year, serial=next(_serial))
    return person_create(
        acting_user=acting_user,
        full_name=full_name,
        sex=sex,
        birth_date=born,
        personal_id=pid,
        ethnicity=_reference_row(Ethnicity),
        religion=_reference_row(Religion),
        category="cong_chuc",
        managing_unit=unit,
        **kw,
    )


def compiled_statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL the ORM compiles from now on (``SQLCompiler.as_sql``), in order: for the tests that
    pin a statement as compiled once per process (``core.kept``) rather than on every request."""
    from django.db.models.sql.compiler import SQLCompiler

    compiled: list[str] = []
    as_sql = SQLCompiler.as_sql

    def counting(self: SQLCompiler, *args: Any, **kwargs: Any) -> Any:
        sql, params = as_sql(self, *args, **kwargs)
        compiled.append(sql)
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return compiled


@pytest.fixture
def reverse_calls(monkeypatch: Any) -> list[str]:
    """The view names reversed from now on, in order: for the tests that pin URL lookups to a
    fixed number per page rather than one per row."""
    from django.urls import resolvers

    calls: list[str] = []
    real = resolvers.URLResolver._reverse_with_prefix  # type: ignore[attr-defined]

    def counting(self: Any, lookup_view: Any, _prefix: str, *args: Any, **kwargs: Any) -> str:
        calls.append(lookup_view)
        return real(self, lookup_view, _prefix, *args, **kwargs)

    monkeypatch.setattr(resolvers.URLResolver, "_reverse_with_prefix", counting)
    return calls


@pytest.fixture
def person_a(tree: dict[str, Unit]) -> Person:
    return new_person(tree["A1"], "Nguyễn Thị Hoa")


@pytest.fixture
def person_b(tree: dict[str, Unit]) -> Person:
    return new_person(tree["B"], "Trần Văn Bình", sex="nam", born=dt.date(1975, 1, 1))


def _user(username: str, **kw: Any) -> User:
    return User.objects.create_user(username=username, password="pw-" + username, **kw)


@pytest.fixture
def users(tree: dict[str, Unit], person_a: Person) -> dict[str, User]:
    return make_users(tree, person_a)


def make_users(tree: dict[str, Unit], person_a: Person) -> dict[str, User]:
    """Written by two statements (the users, then their grants): the rows ``User.objects.create_user``
    and ``Grant.objects.create`` wrote one by one (neither model has a save hook or a signal).
    The passwords are hashed with MD5, the tests' hasher (``TEST_PROFILE``), whatever hasher the
    settings name where a module- or class-scoped fixture calls this."""
    from django.contrib.auth.hashers import MD5PasswordHasher, make_password

    admin = {"is_superuser": True, "is_staff": True}
    names = ("officer_a", "leader_a", "officer_b", "nogrant", "admin", "self_user")
    md5 = MD5PasswordHasher()
    made = User.objects.bulk_create(
        [
            User(username=n, password=make_password(f"pw-{n}", hasher=md5), **(admin if n == "admin" else {}))
            for n in names
        ]
    )
    u = dict(zip(names, made, strict=True))
    Grant.objects.bulk_create([
        Grant(user=u["officer_a"], role=Role.OFFICER, unit=tree["A"], include_sensitive=True),
        Grant(user=u["leader_a"], role=Role.LEADER, unit=tree["A"]),
        Grant(user=u["officer_b"], role=Role.OFFICER, unit=tree["B"], include_sensitive=True),
        Grant(user=u["self_user"], role=Role.SELF, person=person_a),
    ])  # fmt: skip
    return u


@pytest.fixture(scope="session", autouse=True)
def _flush_deleting_written_rows() -> Iterator[None]:
    """The flush that ends every transactional test (``live_server``, ``transactional_db``)
    deletes the rows written instead of truncating every table on PostgreSQL (canbo/testdb.py,
    ``_sql_flush_deleting_written_rows``: 2–5 s less per test)."""
    from django.test import TransactionTestCase

    # A private method of Django's (the stubs do not list it); pytest-django's test case calls it.
    real = getattr(TransactionTestCase, "_fixture_teardown")  # noqa: B009

    def fixture_teardown(self: Any) -> None:
        with testdb.flush_deleting_written_rows():
            real(self)

    setattr(TransactionTestCase, "_fixture_teardown", fixture_teardown)  # noqa: B010
    yield
    setattr(TransactionTestCase, "_fixture_teardown", real)  # noqa: B010


@pytest.fixture(scope="session", autouse=True)
def _reference_rows_until_a_transactional_test() -> Iterator[None]:
    """``new_person``'s reference rows, kept since the test database was made, are forgotten
    when a transactional test sets up (Django's ``TestCase``, pytest-django's ``db``, overrides
    ``_fixture_setup`` without calling this one while the database has transactions)."""
    from django.test import TransactionTestCase

    # A class method of Django's, private (the stubs do not list it).
    real = vars(TransactionTestCase)["_fixture_setup"]

    def fixture_setup(cls: Any) -> None:
        _reference_rows.clear()
        real.__func__(cls)

    setattr(TransactionTestCase, "_fixture_setup", classmethod(fixture_setup))  # noqa: B010
    yield
    setattr(TransactionTestCase, "_fixture_setup", real)  # noqa: B010


# Browser tests: Debian's Chromium driven by Playwright (no browser download). The flags keep
# Chromium from reaching for Google's hosts, which this closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def _chromium() -> Iterator[Any]:
    """One Chromium for every browser test of a process (an xdist worker): its start, with
    Playwright's driver, cost ~0.8 s of CPU, once per test module before (docs/performance.md,
    "Session 14: the suite (browser tests)"). Each test still has its own browser context (its
    own cookies, storage and cache: ``browser.new_page`` makes one), closed at its end."""
    from playwright.sync_api import expect, sync_playwright

    # `./canbo test` runs the SQLite pass and the checks beside the PostgreSQL pass that holds the
    # browser tests, so a page may wait for a core: an `expect` waits up to 15 s for its
    # condition (Playwright's default is 5 s; the conditions are the same).
    expect.set_options(timeout=15_000)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def browser(_chromium: Any) -> Iterator[Any]:
    """The process's Chromium; the contexts a test opened (its pages) are closed after it, so
    that no page of a test (a polling import page) goes on asking the server in the next one."""
    yield _chromium
    for context in _chromium.contexts:
        context.close()


def expect(actual: Any, message: str | None = None) -> Any:
    """Playwright's ``expect``, imported when a browser test calls it, not when its module is
    collected: every pytest process collects the browser tests' modules, the SQLite pass runs none
    of them (core/tests/test_collection.py)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(actual, message)


def browser_login(page: Any, base: str, username: str) -> None:
    """Log the page's browser context in as a ``users`` fixture account, without the form: a
    session made as the login form makes it (``django.contrib.auth.login`` through Django's test
    client, with the backend that checks the password), its cookie given to the context. For the
    tests that are not about logging in; the form itself is driven by
    :func:`browser_login_through_the_form` and by the first-run tests."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    user = User.objects.get(username=username)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base, "httpOnly": True}])


def browser_login_through_the_form(page: Any, base: str, username: str) -> None:
    """Log in through the login form as a ``users`` fixture account (password "pw-<name>")."""
    from playwright.sync_api import expect

    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("button[type=submit]")
    expect(page.locator(".usermenu")).to_contain_text(username)


def official_header(document: Any) -> tuple[list[str], list[str]]:
    """The lines of a Word document's NĐ 30/2020 header (``core.wordpage.add_official_header``):
    (issuing-body side, national-title side); fails when the document does not start with one."""
    assert document.tables, "no header table"
    first = document.tables[0]
    assert len(first.rows) == 1 and len(first.columns) == 2, "the first table is not the header"
    left, right = first.rows[0].cells
    return [p.text for p in left.paragraphs], [p.text for p in right.paragraphs]
