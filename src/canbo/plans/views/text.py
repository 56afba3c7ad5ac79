"""Reading a document: paste or upload → a draft → the officer reviews and corrects it → one save.

Two pages, each one ServiceFormView whose "form" on the saving step is the whole posted draft
(``forms.DraftReview``): tasks added to an existing plan (``/ke-hoach/<pk>/trich/``), and a new
plan with its tasks (``/ke-hoach/moi/tu-van-ban/``). The reading steps (``buoc`` empty: read the
text; ``buoc=xem``: read the corrected deadlines again) write nothing; ``buoc=luu`` saves.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from canbo.core.text import fold
from canbo.core.views import bad_request
from canbo.plans import selectors, services
from canbo.plans.deadlines import describe, parse_deadline
from canbo.plans.extract import Catalogue, ExtractError, extract_plan, is_generic, read_docx
from canbo.plans.forms import DraftReview, DraftTaskFormSet, ExtractForm, PlanFromTextForm
from canbo.plans.models import PlanKind
from canbo.plans.views.base import PlansFormView, board_plan_or_404

HEADER_PREFIX = "kh"
NO_TASKS = "Không tìm thấy nhiệm vụ nào trong văn bản. Hãy kiểm tra nội dung."
NO_DEADLINE_READING = (
    "Chưa đọc được thời hạn — văn bản không ghi hoặc hệ thống chưa nhận ra; cần cán bộ xác định"
)


class _ReviewView(PlansFormView):
    """GET: the paste/upload form. POST without ``buoc``: read the text and show the draft;
    ``buoc=xem``: show the posted draft again; ``buoc=luu``: ServiceFormView's post (validate the
    whole draft, one service call, redirect)."""

    bad_draft = "Bản nháp không hợp lệ; hãy trích lại từ văn bản."

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        step = request.POST.get("buoc", "")
        if step == "":
            return self.read(ExtractForm(request.POST, request.FILES))
        try:
            self.draft = self.posted_draft(request.POST)
        except (ValueError, KeyError, TypeError):
            return bad_request(request, self.bad_draft)
        if step != "luu":
            return self.render_form(self.draft, status=self.recheck_status(self.draft))
        return super().post(request, **kwargs)

    def recheck_status(self, draft: DraftReview) -> int:
        """The status of the page that reads the corrected draft again (nothing is saved)."""
        return 200

    def get_form(self, data: Any = None) -> Any:
        return ExtractForm() if data is None else self.draft

    def read(self, form: ExtractForm) -> HttpResponse:
        if form.is_valid():
            try:
                text = _uploaded_text(form.cleaned_data)
            except ExtractError as exc:
                form.add_error("file", str(exc))
            else:
                response = self.show_draft(form, text)
                if response is not None:
                    return response
        return self.render_form(form, status=400)

    def render_form(self, form: Any, status: int = 200) -> HttpResponse:
        if isinstance(form, DraftReview):
            return self.render_review(form.sections, form.formset, form.header, form, status)
        return render(
            self.request,
            "plans/extract.html",
            self.page_context(form=form, **self.extract_context()),
            status=status,
        )

    # Subclasses: the page's objects and the draft's catalogue.
    def posted_draft(self, data: Any) -> DraftReview:
        raise NotImplementedError

    def show_draft(self, form: ExtractForm, text: str) -> HttpResponse | None:
        raise NotImplementedError

    def extract_context(self) -> dict[str, Any]:
        raise NotImplementedError

    def render_review(
        self,
        sections: list[dict[str, Any]],
        formset: Any,
        header: dict[str, Any],
        draft: DraftReview | None,
        status: int = 200,
    ) -> HttpResponse:
        raise NotImplementedError


class PlanExtractView(_ReviewView):
    """/ke-hoach/<pk>/trich/: the board adds the tasks read from the plan's document."""

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.plan = board_plan_or_404(request.user, kwargs["pk"])

    def catalogue(self) -> Catalogue:
        return selectors.plan_catalogue(self.plan.unit, self.day, self.plan.issued_on)

    def extract_context(self) -> dict[str, Any]:
        return {"plan": self.plan}

    def posted_draft(self, data: Any) -> DraftReview:
        return DraftReview(data)

    def recheck_status(self, draft: DraftReview) -> int:
        return 200 if draft.formset.is_valid() else 400

    def show_draft(self, form: ExtractForm, text: str) -> HttpResponse | None:
        draft = extract_plan(text, self.catalogue())
        if not draft.tasks:
            form.add_error(None, NO_TASKS)
            return None
        sections = _draft_sections(draft)
        formset = _initial_formset(sections, _draft_initial(draft))
        return self.render_review(sections, formset, draft.header, None)

    def render_review(
        self,
        sections: list[dict[str, Any]],
        formset: Any,
        header: dict[str, Any],
        draft: DraftReview | None,
        status: int = 200,
    ) -> HttpResponse:
        plan = self.plan
        ctx = self.page_context(
            plan=plan,
            formset=formset,
            draft_errors=draft.errors if draft else [],
            rows=_review_rows(formset, self.catalogue()),
            sections_json=json.dumps(sections, ensure_ascii=False),
            header=header,
            header_json=json.dumps(header, ensure_ascii=False),
            header_kind=dict(PlanKind.choices).get(str(header.get("kind", "")), ""),
            header_date=_iso_date(header.get("issued_on")),
            number_differs=bool(header.get("number"))
            and fold(str(header.get("number"))) != fold(plan.number),
        )
        return render(self.request, "plans/review.html", ctx, status=status)

    def perform(self, form: Any) -> str:
        catalogue = self.catalogue()
        saved = services.plan_save_tasks(
            acting_user=self.request.user,
            plan=self.plan,
            sections=_section_inputs(form.sections),
            tasks=[services.draft_task_input(d, catalogue) for d in form.chosen],
            # the plan's own document (its number required) is the reason of the tasks it holds
            reason=f"Trích từ văn bản số {self.plan.number}, đã rà soát",
        )
        return f"Đã lưu {len(saved)} nhiệm vụ."

    def success_url(self) -> str:
        return reverse("plans:detail", args=[self.plan.pk])


class PlanFromTextView(_ReviewView):
    """/ke-hoach/moi/tu-van-ban/: a document with no plan yet → review the header and the tasks →
    one "Lưu" creates the plan, its sections and tasks in one transaction."""

    bad_draft = "Bản nháp không hợp lệ; hãy đọc lại từ văn bản."
    # The plan's "unit" is the header form's "unit_code".
    error_fields = {"unit": "unit_code"}

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        if not selectors.can_create_plans(request.user):
            raise Http404("Không tìm thấy trang.")

    def catalogue(self, header: dict[str, Any]) -> Catalogue:
        return selectors.user_catalogue(self.request.user, self.day, _iso_date(header.get("issued_on")))

    def extract_context(self) -> dict[str, Any]:
        return {"plan": None, "new_plan": True}

    def posted_draft(self, data: Any) -> DraftReview:
        header_form = PlanFromTextForm(data, user=self.request.user, prefix=HEADER_PREFIX)
        return DraftReview(data, header_form=header_form)

    def show_draft(self, form: ExtractForm, text: str) -> HttpResponse | None:
        header = extract_plan(text).header
        draft = extract_plan(text, self.catalogue(header))
        if not draft.tasks:
            form.add_error(None, NO_TASKS)
            return None
        self.header_form = PlanFromTextForm(
            user=self.request.user, prefix=HEADER_PREFIX, initial=self.header_initial(draft.header)
        )
        sections = _draft_sections(draft)
        formset = _initial_formset(sections, _draft_initial(draft))
        return self.render_review(sections, formset, draft.header, None)

    def header_initial(self, header: dict[str, Any]) -> dict[str, Any]:
        """The header form prefilled from what the document's first lines say, a suggested plan
        code, and the plans it implements when their numbers are cited in the title."""
        kind = str(header.get("kind") or "")
        issued_on = _iso_date(header.get("issued_on"))
        implements = selectors.cited_plan_codes(self.request.user, str(header.get("title") or ""))
        return {
            "kind": kind if kind in PlanKind.values else "",
            "number": header.get("number") or "",
            "issued_on": issued_on,
            "issuer_name": header.get("issuer_name") or "",
            "title": header.get("title") or "",
            "code": selectors.suggest_plan_code(kind, str(header.get("number") or ""), issued_on),
            "period_start": _iso_date(header.get("period_start")),
            "period_end": _iso_date(header.get("period_end")),
            "implements": ", ".join(implements),
        }

    def render_review(
        self,
        sections: list[dict[str, Any]],
        formset: Any,
        header: dict[str, Any],
        draft: DraftReview | None,
        status: int = 200,
    ) -> HttpResponse:
        ctx = self.page_context(
            plan=None,
            new_plan=True,
            header_form=draft.header_form if draft else self.header_form,
            draft_errors=draft.errors if draft else [],
            my_units=selectors.grant_units(self.request.user),
            formset=formset,
            rows=_review_rows(formset, self.catalogue(header)),
            sections_json=json.dumps(sections, ensure_ascii=False),
            header=header,
            header_json=json.dumps(header, ensure_ascii=False),
        )
        return render(self.request, "plans/review.html", ctx, status=status)

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        unit = data["unit_code"]
        catalogue = selectors.plan_catalogue(unit, self.day, data["issued_on"])
        plan, saved = services.plan_create_with_tasks(
            acting_user=self.request.user,
            unit=unit,
            implements=data["implements"],
            sections=_section_inputs(form.sections),
            tasks=[services.draft_task_input(d, catalogue) for d in form.chosen],
            # the document read (its number required on the header) is the reason, as for a new plan
            reason=f"Tạo kế hoạch theo văn bản số {data['number']}, đã rà soát",
            tasks_reason=f"Trích từ văn bản số {data['number']}, đã rà soát",
            **{f: data[f] for f in services.PLAN_FIELDS},
        )
        self.plan = plan
        return f"Đã tạo kế hoạch {plan.number} với {len(saved)} nhiệm vụ."

    def success_url(self) -> str:
        return reverse("plans:detail", args=[self.plan.pk])


def _section_inputs(sections: list[dict[str, Any]]) -> list[services.SectionInput]:
    return [services.SectionInput(s["number"], s["title"], int(s.get("level", 1))) for s in sections]


def _uploaded_text(data: dict[str, Any]) -> str:
    upload = data.get("file")
    if upload is None:
        return str(data["text"])
    if upload.name.lower().endswith(".docx"):
        return read_docx(upload)
    try:
        return str(upload.read().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ExtractError("Tệp văn bản phải ở bảng mã UTF-8.") from exc


def _draft_sections(draft: Any) -> list[dict[str, Any]]:
    return [{"number": s.number, "title": s.title, "level": s.level} for s in draft.sections]


def _draft_initial(draft: Any) -> list[dict[str, Any]]:
    labels = {f"{s.number} {s.title}".strip(): i for i, s in enumerate(draft.sections)}
    return [
        {
            "include": True,
            "number": t.number,
            "section": labels.get(t.section),
            "content": t.content,
            "lead": t.lead.name if t.lead else "",
            "coords": "\n".join(c.name for c in t.coordinating),
            "deadline": t.deadline_text,
        }
        for t in draft.tasks
    ]


def _initial_formset(sections: list[dict[str, Any]], initial: list[dict[str, Any]]) -> Any:
    choices = [(i, f"{s['number']} {s['title']}"[:120]) for i, s in enumerate(sections)]
    return DraftTaskFormSet(initial=initial, form_kwargs={"sections": choices})


def _review_rows(formset: Any, catalogue: Catalogue) -> list[dict[str, Any]]:
    """Each draft task's form with how its deadline and units were understood."""
    rows = []
    for form in formset.forms:
        value = (
            form.data.get(form.add_prefix("deadline")) if form.is_bound else form.initial.get("deadline")
        ) or ""
        lead = (form.data.get(form.add_prefix("lead")) if form.is_bound else form.initial.get("lead")) or ""
        coords = (
            form.data.get(form.add_prefix("coords")) if form.is_bound else form.initial.get("coords")
        ) or ""
        schedule = parse_deadline(value)
        rows.append(
            {
                "form": form,
                # No deadline read is flagged like an unreadable one: the officer sets it or
                # confirms the document gives none.
                "reading": describe(schedule) if value.strip() else NO_DEADLINE_READING,
                "flagged": schedule.flagged or schedule.incomplete or not value.strip(),
                "lead_match": _match_label(lead, catalogue),
                "coord_matches": [(n, _match_label(n, catalogue)) for n in coords.splitlines() if n.strip()],
            }
        )
    return rows


def _iso_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _match_label(name: str, catalogue: Catalogue) -> dict[str, Any]:
    name = name.strip()
    if not name:
        return {"state": "none"}
    unit_id = catalogue.match(name)
    if unit_id:
        return {"state": "ok", "unit_id": unit_id}
    if is_generic(name):
        return {"state": "generic", "units": len(catalogue.expand(name))}
    return {"state": "unmatched"}
