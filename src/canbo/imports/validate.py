"""Check every row of every sheet before anything is written; collect every error.

The result is a ``Plan``: the persons to create, the changes to existing persons, the section
rows to append, the rows skipped as duplicates, and the errors. Nothing here writes.

Rules (docs/huong-dan/nhap-du-lieu.md):

- A person already in the database (same personal ID) is updated with the non-empty cells of the
  mapped columns only; an empty cell never erases a value.
- A new person needs every required column of the person sheet; religion defaults to "Không".
- Section rows are added, never replacing the person's other records. A row whose natural key
  (``SheetSpec.key``) matches exactly one record the person already has updates that record
  with its non-empty cells (e.g. a tenure's end date, a rating's level), or is skipped and
  counted as a duplicate when it changes nothing; a row repeating the key of an earlier row of
  the file, or matching several existing records, is skipped likewise.
- Scope: a person's managing unit, an existing person's current unit and a tenure's unit must
  lie inside the acting user's "change" grants; family rows also need a grant that includes
  sensitive data. A person outside the scope is reported exactly as a missing one.
- A cell holding a formula, or text starting with "=", is an error (formulas are never
  evaluated, and such text would become a formula again when exported); so is a cell longer
  than ``MAX_CELL_CHARS`` characters.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from openpyxl.utils import get_column_letter

from canbo.core.text import fold, normalize_name, split_name
from canbo.core.types import ActingUser
from canbo.core.vnsort import name_sort_key
from canbo.imports import parsers
from canbo.imports.errors import CellError
from canbo.imports.mapping import detect_kind, propose
from canbo.imports.parsers import ParseError, References, key
from canbo.imports.reader import Sheet, Workbook
from canbo.imports.schema import (
    MAX_CELL_CHARS,
    MAX_ROWS_TOTAL,
    PID,
    SERVICE_EVENT,
    SHEETS,
    FieldSpec,
    SheetSpec,
)
from canbo.people.models import Person
from canbo.people.services import HIDDEN_CONFLICT

M = TypeVar("M", bound=models.Model)
CLEAN_MEMO = 4096  # values remembered per field by ``Validator.full_clean``
# Value types whose equal values clean alike (not Decimal: 2.3 == 2.30 yet they print apart).
_MEMO_TYPES = frozenset({str, int, bool, dt.date, type(None)})
_UNKNOWN = object()
CHUNK = 500  # rows per database lookup (well under SQLite's parameter limit)
Progress = Callable[[int, int, str], None]


class Scope:
    """What the acting user may change: unlimited (system, superuser) or unit-path prefixes."""

    def __init__(self, user: Any) -> None:
        from canbo.core.grants import active_grants

        self.unlimited = user is None or bool(getattr(user, "is_superuser", False))
        self.paths: tuple[str, ...] = ()
        self.sensitive_paths: tuple[str, ...] = ()
        if not self.unlimited:
            # A grant limited to a management scope does not import: a row's scope is known
            # only once its tenures are written.
            grants = [
                g
                for g in active_grants(user)
                if g.can_change and not g.is_self and g.unit_path and not g.management_scope
            ]
            self.paths = tuple(g.unit_path for g in grants if g.unit_path)
            self.sensitive_paths = tuple(g.unit_path for g in grants if g.unit_path and g.include_sensitive)

    def covers(self, path: str, *, sensitive: bool = False) -> bool:
        if self.unlimited:
            return True
        return path.startswith(self.sensitive_paths if sensitive else self.paths)


@dataclass
class Column:
    index: int
    header: str
    spec: FieldSpec

    @property
    def label(self) -> str:
        return f"{get_column_letter(self.index + 1)} ({self.header})"


@dataclass
class NewPerson:
    row: int
    sheet: str
    values: dict[str, Any]


@dataclass
class PersonUpdate:
    row: int
    sheet: str
    pk: int
    row_version: int
    changes: dict[str, Any]


@dataclass
class SectionRow:
    kind: str
    sheet: str
    row: int
    pid: str
    values: dict[str, Any]
    cols: dict[str, Column] = field(default_factory=dict)  # the sheet's columns, shared


@dataclass
class SectionUpdate:
    """Changes to one existing section record, matched by its natural key."""

    kind: str
    sheet: str
    row: int
    pk: int
    row_version: int
    changes: dict[str, Any]


@dataclass
class Plan:
    """Everything a run would write, or the errors that stop it."""

    new: dict[str, NewPerson] = field(default_factory=dict)
    updates: dict[str, PersonUpdate] = field(default_factory=dict)
    unchanged: int = 0
    sections: list[SectionRow] = field(default_factory=list)
    section_updates: list[SectionUpdate] = field(default_factory=list)
    skipped: int = 0
    errors: list[CellError] = field(default_factory=list)
    sheets_ignored: list[str] = field(default_factory=list)
    rows_read: int = 0
    # Units, titles… that matched section records refer to, by model and id (``attach_related``).
    related: dict[Any, dict[Any, Any]] = field(default_factory=dict)


def derive_names(values: dict[str, Any]) -> dict[str, Any]:
    """The derived name fields of a full name, as ``people.services`` keeps them."""
    full = normalize_name(values["full_name"])
    family, middle, given = split_name(full)
    return {
        "full_name": full,
        "family_name": family,
        "middle_name": middle,
        "given_name": given,
        "search_name": fold(full),
        "sort_key": name_sort_key(given, middle, family),
    }


def _new(model: type[M], values: dict[str, Any]) -> M:
    """``model(**values)`` for a row's values (foreign keys as objects), built the quicker way
    Django builds rows it reads: every concrete field's value in order, defaults for the rest.
    Half the time of the keyword form, which was a tenth of checking a section row."""
    index, defaults, dynamic = _init_plan(model)
    args = list(defaults)
    for i, get in dynamic:  # callable defaults: a fresh value each time, as Django gives
        args[i] = get()
    related = []
    for name, value in values.items():
        i, f = index[name]
        if f.is_relation:
            args[i] = None if value is None else value.pk
            if value is not None:
                related.append((f, value))
        else:
            args[i] = value
    instance = model(*args)
    for f, value in related:
        f.set_cached_value(instance, value)
    return instance


@functools.cache
def _init_plan(
    model: type[models.Model],
) -> tuple[dict[str, tuple[int, Any]], list[Any], list[tuple[int, Callable[[], Any]]]]:
    fields = model._meta.concrete_fields
    called = {i for i, f in enumerate(fields) if f.has_default() and callable(f.default)}
    dynamic = [(i, fields[i].get_default) for i in sorted(called)]
    defaults = [None if i in called else f.get_default() for i, f in enumerate(fields)]
    return {f.name: (i, f) for i, f in enumerate(fields)}, defaults, dynamic


def _exclude(model: type[models.Model], values: dict[str, Any]) -> tuple[str, ...]:
    """Fields ``full_clean`` need not check: foreign keys (resolved from the reference lists
    already; checking them would cost a query each) and fields the row does not set (they keep
    their default, or for an update their stored value, which were valid)."""
    return _exclude_names(model, frozenset(values))


@functools.lru_cache(maxsize=1024)
def _exclude_names(model: type[models.Model], names: frozenset[str]) -> tuple[str, ...]:
    # The rows of a sheet mostly set the same fields: computed once per set, not per row.
    return tuple(
        f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey) or f.name not in names
    )


class Validator:
    """Reads the sheets of one workbook and builds the ``Plan``."""

    def __init__(
        self,
        book: Workbook,
        *,
        acting_user: ActingUser,
        mapping: dict[str, Any] | None,
        progress: Progress | None,
        persons_checked: Callable[[Plan], None] | None = None,
    ) -> None:
        self.book = book
        self.persons_checked = persons_checked
        self.user = acting_user
        self.mapping = mapping or {}
        self.progress = progress
        self.refs = References()
        self.scope = Scope(acting_user)
        self.plan = Plan()
        self.done = 0
        self.total = 0
        # personal ID → (sheet, row) of its first row in the person sheets
        self.pid_rows: dict[str, tuple[str, int]] = {}
        self.pid_dupes: dict[str, list[tuple[str, int]]] = {}
        self.pid_path: dict[str, str] = {}  # unit path of each person of the file (new or updated)
        self.section_keys: set[tuple[Any, ...]] = set()
        self.salary_days: dict[tuple[str, Any], tuple[str, int, tuple[str, ...]]] = {}
        # model field → {(type, value): cleaned value} of values its clean() accepted
        self.cleaned: dict[Any, dict[tuple[type, Any], Any]] = {}
        # personal ID → (pk, unit path) of the stored persons that section rows name
        self.stored_persons: dict[str, tuple[int, str]] = {}
        # personal ID → (date of birth, precision) of the persons of the file and of the stored
        # persons section rows name: section dates are checked against it (``holder_birth``)
        self.births: dict[str, tuple[dt.date, str]] = {}
        self.looked_up: set[str] = set()
        # Service columns of the person sheet, turned into service-event rows (``service_rows``).
        self.pending_service: list[tuple[Sheet, int, dict[str, Any], dict[str, Column]]] = []

    # -- driver ---------------------------------------------------------------------------------
    def run(self) -> Plan:
        sheets: list[tuple[Sheet, str]] = []
        for sheet in self.book.sheets():
            kind = detect_kind(sheet.name, sheet.headers, self.mapping)
            if kind is None or kind not in SHEETS:
                if sheet.headers:
                    self.plan.sheets_ignored.append(sheet.name)
                continue
            sheets.append((sheet, kind))
        self.total = max(1, sum(s.data_rows for s, _k in sheets))
        # Person sheets first: section rows refer to the persons of the file.
        order = list(SHEETS)
        sheets.sort(key=lambda sk: order.index(sk[1]))
        if not sheets:
            self.error("", 0, "", "Không tìm thấy sheet nào nhận ra được (cần cột “Số định danh cá nhân”).")
        persons_done = False
        for sheet, kind in sheets:
            if kind != "can_bo" and not persons_done:
                self.report_duplicate_pids()
                self.check_person_service()
                persons_done = True
                if self.persons_checked is not None and not self.plan.errors:
                    # The persons to write are final: the section sheets only add to the plan.
                    self.persons_checked(self.plan)
            first = len(self.plan.sections)
            self.read_sheet(sheet, SHEETS[kind])
            if kind != "can_bo":
                # Each section sheet's rows are matched as soon as it is read.
                self.plan.sections[first:] = self.check_section_persons(self.plan.sections[first:])
        if not persons_done:
            self.report_duplicate_pids()
            self.check_person_service()
        self.plan.errors.sort(key=lambda e: (self._sheet_order(e.sheet), e.row, e.column))
        return self.plan

    def _sheet_order(self, name: str) -> int:
        names = self.book.sheetnames
        return names.index(name) if name in names else -1

    def error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.plan.errors.append(CellError(sheet, row, column, message))

    def tick(self, n: int, label: str) -> None:
        self.done += n
        if self.progress is not None:
            self.total = max(self.total, self.done)
            self.progress(self.done, self.total, label)

    # -- columns --------------------------------------------------------------------------------
    def columns(self, sheet: Sheet, spec: SheetSpec) -> list[Column] | None:
        proposed = propose(spec.kind, sheet.headers, self.mapping)
        cols: list[Column] = []
        by_field: dict[str, Column] = {}
        ok = True
        for j, header in enumerate(sheet.headers):
            name = proposed.get(header)
            if not name:
                continue
            col = Column(j, header, spec.by_name[name])
            if name in by_field:
                other = by_field[name]
                self.error(
                    sheet.name,
                    sheet.header_row,
                    col.label,
                    f"Cột này và cột {other.label} cùng được ghép vào “{col.spec.label}”; chỉ giữ một cột.",
                )
                ok = False
                continue
            by_field[name] = col
            cols.append(col)
        if PID not in by_field:
            self.error(
                sheet.name,
                sheet.header_row,
                "",
                "Không có cột “Số định danh cá nhân” (hoặc chưa ghép cột nào vào trường này); "
                "mọi sheet đều cần cột này.",
            )
            return None
        if spec.kind != "can_bo":
            missing = [f.label for f in spec.fields if f.required and f.name not in by_field]
            if spec.kind == "trinh_do" and "level" in by_field:
                missing = [m for m in missing if m != spec.by_name["kind"].label]
            if missing:
                names = ", ".join(f"“{m}”" for m in missing)
                self.error(sheet.name, sheet.header_row, "", f"Thiếu cột bắt buộc: {names}.")
                ok = False
        return cols if ok else None

    # -- reading --------------------------------------------------------------------------------
    def read_sheet(self, sheet: Sheet, spec: SheetSpec) -> None:
        cols = self.columns(sheet, spec)
        if cols is None:
            return
        label = f"Đang kiểm tra sheet {sheet.name}"
        batch: list[tuple[int, dict[str, Any], dict[str, Column]]] = []
        by_name = {c.spec.name: c for c in cols}  # one dict for the sheet, shared by its rows
        for row, values in self.parsed_rows(sheet, cols):
            batch.append((row, values, by_name))
            if len(batch) >= CHUNK:
                self.flush(sheet, spec, batch)
                self.tick(len(batch), label)
                batch = []
        if batch:
            self.flush(sheet, spec, batch)
            self.tick(len(batch), label)

    def parsed_rows(self, sheet: Sheet, cols: list[Column]) -> Iterator[tuple[int, dict[str, Any]]]:
        """Each non-empty row as {field: parsed value}; unreadable cells are reported and left out."""
        # Each column's parser looked up once, not per cell: this loop runs for every cell.
        plan = [(col, col.index, col.spec.name, self.parser(col.spec)) for col in cols]
        for row, raw, types in sheet.rows():
            self.plan.rows_read += 1
            if self.plan.rows_read > MAX_ROWS_TOTAL:
                from canbo.imports.errors import RefusedFile

                raise RefusedFile(
                    f"Tệp có quá {MAX_ROWS_TOTAL:,} dòng dữ liệu; hãy chia nhỏ.".replace(",", ".")
                )
            values: dict[str, Any] = {"__bad__": set()}
            any_mapped = False
            width = len(raw)
            for col, j, name, parse in plan:
                value = raw[j] if j < width else None
                if value is None:
                    continue
                is_text = isinstance(value, str)
                if is_text and not value.strip():  # blank
                    continue
                any_mapped = True
                kind_of = types[j] if j < len(types) else "n"
                if kind_of == "f" or (is_text and value.lstrip().startswith("=")):
                    self.error(
                        sheet.name,
                        row,
                        col.label,
                        (
                            "Ô chứa công thức; hãy chép và dán dạng giá trị (Paste "
                            "Special → Values) rồi tải lên lại."
                        ),
                    )
                    values["__bad__"].add(name)
                    continue
                if is_text and len(value) > MAX_CELL_CHARS:
                    self.error(
                        sheet.name,
                        row,
                        col.label,
                        f"Ô dài {len(value):,} ký tự, vượt giới hạn {MAX_CELL_CHARS:,} ký tự.".replace(
                            ",", "."
                        ),
                    )
                    values["__bad__"].add(name)
                    continue
                try:
                    values[name] = parse(value)
                except ParseError as exc:
                    self.error(sheet.name, row, col.label, exc.message)
                    values["__bad__"].add(name)
            if any_mapped:
                yield row, values

    def parser(self, spec: FieldSpec) -> Callable[[Any], Any]:
        """The function reading a cell of this field."""
        if spec.parser in parsers.REFERENCE:
            fn: Callable[[Any], Any] = getattr(self.refs, spec.parser)
            return fn
        return parsers.SIMPLE[spec.parser]

    def flush(
        self, sheet: Sheet, spec: SheetSpec, batch: list[tuple[int, dict[str, Any], dict[str, Column]]]
    ) -> None:
        if spec.kind == "can_bo":
            self.check_persons(sheet, batch)
        else:
            self.check_sections(sheet, spec, batch)

    # -- persons ----------------------------------------------------------------------------------
    def check_persons(self, sheet: Sheet, batch: list[tuple[int, dict[str, Any], dict[str, Column]]]) -> None:
        pids = {v[PID] for _r, v, _c in batch if PID in v}
        # The persons as plain columns plus their unit's path, rebuilt as instances: a join
        # returning Unit instances too cost a fifth of checking a re-imported person sheet.
        attnames = [f.attname for f in Person._meta.concrete_fields]
        qs = Person.objects.filter(personal_id__in=pids).values_list("managing_unit__path", *attnames)
        existing = {}
        for path, *values in qs:
            person = Person.from_db(qs.db, attnames, values)
            existing[person.personal_id] = (person, path)
            self.stored_persons[person.personal_id] = (person.pk, path)
        self.looked_up.update(pids)  # the section sheets' rows need not look these up again
        for row, values, cols in batch:
            bad: set[str] = values.pop("__bad__")
            pid = values.get(PID)
            if pid is None:
                if PID not in bad:
                    self.error(sheet.name, row, cols[PID].label, "Thiếu số định danh cá nhân.")
                continue
            if pid in self.pid_rows:
                self.pid_dupes.setdefault(pid, []).append((sheet.name, row))
                continue
            self.pid_rows[pid] = (sheet.name, row)
            self.service_rows(sheet, row, values, cols)
            found = existing.get(pid)
            birth = values.get("birth_date")  # as parsed: (day, precision)
            if found is None:
                if birth is not None:
                    self.births[pid] = birth
                self.new_person(sheet, row, values, cols, bad)
            else:
                stored = found[0]
                self.births[pid] = birth if birth is not None else (stored.birth_date, stored.birth_precision)
                self.update_person(sheet, row, stored, found[1], values, cols, bad)

    def service_rows(self, sheet: Sheet, row: int, values: dict[str, Any], cols: dict[str, Column]) -> None:
        """The person sheet's "Ngày tuyển dụng", "Ngày thôi công tác" and "Lý do thôi công tác"
        become service events (the person's fields are derived from those): a recruitment, and
        an exit whose kind is read from the reason ("nghỉ hưu", "chuyển", "từ trần"; else
        "thôi việc"). They are checked as rows of the service-event sheet once the person sheets
        are read (``check_person_service``)."""
        from canbo.people.service_history import exit_kind

        recruited = values.pop("recruitment_date", None)
        left = values.pop("left_service_date", None)
        reason = values.pop("left_service_reason", None) or ""
        pid = values[PID]
        if recruited is not None:
            col = cols["recruitment_date"]
            self.pending_service.append(
                (sheet, row, {PID: pid, "kind": "tuyen_dung", "event_date": recruited, "__bad__": set()},
                 {PID: cols[PID], "kind": col, "event_date": col})
            )  # fmt: skip
        if left is not None:
            col = cols["left_service_date"]
            event = {PID: pid, "kind": exit_kind(reason), "event_date": left, "__bad__": set()}
            if reason:
                event["details"] = reason[:300]
            self.pending_service.append(
                (sheet, row, event, {PID: cols[PID], "kind": col, "event_date": col,
                                     "details": cols.get("left_service_reason", col)})
            )  # fmt: skip

    def check_person_service(self) -> None:
        """Check the service events of the person sheets (``service_rows``) as section rows."""
        if not self.pending_service:
            return
        first = len(self.plan.sections)
        for sheet, row, values, cols in self.pending_service:
            self.check_sections(sheet, SERVICE_EVENT, [(row, values, cols)])
        self.pending_service = []
        self.plan.sections[first:] = self.check_section_persons(self.plan.sections[first:])

    def new_person(
        self, sheet: Sheet, row: int, values: dict[str, Any], cols: dict[str, Column], bad: set[str]
    ) -> None:
        spec = SHEETS["can_bo"]
        ok = not bad
        for f in spec.fields:
            if f.required and f.name not in values and f.name not in bad:
                ok = False
                if f.name in cols:
                    self.error(
                        sheet.name,
                        row,
                        cols[f.name].label,
                        f"Người mới (chưa có trong hệ thống): thiếu {f.label}.",
                    )
                else:
                    self.error(
                        sheet.name,
                        row,
                        "",
                        f"Người mới (chưa có trong hệ thống): thiếu {f.label} (sheet không có cột này).",
                    )
        unit = values.get("managing_unit")
        if unit is not None and not self.scope.covers(unit.path):
            ok = False
            self.error(
                sheet.name,
                row,
                cols["managing_unit"].label,
                f"Đơn vị “{unit.name}” nằm ngoài phạm vi bạn được giao quyền sửa.",
            )
        if not ok:
            if unit is not None:
                self.pid_path[values[PID]] = unit.path
            return
        values.setdefault("religion", self.refs.default_religion)
        fields = self.person_fields(values)
        person = _new(Person, fields)
        if self.clean(sheet.name, row, person, cols, exclude=_exclude(Person, fields)):
            self.plan.new[values[PID]] = NewPerson(row, sheet.name, fields)
        if unit is not None:
            self.pid_path[values[PID]] = unit.path

    def person_fields(self, values: dict[str, Any]) -> dict[str, Any]:
        fields = dict(values)
        if "birth_date" in fields:
            fields["birth_date"], fields["birth_precision"] = fields["birth_date"]
        if "full_name" in fields:
            fields.update(derive_names(fields))
        return fields

    def update_person(
        self,
        sheet: Sheet,
        row: int,
        person: Person,
        path: str,
        values: dict[str, Any],
        cols: dict[str, Column],
        bad: set[str],
    ) -> None:
        pid = values[PID]
        if not self.scope.covers(path):
            self.error(
                sheet.name,
                row,
                cols[PID].label,
                HIDDEN_CONFLICT,
            )
            return
        self.pid_path[pid] = path
        unit = values.get("managing_unit")
        if unit is not None and not self.scope.covers(unit.path):
            self.error(
                sheet.name,
                row,
                cols["managing_unit"].label,
                f"Đơn vị “{unit.name}” nằm ngoài phạm vi bạn được giao quyền sửa.",
            )
            return
        if unit is not None:
            self.pid_path[pid] = unit.path
        if bad:
            return
        changes = self.person_fields({k: v for k, v in values.items() if k != PID})
        # Only the fields the row sets can change: compare those rather than whole snapshots.
        attnames = [concrete_field(Person, name).attname for name in changes]
        before = [getattr(person, a) for a in attnames]
        for name, value in changes.items():
            setattr(person, name, value)
        if not self.clean(sheet.name, row, person, cols, exclude=_exclude(Person, changes)):
            return
        # Only the fields whose value differs are written: a cell repeating the stored value
        # changes nothing, and leaving it out of the UPDATE spares the indexes on its column.
        differ = {
            name: value
            for (name, value), a, old in zip(changes.items(), attnames, before, strict=True)
            if getattr(person, a) != old
        }
        if not differ:
            self.plan.unchanged += 1
            return
        self.plan.updates[pid] = PersonUpdate(row, sheet.name, person.pk, person.row_version, differ)

    def clean(
        self,
        sheet: str,
        row: int,
        instance: models.Model,
        cols: dict[str, Column],
        *,
        exclude: tuple[str, ...],
    ) -> bool:
        """full_clean without the database (foreign keys were resolved, uniqueness is checked here)."""
        try:
            self.full_clean(instance, exclude)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                col = cols.get(name) or cols.get(
                    {
                        "birth_precision": "birth_date",
                        "level_rank": "level",
                        "start_precision": "start_date",
                        "end_precision": "end_date",
                    }.get(name, "")
                )
                column = col.label if col else ""
                for msg in messages:
                    if col is None and name != NON_FIELD_ERRORS:
                        field_obj = instance._meta.get_field(name)
                        msg = f"{getattr(field_obj, 'verbose_name', name)}: {msg}"
                    self.error(sheet, row, column, msg)
            return False
        return True

    def full_clean(self, instance: models.Model, exclude: tuple[str, ...]) -> None:
        """``instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)``,
        its fields cleaned through ``self.cleaned``.

        A model field's ``clean()`` (``to_python``, ``validate``, its validators) depends on the
        value alone, and a sheet repeats the same values row after row (a kind, a level, a
        year, a unit's text): each field remembers up to ``CLEAN_MEMO`` values it accepted and
        what they cleaned to, and runs ``clean()`` only for the others. Errors are never
        remembered, so every wrong cell is still reported with Django's own message. The
        model's ``clean()`` runs for every row, as in Django's ``full_clean``.
        """
        errors: dict[str, Any] = {}
        field_errors: dict[str, Any] = {}
        for f in instance._meta.fields:  # Model.clean_fields, with the memo
            if f.name in exclude or f.generated:
                continue
            raw = getattr(instance, f.attname)
            if f.blank and raw in f.empty_values:
                continue
            kind = type(raw)
            memo = self.cleaned.setdefault(f, {}) if kind in _MEMO_TYPES else None
            if memo is not None:
                known = memo.get((kind, raw), _UNKNOWN)
                if known is not _UNKNOWN:
                    setattr(instance, f.attname, known)
                    continue
            try:
                value = f.clean(raw, instance)
            except ValidationError as e:
                field_errors[f.name] = e.error_list
                continue
            setattr(instance, f.attname, value)
            if memo is not None and len(memo) < CLEAN_MEMO:
                memo[(kind, raw)] = value
        if field_errors:
            errors = ValidationError(field_errors).update_error_dict(errors)
        try:  # Model.clean runs even when a field failed, as in Django
            instance.clean()
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def report_duplicate_pids(self) -> None:
        for pid, dupes in self.pid_dupes.items():
            first = self.pid_rows[pid]
            rows = [first, *dupes]
            for sheet, row in rows:
                others = ", ".join(f"{s} dòng {r}" for s, r in rows if (s, r) != (sheet, row))
                self.error(
                    sheet, row, "", f"Số định danh {pid} xuất hiện nhiều lần trong tệp (cũng ở {others})."
                )
            self.plan.new.pop(pid, None)
            self.plan.updates.pop(pid, None)

    # -- sections ---------------------------------------------------------------------------------
    def check_sections(
        self, sheet: Sheet, spec: SheetSpec, batch: list[tuple[int, dict[str, Any], dict[str, Column]]]
    ) -> None:
        model = apps.get_model(spec.model_label)
        self.look_up_persons({v[PID] for _r, v, _c in batch if PID in v})
        for row, values, cols in batch:
            bad: set[str] = values.pop("__bad__")
            pid = values.pop(PID, None)
            if pid is None:
                if PID not in bad:
                    self.error(sheet.name, row, cols[PID].label, "Thiếu số định danh cá nhân.")
                continue
            ok = not bad
            for f in spec.fields:
                if (
                    f.required
                    and f.name != PID
                    and f.name not in values
                    and f.name not in bad
                    and f.name in cols
                ):
                    self.error(sheet.name, row, cols[f.name].label, f"Thiếu {f.label}.")
                    ok = False
            if not ok:
                continue
            if not self.section_values(sheet, spec, row, values, cols):
                continue
            unit = values.get("unit") if spec.kind == "chuc_vu" else None
            if unit is not None and not self.scope.covers(unit.path):
                self.error(
                    sheet.name,
                    row,
                    cols["unit"].label,
                    f"Đơn vị “{unit.name}” nằm ngoài phạm vi bạn được giao quyền sửa.",
                )
                continue
            instance: Any = _new(model, values)
            instance.holder_birth = self.births.get(pid)
            if not self.clean(sheet.name, row, instance, cols, exclude=_exclude(model, values)):
                continue
            if spec.kind == "trinh_do":
                values["level_rank"] = instance.level_rank
            if spec.kind == "tin_nhiem":  # the body, read from the wording when the column is absent
                values["body_kind"] = instance.body_kind
            if spec.kind == "luong" and not self.salary_day_free(sheet.name, row, pid, values, cols):
                continue
            self.plan.sections.append(SectionRow(spec.kind, sheet.name, row, pid, values, cols))

    def salary_day_free(
        self, sheet: str, row: int, pid: str, values: dict[str, Any], cols: dict[str, Column]
    ) -> bool:
        """Two salary rows of one person may not start on the same day (each is in force until
        the next one starts): the same row twice is a duplicate, skipped; a different one is an
        overlap, refused."""
        day = values.get("from_date")
        seen = self.salary_days.setdefault((pid, day), (sheet, row, tuple(sorted(map(str, values.items())))))
        if seen[2] == tuple(sorted(map(str, values.items()))):
            return True
        self.error(
            sheet,
            row,
            cols["from_date"].label,
            f"Trùng thời gian với {seen[0]} dòng {seen[1]}: hai dòng diễn biến lương của cùng một người "
            f"không được cùng ngày hưởng {day:%d/%m/%Y}.",
        )
        return False

    def section_values(
        self, sheet: Sheet, spec: SheetSpec, row: int, values: dict[str, Any], cols: dict[str, Column]
    ) -> bool:
        """Per-kind completions: the level with its kind, defaults, in-law side."""
        if spec.kind == "trinh_do":
            try:
                values["kind"], values["level"] = parsers.level(values["level"], values.get("kind"))
            except ParseError as exc:
                self.error(sheet.name, row, cols["level"].label, exc.message)
                return False
        elif spec.kind == "chuc_vu":
            values.setdefault("is_primary", True)
        elif spec.kind == "gia_dinh":
            if values.get("relation") in parsers.SPOUSE_SIDE_RELATIONS:
                values.setdefault("spouse_side", True)
        elif spec.kind == "ky_luat":
            values.setdefault("duty_related", True)
        elif spec.kind == "luong" and "from_date" in values:
            values.setdefault("step_since", values["from_date"])
        elif spec.kind == "qua_trinh_cong_tac":  # dates kept as written, with their precision
            for prefix in ("start", "end"):
                if f"{prefix}_date" in values:
                    values[f"{prefix}_date"], values[f"{prefix}_precision"] = values[f"{prefix}_date"]
        return True

    def look_up_persons(self, pids: set[str]) -> None:
        """Read the stored persons among ``pids`` not read yet (not in the person sheets): their
        id and unit path for ``check_section_persons``, their birth for the rows' dates."""
        lookup = sorted(pids - self.looked_up - self.pid_rows.keys())
        self.looked_up.update(lookup)
        for i in range(0, len(lookup), CHUNK):
            rows = Person.objects.filter(personal_id__in=lookup[i : i + CHUNK]).values_list(
                "personal_id", "pk", "managing_unit__path", "birth_date", "birth_precision"
            )
            for pid, pk, path, birth, precision in rows:
                self.stored_persons[pid] = (pk, path)
                self.births[pid] = (birth, precision)

    def check_section_persons(self, sections: list[SectionRow]) -> list[SectionRow]:
        """Every section row's person is in the file or in the database within scope; match keys.

        Returns the rows to add. A row with the natural key of exactly one record the person
        already has becomes an update of that record (``match_sections``); a row repeating an
        earlier row's key (of this sheet or an earlier one), or matching several records, is
        skipped and counted, not reported as an error.
        """
        sensitive_kinds = {k for k, s in SHEETS.items() if s.sensitive}
        lookup = sorted({s.pid for s in sections if s.pid not in self.plan.new} - self.looked_up)
        self.looked_up.update(lookup)
        db = self.stored_persons
        for i in range(0, len(lookup), CHUNK):
            rows = Person.objects.filter(personal_id__in=lookup[i : i + CHUNK]).values_list(
                "personal_id", "pk", "managing_unit__path"
            )
            db.update((pid, (pk, path)) for pid, pk, path in rows)
        kept: list[SectionRow] = []
        to_match: list[tuple[SectionRow, int, tuple[Any, ...]]] = []
        for s in sections:
            sensitive = s.kind in sensitive_kinds
            if s.pid in self.pid_rows:  # in the person sheet: scope as checked (or changed) there
                path = self.pid_path.get(s.pid)
            else:
                path = db[s.pid][1] if s.pid in db else None
            if (path is None and s.pid not in self.pid_rows) or (
                path is not None and not self.scope.covers(path, sensitive=sensitive)
            ):
                self.error(s.sheet, s.row, "", self._not_in_scope(s.pid, sensitive))
                continue
            natural = self.natural_key(s.kind, s.values)
            k = (s.kind, s.pid, *natural)
            if k in self.section_keys:
                self.plan.skipped += 1
                continue
            self.section_keys.add(k)
            kept.append(s)
            if s.pid in db:  # a person already stored: the row may be one of his records
                to_match.append((s, db[s.pid][0], natural))
        matched = self.match_sections(to_match)
        return [s for s in kept if id(s) not in matched]

    def match_sections(self, rows: list[tuple[SectionRow, int, tuple[Any, ...]]]) -> set[int]:
        """Match rows of stored persons with their records by natural key; ``id()`` of the rows
        that matched (each skipped, or planned as an update of its record).

        The records of a chunk of persons are read once, with the columns of their key and the
        columns the rows set: the keys to match and the values to compare come from the same
        rows. Only a record that a row changes is then read whole, rebuilt with its unit and
        title from ``self.plan.related`` and validated with the row's values applied.
        """
        matched: set[int] = set()
        by_kind: dict[str, dict[int, list[tuple[SectionRow, tuple[Any, ...]]]]] = {}
        for s, person_pk, natural in rows:
            by_kind.setdefault(s.kind, {}).setdefault(person_pk, []).append((s, natural))
        for kind, by_person in by_kind.items():
            model = apps.get_model(SHEETS[kind].model_label)
            set_names = {name for items in by_person.values() for s, _n in items for name in s.values}
            attname = {
                name: concrete_field(model, name).attname for name in set_names | set(SHEETS[kind].key)
            }
            key_cols = [attname[n] for n in SHEETS[kind].key]
            cols = list(
                dict.fromkeys(["id", "person_id", "row_version", *key_cols, *sorted(attname.values())])
            )
            pos = {a: i for i, a in enumerate(cols)}
            key_pos = [pos[a] for a in key_cols]
            persons = sorted(by_person)
            for i in range(0, len(persons), CHUNK):
                chunk = persons[i : i + CHUNK]
                records: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
                for rec in model._base_manager.filter(person_id__in=chunk).values_list(*cols):
                    k = (rec[1], *(_key_part(rec[p]) for p in key_pos))
                    records.setdefault(k, []).append(rec)
                changed: list[tuple[SectionRow, tuple[Any, ...], dict[str, Any]]] = []
                for person_pk in chunk:
                    for s, natural in by_person[person_pk]:
                        found = records.get((person_pk, *natural))
                        if found is None:
                            continue  # a new record
                        matched.add(id(s))
                        if len(found) > 1:  # several records share the key: which one is unknown
                            self.plan.skipped += 1
                            continue
                        rec = found[0]
                        changes = {
                            name: value
                            for name, value in s.values.items()
                            if rec[pos[attname[name]]] != plain(value)
                        }
                        if changes:
                            changed.append((s, rec, changes))
                        else:
                            self.plan.skipped += 1
                if changed:
                    self.check_section_changes(model, kind, changed)
        return matched

    def check_section_changes(
        self,
        model: type[models.Model],
        kind: str,
        changed: list[tuple[SectionRow, tuple[Any, ...], dict[str, Any]]],
    ) -> None:
        """Validate each changed record with the row's values applied; plan the valid updates."""
        records = model._base_manager.in_bulk([rec[0] for _s, rec, _c in changed])
        attach_related(model, list(records.values()), self.plan.related)
        for s, rec, changes in changed:
            record: Any = records.get(rec[0])
            if record is None:  # deleted since the first read: the writer reports it
                continue
            for name, value in changes.items():
                setattr(record, name, value)
            record.holder_birth = self.births.get(s.pid)
            if self.clean(s.sheet, s.row, record, s.cols, exclude=_exclude(model, changes)):
                self.plan.section_updates.append(SectionUpdate(kind, s.sheet, s.row, rec[0], rec[2], changes))

    def _not_in_scope(self, pid: str, sensitive: bool) -> str:
        base = (
            f"Không có cán bộ mang số định danh {pid} trong sheet Cán bộ của tệp hay trong phạm vi hồ sơ "
            "bạn được giao quyền sửa."
        )
        if sensitive:
            base += (
                " Sheet này là dữ liệu nhạy cảm: cần quyền xem và sửa dữ "
                "liệu nhạy cảm trên đơn vị của người đó."
            )
        return base

    def natural_key(self, kind: str, values: dict[str, Any]) -> tuple[Any, ...]:
        """The row's key as the record will store it: a key field the row leaves out takes the
        model's default (a rating without a "Kỳ đánh giá" column is a yearly one), otherwise
        re-importing such rows would never match the records they created."""
        out: list[Any] = []
        for name, default in _key_defaults(kind):
            v = values.get(name, default)
            out.append(_key_part(plain(v)))
        return tuple(out)


@functools.cache
def _key_defaults(kind: str) -> tuple[tuple[str, Any], ...]:
    """(field name, model default or None) of each natural-key field of a sheet kind."""
    model = apps.get_model(SHEETS[kind].model_label)
    out = []
    for name in SHEETS[kind].key:
        f = concrete_field(model, name)
        out.append((name, f.get_default() if f.has_default() else None))
    return tuple(out)


def attach_related(model: type[models.Model], instances: list[Any], cache: dict[Any, dict[Any, Any]]) -> None:
    """Give ``instances`` their related objects (other than the person) from ``cache``, fetching
    the missing ones in one query per field: their ``clean()`` and ``str()`` read the unit and
    title, a query per record otherwise."""
    for f in model._meta.concrete_fields:
        if not isinstance(f, models.ForeignKey) or f.name == "person":
            continue
        known = cache.setdefault(f.related_model, {})
        ids = {getattr(obj, f.attname) for obj in instances} - known.keys() - {None}
        if ids:
            related: Any = f.related_model
            known.update(related._base_manager.in_bulk(sorted(ids)))
        for obj in instances:
            value = getattr(obj, f.attname)
            if value is not None and value in known:
                f.set_cached_value(obj, known[value])


def plain(value: Any) -> Any:
    """A field value as its column holds it: a related object as its id."""
    return value.pk if isinstance(value, models.Model) else value


def concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The concrete field ``name`` of ``model`` (never a reverse relation)."""
    field_obj = model._meta.get_field(name)
    if not isinstance(field_obj, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return field_obj


def _key_part(value: Any) -> Any:
    """Natural-key part: text compared like headers, empty text and None alike."""
    if value is None:
        return ""
    return key(value) if isinstance(value, str) else value


def validate(
    book: Workbook,
    *,
    acting_user: ActingUser,
    mapping: dict[str, Any] | None,
    progress: Progress | None,
    persons_checked: Callable[[Plan], None] | None = None,
) -> Plan:
    """Check every row of every sheet of ``book``; see the module docstring for the rules.

    ``persons_checked(plan)`` is called once the person sheets are checked without error and
    before the first section sheet is read, if there is one: from then on ``plan.new`` and
    ``plan.updates`` no longer change (``apply`` starts writing them meanwhile).
    """
    validator = Validator(
        book, acting_user=acting_user, mapping=mapping, progress=progress, persons_checked=persons_checked
    )
    return validator.run()
