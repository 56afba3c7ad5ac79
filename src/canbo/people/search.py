"""Search of persons by name (accents and case ignored) or by personal identification number."""

from __future__ import annotations

from django.db.models import QuerySet

from canbo.core.text import fold
from canbo.people.models import Person


def name_search(qs: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Limit ``qs`` to persons matching ``query``: digits match the start of the personal id;
    anything else matches the accent-folded name ("nguyen thi hoa" finds "Nguyễn Thị Hoa")."""
    query = query.strip()
    if not query:
        return qs
    if query.isdigit():
        return qs.filter(personal_id__startswith=query)
    return qs.filter(search_name__contains=fold(query))
