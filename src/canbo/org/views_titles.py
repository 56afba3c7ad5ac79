"""The title catalogue (chức danh): every signed-in user reads it; an administrator edits it."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from canbo.core.form_views import ServiceFormView
from canbo.org import services
from canbo.org.choices import CatalogueGroup
from canbo.org.forms import TitleForm
from canbo.org.models import Title


def title_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("login") + f"?next={request.path}")
    group = request.GET.get("nhom", "")
    titles = Title.objects.order_by("level", "-rank", "name")
    if group in CatalogueGroup.values:
        titles = titles.filter(catalogue_group=group)
    ctx = {
        "titles": titles,
        "groups": CatalogueGroup.choices,
        "group": group,
        "can_edit": services.can_edit_catalogue(request.user),
    }
    return render(request, "org/title_list.html", ctx)


class TitleEditView(ServiceFormView):
    """Create (no pk) or edit a title; only catalogue administrators, others get a 404."""

    template_name = "org/title_form.html"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        if not services.can_edit_catalogue(request.user):
            raise Http404("Không tìm thấy trang.")
        self.title: Title | None = None
        if kwargs.get("pk") is not None:
            self.title = Title.objects.filter(pk=kwargs["pk"]).first()
            if self.title is None:
                raise Http404("Không tìm thấy chức danh.")

    def get_form(self, data: Any = None) -> TitleForm:
        # The form only validates and reads; the write goes through the service on a fresh copy.
        if data is None:
            return TitleForm(instance=self.title)
        return TitleForm(data, instance=Title.objects.get(pk=self.title.pk) if self.title else None)

    def context(self) -> dict[str, Any]:
        return {"title": f"Sửa chức danh: {self.title.name}" if self.title else "Thêm chức danh"}

    def perform(self, form: Any) -> str:
        reason = form.cleaned_data.get("reason", "")
        if self.title is None:
            values = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
            self.title = services.title_create(acting_user=self.request.user, reason=reason, **values)
        elif form.changed_values():
            services.title_update(
                title=self.title, acting_user=self.request.user, reason=reason, **form.changed_values()
            )
        return ""

    def success_url(self) -> str:
        assert self.title is not None  # noqa: S101 (invariant; narrows the type for mypy)
        return reverse("org:titles") + f"#chuc-danh-{self.title.pk}"
