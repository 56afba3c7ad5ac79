"""The dashboard's assessment cells are built in Python (issue 22: an included template per row);
the markup is the one the template made, for each case, with the label escaped."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import engines

from canbo.indicators.views import assessment_badge

TEMPLATE = (  # indicators/_assessment.html as it was
    '{% if a.met is True %}<span class="badge ok"{% if a.assessment == "vuot" %} title="Vượt cận trên '
    'của mục tiêu (vẫn là đạt)"{% endif %}>{{ a.assessment_label }}</span>{% elif a.met is False %}'
    '<span class="badge warn">{{ a.assessment_label }}</span>{% else %}<span class="muted">—</span>'
    "{% endif %}"
)


@pytest.mark.parametrize(
    ("met", "assessment", "label"),
    [(True, "dat", "Đạt"), (True, "vuot", "Vượt"), (False, "chua_dat", "Chưa <đạt> & “x”"), (None, None, "")],
)
def test_the_badge_is_the_markup_of_the_template(
    met: bool | None, assessment: str | None, label: str
) -> None:
    row = SimpleNamespace(met=met, assessment=assessment, assessment_label=label)
    assert assessment_badge(row) == engines["django"].from_string(TEMPLATE).render({"a": row})
