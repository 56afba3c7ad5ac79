"""Writes of the indicators app: definitions (from the repository file or an administrator's
form) and the plans' targets. Every write goes through the audited services (change log)."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from canbo.core.errors import DomainError
from canbo.core.services import audited_create, audited_update
from canbo.core.types import ActingUser
from canbo.indicators.models import IndicatorDefinition, IndicatorTarget
from canbo.indicators.spec import KINDS, SpecError, validate
from canbo.org.models import Unit
from canbo.plans.services import plan_ensure_seed

DATA_DIR = Path(__file__).resolve().parent / "data"
SPEC_KEYS = ("population", "numerator", "counted_for", "renewal", "compliance", "reference", "pending")
DEFINITION_KEYS = {"code", "version", "label", "kind", "note", *SPEC_KEYS}
TARGET_KEYS = {
    "row",
    "indicator",
    "version",
    "term",
    "content",
    "kind",
    "low",
    "high",
    "text",
    "note",
    "unit",
}


def read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DomainError(f"Không đọc được tệp {path.name}: {exc}") from exc


def definition_fields(entry: dict[str, Any], where: str) -> dict[str, Any]:
    """Model fields of one ``[[indicator]]`` entry, checked (unknown keys, spec)."""
    unknown = set(entry) - DEFINITION_KEYS
    if unknown:
        raise DomainError(f"{where}: không có khóa {', '.join(sorted(unknown))}.")
    for key in ("code", "label", "kind"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise DomainError(f"{where}: thiếu “{key}”.")
    version = entry.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DomainError(f"{where}: “version” phải là số nguyên dương.")
    spec = {k: entry[k] for k in SPEC_KEYS if k in entry}
    try:
        validate(entry["kind"], spec)
    except SpecError as exc:
        raise DomainError(f"{where} ({entry['code']}): " + " ".join(exc.messages)) from exc
    return {
        "code": entry["code"],
        "version": version,
        "label": entry["label"],
        "kind": entry["kind"],
        "spec": spec,
        "note": entry.get("note", ""),
    }


def definitions_load(*, acting_user: ActingUser = None, path: Path | None = None) -> dict[str, int]:
    """Load ``data/indicators.toml``: create the versions not yet in the database.

    Idempotent. A loaded version whose content changed in the file is refused: a change to a
    definition must be a new version, so older figures stay reproducible.
    """
    data = read_toml(path or DATA_DIR / "indicators.toml")
    entries = data.get("indicator", [])
    counts = {"created": 0, "unchanged": 0}
    with transaction.atomic():
        for i, entry in enumerate(entries, 1):
            fields = definition_fields(entry, f"Chỉ tiêu thứ {i}")
            existing = IndicatorDefinition.objects.filter(
                code=fields["code"], version=fields["version"]
            ).first()
            if existing is None:
                audited_create(
                    IndicatorDefinition(source=IndicatorDefinition.Source.REPOSITORY, **fields),
                    acting_user=acting_user,
                    reason="Nạp định nghĩa chỉ tiêu từ tệp",
                )
                counts["created"] += 1
            elif (existing.label, existing.kind, existing.spec) != (
                fields["label"],
                fields["kind"],
                fields["spec"],
            ):
                raise DomainError(
                    f"Chỉ tiêu “{fields['code']}” phiên bản {fields['version']} đã nạp với nội dung khác; "
                    "sửa định nghĩa thì tăng số phiên bản."
                )
            else:
                counts["unchanged"] += 1
    return counts


def latest(code: str) -> IndicatorDefinition | None:
    return IndicatorDefinition.objects.filter(code=code).order_by("-version").first()


def _ratio(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DomainError(f"{where}: tỷ lệ phải là số từ 0 đến 1.")
    return Decimal(str(value))


def targets_load(*, acting_user: ActingUser = None, path: Path | None = None) -> dict[str, int]:
    """Load ``data/targets.toml``: the seed plans (created kept by the tree's root unit when
    absent, via ``plans.services.plan_ensure_seed``) and all their targets. Idempotent: a target
    (plan, row, term, unit) already present is updated when the file changed."""
    data = read_toml(path or DATA_DIR / "targets.toml")
    counts = {"plans": 0, "created": 0, "updated": 0, "unchanged": 0}
    root = Unit.objects.get_root_nodes().first()
    if root is None:
        raise DomainError("Chưa có cây đơn vị: tạo đơn vị gốc (tỉnh) trước khi nạp kế hoạch và mục tiêu.")
    with transaction.atomic():
        for p in data.get("plan", []):
            plan = plan_ensure_seed(p["code"], unit=root, acting_user=acting_user)
            counts["plans"] += 1
            for order, t in enumerate(p.get("target", []), 1):
                where = f"Kế hoạch {p['code']}, mục tiêu {t.get('row', order)}"
                unknown = set(t) - TARGET_KEYS
                if unknown:
                    raise DomainError(f"{where}: không có khóa {', '.join(sorted(unknown))}.")
                definition = (
                    IndicatorDefinition.objects.filter(code=t["indicator"], version=t["version"]).first()
                    if "version" in t
                    else latest(t["indicator"])
                )
                if definition is None:
                    raise DomainError(
                        f"{where}: chưa có chỉ tiêu “{t['indicator']}” (chạy nạp định nghĩa trước)."
                    )
                unit = None
                if t.get("unit"):
                    unit = Unit.objects.filter(code=t["unit"]).first()
                    if unit is None:
                        raise DomainError(f"{where}: không có đơn vị mã “{t['unit']}”.")
                values = {
                    "definition": definition,
                    "order": order,
                    "content": t["content"],
                    "kind": t["kind"],
                    "low": _ratio(t.get("low"), where),
                    "high": _ratio(t.get("high"), where),
                    "text": t["text"],
                    "note": t.get("note", ""),
                }
                existing = IndicatorTarget.objects.filter(
                    plan=plan, row=t["row"], term=t["term"], unit=unit
                ).first()
                try:
                    if existing is None:
                        audited_create(
                            IndicatorTarget(plan=plan, row=t["row"], term=t["term"], unit=unit, **values),
                            acting_user=acting_user,
                            reason=f"Nạp mục tiêu của {plan.number}",
                        )
                        counts["created"] += 1
                    elif any(getattr(existing, k) != v for k, v in values.items()):
                        audited_update(
                            existing,
                            acting_user=acting_user,
                            changes=values,
                            reason=f"Nạp lại mục tiêu của {plan.number}",
                        )
                        counts["updated"] += 1
                    else:
                        counts["unchanged"] += 1
                except ValidationError as exc:
                    raise DomainError(f"{where}: {' '.join(exc.messages)}") from exc
    return counts


def definition_create(
    *, acting_user: ActingUser, code: str, label: str, kind: str, spec: dict[str, Any], note: str = ""
) -> IndicatorDefinition:
    """An administrator's new definition (or new version of an existing code)."""
    if kind not in KINDS:
        raise DomainError(f"Loại chỉ tiêu “{kind}” không có.")
    try:
        validate(kind, spec)
    except SpecError as exc:
        raise DomainError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        previous = latest(code)
        return audited_create(
            IndicatorDefinition(
                code=code,
                version=(previous.version + 1) if previous else 1,
                label=label,
                kind=kind,
                spec=spec,
                note=note,
                source=IndicatorDefinition.Source.ADMIN,
            ),
            acting_user=acting_user,
            reason="Quản trị viên thêm định nghĩa chỉ tiêu",
        )
