"""The retirement page (/nghi-huu/): the list, recording a notice or decision, the Word notice."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from canbo.core.dates import format_date, parse_as_of
from canbo.core.errors import DomainError
from canbo.core.form_views import ServiceFormView
from canbo.core.grants import can_change_anything
from canbo.core.readlog import Kind, record_read
from canbo.people.models import Person
from canbo.rules.selectors import rulebook
from canbo.salary import retirement
from canbo.salary.forms import NoticeForm, RetirementForm
from canbo.salary.models import NoticeKind

TEMPLATE = "salary/retirement.html"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """People of a unit subtree whose retirement date falls in the coming months (H-2, H-8)."""
    # Only the header's date (no unit chosen yet): the empty form, not errors.
    asked = request.GET if set(request.GET) - {"ngay"} else None
    form = RetirementForm(asked, user=request.user)
    if asked is None:
        return render(request, TEMPLATE, {"form": form, "items": None})
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form, "items": None}, status=400)
    return _render_list(request, form, NoticeForm(), status=200)


def _render_list(
    request: HttpRequest, form: RetirementForm, notice: NoticeForm, *, status: int
) -> HttpResponse:
    data = form.cleaned_data
    book = rulebook()
    items = retirement.retirement_list(
        request.user, data["don_vi"], data["ngay"], data["so_thang"], book=book
    )
    ctx = {
        "form": form,
        "notice_form": notice,
        "items": items,
        "h8": retirement.h8(book, data["ngay"]),
        "as_of": data["ngay"],
        "months": data["so_thang"],
        "unit": data["don_vi"],
        "can_record": can_change_anything(request.user),
        "overdue": sum(1 for i in items if i.flags),
    }
    return render(request, TEMPLATE, ctx, status=status)


class RecordView(ServiceFormView):
    """Record a notice or decision as issued for one person of the list: the generic write page
    (core.form_views) on the list's template; a refusal shows the list again with the reason."""

    http_method_names = ["post"]
    template_name = TEMPLATE

    def get_form(self, data: Any = None) -> forms.Form:
        self.list_form = RetirementForm(data, user=self.request.user)
        return NoticeForm(data, list_form=self.list_form)

    def render_form(self, form: forms.Form, status: int = 200) -> HttpResponse:
        if not self.list_form.is_valid():
            return render(self.request, TEMPLATE, {"form": self.list_form, "items": None}, status=status)
        if form.non_field_errors():
            form.errors[NON_FIELD_ERRORS] = form.error_class(
                [f"Không ghi được: {e}" for e in form.non_field_errors()]
            )
        return _render_list(self.request, self.list_form, form, status=status)  # type: ignore[arg-type]

    def perform(self, form: Any) -> str:
        d = form.cleaned_data
        saved = retirement.record_notice(
            acting_user=self.request.user,
            person_id=d["nguoi"],
            kind=d["loai"],
            number=d["so"],
            issued_on=d["ngay_ban_hanh"],
            signer=d["nguoi_ky"],
        )
        return f"Đã ghi {saved} cho {saved.person.full_name}."

    def success_url(self) -> str:
        data = self.list_form.cleaned_data
        query = urlencode(
            {"don_vi": data["don_vi"].pk, "ngay": format_date(data["ngay"]), "so_thang": data["so_thang"]}
        )
        return f"{reverse('retirement:index')}?{query}"


@login_required
def document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The retirement notice or decision of one person as a Word document, from his dossier."""
    person = Person.objects.restrict(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404("Không tìm thấy cán bộ hoặc bạn không có quyền với cán bộ này.")
    try:
        day = parse_as_of(request.GET.get("ngay") or "")
        body = retirement.document_docx(request.user, person, day, kind)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status_code, content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    slug = "thong-bao" if kind == NoticeKind.NOTICE else "quyet-dinh"
    record_read(
        request,
        person.pk,
        f"{NoticeKind(kind).label} (Word), dữ liệu tại ngày {day:%d/%m/%Y}",
        kind=Kind.DOCUMENT,
        person_name=person.full_name,
        detail={"document": f"nghi_huu_{kind}", "as_of": day.isoformat()},
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-nghi-huu-{person.pk}.docx"'
    return response
