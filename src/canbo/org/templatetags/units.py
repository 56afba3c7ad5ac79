"""Template filter ``unit_label``: a unit shown with enough of its path to tell it apart.

Registered as a builtin (settings ``TEMPLATES``), so every template can write
``{{ unit|unit_label }}`` (a unit or its id) without loading it.
"""

from __future__ import annotations

from typing import Any

from django import template

from canbo.org.selectors import unit_label as _unit_label

register = template.Library()


@register.filter
def unit_label(unit: Any) -> str:
    """The unit's shortest distinguishing label (``canbo.org.selectors.unit_label``)."""
    if unit is None or unit == "":
        return ""
    if isinstance(unit, str):  # already a label
        return unit
    return _unit_label(unit)
