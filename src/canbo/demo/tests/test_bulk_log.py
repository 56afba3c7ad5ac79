"""The generator's writes through ``core.bulkwrite.BulkWriter`` (its fast row reader and its
change-log entries built from a template) give the rows and entries of the ordinary paths."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.forms.models import model_to_dict

from canbo.conftest import new_person
from canbo.core.bulkwrite import BulkWriter
from canbo.core.context import bind_context
from canbo.core.models import ObjectChange
from canbo.core.services import bulk_log_created
from canbo.demo.generator import REASON, generator_user
from canbo.org.models import Unit
from canbo.people.models import HealthRecord, Person, Qualification

ENTRY_FIELDS = (
    "user_id",
    "user_name",
    "source",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "related_person_id",
    "reason",
    "prechange_data",
    "postchange_data",
)


def _entries(after: int) -> list[tuple[Any, ...]]:
    return list(ObjectChange.objects.filter(pk__gt=after).order_by("pk").values_list(*ENTRY_FIELDS))


def _sections(person: Person) -> list[Any]:
    return [
        Qualification(
            person=person,
            kind="chuyen_mon",
            level="dai_hoc",
            level_rank=5,
            field_of_study="Luật",
            institution="Đại học Luật Hà Nội",
            mode="chinh_quy",
            obtained_date=dt.date(2002, 6, 30),
        ),
        HealthRecord(
            person=person, check_date=dt.date(2025, 4, 2), status="tot", height_cm=158, weight_kg=52
        ),
        Qualification(
            person=person,
            kind="ngoai_ngu",
            level="b2",
            language="Tiếng Anh",
            obtained_date=dt.date(2015, 1, 9),
        ),
    ]


@pytest.mark.django_db
def test_insert_and_log_objects_match_the_ordinary_paths(tree: dict[str, Unit]) -> None:
    person = new_person(tree["A1"], "Lò Thị Mai")
    # A decimal, a date and a foreign key among the snapshot's values.
    person.salary_coefficient = Decimal("3.66")
    person.recruitment_date = dt.date(2004, 9, 1)
    user = generator_user()

    fast = _sections(person)
    slow = _sections(person)
    with bind_context(source="generator"):
        writer = BulkWriter(acting_user=user, reason=REASON)
        writer.insert_objects([fast[0], fast[2]])  # one model per call
        writer.insert_objects([fast[1]])
        for obj in slow:
            obj.save()

        # The rows: what Django's save wrote, field by field.
        for a, b in zip(fast, slow, strict=True):
            got = model_to_dict(type(a).objects.get(pk=a.pk))
            want = model_to_dict(type(b).objects.get(pk=b.pk))
            got.pop("id")
            want.pop("id")
            assert got == want

        # The change log: what bulk_log_created writes for the same objects (ids aside).
        start = ObjectChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        assert writer.log_objects([person, *fast]) == 4
        middle = ObjectChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for a, b in zip(fast, slow, strict=True):  # log the slow copies under the fast ids
            b.pk = a.pk
        bulk_log_created([person, *slow], acting_user=user, reason=REASON)
    fast_entries, slow_entries = _entries(start)[:4], _entries(middle)
    assert len(slow_entries) == 4
    assert fast_entries == slow_entries
    snapshot = fast_entries[0][-1]
    assert snapshot["salary_coefficient"] == "3.66"
    assert snapshot["recruitment_date"] == "2004-09-01"
    assert fast_entries[1][-1]["obtained_date"] == "2002-06-30"


def _state(obj: Any) -> dict[str, Any]:
    """An instance's field values and cached related objects (its ``__dict__`` less the state)."""
    values = {k: v for k, v in obj.__dict__.items() if k != "_state"}
    return {**values, "cache": obj._state.fields_cache, "adding": obj._state.adding, "db": obj._state.db}


@pytest.mark.django_db
def test_maker_builds_what_the_constructor_builds(tree: dict[str, Unit]) -> None:
    """``BulkWriter.maker(model)(**kw)`` is ``model(**kw)``: the same values (defaults included),
    the same cached related objects, the same text and snapshot; unknown arguments refused."""
    person = new_person(tree["A1"], "Lò Thị Mai")
    writer = BulkWriter(acting_user=generator_user(), reason=REASON)
    made = [writer.maker(type(obj))(**kw) for obj, kw in zip(_sections(person), _kwargs(person), strict=True)]
    built = [type(obj)(**kw) for obj, kw in zip(_sections(person), _kwargs(person), strict=True)]
    for a, b in zip(made, built, strict=True):
        assert type(a) is type(b)
        assert _state(a) == _state(b)
        assert str(a) == str(b)
        assert a.snapshot() == b.snapshot()
        assert a.person is person  # cached: no query
    by_id = writer.maker(HealthRecord)(person_id=person.pk, status="kha")
    assert _state(by_id) == _state(HealthRecord(person_id=person.pk, status="kha"))
    with pytest.raises(TypeError):
        writer.maker(HealthRecord)(no_such_field=1)


def _kwargs(person: Person) -> list[dict[str, Any]]:
    return [
        {"person": person, "kind": "chuyen_mon", "level": "dai_hoc", "obtained_date": dt.date(2002, 6, 30)},
        {"person": person, "check_date": dt.date(2025, 4, 2), "status": "tot", "height_cm": 158},
        {"person": person, "kind": "ngoai_ngu", "level": "b2", "language": "Tiếng Anh"},
    ]


def test_choice_labels_are_django_s() -> None:
    """``get_<field>_display()`` of every change-logged model with fixed choices gives Django's
    label for each choice, and the value itself for one that is not a choice."""
    from django.apps import apps
    from django.db.models import Model

    from canbo.core.models import ChangeLoggedModel

    seen = 0
    for model in apps.get_models():
        if not issubclass(model, ChangeLoggedModel):
            continue
        for f in model._meta.concrete_fields:
            if not isinstance(f.choices, list | tuple) or not f.choices:
                continue
            obj = model()
            for value, _label in f.flatchoices:
                setattr(obj, f.attname, value)
                assert obj._get_FIELD_display(f) == Model._get_FIELD_display(obj, f)  # type: ignore[attr-defined] # Django's private helper
                seen += 1
            setattr(obj, f.attname, "khong-co-trong-danh-muc")
            assert obj._get_FIELD_display(f) == "khong-co-trong-danh-muc"
    assert seen > 100


def test_the_build_s_duration_is_written_with_a_decimal_comma() -> None:
    """`./canbo demo` said "Đã tạo tỉnh mẫu trong 115.8 giây" beside phases written "1,7 giây"."""
    from canbo.demo.management.commands.seed_demo import _seconds

    assert _seconds(115.8) == "115,8"
    assert _seconds(7) == "7,0"
    assert _seconds(0.04) == "0,0"


def test_snapshot_converters_equal_jsonable_and_json_dumps() -> None:
    """The change log's per-type converters give ``jsonable``'s value for every value a field may
    hold (the exact type, a subclass, a string), and its JSON encoder (the C encoder made once)
    gives ``json.dumps``' text, non-ASCII text, floats and nesting included."""
    import json
    import uuid

    from django.db import models

    from canbo.core.bulkwrite import _json, _jsonable_of
    from canbo.core.models import jsonable

    class Day(dt.date):
        pass

    samples: list[tuple[models.Field[Any, Any], list[Any]]] = [
        (
            models.DateField(),
            [dt.date(2020, 2, 29), dt.datetime(2020, 2, 29, 8, 30), Day(2021, 1, 1), "2020-01-01"],
        ),
        (models.DateTimeField(), [dt.datetime(2020, 2, 29, 8, 30, tzinfo=dt.UTC), dt.date(2020, 1, 2)]),
        (models.TimeField(), [dt.time(7, 45), "07:45"]),
        (models.DecimalField(max_digits=5, decimal_places=2), [Decimal("2.34"), Decimal("1E+1"), 3, 2.5]),
        (models.UUIDField(), [uuid.UUID(int=5), "00000000-0000-0000-0000-000000000005"]),
    ]
    for field_obj, values in samples:
        convert = _jsonable_of(field_obj)
        for value in values:
            assert convert(value) == jsonable(value)
            assert type(convert(value)) is type(jsonable(value))
    encode = _json(None)
    for value in [
        {"full_name": "Nguyễn Thị Ánh", "id": 7, "coefficient": 2.34, "ok": True, "none": None},
        {"list": [1, "ă", {"đ": [None, 1e100, -0.0]}], "big": 10**30},
        ["Lào Cai", 1],
        "Tỉnh",
        3,
        {},
    ]:
        assert encode(value) == json.dumps(value)
    assert encode(None) is None


@pytest.mark.django_db(transaction=True)
def test_the_build_commits_once_per_transaction_people() -> None:
    """``Writer.write_all`` writes its chunks (batches of ``BATCH`` people) in transactions of
    ``TRANSACTION_PEOPLE`` people, not one transaction per batch."""
    from django.db import connection, transaction

    from canbo.demo import generator

    committed: list[int] = []
    seen: list[int] = []  # per chunk: how many chunks had committed when it was written

    class Chunks:
        def _write_chunk(self, chunk: list[int]) -> None:
            seen.append(len(committed))
            transaction.on_commit(lambda: committed.append(1))

    per = generator.TRANSACTION_PEOPLE // generator.BATCH
    chunks = [[0] * generator.BATCH for _ in range(2 * per + 3)]
    after: list[int] = []
    generator.Writer.write_all(Chunks(), iter(chunks), lambda: after.append(1))  # type: ignore[arg-type]
    assert seen == [0] * per + [per] * per + [2 * per] * 3
    assert len(committed) == len(chunks) == len(after)

    # Inside a caller's transaction: one savepoint per chunk (SQLite keeps a copy of each page a
    # savepoint changes until its release).
    savepoints: list[str] = []

    class Nested:
        def _write_chunk(self, chunk: list[int]) -> None:
            savepoints.append(connection.savepoint_ids[-1])

    with transaction.atomic():
        generator.Writer.write_all(Nested(), iter(chunks[:3]), lambda: None)  # type: ignore[arg-type]
    assert len(set(savepoints)) == 3


@pytest.mark.django_db(transaction=True)
def test_build_connection_sets_the_build_s_pragmas_and_restores_them() -> None:
    """SQLite: the build's connection runs with ``BUILD_PRAGMAS`` and gets its own settings back
    afterwards; inside a transaction (a caller's or a test's) nothing is changed."""
    from django.db import connection, transaction

    from canbo.core.bulkwrite import BUILD_PRAGMAS, build_connection

    if connection.vendor != "sqlite":
        with build_connection():
            pass
        return

    def pragmas() -> dict[str, int]:
        out = {}
        with connection.cursor() as cur:
            for name in BUILD_PRAGMAS:
                cur.execute(f"PRAGMA {name}")
                out[name] = int(cur.fetchone()[0])
        return out

    before = pragmas()
    assert before != BUILD_PRAGMAS
    with build_connection():
        assert pragmas() == BUILD_PRAGMAS
    assert pragmas() == before
    with transaction.atomic(), build_connection():
        assert pragmas() == before


@pytest.mark.django_db
def test_sqlite_logs_one_row_per_insert_inside_a_savepoint(tree: dict[str, Unit]) -> None:
    """SQLite: inside a savepoint (the generator's chunk inside a test's transaction) the change
    log's rows go one to an ``INSERT``, which needs no statement journal; the other rows, and
    every row in a transaction of its own (``./canbo demo``, an import), many to a statement. A
    multi-row ``INSERT`` of the change log in a savepoint made SQLite walk its in-memory
    sub-journal at the end of every statement (docs/performance.md, session 16)."""
    from django.db import connection, transaction

    from canbo.core.bulkwrite import SQLITE_VARIABLES

    person = new_person(tree["A"], "Lê Văn Một")
    writer = BulkWriter(acting_user=generator_user(), reason=REASON)
    statements: list[tuple[str, int, bool]] = []

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        table = sql.split('"')[1] if sql.startswith("INSERT INTO") else ""
        if table in ("people_qualification", "core_objectchange"):
            statements.append((table, sql.count("), ("), many))
        return execute(sql, params, many, context)

    def write(n: int) -> None:
        rows = [_sections(person)[0] for _ in range(n)]
        writer.insert_objects(rows)
        writer.log_objects(rows)

    per = SQLITE_VARIABLES // len(Qualification._meta.concrete_fields)
    per_log = SQLITE_VARIABLES // len(ObjectChange._meta.concrete_fields)
    with connection.execute_wrapper(spy):
        write(2 * per_log + 1)  # the test's transaction: no savepoint
        in_transaction = list(statements)
        statements.clear()
        with transaction.atomic():
            write(2 * per_log + 1)
    assert Qualification.objects.filter(person=person).count() == 4 * per_log + 2
    if connection.vendor != "sqlite":  # PostgreSQL: COPY, whatever the transaction
        assert in_transaction == statements == []
        return
    quals = [(n, many) for table, n, many in in_transaction if table == "people_qualification"]
    assert quals == [(per - 1, False)] * ((2 * per_log + 1) // per) + [(0, True)]
    logs = [(n, many) for table, n, many in in_transaction if table == "core_objectchange"]
    assert logs == [(per_log - 1, False), (per_log - 1, False), (0, True)]
    assert [(n, many) for table, n, many in statements if table == "people_qualification"] == quals
    assert [(n, many) for table, n, many in statements if table == "core_objectchange"] == [(0, True)]
