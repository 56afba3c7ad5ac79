"""The one generic page for a write (STYLE.md 18): form → one service → redirect.

GET shows the form; POST validates it, calls ``perform`` (one service call) and redirects to
``success_url`` with the confirmation ``perform`` returns. A refusal (``ValidationError`` or
``DomainError``) goes back on the form with 400, a stale edit (``ConflictError``) with 409; a
service's "not found or not permitted" answers 404 as every other page. Apps subclass it with
their template and their objects (``setup_view``): accounts' user and grant pages, org's unit
pages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views import View

from canbo.core.errors import DomainError, error_text


class ServiceFormView(LoginRequiredMixin, View):
    """Subclasses set ``form_class`` (or ``get_form``), ``template_name``, ``perform`` and
    ``success_url``; ``setup_view`` loads the URL's objects and raises Http404 for the others."""

    form_class: type[forms.Form] | None = None
    template_name = ""
    heading = ""
    submit = "Lưu"
    danger = False

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        """Load the objects of the URL; raise Http404 for what the user may not touch."""

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_form(self, data: Any = None) -> forms.Form:
        assert self.form_class is not None, "set form_class or override get_form"  # noqa: S101 (invariant; narrows the type for mypy)
        return self.form_class(data, **self.form_kwargs())

    def perform(self, form: Any) -> str:
        """Call the service; return the confirmation to show ("" for none)."""
        raise NotImplementedError

    def success_url(self) -> str:
        raise NotImplementedError

    def context(self) -> dict[str, Any]:
        return {}

    def render_form(self, form: forms.Form, status: int = 200) -> HttpResponse:
        ctx = {"form": form, "heading": self.heading, "submit": self.submit, "danger": self.danger}
        return render(self.request, self.template_name, {**ctx, **self.context()}, status=status)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.setup_view(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.get_form())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            message = self.perform(form)
        except (DomainError, ValidationError) as exc:
            if isinstance(exc, DomainError) and exc.status_code == 404:
                raise Http404 from exc
            form.add_error(None, error_text(exc))
            return self.render_form(form, status=409 if getattr(exc, "status_code", 400) == 409 else 400)
        if message:
            messages.success(request, message)
        return HttpResponseRedirect(self.success_url())
