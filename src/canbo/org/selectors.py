"""Reads of the organisation, limited to the user's grants and read as of a date."""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet, Sum

from canbo.core.context import bound_context
from canbo.core.grants import active_grants
from canbo.core.history import describe_changes
from canbo.core.kept import KeptQuery
from canbo.core.models import ObjectChange
from canbo.core.querysets import VIEW, grant_scope
from canbo.core.text import fold
from canbo.org import hooks
from canbo.org.models import Post, StaffingQuota, Title, Unit, UnitFormerName, in_force_q


def visible_roots(user: Any, day: dt.date) -> list[Unit]:
    """The topmost units the user may see that were in force on ``day``.

    For a superuser these are the tree roots; otherwise the units his grants are bound to
    (without those nested in another grant's subtree). Grants on a unit that ended show the
    units in force under it.
    """
    if getattr(user, "is_superuser", False):
        base = list(Unit.objects.get_root_nodes().prefetch_related("former_names"))
    else:
        paths = sorted({g.unit_path for g in active_grants(user) if g.unit_path})
        tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
        base = list(Unit.objects.filter(path__in=tops).prefetch_related("former_names"))
    out: list[Unit] = []
    for unit in base:
        if unit.in_force_on(day):
            out.append(unit)
        else:
            out.extend(children_on(user, unit, day))
    return out


def ended_grant_units(user: Any, day: dt.date) -> list[Unit]:
    """Units the user's grants are bound to that had already ended on ``day`` (for a notice)."""
    if getattr(user, "is_superuser", False):
        return []
    ids = [g.unit_id for g in active_grants(user) if g.unit_id]
    return list(Unit.objects.filter(pk__in=ids, valid_to__lt=day))


def children_on(user: Any, unit: Unit, day: dt.date) -> list[Unit]:
    """Direct sub-units of ``unit`` in force on ``day``, with how many sub-units each has then
    (``children_on_day``) and its name on that day (``name_on_day``, as ``Unit.name_on``)."""
    qs: QuerySet[Unit] = (
        Unit.objects.restrict(user)
        .filter(path__startswith=unit.path, depth=unit.depth + 1)
        .filter(in_force_q(day))
    )
    units = list(qs)
    if units:
        # The names in use on the day, read in one query: a prefetch of every former name built
        # a queryset per unit (117 in the demo's tree, a third of the page; issue 22).
        former: dict[int, str] = {}
        for unit_id, name in (
            UnitFormerName.objects.filter(
                unit_id__in=[u.pk for u in units], valid_from__lte=day, valid_to__gte=day
            )
            .order_by("unit_id", "valid_from")
            .values_list("unit_id", "name")
        ):
            former.setdefault(unit_id, name)
        for u in units:
            u.name_on_day = former.get(u.pk, u.name)
        counts = dict(
            Unit.objects.filter(in_force_q(day))
            .filter(depth=unit.depth + 2, path__startswith=unit.path)
            .values_list("path")
            .annotate(n=Count("id"))
            .values_list("path", "n")
        )
        child_count: dict[str, int] = {}
        for path in counts:
            key = path[: len(unit.path) + Unit.steplen]
            child_count[key] = child_count.get(key, 0) + 1
        for u in units:
            u.children_on_day = child_count.get(u.path, 0)
    return units


unit_people_on = hooks.unit_people_on


def unit_in_scope(user: Any, unit: Unit, action: str = VIEW) -> bool:
    """Whether ``Unit.objects.restrict(user, action)`` holds ``unit``, decided without a query:
    a unit is bound to no person, so its scope is the granted subtrees' paths (``grant_scope``)
    and nothing else. ``org/tests/test_unit_page_reads.py`` compares it with ``restrict()``."""
    paths = grant_scope(Unit, user, action).unit_paths
    return paths is None or any(unit.path.startswith(p) for p in paths)


def _history_of(pk: int, limit: int) -> QuerySet[ObjectChange]:
    # The content type by its natural key, not its id: a kept statement must not hold an id a
    # flushed database gives anew.
    return (
        ObjectChange.objects.filter(content_type__app_label="org", content_type__model="unit", object_id=pk)
        .select_related("content_type")
        .order_by("-time", "-id")[:limit]
    )


# The unit page's 50 newest entries, with the statement compiled once per process (core.kept).
_PAGE_HISTORY = KeptQuery(lambda pk: _history_of(pk, 50))


def unit_history(unit: Unit, limit: int = 50) -> list[ObjectChange]:
    """Change-log entries of the unit itself (creation, renames, closing), newest first."""
    return describe_changes(_PAGE_HISTORY(unit.pk) if limit == 50 else _history_of(unit.pk, limit))


def unit_search(user: Any, text: str, day: dt.date) -> QuerySet[Unit]:
    text = text.strip()
    return (
        Unit.objects.restrict(user)
        .filter(in_force_q(day))
        .filter(Q(name__icontains=text) | Q(code__iexact=text))
        .order_by("path")[:100]
    )


# ---------------------------------------------------------------------------------------------
# Unit labels: the shortest name that tells a unit apart from the others of the same name.
#
# 2,000 units carry a few hundred distinct names ("Phòng Văn hóa – Xã hội" 99 times), so a unit is
# shown with its name and, when that name is shared, its nearest ancestors until the label is
# unique ("Phòng Văn hóa – Xã hội, UBND xã Bát Xát"). Labels depend on every unit's name, so they
# are computed once for the whole tree (one query of id, path and name: a few milliseconds for
# 2,366 units) and kept in the process, keyed by a stamp of the table (count, last change, last
# id). The stamp is read at most once per request (the change-log context's request id), so a
# page pays one small query whatever the number of units it shows, and a rename in another
# process shows on the next request. Outside a request every call reads the stamp: code that
# labels many rows there (a streamed export's chunks) takes ``unit_labels(ids)`` per batch.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitIndex:
    """Every unit's label, path, name folded for search, and validity, by id."""

    stamp: tuple[Any, ...]
    label: dict[int, str]
    path: dict[int, str]
    by_path: dict[str, int]
    folded: dict[int, str]
    open: frozenset[int]  # units not closed (no ``valid_to``)
    kind: dict[int, str]
    child_count: dict[int, int]


_index: UnitIndex | None = None
_checked_for: Any = None
_index_lock = threading.Lock()


def _stamp() -> tuple[Any, ...]:
    row = Unit.objects.order_by().aggregate(n=Count("id"), last=Max("last_updated"), top=Max("id"))
    return (row["n"], row["last"], row["top"])


def _build(stamp: tuple[Any, ...]) -> UnitIndex:
    full = list(Unit.objects.order_by("path").values_list("id", "path", "name", "code", "valid_to", "kind"))
    rows = [r[:5] for r in full]
    by_path = {path: pk for pk, path, _n, _c, _v in rows}
    names = {pk: name for pk, _p, name, _c, _v in rows}
    paths = {pk: path for pk, path, _n, _c, _v in rows}
    ends = {pk: valid_to for pk, _p, _n, _c, valid_to in rows}
    codes = {pk: code for pk, _p, _n, code, _v in rows}
    step = Unit.steplen

    def ancestors(path: str) -> list[str]:
        """Names of the ancestors, nearest first."""
        out = []
        for end in range(len(path) - step, 0, -step):
            pk = by_path.get(path[:end])
            if pk is not None:
                out.append(names[pk])
        return out

    groups: dict[str, list[int]] = defaultdict(list)
    for pk, _p, name, _c, _v in rows:
        groups[name].append(pk)
    label: dict[int, str] = {}
    for name, members in groups.items():
        if len(members) == 1:
            label[members[0]] = name
            continue
        chains = {pk: ancestors(paths[pk]) for pk in members}
        pending = list(members)
        depth = 1
        while pending and depth <= max(len(chains[pk]) for pk in pending):
            tried = {pk: ", ".join([name, *chains[pk][:depth]]) for pk in pending}
            seen: dict[str, int] = defaultdict(int)
            for text in tried.values():
                seen[text] += 1
            still = []
            for pk in pending:
                if seen[tried[pk]] == 1:
                    label[pk] = tried[pk]
                else:
                    still.append(pk)
            pending = still
            depth += 1
        # Same name under the same parents: a unit closed and reopened, or two units of one body.
        for pk in pending:
            whole = ", ".join([name, *chains[pk]])
            end = ends[pk]
            label[pk] = f"{whole} (đến hết {end:%d/%m/%Y})" if end else f"{whole} [{codes[pk]}]"
    child_count: dict[int, int] = defaultdict(int)
    for _pk, path, _n, _c, _v in rows:
        parent = by_path.get(path[:-step]) if len(path) > step else None
        if parent is not None:
            child_count[parent] += 1
    return UnitIndex(
        stamp=stamp,
        label=label,
        path=paths,
        by_path=by_path,
        folded={pk: fold(text) for pk, text in label.items()},
        open=frozenset(pk for pk, _p, _n, _c, valid_to in rows if valid_to is None),
        kind={r[0]: r[5] for r in full},
        child_count=dict(child_count),
    )


def unit_index() -> UnitIndex:
    """The labels of every unit, current as of this request (see the note above)."""
    global _index, _checked_for
    bound = bound_context()
    key = bound.request_id if bound is not None else None
    with _index_lock:
        if _index is not None and key is not None and _checked_for == key:
            return _index
        stamp = _stamp()
        if _index is None or _index.stamp != stamp:
            _index = _build(stamp)
        _checked_for = key
        return _index


def unit_index_reset() -> None:
    """Forget the kept labels (tests: each test has its own units and areas)."""
    global _index, _area_index
    with _index_lock:
        _index = None
        _area_index = None


def unit_label(unit: Unit | int | None) -> str:
    """The unit's shortest distinguishing label: its name, and its nearest ancestors' names when
    other units share that name ("Phòng Văn hóa – Xã hội, UBND xã Bát Xát")."""
    if unit is None or unit == "":
        return ""
    pk = unit if isinstance(unit, int) else unit.pk
    found = unit_index().label.get(pk)
    if found is not None:
        return found
    return unit.name if isinstance(unit, Unit) else str(unit)


def unit_label_on(unit: Unit, day: dt.date) -> str:
    """``unit_label`` with the unit's own name as it was on ``day`` (a later rename does not
    rewrite the past; the ancestors that tell it apart are named as today)."""
    label = unit_label(unit)
    former = unit.name_on(day)
    if former != unit.name and label.startswith(unit.name):
        return former + label[len(unit.name) :]
    return label


def unit_labels(ids: Any) -> dict[int, str]:
    """Labels of the units ``ids`` (unknown ids are left out)."""
    index = unit_index().label
    return {pk: index[pk] for pk in ids if pk in index}


PICKER_LIMIT = 30


def unit_pick(
    user: Any,
    *,
    text: str = "",
    parent: int | None = None,
    action: str = "view",
    open_only: bool = False,
    kinds: tuple[str, ...] = (),
    limit: int = PICKER_LIMIT,
) -> list[tuple[int, str, int]]:
    """Units the user's grants cover for ``action``, as (id, label, number of sub-units), for
    the unit picker: those whose label contains every folded word of ``text`` (accents and
    case ignored), the sub-units of ``parent``, or, with neither, the topmost units of the
    user's scope. ``kinds`` limits searches and sub-units to units of those kinds (a body of a
    membership). At most ``limit``, in tree order."""
    from canbo.core.querysets import grant_scope

    index = unit_index()
    scope = grant_scope(Unit, user, action).unit_paths

    def covered(path: str) -> bool:
        return scope is None or any(path.startswith(p) for p in scope)

    words = fold(text).split()
    if words:
        candidates = [pk for pk, folded in index.folded.items() if all(w in folded for w in words)]
    elif parent is not None:
        base = index.path.get(parent)
        if base is None:
            return []
        depth = len(base) + Unit.steplen
        candidates = [pk for pk, path in index.path.items() if len(path) == depth and path.startswith(base)]
    elif scope is None:
        candidates = [pk for pk, path in index.path.items() if len(path) == Unit.steplen]
    else:
        tops = [p for p in scope if not any(p != q and p.startswith(q) for q in scope)]
        candidates = [index.by_path[p] for p in tops if p in index.by_path]
    out = []
    for pk in sorted(candidates, key=lambda pk: index.path[pk]):
        if open_only and pk not in index.open:
            continue
        if kinds and index.kind.get(pk) not in kinds and not (parent is None and not words):
            continue  # browsing from the top shows the scope's roots whatever their kind
        if not covered(index.path[pk]):
            continue
        out.append((pk, index.label[pk], index.child_count.get(pk, 0)))
        if len(out) >= limit:
            break
    return out


# Administrative areas (3,579: every commune of the country, before and after 1/7/2025) are
# picked the same way (birth place, home town, residence): labels kept in the process by stamp.


@dataclass(frozen=True)
class AreaIndex:
    stamp: tuple[Any, ...]
    label: dict[int, str]
    folded: dict[int, str]
    parent: dict[int, int | None]
    order: list[int]  # current list first, then by level and name
    child_count: dict[int, int]


_area_index: AreaIndex | None = None
_area_checked_for: Any = None


def area_index() -> AreaIndex:
    """Labels of every administrative area ("Xã Bát Xát, Tỉnh Lào Cai (trước 01/7/2025)")."""
    from canbo.org.models import AdminArea

    global _area_index, _area_checked_for
    bound = bound_context()
    key = bound.request_id if bound is not None else None
    with _index_lock:
        if _area_index is not None and key is not None and _area_checked_for == key:
            return _area_index
        row = AdminArea.objects.order_by().aggregate(n=Count("id"), last=Max("last_updated"), top=Max("id"))
        stamp = (row["n"], row["last"], row["top"])
        if _area_index is None or _area_index.stamp != stamp:
            rows = list(
                AdminArea.objects.order_by("dataset", "level", "name").values_list(
                    "id", "name", "parent_id", "valid_to", "level"
                )
            )
            names = {pk: name for pk, name, _p, _v, _l in rows}
            label = {}
            children: dict[int, int] = defaultdict(int)
            for pk, name, parent, valid_to, _l in rows:
                text = f"{name}, {names[parent]}" if parent in names else name
                label[pk] = f"{text} (trước 01/7/2025)" if valid_to else text
                if parent is not None:
                    children[parent] += 1
            _area_index = AreaIndex(
                stamp=stamp,
                label=label,
                folded={pk: fold(text) for pk, text in label.items()},
                parent={pk: parent for pk, _n, parent, _v, _l in rows},
                order=[pk for pk, *_ in rows],
                child_count=dict(children),
            )
        _area_checked_for = key
        return _area_index


def area_label(area: Any) -> str:
    if area is None or area == "":
        return ""
    pk = area if isinstance(area, int) else area.pk
    return area_index().label.get(pk, str(area))


def area_pick(
    *, text: str = "", parent: int | None = None, limit: int = PICKER_LIMIT
) -> list[tuple[int, str, int]]:
    """Areas for the area picker, as (id, label, number of sub-areas): those whose label holds
    every folded word of ``text``, the sub-areas of ``parent``, or the provinces."""
    index = area_index()
    words = fold(text).split()
    if words:
        found = [pk for pk in index.order if all(w in index.folded[pk] for w in words)]
    elif parent is not None:
        found = [pk for pk in index.order if index.parent[pk] == parent]
    else:
        found = [pk for pk in index.order if index.parent[pk] is None]
    return [(pk, index.label[pk], index.child_count.get(pk, 0)) for pk in found[:limit]]


# Posts and vacancies


@dataclass
class PostRow:
    """One post (or a title held without a post) in a unit on a day, with who holds it."""

    unit: Unit
    title: Title
    seats: int
    holders: list[Any]  # the tenures (careers) held on the day
    post: Post | None

    @property
    def held(self) -> int:
        return len(self.holders)

    @property
    def empty(self) -> int:
        return max(self.seats - self.held, 0)

    @property
    def over(self) -> int:
        return max(self.held - self.seats, 0)


VACANCIES_PER_PAGE = 200
# What the vacancy view shows of a holder: a person has some sixty fields, and a page of the
# province's top units lists over a thousand holders.
HOLDER_FIELDS = (
    "id", "person_id", "unit_id", "title_id", "is_primary",
    "person__id", "person__full_name",
    "unit__id", "unit__name", "unit__path",
    "title__id", "title__name", "title__rank",
)  # fmt: skip


@dataclass
class _Seat:
    """A vacancy-view row before its objects are read: the sort key and the ids it needs."""

    key: tuple[int, int]  # (unit id, title id)
    sort: tuple[str, int, str]  # unit path, −rank, title name
    seats: int = 0
    post_ids: list[int] = field(default_factory=list)
    held_count: int = 0

    @property
    def held(self) -> int:
        return self.held_count

    @property
    def empty(self) -> int:
        return max(self.seats - self.held, 0)

    @property
    def over(self) -> int:
        return max(self.held - self.seats, 0)


@dataclass
class VacancyPage:
    """One page of the vacancy view and the totals of every row the filter kept."""

    rows: list[PostRow]
    page: Any  # django.core.paginator.Page over the light rows
    seats: int
    held: int
    empty: int
    over: int


@dataclass
class VacancySeats:
    """Every row of the vacancy view of ``roots``' subtrees on a day, counted in the database and
    sorted (unit path, senior titles first), before any object is read."""

    rows: list[_Seat]
    root_of: dict[tuple[int, int], Unit]


def vacancy_seats(user: Any, roots: list[Unit], day: dt.date, *, only: str = "") -> VacancySeats:
    """The posts' seats and the tenures held, counted per unit and title in the database (the
    unit's path and the title's rank and name with them: two grouped queries per root), enough
    for the totals, the filter (``only``: "trong" empty seats, "thua" over-filled) and the order.
    ``vacancy_rows`` then reads the objects of the rows one page shows."""
    seats: dict[tuple[int, int], _Seat] = {}
    root_of: dict[tuple[int, int], Unit] = {}
    columns = ("unit_id", "title_id", "unit__path", "title__rank", "title__name")
    for root in roots:
        posts = (
            Post.objects.restrict(user)
            .filter(unit__path__startswith=root.path)
            .filter(in_force_q(day))
            .values(*columns)
            .annotate(n=Sum("seats"), first=Min("pk"))
            .order_by()
        )
        for p in posts:
            key = (p["unit_id"], p["title_id"])
            row = seats.setdefault(key, _Seat(key, (p["unit__path"], -p["title__rank"], p["title__name"])))
            row.seats += p["n"]  # two posts of one title in force the same day: their seats add up
            row.post_ids.append(p["first"])
            root_of[key] = root
        held = (
            hooks.tenures_in_subtree_on(user, root, day).order_by().values(*columns).annotate(n=Count("pk"))
        )
        for t in held:
            key = (t["unit_id"], t["title_id"])
            row = seats.setdefault(key, _Seat(key, (t["unit__path"], -t["title__rank"], t["title__name"])))
            row.held_count += t["n"]
            root_of[key] = root
    kept = list(seats.values())
    if only == "trong":
        kept = [r for r in kept if r.empty]
    elif only == "thua":
        kept = [r for r in kept if r.over]
    kept.sort(key=lambda r: r.sort)
    return VacancySeats(rows=kept, root_of=root_of)


def vacancy_rows(user: Any, day: dt.date, found: VacancySeats, shown: list[_Seat]) -> list[PostRow]:
    """The rows ``shown`` (a page of ``found.rows``) as objects: their posts (one query) and their
    holders on ``day`` (one query per root with holders among them), in ``shown``'s order."""
    post_ids = [pk for r in shown for pk in r.post_ids]
    posts_by_pk = {p.pk: p for p in Post.objects.filter(pk__in=post_ids).select_related("unit", "title")}
    holders: dict[tuple[int, int], list[Any]] = {}
    wanted = {r.key for r in shown if r.held_count}
    roots = list({id(root): root for root in found.root_of.values()}.values())
    for root in roots:
        mine = [key for key in wanted if found.root_of[key] is root]
        if not mine:
            continue
        page_tenures = (
            hooks.tenures_in_subtree_on(user, root, day)
            .filter(unit_id__in={u for u, _ in mine}, title_id__in={t for _, t in mine})
            .only(*HOLDER_FIELDS)
            .order_by("person__sort_key", "pk")
        )
        for t in page_tenures:
            if (t.unit_id, t.title_id) in wanted:
                holders.setdefault((t.unit_id, t.title_id), []).append(t)
    rows = []
    for r in shown:
        held = holders.get(r.key, [])
        post = posts_by_pk.get(r.post_ids[0]) if r.post_ids else None
        source = post if post is not None else held[0]
        rows.append(PostRow(unit=source.unit, title=source.title, seats=r.seats, holders=held, post=post))
    return rows


def vacancy_page(
    user: Any,
    roots: list[Unit],
    day: dt.date,
    *,
    only: str = "",
    page: Any = 1,
    per_page: int = VACANCIES_PER_PAGE,
) -> VacancyPage:
    """The vacancy view of ``roots``' subtrees on ``day``, ``per_page`` rows at a time.

    The rows are counted in the database (``vacancy_seats``: enough for the totals, the filter
    and the order); then only the page's posts and holders are read as objects
    (``vacancy_rows``). A whole province (16,000 rows in the 40,000-person demo) no longer
    builds 100,000 model instances and a 4 MB page. The API (``/api/units/{id}/vacancies/``)
    pages the same rows with ``limit``/``offset``.
    """
    from django.core.paginator import Paginator

    found = vacancy_seats(user, roots, day, only=only)
    kept = found.rows
    current = Paginator(kept, per_page).get_page(page)
    return VacancyPage(
        rows=vacancy_rows(user, day, found, list(current.object_list)),
        page=current,
        seats=sum(r.seats for r in kept),
        held=sum(min(r.held, r.seats) for r in kept),
        empty=sum(r.empty for r in kept),
        over=sum(r.over for r in kept),
    )


# Staffing quotas


staff_counts_on = hooks.staff_counts_on


@dataclass
class QuotaRow:
    unit: Unit
    quota: StaffingQuota | None
    civil_servants: int
    public_employees: int

    @property
    def civil_gap(self) -> int | None:
        return None if self.quota is None else self.quota.civil_servants - self.civil_servants

    @property
    def public_gap(self) -> int | None:
        return None if self.quota is None else self.quota.public_employees - self.public_employees


def quotas_on(user: Any, root: Unit, day: dt.date) -> list[QuotaRow]:
    """For each unit of ``root``'s subtree in force on ``day``: the quota of ``day``'s year
    and the people counted against it (``staff_counts_on``), with the gap (quota − people)."""
    units = list(Unit.objects.restrict(user).filter(path__startswith=root.path).filter(in_force_q(day)))
    quotas = {
        q.unit_id: q for q in StaffingQuota.objects.restrict(user).filter(unit__in=units, year=day.year)
    }
    counts = staff_counts_on(units, day)
    return [
        QuotaRow(
            unit=u,
            quota=quotas.get(u.pk),
            civil_servants=counts[u.pk]["cong_chuc"],
            public_employees=counts[u.pk]["vien_chuc"],
        )
        for u in units
        if u.pk in quotas or counts[u.pk]["cong_chuc"] or counts[u.pk]["vien_chuc"]
    ]


PLACE_PREFIXES = ("Thành phố ", "Tỉnh ")


def document_issuer(unit: Unit, day: dt.date) -> tuple[str, str, str]:
    """(governing body, issuing body, place) of a document ``unit`` issues on ``day``, for the
    header of NĐ 30/2020: the unit's parent and its own name as of that day, and the place, the
    province's name without "Tỉnh"/"Thành phố" (the decree's "địa danh")."""
    above = {
        u.path: u
        for u in Unit.objects.filter(path__in=[unit.path[: Unit.steplen], unit.path[: -Unit.steplen]])
    }
    parent = above.get(unit.path[: -Unit.steplen]) if unit.depth > 1 else None
    root = unit if unit.depth == 1 else above.get(unit.path[: Unit.steplen])
    place = root.name_on(day) if root is not None else ""
    for prefix in PLACE_PREFIXES:
        if place.startswith(prefix):
            place = place[len(prefix) :]
    return (parent.name_on(day) if parent is not None else "", unit.name_on(day), place)
