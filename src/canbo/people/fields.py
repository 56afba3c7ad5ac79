"""Model fields of the dossier."""

from __future__ import annotations

from typing import Any

from django.db import models

from canbo.core.text import normalize_name
from canbo.people.validators import validate_personal_name


class PersonalNameField(models.CharField):
    """A personal name: cleaned to the composed (NFC) form with single spaces, and checked by
    ``validate_personal_name``. ``full_clean`` (every service write, every import row) stores
    the cleaned value, so "Nguyễn" typed in decomposed form and "Nguyễn" are the same name."""

    default_validators = [validate_personal_name]

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return normalize_name(value) if isinstance(value, str) else value
