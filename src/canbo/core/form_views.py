"""The one generic page for a write (STYLE.md 18): form → one service → redirect.

GET shows the form; POST validates it, calls ``perform`` (one service call) and redirects to
``success_url`` with the confirmation ``perform`` returns. A refusal (``ValidationError`` or
``DomainError``) goes back on the form with 400, a stale edit (``ConflictError``) with 409; a
service's "not found or not permitted" answers 404 as every other page. Apps subclass it with
their template and their objects (``setup_view``): accounts' user and grant pages, org's unit
pages, the plans pages (one view per action: a task's status, its edit, its deletion …).

htmx: a form posted by htmx (``HX-Request``) gets, on success, an ``HX-Redirect`` to
``success_url`` (the browser loads the next page, which shows the confirmation); on a refusal,
``partial_template_name`` (the form alone) with the 400/409, which the page swaps in place of the
form (base.html lets htmx swap 400 and 409 answers).

``refuse`` is the single place that turns a service's refusal into form errors and a status.
A multi-step page (the plans' extraction review) is a ServiceFormView too: its reading steps
override ``post`` and hand the saving step to ``super().post``, with a "form" that gathers the
step's parts (``is_valid``, ``add_error``, ``fields``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

from canbo.core.errors import DomainError, error_text
from canbo.core.views import BadAsOf, as_of, bad_request, dated_context, page_day


def refuse(form: Any, exc: Exception, fields: dict[str, str] | None = None) -> int:
    """Put a service's refusal on ``form``; return the status to answer with (409 for a stale
    edit, 507 for a full attachment disk, else 400). A "not found or not permitted" refusal
    raises Http404, as a missing record.

    With ``fields`` (model field → form field, ``{}`` for same names), a ValidationError naming
    fields is shown beside them; otherwise, and for names the form lacks, above the form.
    ``form`` needs only ``add_error(field, message)`` and ``fields``."""
    if isinstance(exc, DomainError) and exc.status_code == 404:
        raise Http404(str(exc)) from exc
    if fields is not None and isinstance(exc, ValidationError):
        named: dict[str | None, list[str]] = {None: exc.messages}
        if hasattr(exc, "error_dict"):
            named = dict(exc.message_dict.items())
        for name, errors in named.items():
            target = fields.get(name, name) if name else None
            for msg in errors:
                form.add_error(target if target in form.fields else None, msg)
    else:
        form.add_error(None, error_text(exc))
    status = getattr(exc, "status_code", 400)
    return status if status in (409, 507) else 400


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


class ServiceFormView(LoginRequiredMixin, View):
    """Subclasses set ``form_class`` (or ``get_form``), ``template_name``, ``perform`` and
    ``success_url``; ``setup_view`` loads the URL's objects and raises Http404 for the others."""

    form_class: type[forms.Form] | None = None
    template_name = ""
    # The form alone, answered to an htmx post that is refused ("" = the whole page).
    partial_template_name = ""
    heading = ""
    submit = "Lưu"
    danger = False
    # Model field → form field for a ValidationError naming fields; None: all above the form.
    error_fields: dict[str, str] | None = None

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        """Load the objects of the URL; raise Http404 for what the user may not touch."""

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_form(self, data: Any = None) -> Any:
        """The form (a Form or ModelForm, or any object with ``is_valid``, ``cleaned_data``,
        ``add_error`` and ``fields``), bound to ``data`` and the request's files on a POST."""
        assert self.form_class is not None, "set form_class or override get_form"  # noqa: S101 (invariant; narrows the type for mypy)
        files = self.request.FILES if data is not None else None
        return self.form_class(data, files, **self.form_kwargs())

    def perform(self, form: Any) -> str:
        """Call the service; return the confirmation to show ("" for none)."""
        raise NotImplementedError

    def success_url(self) -> str:
        raise NotImplementedError

    def context(self) -> dict[str, Any]:
        return {}

    def render_form(self, form: Any, status: int = 200) -> HttpResponse:
        ctx = {"form": form, "heading": self.heading, "submit": self.submit, "danger": self.danger}
        template = self.template_name
        if self.partial_template_name and is_htmx(self.request) and self.request.method == "POST":
            template = self.partial_template_name
        return render(self.request, template, {**ctx, **self.context()}, status=status)

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
            return self.render_form(form, status=refuse(form, exc, self.error_fields))
        if message:
            messages.success(request, message)
        if is_htmx(request):
            return HttpResponseClientRedirect(self.success_url())
        return HttpResponseRedirect(self.success_url())


class DatedFormView(ServiceFormView):
    """A write page under the as-of date bar: reads the page's ``?ngay=`` as ``dated`` function
    views do (400 when unreadable), so ``self.day`` and ``page_context`` give it to the page."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            try:
                request._as_of_day = as_of(request)  # type: ignore[attr-defined]
            except BadAsOf as exc:
                return bad_request(request, exc.message)
        return super().dispatch(request, *args, **kwargs)

    @property
    def day(self) -> dt.date:
        return page_day(self.request)

    def page_context(self, **extra: Any) -> dict[str, Any]:
        return dated_context(self.request, **extra)
