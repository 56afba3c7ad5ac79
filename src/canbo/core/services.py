"""Audited write primitives. Domain services call these; views never do.

Each primitive validates (``full_clean``), writes, and logs inside one transaction, then re-checks
that the acting user may still reach the record (STYLE.md convention 6), so nobody can create or
move a record outside his subtree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from canbo.core.context import current_context
from canbo.core.errors import ConflictError, NotPermitted
from canbo.core.models import ChangeLoggedModel, ObjectChange
from canbo.core.querysets import CHANGE, RestrictedQuerySet
from canbo.core.types import ActingUser

M = TypeVar("M", bound=ChangeLoggedModel)

# Called inside the writing transaction with every logged change: (model, values before, values
# after); both None for rows written in bulk (unknown values). Apps register in ``ready()`` what
# must follow a write in the same transaction: the indicators' snapshots are invalidated so.
ChangeListener = Callable[[type[models.Model], dict[str, Any] | None, dict[str, Any] | None], None]
_change_listeners: list[ChangeListener] = []


def add_change_listener(listener: ChangeListener) -> None:
    if listener not in _change_listeners:
        _change_listeners.append(listener)


def _notify(model: type[models.Model], before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    for listener in _change_listeners:
        listener(model, before, after)


def notify_bulk(model: type[models.Model]) -> None:
    """Tell the listeners that rows of ``model`` were written in bulk (values unknown): the
    import's bulk writer (``core.bulkwrite``), like ``bulk_log_created``."""
    _notify(model, None, None)


def logged_user(acting_user: ActingUser) -> User | None:
    """The user row a record links to: None for the system (and an anonymous visitor)."""
    return acting_user if isinstance(acting_user, User) and acting_user.pk else None


def frozen_user_name(user: Any) -> str:
    """The name kept in the log: full name, else username, else "hệ thống" (commands, generator)."""
    if user is None:
        return "hệ thống"
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or getattr(user, "username", "hệ thống")


# The entries of ``deferred_log()``: None outside it.
_deferred: ContextVar[list[ObjectChange] | None] = ContextVar("canbo_deferred_log", default=None)
# What a ``deferred_log()`` batch runs once at its end (``at_batch_end``): None outside it.
_batch_end: ContextVar[dict[str, Callable[[], None]] | None] = ContextVar("canbo_batch_end", default=None)
W = TypeVar("W", bound=Callable[[], None])


def at_batch_end(key: str, make: Callable[[], W]) -> W | None:
    """Inside a ``deferred_log()`` batch, the work kept under ``key`` (``make()`` the first time),
    which the batch runs once at its end, in its transaction, before the entries are written;
    None outside a batch (the caller does its work now). A change listener coalesces so what
    each of many writes would repeat: the indicators' snapshots are deleted once per batch."""
    pending = _batch_end.get()
    if pending is None:
        return None
    if key not in pending:
        pending[key] = make()
    return pending[key]  # type: ignore[return-value] # made by ``make`` for this key


@contextmanager
def deferred_log() -> Iterator[None]:
    """Write the change-log entries made inside in one statement at the end, in the order they
    were made: the same rows (ids included) as one insert per entry, for a batch of many small
    writes (``org.restructuring`` run many times by the demo generator). Runs in one transaction;
    nothing inside may read the change log of its own writes (the entries are not there yet),
    nor count on the work listeners postpone to its end (``at_batch_end``) being done."""
    if _deferred.get() is not None:  # already deferred by an outer batch: its flush writes these
        yield
        return
    entries: list[ObjectChange] = []
    at_end: dict[str, Callable[[], None]] = {}
    token = _deferred.set(entries)
    end_token = _batch_end.set(at_end)
    try:
        with transaction.atomic():
            yield
            _batch_end.set(None)  # the work at the end is done now, as outside a batch
            for work in at_end.values():
                work()
            ObjectChange.objects.bulk_create(entries, batch_size=2000)
    finally:
        _batch_end.reset(end_token)
        _deferred.reset(token)


def log_change(
    *,
    instance: ChangeLoggedModel,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    acting_user: ActingUser,
    reason: str = "",
) -> ObjectChange:
    """Write one change-log entry for ``instance`` in the bound request context."""
    ctx = current_context()
    _notify(type(instance), before, after)
    entry = ObjectChange(
        user=logged_user(acting_user),
        user_name=frozen_user_name(acting_user),
        request_id=ctx.request_id,
        source=ctx.source,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance), for_concrete_model=True),
        object_id=instance.pk,
        object_repr=str(instance)[:300],
        related_person_id=instance.audit_person_id(),
        reason=(reason or ctx.reason or "")[:500],
        prechange_data=before,
        postchange_data=after,
    )
    deferred = _deferred.get()
    if deferred is not None:
        deferred.append(entry)
    else:
        entry.save(force_insert=True)
    return entry


def ensure_can_change(instance: models.Model, acting_user: ActingUser) -> None:
    """Raise NotPermitted unless ``acting_user`` may change ``instance`` (scoped models only).

    ``acting_user=None`` is the system itself (a management command, the generator, a data
    load), as in ``audited_create``; every user-facing entry point passes ``request.user``.
    """
    if acting_user is None:
        return
    manager = type(instance)._default_manager
    qs = manager.all()
    if (
        isinstance(qs, RestrictedQuerySet)
        and not qs.restrict(acting_user, CHANGE).filter(pk=instance.pk).exists()
    ):
        raise NotPermitted("Không tìm thấy bản ghi hoặc bạn không có quyền với bản ghi này.")


def audited_create(instance: M, *, acting_user: ActingUser, reason: str = "", check_scope: bool = True) -> M:
    """Validate, save and log a new record; refuse it if it lands outside the user's grants."""
    with transaction.atomic():
        instance.full_clean()
        instance.save()
        if check_scope:
            ensure_can_change(instance, acting_user)
        log_change(
            instance=instance,
            action=ObjectChange.Action.CREATE,
            before=None,
            after=instance.snapshot(),
            acting_user=acting_user,
            reason=reason,
        )
    return instance


def audited_update(
    instance: M,
    *,
    acting_user: ActingUser,
    changes: Mapping[str, Any],
    reason: str = "",
    expected_version: int | None = None,
    check_scope: bool = True,
) -> M:
    """Apply ``changes``, validate, save and log; refuse a stale edit (optimistic lock).

    The changes are applied to the row as it is in the database (locked for the transaction),
    not to ``instance``: a caller holding an older copy must not silently revert what others
    changed in fields it did not touch, nor log those reverts as its own edit. ``instance`` is
    brought up to date afterwards. A change that changes nothing writes nothing: no log entry,
    and the version stays, so that nobody else's open form turns stale for nothing.
    """
    with transaction.atomic():
        if check_scope:
            ensure_can_change(instance, acting_user)
        current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        if expected_version is not None and current.row_version != expected_version:
            raise ConflictError(
                "Bản ghi đã được người khác sửa sau khi bạn mở. Hãy tải lại trang, xem thay đổi "
                "của họ rồi nhập lại."
            )
        before = current.snapshot()
        for name, value in changes.items():
            setattr(current, name, value)
        current.full_clean()
        after = current.snapshot()
        if after != before:
            current.row_version += 1
            current.save()
            _log_update(
                current, before, after, acting_user=acting_user, reason=reason, check_scope=check_scope
            )
        _copy_fields(current, instance, changes)
    return instance


def _log_update(
    row: ChangeLoggedModel,
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    acting_user: ActingUser,
    reason: str,
    check_scope: bool,
) -> None:
    """The end of an update, single or many: the row as written must still be in the user's
    scope (a change may move it out), then its change-log entry."""
    if check_scope:
        ensure_can_change(row, acting_user)
    log_change(
        instance=row,
        action=ObjectChange.Action.UPDATE,
        before=before,
        after=after,
        acting_user=acting_user,
        reason=reason,
    )


def audited_update_many(
    instances: Sequence[M],
    *,
    acting_user: ActingUser,
    changes: Mapping[str, Any],
    reason: str = "",
    check_scope: bool = True,
) -> list[M]:
    """``audited_update`` of several rows of one model with the same ``changes``, in the order
    given: the same checks, the same row versions and the same log entries, with one locked read
    of the rows and one ``UPDATE`` for all of them instead of a read, a validation and a save each.

    The validation is ``full_clean`` less what the changes cannot affect and the database already
    guarantees: a foreign key or a single-field unique value left as it is (``_settled_fields``).
    Models whose ``save()`` does more than write the row are saved one by one.
    """
    if not instances:
        return []
    model = type(instances[0])
    if any(type(i) is not model for i in instances):
        raise TypeError("audited_update_many: rows of one model")
    manager = model._default_manager
    with transaction.atomic():
        if check_scope:
            for instance in instances:
                ensure_can_change(instance, acting_user)
        related = [
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and not f.null and f.name not in changes
        ]
        current = (
            manager.select_for_update(of=("self",))
            .select_related(*related)
            .in_bulk([i.pk for i in instances])
        )
        exclude = _settled_fields(model, changes)
        changed: list[tuple[M, dict[str, Any], dict[str, Any]]] = []
        for instance in instances:
            row = current[instance.pk]
            before = row.snapshot()
            for name, value in changes.items():
                setattr(row, name, value)
            row.full_clean(exclude=exclude)
            after = row.snapshot()
            if after != before:
                changed.append((row, before, after))
        if changed:
            now = timezone.now()
            if _plain_save(model):
                manager.filter(pk__in=[row.pk for row, _b, _a in changed]).update(
                    **changes, row_version=F("row_version") + 1, last_updated=now
                )
                for row, _b, _a in changed:
                    row.row_version += 1
                    row.last_updated = now
            else:
                for row, _b, _a in changed:
                    row.row_version += 1
                    row.save()
            for row, before, after in changed:
                _log_update(
                    row, before, after, acting_user=acting_user, reason=reason, check_scope=check_scope
                )
        for instance in instances:
            _copy_fields(current[instance.pk], instance, changes)
    return list(instances)


def _settled_fields(model: type[models.Model], changes: Mapping[str, Any]) -> list[str]:
    """Fields whose validation needs a query and cannot change with ``changes``: a foreign key
    (without ``limit_choices_to``) or a ``unique`` field that is not changed and takes part in no
    ``unique_together`` nor constraint. The database's own foreign-key and unique constraints
    already hold for them."""
    meta = model._meta
    changed = {meta.get_field(name).name for name in changes}
    shared: set[str] = {name for group in meta.unique_together for name in group}
    for constraint in meta.constraints:
        fields = getattr(constraint, "fields", None)
        if not fields or getattr(constraint, "condition", None) is not None:
            return []  # a check, a condition or an expression may read any field: validate them all
        shared.update(fields)
    return [
        f.name
        for f in meta.concrete_fields
        if f.name not in changed
        and f.name not in shared
        and (
            (f.is_relation and not getattr(f.remote_field, "limit_choices_to", None))
            or (f.unique and not f.primary_key)
        )
    ]


def _plain_save(model: type[models.Model]) -> bool:
    """Whether saving a row of ``model`` only writes it (no ``save()`` of its own up the MRO
    below Django's, no ``pre_save``/``post_save`` receiver, no ``auto_now`` field but
    ``last_updated``), so that one ``UPDATE`` may stand for the rows' saves."""
    if models.signals.pre_save.has_listeners(model) or models.signals.post_save.has_listeners(model):
        return False
    if any(getattr(f, "auto_now", False) and f.name != "last_updated" for f in model._meta.concrete_fields):
        return False
    for klass in model.__mro__:
        if klass is models.Model:
            return True
        if "save" in vars(klass):
            return False
    return True


def _copy_fields(source: models.Model, target: models.Model, changes: Mapping[str, Any]) -> None:
    """Make ``target`` show the saved row ``source``; keep the objects given in ``changes``."""
    for f in source._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    for name, value in changes.items():
        setattr(target, name, value)


def audited_delete(
    instance: ChangeLoggedModel,
    *,
    acting_user: ActingUser,
    reason: str = "",
    expected_version: int | None = None,
    check_scope: bool = True,
) -> None:
    """Log and delete a record (the log keeps its last values)."""
    with transaction.atomic():
        if check_scope:
            ensure_can_change(instance, acting_user)
        # The version and the last values are read from the locked row, not from the caller's
        # copy, which may be older than the row it is about to delete.
        current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        if expected_version is not None and current.row_version != expected_version:
            raise ConflictError("Bản ghi đã được người khác sửa sau khi bạn mở. Hãy tải lại trang.")
        log_change(
            instance=current,
            action=ObjectChange.Action.DELETE,
            before=current.snapshot(),
            after=None,
            acting_user=acting_user,
            reason=reason,
        )
        instance.delete()


def bulk_log_created(instances: Iterable[ChangeLoggedModel], *, acting_user: ActingUser, reason: str) -> int:
    """Log creation of records written with ``bulk_create`` by the generator or an import.

    Only those two paths may bulk-write audited models, and they must call this so the log is
    complete (STYLE.md, "Things to avoid").
    """
    ctx = current_context()
    entries = []
    ct_cache: dict[type, ContentType] = {}
    for inst in instances:
        cls = type(inst)
        if cls not in ct_cache:
            ct_cache[cls] = ContentType.objects.get_for_model(cls, for_concrete_model=True)
        entries.append(
            ObjectChange(
                user=logged_user(acting_user),
                user_name=frozen_user_name(acting_user),
                request_id=ctx.request_id,
                source=ctx.source,
                action=ObjectChange.Action.CREATE,
                content_type=ct_cache[cls],
                object_id=inst.pk,
                object_repr=str(inst)[:300],
                related_person_id=inst.audit_person_id(),
                reason=reason[:500],
                prechange_data=None,
                postchange_data=inst.snapshot(),
            )
        )
    ObjectChange.objects.bulk_create(entries, batch_size=2000)
    for cls in ct_cache:
        _notify(cls, None, None)
    return len(entries)
