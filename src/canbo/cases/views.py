"""Pages of appointment cases: the list, the case page, and one page per action
(``core.form_views.ServiceFormView``: form → one service → redirect)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.generic import TemplateView

from canbo.careers.models import Tenure
from canbo.cases import selectors, services
from canbo.cases.forms import (
    CandidateAddForm,
    CaseOpenForm,
    ConfirmForm,
    DecisionForm,
    DeclareForm,
    ExceptionForm,
    ExtendForm,
    HeadPilotForm,
    StepForm,
    StopForm,
)
from canbo.cases.models import Candidate, Case, CaseStatus
from canbo.core.errors import DomainError
from canbo.core.form_views import ServiceFormView
from canbo.core.forms import USUAL_REASONS
from canbo.core.grants import is_admin
from canbo.core.querysets import CHANGE
from canbo.org.models import Post
from canbo.people.models import Person


def _int(raw: Any) -> int:
    if not str(raw or "").isdigit():
        raise Http404("Không tìm thấy.")
    return int(raw)


class CaseListView(LoginRequiredMixin, TemplateView):
    """Cases of the user's subtrees by status, with their age and what each waits for."""

    template_name = "cases/case_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("trang_thai", "")
        if status and status not in (*CaseStatus.values, selectors.OPEN):
            status = ""
        unit = None
        raw = self.request.GET.get("don_vi", "")
        if raw:
            from canbo.org.views_units import unit_or_404

            unit = unit_or_404(self.request.user, _int(raw))
        cases = selectors.cases_for(self.request.user, status=status, unit=unit)
        ctx.update(
            can_admin=is_admin(self.request.user),
            unit=unit,
            rows=[(c, selectors.age_days(c), selectors.waits_for(c)) for c in cases],
            statuses=[(selectors.OPEN, "Đang mở"), *CaseStatus.choices],
            status=status,
        )
        return ctx


class TermsEndingView(LoginRequiredMixin, TemplateView):
    """Reappointment worklist: terms ending in the next N months (``?thang=``, default 6) with
    A-13's notice deadline; each opens a reappointment case."""

    template_name = "cases/terms_ending.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from canbo.core.dates import today

        ctx = super().get_context_data(**kwargs)
        raw = self.request.GET.get("thang", "6")
        months = int(raw) if raw.isdigit() and 1 <= int(raw) <= 36 else 6
        day = today()
        ctx.update(rows=selectors.terms_ending(self.request.user, day, months), months=months, day=day)
        return ctx


class CaseDetailView(LoginRequiredMixin, TemplateView):
    template_name = "cases/case_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        case = selectors.case_or_none(user, kwargs["pk"])
        if case is None:
            raise Http404("Không tìm thấy hồ sơ bổ nhiệm.")
        can_change = Case.objects.restrict(user, CHANGE).filter(pk=case.pk).exists()
        ctx.update(selectors.case_page(user, case))
        ctx.update(
            case=case,
            can_change=can_change,
            can_grant=can_change and services.can_grant_exception(user, case.unit),
        )
        return ctx


def _document(
    request: HttpRequest, form: str, context: dict[str, Any], stem: str, case: Case
) -> HttpResponse:
    """A case's document through the templates kept by the documents app (``core.docforms``):
    Word, or PDF with ``?dinh_dang=pdf``; recorded in the read log."""
    from canbo.core import docforms
    from canbo.core.dates import today

    person_ids = list(case.candidates.values_list("person_id", flat=True))
    try:
        made = docforms.render(
            form,
            context,
            file_format=request.GET.get("dinh_dang", "docx"),
            acting_user=request.user,
            subject=f"Hồ sơ bổ nhiệm số {case.pk}: {case.post.title.name} – {case.unit.name}",
            as_of=today(),
            count=len(person_ids) or 1,
            person_ids=person_ids or None,
        )
    except DomainError as exc:
        from canbo.core.views import bad_request

        return bad_request(request, str(exc))
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{made.file_format}"'
    return response


def minutes_view(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    """Biên bản kiểm phiếu of one step (Word or PDF)."""
    from canbo.cases.documents import MINUTES, minutes_context

    if not request.user.is_authenticated:
        raise Http404("Không tìm thấy.")
    case = selectors.case_or_none(request.user, pk)
    found = case.steps.prefetch_related("vote_rows").filter(pk=step).first() if case else None
    if case is None or found is None:
        raise Http404("Không tìm thấy bước của hồ sơ bổ nhiệm.")
    names = {c.pk: c.person.full_name for c in case.candidates.select_related("person")}
    return _document(
        request,
        MINUTES,
        minutes_context(case, found, names),
        f"bien-ban-kiem-phieu-{case.pk}-buoc-{found.number}",
        case,
    )


def proposal_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Tờ trình with the candidates' verdicts (Word or PDF)."""
    from canbo.cases.documents import PROPOSAL, proposal_context
    from canbo.core.dates import today

    if not request.user.is_authenticated:
        raise Http404("Không tìm thấy.")
    case = selectors.case_or_none(request.user, pk)
    if case is None:
        raise Http404("Không tìm thấy hồ sơ bổ nhiệm.")
    rows = selectors.case_page(request.user, case)["rows"]
    return _document(request, PROPOSAL, proposal_context(case, rows, today()), f"to-trinh-{case.pk}", case)


class _CaseAction(ServiceFormView):
    """An action on the case of the URL, which the user may change."""

    template_name = "cases/case_form.html"
    form_class: type[forms.Form] | None = ConfirmForm
    note = ""

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        case = selectors.case_or_none(request.user, kwargs["pk"], CHANGE)
        if case is None:
            raise Http404("Không tìm thấy hồ sơ bổ nhiệm.")
        self.case = case

    def success_url(self) -> str:
        return reverse("cases:detail", args=[self.case.pk])

    def context(self) -> dict[str, Any]:
        return {"case": self.case, "note": self.note}

    def candidate(self, pk: Any) -> Candidate:
        found = self.case.candidates.select_related("person").filter(pk=_int(pk)).first()
        if found is None:
            raise Http404("Không tìm thấy nhân sự trong hồ sơ.")
        return found


class CaseOpenView(ServiceFormView):
    """Open a case from a vacancy (``?vi_tri=`` a post) or a term ending (``?chuc_vu=`` a tenure)."""

    template_name = "cases/case_form.html"
    form_class = CaseOpenForm
    heading = "Mở hồ sơ bổ nhiệm"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.tenure: Tenure | None = None
        if request.GET.get("chuc_vu"):
            self.tenure = (
                Tenure.objects.restrict(request.user, CHANGE)
                .select_related("person", "title", "unit")
                .filter(pk=_int(request.GET["chuc_vu"]))
                .first()
            )
            if self.tenure is None:
                raise Http404("Không tìm thấy chức vụ.")
            post = self.tenure.post or (
                Post.objects.restrict(request.user, CHANGE)
                .filter(unit_id=self.tenure.unit_id, title_id=self.tenure.title_id)
                .first()
            )
        else:
            post = (
                Post.objects.restrict(request.user, CHANGE).filter(pk=_int(request.GET.get("vi_tri"))).first()
            )
        if post is None:
            raise Http404("Không tìm thấy vị trí.")
        self.post_obj = post

    def form_kwargs(self) -> dict[str, Any]:
        return {"reappointment": self.tenure is not None}

    def perform(self, form: Any) -> str:
        self.case = services.case_open(
            acting_user=self.request.user, post=self.post_obj, prior_tenure=self.tenure, **form.cleaned_data
        )
        return "Đã mở hồ sơ bổ nhiệm."

    def success_url(self) -> str:
        return reverse("cases:detail", args=[self.case.pk])

    def context(self) -> dict[str, Any]:
        return {"post": self.post_obj, "tenure": self.tenure}


class CandidateAddView(_CaseAction):
    """Search people by name (``?q=``) and add one as a personnel option."""

    template_name = "cases/candidate_add.html"
    form_class = CandidateAddForm
    heading = "Thêm nhân sự"

    def perform(self, form: Any) -> str:
        person = Person.objects.restrict(self.request.user).filter(pk=form.cleaned_data["person"]).first()
        if person is None:
            raise DomainError("Không tìm thấy cán bộ này hoặc bạn không có quyền xem hồ sơ của họ.")
        services.candidate_add(
            acting_user=self.request.user, case=self.case, person=person, reason=form.cleaned_data["reason"]
        )
        return f"Đã thêm {person.full_name}."

    def context(self) -> dict[str, Any]:
        from canbo.rules.selectors import person_candidates

        q = self.request.GET.get("q", "")[:100]
        found = person_candidates(self.request.user, q, limit=20)
        return {**super().context(), "q": q, "found": found, "usual_reasons": USUAL_REASONS}


class DeclareView(_CaseAction):
    form_class = DeclareForm
    heading = "Khai báo thông tin A-7"
    note = (
        "Hồ sơ chưa có thông tin này: người được giới thiệu có đang bị xem xét kỷ luật, "
        "điều tra, truy tố, xét xử?"
    )

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        super().setup_view(request, **kwargs)
        self.cand = self.candidate(kwargs["cand"])

    def perform(self, form: Any) -> str:
        services.candidate_declare(
            acting_user=self.request.user,
            candidate=self.cand,
            pending_discipline=form.cleaned_data["pending_discipline"],
            reason=form.cleaned_data["reason"],
        )
        return "Đã ghi thông tin khai báo."


class StartStepsView(_CaseAction):
    heading = "Chuyển sang các bước của quy trình"
    note = "Kiểm tra số phương án nhân sự (A-18) trước khi chuyển."
    submit = "Chuyển"

    def perform(self, form: Any) -> str:
        services.case_start_steps(
            acting_user=self.request.user, case=self.case, reason=form.cleaned_data["reason"]
        )
        return "Hồ sơ đã chuyển sang các bước của quy trình."


class StepView(_CaseAction):
    heading = "Ghi kết quả một bước"
    note = "Tỷ lệ tính trên số người được triệu tập (A-10); hội nghị cần có mặt ít nhất 2/3 (A-9)."

    def get_form(self, data: Any = None) -> forms.Form:
        candidates = list(self.case.candidates.select_related("person"))
        return StepForm(data, case=self.case, candidates=candidates)

    def perform(self, form: Any) -> str:
        d = form.cleaned_data
        step = services.step_record(
            acting_user=self.request.user,
            case=self.case,
            number=d["number"],
            held_on=d["held_on"],
            body=d["body"],
            convened=d["convened"],
            present=d["present"],
            ballots=d["ballots"],
            votes=form.votes(),
            reason=d["reason"],
        )
        if not step.quorum_met:
            return f"Đã ghi bước {step.number}: hội nghị không đủ số lượng, không dùng để chuyển bước."
        return f"Đã ghi bước {step.number}."


class SubmitView(_CaseAction):
    heading = "Trình cấp có thẩm quyền"
    submit = "Trình"

    def perform(self, form: Any) -> str:
        services.case_submit(
            acting_user=self.request.user, case=self.case, reason=form.cleaned_data["reason"]
        )
        return "Đã trình hồ sơ."


class ExceptionView(_CaseAction):
    form_class = ExceptionForm
    heading = "Ghi ngoại lệ của cấp có thẩm quyền"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        super().setup_view(request, **kwargs)
        self.cand = self.candidate(kwargs["cand"])
        self.note = f"Nhân sự: {self.cand.person.full_name}."

    def perform(self, form: Any) -> str:
        services.exception_record(acting_user=self.request.user, candidate=self.cand, **form.cleaned_data)
        return "Đã ghi ngoại lệ."


class DecisionView(_CaseAction):
    heading = "Ghi quyết định bổ nhiệm"
    note = "Quyết định ghi chức vụ vào hồ sơ cán bộ, lấp vị trí và đánh dấu quy hoạch đã sử dụng."

    def get_form(self, data: Any = None) -> forms.Form:
        return DecisionForm(data, candidates=list(self.case.candidates.select_related("person")))

    def perform(self, form: Any) -> str:
        d = dict(form.cleaned_data)
        cand = self.candidate(d.pop("candidate"))
        services.case_decide(acting_user=self.request.user, case=self.case, candidate=cand, **d)
        return "Đã ghi quyết định bổ nhiệm."


class ExtendView(_CaseAction):
    form_class = ExtendForm
    heading = "Kéo dài thời hạn giữ chức vụ đến khi nghỉ hưu (A-14)"

    def perform(self, form: Any) -> str:
        services.case_extend(acting_user=self.request.user, case=self.case, **form.cleaned_data)
        return "Đã ghi kéo dài thời hạn giữ chức vụ đến khi nghỉ hưu."


class StopView(_CaseAction):
    form_class = StopForm
    heading = "Dừng hồ sơ"
    danger = True
    submit = "Dừng"

    def perform(self, form: Any) -> str:
        services.case_stop(acting_user=self.request.user, case=self.case, reason=form.cleaned_data["reason"])
        return "Đã dừng hồ sơ."


class HeadPilotView(ServiceFormView):
    """The units in the A-12 pilot, and a form to add one (administrators)."""

    template_name = "cases/head_pilots.html"
    form_class = HeadPilotForm
    heading = "Đơn vị thí điểm giao quyền cho người đứng đầu (A-12)"

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        if not is_admin(request.user):
            raise Http404("Không tìm thấy.")

    def perform(self, form: Any) -> str:
        from canbo.org.models import Unit

        d = form.cleaned_data
        unit = Unit.objects.restrict(self.request.user, CHANGE).filter(code=d["unit_code"].strip()).first()
        if unit is None:
            raise DomainError("Không tìm thấy đơn vị có mã này trong phạm vi bạn được giao.")
        services.head_pilot_add(
            acting_user=self.request.user, unit=unit, valid_from=d["valid_from"], basis=d["basis"]
        )
        return "Đã ghi đơn vị thí điểm."

    def success_url(self) -> str:
        return reverse("cases:pilots")

    def context(self) -> dict[str, Any]:
        from canbo.cases.models import HeadPilot

        return {"pilots": list(HeadPilot.objects.restrict(self.request.user).select_related("unit"))}
