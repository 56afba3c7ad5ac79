"""The generic write page (core.form_views.ServiceFormView): form → one service → redirect, the
refusals mapped to 400 / 409 / 404, and its htmx answers (HX-Redirect on success, the form alone
with the refusal's status otherwise)."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from canbo.core.errors import ConflictError, DomainError, NotPermitted
from canbo.core.form_views import ServiceFormView, refuse

pytestmark = pytest.mark.django_db


class NameForm(forms.Form):
    name = forms.CharField(label="Tên", max_length=20)
    birth = forms.CharField(label="Ngày sinh", required=False)


class RenameView(ServiceFormView):
    """A stand-in page whose "service" refuses by the name it is given."""

    form_class = NameForm
    template_name = "errors/400.html"  # a whole page
    partial_template_name = "_form_fields.html"  # the form alone

    def perform(self, form: Any) -> str:
        name = form.cleaned_data["name"]
        if name == "cu":
            raise ConflictError("Bản ghi đã được người khác sửa; hãy tải lại trang.")
        if name == "cam":
            raise NotPermitted("Không tìm thấy bản ghi.")
        if name == "trung":
            raise DomainError("Tên này đã được dùng.")
        if name == "sai":
            raise ValidationError({"birth_date": "Ngày sinh không hợp lệ."})
        return f"Đã đổi tên thành {name}."

    def success_url(self) -> str:
        return "/xong/"

    def render_form(self, form: Any, status: int = 200) -> HttpResponse:
        response = super().render_form(form, status)
        response.form = form  # type: ignore[attr-defined]
        return response


def post(data: dict[str, str], *, htmx: bool = False, fields: dict[str, str] | None = None) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    request = RequestFactory().post("/doi-ten/", data, headers=headers)
    request.user = User.objects.get_or_create(username="u")[0]
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    view = RenameView.as_view(error_fields=fields) if fields is not None else RenameView.as_view()
    return request, view(request)


def test_success_redirects_with_the_confirmation() -> None:
    request, r = post({"name": "moi"})
    assert r.status_code == 302 and r["Location"] == "/xong/"
    assert [str(m) for m in get_messages(request)] == ["Đã đổi tên thành moi."]


def test_refusals_answer_400_409_404_on_the_form() -> None:
    _, r = post({"name": ""})
    assert r.status_code == 400 and r.form.errors["name"] == ["Trường này là bắt buộc."]
    assert "<html" in r.content.decode()
    _, r = post({"name": "trung"})
    assert r.status_code == 400 and r.form.non_field_errors() == ["Tên này đã được dùng."]
    _, r = post({"name": "cu"})
    assert r.status_code == 409 and "người khác sửa" in r.form.non_field_errors()[0]
    with pytest.raises(Http404):
        post({"name": "cam"})


def test_a_refusal_naming_a_field_goes_beside_it_when_the_page_asks() -> None:
    _, r = post({"name": "sai"})
    assert r.status_code == 400 and r.form.non_field_errors() == ["birth_date: Ngày sinh không hợp lệ."]
    _, r = post({"name": "sai"}, fields={"birth_date": "birth"})
    assert r.status_code == 400 and r.form.errors["birth"] == ["Ngày sinh không hợp lệ."]
    assert not r.form.non_field_errors()


def test_htmx_success_is_a_client_redirect() -> None:
    request, r = post({"name": "moi"}, htmx=True)
    assert r.status_code == 200 and r["HX-Redirect"] == "/xong/"
    # The confirmation waits for the page the browser loads next.
    assert [str(m) for m in get_messages(request)] == ["Đã đổi tên thành moi."]


def test_htmx_refusal_answers_the_partial_with_its_status() -> None:
    _, r = post({"name": "trung"}, htmx=True)
    page = r.content.decode()
    assert r.status_code == 400 and "HX-Redirect" not in r
    assert "<html" not in page and "Tên này đã được dùng." in page and 'name="name"' in page
    _, r = post({"name": "cu"}, htmx=True)
    assert r.status_code == 409 and "<html" not in r.content.decode()
    _, r = post({"name": ""}, htmx=True)
    assert r.status_code == 400 and "Trường này là bắt buộc." in r.content.decode()


def test_refuse_is_the_one_mapping() -> None:
    form = NameForm({"name": "x"})
    assert form.is_valid()
    assert refuse(form, DomainError("Không được.")) == 400
    assert refuse(form, ConflictError("Đã đổi.")) == 409
    assert refuse(form, ValidationError(["Một.", "Hai."])) == 400
    assert form.non_field_errors() == ["Không được.", "Đã đổi.", "Một. Hai."]
    with pytest.raises(Http404):
        refuse(form, NotPermitted("Không thấy."))
