"""Posts, vacancies and staffing quotas of a unit subtree, as of a date."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.views.generic import TemplateView

from canbo.core.form_views import ServiceFormView
from canbo.core.grants import can_change_anything
from canbo.core.querysets import CHANGE
from canbo.core.views import AsOfMixin
from canbo.org import selectors, services
from canbo.org.forms import PostEditForm, PostForm, QuotaForm
from canbo.org.models import Post, Unit
from canbo.org.views_units import _UnitFormView, unit_or_404


class _SubtreePage(LoginRequiredMixin, AsOfMixin, TemplateView):
    """A page over one unit's subtree (``?don_vi=``; default: the user's topmost units)."""

    def roots(self) -> list[Unit]:
        day = self.day
        raw = self.request.GET.get("don_vi", "")
        if raw:
            if not raw.isdigit():
                raise Http404("Không tìm thấy đơn vị.")
            return [unit_or_404(self.request.user, int(raw))]
        return selectors.visible_roots(self.request.user, day)


class VacanciesView(_SubtreePage):
    """For a subtree and a date: every post's seats, its holders, the empty and over-filled ones;
    the totals over all of them, the rows 200 at a time (``?trang=``)."""

    template_name = "org/vacancies.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        day = self.day
        roots = self.roots()
        only = self.request.GET.get("chi", "")
        only = only if only in ("trong", "thua") else ""
        found = selectors.vacancy_page(
            self.request.user, roots, day, only=only, page=self.request.GET.get("trang")
        )
        ctx.update(
            roots=roots,
            rows=found.rows,
            page=found.page,
            only=only,
            seats=found.seats,
            held=found.held,
            empty=found.empty,
            over=found.over,
            can_open_cases=can_change_anything(self.request.user),
        )
        return ctx


class QuotasView(_SubtreePage):
    """Quota of the date's year per unit against the people counted, with the gap."""

    template_name = "org/quotas.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        day = self.day
        roots = self.roots()
        rows = [r for root in roots for r in selectors.quotas_on(self.request.user, root, day)]
        can_change = set(
            Unit.objects.restrict(self.request.user, CHANGE)
            .filter(pk__in=[r.unit.pk for r in rows])
            .values_list("pk", flat=True)
        )
        ctx.update(roots=roots, rows=rows, year=day.year, can_change=can_change)
        return ctx


class PostCreateView(_UnitFormView):
    title = "Thêm vị trí (chức danh và số lượng) cho đơn vị"

    def make_form(self, request: HttpRequest, unit: Unit, data: Any = None) -> forms.Form:
        form = PostForm(data, initial={"valid_from": unit.valid_from})
        form.fields["title"].queryset = form.fields["title"].queryset.filter(level=unit.level)  # type: ignore[attr-defined]
        return form

    def apply(self, request: HttpRequest, unit: Unit, form: Any) -> Unit:
        d = form.cleaned_data
        fields = {"valid_from": d["valid_from"]} if d.get("valid_from") else {}
        services.post_create(
            acting_user=request.user,
            unit=unit,
            title=d["title"],
            seats=d["seats"],
            reason=d["reason"],
            **fields,
        )
        return unit


class QuotaSetView(_UnitFormView):
    title = "Giao biên chế cho đơn vị"

    def make_form(self, request: HttpRequest, unit: Unit, data: Any = None) -> forms.Form:
        return QuotaForm(data)

    def apply(self, request: HttpRequest, unit: Unit, form: Any) -> Unit:
        services.quota_set(acting_user=request.user, unit=unit, **form.cleaned_data)
        return unit


class PostEditView(ServiceFormView):
    """Change a post's seats or end it; the post must be in a unit the user may change."""

    template_name = "org/unit_form.html"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        post = (
            Post.objects.restrict(request.user, CHANGE)
            .filter(pk=kwargs["pk"])
            .select_related("unit", "title")
            .first()
        )
        if post is None:
            raise Http404("Không tìm thấy vị trí.")
        self.target_post = post

    def get_form(self, data: Any = None) -> forms.Form:
        if data is None:
            return PostEditForm(
                initial={"seats": self.target_post.seats, "valid_to": self.target_post.valid_to}
            )
        return PostEditForm(data)

    def context(self) -> dict[str, Any]:
        return {
            "unit": self.target_post.unit,
            "title": f"Sửa vị trí: {self.target_post.title.name}",
            "note": "",
        }

    def perform(self, form: Any) -> str:
        d = form.cleaned_data
        services.post_update(
            post=self.target_post,
            acting_user=self.request.user,
            reason=d["reason"],
            seats=d["seats"],
            valid_to=d["valid_to"],
        )
        return ""

    def success_url(self) -> str:
        return reverse("org:unit", args=[self.target_post.unit_id])
