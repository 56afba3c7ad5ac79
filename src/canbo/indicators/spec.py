"""The language of indicator definitions: what a definition's ``spec`` may say, and its checks.

A definition is data (``data/indicators.toml`` in the repository, or a form for administrators):
a kind (INDICATORS.md §1), a population, a numerator condition and the levels of the units it
is counted for. ``validate`` refuses unknown keys and wrong values with Vietnamese messages, so
a definition that loads is one the engine can compute.

Population (``population``):
  source = "tenure"       people holding a primary post on the date (careers.Tenure)
      title_level, title_group, title_block, exclude_title_block, management_scope, unit_kind,
      category: lists of codes; is_leader, is_key: true/false
  source = "membership"   people who are members of a body on the date (careers.BodyMembership)
      body_kind, body_level: lists of codes
  source = "planning"     people in a planning list on the date (planning.PlanningEntry), by the
      title they are planned for: the title keys of "tenure", list_kind (cấp ủy / lãnh đạo, quản
      lý), category; counted in the subtree of the unit keeping the list
  source = "unit"         units in force on the date (unit_compliance only): unit_kind, unit_level
  "tenure" and "planning" may give ``any``: a list of tables of title keys, any of which the
  title meets (e.g. provincial department leaders OR district key posts).
  Any source but "unit" may add ``where``: a condition (the numerator's keys) the people of the
  population meet, e.g. { age_below = 35 } for "planned people under 35".

Numerator (``numerator``), all conditions combined with AND, read as of the date:
  age_below, age_at_least: whole years; sex: "nam"/"nu"; ethnicity: "kinh", "thieu_so" or a
  code; qualification: {kind, min_rank} or a list of them, all required (obtained by the date);
  non_local: true (RULES.md K-3,
  home town is neither the unit's area nor one of its sub-areas); party_member: true/false.

Kind-specific keys: ``renewal.previous_years`` (members on the date who were not members of the
same body that many years earlier); ``compliance`` for unit_compliance ({staff condition
``eligible`` with ``min_share``, ``leader`` condition}, or for a population of units
``planning_list`` {``min_per_title``, ``young_share``, ``women_share``}: the unit keeps a planning
list in force on the date, and each of its lists has at least ``min_per_title`` people for every
title planned and the P-6 structure shares); ``reference`` for proportional (the
population structure it is compared with). ``pending`` (a reason) marks a definition whose data
CanBo does not hold yet: it is stored and shown as "chưa tính được".
"""

from __future__ import annotations

from typing import Any

from canbo.careers.models import BodyKind
from canbo.org.choices import Block, Level, ManagementScope, TitleGroup, UnitKind
from canbo.people.choices import QUALIFICATION_LEVELS, Category, QualificationKind, Sex
from canbo.planning.models import PlanningKind

KINDS = {
    "share": "Tỷ lệ",
    "exists": "Có ít nhất một người",
    "renewal": "Tỷ lệ đổi mới",
    "unit_compliance": "Tỷ lệ đơn vị đạt",
    "proportional": "Tương xứng cơ cấu dân số",
}

LIST_KEYS: dict[str, tuple[str, list[str]]] = {
    "title_level": ("cấp của chức danh", list(Level.values)),
    "title_group": ("nhóm chức danh", list(TitleGroup.values)),
    "title_block": ("khối của chức danh", list(Block.values)),
    "exclude_title_block": ("khối loại trừ", list(Block.values)),
    "management_scope": ("diện quản lý", list(ManagementScope.values)),
    "unit_kind": ("loại đơn vị", list(UnitKind.values)),
    "category": ("đối tượng", list(Category.values)),
    "body_kind": ("loại cơ quan", list(BodyKind.values)),
    "body_level": ("cấp của cơ quan", list(Level.values)),
    "list_kind": ("loại danh sách quy hoạch", list(PlanningKind.values)),
    "unit_level": ("cấp của đơn vị", list(Level.values)),
    "counted_for": ("cấp của đơn vị được tính", list(Level.values)),
}
TENURE_KEYS = {
    "title_level",
    "title_group",
    "title_block",
    "exclude_title_block",
    "management_scope",
    "unit_kind",
    "category",
    "is_leader",
    "is_key",
}
MEMBERSHIP_KEYS = {"body_kind", "body_level", "category"}
PLANNING_KEYS = (TENURE_KEYS - {"unit_kind"}) | {"list_kind"}
UNIT_KEYS = {"unit_kind", "unit_level"}
SOURCES = {
    "tenure": ("giữ chức vụ", TENURE_KEYS),
    "membership": ("thành viên cơ quan", MEMBERSHIP_KEYS),
    "planning": ("trong danh sách quy hoạch", PLANNING_KEYS),
    "unit": ("đơn vị", UNIT_KEYS),
}
PLANNING_COMPLIANCE_KEYS = {"min_per_title", "young_share", "women_share"}
NUMERATOR_KEYS = {
    "age_below",
    "age_at_least",
    "sex",
    "ethnicity",
    "qualification",
    "non_local",
    "party_member",
}
TOP_KEYS = {"population", "numerator", "counted_for", "renewal", "compliance", "reference", "pending"}


class SpecError(ValueError):
    """A definition that cannot be computed; ``messages`` are Vietnamese, one per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _unknown(where: str, keys: set[str], allowed: set[str], errors: list[str]) -> None:
    errors.extend(
        f"{where}: không có khóa “{key}” (dùng được: {', '.join(sorted(allowed))})."
        for key in sorted(keys - allowed)
    )


def _codes(where: str, key: str, value: Any, errors: list[str]) -> None:
    label, allowed = LIST_KEYS[key]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        errors.append(f"{where}.{key} ({label}): phải là danh sách mã, không rỗng.")
        return
    errors.extend(
        f"{where}.{key} ({label}): không có mã “{v}” (dùng được: {', '.join(allowed)})."
        for v in value
        if v not in allowed
    )


def _bool(where: str, value: Any, errors: list[str]) -> None:
    if not isinstance(value, bool):
        errors.append(f"{where}: phải là true hoặc false.")


def _years(where: str, value: Any, errors: list[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        errors.append(f"{where}: phải là số năm nguyên từ 1 đến 100.")


def _population(where: str, pop: Any, errors: list[str]) -> None:
    if not isinstance(pop, dict):
        errors.append(f"{where}: thiếu hoặc sai dạng (cần một bảng khóa – giá trị).")
        return
    source = pop.get("source")
    if source not in SOURCES:
        errors.append(
            f"{where}.source: phải là "
            + ", ".join(f"“{code}” ({label})" for code, (label, _k) in SOURCES.items())
            + "."
        )
        return
    allowed = SOURCES[source][1] | ({"where"} if source != "unit" else set())
    if source in ("tenure", "planning"):
        allowed |= {"any"}
    _unknown(where, set(pop) - {"source"}, allowed, errors)
    for key, value in pop.items():
        if key == "source" or key not in allowed:
            continue
        if key in ("is_leader", "is_key"):
            _bool(f"{where}.{key}", value, errors)
        elif key == "where":
            _numerator(f"{where}.where", value, errors)
        elif key == "any":
            _any(f"{where}.any", value, errors)
        else:
            _codes(where, key, value, errors)
    if source == "membership" and "body_kind" not in pop:
        errors.append(f"{where}: cần “body_kind” (loại cơ quan: cấp ủy, HĐND…).")


def _numerator(where: str, num: Any, errors: list[str], *, required: bool = True) -> None:
    if num is None and not required:
        return
    if not isinstance(num, dict) or not num:
        errors.append(f"{where}: thiếu điều kiện (cần ít nhất một điều kiện).")
        return
    _unknown(where, set(num), NUMERATOR_KEYS, errors)
    for key in ("age_below", "age_at_least"):
        if key in num:
            _years(f"{where}.{key}", num[key], errors)
    if "sex" in num and num["sex"] not in Sex.values:
        errors.append(f"{where}.sex: phải là một trong {', '.join(Sex.values)}.")
    if "ethnicity" in num and (not isinstance(num["ethnicity"], str) or not num["ethnicity"]):
        errors.append(f"{where}.ethnicity: ghi “kinh”, “thieu_so” hoặc mã dân tộc.")
    for key in ("non_local", "party_member"):
        if key in num:
            _bool(f"{where}.{key}", num[key], errors)
    if "qualification" in num:
        quals = num["qualification"]
        for i, q in enumerate(quals if isinstance(quals, list) else [quals]):
            _qualification(
                f"{where}.qualification" + (f"[{i}]" if isinstance(quals, list) else ""), q, errors
            )


def _qualification(where: str, q: Any, errors: list[str]) -> None:
    if not isinstance(q, dict) or set(q) != {"kind", "min_rank"}:
        errors.append(f"{where}: cần đúng hai khóa “kind” và “min_rank”.")
    elif q["kind"] not in QualificationKind.values:
        errors.append(
            f"{where}.kind: không có loại trình độ “{q['kind']}” "
            f"(dùng được: {', '.join(QualificationKind.values)})."
        )
    else:
        ranks = sorted({rank for _c, _l, rank in QUALIFICATION_LEVELS[q["kind"]]})
        if q["min_rank"] not in ranks:
            errors.append(
                f"{where}.min_rank: {q['min_rank']} không phải thứ bậc của loại “{q['kind']}” "
                f"(có: {', '.join(str(r) for r in ranks)})."
            )


def _any(where: str, value: Any, errors: list[str]) -> None:
    title_keys = {"title_level", "title_group", "title_block", "exclude_title_block", "management_scope"}
    title_keys |= {"is_leader", "is_key"}
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) and v for v in value):
        errors.append(f"{where}: phải là danh sách các bảng điều kiện chức danh, không rỗng.")
        return
    for i, sub in enumerate(value):
        _unknown(f"{where}[{i}]", set(sub), title_keys, errors)
        for key, v in sub.items():
            if key in ("is_leader", "is_key"):
                _bool(f"{where}[{i}].{key}", v, errors)
            elif key in title_keys:
                _codes(f"{where}[{i}]", key, v, errors)


def _planning_compliance(comp: Any, errors: list[str]) -> None:
    """``compliance`` of a population of units: ``{planning_list = {…}}``."""
    if not isinstance(comp, dict) or set(comp) != {"planning_list"}:
        errors.append("compliance: với tổng thể là đơn vị, cần đúng khóa “planning_list”.")
        return
    pl = comp["planning_list"]
    if not isinstance(pl, dict):
        errors.append("compliance.planning_list: cần một bảng khóa – giá trị.")
        return
    _unknown("compliance.planning_list", set(pl), PLANNING_COMPLIANCE_KEYS, errors)
    n = pl.get("min_per_title", 1)
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 10:
        errors.append(
            "compliance.planning_list.min_per_title: số người tối thiểu mỗi chức danh, từ 1 đến 10."
        )
    for key in ("young_share", "women_share"):
        share = pl.get(key, 0)
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
            errors.append(f"compliance.planning_list.{key}: phải là tỷ lệ từ 0 đến 1, ví dụ 0.15.")


def validate(kind: str, spec: Any) -> dict[str, Any]:
    """Return ``spec`` if the engine can compute it; raise SpecError with every problem."""
    errors: list[str] = []
    if kind not in KINDS:
        raise SpecError([f"Loại chỉ tiêu “{kind}” không có (dùng được: {', '.join(KINDS)})."])
    if not isinstance(spec, dict):
        raise SpecError(["Định nghĩa phải là một bảng khóa – giá trị."])
    _unknown("Định nghĩa", set(spec), TOP_KEYS, errors)
    if "pending" in spec and (not isinstance(spec["pending"], str) or not spec["pending"].strip()):
        errors.append("pending: ghi lý do chưa tính được (văn bản).")
    if "counted_for" in spec:
        _codes("Định nghĩa", "counted_for", spec["counted_for"], errors)
    pending = "pending" in spec
    if not pending or "population" in spec:
        _population("population", spec.get("population"), errors)
    if kind == "unit_compliance":
        comp = spec.get("compliance")
        units = isinstance(spec.get("population"), dict) and spec["population"].get("source") == "unit"
        if units:
            _planning_compliance(comp, errors)
        elif not isinstance(comp, dict):
            if not pending:
                errors.append("compliance: cần điều kiện đơn vị đạt (eligible, min_share, leader).")
        else:
            _unknown("compliance", set(comp), {"eligible", "min_share", "leader"}, errors)
            _numerator("compliance.eligible", comp.get("eligible"), errors)
            _numerator("compliance.leader", comp.get("leader"), errors)
            share = comp.get("min_share")
            if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
                errors.append("compliance.min_share: phải là tỷ lệ trong khoảng (0, 1], ví dụ 0.3.")
        if spec.get("numerator") is not None:
            errors.append("numerator: loại “unit_compliance” dùng compliance.leader, không dùng numerator.")
    elif kind == "renewal":
        _numerator("numerator", spec.get("numerator"), errors, required=False)
        ren = spec.get("renewal")
        if not isinstance(ren, dict) or set(ren) != {"previous_years"}:
            errors.append("renewal: cần đúng khóa “previous_years” (số năm của nhiệm kỳ trước).")
        else:
            _years("renewal.previous_years", ren["previous_years"], errors)
        if isinstance(spec.get("population"), dict) and spec["population"].get("source") != "membership":
            errors.append("population.source: chỉ tiêu đổi mới tính trên “membership” (thành viên cơ quan).")
    else:
        _numerator("numerator", spec.get("numerator"), errors, required=not pending)
    if (
        kind != "unit_compliance"
        and isinstance(spec.get("population"), dict)
        and spec["population"].get("source") == "unit"
    ):
        errors.append("population.source: “unit” (đơn vị) chỉ dùng cho loại “unit_compliance”.")
    if kind == "proportional" and "reference" in spec and not isinstance(spec["reference"], str):
        errors.append("reference: ghi nguồn cơ cấu dân số để so sánh (văn bản).")
    if errors:
        raise SpecError(errors)
    return spec
