"""The retirement page (/nghi-huu/): the list, recording a notice or decision, the Word notice."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from canbo.core.dates import format_date, parse_as_of
from canbo.core.errors import DomainError
from canbo.core.grants import can_change_anything
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


@login_required
@require_POST
def record(request: HttpRequest) -> HttpResponse:
    """Record a notice or decision as issued for one person of the list."""
    form = RetirementForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form, "items": None}, status=400)
    notice = NoticeForm(request.POST)
    if not notice.is_valid():
        return _render_list(request, form, notice, status=400)
    d = notice.cleaned_data
    try:
        saved = retirement.record_notice(
            acting_user=request.user,
            person_id=d["nguoi"],
            kind=d["loai"],
            number=d["so"],
            issued_on=d["ngay_ban_hanh"],
            signer=d["nguoi_ky"],
        )
    except (DomainError, ValidationError) as exc:
        text = exc.message if isinstance(exc, DomainError) else " ".join(exc.messages)
        notice.add_error(None, f"Không ghi được: {text}")
        status = exc.status_code if isinstance(exc, DomainError) else 400
        return _render_list(request, form, notice, status=status)
    messages.success(request, f"Đã ghi {saved} cho {saved.person.full_name}.")
    data = form.cleaned_data
    query = urlencode(
        {"don_vi": data["don_vi"].pk, "ngay": format_date(data["ngay"]), "so_thang": data["so_thang"]}
    )
    return HttpResponseRedirect(f"{reverse('retirement:index')}?{query}")


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
    response["Content-Disposition"] = f'attachment; filename="{slug}-nghi-huu-{person.pk}.docx"'
    return response
