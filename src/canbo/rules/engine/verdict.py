"""The explained verdict: every rule applied, with its version, basis, facts and reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from canbo.rules.engine.rulebook import RuleVersion

PASS = "pass"  # noqa: S105 (a verdict status, not a password)
FAIL = "fail"
WARN = "warn"
CANNOT = "cannot_decide"
NOT_APPLICABLE = "not_applicable"

OUTCOME_LABELS = {
    PASS: "Đạt",
    FAIL: "Không đạt",
    WARN: "Lưu ý",
    CANNOT: "Chưa đủ dữ liệu",
    NOT_APPLICABLE: "Không áp dụng",
}
# The verdict as a whole, after "Kết luận:" (never "Kết luận: Chưa đủ dữ liệu để kết luận").
CONCLUSION_LABELS = {**OUTCOME_LABELS, CANNOT: "Chưa kết luận được vì còn thiếu dữ liệu"}


@dataclass(frozen=True)
class FactUsed:
    """One input or computed value a rule relied on, with its date when it has one."""

    label: str
    value: str
    date: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "value": self.value,
            "date": self.date.isoformat() if self.date else None,
        }


@dataclass(frozen=True)
class RuleResult:
    rule_id: str
    version: int | None
    name: str
    basis: str
    confidence: str
    outcome: str
    message: str
    facts: tuple[FactUsed, ...] = ()
    threshold: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    uses_default: bool = False

    @property
    def label(self) -> str:
        return f"{self.rule_id} v{self.version}" if self.version else self.rule_id

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "version": self.version,
            "name": self.name,
            "basis": self.basis,
            "confidence": self.confidence,
            "uses_default": self.uses_default,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "outcome": self.outcome,
            "message": self.message,
            "threshold": self.threshold,
            "facts": [f.to_dict() for f in self.facts],
        }


def result(
    version: RuleVersion,
    outcome: str,
    message: str,
    facts: list[FactUsed] | tuple[FactUsed, ...] = (),
    threshold: str = "",
) -> RuleResult:
    """A rule result citing ``version``."""
    return RuleResult(
        rule_id=version.rule_id,
        version=version.version,
        name=version.name,
        basis=version.basis,
        confidence=version.confidence,
        outcome=outcome,
        message=message,
        facts=tuple(facts),
        threshold=threshold,
        valid_from=version.valid_from,
        valid_to=version.valid_to,
        uses_default=version.uses_defaults,
    )


def missing_version(rule_id: str, name: str, day: dt.date, outcome: str = NOT_APPLICABLE) -> RuleResult:
    """A rule with no version in force on the event date: said so, never silently skipped."""
    return RuleResult(
        rule_id=rule_id,
        version=None,
        name=name,
        basis="",
        confidence="",
        outcome=outcome,
        message=f"Quy định {rule_id} không có phiên bản áp dụng cho ngày {day:%d/%m/%Y}.",
    )


# The words of the counts next to the conclusion ("2 chưa đủ dữ liệu"), shorter than the outcome
# labels so that "Chưa đủ dữ liệu để kết luận" is never said twice in a row.
COUNT_LABELS = {
    PASS: "đạt",
    FAIL: "không đạt",
    WARN: "cần lưu ý",
    CANNOT: "chưa đủ dữ liệu",
    NOT_APPLICABLE: "không áp dụng",
}

SEVERITY = {FAIL: 4, CANNOT: 3, WARN: 2, PASS: 1, NOT_APPLICABLE: 0}


@dataclass
class Verdict:
    """The answer to "is X eligible for Y at date D?" with every rule applied."""

    purpose: str
    purpose_label: str
    event_date: dt.date
    event_date_note: str
    person_id: int | None
    person_name: str
    title_code: str
    title_name: str
    results: list[RuleResult] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """fail if any rule fails; else cannot_decide if any cannot; else warn; else pass."""
        if not self.results:
            return CANNOT
        worst = max(self.results, key=lambda r: SEVERITY[r.outcome]).outcome
        return PASS if worst == NOT_APPLICABLE else worst

    @property
    def outcome_label(self) -> str:
        return CONCLUSION_LABELS[self.outcome]

    @property
    def flags(self) -> list[str]:
        """Rules resting on secondary or unconfirmed content (RULES.md §13: never silent)."""
        return [r.label for r in self.results if r.uses_default and r.outcome != NOT_APPLICABLE]

    @property
    def counts_text(self) -> str:
        """How many rules gave each outcome ("1 không đạt, 2 chưa đủ dữ liệu, 5 đạt"), without
        repeating the conclusion it sits next to."""
        counts = {k: sum(1 for r in self.results if r.outcome == k) for k in SEVERITY}
        parts = [f"{counts[k]} {COUNT_LABELS[k]}" for k in (FAIL, CANNOT, WARN, PASS) if counts[k]]
        return ", ".join(parts)

    @property
    def summary(self) -> str:
        """The conclusion and the counts in one sentence (messages, API)."""
        counts = self.counts_text
        return f"{self.outcome_label} ({counts})." if counts else f"{self.outcome_label}."

    def to_dict(self) -> dict[str, Any]:
        return {
            "purpose": self.purpose,
            "event_date": self.event_date.isoformat(),
            "event_date_note": self.event_date_note,
            "person": {"id": self.person_id, "name": self.person_name},
            "title": {"code": self.title_code, "name": self.title_name},
            "outcome": self.outcome,
            "summary": self.summary,
            "flags": self.flags,
            "rules": [r.to_dict() for r in self.results],
        }
