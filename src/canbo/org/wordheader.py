"""The NĐ 30/2020 header of a Word document a unit issues, filled from the organisation.

``core.wordpage.add_official_header`` lays the header out (core knows no app); this is the one
place that fills it from a unit: the governing body, the issuing body and the place as named on
the day (``org.selectors.document_issuer``) and the place and date line
(``core.wordpage.place_date_line``). Every python-docx export that issues a document in a unit's
name calls it (indicators, plans, campaigns, reports); the docxtpl templates carry the same
header with placeholders (``tools/*_templates.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from canbo.core.wordpage import add_official_header, place_date_line
from canbo.org.models import Unit
from canbo.org.selectors import document_issuer


def add_unit_header(document: Any, unit: Unit, day: dt.date, *, number: str = "") -> Any:
    """Add to ``document`` (python-docx, on the official page) the header of a document
    ``unit`` issues on ``day``, with ``number`` ("Số: …") when given. Returns the table."""
    parent, issuer, place = document_issuer(unit, day)
    return add_official_header(
        document, issuer=issuer, parent=parent, number=number, place_date=place_date_line(place or "……", day)
    )
