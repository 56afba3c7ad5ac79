"""Pages of confidence-vote sessions (/danh-gia/lay-phieu/): one URL per action, each write
through one service (``core.form_views.ServiceFormView``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from canbo.campaigns import votes
from canbo.campaigns.forms import (
    VoteActionForm,
    VoteConfirmForm,
    VoteCountsForm,
    VoteImportForm,
    VoteSessionForm,
)
from canbo.campaigns.models import VoteEntry, VoteSession
from canbo.core.form_views import ServiceFormView
from canbo.core.grants import can_change_anything
from canbo.core.querysets import CHANGE
from canbo.org.models import Unit
from canbo.org.selectors import unit_label
from canbo.rules.selectors import rulebook


@login_required
def index(request: HttpRequest) -> HttpResponse:
    rows = [(s, unit_label(s.unit)) for s in votes.sessions_for(request.user)]
    return render(
        request,
        "campaigns/votes/index.html",
        {
            "rows": rows,
            "can_create": can_change_anything(request.user),
            "work": votes.worklist(request.user),
            "reminders": votes.term_reminders(request.user),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = votes.session_or_404(request.user, pk)
    book = rulebook()
    can_change = session.is_open and VoteSession.objects.restrict(request.user, CHANGE).filter(pk=pk).exists()
    quorate, quorum_text = votes.quorum_result(book, session)
    ctx = {
        "s": session,
        "unit_name": unit_label(session.unit),
        "rows": votes.rows_of(session, book=book),
        "quorate": quorate,
        "quorum_text": quorum_text,
        "can_change": can_change,
    }
    return render(request, "campaigns/votes/detail.html", ctx)


class _SessionFormView(ServiceFormView):
    template_name = "campaigns/votes/form.html"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.session = votes.session_or_404(request.user, kwargs["pk"], CHANGE)

    def success_url(self) -> str:
        return reverse("campaigns:vote_detail", args=[self.session.pk])

    def context(self) -> dict[str, Any]:
        return {"s": self.session, "unit_name": unit_label(self.session.unit)}


class SessionCreateView(ServiceFormView):
    template_name = "campaigns/votes/form.html"
    heading = "Mở đợt lấy phiếu tín nhiệm"
    submit = "Mở đợt lấy phiếu"

    def get_form(self, data: Any = None) -> forms.Form:
        units = Unit.objects.restrict(self.request.user, CHANGE).order_by("path")
        return VoteSessionForm(data, units=units)

    def perform(self, form: Any) -> str:
        self.session = votes.session_create(acting_user=self.request.user, **form.cleaned_data)
        return f"Đã mở đợt lấy phiếu với {self.session.entries.count()} người được lấy phiếu."

    def success_url(self) -> str:
        return reverse("campaigns:vote_detail", args=[self.session.pk])


class CountsView(ServiceFormView):
    template_name = "campaigns/votes/form.html"
    submit = "Lưu kết quả"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.entry: VoteEntry = votes.entry_or_404(request.user, kwargs["pk"], CHANGE)
        self.session = self.entry.session
        self.heading = f"Kết quả kiểm phiếu: {self.entry.person.full_name}"

    def get_form(self, data: Any = None) -> forms.Form:
        e = self.entry
        return VoteCountsForm(data, initial={"high": e.high, "medium": e.medium, "low": e.low})

    def perform(self, form: Any) -> str:
        votes.counts_set(entry=self.entry, acting_user=self.request.user, **form.cleaned_data)
        return f"Đã lưu kết quả của {self.entry.person.full_name}."

    def success_url(self) -> str:
        return reverse("campaigns:vote_detail", args=[self.session.pk]) + f"#nguoi-{self.entry.pk}"

    def context(self) -> dict[str, Any]:
        return {"s": self.session, "unit_name": unit_label(self.session.unit)}


class ImportView(_SessionFormView):
    heading = "Nhập kết quả kiểm phiếu từ biên bản"
    form_class = VoteImportForm
    submit = "Nhập kết quả"

    def perform(self, form: Any) -> str:
        n = votes.counts_import(session=self.session, acting_user=self.request.user, **form.cleaned_data)
        return f"Đã nhập kết quả của {n} người."


class FinaliseView(_SessionFormView):
    heading = "Hoàn tất đợt lấy phiếu"
    form_class = VoteConfirmForm
    submit = "Hoàn tất"

    def perform(self, form: Any) -> str:
        n = votes.session_finalise(
            session=self.session, acting_user=self.request.user, reason=form.cleaned_data["reason"]
        )
        return f"Đã hoàn tất đợt lấy phiếu và ghi kết quả vào hồ sơ của {n} người."


class ActionView(ServiceFormView):
    template_name = "campaigns/votes/form.html"
    form_class = VoteActionForm
    submit = "Ghi nhận"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.entry = votes.entry_or_404(request.user, kwargs["pk"], CHANGE)
        self.session = self.entry.session
        self.heading = f"Xử lý kết quả lấy phiếu: {self.entry.person.full_name}"

    def perform(self, form: Any) -> str:
        votes.action_record(entry=self.entry, acting_user=self.request.user, **form.cleaned_data)
        return f"Đã ghi nhận xử lý đối với {self.entry.person.full_name}."

    def success_url(self) -> str:
        return reverse("campaigns:votes")

    def context(self) -> dict[str, Any]:
        return {"s": self.session, "unit_name": unit_label(self.session.unit)}
