"""An indicator definition in words, for a personnel officer (the definitions page).

``describe(kind, spec)`` turns the ``spec`` that ``spec.validate`` accepts into Vietnamese
sentences: who is counted (the population, mẫu số), the condition (tử số), the levels it is
counted for, and the kind-specific parts. Codes become the labels of their choices; nothing on
screen is a key or a Python value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from canbo.careers.models import BodyKind
from canbo.org.choices import Block, Level, ManagementScope, TitleGroup, UnitKind
from canbo.people.choices import QUALIFICATION_LEVELS, Category, QualificationKind, Sex
from canbo.planning.models import PlanningKind

BODIES = {
    BodyKind.PARTY_COMMITTEE: "cấp ủy",
    BodyKind.STANDING_COMMITTEE: "Ban Thường vụ cấp ủy",
    BodyKind.PEOPLES_COUNCIL: "Hội đồng nhân dân (đại biểu)",
    BodyKind.MASS_ORGANISATION: "tổ chức chính trị – xã hội",
}


@dataclass(frozen=True)
class Line:
    label: str
    text: str


def _labels(choices: Any, codes: list[str], lower: bool = False) -> str:
    names = dict(choices.choices)
    out = [str(names.get(c, c)) for c in codes]
    if lower:
        out = [o[:1].lower() + o[1:] for o in out]
    if len(out) > 1:
        return ", ".join(out[:-1]) + " hoặc " + out[-1]
    return out[0] if out else ""


def _levels(codes: list[str]) -> str:
    return _labels(Level, codes, lower=True)


def _qualification(q: dict[str, Any]) -> str:
    kind = str(dict(QualificationKind.choices).get(q["kind"], q["kind"])).lower()
    levels = [label for _c, label, rank in QUALIFICATION_LEVELS.get(q["kind"], []) if rank == q["min_rank"]]
    level = levels[0] if levels else f"thứ bậc {q['min_rank']}"
    return f"có trình độ {kind} từ {level} trở lên (văn bằng, chứng chỉ được cấp đến ngày tính)"


def _ethnicity(code: str) -> str:
    if code == "kinh":
        return "là người dân tộc Kinh"
    if code == "thieu_so":
        return "là người dân tộc thiểu số"
    from canbo.people.models import Ethnicity

    name = Ethnicity.objects.filter(code=code).values_list("name", flat=True).first()
    return f"là người dân tộc {name or code}"


def condition(num: dict[str, Any] | None) -> str:
    """A numerator condition in words ("dưới 40 tuổi và là nữ")."""
    if not num:
        return ""
    parts = []
    if "age_below" in num:
        parts.append(f"dưới {num['age_below']} tuổi (tròn năm, tại ngày tính)")
    if "age_at_least" in num:
        parts.append(f"từ {num['age_at_least']} tuổi trở lên (tại ngày tính)")
    if "sex" in num:
        parts.append(f"là {str(dict(Sex.choices).get(num['sex'], num['sex'])).lower()}")
    if "ethnicity" in num:
        parts.append(_ethnicity(num["ethnicity"]))
    if "qualification" in num:
        quals = num["qualification"]
        parts.extend(_qualification(q) for q in (quals if isinstance(quals, list) else [quals]))
    if "non_local" in num:
        parts.append(
            "không là người địa phương (quê quán không thuộc địa bàn của đơn vị)"
            if num["non_local"]
            else "là người địa phương"
        )
    if "party_member" in num:
        parts.append(
            "là đảng viên tại ngày tính" if num["party_member"] else "không là đảng viên tại ngày tính"
        )
    return " và ".join(parts)


def _titles(pop: dict[str, Any]) -> str:
    """The title keys of a population (or of one ``any`` alternative) in words."""
    parts = []
    if "title_group" in pop:
        parts.append(_labels(TitleGroup, pop["title_group"]))
    if pop.get("is_key"):
        parts.append("chức danh chủ chốt")
    if pop.get("is_leader") is True and "title_group" not in pop:
        parts.append("lãnh đạo, quản lý")
    if pop.get("is_leader") is False:
        parts.append("không giữ chức vụ lãnh đạo")
    if "title_level" in pop:
        where = "ở " + _levels(pop["title_level"])
        parts = [f"{parts[-1]} {where}"] if parts and len(parts) == 1 else [*parts, where]
    if "title_block" in pop:
        parts.append("khối " + _labels(Block, pop["title_block"]))
    if "exclude_title_block" in pop:
        parts.append("trừ khối " + _labels(Block, pop["exclude_title_block"]))
    if "management_scope" in pop:
        parts.append("diện " + _labels(ManagementScope, pop["management_scope"]))
    text = ", ".join(parts)
    if pop.get("any"):
        alternatives = "; hoặc ".join(_titles(sub) for sub in pop["any"])
        text = f"{text}; " if text else ""
        text += alternatives
    return text


def population(pop: dict[str, Any]) -> str:
    """The population (mẫu số) in words."""
    source = pop.get("source")
    if source == "tenure":
        text = "Người đang giữ chức vụ (chức vụ chính) tại ngày tính"
        titles = _titles(pop)
        if titles:
            text += f": {titles}"
        if "unit_kind" in pop:
            text += f"; tại {_labels(UnitKind, pop['unit_kind'], lower=True)}"
    elif source == "membership":
        bodies = [BODIES.get(b, b) for b in pop.get("body_kind", [])]
        text = "Thành viên " + (
            ", ".join(bodies[:-1]) + " hoặc " + bodies[-1] if len(bodies) > 1 else bodies[0]
        )
        if "body_level" in pop:
            text += " " + _levels(pop["body_level"])
        text += " tại ngày tính"
    elif source == "planning":
        text = "Người đang trong danh sách quy hoạch tại ngày tính"
        if "list_kind" in pop:
            text += f" (quy hoạch {_labels(PlanningKind, pop['list_kind'], lower=True)})"
        titles = _titles(pop)
        if titles:
            text += f", quy hoạch chức danh: {titles}"
    elif source == "unit":
        text = "Các đơn vị đang hoạt động tại ngày tính"
        if "unit_kind" in pop:
            text += ": " + _labels(UnitKind, pop["unit_kind"], lower=True)
        if "unit_level" in pop:
            text += ", " + _levels(pop["unit_level"])
    else:
        return ""
    if "category" in pop:
        text += f"; đối tượng {_labels(Category, pop['category'], lower=True)}"
    if pop.get("where"):
        text += f"; chỉ tính người {condition(pop['where'])}"
    return text + "."


def describe(kind: str, spec: dict[str, Any]) -> list[Line]:
    """The definition as labelled Vietnamese sentences, in the order an officer reads them."""
    lines: list[Line] = []
    pop = spec.get("population")
    if isinstance(pop, dict):
        lines.append(Line("Tổng số (mẫu số)", population(pop)))
    if kind == "unit_compliance":
        comp = spec.get("compliance") or {}
        if "planning_list" in comp:
            pl = comp["planning_list"]
            lines.append(
                Line(
                    "Đơn vị đạt (tử số)",
                    "Đơn vị có danh sách quy hoạch có người tại ngày tính, và mỗi danh sách của đơn vị "
                    f"có ít nhất {pl.get('min_per_title', 1)} người cho mỗi chức danh quy hoạch, "
                    f"từ {_pct(pl.get('young_share', 0))} người trẻ (dưới 45 tuổi với cấp Trung ương, "
                    f"dưới 40 tuổi với các cấp khác) và từ {_pct(pl.get('women_share', 0))} nữ.",
                )
            )
        elif comp:
            lines.append(
                Line(
                    "Đơn vị thuộc diện (mẫu số)",
                    f"Đơn vị có từ {_pct(comp['min_share'])} số người trong tổng số "
                    f"{condition(comp['eligible'])}.",
                )
            )
            lines.append(
                Line(
                    "Đơn vị đạt (tử số)", f"Đơn vị thuộc diện có người lãnh đạo {condition(comp['leader'])}."
                )
            )
    elif kind == "renewal":
        years = spec.get("renewal", {}).get("previous_years")
        text = f"Người không là thành viên của chính cơ quan đó {years} năm trước ngày tính (nhiệm kỳ trước)"
        if spec.get("numerator"):
            text += f", đồng thời {condition(spec['numerator'])}"
        lines.append(Line("Điều kiện (tử số)", text + "."))
    elif spec.get("numerator"):
        lines.append(Line("Điều kiện (tử số)", "Người " + condition(spec["numerator"]) + "."))
    if kind == "share" or kind == "renewal":
        lines.append(Line("Cách tính", "Tỷ lệ = số người đạt điều kiện / tổng số; mỗi người tính một lần."))
    elif kind == "exists":
        lines.append(Line("Cách tính", "Đạt khi có ít nhất một người trong tổng số đạt điều kiện."))
    elif kind == "unit_compliance":
        lines.append(Line("Cách tính", "Tỷ lệ = số đơn vị đạt / số đơn vị thuộc diện."))
    elif kind == "proportional":
        lines.append(
            Line(
                "Cách tính",
                "Tỷ lệ số người đạt điều kiện / tổng số, so với: "
                + str(spec.get("reference") or "cơ cấu dân số địa phương")
                + ".",
            )
        )
    if spec.get("counted_for"):
        lines.append(
            Line(
                "Tính khi có đơn vị",
                _first_upper(_levels(spec["counted_for"]))
                + " (không có đơn vị cấp này tại ngày tính thì để trống, không ghi 0%).",
            )
        )
    if spec.get("pending"):
        lines.append(Line("Chưa tính được", str(spec["pending"])))
    return lines


def _pct(share: Any) -> str:
    value = round(float(share) * 100, 2)
    return (f"{value:g}").replace(".", ",") + "%"


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]
