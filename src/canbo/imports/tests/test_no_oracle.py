"""Issue 21: no existence oracle in the import. A row whose personal ID belongs to a dossier the
officer may not see gets one answer, whatever hides the dossier."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from canbo.conftest import new_person, reference_data
from canbo.imports import engine
from canbo.imports.tests.helpers import PERSON_HEADERS, make_xlsx
from canbo.people.models import Person
from canbo.people.services import HIDDEN_CONFLICT

pytestmark = pytest.mark.django_db


def test_import_answers_alike_for_every_hidden_dossier(
    users: dict[str, Any], tree: dict[str, Any], person_b: Person, tmp_path: Path
) -> None:
    reference_data()
    at_province = new_person(tree["P"], "Lê Văn Tỉnh", sex="nam", born=dt.date(1975, 6, 1))
    answers = {}
    for case, person in {"other district": person_b, "province above": at_province}.items():
        row = [person.personal_id, "Hoàng Văn Mới", "Nam", "01/01/1975", "Kinh", "Không", "Công chức", "A1"]
        path = make_xlsx(tmp_path / f"{case}.xlsx", {"Cán bộ": [PERSON_HEADERS, row]})
        result = engine.run_import(path=path, acting_user=users["officer_a"])
        answers[case] = (result.ok, [str(e).replace(person.personal_id, "…") for e in result.errors])
    assert answers["other district"] == answers["province above"]
    assert answers["other district"] == (
        False,
        [f"Sheet Cán bộ, dòng 2, cột A (Số định danh cá nhân): {HIDDEN_CONFLICT}"],
    )
    assert person_b.full_name == Person.objects.get(pk=person_b.pk).full_name
