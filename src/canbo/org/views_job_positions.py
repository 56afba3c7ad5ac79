"""The job-position catalogue (vị trí việc làm, Luật Cán bộ, công chức 80/2025): every signed-in
user reads it; a catalogue administrator (``services.can_edit_catalogue``) adds and corrects
entries. A person's record points to one (``Person.job_position_entry``)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from canbo.core.form_views import ServiceFormView
from canbo.org import services
from canbo.org.forms import JobPositionForm
from canbo.org.models import JobPosition


def job_position_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("login") + f"?next={request.path}")
    ctx = {
        "positions": JobPosition.objects.select_related("title").order_by("kind", "name"),
        "can_edit": services.can_edit_catalogue(request.user),
    }
    return render(request, "org/job_position_list.html", ctx)


class JobPositionEditView(ServiceFormView):
    """Add (no pk) or correct an entry; others than catalogue administrators get a 404."""

    template_name = "org/job_position_form.html"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        if not services.can_edit_catalogue(request.user):
            raise Http404("Không tìm thấy trang.")
        self.position: JobPosition | None = None
        if kwargs.get("pk") is not None:
            self.position = JobPosition.objects.filter(pk=kwargs["pk"]).first()
            if self.position is None:
                raise Http404("Không tìm thấy vị trí việc làm.")
        self.heading = (
            f"Sửa vị trí việc làm: {self.position.name}" if self.position else "Thêm vị trí việc làm"
        )

    def get_form(self, data: Any = None) -> forms.Form:
        # The form only validates and reads; the write goes through the service.
        # A ModelForm is a BaseForm, not a Form; ServiceFormView only validates and reads it.
        return cast(forms.Form, JobPositionForm(data, instance=self.position))

    def perform(self, form: Any) -> str:
        reason = form.cleaned_data.get("reason", "")
        if self.position is None:
            self.position = services.job_position_create(
                acting_user=self.request.user, reason=reason, **form.values()
            )
            return f"Đã thêm vị trí việc làm “{self.position.name}”."
        changes = form.changed_values()
        if not changes:
            return "Không có thông tin nào thay đổi."
        fresh = JobPosition.objects.get(pk=self.position.pk)
        self.position = services.job_position_update(
            job_position=fresh, acting_user=self.request.user, reason=reason, **changes
        )
        return f"Đã sửa vị trí việc làm “{self.position.name}”."

    def success_url(self) -> str:
        assert self.position is not None  # noqa: S101 (invariant; narrows the type for mypy)
        return reverse("org:job_positions") + f"#vtvl-{self.position.pk}"
