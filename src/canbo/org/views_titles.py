"""The title catalogue (chức danh): every signed-in user reads it; an administrator edits it."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from canbo.core.errors import DomainError, error_text
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


class TitleEditView(LoginRequiredMixin, View):
    """Create (no pk) or edit a title; only catalogue administrators, others get a 404."""

    def _title(self, request: HttpRequest, pk: int | None) -> Title | None:
        if not services.can_edit_catalogue(request.user):
            raise Http404("Không tìm thấy trang.")
        if pk is None:
            return None
        title = Title.objects.filter(pk=pk).first()
        if title is None:
            raise Http404("Không tìm thấy chức danh.")
        return title

    def _render(
        self, request: HttpRequest, form: TitleForm, title: Title | None, status: int = 200
    ) -> HttpResponse:
        heading = f"Sửa chức danh: {title.name}" if title else "Thêm chức danh"
        return render(request, "org/title_form.html", {"form": form, "title": heading}, status=status)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        title = self._title(request, pk)
        return self._render(request, TitleForm(instance=title), title)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        title = self._title(request, pk)
        # The form only validates and reads; the write goes through the service on a fresh copy.
        form = TitleForm(request.POST, instance=Title.objects.get(pk=title.pk) if title else None)
        if not form.is_valid():
            return self._render(request, form, title, status=400)
        reason = form.cleaned_data.get("reason", "")
        try:
            if title is None:
                values = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
                title = services.title_create(acting_user=request.user, reason=reason, **values)
            elif form.changed_values():
                services.title_update(
                    title=title, acting_user=request.user, reason=reason, **form.changed_values()
                )
        except (DomainError, ValidationError) as exc:
            form.add_error(None, error_text(exc))
            return self._render(request, form, title, status=400)
        return HttpResponseRedirect(reverse("org:titles") + f"#chuc-danh-{title.pk}")
