"""The common rows kept for a module (``canbo/conftest.py``, ``common_rows_of_the_module``) are
handed to each test as the function-scoped fixtures hand them out: instances of its own, read
afresh, ``person_a`` with its ethnicity, religion and unit loaded (its unit the tree's A1)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from canbo.conftest import kept_person_a, kept_tree, kept_users


def test_each_test_gets_instances_of_its_own_read_afresh(common_rows_of_the_module: Any, db: Any) -> None:
    tree = kept_tree(common_rows_of_the_module, db)
    person = kept_person_a(common_rows_of_the_module, tree)
    users = kept_users(common_rows_of_the_module, person)
    assert list(tree) == ["P", "A", "A1", "B"]
    assert person.full_name == "Nguyễn Thị Hoa" and person.managing_unit is tree["A1"]
    with CaptureQueriesContext(connection) as ctx:
        assert (person.ethnicity.code, person.religion.code) == ("01", "00")
    assert not ctx.captured_queries
    assert list(users) == ["officer_a", "leader_a", "officer_b", "nogrant", "admin", "self_user"]
    assert users["self_user"].grants.get().person_id == person.pk
    tree["A1"].name = "Đổi trong bộ nhớ"
    person.full_name = "Đổi trong bộ nhớ"
    again = kept_tree(common_rows_of_the_module, db)
    other = kept_person_a(common_rows_of_the_module, again)
    assert again["A1"] is not tree["A1"] and again["A1"].name == "Phòng Nội vụ huyện A"
    assert other is not person and other.full_name == "Nguyễn Thị Hoa"
    assert other.ethnicity is not person.ethnicity
