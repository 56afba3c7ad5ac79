"""Restructuring operations: rename, merge, split, dissolve (C2).

They never edit the past. A unit that ends gets ``valid_to`` = the day before the operation;
its open tenures and memberships are closed that same day; when the operation says so, the people
are carried to the successor with a new tenure from the operation date, and their dossiers move
with them. A lineage row links predecessor and successor, so any past date still shows the
structure that existed then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q

from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import ObjectChange
from canbo.core.querysets import CHANGE, RestrictedQuerySet
from canbo.core.services import (
    audited_create,
    audited_delete,
    audited_update,
    audited_update_many,
    ensure_can_change,
    log_change,
)
from canbo.core.types import ActingUser
from canbo.org import hooks
from canbo.org.choices import LineageEvent
from canbo.org.models import Post, StaffingQuota, Unit, UnitFormerName, UnitLineage
from canbo.org.services import can_restructure, ensure_can_restructure, unit_create

DAY = dt.timedelta(days=1)


def _check_open(unit: Unit, on: dt.date) -> None:
    """``unit`` must have begun before ``on`` (it ends the day before) and still be in force."""
    if unit.valid_from and unit.valid_from >= on:
        raise DomainError(
            f"Đơn vị “{unit}” bắt đầu hiệu lực từ {unit.valid_from:%d/%m/%Y}; ngày sắp xếp phải sau đó."
        )
    if not unit.in_force_on(on):
        raise DomainError(f"Đơn vị “{unit}” không còn hiệu lực vào ngày {on:%d/%m/%Y}.")


def _open_children(unit: Unit, on: dt.date) -> list[Unit]:
    return [c for c in Unit.objects.get_children(unit) if c.valid_to is None or c.valid_to >= on]


def _close_posts(
    unit: Unit, *, on: dt.date, acting_user: ActingUser, reason: str, carry_to: Unit | None = None
) -> None:
    """End the posts of ``unit`` still open on ``on`` the day before; with ``carry_to`` (a move:
    the same unit in a new place) each opens again there from ``on`` with its seats. Without it
    (merge, split, dissolve) they are closed: the seats of the unit that takes over are set by
    the decision that arranges it, and the vacancy list meanwhile shows the people carried there
    as holding a title with no post, or over-filling one."""
    last_day = on - DAY
    if carry_to is None:
        _close_posts_of([unit], on=on, acting_user=acting_user, reason=reason)
        return
    posts = list(Post.objects.filter(unit=unit).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)))
    for post in posts:
        _check_post_open(post, on)
        ends = post.valid_to
        audited_update(
            post, acting_user=acting_user, changes={"valid_to": last_day}, reason=reason, check_scope=False
        )
        audited_create(
            Post(unit=carry_to, title=post.title, seats=post.seats, valid_from=on, valid_to=ends),
            acting_user=acting_user,
            reason=reason,
            check_scope=False,
        )


def _close_posts_of(units: Sequence[Unit], *, on: dt.date, acting_user: ActingUser, reason: str) -> None:
    """Close (not carry) the posts of ``units`` still open on ``on``: all checked first, then
    closed together (one read, one UPDATE), unit after unit in the order given, each unit's in
    its usual order (``Post.Meta.ordering``)."""
    rank = {u.pk: i for i, u in enumerate(units)}
    posts = sorted(
        Post.objects.filter(unit__in=list(rank)).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)),
        key=lambda p: rank[p.unit_id],  # stable: the order within a unit stays
    )
    for post in posts:
        _check_post_open(post, on)
    audited_update_many(
        posts, acting_user=acting_user, changes={"valid_to": on - DAY}, reason=reason, check_scope=False
    )


def _check_post_open(post: Post, on: dt.date) -> None:
    if post.valid_from and post.valid_from >= on:
        raise DomainError(f"Vị trí “{post}” bắt đầu từ {post.valid_from:%d/%m/%Y}; hãy sửa vị trí đó trước.")


def _carry_quotas(
    unit: Unit, *, on: dt.date, acting_user: ActingUser, reason: str, into: Unit | None
) -> None:
    """The staffing quotas (biên chế) of ``unit``, which closes the day before ``on``.

    The quota of the year in which it closes stays on it: it is what the unit held until then
    (the quota page reads the units in force on a date, so nothing is counted twice). With
    ``into`` (a move, or a merge: the unit's tasks and people go there), each quota of that year
    and later is carried: a successor that has none for the year gets the same numbers and
    decision, one that has a quota gets the two added — the legal default after a merger (the
    merged unit's quota is at most the sum of those merged) until a new decision is recorded.
    Without ``into`` (split, dissolve), nothing is carried: the parts get their own quota by
    decision. Quotas of the years after the closing are then removed from the closed unit, which
    no longer exists in them (the change log keeps them).
    """
    last_day = on - DAY
    for quota in StaffingQuota.objects.filter(unit=unit, year__gte=on.year).order_by("year"):
        if into is not None:
            existing = StaffingQuota.objects.filter(unit=into, year=quota.year).first()
            note = f"{reason} (biên chế năm {quota.year} của “{unit.name}”)"
            if existing is None:
                audited_create(
                    StaffingQuota(
                        unit=into,
                        year=quota.year,
                        civil_servants=quota.civil_servants,
                        public_employees=quota.public_employees,
                        basis=quota.basis,
                    ),
                    acting_user=acting_user,
                    reason=note,
                    check_scope=False,
                )
            else:
                audited_update(
                    existing,
                    acting_user=acting_user,
                    changes={
                        "civil_servants": existing.civil_servants + quota.civil_servants,
                        "public_employees": existing.public_employees + quota.public_employees,
                    },
                    reason=note,
                    check_scope=False,
                )
        if quota.year > last_day.year:
            audited_delete(quota, acting_user=acting_user, reason=reason, check_scope=False)


def _carry_grants(unit: Unit, successors: Sequence[Unit], *, acting_user: ActingUser, reason: str) -> None:
    hooks.carry_grants(unit=unit, successors=list(successors), acting_user=acting_user, reason=reason)


def _close_unit(
    unit: Unit,
    *,
    on: dt.date,
    acting_user: ActingUser,
    reason: str,
    carry_to: Unit | None,
) -> int:
    """End ``unit`` the day before ``on``; close its open tenures and memberships; carry people.

    Returns the number of people carried.
    """
    return _close_units([unit], on=on, acting_user=acting_user, reason=reason, carry_to=carry_to)


def _close_units(
    units: Sequence[Unit],
    *,
    on: dt.date,
    acting_user: ActingUser,
    reason: str,
    carry_to: Unit | None,
) -> int:
    """``_close_unit`` of several units (the sources of a merge) at once: the tenures and
    memberships of each (careers' hook, unit by unit), then the posts of all in one read and one
    UPDATE, the dossiers carried in one read and one write, the units ended in one UPDATE. The
    same rows and change-log entries as one unit at a time; only their order differs (by kind,
    then unit by unit, instead of unit by unit). Returns the number of people carried.
    """
    carried = 0
    for unit in units:
        carried += hooks.close_tenures(
            unit, on=on, acting_user=acting_user, reason=reason, carry=lambda _pid: carry_to
        )
    _close_posts_of(units, on=on, acting_user=acting_user, reason=reason)
    if carry_to is not None:
        # The dossiers (people's model, reached through the reverse relation: org imports no
        # people), unit after unit in the order given, each unit's in the dossiers' own order.
        rank = {u.pk: i for i, u in enumerate(units)}
        dossiers = (
            units[0]
            .dossiers.model._default_manager.filter(managing_unit__in=list(rank))
            .only("managing_unit")
        )
        audited_update_many(
            sorted(dossiers, key=lambda p: rank[p.managing_unit_id]),
            acting_user=acting_user,
            changes={"managing_unit": carry_to},
            reason=reason,
            check_scope=False,
        )
    audited_update_many(
        list(units), acting_user=acting_user, changes={"valid_to": on - DAY}, reason=reason, check_scope=False
    )
    return carried


def unit_rename(*, acting_user: ActingUser, unit: Unit, new_name: str, on: dt.date, basis: str = "") -> Unit:
    """Rename ``unit`` from ``on``; the former name stays valid for earlier dates."""
    new_name = " ".join(new_name.split())
    if not new_name:
        raise DomainError("Tên mới không được để trống.")
    with transaction.atomic():
        ensure_can_restructure(unit, acting_user)
        _check_open(unit, on)
        if new_name == unit.name:
            raise DomainError("Tên mới trùng tên hiện tại.")
        last = unit.former_names.order_by("-valid_to").first()
        since = last.valid_to + DAY if last else unit.valid_from
        if since is None:
            since = dt.date(1945, 9, 2)
        if since >= on:
            raise DomainError("Ngày đổi tên phải sau lần đổi tên trước.")
        reason = basis or "Đổi tên đơn vị"
        audited_create(
            UnitFormerName(unit=unit, name=unit.name, valid_from=since, valid_to=on - DAY, basis=basis),
            acting_user=acting_user,
            reason=reason,
            check_scope=False,
        )
        return audited_update(unit, acting_user=acting_user, changes={"name": new_name}, reason=reason)


def unit_merge(
    *,
    acting_user: ActingUser,
    sources: Sequence[Unit],
    on: dt.date,
    into: Unit | None = None,
    parent: Unit | None = None,
    new_unit: dict[str, Any] | None = None,
    carry_people: bool = True,
    basis: str = "",
) -> Unit:
    """Merge ``sources`` into ``into`` (sáp nhập) or into a new unit under ``parent`` (hợp nhất).

    Each source must have no open sub-unit on ``on``: sub-units are arranged first (merged,
    moved by their own operation or dissolved), so that no unit is left under a closed parent.
    """
    if not sources:
        raise DomainError("Hãy chọn ít nhất một đơn vị để sáp nhập.")
    if (into is None) == (new_unit is None):
        raise DomainError("Chọn một đơn vị tiếp nhận, hoặc khai báo đơn vị mới – không cả hai.")
    reason = basis or "Sáp nhập, hợp nhất đơn vị"
    if len({src.pk for src in sources}) != len(sources):
        raise DomainError("Một đơn vị được chọn hai lần trong danh sách sáp nhập.")
    with transaction.atomic():
        for src in sources:
            ensure_can_restructure(src, acting_user)
            _check_open(src, on)
            if parent is not None and into is None and parent.path.startswith(src.path):
                raise DomainError(f"Đơn vị mới không thể đặt trong “{src}”, đơn vị sắp bị sáp nhập.")
            if into is not None and src.pk == into.pk:
                raise DomainError("Đơn vị tiếp nhận không thể đồng thời là đơn vị bị sáp nhập.")
            if into is not None and into.path.startswith(src.path):
                raise DomainError(
                    f"Đơn vị tiếp nhận nằm trong “{src}”; không thể sáp nhập vào chính cấp dưới."
                )
            children = _open_children(src, on)
            if children:
                names = ", ".join(c.name for c in children[:5])
                raise DomainError(
                    f"Đơn vị “{src}” còn {len(children)} đơn vị trực thuộc đang hoạt động ({names}); "
                    "hãy sắp xếp các đơn vị trực thuộc trước."
                )
        if into is not None:
            ensure_can_change(into, acting_user)
            if not into.in_force_on(on):
                raise DomainError(f"Đơn vị tiếp nhận “{into}” không có hiệu lực vào ngày {on:%d/%m/%Y}.")
            target = into
        else:
            assert new_unit is not None  # noqa: S101 -- narrows the type for mypy; the caller checked it
            target = unit_create(
                acting_user=acting_user, parent=parent, reason=reason, **{**new_unit, "valid_from": on}
            )
        # The sources closed together (their posts, dossiers and rows: one read and one write
        # each, whatever their number), then each one's quotas, grants and lineage.
        _close_units(
            sources, on=on, acting_user=acting_user, reason=reason, carry_to=target if carry_people else None
        )
        for src in sources:
            _carry_quotas(src, on=on, acting_user=acting_user, reason=reason, into=target)
            _carry_grants(src, [target], acting_user=acting_user, reason=reason)
            audited_create(
                UnitLineage(
                    predecessor=src, successor=target, event=LineageEvent.MERGE, event_date=on, basis=basis
                ),
                acting_user=acting_user,
                reason=reason,
                check_scope=False,
            )
        return target


def unit_merge_each(
    *,
    acting_user: ActingUser,
    pairs: Sequence[tuple[Unit, Unit]],
    on: dt.date,
    carry_people: bool = True,
    basis: str = "",
) -> None:
    """``unit_merge(sources=[source], on=on, into=target, …)`` for each (source, target) of
    ``pairs``, in that order, written together (the demo generator's 1/7/2025 arrangement is
    hundreds of such merges on one day: one at a time, each cost some 25 statements).

    The same checks and refusals as one merge after another — the first pair that fails raises
    what ``unit_merge`` raises for it, and nothing is written — except that a target may not be
    a source of the batch (one merge after another would carry its people on again; do that in
    two batches). A source's open sub-units must be sources of earlier pairs, as one merge
    after another requires. The same rows and change-log entries (each closed post, carried
    dossier, closed unit and lineage row, with the same before/after, reason and user); only
    their order differs: by kind, then pair by pair. The permissions are read in one query per
    kind, the posts, dossiers, units and quotas of all sources in one read and one write each,
    the lineage rows inserted together.
    """
    if not pairs:
        return
    reason = basis or "Sáp nhập, hợp nhất đơn vị"
    sources = [src for src, _into in pairs]
    source_pks = {src.pk for src in sources}
    if len(source_pks) != len(sources):
        raise DomainError("Một đơn vị được chọn hai lần trong danh sách sáp nhập.")
    with transaction.atomic():
        changeable = _changeable(acting_user, [*sources, *(into for _src, into in pairs)])
        closed: set[int] = set()
        for src, into in pairs:
            # unit_merge's checks for one source, in its order.
            if src.pk not in changeable:
                raise NotPermitted("Không tìm thấy bản ghi hoặc bạn không có quyền với bản ghi này.")
            if not can_restructure(acting_user, src):
                ensure_can_restructure(src, acting_user)  # raises its own message
            _check_open(src, on)
            if src.pk == into.pk:
                raise DomainError("Đơn vị tiếp nhận không thể đồng thời là đơn vị bị sáp nhập.")
            if into.path.startswith(src.path):
                raise DomainError(
                    f"Đơn vị tiếp nhận nằm trong “{src}”; không thể sáp nhập vào chính cấp dưới."
                )
            children = [c for c in _open_children(src, on) if c.pk not in closed]
            if children:
                names = ", ".join(c.name for c in children[:5])
                raise DomainError(
                    f"Đơn vị “{src}” còn {len(children)} đơn vị trực thuộc đang hoạt động ({names}); "
                    "hãy sắp xếp các đơn vị trực thuộc trước."
                )
            if into.pk not in changeable:
                raise NotPermitted("Không tìm thấy bản ghi hoặc bạn không có quyền với bản ghi này.")
            if not into.in_force_on(on):
                raise DomainError(f"Đơn vị tiếp nhận “{into}” không có hiệu lực vào ngày {on:%d/%m/%Y}.")
            if into.pk in source_pks:
                raise DomainError(
                    f"Đơn vị tiếp nhận “{into}” cũng bị sáp nhập trong cùng đợt; hãy sáp nhập nó ở đợt sau."
                )
            closed.add(src.pk)
        carried = 0
        for src, into in pairs:
            target = into if carry_people else None
            carried += hooks.close_tenures(
                src, on=on, acting_user=acting_user, reason=reason, carry=lambda _pid, t=target: t
            )
        _close_posts_of(sources, on=on, acting_user=acting_user, reason=reason)
        if carry_people:
            # The dossiers (people's model, through the reverse relation: org imports no people),
            # grouped by target in the order of the pairs, each source's in the dossiers' order.
            rank = {src.pk: i for i, src in enumerate(sources)}
            dossiers = sorted(
                sources[0]
                .dossiers.model._default_manager.filter(managing_unit__in=list(rank))
                .only("managing_unit"),
                key=lambda p: rank[p.managing_unit_id],
            )
            by_target: dict[int, tuple[Unit, list[Any]]] = {}
            for person in dossiers:
                into = pairs[rank[person.managing_unit_id]][1]
                by_target.setdefault(into.pk, (into, []))[1].append(person)
            for into, people in by_target.values():
                audited_update_many(
                    people,
                    acting_user=acting_user,
                    changes={"managing_unit": into},
                    reason=reason,
                    check_scope=False,
                )
        audited_update_many(
            sources, acting_user=acting_user, changes={"valid_to": on - DAY}, reason=reason, check_scope=False
        )
        with_quotas = set(
            StaffingQuota.objects.filter(unit__in=sources, year__gte=on.year).values_list(
                "unit_id", flat=True
            )
        )
        for src, into in pairs:
            if src.pk in with_quotas:
                _carry_quotas(src, on=on, acting_user=acting_user, reason=reason, into=into)
            _carry_grants(src, [into], acting_user=acting_user, reason=reason)
        _create_lineage(
            [
                UnitLineage(
                    predecessor=src, successor=into, event=LineageEvent.MERGE, event_date=on, basis=basis
                )
                for src, into in pairs
            ],
            acting_user=acting_user,
            reason=reason,
        )


def _changeable(acting_user: ActingUser, units: Sequence[Unit]) -> set[int]:
    """The ids among ``units`` that ``acting_user`` may change (``ensure_can_change`` of each,
    in one query)."""
    pks = {u.pk for u in units}
    if acting_user is None:
        return pks
    qs = Unit._default_manager.all()
    if not isinstance(qs, RestrictedQuerySet):
        return pks
    return set(qs.restrict(acting_user, CHANGE).filter(pk__in=pks).values_list("pk", flat=True))


def _create_lineage(rows: list[UnitLineage], *, acting_user: ActingUser, reason: str) -> None:
    """``audited_create`` of each lineage row, inserted together: the same validation less the
    two foreign keys' existence queries (both units were read in this transaction; the database
    checks the keys), the same log entries in the same order."""
    for row in rows:
        row.full_clean(exclude=["predecessor", "successor"])
    UnitLineage.objects.bulk_create(rows)
    for row in rows:
        log_change(
            instance=row,
            action=ObjectChange.Action.CREATE,
            before=None,
            after=row.snapshot(),
            acting_user=acting_user,
            reason=reason,
        )


def unit_split(
    *,
    acting_user: ActingUser,
    source: Unit,
    on: dt.date,
    parts: Sequence[dict[str, Any]],
    parent: Unit | None = None,
    people_to: dict[int, int] | None = None,
    basis: str = "",
) -> list[Unit]:
    """Split ``source`` into new units (``parts``: their fields) under ``parent`` (default: the
    source's parent). ``people_to`` maps a person id to the index of the part that takes him;
    people not mapped have their tenures closed and keep their dossier at the source."""
    if len(parts) < 2:
        raise DomainError("Chia tách phải tạo ra ít nhất hai đơn vị.")
    reason = basis or "Chia tách đơn vị"
    people_to = people_to or {}
    with transaction.atomic():
        ensure_can_restructure(source, acting_user)
        _check_open(source, on)
        children = _open_children(source, on)
        if children:
            raise DomainError(
                f"Đơn vị “{source}” còn đơn vị trực thuộc đang hoạt động; hãy sắp xếp chúng trước."
            )
        if any(i < 0 or i >= len(parts) for i in people_to.values()):
            raise DomainError("Chỉ số đơn vị nhận người không hợp lệ.")
        the_parent = parent if parent is not None else Unit.objects.get_parent(source)
        if the_parent is not None and the_parent.path.startswith(source.path):
            raise DomainError(f"Đơn vị mới không thể đặt trong “{source}”, đơn vị bị chia tách.")
        new_units = [
            unit_create(acting_user=acting_user, parent=the_parent, reason=reason, **{**p, "valid_from": on})
            for p in parts
        ]
        last_day = on - DAY

        def carry(person_id: int) -> Unit | None:
            idx = people_to.get(person_id)
            return new_units[idx] if idx is not None else None

        hooks.close_tenures(source, on=on, acting_user=acting_user, reason=reason, carry=carry)
        _close_posts(source, on=on, acting_user=acting_user, reason=reason)
        _carry_quotas(source, on=on, acting_user=acting_user, reason=reason, into=None)
        _carry_grants(source, new_units, acting_user=acting_user, reason=reason)
        for person in source.dossiers.all():
            target = carry(person.pk)
            if target is not None:
                audited_update(
                    person,
                    acting_user=acting_user,
                    changes={"managing_unit": target},
                    reason=reason,
                    check_scope=False,
                )
        audited_update(
            source, acting_user=acting_user, changes={"valid_to": last_day}, reason=reason, check_scope=False
        )
        for nu in new_units:
            audited_create(
                UnitLineage(
                    predecessor=source, successor=nu, event=LineageEvent.SPLIT, event_date=on, basis=basis
                ),
                acting_user=acting_user,
                reason=reason,
                check_scope=False,
            )
        return new_units


def unit_dissolve(
    *,
    acting_user: ActingUser,
    unit: Unit,
    on: dt.date,
    successor: Unit | None = None,
    carry_people: bool = False,
    basis: str = "",
) -> list[Unit]:
    """Dissolve ``unit`` and every sub-unit still open on ``on`` (giải thể).

    With ``successor`` (the unit that takes over its tasks), lineage is recorded and, if
    ``carry_people``, the people of the dissolved units are carried there. Returns the units closed.
    """
    reason = basis or "Giải thể đơn vị"
    if carry_people and successor is None:
        raise DomainError("Muốn chuyển người sang đơn vị khác thì phải chọn đơn vị kế thừa.")
    with transaction.atomic():
        ensure_can_restructure(unit, acting_user)
        _check_open(unit, on)
        if successor is not None:
            # The successor receives the lineage and, with carry_people, the people and their
            # dossiers: the user must be allowed to change it, as for a merge target.
            ensure_can_change(successor, acting_user)
            if successor.path.startswith(unit.path):
                raise DomainError("Đơn vị kế thừa không thể nằm trong đơn vị bị giải thể.")
            if not successor.in_force_on(on):
                raise DomainError(f"Đơn vị kế thừa “{successor}” không có hiệu lực vào ngày {on:%d/%m/%Y}.")
        closed: list[Unit] = []
        # Deepest first, so a parent never ends while a child is still open.
        subtree = [u for u in Unit.objects.subtree_of(unit) if u.valid_to is None or u.valid_to >= on]
        for u in sorted(subtree, key=lambda x: -x.depth):
            _close_unit(
                u, on=on, acting_user=acting_user, reason=reason, carry_to=successor if carry_people else None
            )
            _carry_quotas(u, on=on, acting_user=acting_user, reason=reason, into=None)
            if successor is not None:
                _carry_grants(u, [successor], acting_user=acting_user, reason=reason)
            closed.append(u)
        if successor is not None:
            audited_create(
                UnitLineage(
                    predecessor=unit,
                    successor=successor,
                    event=LineageEvent.DISSOLVE,
                    event_date=on,
                    basis=basis,
                ),
                acting_user=acting_user,
                reason=reason,
                check_scope=False,
            )
        return closed


def _archived_code(code: str, last_day: dt.date) -> str:
    """The code a closed unit keeps once its successor takes its code over (unique, ≤ 40)."""
    suffix = f"~{last_day:%Y%m%d}"
    return code[: 40 - len(suffix)] + suffix


def unit_move(
    *,
    acting_user: ActingUser,
    unit: Unit,
    new_parent: Unit,
    on: dt.date,
    basis: str = "",
) -> Unit:
    """Move ``unit`` (with its open sub-units) under ``new_parent`` from ``on``.

    As a merge does, the move never edits the past: every unit of the moved subtree open on
    ``on`` ends the day before, and a successor opens under the new place from ``on`` with the
    same name and attributes, linked by a lineage row (event "move"). Tenures, memberships of
    bodies, open posts and dossiers are carried to the successor. The successor takes the code
    over (imports and users know the unit by its code); the closed unit keeps its code with the
    suffix ``~YYYYMMDD`` of its last day. Any date before ``on`` still shows the old parent.
    """
    reason = basis or "Chuyển đơn vị sang đơn vị cấp trên khác"
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        new_parent = Unit.objects.select_for_update().get(pk=new_parent.pk)
        ensure_can_restructure(unit, acting_user)
        ensure_can_change(new_parent, acting_user)
        _check_open(unit, on)
        if new_parent.path.startswith(unit.path):
            raise DomainError(
                f"Không thể chuyển “{unit}” vào “{new_parent}”: đơn vị cấp trên mới nằm trong chính đơn vị "
                "được chuyển (tạo thành vòng lặp trong cây)."
            )
        old_parent = Unit.objects.get_parent(unit) if unit.depth > 1 else None
        if old_parent is not None and old_parent.pk == new_parent.pk:
            raise DomainError(f"“{unit}” đã trực thuộc “{new_parent}”.")
        if not new_parent.in_force_on(on):
            raise DomainError(f"Đơn vị cấp trên mới “{new_parent}” không có hiệu lực vào ngày {on:%d/%m/%Y}.")
        if new_parent.valid_to is not None:
            raise DomainError(
                f"Đơn vị cấp trên mới “{new_parent}” kết thúc ngày {new_parent.valid_to:%d/%m/%Y}; "
                "không thể chuyển đơn vị vào đó."
            )
        return _move_subtree(unit, new_parent, on=on, acting_user=acting_user, reason=reason, basis=basis)


def _move_subtree(
    unit: Unit, new_parent: Unit, *, on: dt.date, acting_user: ActingUser, reason: str, basis: str
) -> Unit:
    _check_open(unit, on)  # also for each sub-unit: one that starts on or after ``on`` is refused
    last_day = on - DAY
    # The sub-units first read as they stand (before the unit closes): open on ``on``.
    children = _open_children(unit, on)
    code = unit.code
    audited_update(
        unit,
        acting_user=acting_user,
        changes={"code": _archived_code(code, last_day)},
        reason=reason,
        check_scope=False,
    )
    fields = {
        "code": code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "block": unit.block,
        "level": unit.level,
        "area": unit.area,
        "note": unit.note,
        "basis": basis,
        "valid_from": on,
    }
    successor = unit_create(acting_user=acting_user, parent=new_parent, reason=reason, **fields)
    # Children move with the unit: each gets its own successor under the successor.
    for child in children:
        _move_subtree(child, successor, on=on, acting_user=acting_user, reason=reason, basis=basis)
    # Memberships of a body carry over: the body is the same, in a new place.
    hooks.carry_memberships(unit, successor, on=on, acting_user=acting_user, reason=reason)
    _close_posts(unit, on=on, acting_user=acting_user, reason=reason, carry_to=successor)
    _carry_quotas(unit, on=on, acting_user=acting_user, reason=reason, into=successor)
    _carry_grants(unit, [successor], acting_user=acting_user, reason=reason)
    _close_unit(unit, on=on, acting_user=acting_user, reason=reason, carry_to=successor)
    audited_create(
        UnitLineage(
            predecessor=unit, successor=successor, event=LineageEvent.MOVE, event_date=on, basis=basis
        ),
        acting_user=acting_user,
        reason=reason,
        check_scope=False,
    )
    return successor
