"""The bulk path of the restructuring (issue 15, "The suite"): the posts of a closing unit are
closed together (``core.services.audited_update_many``) and a batch of operations writes its
change log in one statement (``core.services.deferred_log``). Same rows, same versions, same
change log as one write at a time; the refusals and the scope checks are the same."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from canbo.conftest import make_unit, new_person
from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import ObjectChange
from canbo.core.services import audited_create, audited_update, audited_update_many, deferred_log
from canbo.org.choices import Level
from canbo.org.models import Post, StaffingQuota, Title, Unit, UnitLineage
from canbo.org.restructuring import unit_dissolve, unit_merge, unit_merge_each
from canbo.people.models import Person

JULY = dt.date(2025, 7, 1)
LAST = dt.date(2025, 6, 30)
REASON = "Sắp xếp thử"


def _titles(n: int) -> list[Title]:
    return [
        Title.objects.create(
            code=f"T{i}", name=f"Chức danh {i}", level="xa", group="khac", block="nha_nuoc",
            head_kind="nhan_vien", management_scope="co_quan", rank=i,
        )
        for i in range(n)
    ]  # fmt: skip


def _posts(unit: Unit, titles: list[Title]) -> list[Post]:
    return [
        audited_create(
            Post(unit=unit, title=t, seats=1, valid_from=dt.date(2015, 1, 1)), acting_user=None, reason="x"
        )
        for t in titles
    ]


def _log_since(first_id: int) -> list[dict[str, Any]]:
    """The change log written after ``first_id``, without its ids, times and request ids."""
    return [
        dict(row)
        for row in ObjectChange.objects.filter(pk__gt=first_id)
        .order_by("pk")
        .values(
            "user_id", "user_name", "source", "action", "content_type_id", "object_id", "object_repr",
            "related_person_id", "reason", "prechange_data", "postchange_data",
        )
    ]  # fmt: skip


def _last_log_id() -> int:
    last = ObjectChange.objects.order_by("-pk").first()
    return last.pk if last else 0


def _rows(model: type[Any], pks: list[int]) -> list[dict[str, Any]]:
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in ("created", "last_updated")]
    return list(model.objects.filter(pk__in=pks).order_by("pk").values(*fields))


@pytest.mark.django_db
def test_update_many_writes_what_updates_one_by_one_write(tree: dict[str, Unit]) -> None:
    posts = _posts(tree["A1"], _titles(4))
    pks = [p.pk for p in posts]
    start = _last_log_id()
    with transaction.atomic():
        for post in posts:
            audited_update(
                post, acting_user=None, changes={"valid_to": LAST}, reason=REASON, check_scope=False
            )
        one_by_one = (_rows(Post, pks), _log_since(start))
        transaction.set_rollback(True)
    assert Post.objects.filter(pk__in=pks, valid_to__isnull=True).count() == 4
    start = _last_log_id()
    fresh = list(Post.objects.filter(pk__in=pks).order_by("pk"))
    audited_update_many(fresh, acting_user=None, changes={"valid_to": LAST}, reason=REASON, check_scope=False)
    assert (_rows(Post, pks), _log_since(start)) == one_by_one
    assert [p.row_version for p in fresh] == [2, 2, 2, 2]
    assert all(p.valid_to == LAST for p in fresh)
    # A change that changes nothing writes nothing, as one by one.
    start = _last_log_id()
    audited_update_many(fresh, acting_user=None, changes={"valid_to": LAST}, reason=REASON, check_scope=False)
    assert _log_since(start) == []
    assert set(Post.objects.filter(pk__in=pks).values_list("row_version", flat=True)) == {2}


@pytest.mark.django_db
def test_closing_a_unit_reads_its_posts_once_whatever_their_number(tree: dict[str, Unit]) -> None:
    """Closing the posts of a merged unit takes as many queries for five posts as for one (one
    by one it took a read, a validation of each foreign key, a save and a log entry per post)."""
    titles = _titles(5)
    one = make_unit(tree["A"], "X1", "Xã Một", level=Level.COMMUNE)
    five = make_unit(tree["A"], "X5", "Xã Năm", level=Level.COMMUNE)
    into = make_unit(tree["A"], "XN", "Xã Nhận", level=Level.COMMUNE)
    _posts(one, titles[:1])
    _posts(five, titles)
    for model in (Unit, Post, UnitLineage):  # content types read once, before counting
        ContentType.objects.get_for_model(model)
    counts = []
    for unit in (one, five):
        with CaptureQueriesContext(connection) as queries:
            unit_merge(acting_user=None, sources=[unit], on=JULY, into=into, basis=REASON)
        counts.append(len(queries))
    # Four posts more: four change-log entries more, and nothing else.
    assert counts[1] - counts[0] == 4, counts
    assert Post.objects.filter(unit__in=[one, five], valid_to=LAST).count() == 6
    logged = ObjectChange.objects.filter(content_type__model="post", action="update", reason=REASON)
    assert logged.count() == 6


@pytest.mark.django_db
def test_update_many_refuses_all_when_one_row_is_invalid(tree: dict[str, Unit]) -> None:
    posts = _posts(tree["A1"], _titles(3))
    start = _last_log_id()
    with pytest.raises(ValidationError, match="Số lượng phải từ 1 trở lên"):
        audited_update_many(posts, acting_user=None, changes={"seats": 0}, reason=REASON, check_scope=False)
    assert set(Post.objects.filter(pk__in=[p.pk for p in posts]).values_list("seats", "row_version")) == {
        (1, 1)
    }
    assert _log_since(start) == []


@pytest.mark.django_db
def test_update_many_refuses_rows_of_another_subtree(tree: dict[str, Unit], users: dict[str, User]) -> None:
    """The other-subtree test: an officer of B may not close posts of A, and nothing is written."""
    posts = _posts(tree["A1"], _titles(2))
    start = _last_log_id()
    with pytest.raises(NotPermitted):
        audited_update_many(posts, acting_user=users["officer_b"], changes={"seats": 3}, reason=REASON)
    assert set(Post.objects.filter(pk__in=[p.pk for p in posts]).values_list("seats", flat=True)) == {1}
    assert _log_since(start) == []
    # His own subtree: allowed, logged with his name.
    mine = _posts(tree["B"], list(Title.objects.order_by("pk")))
    audited_update_many(mine, acting_user=users["officer_b"], changes={"seats": 3}, reason=REASON)
    assert set(Post.objects.filter(unit=tree["B"]).values_list("seats", flat=True)) == {3}
    updates = ObjectChange.objects.filter(pk__gt=start, action="update")
    assert list(updates.values_list("user_name", flat=True)) == ["officer_b", "officer_b"]


@pytest.mark.django_db
def test_a_batch_of_operations_logs_what_one_at_a_time_logs(tree: dict[str, Unit]) -> None:
    """Merges and a dissolution inside ``deferred_log``: the same units, lineage and change log
    (ids in the same order) as without it; inside, the entries are not written yet."""
    titles = _titles(3)

    def build() -> list[Unit]:
        units = [make_unit(tree["B"], f"C{i}", f"Xã {i}", level=Level.COMMUNE) for i in range(3)]
        for u in units:
            _posts(u, titles)
        return units

    def operate(units: list[Unit]) -> None:
        unit_merge(acting_user=None, sources=[units[0]], on=JULY, into=units[1], basis=REASON)
        unit_merge(acting_user=None, sources=[units[1]], on=JULY, into=units[2], basis=REASON)
        unit_dissolve(acting_user=None, unit=tree["A"], on=JULY, basis=REASON)

    def state(start: int) -> tuple[Any, ...]:
        pks = [u.pk for u in Unit.objects.all()]
        posts = list(Post.objects.values_list("pk", flat=True))
        lineage = _rows(UnitLineage, list(UnitLineage.objects.values_list("pk", flat=True)))
        return _rows(Unit, pks), _rows(Post, posts), lineage, _log_since(start)

    with transaction.atomic():
        units = build()
        start = _last_log_id()
        operate(units)
        one_at_a_time = state(start)
        transaction.set_rollback(True)
    units = build()
    start = _last_log_id()
    with deferred_log():
        operate(units)
        assert _log_since(start) == []
    batched = state(start)
    # The units and posts of the second build may have other ids: compare without them.
    assert len(batched[3]) == len(one_at_a_time[3]) > 10
    assert _strip_ids(batched) == _strip_ids(one_at_a_time)
    ids = list(ObjectChange.objects.filter(pk__gt=start).order_by("pk").values_list("pk", flat=True))
    assert ids == list(range(ids[0], ids[0] + len(ids)))


IDS = ("id", "unit_id", "title_id", "predecessor_id", "successor_id", "object_id", "content_type_id")


def _strip_ids(state: tuple[Any, ...]) -> tuple[Any, ...]:
    """The state without the ids the two builds may give differently (rows and snapshots)."""
    units, posts, lineage, log = state
    return (
        [_no_ids(r) for r in units],
        [_no_ids(r) for r in posts],
        [_no_ids(r) for r in lineage],
        [{k: _no_ids(v) if isinstance(v, dict) else v for k, v in _no_ids(r).items()} for r in log],
    )


def _no_ids(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in IDS}


def _merge_three(tree: dict[str, Unit]) -> tuple[list[Unit], Unit, list[int]]:
    """Three communes of two posts and two dossiers each, and the commune that takes them over."""
    titles = _titles(2)
    sources = [make_unit(tree["A"], f"S{i}", f"Xã Nguồn {i}", level=Level.COMMUNE) for i in range(3)]
    into = make_unit(tree["A"], "SN", "Xã Tiếp Nhận", level=Level.COMMUNE)
    people = []
    for i, unit in enumerate(sources):
        _posts(unit, titles)
        people += [new_person(unit, f"Nguyễn Văn {name}", sex="nam").pk for name in (f"An{i}", f"Bình{i}")]
    for model in (Unit, Post, UnitLineage, Person):  # content types read once, before counting
        ContentType.objects.get_for_model(model)
    return sources, into, people


@pytest.mark.django_db
def test_a_merge_closes_its_sources_together(tree: dict[str, Unit]) -> None:
    """A merge of several units closes their posts, carries their dossiers and ends the units
    with one read and one write each, whatever the number of sources (one source after another,
    the merge of three communes took 155 statements; now 97). The same rows and the same
    change-log entries as one source at a time."""
    sources, into, people = _merge_three(tree)
    start = _last_log_id()
    with CaptureQueriesContext(connection) as queries:
        unit_merge(acting_user=None, sources=sources, on=JULY, into=into, basis=REASON)
    assert len(queries) == 97, len(queries)
    closed = Unit.objects.filter(pk__in=[u.pk for u in sources])
    assert set(closed.values_list("valid_to", "row_version")) == {(LAST, 2)}
    assert set(Post.objects.filter(unit__in=sources).values_list("valid_to", "row_version")) == {(LAST, 2)}
    assert set(Person.objects.filter(pk__in=people).values_list("managing_unit", "row_version")) == {
        (into.pk, 2)
    }
    log = _log_since(start)
    updates = sorted(
        (e["content_type_id"], e["object_id"], str(e["prechange_data"]), str(e["postchange_data"]))
        for e in log
        if e["action"] == "update"
    )
    # One entry per unit, post and dossier, with the values as one source at a time wrote them.
    ended = ({"valid_to": None}, {"valid_to": LAST.isoformat()})
    expected: list[tuple[Any, ...]] = [(Unit, unit.pk, *ended) for unit in sources]
    posts = Post.objects.filter(unit__in=sources).values_list("pk", flat=True)
    expected += [(Post, pk, *ended) for pk in posts]
    expected += [(Person, pk, {"managing_unit_id": None}, {"managing_unit_id": into.pk}) for pk in people]
    assert len(updates) == len(expected) == 15
    for model, pk, before, after in expected:
        entry = next(
            e
            for e in log
            if e["object_id"] == pk and e["content_type_id"] == _ct(model) and e["action"] == "update"
        )
        for field, value in after.items():
            assert entry["postchange_data"][field] == value
        for field, value in before.items():
            if value is not None:
                assert entry["prechange_data"][field] == value
        assert entry["reason"] == REASON and entry["user_name"] == "hệ thống"
    assert {e["action"] for e in log} == {"update", "create"}


def _ct(model: type[Any]) -> int:
    return ContentType.objects.get_for_model(model).pk


@pytest.mark.django_db
def test_a_merge_of_several_sources_refuses_as_before(tree: dict[str, Unit], users: dict[str, User]) -> None:
    """A post of the second source that starts on the merge date stops the whole merge with its
    message, and nothing is written; an officer of another subtree may not merge the sources."""
    sources, into, _people = _merge_three(tree)
    late = Post.objects.filter(unit=sources[1]).first()
    assert late is not None
    Post.objects.filter(pk=late.pk).update(valid_from=JULY)
    start = _last_log_id()
    with pytest.raises(DomainError, match="bắt đầu từ 01/07/2025; hãy sửa vị trí đó trước"):
        unit_merge(acting_user=None, sources=sources, on=JULY, into=into, basis=REASON)
    assert not Unit.objects.filter(valid_to=LAST).exists()
    assert _log_since(start) == []
    with pytest.raises(NotPermitted):
        unit_merge(acting_user=users["officer_b"], sources=sources, on=JULY, into=into, basis=REASON)
    assert not Unit.objects.filter(valid_to=LAST).exists()


def _batch_tree(tree: dict[str, Unit]) -> tuple[list[tuple[Unit, Unit]], list[int]]:
    """Three communes (two posts and two dossiers each; a sub-unit under the first, a quota on
    the second) and two communes that take them over, as (source, target) pairs in the order one
    merge after another needs: the sub-unit before its parent."""
    titles = _titles(2)
    sources = [make_unit(tree["A"], f"S{i}", f"Xã Nguồn {i}", level=Level.COMMUNE) for i in range(3)]
    child = make_unit(sources[0], "S0C", "Đảng ủy xã Nguồn 0", level=Level.COMMUNE)
    targets = [make_unit(tree["A"], f"T{i}", f"Xã Tiếp Nhận {i}", level=Level.COMMUNE) for i in range(2)]
    people = []
    for i, unit in enumerate([*sources, child]):
        _posts(unit, titles)
        people += [new_person(unit, f"Nguyễn Văn {name}", sex="nam").pk for name in (f"An{i}", f"Bình{i}")]
    audited_create(
        StaffingQuota(unit=sources[1], year=2025, civil_servants=3, public_employees=2), acting_user=None
    )
    audited_create(
        StaffingQuota(unit=sources[1], year=2026, civil_servants=4, public_employees=1), acting_user=None
    )
    for model in (Unit, Post, UnitLineage, Person, StaffingQuota):  # content types read once
        ContentType.objects.get_for_model(model)
    pairs = [
        (child, targets[1]),
        (sources[0], targets[0]),
        (sources[1], targets[1]),
        (sources[2], targets[0]),
    ]
    return pairs, people


def _merge_state(pairs: list[tuple[Unit, Unit]], people: list[int], start: int) -> tuple[Any, ...]:
    """The rows a merge writes: the units, posts and dossiers (ids as built), the lineage rows,
    quotas and change-log entries without ids (the rolled-back run used others on PostgreSQL),
    sorted: a batch writes the same entries in another order."""
    units = [u.pk for pair in pairs for u in pair]
    posts = list(Post.objects.filter(unit__in=units).values_list("pk", flat=True))
    lineage = UnitLineage.objects.filter(predecessor__in=units).values_list("pk", flat=True)
    quotas = StaffingQuota.objects.filter(unit__in=units).values_list("pk", flat=True)

    def bare(rows: list[dict[str, Any]]) -> list[str]:
        return sorted(repr(_strip_ids(([], [], [], [r]))[3][0]) for r in rows)

    return (
        _rows(Unit, units),
        _rows(Post, posts),
        _rows(Person, people),
        bare(_rows(UnitLineage, list(lineage))),
        bare(_rows(StaffingQuota, list(quotas))),
        bare(_log_since(start)),
    )


@pytest.mark.django_db
def test_merging_pairs_together_writes_what_one_merge_after_another_writes(tree: dict[str, Unit]) -> None:
    """``unit_merge_each``: the same units, posts, dossiers, quotas, lineage and change-log
    entries as ``unit_merge`` of each pair in turn (only the order of the entries differs), in
    far fewer statements."""
    pairs, people = _batch_tree(tree)
    with transaction.atomic():
        start = _last_log_id()
        with CaptureQueriesContext(connection) as one_by_one:
            for src, into in pairs:
                unit_merge(acting_user=None, sources=[src], on=JULY, into=into, basis=REASON)
        expected = _merge_state(pairs, people, start)
        transaction.set_rollback(True)
    fresh = Unit.objects.in_bulk([u.pk for pair in pairs for u in pair])
    start = _last_log_id()
    with CaptureQueriesContext(connection) as together:
        unit_merge_each(
            acting_user=None, pairs=[(fresh[s.pk], fresh[t.pk]) for s, t in pairs], on=JULY, basis=REASON
        )
    assert _merge_state(pairs, people, start) == expected
    # Units, posts, dossiers, lineage; a quota carried, one created, the next year's deleted.
    assert len(expected[5]) == 4 + 8 + 8 + 4 + 3
    assert set(Unit.objects.filter(pk__in=[s.pk for s, _t in pairs]).values_list("valid_to", flat=True)) == {
        LAST
    }
    # 193 statements one merge after another: the posts, dossiers, units and quotas of all the
    # sources are read and written once, the lineage rows inserted together, the permissions read
    # once per kind; per pair are left its sub-units' read, its grants and its tenures (hooks).
    assert len(together) == 128, (len(together), len(one_by_one))
    assert len(one_by_one) == 193, len(one_by_one)


@pytest.mark.django_db
def test_merging_pairs_together_refuses_as_one_merge_after_another(
    tree: dict[str, Unit], users: dict[str, User]
) -> None:
    """The first pair that fails stops the batch with ``unit_merge``'s message, nothing written:
    a sub-unit left open, another subtree's officer, a unit given twice; and a target that is
    itself merged in the batch (one merge after another would carry its people on again)."""
    pairs, _people = _batch_tree(tree)
    start = _last_log_id()
    refusals: list[tuple[Any, str, list[tuple[Unit, Unit]], Any]] = [
        (DomainError, "còn 1 đơn vị trực thuộc đang hoạt động", pairs[1:], None),
        (NotPermitted, "không có quyền", pairs, users["officer_b"]),
        (DomainError, "được chọn hai lần", [*pairs, pairs[0]], None),
        (DomainError, "cũng bị sáp nhập trong cùng đợt", [*pairs[:3], (pairs[3][0], pairs[0][0])], None),
    ]
    for error, message, given, user in refusals:
        with pytest.raises(error, match=message):
            unit_merge_each(acting_user=user, pairs=given, on=JULY, basis=REASON)
        assert not Unit.objects.filter(valid_to=LAST).exists()
        assert not UnitLineage.objects.exists()
        assert _log_since(start) == []
