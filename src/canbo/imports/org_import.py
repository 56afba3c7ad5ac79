"""Import a province's organisation from one workbook: units, titles and posts.

The people import's rules (docs/huong-dan/nhap-du-lieu.md) hold here too: every row of every
sheet is checked first and every error is reported as "Sheet S, dòng N, cột C: …" (the same
``CellError``; ``engine.error_workbook`` gives the workbook back with an error column); then
everything is written in one transaction, or nothing. A code already in the system updates that
unit or title ("updates by code").

Every write goes through the organisation's services (``org.services``), so each one is in the
change log and checked against the acting user's grants; the checks made here first give the
same refusals per row, with the cell they concern. A refusal a service still raises while
writing (a case the checks did not foresee) becomes an error of its row and rolls everything
back. A dry run writes in a transaction that is rolled back, so it reports exactly what a real
run would.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from canbo.core.errors import DomainError, NotPermitted
from canbo.core.querysets import CHANGE
from canbo.core.types import ActingUser
from canbo.core.xlsx import Look, safe_cell, safe_row
from canbo.imports import parsers
from canbo.imports.errors import CellError
from canbo.imports.org_schema import ORG_SHEETS, PARSERS, POSTS, TITLES, UNITS
from canbo.imports.parsers import ParseError, is_blank, key
from canbo.imports.schema import HEADER_SCAN_ROWS, MAX_COLUMNS, SheetSpec
from canbo.org.choices import HeadKind, Level
from canbo.org.models import AdminArea, Post, Title, Unit

Row = dict[str, Any]


@dataclass
class OrgImportResult:
    """What a run did: ``ok`` with counts per kind, or every error and nothing written."""

    ok: bool
    errors: list[CellError] = field(default_factory=list)
    dry_run: bool = False
    units_created: int = 0
    units_updated: int = 0
    titles_created: int = 0
    titles_updated: int = 0
    posts_created: int = 0
    posts_updated: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"{self.units_created} đơn vị mới, {self.units_updated} đơn vị đính chính, "
            f"{self.titles_created} chức danh mới, {self.titles_updated} chức danh sửa, "
            f"{self.posts_created} vị trí mới, {self.posts_updated} vị trí sửa số lượng, "
            f"{self.unchanged} dòng không có gì thay đổi."
        )


@dataclass
class Line:
    """One data row of a sheet: its Excel row number, parsed values, and the column of each field."""

    sheet: str
    number: int
    values: Row
    columns: dict[str, str]

    def error(self, name: str, message: str) -> CellError:
        return CellError(self.sheet, self.number, self.columns.get(name, ""), message)


class _Abort(Exception):
    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(errors)
        self.errors = errors


# -- reading ------------------------------------------------------------------------------------


def _parser(name: str) -> Callable[[Any], Any]:
    return PARSERS.get(name) or getattr(parsers, name)


def _find_kind(sheet_name: str) -> SheetSpec | None:
    k = key(sheet_name)
    for spec in ORG_SHEETS.values():
        if k == key(spec.title) or k in {key(s) for s in spec.synonyms}:
            return spec
    return None


def _field_of(spec: SheetSpec, header: str) -> str | None:
    k = key(header)
    if not k:
        return None
    for f in spec.fields:
        if k == key(f.label):
            return f.name
    for f in spec.fields:
        if k in {key(s) for s in f.synonyms}:
            return f.name
    if "(" in header:
        return _field_of(spec, header[: header.index("(")])
    return None


def _read_sheet(sheet: Any, spec: SheetSpec, errors: list[CellError]) -> list[Line]:
    """Find the header row (the one naming most of the sheet's columns), map each column to its
    field, and parse every row; each unreadable cell is an error."""
    best, best_score, best_headers = 0, 0, []
    for number, values, _types in sheet.grid(1, MAX_COLUMNS + 1):
        if number > HEADER_SCAN_ROWS:
            break
        headers = [" ".join(str(v).split()) if v is not None else "" for v in values]
        score = sum(1 for h in headers if _field_of(spec, h))
        if score > best_score:
            best, best_score, best_headers = number, score, headers
    name = sheet.name
    if not best:
        errors.append(CellError(name, 1, "", "Không thấy dòng tiêu đề cột của sheet (xem tệp mẫu)."))
        return []
    while best_headers and not best_headers[-1]:
        best_headers.pop()
    columns: dict[str, int] = {}
    for j, header in enumerate(best_headers):
        f = _field_of(spec, header)
        if f is not None and f not in columns:
            columns[f] = j
    missing = [f.label for f in spec.fields if f.required and f.name not in columns]
    if missing:
        labels = ", ".join(f"“{m}”" for m in missing)
        errors.append(CellError(name, best, "", f"Thiếu cột {labels} (xem tệp mẫu)."))
        return []
    where = {f: f"{get_column_letter(j + 1)} ({best_headers[j]})" for f, j in columns.items()}
    sheet.header_row, sheet.headers, sheet.width = best, best_headers, len(best_headers)
    lines: list[Line] = []
    for number, values, _types in sheet.rows():
        line = Line(name, number, {}, where)
        for fs in spec.fields:
            col = columns.get(fs.name)
            raw = values[col] if col is not None and col < len(values) else None
            if is_blank(raw):
                continue
            try:
                value = _parser(fs.parser)(raw)
                limit = MAX_LENGTHS.get((spec.kind, fs.name))
                if limit and isinstance(value, str) and len(value) > limit:
                    raise ParseError(f"Dài quá {limit} ký tự.")
                line.values[fs.name] = value
            except ParseError as exc:
                errors.append(line.error(fs.name, exc.message))
                line.values[fs.name] = _BAD
        lines.append(line)
    return lines


# Lengths of the stored columns (Unit, Title), checked with the other cell errors.
MAX_LENGTHS = {
    ("don_vi", "code"): 40,
    ("don_vi", "name"): 255,
    ("don_vi", "parent"): 40,
    ("don_vi", "basis"): 200,
    ("chuc_danh", "code"): 40,
    ("chuc_danh", "name"): 255,
}

_BAD = object()  # a cell that could not be read (its error is already recorded)


def _missing(line: Line, spec: SheetSpec, errors: list[CellError]) -> bool:
    """Record an error for each required cell left empty; True when the row has any."""
    bad = False
    for f in spec.fields:
        if f.required and f.name not in line.values:
            errors.append(line.error(f.name, f"Thiếu {f.label[:1].lower()}{f.label[1:]}."))
            bad = True
    return bad or any(v is _BAD for v in line.values.values())


# -- checking -------------------------------------------------------------------------------------


def _by_code(qs: Any, codes: set[str]) -> Any:
    """Records of ``qs`` whose code is one of ``codes``, compared without case (in Python: the
    databases' own case folding stops at ASCII, and codes may carry "Đ")."""
    wanted = {c.lower() for c in codes}
    pks = [pk for pk, code in qs.values_list("pk", "code").iterator() if code.lower() in wanted]
    return qs.filter(pk__in=pks)


def _changeable_codes(user: Any, codes: set[str]) -> set[str]:
    """Codes (lower case) of the existing units among ``codes`` the user may change."""
    qs = Unit.objects.all() if user is None else Unit.objects.restrict(user, CHANGE)
    return {c.lower() for c in _by_code(qs, codes).values_list("code", flat=True)}


def _existing(model: Any, codes: set[str]) -> dict[str, Any]:
    return {obj.code.lower(): obj for obj in _by_code(model.objects.all(), codes)}


def _area(code: str) -> AdminArea | None:
    """The administrative area with this code, the 2025 catalogue first."""
    areas = list(AdminArea.objects.filter(code=code).order_by("dataset"))
    current = [a for a in areas if a.dataset == AdminArea.Dataset.CURRENT]
    found = current or areas
    return found[0] if found else None


def _level_name(value: str) -> str:
    return Level(value).label.lower()


def _is_system(user: Any) -> bool:
    return user is None or bool(getattr(user, "is_superuser", False))


@dataclass
class _Plan:
    units_new: list[Line] = field(default_factory=list)  # in dependency order
    units_update: list[tuple[Line, Unit, dict[str, Any]]] = field(default_factory=list)
    titles_new: list[Line] = field(default_factory=list)
    titles_update: list[tuple[Line, Title, dict[str, Any]]] = field(default_factory=list)
    posts_new: list[Line] = field(default_factory=list)
    posts_update: list[tuple[Line, Post, int]] = field(default_factory=list)
    unchanged: int = 0


def _check_units(lines: list[Line], user: Any, errors: list[CellError], plan: _Plan) -> dict[str, Row]:
    """Check the "Đơn vị" rows; returns the final attributes of every unit the sheet names
    (code folded → values, with "level" and "valid_from"), for the posts sheet."""
    by_code: dict[str, Line] = {}
    for line in lines:
        bad = _missing(line, UNITS, errors)
        code = line.values.get("code")
        if not isinstance(code, str):
            continue
        first = by_code.get(code.lower())
        if first is not None:
            errors.append(
                line.error("code", f"Mã đơn vị “{code}” đã có ở dòng {first.number} của sheet này.")
            )
            continue
        by_code[code.lower()] = line
        line.values["_bad"] = bad
    parents = {v for ln in by_code.values() if isinstance(v := ln.values.get("parent"), str)}
    existing = _existing(Unit, set(by_code) | {p.lower() for p in parents})
    changeable = _changeable_codes(user, set(existing))
    final: dict[str, Row] = {}
    for code, line in by_code.items():
        unit = existing.get(code)
        if unit is not None:
            final[code] = {
                "level": line.values.get("level", unit.level),
                "valid_from": unit.valid_from,
                "unit": unit,
            }
        else:
            final[code] = {"level": line.values.get("level"), "valid_from": line.values.get("valid_from")}
    for code, unit in existing.items():
        final.setdefault(code, {"level": unit.level, "valid_from": unit.valid_from, "unit": unit})

    new_lines: dict[str, Line] = {}
    for code, line in by_code.items():
        v = line.values
        parent_code = v.get("parent")
        parent_key = parent_code.lower() if isinstance(parent_code, str) else None
        unit = existing.get(code)
        if parent_key == code:
            errors.append(line.error("parent", "Đơn vị không thể là đơn vị cấp trên của chính nó."))
            continue
        if parent_key is not None and parent_key not in by_code and parent_key not in existing:
            errors.append(
                line.error(
                    "parent",
                    f"Không có đơn vị mã “{parent_code}” trong sheet này hay trong hệ thống.",
                )
            )
            continue
        if isinstance(v.get("area"), str) and _area(v["area"]) is None:
            errors.append(line.error("area", f"Không có đơn vị hành chính mã “{v['area']}” trong danh mục."))
            continue
        if unit is not None:
            _check_unit_update(line, unit, parent_key, existing, changeable, errors, plan)
            continue
        if v.get("_bad"):
            continue
        if parent_key is None:
            if not _is_system(user):
                errors.append(line.error("parent", "Chỉ quản trị hệ thống được tạo đơn vị gốc."))
                continue
        elif parent_key in existing:
            parent = existing[parent_key]
            if parent_key not in changeable:
                errors.append(
                    line.error("parent", f"Đơn vị cấp trên “{parent.name}” nằm ngoài phạm vi bạn được giao.")
                )
                continue
            if parent.valid_to is not None:
                errors.append(
                    line.error(
                        "parent",
                        f"Đơn vị cấp trên “{parent.name}” đã kết thúc ngày {parent.valid_to:%d/%m/%Y}.",
                    )
                )
                continue
        parent_from = final[parent_key]["valid_from"] if parent_key is not None else None
        if isinstance(parent_from, dt.date) and v["valid_from"] < parent_from:
            errors.append(
                line.error(
                    "valid_from",
                    f"Đơn vị cấp trên “{parent_code}” chỉ có hiệu lực từ {parent_from:%d/%m/%Y}; "
                    "đơn vị trực thuộc không thể có hiệu lực trước ngày đó.",
                )
            )
            continue
        new_lines[code] = line
    plan.units_new = _order(new_lines, set(existing), errors)
    return final


def _check_unit_update(
    line: Line,
    unit: Unit,
    parent_key: str | None,
    existing: dict[str, Unit],
    changeable: set[str],
    errors: list[CellError],
    plan: _Plan,
) -> None:
    """A row whose code exists: a correction of the unit's attributes, never a move."""
    v = line.values
    if unit.code.lower() not in changeable:
        errors.append(line.error("code", f"Đơn vị “{unit.name}” nằm ngoài phạm vi bạn được giao."))
        return
    current_parent = Unit.objects.get_parent(unit) if unit.depth > 1 else None
    wanted = existing.get(parent_key) if parent_key else None
    if (current_parent.pk if current_parent else None) != (wanted.pk if wanted else None):
        now = f"“{current_parent.code}”" if current_parent else "trống (đơn vị gốc)"
        errors.append(
            line.error(
                "parent",
                f"Đơn vị “{unit.name}” đã có trong hệ thống với đơn vị cấp trên {now}; tệp nhập không "
                "chuyển đơn vị. Hãy dùng thao tác “Chuyển đơn vị cấp trên” trên trang của đơn vị "
                "(Tổ chức → đơn vị → Chuyển đơn vị cấp trên), có ngày hiệu lực và căn cứ.",
            )
        )
        return
    if "valid_from" in v and v["valid_from"] is not _BAD and unit.valid_from != v["valid_from"]:
        shown = f"{unit.valid_from:%d/%m/%Y}" if unit.valid_from else "trống"
        errors.append(
            line.error(
                "valid_from",
                f"Đơn vị đã có với ngày hiệu lực {shown}; ngày hiệu lực chỉ thay đổi bằng thao tác sắp "
                "xếp tổ chức, không qua tệp nhập.",
            )
        )
        return
    if any(x is _BAD for x in v.values()):
        return
    changes: dict[str, Any] = {}
    for name in ("name", "kind", "block", "level", "basis"):
        if name in v and v[name] != getattr(unit, name):
            changes[name] = v[name]
    area = _area(v["area"]) if isinstance(v.get("area"), str) else None
    if area is not None and area.pk != unit.area_id:
        changes["area"] = area
    if changes:
        plan.units_update.append((line, unit, changes))
    else:
        plan.unchanged += 1


def _order(new_lines: dict[str, Line], existing: set[str], errors: list[CellError]) -> list[Line]:
    """New units, parents before children. A child whose parent's row was refused waits silently
    (the parent's row carries the error); a cycle is an error on each of its rows."""
    ordered: list[Line] = []
    placed: set[str] = set()
    pending = dict(new_lines)
    while True:
        ready = []
        for code, line in pending.items():
            parent = line.values.get("parent")
            pk = parent.lower() if isinstance(parent, str) else None
            if pk is None or pk in placed or (pk in existing and pk not in new_lines):
                ready.append(code)
        if not ready:
            break
        for code in ready:
            ordered.append(pending.pop(code))
            placed.add(code)
    for code, line in pending.items():
        chain = [line.values["code"]]
        seen = {code}
        cur = line.values.get("parent")
        while isinstance(cur, str) and cur.lower() in pending and cur.lower() not in seen:
            chain.append(pending[cur.lower()].values["code"])
            seen.add(cur.lower())
            cur = pending[cur.lower()].values.get("parent")
        if isinstance(cur, str) and cur.lower() in seen:
            chain.append(cur)
            errors.append(line.error("parent", "Đơn vị cấp trên tạo thành vòng: " + " → ".join(chain) + "."))
    return ordered


TITLE_CHANGEABLE = (
    "name",
    "level",
    "block",
    "group",
    "head_kind",
    "is_key",
    "management_scope",
    "rank",
    "allowance_coefficient",
)


def _check_titles(lines: list[Line], user: Any, errors: list[CellError], plan: _Plan) -> dict[str, Row]:
    from canbo.org.services import can_edit_catalogue

    by_code: dict[str, Line] = {}
    for line in lines:
        bad = _missing(line, TITLES, errors)
        code = line.values.get("code")
        if not isinstance(code, str):
            continue
        first = by_code.get(code.lower())
        if first is not None:
            errors.append(
                line.error("code", f"Mã chức danh “{code}” đã có ở dòng {first.number} của sheet này.")
            )
            continue
        by_code[code.lower()] = line
        line.values["_bad"] = bad
    existing = _existing(Title, set(by_code))
    allowed = can_edit_catalogue(user)
    final: dict[str, Row] = {}
    for code, line in by_code.items():
        v = line.values
        title = existing.get(code)
        final[code] = {"level": v.get("level", title.level if title else None), "title": title}
        if not allowed:
            errors.append(line.error("code", "Chỉ quản trị hệ thống được sửa danh mục chức danh."))
            continue
        if v.pop("_bad"):
            continue
        coefficient = v.get("allowance_coefficient")
        if coefficient is not None and not 0 <= coefficient <= 3:
            errors.append(line.error("allowance_coefficient", "Hệ số phụ cấp chức vụ phải từ 0 đến 3."))
            continue
        if v.get("rank", 0) < 0:
            errors.append(line.error("rank", "Thứ bậc không được âm."))
            continue
        if title is None:
            plan.titles_new.append(line)
            continue
        changes = {n: v[n] for n in TITLE_CHANGEABLE if n in v and v[n] != getattr(title, n)}
        if changes:
            plan.titles_update.append((line, title, changes))
        else:
            plan.unchanged += 1
    return final


def _check_posts(
    lines: list[Line],
    user: Any,
    units: dict[str, Row],
    titles: dict[str, Row],
    errors: list[CellError],
    plan: _Plan,
) -> None:
    seen: dict[tuple[str, str], Line] = {}
    unit_codes = {v.lower() for ln in lines if isinstance(v := ln.values.get("unit"), str)}
    title_codes = {v.lower() for ln in lines if isinstance(v := ln.values.get("title"), str)}
    more_units = _existing(Unit, unit_codes - set(units))
    for code, unit in more_units.items():
        units[code] = {"level": unit.level, "valid_from": unit.valid_from, "unit": unit}
    for code, title in _existing(Title, title_codes - set(titles)).items():
        titles[code] = {"level": title.level, "title": title}
    existing_units = {c for c, r in units.items() if r.get("unit") is not None}
    changeable = _changeable_codes(user, existing_units)
    new_units = {ln.values["code"].lower() for ln in plan.units_new}
    for line in lines:
        if _missing(line, POSTS, errors):
            continue
        v = line.values
        u, t = v["unit"].lower(), v["title"].lower()
        if (u, t) in seen:
            errors.append(
                line.error(
                    "title",
                    f"Vị trí “{v['title']}” của đơn vị “{v['unit']}” đã có ở dòng "
                    f"{seen[(u, t)].number} của sheet này.",
                )
            )
            continue
        seen[(u, t)] = line
        unit_row = units.get(u)
        if unit_row is None:
            errors.append(
                line.error(
                    "unit", f"Không có đơn vị mã “{v['unit']}” trong sheet “Đơn vị” hay trong hệ thống."
                )
            )
            continue
        title_row = titles.get(t)
        if title_row is None:
            errors.append(
                line.error(
                    "title",
                    f"Không có chức danh mã “{v['title']}” trong sheet “Chức danh” hay trong danh mục.",
                )
            )
            continue
        if v["seats"] < 1:
            errors.append(line.error("seats", "Số lượng phải từ 1 trở lên."))
            continue
        unit = unit_row.get("unit")
        if unit is None and u not in new_units:
            continue  # its unit's row has an error already
        if unit is not None and u not in changeable:
            errors.append(line.error("unit", f"Đơn vị “{unit.name}” nằm ngoài phạm vi bạn được giao."))
            continue
        if title_row["level"] and unit_row["level"] and title_row["level"] != unit_row["level"]:
            errors.append(
                line.error(
                    "title",
                    f"Chức danh “{v['title']}” thuộc {_level_name(title_row['level'])}, còn đơn vị "
                    f"“{v['unit']}” thuộc {_level_name(unit_row['level'])}; không thể tạo vị trí.",
                )
            )
            continue
        unit_from = unit_row.get("valid_from")
        if "valid_from" in v and isinstance(unit_from, dt.date) and v["valid_from"] < unit_from:
            errors.append(
                line.error(
                    "valid_from",
                    f"Vị trí không thể có hiệu lực trước ngày đơn vị bắt đầu ({unit_from:%d/%m/%Y}).",
                )
            )
            continue
        title = title_row.get("title")
        post = None
        if unit is not None and title is not None:
            post = Post.objects.filter(unit=unit, title=title, valid_to__isnull=True).first()
        if post is None:
            plan.posts_new.append(line)
            continue
        if "valid_from" in v and v["valid_from"] != post.valid_from:
            shown = f"{post.valid_from:%d/%m/%Y}" if post.valid_from else "trống"
            errors.append(
                line.error(
                    "valid_from",
                    f"Đơn vị đã có vị trí này từ ngày {shown}; để sửa số lượng, hãy để trống ô này "
                    "hoặc ghi đúng ngày đó.",
                )
            )
            continue
        if post.seats != v["seats"]:
            plan.posts_update.append((line, post, v["seats"]))
        else:
            plan.unchanged += 1


# -- writing --------------------------------------------------------------------------------------


@contextlib.contextmanager
def _guard(line: Line, name: str) -> Iterator[None]:
    """A service's refusal while writing becomes the row's error and stops the import."""
    try:
        yield
    except (DomainError, NotPermitted) as exc:
        raise _Abort([line.error(name, exc.message)]) from None
    except ValidationError as exc:
        raise _Abort([line.error(name, " ".join(exc.messages))]) from None


def _write(plan: _Plan, user: Any, reason: str, result: OrgImportResult) -> None:
    from canbo.org import services

    titles: dict[str, Title] = {}
    for line in plan.titles_new:
        v = {k: x for k, x in line.values.items() if not k.startswith("_")}
        v["is_leader"] = v.get("head_kind") != HeadKind.STAFF
        with _guard(line, "code"):
            created = services.title_create(acting_user=user, reason=reason, **v)
        titles[created.code.lower()] = created
        result.titles_created += 1
    for line, title, changes in plan.titles_update:
        with _guard(line, "code"):
            services.title_update(title=title, acting_user=user, reason=reason, **changes)
        titles[title.code.lower()] = title
        result.titles_updated += 1

    units: dict[str, Unit] = {}
    for line in plan.units_new:
        v = line.values
        parent_code = v.get("parent")
        parent = None
        if isinstance(parent_code, str):
            parent = units.get(parent_code.lower()) or Unit.objects.get(code__iexact=parent_code)
        fields = {k: v[k] for k in ("code", "name", "kind", "block", "level", "valid_from") if k in v}
        fields["basis"] = v.get("basis", "")
        if isinstance(v.get("area"), str):
            fields["area"] = _area(v["area"])
        with _guard(line, "code"):
            unit = services.unit_create(acting_user=user, parent=parent, reason=reason, **fields)
        units[unit.code.lower()] = unit
        result.units_created += 1
    for line, unit, changes in plan.units_update:
        with _guard(line, "code"):
            services.unit_correct(unit=unit, acting_user=user, reason=reason, **changes)
        result.units_updated += 1

    for line in plan.posts_new:
        v = line.values
        unit = units.get(v["unit"].lower()) or Unit.objects.get(code__iexact=v["unit"])
        title = titles.get(v["title"].lower()) or Title.objects.get(code__iexact=v["title"])
        extra = {"valid_from": v["valid_from"]} if "valid_from" in v else {}
        with _guard(line, "title"):
            services.post_create(
                acting_user=user, unit=unit, title=title, seats=v["seats"], reason=reason, **extra
            )
        result.posts_created += 1
    for line, post, seats in plan.posts_update:
        with _guard(line, "seats"):
            services.post_update(post=post, acting_user=user, reason=reason, seats=seats)
        result.posts_updated += 1
    result.unchanged = plan.unchanged


def run_org_import(
    *, path: Path, acting_user: ActingUser, dry_run: bool = False, reason: str = ""
) -> OrgImportResult:
    """Read, check every row of the three sheets, then write all or nothing.

    ``acting_user=None`` acts as the system (no scope limit). Raises ``engine.RefusedFile`` for a
    hostile or unreadable file. ``reason`` defaults to "Nhập từ tệp <name> (<sha256[:12]>)".
    """
    from canbo.imports import reader
    from canbo.imports.apply import default_reason, file_sha256

    reason = reason or default_reason(path.name, file_sha256(path))
    errors: list[CellError] = []
    lines: dict[str, list[Line]] = {}
    book = reader.open_workbook(path)
    try:
        for name in book.worksheets(hidden=False):
            spec = _find_kind(name)
            if spec is None or spec.kind in lines:
                continue
            lines[spec.kind] = _read_sheet(book.sheet(name), spec, errors)
    finally:
        book.close()
    if not lines:
        names = ", ".join(f"“{s.title}”" for s in ORG_SHEETS.values())
        errors.append(CellError("", 0, "", f"Tệp không có sheet nào tên {names} (xem tệp mẫu)."))
        return OrgImportResult(ok=False, errors=errors, dry_run=dry_run)
    plan = _Plan()
    units = _check_units(lines.get(UNITS.kind, []), acting_user, errors, plan)
    titles = _check_titles(lines.get(TITLES.kind, []), acting_user, errors, plan)
    _check_posts(lines.get(POSTS.kind, []), acting_user, units, titles, errors, plan)
    if errors:
        return OrgImportResult(ok=False, errors=_sorted(errors), dry_run=dry_run)
    result = OrgImportResult(ok=True, dry_run=dry_run)
    try:
        with transaction.atomic():
            _write(plan, acting_user, reason, result)
            if dry_run:
                transaction.set_rollback(True)
    except _Abort as abort:
        return OrgImportResult(ok=False, errors=abort.errors, dry_run=dry_run)
    return result


def _sorted(errors: list[CellError]) -> list[CellError]:
    order = {s.title: i for i, s in enumerate(ORG_SHEETS.values())}
    return sorted(errors, key=lambda e: (order.get(e.sheet, -1), e.row))


# -- the template ---------------------------------------------------------------------------------

EXAMPLES: dict[str, list[Row]] = {
    "don_vi": [
        {"code": "LC", "name": "Tỉnh Lào Cai", "kind": "Địa phương (khối tổng hợp)", "block": "Nhà nước",
         "level": "Cấp tỉnh", "area": "15", "valid_from": "01/07/2025", "basis": "NQ 202/2025/QH15"},
        {"code": "LC.SNV", "name": "Sở Nội vụ", "parent": "LC", "kind": "Cơ quan chuyên môn",
         "block": "Nhà nước", "level": "Cấp tỉnh", "valid_from": "01/07/2025", "basis": "QĐ 01/QĐ-UBND"},
        {"code": "LC.SNV.TCBC", "name": "Phòng Tổ chức, biên chế", "parent": "LC.SNV",
         "kind": "Phòng, ban, đơn vị trực thuộc", "block": "Nhà nước", "level": "Cấp tỉnh",
         "valid_from": "01/07/2025"},
    ],
    "chuc_danh": [
        {"code": "GD_SO", "name": "Giám đốc Sở", "level": "Cấp tỉnh", "block": "Nhà nước",
         "group": "Người đứng đầu cơ quan, đơn vị", "head_kind": "Cấp trưởng", "is_key": "Không",
         "management_scope": "Ban Thường vụ Tỉnh ủy quản lý", "rank": 60, "allowance_coefficient": "1,0"},
        {"code": "TP_SO", "name": "Trưởng phòng thuộc Sở", "level": "Cấp tỉnh", "block": "Nhà nước",
         "group": "Trưởng phòng và tương đương", "head_kind": "Cấp trưởng", "is_key": "Không",
         "management_scope": "Cơ quan, đơn vị quản lý", "rank": 30, "allowance_coefficient": "0,6"},
    ],
    "vi_tri": [
        {"unit": "LC.SNV", "title": "GD_SO", "seats": 1, "valid_from": "01/07/2025"},
        {"unit": "LC.SNV.TCBC", "title": "TP_SO", "seats": 1},
    ],
}  # fmt: skip

GUIDE_LINE = (
    "Hướng dẫn đầy đủ: mục “Nhập cơ cấu tổ chức từ tệp Excel” trong hướng dẫn Tổ chức của CanBo. "
    "Xóa các dòng ví dụ trước khi nhập."
)


def build_org_template() -> bytes:
    """The organisation template: a "Hướng dẫn" sheet, then "Đơn vị", "Chức danh", "Vị trí"
    with their headers (required ones shaded, a comment listing accepted values) and examples."""
    from canbo.imports.workbooks import BOLD, add_template_sheet

    wb = Workbook(write_only=True)
    guide = wb.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 90
    bold = Look(guide, font=BOLD)
    guide.append(safe_row(guide, ["Mẫu nhập cơ cấu tổ chức — CanBo"]))
    guide.append(safe_row(guide, [GUIDE_LINE]))
    guide.append([])
    for spec in ORG_SHEETS.values():
        guide.append(
            [safe_cell(guide, f"Sheet “{spec.title}”", bold), None, safe_cell(guide, spec.description)]
        )
        for f in spec.fields:
            guide.append(safe_row(guide, [f.label, "bắt buộc" if f.required else "", f.accepted]))
        guide.append([])
    for kind, spec in ORG_SHEETS.items():
        add_template_sheet(wb, spec, EXAMPLES.get(kind, []), freeze="A2")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
