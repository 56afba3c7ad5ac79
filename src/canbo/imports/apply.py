"""Write a validated import in one transaction, with its own change-log entries.

This is one of the two bulk writers STYLE.md allows on audited models (with the demo
generator): persons and section rows are inserted in batches by ``core.bulkwrite.BulkWriter``,
which writes each row's "create" entry in the change log with the same snapshot
``core.services.bulk_log_created`` would; updated persons and section records are written by
the same writer (one ``UPDATE … FROM`` a scratch table per batch) with one ``ObjectChange``
each holding the before and after snapshots, exactly what ``audited_update`` would log. Inside
the transaction the records to update are re-read (locked on PostgreSQL) and compared with the
versions the validation saw, and afterwards every written person is checked against the acting
user's grants again (STYLE.md convention 6).

Everything is read, checked and written on the caller's one connection, and written in one
transaction: a process killed mid-way has written nothing (docs/architecture.md, "Background
work").
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from canbo.core.bulkwrite import BulkWriter
from canbo.core.context import bind_context
from canbo.core.models import jsonable
from canbo.core.querysets import CHANGE, scope_q
from canbo.core.types import ActingUser
from canbo.imports import reader
from canbo.imports.errors import CellError
from canbo.imports.result import WRITING, ImportResult, Progress
from canbo.imports.schema import SERVICE_EVENT, SHEETS
from canbo.imports.validate import CHUNK, Plan, attach_related, concrete_field, plain, validate
from canbo.people import name_words
from canbo.people.models import Person
from canbo.people.services import HIDDEN_CONFLICT

BATCH = 2000
# Updates written per statement (records are still read and locked ``CHUNK`` at a time).
UPDATE_BATCH = 5000


@dataclass
class PersonWrite:
    """One person's update as the writer holds it until its batch is written."""

    pk: int
    version: int
    values: dict[str, Any]  # the stored columns of the snapshot, by attname
    changes: dict[str, Any]  # field name → new value (foreign keys as objects)


class _Abort(Exception):
    """Roll the transaction back and report these errors."""

    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(errors)
        self.errors = errors


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def default_reason(name: str, sha256: str) -> str:
    """The change-log reason of an import: "Nhập từ tệp <name> (<sha256[:12]>)"."""
    return f"Nhập từ tệp {name} ({sha256[:12]})"


def run(
    *,
    path: Path,
    acting_user: ActingUser,
    mapping: dict[str, Any] | None,
    dry_run: bool,
    progress: Progress | None,
    reason: str,
) -> ImportResult:
    reason = reason or default_reason(path.name, file_sha256(path))
    with _sqlite_page_cache():
        return _run(
            path=path,
            acting_user=acting_user,
            mapping=mapping,
            dry_run=dry_run,
            progress=progress,
            reason=reason,
        )


# SQLite's page cache during an import, in KiB (its default is 2 MiB). Updating persons touches
# pages of a dozen indexes and of the name-word table all over the file: renaming 20,000 people
# of a 70,000-person database took 4.7 s with the default cache, 2.4 s with 50 or 100 MiB.
# The import process may grow by this much.
SQLITE_CACHE_KIB = 65536


@contextlib.contextmanager
def _sqlite_page_cache() -> Iterator[None]:
    """A larger SQLite page cache for the import's connection, the previous size afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size")
        previous = int(cur.fetchone()[0])
        cur.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB:d}")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA cache_size = {previous:d}")


def _run(
    *,
    path: Path,
    acting_user: ActingUser,
    mapping: dict[str, Any] | None,
    dry_run: bool,
    progress: Progress | None,
    reason: str,
) -> ImportResult:
    book = reader.open_workbook(path)
    try:
        plan = validate(book, acting_user=acting_user, mapping=mapping, progress=progress)
    finally:
        book.close()
    if plan.errors:
        return ImportResult(ok=False, errors=plan.errors, dry_run=dry_run)
    result = ImportResult(
        ok=True,
        created=len(plan.new),
        updated=len(plan.updates),
        section_rows=len(plan.sections),
        dry_run=dry_run,
        skipped=plan.skipped,
        section_updates=len(plan.section_updates),
    )
    if dry_run:
        return result
    errors = _write(plan, acting_user=acting_user, reason=reason, progress=progress)
    if errors:
        return ImportResult(ok=False, errors=errors, dry_run=dry_run)
    return result


def _write(plan: Plan, *, acting_user: ActingUser, reason: str, progress: Progress | None) -> list[CellError]:
    """Write ``plan`` in one transaction: the errors that stopped it, or none."""
    total = len(plan.updates) + len(plan.new) + len(plan.sections) + len(plan.section_updates)
    if progress is not None:
        progress(0, max(total, 1), WRITING)
    try:
        with bind_context(source="import"), transaction.atomic():
            writer = Writer(plan, acting_user=acting_user, reason=reason, progress=progress)
            writer.write_persons()
            writer.write_records()
    except _Abort as exc:
        return exc.errors
    except IntegrityError:
        return [
            CellError(
                "",
                0,
                "",
                "Trong lúc nhập, dữ liệu trong hệ thống đã thay đổi (ví dụ có người vừa thêm hồ sơ "
                "trùng số định danh). Chưa ghi gì; hãy nhập lại tệp.",
            )
        ]
    return []


class Writer:
    """Writes a ``Plan``: updates, new persons, then section rows, each batch logged."""

    def __init__(
        self, plan: Plan, *, acting_user: ActingUser, reason: str, progress: Progress | None
    ) -> None:
        self.plan = plan
        self.user = acting_user
        self.reason = reason
        self.progress = progress
        self.done = 0
        self.pk_of: dict[str, int] = {}
        self.fast = BulkWriter(acting_user=acting_user, reason=reason)

    def tick(self, n: int, label: str) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(self.done, max(self.total, 1), label)

    def write_persons(self) -> None:
        self.write_updates()
        self.write_new()
        self.recheck_scope()

    def write_records(self) -> None:
        """The section rows, after ``write_persons``."""
        self.write_sections()
        self.write_section_updates()
        self.refresh_service()
        self.refresh_salary()

    @property
    def total(self) -> int:
        """Records to write."""
        plan = self.plan
        return len(plan.updates) + len(plan.new) + len(plan.sections) + len(plan.section_updates)

    def write_section_updates(self) -> None:
        by_kind: dict[str, list[Any]] = {}
        for u in self.plan.section_updates:
            by_kind.setdefault(u.kind, []).append(u)
        for kind, items in by_kind.items():
            model = apps.get_model(SHEETS[kind].model_label)
            self.update_records(model, items, f"Đang sửa {SHEETS[kind].title.lower()} đã có")

    # -- persons -------------------------------------------------------------------------------
    def write_updates(self) -> None:
        """Persons, from their columns rather than model instances: building 70,000 instances of a
        60-field model and their snapshots was a third of a re-import's write. Rows are read (and
        locked) in chunks of ``CHUNK`` and written in batches of ``UPDATE_BATCH``: on PostgreSQL
        each batch is one ``UPDATE … FROM``, and 500-row statements were a fifth slower."""
        by_pk = {u.pk: u for u in self.plan.updates.values()}
        pks = sorted(by_pk)
        batch: list[PersonWrite] = []
        for i in range(0, len(pks), CHUNK):
            chunk = pks[i : i + CHUNK]
            current = list(
                Person.objects.select_for_update()
                .filter(pk__in=chunk)
                .values_list("pk", "row_version", *PERSON_SNAPSHOT)
            )
            self.check_versions(by_pk, {pk: version for pk, version, *_v in current}, chunk)
            for pk, version, *values in current:
                stored = dict(zip(PERSON_SNAPSHOT, values, strict=True))
                changes = by_pk[pk].changes
                batch.append(PersonWrite(pk, version, stored, changes))
                self.pk_of[stored["personal_id"]] = pk
            if len(batch) >= UPDATE_BATCH:
                self.flush_person_updates(batch)
                batch = []
        self.flush_person_updates(batch)

    def flush_person_updates(self, batch: list[PersonWrite]) -> None:
        """One batch of person updates and their log entries (before/after snapshots)."""
        if not batch:
            return
        rows, fields = _update_rows(
            Person, [(w.pk, w.version, w.changes, w.values.__getitem__) for w in batch]
        )

        def entries() -> list[tuple[int, str, dict[str, Any], dict[str, Any]]]:
            out = []
            for w, row in zip(batch, rows, strict=True):
                before = dict(w.values)
                for a in PERSON_CONVERTED:  # only dates and decimals differ in JSON
                    before[a] = jsonable(before[a])
                after = dict(before)
                for name in w.changes:
                    a = concrete_field(Person, name).attname
                    after[a] = jsonable(row[a])
                out.append((w.pk, str(after["full_name"]), before, after))
            return out

        self.write_batch(Person, rows, fields, entries, [w.pk for w in batch], "Đang cập nhật hồ sơ đã có")

    def write_batch(
        self,
        model: type[Any],
        rows: list[dict[str, Any]],
        fields: list[str],
        entries: Callable[[], list[tuple[int, str, dict[str, Any], dict[str, Any]]]],
        person_ids: list[Any],
        label: str,
    ) -> None:
        """``UPDATE`` ``rows``, then log their ``entries`` (before/after snapshots, names).

        Persons on PostgreSQL: their name-word entries are rewritten in two set-based statements
        around the ``UPDATE`` rather than by the per-row trigger (``people.name_words``)."""
        around = name_words.bulk_rewrite if model is Person and connection.vendor == "postgresql" else None
        self.fast.update(model, rows, fields, around=around)
        self.fast.log_updated(model, entries(), person_ids)
        self.tick(len(rows), label)

    def check_versions(self, by_pk: dict[int, Any], versions: dict[int, int], chunk: list[int]) -> None:
        """Refuse the whole import if a record changed or vanished since the validation."""
        stale = [pk for pk, version in versions.items() if version != by_pk[pk].row_version]
        if stale:
            raise _Abort(
                [
                    CellError(
                        by_pk[pk].sheet,
                        by_pk[pk].row,
                        "",
                        "Hồ sơ này vừa được người khác sửa trong lúc kiểm tra tệp. "
                        "Chưa ghi gì; hãy nhập lại tệp.",
                    )
                    for pk in stale
                ]
            )
        if len(versions) != len(chunk):
            raise _Abort(
                [
                    CellError(
                        "", 0, "", "Có hồ sơ vừa bị xóa trong lúc kiểm tra tệp. Chưa ghi gì; hãy nhập lại."
                    )
                ]
            )

    def update_records(self, model: type[Any], updates: list[Any], label: str) -> None:
        """Apply ``SectionUpdate`` items to their records, re-read and locked here: as plain
        columns (no join, so only the records themselves are locked), rebuilt as instances for
        their snapshots and ``str()`` with their units and titles from the plan's cache."""
        by_pk = {u.pk: u for u in updates}
        pks = sorted(by_pk)
        attnames = [f.attname for f in model._meta.concrete_fields]
        batch: list[Any] = []
        for i in range(0, len(pks), CHUNK):
            chunk = pks[i : i + CHUNK]
            qs = model._base_manager.select_for_update().filter(pk__in=chunk).values_list(*attnames)
            current = [model.from_db(qs.db, attnames, values) for values in qs]
            self.check_versions(by_pk, {r.pk: r.row_version for r in current}, chunk)
            attach_related(model, current, self.plan.related)
            batch.extend(current)
            if len(batch) >= UPDATE_BATCH or i + CHUNK >= len(pks):
                self.flush_record_updates(model, batch, by_pk, label)
                batch = []

    def flush_record_updates(
        self, model: type[Any], batch: list[Any], by_pk: dict[int, Any], label: str
    ) -> None:
        """One batch of section record updates, their snapshots, names and log entries."""
        items = [(r.pk, r.row_version, by_pk[r.pk].changes, functools.partial(getattr, r)) for r in batch]
        rows, fields = _update_rows(model, items)

        def entries() -> list[tuple[int, str, dict[str, Any], dict[str, Any]]]:
            out = []
            for record in batch:
                before = record.snapshot()
                after = dict(before)
                for name, value in by_pk[record.pk].changes.items():
                    setattr(record, name, value)
                    f = concrete_field(model, name)
                    if f.attname in after:  # the after snapshot: only these fields differ
                        after[f.attname] = jsonable(f.value_from_object(record))
                out.append((record.pk, str(record), before, after))
            return out

        self.write_batch(model, rows, fields, entries, [r.person_id for r in batch], label)

    def write_new(self) -> None:
        new = list(self.plan.new.values())
        for i in range(0, len(new), BATCH):
            rows = [_row(Person, n.values) for n in new[i : i + BATCH]]
            ids = self.fast.insert(Person, rows)
            self.fast.log_created(Person, rows, [r["full_name"] for r in rows], list(ids))
            self.pk_of.update((r["personal_id"], r["id"]) for r in rows)
            self.tick(len(rows), "Đang ghi hồ sơ mới")

    def recheck_scope(self) -> None:
        """Every person written must still be inside the acting user's grants."""
        if self.user is None:
            return
        q = scope_q(Person, self.user, CHANGE)
        if q is None:
            return
        pks = sorted(self.pk_of.values())
        for i in range(0, len(pks), CHUNK):
            outside = (
                Person.objects.filter(pk__in=pks[i : i + CHUNK])
                .exclude(q)
                .values_list("personal_id", flat=True)
            )
            bad = list(outside[:20])
            if bad:
                raise _Abort([CellError("", 0, "", f"Số định danh {pid}: {HIDDEN_CONFLICT}") for pid in bad])

    def refresh_service(self) -> None:
        """Derive again the periods of service of the persons whose service events the import
        added or changed (``people.service_history``): their derived fields are written as
        logged person updates, their gaps replaced (derived rows, not logged)."""
        from canbo.people.models import ServiceEvent, ServiceGap
        from canbo.people.service_history import derived_fields, gaps, periods

        kind = SERVICE_EVENT.kind
        pks = {self.pk_of[s.pid] for s in self.plan.sections if s.kind == kind}
        changed = [u.pk for u in self.plan.section_updates if u.kind == kind]
        for i in range(0, len(changed), CHUNK):
            pks.update(
                ServiceEvent.objects.filter(pk__in=changed[i : i + CHUNK]).values_list("person_id", flat=True)
            )
        ordered = sorted(pks)
        batch: list[PersonWrite] = []
        for i in range(0, len(ordered), CHUNK):
            chunk = ordered[i : i + CHUNK]
            events: dict[int, list[tuple[str, Any]]] = {pk: [] for pk in chunk}
            for person_id, event_kind, day in ServiceEvent.objects.filter(person_id__in=chunk).values_list(
                "person_id", "kind", "event_date"
            ):
                events[person_id].append((event_kind, day))
            ServiceGap.objects.filter(person_id__in=chunk).delete()
            new_gaps = []
            for pk, version, *values in (
                Person.objects.select_for_update()
                .filter(pk__in=chunk)
                .values_list("pk", "row_version", *PERSON_SNAPSHOT)
            ):
                stored = dict(zip(PERSON_SNAPSHOT, values, strict=True))
                fields = derived_fields(pk, events[pk], write_gaps=False)
                new_gaps.extend(gaps(pk, periods(events[pk])))
                differ = {k: v for k, v in fields.items() if stored[k] != v}
                if differ:
                    batch.append(PersonWrite(pk, version, stored, differ))
            ServiceGap.objects.bulk_create(new_gaps)
            if len(batch) >= UPDATE_BATCH:
                self.flush_person_updates(batch)
                batch = []
        self.flush_person_updates(batch)

    def refresh_salary(self) -> None:
        """The current grade, step and coefficient of the persons whose salary rows the import
        added or changed follow the row in force today (as ``salary.services.sync_person`` does
        after a page's write), written as logged person updates."""
        from canbo.core.dates import today
        from canbo.salary.models import SalaryRow

        pks = {self.pk_of[s.pid] for s in self.plan.sections if s.kind == "luong"}
        changed = [u.pk for u in self.plan.section_updates if u.kind == "luong"]
        for i in range(0, len(changed), CHUNK):
            pks.update(
                SalaryRow.objects.filter(pk__in=changed[i : i + CHUNK]).values_list("person_id", flat=True)
            )
        ordered, day = sorted(pks), today()
        batch: list[PersonWrite] = []
        for i in range(0, len(ordered), CHUNK):
            chunk = ordered[i : i + CHUNK]
            now: dict[int, dict[str, Any]] = {}
            for pk, code, name, step, coef in (
                SalaryRow.objects.filter(person_id__in=chunk, from_date__lte=day)
                .order_by("person_id", "-from_date")
                .values_list("person_id", "grade__code", "grade__name", "step", "coefficient")
            ):
                now.setdefault(
                    pk,
                    {
                        "grade_code": code,
                        "grade_name": name[:100],
                        "salary_step": step,
                        "salary_coefficient": coef,
                    },
                )
            for pk, version, *values in (
                Person.objects.select_for_update()
                .filter(pk__in=list(now))
                .values_list("pk", "row_version", *PERSON_SNAPSHOT)
            ):
                stored = dict(zip(PERSON_SNAPSHOT, values, strict=True))
                differ = {k: v for k, v in now[pk].items() if stored[k] != v}
                if differ:
                    batch.append(PersonWrite(pk, version, stored, differ))
            if len(batch) >= UPDATE_BATCH:
                self.flush_person_updates(batch)
                batch = []
        self.flush_person_updates(batch)

    # -- sections ------------------------------------------------------------------------------
    def write_sections(self) -> None:
        sections = self.plan.sections
        missing = sorted({s.pid for s in sections if s.pid not in self.pk_of})
        for i in range(0, len(missing), CHUNK):
            self.pk_of.update(
                Person.objects.filter(personal_id__in=missing[i : i + CHUNK]).values_list("personal_id", "pk")
            )
        by_kind: dict[str, list[Any]] = {}
        for s in sections:
            by_kind.setdefault(s.kind, []).append(s)
        for kind, items in by_kind.items():
            model = apps.get_model(SHEETS[kind].model_label)
            label = f"Đang ghi {SHEETS[kind].title.lower()}"
            describe = REPR[kind]
            for i in range(0, len(items), BATCH):
                chunk = items[i : i + BATCH]
                reprs = [describe(s.values) for s in chunk]
                rows = [_row(model, {**s.values, "person_id": self.pk_of[s.pid]}) for s in chunk]
                self.fast.insert(model, rows)
                self.fast.log_created(model, rows, reprs, [r["person_id"] for r in rows])
                self.tick(len(rows), label)


def _update_rows(
    model: type[models.Model], items: Sequence[tuple[int, int, dict[str, Any], Callable[[str], Any]]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows ``BulkWriter.update`` writes for ``items`` (id, row version, changes by
    field name, stored value by attname) and the fields it writes: those any item changes,
    with the stored value where an item leaves one as it was, and the new version and time."""
    now = timezone.now()
    fields = sorted({"row_version", "last_updated"}.union(*(changes for _pk, _v, changes, _s in items)))
    targets = [concrete_field(model, name).attname for name in fields]
    rows = []
    for pk, version, changes, stored in items:
        new = {concrete_field(model, n).attname: plain(v) for n, v in changes.items()}
        row: dict[str, Any] = {"id": pk, "row_version": version + 1, "last_updated": now}
        for a in targets:
            if a not in row:
                row[a] = new[a] if a in new else stored(a)
        rows.append(row)
    return rows, fields


# Fields whose values ``jsonable`` leaves as they are; every other field is converted.
_AS_IS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.FloatField,
    models.ForeignKey,
)


def _converted(fields: list[Any]) -> list[str]:
    """Attnames of the fields whose JSON form differs from their value (dates, decimals…)."""
    return [f.attname for f in fields if not isinstance(f, _AS_IS)]


# A person's snapshot columns (``ChangeLoggedModel.snapshot()``), and those of them whose JSON
# form differs from their value.
_PERSON_SNAPSHOT_FIELDS = [f for f in Person._meta.concrete_fields if f.name not in Person.audit_exclude]
PERSON_SNAPSHOT = [f.attname for f in _PERSON_SNAPSHOT_FIELDS]
PERSON_CONVERTED = _converted(_PERSON_SNAPSHOT_FIELDS)


def _row(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """Field values keyed by attname (foreign keys as ids), as ``BulkWriter`` takes them."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        field = model._meta.get_field(name) if name != "person_id" else None
        if field is not None and isinstance(field, models.ForeignKey):
            out[field.attname] = value.pk if value is not None else None
        else:
            out[name] = value
    return out


def _display(choices: Any) -> Callable[[str], str]:
    labels = dict(choices)
    return lambda v: str(labels.get(v, v))


def _reprs() -> dict[str, Callable[[dict[str, Any]], str]]:
    """``str()`` of each section record, from its values (the log's ``object_repr``)."""
    from canbo.assessment.models import DisciplineForm, DisciplineSystem, RatingLevel
    from canbo.careers.models import BodyKind
    from canbo.people.choices import QualificationKind, Relation, level_label

    qk, bk, rel = _display(QualificationKind.choices), _display(BodyKind.choices), _display(Relation.choices)
    dform, dsys, rlevel = (
        _display(DisciplineForm.choices),
        _display(DisciplineSystem.choices),
        _display(RatingLevel.choices),
    )
    return {
        "trinh_do": lambda v: f"{qk(v['kind'])}: {level_label(v['kind'], v['level'])}",
        "chuc_vu": lambda v: f"{v['title']} – {v['unit']}",
        "cap_uy_hdnd": lambda v: f"{bk(v['kind'])} {v['body']} {v.get('term', '')}".strip(),
        "gia_dinh": lambda v: f"{rel(v['relation'])}: {v['full_name']}",
        "khen_thuong": lambda v: f"{v['form']} ({v['year']})",
        "ky_luat": lambda v: f"{dform(v['form'])} ({dsys(v['system'])}, {v['decision_date']:%d/%m/%Y})",
        "danh_gia": lambda v: f"{v['year']}: {rlevel(v['level'])}",
        "cong_tac": _service_event_repr,
        **_reprs_14(),
    }


def _reprs_14() -> dict[str, Callable[[dict[str, Any]], str]]:
    """``str()`` of the records of the sheets added by issue 14."""
    from canbo.core.dates import format_partial_date
    from canbo.people.choices import AssetDeclarationKind, HealthStatus, PersonalHistoryKind

    health, history = _display(HealthStatus.choices), _display(PersonalHistoryKind.choices)
    assets = _display(AssetDeclarationKind.choices)
    return {
        "dang_tich": lambda v: f"Vào Đảng {v['admission_date']:%d/%m/%Y}",
        "tieu_chuan_chinh_tri": lambda v: f"Kết luận {v['conclusion_date']:%d/%m/%Y}",
        "suc_khoe": lambda v: f"Khám {v['check_date']:%d/%m/%Y}: {health(v['status'])}",
        "qua_trinh_cong_tac": lambda v: (
            f"{format_partial_date(v['start_date'], v['start_precision'])}: {v['description']}"
        ),
        "lich_su_ban_than": lambda v: history(v["kind"]),
        "ke_khai_tai_san": lambda v: f"{assets(v['kind'])} {v['year']}",
        "tin_nhiem": lambda v: f"Lấy phiếu {v['vote_date']:%d/%m/%Y}",
        "luong": _salary_repr,
    }


def _salary_repr(v: dict[str, Any]) -> str:
    """As ``SalaryRow.__str__``: "01.003 bậc 3 (3,00) từ 01/09/2021"."""
    coefficient = f"{v['coefficient']:.2f}".replace(".", ",")
    return f"{v['grade'].code} bậc {v['step']} ({coefficient}) từ {v['from_date']:%d/%m/%Y}"


def _service_event_repr(values: dict[str, Any]) -> str:
    from canbo.people.choices import ServiceEventKind

    return f"{ServiceEventKind(values['kind']).label} {values['event_date']:%d/%m/%Y}"


REPR = _reprs()
