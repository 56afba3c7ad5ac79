"""Pages of the rulebook: the rules and their versions, "Kiểm tra điều kiện", the career calendar
and the holiday table. Vietnamese throughout; every person read goes through the user's grants."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views import View

from canbo.core.dates import today
from canbo.core.errors import DomainError
from canbo.core.form_views import ServiceFormView
from canbo.core.params import parse_year
from canbo.core.querysets import CHANGE
from canbo.core.views import AsOfMixin
from canbo.org.forms import unit_picker_html
from canbo.org.models import Title, Unit
from canbo.people.models import Person
from canbo.rules import cli, selectors, services
from canbo.rules.engine.rulebook import CONFIDENCE_LABELS
from canbo.rules.engine.workdays import FIRST_YEAR, LAST_YEAR
from canbo.rules.forms import CalendarForm, CheckForm, HolidayForm, NewVersionForm, OverrideForm
from canbo.rules.models import Holiday, RetirementOverride, RuleVersion
from canbo.rules.services import is_rules_admin


class RulebookView(LoginRequiredMixin, View):
    """/quy-dinh/: every rule with all its versions, basis, range and confidence."""

    def get(self, request: HttpRequest) -> HttpResponse:
        topic = request.GET.get("chu_de") or None
        if topic and topic not in selectors.TOPICS:
            return render(
                request, "errors/400.html", {"message": "Chủ đề không có trong quy định."}, status=400
            )
        ctx = {
            "groups": selectors.rule_entries(topic),
            "topics": selectors.TOPICS,
            "topic": topic,
            "labels": CONFIDENCE_LABELS,
            "is_admin": is_rules_admin(request.user),
            "loaded": selectors.is_loaded(),
        }
        return render(request, "rules/rulebook.html", ctx)


class NewVersionView(ServiceFormView):
    """/quy-dinh/<rule>/phien-ban-moi/: administrators add a version of a rule's parameters."""

    template_name = "rules/new_version.html"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        if not is_rules_admin(request.user):
            raise Http404("Không tìm thấy trang.")
        current = RuleVersion.objects.filter(rule_id=kwargs["rule_id"]).order_by("-version").first()
        if current is None:
            raise Http404("Không có quy định này.")
        self.current = current

    def get_form(self, data: Any = None) -> NewVersionForm:
        return NewVersionForm(data, current=self.current)

    def context(self) -> dict[str, Any]:
        history = RuleVersion.objects.filter(rule_id=self.current.rule_id).order_by("version")
        return {"current": self.current, "history": history}

    def perform(self, form: Any) -> str:
        self.created = services.rule_version_add(
            rule_id=self.current.rule_id,
            params=form.params(),
            valid_from=form.cleaned_data["valid_from"],
            basis=form.cleaned_data["basis"],
            note=form.cleaned_data["note"],
            acting_user=self.request.user,
        )
        return f"Đã thêm {self.created}, áp dụng từ {self.created.valid_from:%d/%m/%Y}."

    def success_url(self) -> str:
        return reverse("rules:index") + f"#{self.created.rule_id}"


class CheckView(LoginRequiredMixin, View):
    """/quy-dinh/kiem-tra/: "Kiểm tra điều kiện" — the verdict table for a person, purpose, title, date.

    The person is picked by name among those the user may see; one outside his grants is not
    found (404), as on every page.
    """

    def get(self, request: HttpRequest) -> HttpResponse:
        if "muc_dich" not in request.GET:
            initial: dict[str, Any] = {"ngay": today()}
            raw = request.GET.get("nguoi", "").strip()
            if raw:
                picked = _visible_person(request, raw)
                initial.update({"nguoi": picked.pk, "ten": picked.full_name})
            return render(request, "rules/check.html", {"form": CheckForm(initial=initial)})
        form = CheckForm(request.GET)
        ctx: dict[str, Any] = {"form": form}
        if not form.is_valid():
            return render(request, "rules/check.html", ctx, status=400)
        if form.cleaned_data.get("nguoi"):
            person = _visible_person(request, str(form.cleaned_data["nguoi"]))
        else:
            found = selectors.person_candidates(request.user, form.cleaned_data["ten"], limit=MAX_CANDIDATES)
            if len(found) != 1:
                text = form.cleaned_data["ten"].strip()
                form.add_error(
                    "ten",
                    f"Không tìm thấy cán bộ “{text}” trong phạm vi của bạn."
                    if not found
                    else "Có nhiều người khớp: hãy chọn một người trong danh sách dưới đây.",
                )
                ctx["candidates"] = [(c, _with_person(request, c)) for c in found]
                return render(request, "rules/check.html", ctx, status=400)
            person = found[0].person
        title = Title.objects.get(code=form.cleaned_data["chuc_danh"])
        try:
            declared = cli.declared_from(form.declared_data())
        except DomainError as exc:
            form.add_error(None, exc.message)
            return render(request, "rules/check.html", ctx, status=400)
        verdict = selectors.verdict(
            request.user, person, form.cleaned_data["muc_dich"], title, form.cleaned_data["ngay"], declared
        )
        ctx.update({"verdict": verdict, "person": person, "title": title, "labels": CONFIDENCE_LABELS})
        return render(request, "rules/check.html", ctx)


MAX_CANDIDATES = 10


def _visible_person(request: HttpRequest, raw: str) -> Person:
    """The person of id ``raw`` among those the user may see; 404 otherwise (not permitted and
    not found look the same)."""
    person = None
    if raw.isascii() and raw.isdigit() and len(raw) < 19:
        person = (
            Person.objects.restrict(request.user).select_related("managing_unit").filter(pk=int(raw)).first()
        )
    if person is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return person


def _with_person(request: HttpRequest, candidate: selectors.PersonCandidate) -> str:
    """The check's query string with ``candidate`` picked."""
    query = request.GET.copy()
    query["nguoi"] = str(candidate.person.pk)
    query["ten"] = candidate.person.full_name
    return query.urlencode()


class PersonSuggestView(LoginRequiredMixin, View):
    """/quy-dinh/kiem-tra/goi-y/?ten=…: the people the user may see whose name (or personal id)
    matches, for the check page's person picker (an HTMX fragment)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        text = request.GET.get("ten", "").strip()[:150]
        found = (
            selectors.person_candidates(request.user, text, limit=MAX_CANDIDATES) if len(text) >= 2 else []
        )
        return render(
            request,
            "rules/_person_suggestions.html",
            {"candidates": found, "text": text, "more": len(found) > MAX_CANDIDATES},
        )


CALENDAR_PER_PAGE = 100  # rows of the career calendar shown at once


def calendar_rows(events: Iterable[selectors.CalendarEvent], person_base: str) -> SafeString:
    """The calendar table's rows, escaped exactly as the template would (Django's ``escape`` is
    ``html.escape``, without its lazy-string wrapper): five plain cells a row,
    built here rather than by the template engine (a page of rows through it was a third of the
    page's time). ``person_base`` is the person list's address (one ``reverse`` for all)."""
    base = escape(person_base)
    return mark_safe(  # noqa: S308 (every value is escaped)
        "".join(
            f'<tr class="{escape(e.kind)}"><td>{e.day:%d/%m/%Y}</td><td>{escape(e.kind_label)}</td>'
            f'<td><a href="{base}{e.person_id}/">{escape(e.person_name)}</a></td>'
            f"<td>{escape(e.detail)}</td><td>{escape(e.rule)}</td></tr>"
            for e in events
        )
    )


class CalendarView(LoginRequiredMixin, AsOfMixin, View):
    """/quy-dinh/lich/: what falls due in the next N months among the people the user sees."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CalendarForm(request.GET or None)
        months, unit, kinds = 6, None, None
        if request.GET:
            if not form.is_valid():
                return render(request, "rules/calendar.html", {"form": form, "as_of": self.day}, status=400)
            months = form.cleaned_data.get("thang") or 6
            kinds = set(form.cleaned_data.get("loai") or []) or None
            if form.cleaned_data.get("don_vi"):
                unit = Unit.objects.restrict(request.user).filter(pk=form.cleaned_data["don_vi"]).first()
                if unit is None:
                    raise Http404("Không tìm thấy đơn vị.")
        events = selectors.calendar_events(request.user, self.day, months, unit, kinds)
        counts = dict.fromkeys(selectors.EVENT_KINDS, 0)
        for e in events:
            counts[e.kind] += 1
        # The counts are of everything; the rows come a page at a time (a province's six months
        # hold a thousand of them). A page number out of range shows the last page.
        page = Paginator(events, CALENDAR_PER_PAGE).get_page(request.GET.get("trang"))
        ctx = {
            "form": form,
            "events": page,
            "total": len(events),
            "counts": [(selectors.EVENT_KINDS[k], n) for k, n in counts.items()],
            "months": months,
            "unit": unit,
            "unit_picker": unit_picker_html("don_vi", unit, html_id="id_don_vi"),
            "rows": calendar_rows(page, reverse("people:list")),
            "as_of": self.day,
            "as_of_is_today": self.day == today(),
        }
        return render(request, "rules/calendar.html", ctx)


class HolidayView(ServiceFormView):
    """/quy-dinh/ngay-nghi/: the holiday table (everyone); administrators add a day (POST)."""

    template_name = "rules/holidays.html"
    form_class = HolidayForm

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        if request.method == "POST" and not is_rules_admin(request.user):
            raise Http404("Không tìm thấy trang.")

    def context(self) -> dict[str, Any]:
        year = parse_year(
            self.request.GET.get("nam"), "Năm", minimum=FIRST_YEAR, maximum=LAST_YEAR, default=today().year
        )
        adjustments = {h.day: h for h in Holiday.objects.filter(day__year=year)}
        rows = [(d, adjustments.get(d.day)) for d in selectors.work_calendar().year_days(year)]
        return {"rows": rows, "year": year, "is_admin": is_rules_admin(self.request.user)}

    def perform(self, form: Any) -> str:
        self.holiday = services.holiday_add(
            day=form.cleaned_data["day"],
            name=form.cleaned_data["name"],
            working=form.cleaned_data["working"],
            acting_user=self.request.user,
        )
        what = "ngày làm việc" if self.holiday.working else "ngày nghỉ"
        return f"Đã thêm {what} {self.holiday.day:%d/%m/%Y}."

    def success_url(self) -> str:
        return reverse("rules:holidays") + f"?nam={self.holiday.day.year}"


class HolidayDeleteView(ServiceFormView):
    """/quy-dinh/ngay-nghi/<id>/bo/ (POST): an administrator removes an adjustment."""

    http_method_names = ["post"]
    form_class = forms.Form
    template_name = "rules/holidays.html"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        if not is_rules_admin(request.user):
            raise Http404("Không tìm thấy trang.")
        holiday = Holiday.objects.filter(pk=kwargs["pk"]).first()
        if holiday is None:
            raise Http404("Không có ngày nghỉ này.")
        self.holiday = holiday

    def render_form(self, form: Any, status: int = 200) -> HttpResponse:
        messages.error(self.request, " ".join(form.non_field_errors()))
        return HttpResponseRedirect(self.success_url())

    def perform(self, form: Any) -> str:
        services.holiday_delete(holiday=self.holiday, acting_user=self.request.user)
        return f"Đã bỏ ngày {self.holiday.day:%d/%m/%Y}."

    def success_url(self) -> str:
        return reverse("rules:holidays") + f"?nam={self.holiday.day.year}"


class OverrideView(ServiceFormView):
    """/quy-dinh/nghi-huu/<person>/: record or remove a person's own retirement month (H-5).

    Needs the right to change the person's dossier; otherwise 404, as for a missing person.
    """

    template_name = "rules/override.html"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        person = Person.objects.restrict(request.user, CHANGE).filter(pk=kwargs["pk"]).first()
        if person is None:
            raise Http404("Không tìm thấy hồ sơ.")
        self.person = person
        self.current = RetirementOverride.objects.filter(person=person).first()

    def get_form(self, data: Any = None) -> OverrideForm:
        if data is not None:
            return OverrideForm(data)
        current = self.current
        fields = ("kind", "month", "year", "basis", "note")
        return OverrideForm(initial={f: getattr(current, f) for f in fields} if current else {})

    def context(self) -> dict[str, Any]:
        cal = selectors.person_calendar(self.request.user, self.person, today())
        return {"person": self.person, "current": self.current, "cal": cal}

    def perform(self, form: Any) -> str:
        services.retirement_override_set(
            person=self.person, acting_user=self.request.user, **form.cleaned_data
        )
        return "Đã ghi quyết định tuổi nghỉ hưu riêng."

    def success_url(self) -> str:
        return reverse("people:detail", args=[self.person.pk]) + "#lich-cong-tac"


class OverrideDeleteView(OverrideView):
    """/quy-dinh/nghi-huu/<person>/bo/ (POST): remove the person's own retirement month."""

    http_method_names = ["post"]
    form_class = forms.Form

    def get_form(self, data: Any = None) -> Any:
        return forms.Form(data)

    def perform(self, form: Any) -> str:
        if self.current is None:
            return ""
        services.retirement_override_delete(
            override=self.current, acting_user=self.request.user, reason="Bỏ quyết định tuổi nghỉ hưu riêng"
        )
        return "Đã bỏ quyết định riêng; ngày nghỉ hưu tính theo quy định chung."


class ExceptionsView(LoginRequiredMixin, View):
    """Every rule exception recorded in the user's subtrees, whatever the rule and the subject
    (the province-wide list for a province grant), newest first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = selectors.exceptions_visible(request.user)
        return render(request, "rules/exceptions.html", {"rows": rows})
