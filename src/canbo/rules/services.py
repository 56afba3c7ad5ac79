"""Writes of the rulebook: the idempotent loader, new rule versions, holidays, overrides.

Every write goes through ``canbo.core.services`` so it is in the change log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from canbo.core.errors import DomainError, NotPermitted
from canbo.core.models import ObjectChange
from canbo.core.services import (
    audited_create,
    audited_delete,
    audited_update,
    deferred_log,
    log_change,
    logged_user,
)
from canbo.core.types import ActingUser
from canbo.people.models import Person
from canbo.rules.engine.params import label_for
from canbo.rules.engine.rulebook import DATA_DIR, holidays_from_data, read_toml, versions_from_data
from canbo.rules.engine.rulebook import RuleVersion as FileVersion
from canbo.rules.models import Holiday, RetirementOverride, RuleVersion, Source

LOAD_REASON = "Nạp quy định từ dữ liệu trong mã nguồn (rules.toml, holidays.toml)"
TEXT_REASON = "Cập nhật văn bản mô tả quy định"

# Descriptive texts of a version: corrected in place by the loader when the file's wording
# changes (translation, typo). Parameters, confidence and dates are never rewritten.
TEXT_FIELDS = (
    "name",
    "statement",
    "statement_vi",
    "basis",
    "confidence_note",
    "parameters_text",
    "in_force_text",
)


@dataclass
class LoadReport:
    created_versions: int = 0
    unchanged_versions: int = 0
    differing: list[str] = field(default_factory=list)
    updated_texts: list[str] = field(default_factory=list)
    created_holidays: int = 0
    unchanged_holidays: int = 0
    removed_holidays: int = 0


def _comparable(v: Any) -> dict[str, Any]:
    """What the loader never overwrites in a loaded version."""
    return {
        "confidence": v.confidence,
        "valid_from": v.valid_from,
        "valid_to": v.valid_to,
        "params": v.params,
    }


def _text_changes(row: RuleVersion, v: Any) -> dict[str, str]:
    return {f: getattr(v, f) for f in TEXT_FIELDS if getattr(row, f) != getattr(v, f)}


def rules_load(*, acting_user: ActingUser = None, data_dir: Path = DATA_DIR) -> LoadReport:
    """Load the repository's rule versions and holidays; idempotent.

    The parameters, confidence and dates of a version already in the database are never
    overwritten (a past version is not edited, RULES.md convention 2); when the file says something
    else for them the report lists the version, so a reviewer adds a new version instead. Its
    descriptive texts (name, statements, basis, notes) are corrected in place when the file's
    wording changed, through the change log with ``TEXT_REASON``.
    """
    report = LoadReport()
    versions = versions_from_data(read_toml(data_dir / "rules.toml"))
    holidays = holidays_from_data(read_toml(data_dir / "holidays.toml"))
    # One transaction; the ~140 change-log entries of a first load written by one statement at
    # its end, in the order they were made (the loader never reads its own entries back).
    with deferred_log():
        _split_h1(acting_user)
        existing = {(r.rule_id, r.version): r for r in RuleVersion.objects.all()}
        # The versions the database lacks: written by one statement when their keys are distinct
        # (ids in the file's order, as one insert each gave them), each logged below at its place
        # in the file, between the text corrections, as ``audited_create`` logged it.
        keys = [(v.rule_id, v.version) for v in versions if (v.rule_id, v.version) not in existing]
        new = {
            (v.rule_id, v.version): _version_row(v)
            for v in versions
            if (v.rule_id, v.version) not in existing
        }
        at_once = _insert_at_once(list(new.values()), keys)
        for v in versions:
            row = existing.get((v.rule_id, v.version))
            if row is None:
                _created(new[(v.rule_id, v.version)] if at_once else _version_row(v), at_once, acting_user)
                report.created_versions += 1
                continue
            changes = _text_changes(row, v) if row.source == Source.DATA else {}
            if changes:
                audited_update(
                    row, acting_user=acting_user, changes=changes, reason=TEXT_REASON, check_scope=False
                )
                report.updated_texts.append(f"{v.rule_id} v{v.version}")
            # The administrator may have closed it with a new version: valid_to differs then.
            if {**_comparable(row), "valid_to": None} != {**_comparable(v), "valid_to": None}:
                report.differing.append(f"{v.rule_id} v{v.version}")
            elif not changes:
                report.unchanged_versions += 1
        _sync_holidays(holidays, acting_user, report)
    return report


def _version_row(v: FileVersion) -> RuleVersion:
    """A new row of the file's version ``v``."""
    return RuleVersion(
        rule_id=v.rule_id,
        version=v.version,
        name=v.name,
        statement=v.statement,
        statement_vi=v.statement_vi,
        basis=v.basis,
        confidence=v.confidence,
        confidence_note=v.confidence_note,
        parameters_text=v.parameters_text,
        in_force_text=v.in_force_text,
        valid_from=v.valid_from,
        valid_to=v.valid_to,
        params=v.params,
        source=Source.DATA,
    )


def _insert_at_once(rows: list[Any], keys: list[Any]) -> bool:
    """Write ``rows`` by one statement, each validated as ``audited_create`` validates it but for
    its uniqueness queries: their ``keys`` (rule and version, or day) were read absent from the
    table in this transaction and are distinct. False, with nothing written, when two rows share
    a key or the database does not return the ids of a bulk insert: the caller then creates them
    one by one, as before, and the second of two equal keys is refused as it was."""
    if len(set(keys)) != len(keys) or not connection.features.can_return_rows_from_bulk_insert:
        return False
    for row in rows:
        row.full_clean(validate_unique=False, validate_constraints=False)
    if rows:
        type(rows[0])._default_manager.bulk_create(rows)
    return True


def _created(row: Any, written: bool, acting_user: ActingUser) -> None:
    """Log ``row`` written by ``_insert_at_once`` as ``audited_create`` logs it, or create it."""
    if written:
        log_change(
            instance=row,
            action=ObjectChange.Action.CREATE,
            before=None,
            after=row.snapshot(),
            acting_user=acting_user,
            reason=LOAD_REASON,
        )
    else:
        audited_create(row, acting_user=acting_user, reason=LOAD_REASON, check_scope=False)


H1_SPLIT_REASON = (
    "Tách quy định H-1 theo Bộ luật Lao động có hiệu lực vào năm đạt tuổi: phiên bản theo BLLĐ 2019 "
    "trở thành v3, áp dụng từ 01/01/2021; v1 (BLLĐ 1994) và v2 (BLLĐ 2012) được bổ sung"
)


def _split_h1(acting_user: ActingUser) -> None:
    """Renumber the single H-1 version shipped before the split (BLLĐ 2019, undated) to v3 from
    1/1/2021, through the change log, so that the loader then adds v1 (BLLĐ 1994) and v2
    (BLLĐ 2012) before it. Does nothing once done, or when an administrator added H-1 versions
    (the loader then lists H-1 as differing for a reviewer)."""
    rows = list(RuleVersion.objects.select_for_update().filter(rule_id="H-1"))
    if len(rows) != 1:
        return
    row = rows[0]
    if row.version != 1 or row.source != Source.DATA or row.valid_from is not None:
        return
    if not row.basis.startswith("BLLĐ 2019"):
        return
    audited_update(
        row,
        acting_user=acting_user,
        changes={"version": 3, "valid_from": dt.date(2021, 1, 1), "in_force_text": "01/01/2021 → nay"},
        reason=H1_SPLIT_REASON,
        check_scope=False,
    )


HOLIDAY_COMPUTED_REASON = (
    "Ngày lễ, Tết theo Bộ luật Lao động nay được tính tự động cho mọi năm (kể cả nghỉ bù); "
    "bảng chỉ giữ các điều chỉnh theo thông báo hằng năm"
)


def _sync_holidays(holidays: list[Any], acting_user: ActingUser, report: LoadReport) -> None:
    """The file's adjustments into the table. Days the loader wrote earlier (source DATA) that the
    file no longer lists are removed through the change log: before the calendar was computed the
    file listed every statutory holiday of 2020–2030, which the computed calendar now supplies
    (and some of which were wrong, Tết 2030 on the Chinese date). The administrator's own days
    are never touched."""
    in_file = {h.day: h for h in holidays}
    for row in Holiday.objects.filter(source=Source.DATA).order_by("day"):
        if row.day not in in_file:
            audited_delete(row, acting_user=acting_user, reason=HOLIDAY_COMPUTED_REASON, check_scope=False)
            report.removed_holidays += 1
    known_days = set(Holiday.objects.values_list("day", flat=True))
    new = [Holiday(day=h.day, name=h.name, working=h.working, source=Source.DATA) for h in holidays]
    new = [row for row in new if row.day not in known_days]
    at_once = _insert_at_once(new, [row.day for row in new])
    rows = iter(new)
    for h in holidays:
        if h.day in known_days:
            report.unchanged_holidays += 1
            continue
        _created(next(rows), at_once, acting_user)
        report.created_holidays += 1


def is_rules_admin(user: Any) -> bool:
    """Administrators keep the rulebook: superusers and holders of an administrator grant."""
    from canbo.core.grants import is_admin

    if not getattr(user, "is_authenticated", False):
        return False
    return is_admin(user)


def _ensure_admin(acting_user: ActingUser) -> None:
    if not is_rules_admin(acting_user):
        raise NotPermitted("Chỉ quản trị viên được thay đổi quy định và lịch ngày nghỉ.")


def _coerce(old: Any, raw: Any, name: str) -> Any:
    """A new parameter value of the same type as the old one, or a Vietnamese refusal."""
    if isinstance(old, bool):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("true", "1", "có", "co", "bật", "bat"):
            return True
        if text in ("false", "0", "không", "khong", "tắt", "tat"):
            return False
        raise DomainError(f"Tham số “{name}” phải là có/không.")
    if isinstance(old, int | float):
        try:
            value = float(str(raw).strip().replace(",", "."))
        except ValueError as exc:
            raise DomainError(f"Tham số “{name}” phải là một số (ví dụ {old}).") from exc
        if value < 0:
            raise DomainError(f"Tham số “{name}” không được âm.")
        if isinstance(old, int) and value == int(value):
            return int(value)
        return value
    if isinstance(old, list):
        return [x.strip() for x in str(raw).split(",") if x.strip()] if not isinstance(raw, list) else raw
    text = str(raw).strip()
    if not text:
        raise DomainError(f"Tham số “{name}” không được để trống.")
    return text


def rule_version_add(
    *,
    rule_id: str,
    params: dict[str, Any],
    valid_from: dt.date,
    basis: str,
    note: str,
    acting_user: ActingUser,
) -> RuleVersion:
    """Add a new version of a rule's parameters from ``valid_from``; close the open one then.

    Only administrators. The new version keeps the rule's statement and confidence, takes the
    given basis and parameters (same names and types as before), and the change is logged with
    ``note`` as its reason. A version earlier than the current one's start is refused: the past is
    corrected by a new dated version, not by rewriting an old one.
    """
    _ensure_admin(acting_user)
    if not basis.strip():
        raise DomainError("Cần ghi căn cứ (số, ngày văn bản) của phiên bản mới.")
    if not note.strip():
        raise DomainError("Cần ghi lý do thay đổi.")
    with transaction.atomic():
        latest = RuleVersion.objects.select_for_update().filter(rule_id=rule_id).order_by("-version").first()
        if latest is None:
            raise DomainError(f"Không có quy định {rule_id}.")
        if latest.valid_from and valid_from <= latest.valid_from:
            raise DomainError(
                f"Phiên bản mới phải áp dụng sau ngày {latest.valid_from:%d/%m/%Y} "
                f"(ngày bắt đầu của {latest}); không sửa phiên bản đã qua."
            )
        if latest.valid_to and valid_from < latest.valid_to:
            raise DomainError(
                f"{latest} đã kết thúc ngày {latest.valid_to:%d/%m/%Y}; phiên bản mới phải áp "
                "dụng từ ngày đó trở đi."
            )
        unknown = set(params) - set(latest.params)
        if unknown:
            raise DomainError("Tham số không có trong quy định: " + ", ".join(sorted(unknown)) + ".")
        new_params = dict(latest.params)
        for name, raw in params.items():
            label = label_for(rule_id, name)
            new_params[name] = _coerce(latest.params[name], raw, label.label if label else name)
        if latest.valid_to is None:
            audited_update(
                latest,
                acting_user=acting_user,
                changes={"valid_to": valid_from},
                reason=f"Đóng {latest} khi có phiên bản mới từ {valid_from:%d/%m/%Y}: {note}",
                check_scope=False,
            )
        created = audited_create(
            RuleVersion(
                rule_id=latest.rule_id,
                version=latest.version + 1,
                name=latest.name,
                statement=latest.statement,
                statement_vi=latest.statement_vi,
                basis=basis.strip(),
                confidence=latest.confidence,
                confidence_note=latest.confidence_note,
                parameters_text=latest.parameters_text,
                in_force_text=f"{valid_from:%d/%m/%Y} → nay",
                valid_from=valid_from,
                valid_to=None,
                params=new_params,
                source=Source.ADMIN,
                note=note.strip(),
            ),
            acting_user=acting_user,
            reason=note.strip(),
            check_scope=False,
        )
    return created


def holiday_add(*, day: dt.date, name: str, acting_user: ActingUser, working: bool = False) -> Holiday:
    """Add an adjustment of the year's calendar from the Prime Minister's notice: an extra day
    off, or (``working``) a day worked in exchange for one."""
    _ensure_admin(acting_user)
    if Holiday.objects.filter(day=day).exists():
        raise DomainError(f"Ngày {day:%d/%m/%Y} đã có điều chỉnh trong lịch ngày nghỉ.")
    what = "ngày làm việc" if working else "ngày nghỉ"
    return audited_create(
        Holiday(day=day, name=name.strip(), working=working, source=Source.ADMIN),
        acting_user=acting_user,
        reason=f"Thêm {what} {day:%d/%m/%Y}",
        check_scope=False,
    )


def holiday_delete(*, holiday: Holiday, acting_user: ActingUser) -> None:
    _ensure_admin(acting_user)
    audited_delete(
        holiday, acting_user=acting_user, reason=f"Bỏ ngày nghỉ {holiday.day:%d/%m/%Y}", check_scope=False
    )


def retirement_override_set(
    *, person: Person, kind: str, year: int, month: int, basis: str, note: str = "", acting_user: ActingUser
) -> RetirementOverride:
    """Record (or replace) the retirement month the authority decided for ``person`` (H-5)."""
    current = RetirementOverride.objects.filter(person=person).first()
    fields = {"kind": kind, "year": year, "month": month, "basis": basis.strip(), "note": note.strip()}
    reason = f"Quyết định tuổi nghỉ hưu riêng: {basis.strip()}"
    if current is None:
        return audited_create(
            RetirementOverride(person=person, **fields), acting_user=acting_user, reason=reason
        )
    return audited_update(current, acting_user=acting_user, changes=fields, reason=reason)


def retirement_override_delete(*, override: RetirementOverride, acting_user: ActingUser, reason: str) -> None:
    audited_delete(override, acting_user=acting_user, reason=reason)


# -- recorded exceptions ---------------------------------------------------------------------

#: The one right to record an exception to any rule (given to a group or a user in the admin
#: site; superusers hold it). It is scoped: the recorder's grants must cover the subject's unit.
EXCEPTION_PERMISSION = "rules.record_rule_exception"


class ExceptionRightMissing(NotPermitted):
    """The user may see the subject but lacks the exception right over its unit: the refusal is
    said where he asked (400 with the reason), not hidden as a missing record."""

    status_code = 400
    code = "exception_right_missing"


def can_record_exception(user: Any, unit: Any | None = None) -> bool:
    """Whether ``user`` holds the exception right, and (given ``unit``) may change that unit."""
    from canbo.core.querysets import CHANGE
    from canbo.org.models import Unit

    if not (getattr(user, "is_authenticated", False) and user.has_perm(EXCEPTION_PERMISSION)):
        return False
    return unit is None or Unit.objects.restrict(user, CHANGE).filter(pk=unit.pk).exists()


def record_exception(
    *,
    acting_user: ActingUser,
    rule: str,
    subject: Any,
    unit: Any,
    reason: str,
    basis: str,
    person: Person | None = None,
    key: str = "",
    allowance: int | None = None,
    day: dt.date | None = None,
) -> Any:
    """Record (or, for the same rule, subject and key, replace) the exception that lets
    ``subject`` through ``rule``: reason and legal basis, by a user holding the right over
    ``unit`` (the system itself, ``acting_user=None``, records too: the demo seeding).
    The rule's version in force on ``day`` (today by default) is kept with it."""
    from django.contrib.contenttypes.models import ContentType

    from canbo.core.dates import today
    from canbo.rules.models import RuleException
    from canbo.rules.selectors import rulebook

    if acting_user is not None and not can_record_exception(acting_user, unit):
        raise ExceptionRightMissing(
            "Bạn không có quyền ghi ngoại lệ quy định cho đơn vị này (cần quyền ghi nhận ngoại lệ "
            "và phạm vi được giao bao gồm đơn vị)."
        )
    reason, basis = (reason or "").strip(), (basis or "").strip()
    if not reason or not basis:
        raise DomainError("Ngoại lệ phải ghi rõ lý do và căn cứ pháp lý.")
    if allowance is not None and allowance < 1:
        raise DomainError("Số lượng được vượt phải từ 1 trở lên.")
    rule = rule.strip()
    found = rulebook().find(rule, day or today()) if rule else None
    ct = ContentType.objects.get_for_model(type(subject), for_concrete_model=True)
    values = {
        "rule_version": found.version if found else None,
        "unit": unit,
        "person": person,
        "allowance": allowance,
        "reason": reason[:500],
        "basis": basis[:300],
        "recorded_by": logged_user(acting_user),
    }
    why = f"Ngoại lệ {rule}: {basis}"[:500]
    existing = RuleException.objects.filter(rule=rule, content_type=ct, object_id=subject.pk, key=key).first()
    if existing is not None:
        values["recorded_at"] = timezone.now()
        return audited_update(existing, changes=values, acting_user=acting_user, reason=why)
    return audited_create(
        RuleException(rule=rule, content_type=ct, object_id=subject.pk, key=key, **values),
        acting_user=acting_user,
        reason=why,
    )
