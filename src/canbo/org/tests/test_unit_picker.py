"""Units told apart by their path, and picked with a scoped, searchable picker (issue 14)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from canbo.conftest import kept_person_a, kept_tree, kept_users, make_unit, new_person
from canbo.org.choices import UnitKind
from canbo.org.models import Unit
from canbo.org.selectors import unit_label, unit_labels
from canbo.people.models import Person

# tree, person_a and users are written once for the module and kept for its tests (each test's own
# writes are undone after it): canbo/conftest.py, common_rows_of_the_module.
tree = pytest.fixture(kept_tree, name="tree")
person_a = pytest.fixture(kept_person_a, name="person_a")
users = pytest.fixture(kept_users, name="users")

VHXH = "Phòng Văn hóa – Xã hội"
# Session, user, grants, the person, whether he has salary rows (then the salary fields are
# read-only: the history decides them), ethnicities, religions, the job-position catalogue (its
# select, issue 16), the unit labels' freshness check.
PERSON_FORM_QUERIES = 9


@pytest.fixture
def communes(tree: dict[str, Unit]) -> dict[str, Unit]:
    """Two communes under district A, one under B, each with a "Phòng Văn hóa – Xã hội"."""
    out = {}
    for parent, code, name in (
        ("A", "XA1", "UBND xã Bát Xát"),
        ("A", "XA2", "UBND xã Y Tý"),
        ("B", "XB1", "UBND xã Bản Vược"),
    ):
        commune = make_unit(Unit.objects.get(pk=tree[parent].pk), code, name)
        out[code] = make_unit(Unit.objects.get(pk=commune.pk), f"{code}-VH", VHXH, kind=UnitKind.DIVISION)
    return out


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_shared_name_gets_the_nearest_ancestor_that_tells_it_apart(
    tree: dict, communes: dict, django_assert_num_queries: Any
) -> None:
    assert unit_label(communes["XA1"]) == f"{VHXH}, UBND xã Bát Xát"
    assert unit_label(communes["XB1"].pk) == f"{VHXH}, UBND xã Bản Vược"
    assert unit_label(tree["A"]) == "Huyện A"  # a unique name stays short
    # Two units of one name under parents of one name: up the tree until they differ.
    x = make_unit(Unit.objects.get(pk=tree["A"].pk), "T1", "Tổ công tác")
    y = make_unit(Unit.objects.get(pk=tree["B"].pk), "T2", "Tổ công tác")
    xa = make_unit(Unit.objects.get(pk=x.pk), "T1a", "Nhóm 1")
    yb = make_unit(Unit.objects.get(pk=y.pk), "T2a", "Nhóm 1")
    assert unit_labels([xa.pk, yb.pk]) == {
        xa.pk: "Nhóm 1, Tổ công tác, Huyện A",
        yb.pk: "Nhóm 1, Tổ công tác, Huyện B",
    }


def test_labels_of_a_page_cost_one_query_whatever_the_number_of_units(
    users: dict, tree: dict, communes: dict, django_assert_max_num_queries: Any
) -> None:
    from canbo.core.context import bind_context

    with bind_context(source="web"):
        unit_label(tree["A"])  # built once
        with django_assert_max_num_queries(0):
            for u in Unit.objects.all()[:0]:
                unit_label(u)
            labels = [unit_label(u.pk) for u in communes.values()]
    assert len(set(labels)) == 3
    with bind_context(source="web"), django_assert_max_num_queries(1):  # the stamp, per request
        for u in communes.values():
            unit_label(u.pk)


def test_a_rename_shows_on_the_next_request(users: dict, tree: dict, communes: dict) -> None:
    from canbo.org.restructuring import unit_rename

    c = client_for(users["officer_a"])
    c.get(reverse("org:pick") + "?tim=van hoa")
    unit_rename(
        acting_user=users["admin"],
        unit=Unit.objects.get(code="XA1"),
        new_name="UBND xã Bát Xát mới",
        on=dt.date(2025, 7, 1),
    )
    html = c.get(reverse("org:pick") + "?tim=van hoa").content.decode()
    assert f"{VHXH}, UBND xã Bát Xát mới" in html


def test_the_picker_finds_units_by_words_without_accents_within_the_scope(
    users: dict, tree: dict, communes: dict
) -> None:
    c = client_for(users["officer_a"])  # grant on district A
    html = c.get(reverse("org:pick"), {"tim": "van hoa bat xat"}).content.decode()
    assert f"{VHXH}, UBND xã Bát Xát" in html
    assert f'data-unit-id="{communes["XA1"].pk}"' in html
    html = c.get(reverse("org:pick"), {"tim": "VĂN HÓA"}).content.decode()
    assert "Bát Xát" in html and "Y Tý" in html
    assert "Bản Vược" not in html  # district B: outside officer_a's grants
    # Browsing: the scope's top unit, then its sub-units on demand.
    top = c.get(reverse("org:pick")).content.decode()
    assert f'data-unit-id="{tree["A"].pk}"' in top and f'data-unit-id="{tree["P"].pk}"' not in top
    assert "3 đơn vị trực thuộc" in top  # A1 and the two communes
    kids = c.get(reverse("org:pick"), {"cha": tree["A"].pk}).content.decode()
    assert "UBND xã Bát Xát" in kids and "Phòng Nội vụ huyện A" in kids
    outside = c.get(reverse("org:pick"), {"cha": tree["B"].pk}).content.decode()
    assert "Bản Vược" not in outside
    assert c.get(reverse("org:pick"), {"cha": "²"}).status_code == 400
    assert Client().get(reverse("org:pick")).status_code in (302, 401)


def test_the_picker_offers_only_units_the_user_may_change(users: dict, tree: dict, communes: dict) -> None:
    c = client_for(users["leader_a"])  # a leader sees district A but changes nothing
    assert "Bát Xát" in c.get(reverse("org:pick"), {"tim": "bat xat"}).content.decode()
    html = c.get(reverse("org:pick"), {"tim": "bat xat", "pham_vi": "sua"}).content.decode()
    assert "Bát Xát" not in html


def test_the_person_form_has_a_picker_not_a_select_of_every_unit(
    users: dict, tree: dict, communes: dict, person_a: Person, django_assert_num_queries: Any
) -> None:
    c = client_for(users["officer_a"])
    url = reverse("people:edit", args=[person_a.pk])
    c.get(url)  # the first page of the process builds the unit and area labels (2 queries each)
    # Pinned (issue 14: 2.6 s and 760 KB with a select of every unit and area): session, user,
    # grants and the person, one stamp each for the unit and area labels, ethnicities and
    # religions for their (small) selects. No query reads the units or areas themselves.
    with django_assert_num_queries(PERSON_FORM_QUERIES):
        r = c.get(url)
    html = r.content.decode()
    assert r.status_code == 200
    assert 'name="managing_unit"' in html and 'class="unit-picker-search"' in html
    assert f'value="{person_a.managing_unit_id}"' in html
    assert 'value="Phòng Nội vụ huyện A"' in html  # the current unit's label in the search box
    assert ">Phòng Nội vụ huyện A</option>" not in html  # no select of units
    assert ">Huyện B</option>" not in html
    assert VHXH not in html


def test_a_posted_unit_outside_the_scope_is_refused(
    users: dict, tree: dict, communes: dict, person_a: Person
) -> None:
    c = client_for(users["officer_a"])
    url = reverse("people:edit", args=[person_a.pk])
    person = Person.objects.get(pk=person_a.pk)
    data = {
        "personal_id": person.personal_id,
        "full_name": person.full_name,
        "sex": person.sex,
        "birth": "17/05/1980",
        "ethnicity": person.ethnicity_id,
        "religion": person.religion_id,
        "category": person.category,
        "row_version": person.row_version,
    }
    for bad in (communes["XB1"].pk, tree["B"].pk, "²", "9" * 40):
        r = c.post(url, {**data, "managing_unit": bad})
        assert r.status_code == 400, bad
        assert "không thuộc phạm vi được giao" in r.content.decode()
    assert Person.objects.get(pk=person_a.pk).managing_unit_id == tree["A1"].pk
    ok = c.post(url, {**data, "managing_unit": communes["XA2"].pk, "reason": "Điều động"})
    assert ok.status_code == 302
    assert Person.objects.get(pk=person_a.pk).managing_unit_id == communes["XA2"].pk


def test_a_closed_unit_is_not_offered_nor_accepted_for_the_dossier(
    users: dict, tree: dict, communes: dict, person_a: Person
) -> None:
    Unit.objects.filter(pk=communes["XA2"].pk).update(valid_to=dt.date(2025, 6, 30))
    c = client_for(users["officer_a"])
    html = c.get(reverse("org:pick"), {"tim": "y ty van hoa", "pham_vi": "sua", "mo": "1"}).content.decode()
    assert "Y Tý" not in html


def test_lists_show_units_with_their_path(users: dict, tree: dict, communes: dict) -> None:
    for code in ("XA1", "XA2"):
        new_person(communes[code], "Nguyễn Thị Hoa")
    c = client_for(users["officer_a"])
    html = c.get(
        reverse("people:list"), {"q": "nguyen thi hoa", "cot": ["ho_ten", "don_vi_ho_so"]}
    ).content.decode()
    assert f"{VHXH}, UBND xã Bát Xát" in html and f"{VHXH}, UBND xã Y Tý" in html


def test_the_merge_form_picks_units_and_refuses_those_outside_the_scope(
    users: dict, tree: dict, communes: dict
) -> None:
    c = client_for(users["officer_a"])
    x, y = communes["XA1"], communes["XA2"]
    url = reverse("org:restructure", args=[x.pk, "sap-nhap"])
    page = c.get(url).content.decode()
    assert "<select" not in page.split('name="sources"')[0][-300:]  # the sources are a picker
    assert ">Huyện B</option>" not in page and 'class="unit-picker-search"' in page
    data = {"on": "01/07/2025", "basis": "NQ 1/NQ-HĐND", "into": y.pk}
    bad = c.post(url, {**data, "sources": [x.pk, communes["XB1"].pk]})
    assert bad.status_code == 400 and "không thuộc phạm vi được giao" in bad.content.decode()
    assert c.post(url, {**data, "sources": ["²"]}).status_code == 400
    ok = c.post(url, {**data, "sources": [x.pk]})
    assert ok.status_code == 302, ok.content.decode()[:3000]
    assert Unit.objects.get(pk=x.pk).valid_to == dt.date(2025, 6, 30)


def test_units_alike_up_to_the_root_get_their_end_date_or_code(tree: dict) -> None:
    old = make_unit(Unit.objects.get(pk=tree["A"].pk), "OLD", "Phòng Tư pháp", valid_to=dt.date(2025, 6, 30))
    new = make_unit(Unit.objects.get(pk=tree["A"].pk), "NEW", "Phòng Tư pháp")
    labels = unit_labels([old.pk, new.pk])
    assert labels[old.pk] == "Phòng Tư pháp, Huyện A, Tỉnh Thử nghiệm (đến hết 30/06/2025)"
    assert labels[new.pk] == "Phòng Tư pháp, Huyện A, Tỉnh Thử nghiệm [NEW]"
    from django.contrib.auth.models import User

    c = client_for(User.objects.create_superuser("su", "", "pw"))
    html = c.get(reverse("org:pick"), {"tim": "tu phap", "loai": "hdnd"}).content.decode()
    assert "Phòng Tư pháp" not in html  # not of that kind
