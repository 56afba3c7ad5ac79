"""The change log as a personnel officer reads it: the form's labels and the page's values.

``ObjectChange`` keeps JSON snapshots keyed by column (``managing_unit_id``, ``birth_date`` as
ISO text, ``False``); ``describe_changes`` turns a page of entries into rows of
(label, before, after) for every history display (a person's history, a unit's history):

- the field's ``verbose_name`` ("Chuyên ngành", not ``field_of_study``);
- internal fields are left out: those not editable in a form (``sort_key``, ``search_name``,
  ``level_rank``, ``row_version`` …), the primary key, and what a model lists in
  ``history_hidden`` (the unit tree's ``path``, ``depth``, ``numchild``);
- values as pages show them: dates dd/mm/yyyy, a date with its ``*_precision`` sibling as it was
  entered ("1975", "03/1980"), Có/Không, choice labels, decimals with a comma, and foreign keys
  by their display name (a model may provide ``history_labels(ids)``, as ``Unit`` does to give
  each unit with its path), and a model's ``history_value(field, value, snapshot)`` may show a
  value its own way (a qualification's level code as its label). Foreign keys are read with
  one query per related model for the whole page, whatever the number of entries.

Core knows no app: the hooks are class attributes the models declare.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst

from canbo.core.dates import format_partial_date
from canbo.core.models import ObjectChange

TREE_FIELDS = ("path", "depth", "numchild")


@dataclass(frozen=True)
class FieldChange:
    """One changed field of an entry, as shown: label, value before, value after."""

    label: str
    before: str
    after: str


def _hidden(model: type[models.Model]) -> set[str]:
    return {*getattr(model, "audit_exclude", ()), *getattr(model, "history_hidden", ())}


def _shown_fields(model: type[models.Model]) -> list[models.Field]:
    """The model's fields a history shows, in the model's order."""
    hidden = _hidden(model)
    out = []
    for f in model._meta.concrete_fields:
        if f.primary_key or not f.editable or f.name in hidden:
            continue
        if f.name.endswith("_precision") and f"{f.name[: -len('_precision')]}_date" in _names(model):
            continue  # shown with its date
        out.append(f)
    return out


def _names(model: type[models.Model]) -> set[str]:
    return {f.name for f in model._meta.concrete_fields}


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _format(field: models.Field, value: Any, data: dict[str, Any], labels: dict[Any, str]) -> str:
    """A field's stored JSON value as the page shows it."""
    if value is None or value == "":
        return ""
    hook = getattr(field.model, "history_value", None)
    if hook is not None:
        shown = hook(field.name, value, data)
        if shown is not None:
            return str(shown)
    if field.is_relation:
        return labels.get(value, f"(đã xóa, mã {value})")
    if field.choices:
        choices = {str(k): str(v) for k, v in field.flatchoices}
        return choices.get(str(value), str(value))
    if isinstance(field, models.BooleanField):
        return "Có" if value else "Không"
    if isinstance(field, models.DateTimeField):
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return f"{moment:%d/%m/%Y %H:%M}"
    if isinstance(field, models.DateField):
        day = _date(value)
        if day is None:
            return str(value)
        prefix = field.name[: -len("_date")] if field.name.endswith("_date") else None
        precision = data.get(f"{prefix}_precision") if prefix else None
        return format_partial_date(day, precision) if precision else f"{day:%d/%m/%Y}"
    if isinstance(field, models.DecimalField | models.FloatField):
        try:
            return formats.number_format(decimal.Decimal(str(value)), use_l10n=True)
        except (decimal.InvalidOperation, ValueError):
            return str(value)
    return str(value)


def _related_labels(model: type[models.Model], ids: set[Any]) -> dict[Any, str]:
    if not ids:
        return {}
    hook = getattr(model, "history_labels", None)
    if hook is not None:
        return dict(hook(ids))
    return {obj.pk: str(obj) for obj in model._base_manager.filter(pk__in=ids)}


def describe_changes(entries: Iterable[ObjectChange]) -> list[ObjectChange]:
    """Set ``entry.changes`` (a list of ``FieldChange``) on each entry and return them.

    One query per related model for the whole batch (entries should come with
    ``select_related("content_type")``)."""
    entries = list(entries)
    fields_of: dict[type[models.Model], list[models.Field]] = {}
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for e in entries:
        model = e.content_type.model_class()
        if model is None:
            continue
        if model not in fields_of:
            fields_of[model] = _shown_fields(model)
        for f in fields_of[model]:
            related = f.related_model
            if f.is_relation and isinstance(related, type):
                for data in (e.prechange_data or {}, e.postchange_data or {}):
                    value = data.get(f.attname)
                    if value not in (None, ""):
                        wanted[related].add(value)
    labels = {m: _related_labels(m, ids) for m, ids in wanted.items()}
    for e in entries:
        model = e.content_type.model_class()
        rows: list[FieldChange] = []
        if model is not None:
            before_data = e.prechange_data or {}
            after_data = e.postchange_data or {}
            for f in fields_of[model]:
                known = labels.get(f.related_model, {}) if f.is_relation else {}  # type: ignore[arg-type]
                before = _format(f, before_data.get(f.attname), before_data, known) if before_data else ""
                after = _format(f, after_data.get(f.attname), after_data, known) if after_data else ""
                if before != after:
                    rows.append(FieldChange(capfirst(str(f.verbose_name)), before, after))
        e.changes = rows  # type: ignore[attr-defined]
    return entries
