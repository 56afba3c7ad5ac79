"""``./canbo setup`` on an empty database: catalogue, rulebook, indicators, first administrator;
run again, it adds nothing; missing or bad input stops it with a Vietnamese message."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from canbo.org.models import AdminArea, Unit


def run(*args: str) -> str:
    out = StringIO()
    call_command("setup", *args, "--no-input", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_setup_on_an_empty_database(monkeypatch: pytest.MonkeyPatch) -> None:
    from canbo.indicators.models import IndicatorDefinition
    from canbo.rules.models import RuleVersion

    assert not Unit.objects.exists() and not User.objects.exists()
    out = run(
        "--admin-user", "quantri", "--admin-password", "mat-khau-manh-1", "--admin-name", "Trần Quản Trị"
    )
    assert "Cài đặt xong" in out
    assert AdminArea.objects.count() > 3000
    assert RuleVersion.objects.exists()
    assert IndicatorDefinition.objects.exists()
    admin = User.objects.get(username="quantri")
    assert admin.is_superuser and admin.get_full_name() == "Trần Quản Trị"
    c = Client()
    assert c.post("/dang-nhap/", {"username": "quantri", "password": "mat-khau-manh-1"}).status_code == 302
    assert c.get("/tai-khoan/nguoi-dung/").status_code == 200

    counts = (AdminArea.objects.count(), RuleVersion.objects.count(), User.objects.count())
    assert "không tạo thêm" in run()  # again: nothing new
    assert (AdminArea.objects.count(), RuleVersion.objects.count(), User.objects.count()) == counts


def _without_the_loading_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """The steps before the administrator's (migrate and the catalogues, each a no-op on the test
    database, ~1 s of CPU a run) made no-ops: the refusals below are the administrator step's.
    The whole command runs in the last call here and twice in the test above."""
    from canbo.accounts.management.commands import setup
    from canbo.people import reference

    monkeypatch.setattr(setup, "call_command", lambda *args, **kwargs: None)
    monkeypatch.setattr(reference, "ensure_loaded", lambda: None)
    monkeypatch.setattr(setup, "definitions_load", lambda: {"created": 0, "unchanged": 0})


@pytest.mark.django_db
def test_setup_refuses_missing_or_weak_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CANBO_ADMIN_PASSWORD", raising=False)
    with monkeypatch.context() as steps:
        _without_the_loading_steps(steps)
        with pytest.raises(CommandError, match="--admin-user"):
            run()
        with pytest.raises(CommandError, match="--admin-password"):
            run("--admin-user", "quantri")
        with pytest.raises(CommandError, match="ít nhất 10"):
            run("--admin-user", "quantri", "--admin-password", "ngan")
    monkeypatch.setenv("CANBO_ADMIN_PASSWORD", "tu-bien-moi-truong")
    run("--admin-user", "quantri")
    assert User.objects.get(username="quantri").check_password("tu-bien-moi-truong")
