"""Pages of rating campaigns (/danh-gia/): one URL per action, each write through one service
(``core.form_views.ServiceFormView``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse

from canbo.campaigns import exports, selectors, services
from canbo.campaigns.forms import CampaignForm, ConfirmForm, EntryForm, ExceptionForm, UnitRatingForm
from canbo.campaigns.models import CampaignEntry, RatingCampaign
from canbo.core.form_views import ServiceFormView
from canbo.core.grants import can_change_anything
from canbo.core.querysets import CHANGE
from canbo.core.readlog import Kind, record_read
from canbo.org.models import Unit
from canbo.org.selectors import unit_label
from canbo.rules.selectors import rulebook


@login_required
def index(request: HttpRequest) -> HttpResponse:
    campaigns = list(selectors.campaigns_for(request.user))
    rows = [(c, unit_label(c.unit)) for c in campaigns]
    return render(
        request, "campaigns/index.html", {"rows": rows, "can_create": can_change_anything(request.user)}
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_or_404(request.user, pk)
    view = selectors.campaign_view(campaign)
    can_change = (
        campaign.is_open and RatingCampaign.objects.restrict(request.user, CHANGE).filter(pk=pk).exists()
    )
    labels = {u: unit_label(u) for u in {r.entry.agency_id for r in view.rows} | set(view.unit_levels)}
    ctx = {
        "c": campaign,
        "view": view,
        "unit_name": unit_label(campaign.unit),
        "agency_labels": labels,
        "unit_levels": [(labels.get(u, ""), lv) for u, lv in view.unit_levels.items()],
        "can_change": can_change,
        "can_except": can_change and services.can_record_exception(request.user, campaign),
    }
    return render(request, "campaigns/detail.html", ctx)


@login_required
def quota_partial(request: HttpRequest, pk: int) -> HttpResponse:
    """The quota with the level being entered counted (htmx, on each change of the level)."""
    campaign = selectors.campaign_or_404(request.user, pk)
    try:
        entry_id = int(request.GET.get("entry", ""))
    except ValueError:
        return HttpResponseBadRequest("Tham số không hợp lệ: người được đánh giá.")
    level = request.GET.get("decided_level") or request.GET.get("proposed_level") or ""
    if level and level not in selectors.LEVELS:
        return HttpResponseBadRequest("Tham số không hợp lệ: mức xếp loại.")
    entries = selectors.entries_of(campaign)
    lines = selectors.quota_lines(campaign, entries, override=(entry_id, level))
    mine = next((e for e in entries if e.pk == entry_id), None)
    if mine is not None:
        group = mine.duty_group or selectors.COMMON_GROUP
        lines = [q for q in lines if q.agency_id == mine.agency_id and q.group == group]
    return render(request, "campaigns/_quota.html", {"quota": lines, "c": campaign})


class _CampaignFormView(ServiceFormView):
    template_name = "campaigns/form.html"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.campaign = selectors.campaign_or_404(request.user, kwargs["pk"], CHANGE)

    def success_url(self) -> str:
        return reverse("campaigns:detail", args=[self.campaign.pk])

    def context(self) -> dict[str, Any]:
        return {"c": self.campaign, "unit_name": unit_label(self.campaign.unit)}


class CampaignCreateView(ServiceFormView):
    template_name = "campaigns/form.html"
    heading = "Mở đợt đánh giá, xếp loại"
    submit = "Mở đợt đánh giá"

    def get_form(self, data: Any = None) -> forms.Form:
        units = Unit.objects.restrict(self.request.user, CHANGE).order_by("path")
        return CampaignForm(data, units=units)

    def perform(self, form: Any) -> str:
        self.campaign = services.campaign_create(acting_user=self.request.user, **form.cleaned_data)
        return f"Đã mở đợt đánh giá với {self.campaign.entries.count()} người."

    def success_url(self) -> str:
        return reverse("campaigns:detail", args=[self.campaign.pk])


class EntryEditView(ServiceFormView):
    template_name = "campaigns/entry.html"
    submit = "Lưu kết quả"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.entry: CampaignEntry = selectors.entry_or_404(request.user, kwargs["pk"], CHANGE)
        self.campaign = self.entry.campaign
        self.heading = f"Đánh giá, xếp loại: {self.entry.person.full_name}"

    def get_form(self, data: Any = None) -> forms.BaseForm:
        return EntryForm(data, instance=self.entry)

    def perform(self, form: Any) -> str:
        changes = {name: form.cleaned_data[name] for name in EntryForm.Meta.fields}
        services.entry_update(
            entry=self.entry, acting_user=self.request.user, reason=form.cleaned_data["reason"], **changes
        )
        return f"Đã lưu kết quả của {self.entry.person.full_name}."

    def success_url(self) -> str:
        return reverse("campaigns:detail", args=[self.campaign.pk]) + f"#nguoi-{self.entry.pk}"

    def context(self) -> dict[str, Any]:
        book = rulebook()
        entries = selectors.entries_of(self.campaign)
        lines = selectors.quota_lines(self.campaign, entries, book=book)
        group = self.entry.duty_group or selectors.COMMON_GROUP
        mine = [q for q in lines if q.agency_id == self.entry.agency_id and q.group == group]
        facts = selectors.dossier_facts(self.campaign, [self.entry.person_id], book)[self.entry.person_id]
        verdict = selectors.entry_verdict(book, self.campaign, self.entry, facts, mine[0] if mine else None)
        return {
            "c": self.campaign,
            "entry": self.entry,
            "agency": unit_label(self.entry.agency),
            "quota": mine,
            "facts": facts,
            "verdict": verdict,
        }


class UnitRatingView(_CampaignFormView):
    heading = "Xếp loại tập thể"

    def get_form(self, data: Any = None) -> forms.Form:
        ids = set(CampaignEntry.objects.filter(campaign=self.campaign).values_list("agency_id", flat=True))
        units = Unit.objects.filter(pk__in=ids | {self.campaign.unit_id}).order_by("path")
        return UnitRatingForm(data, units=units)

    def perform(self, form: Any) -> str:
        services.unit_rating_set(campaign=self.campaign, acting_user=self.request.user, **form.cleaned_data)
        return "Đã lưu xếp loại tập thể."


class ExceptionView(_CampaignFormView):
    heading = "Ghi nhận ngoại lệ tỷ lệ hoàn thành xuất sắc"
    form_class = ExceptionForm
    submit = "Ghi nhận ngoại lệ"

    def perform(self, form: Any) -> str:
        services.exception_record(campaign=self.campaign, acting_user=self.request.user, **form.cleaned_data)
        return "Đã ghi nhận ngoại lệ."


class FinaliseView(_CampaignFormView):
    heading = "Hoàn tất đợt đánh giá"
    form_class = ConfirmForm
    submit = "Hoàn tất"

    def perform(self, form: Any) -> str:
        n = services.campaign_finalise(
            campaign=self.campaign, acting_user=self.request.user, reason=form.cleaned_data["reason"]
        )
        return f"Đã hoàn tất đợt đánh giá và ghi kết quả vào hồ sơ của {n} người."


def _record(request: HttpRequest, campaign: Any, entries: list[Any], file_format: str) -> None:
    """The campaign's summary in the read log: one row per person rated (one INSERT)."""
    record_read(
        request,
        [e.person_id for e in entries],
        f"Tổng hợp kết quả đánh giá ({file_format}), “{campaign}”",
        kind=Kind.DOCUMENT,
        detail={"document": "tong_hop_danh_gia", "campaign": campaign.pk},
    )


@login_required
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_or_404(request.user, pk)
    entries = selectors.entries_of(campaign)
    body = exports.summary_xlsx(campaign, entries)
    _record(request, campaign, entries, "Excel")
    return exports.attachment(body, exports.XLSX, f"tong-hop-danh-gia-{campaign.pk}.xlsx")


@login_required
def export_docx(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_or_404(request.user, pk)
    entries = selectors.entries_of(campaign)
    body = exports.summary_docx(campaign, entries)
    _record(request, campaign, entries, "Word")
    return exports.attachment(body, exports.DOCX, f"tong-hop-danh-gia-{campaign.pk}.docx")
