"""Issue 21: the API's authentication. Integrations call with a token an administrator made for
one grant (its subtree only; read only unless allowed to write; revocable; kept hashed); Basic
authentication is off in the production profile."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from canbo.accounts import services
from canbo.accounts.models import ApiToken, Grant, Role
from canbo.core.errors import DomainError
from canbo.core.models import ObjectChange
from canbo.people.models import Person

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[4]


@pytest.fixture
def integration(users: dict[str, Any], tree: dict[str, Any]) -> dict[str, Any]:
    """An account with grants on both districts; its tokens are bound to the one on A."""
    from django.contrib.auth.models import User

    user = User.objects.create_user(username="cong_dvc", password="pw-cong_dvc-2026")
    on_a = Grant.objects.create(user=user, role=Role.OFFICER, unit=tree["A"])
    on_b = Grant.objects.create(user=user, role=Role.OFFICER, unit=tree["B"])
    return {"user": user, "A": on_a, "B": on_b}


def admin_client(users: dict[str, Any]) -> Client:
    c = Client()
    c.force_login(users["admin"])
    return c


def make_token(users: dict[str, Any], grant: Grant, *, can_write: bool) -> str:
    """Through the administrator's page; the key is read off the page that shows it once."""
    data = {"grant": grant.pk, "name": "Cổng dịch vụ công", "reason": "Công văn số 12/SNV"}
    if can_write:
        data["can_write"] = "on"
    response = admin_client(users).post(f"/tai-khoan/nguoi-dung/{grant.user_id}/ma-api/", data)
    assert response.status_code == 200, response.content.decode()
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "chỉ hiện <strong>một lần</strong>" in html
    return re.search(r'<code id="api-key">([^<]+)</code>', html)[1]  # type: ignore[index]


def call(key: str, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    c = Client()
    kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Token {key}"}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(c, method)(url, **kwargs)


def test_token_sees_its_grant_only_reads_only_and_dies_when_revoked(
    users: dict[str, Any], integration: dict[str, Any], person_a: Person, person_b: Person
) -> None:
    key = make_token(users, integration["A"], can_write=False)
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in json.dumps([e.postchange_data for e in ObjectChange.objects.all()])
    assert ObjectChange.objects.filter(
        object_repr__startswith="Cổng dịch vụ công", reason="Công văn số 12/SNV"
    ).exists()
    assert token.last_used is None

    # Within its grant: reads; the account's other grant (district B) is not the token's.
    listed = call(key, "get", "/api/persons/")
    assert listed.status_code == 200, listed.content
    assert [p["id"] for p in listed.json()["results"]] == [person_a.pk]
    assert call(key, "get", f"/api/persons/{person_a.pk}/").status_code == 200
    assert call(key, "get", f"/api/persons/{person_b.pk}/").status_code == 404
    token.refresh_from_db()
    assert token.last_used is not None

    # Read only: no write, even inside its subtree.
    refused = call(
        key,
        "patch",
        f"/api/persons/{person_a.pk}/",
        {"other_names": "Hoa", "row_version": person_a.row_version, "reason": "Sửa lỗi nhập liệu"},
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Bạn không có quyền thực hiện thao tác này."

    # Shown on the user's page (prefix and last use, never the key).
    page = admin_client(users).get(f"/tai-khoan/nguoi-dung/{integration['user'].pk}/").content.decode()
    assert token.prefix in page and key not in page and "Chỉ đọc" in page
    # Its revoke link is told apart from the grants' "Thu hồi" on the same page (walking the page,
    # the grant's link was taken for the token's, and revoking the grant killed the token too).
    assert f'<a href="/tai-khoan/ma-api/{token.pk}/thu-hoi/">Thu hồi mã</a>' in page
    assert re.search(r'href="/tai-khoan/quyen/\d+/thu-hoi/">Thu hồi quyền</a>', page)

    # Revoked by the administrator: refused from then on.
    response = admin_client(users).post(f"/tai-khoan/ma-api/{token.pk}/thu-hoi/", {"reason": "Hết hợp đồng"})
    assert response.status_code == 302
    after = call(key, "get", "/api/persons/")
    assert after.status_code == 401
    assert after.json()["detail"] == "Bạn cần đăng nhập."
    assert call("canbo_khong-co-ma-nay", "get", "/api/persons/").status_code == 401


def test_read_write_token_writes_inside_its_subtree_only(
    users: dict[str, Any], integration: dict[str, Any], person_a: Person, person_b: Person
) -> None:
    key = make_token(users, integration["A"], can_write=True)
    inside = call(
        key,
        "patch",
        f"/api/persons/{person_a.pk}/",
        {"other_names": "Hoa", "row_version": person_a.row_version, "reason": "Sửa lỗi nhập liệu"},
    )
    assert inside.status_code == 200, inside.content
    person_a.refresh_from_db()
    assert person_a.other_names == "Hoa"
    outside = call(
        key,
        "patch",
        f"/api/persons/{person_b.pk}/",
        {"other_names": "Bình", "row_version": person_b.row_version, "reason": "Sửa lỗi nhập liệu"},
    )
    assert outside.status_code == 404
    person_b.refresh_from_db()
    assert person_b.other_names != "Bình"


def test_token_for_another_subtree_is_refused(
    users: dict[str, Any], integration: dict[str, Any], tree: Any
) -> None:
    """An administrator of district A cannot make (nor revoke) a token for a grant on B."""
    from django.contrib.auth.models import User

    admin_a = User.objects.create_user(username="admin_a", password="pw-admin_a-2026")
    Grant.objects.create(user=admin_a, role=Role.ADMIN, unit=tree["A"])
    with pytest.raises(DomainError, match="ngoài phạm vi"):
        services.token_create(
            acting_user=admin_a, grant=integration["B"], name="X", can_write=False, reason="Thử"
        )
    token, _key = services.token_create(
        acting_user=users["admin"], grant=integration["B"], name="X", can_write=False, reason="Thử"
    )
    with pytest.raises(DomainError, match="ngoài phạm vi"):
        services.token_revoke(acting_user=admin_a, token=token, reason="Thử")
    with pytest.raises(DomainError, match="quyền cán bộ tổ chức hoặc lãnh đạo"):
        services.token_create(
            acting_user=users["admin"],
            grant=Grant.objects.get(user=admin_a),
            name="X",
            can_write=False,
            reason="Thử",
        )
    # Without a reason, or a name: refused with the Vietnamese message, on the page too.
    response = admin_client(users).post(
        f"/tai-khoan/nguoi-dung/{integration['user'].pk}/ma-api/", {"grant": integration["A"].pk, "name": "X"}
    )
    assert response.status_code == 400
    assert "Hãy ghi lý do hoặc căn cứ" in response.content.decode()
    assert ApiToken.objects.count() == 1


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@override_settings(CANBO_API_BASIC_AUTH=False)
def test_basic_auth_refused_when_off(users: dict[str, Any]) -> None:
    response = Client().get("/api/units/", HTTP_AUTHORIZATION=basic("officer_a", "pw-officer_a"))
    assert response.status_code == 401
    assert response.json()["detail"] == "Bạn cần đăng nhập."


@override_settings(CANBO_API_BASIC_AUTH=True)
def test_basic_auth_answers_when_on(users: dict[str, Any]) -> None:
    response = Client().get("/api/units/", HTTP_AUTHORIZATION=basic("officer_a", "pw-officer_a"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, "False"), ({"CANBO_DEMO": "1"}, "True"), ({"CANBO_API_BASIC_AUTH": "1"}, "True")],
)
def test_basic_auth_off_in_the_production_profile(env: dict[str, str], expected: str) -> None:
    """The profile as `./canbo serve` reads it: off unless demo (or development, or set)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CANBO_", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, "-c", "from canbo import settings; print(settings.CANBO_API_BASIC_AUTH)"],
        env={**base, **env, "PYTHONPATH": str(REPO / "src")},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == expected
