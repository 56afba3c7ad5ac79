"""The dossier's sections are read with statements compiled once per process (``core.kept``,
issue 22, session 11): the same rows, fields and ``select_related`` objects as the ORM's own
read, and no compilation of their SQL on the pages after the first."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from canbo.conftest import compiled_statements
from canbo.core.kept import KeptQuery
from canbo.people import selectors
from canbo.people.models import Person
from canbo.people.sections import visible_sections
from canbo.people.tests.test_person_page_reads import full  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _values(obj: object) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}  # type: ignore[attr-defined]


def test_kept_reads_equal_the_orms(full: Person) -> None:  # noqa: F811
    seen = 0
    for spec in visible_sections(sensitive_ok=True):
        orm = list(spec.rows(selectors._of_person(spec.model, full.pk)))
        kept = selectors.section_records(spec, full.pk)
        assert [type(o) for o in kept] == [type(o) for o in orm]
        assert [_values(o) for o in kept] == [_values(o) for o in orm], spec.slug
        with CaptureQueriesContext(connection) as q:
            for a, b in zip(kept, orm, strict=True):
                for rel in spec.select_related:
                    one, other = a, b
                    for step in rel.split("__"):
                        one, other = getattr(one, step), getattr(other, step)
                    assert (one is None and other is None) or _values(one) == _values(other)
        assert q.captured_queries == [], spec.slug  # the related rows came with the read
        seen += len(kept)
    assert seen >= 10
    # another person's rows through the same kept statements
    assert all(
        selectors.section_records(spec, full.pk + 1000) == [] for spec in visible_sections(sensitive_ok=True)
    )


def test_the_person_page_compiles_no_section_read_again(
    full: Person,  # noqa: F811
    users: dict,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On the second page the ORM compiles no statement that reads a section table or the
    planning entries (it compiled every one of them on every page before)."""
    tables = {spec.model._meta.db_table for spec in visible_sections(sensitive_ok=True)}
    tables.add("planning_planningentry")  # the planning panel's read (``planning.selectors.entries_of``)
    c = Client()
    c.force_login(users["officer_a"])
    url = f"/can-bo/{full.pk}/"
    assert c.get(url).status_code == 200
    compiled = compiled_statements(monkeypatch)
    with CaptureQueriesContext(connection) as q:
        assert c.get(url).status_code == 200
    sections_read = [s for s in q.captured_queries if any(f'FROM "{t}"' in s["sql"] for t in tables)]
    assert len(sections_read) >= 8  # the rows were read...
    assert [s for s in compiled if any(f'FROM "{t}"' in s for t in tables)] == []  # ...not compiled


def test_kept_query_refuses_what_it_cannot_keep() -> None:
    with pytest.raises(TypeError):
        KeptQuery(lambda pk: Person.objects.filter(pk=pk).prefetch_related("tenures"))(1)
    with pytest.raises(TypeError):
        KeptQuery(lambda pk: Person.objects.filter(pk=pk).values("pk"))(1)
    with pytest.raises(TypeError):
        KeptQuery(lambda pk: Person.objects.all())(1)


def test_section_headers_equal_the_templates() -> None:
    """The sections' header rows written in Python (``people.views._head``) are the template's."""
    from django.template import Context, Template

    from canbo.people.views import _head

    old = Template(
        "<tr>{% for label, _ in spec.columns %}<th>{{ label }}</th>{% endfor %}"
        "{% if actions %}<th></th>{% endif %}</tr>"
    )
    for spec in visible_sections(sensitive_ok=True):
        for actions in (True, False):
            assert _head(spec, actions) == old.render(Context({"spec": spec, "actions": actions}))
