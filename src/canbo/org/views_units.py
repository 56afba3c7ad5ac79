"""Pages that write units: create a unit under a unit, correct a unit's record, and the
restructuring operations with a form (rename, merge, split, move, dissolve).

Views stay thin: a form, one service call, the service's refusal shown on the form with a 4xx.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from canbo.core.errors import DomainError, error_text
from canbo.core.form_views import ServiceFormView
from canbo.core.querysets import CHANGE
from canbo.org import hooks, restructuring, services
from canbo.org.forms import (
    DissolveForm,
    MergeForm,
    MoveForm,
    RenameForm,
    SplitForm,
    UnitCorrectForm,
    UnitCreateForm,
)
from canbo.org.models import Unit


def unit_or_404(user: Any, pk: int, action: str = "view") -> Unit:
    """The unit if the user may ``action`` it; the same 404 whether missing or not permitted."""
    unit = Unit.objects.restrict(user, action).filter(pk=pk).select_related("area").first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    return unit


def render_form(
    request: HttpRequest, *, unit: Unit, form: forms.Form, title: str, note: str = "", status: int = 200
) -> HttpResponse:
    ctx = {"unit": unit, "form": form, "title": title, "note": note}
    return render(request, "org/unit_form.html", ctx, status=status)


def refuse(exc: Exception, form: forms.Form) -> int:
    """Put a service's refusal on the form; return the HTTP status to answer with."""
    form.add_error(None, error_text(exc))
    return 404 if getattr(exc, "status_code", 400) == 404 else 400


class _UnitFormView(ServiceFormView):
    """A write on the unit of the URL, which the user may change (core.form_views); after it,
    the unit's page (or the operation's result) as of the operation's date."""

    template_name = "org/unit_form.html"
    title = ""
    note = ""

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.unit = unit_or_404(request.user, kwargs["pk"], CHANGE)

    def make_form(self, request: HttpRequest, unit: Unit, data: Any = None) -> forms.Form:
        raise NotImplementedError

    def apply(self, request: HttpRequest, unit: Unit, form: Any) -> Unit:
        """Call the service; return the unit whose page follows."""
        raise NotImplementedError

    def get_form(self, data: Any = None) -> forms.Form:
        return self.make_form(self.request, self.unit, data)

    def perform(self, form: Any) -> str:
        self.target = self.apply(self.request, self.unit, form)
        self.day = form.cleaned_data.get("on") or form.cleaned_data.get("valid_from")
        return ""

    def success_url(self) -> str:
        suffix = f"?ngay={self.day:%Y-%m-%d}" if self.day else ""
        return reverse("org:unit", args=[self.target.pk]) + suffix

    def context(self) -> dict[str, Any]:
        return {"unit": self.unit, "title": self.title, "note": self.note}


class UnitCreateView(_UnitFormView):
    """Create a unit under the unit of the URL (an officer or admin grant on it is needed)."""

    title = "Thêm đơn vị trực thuộc"

    def make_form(self, request: HttpRequest, unit: Unit, data: Any = None) -> forms.Form:
        initial = {"block": unit.block, "level": unit.level, "area": unit.area_id}
        return UnitCreateForm(data, initial=initial)

    def apply(self, request: HttpRequest, unit: Unit, form: Any) -> Unit:
        return services.unit_create(acting_user=request.user, parent=unit, **form.cleaned_data)


class _RestructureBase(_UnitFormView):
    """A write that is a decision of the level above (correct, rename, move, merge, split,
    dissolve): a grant on the unit itself is not enough, its parent must be in the user's
    grants (``services.can_restructure``). The page answers 403 to one who may see the unit."""

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        super().setup_view(request, **kwargs)
        if not services.can_restructure(request.user, self.unit):
            raise PermissionDenied("Sắp xếp, đính chính đơn vị cần quyền trên đơn vị cấp trên của nó.")


class UnitCorrectView(_RestructureBase):
    """Correct a value typed in wrong; the reason goes to the change log."""

    title = "Đính chính thông tin đơn vị"
    note = "Thông tin đính chính được coi là đúng cho mọi thời điểm và ghi vào lịch sử thay đổi cùng lý do."

    def make_form(self, request: HttpRequest, unit: Unit, data: Any = None) -> forms.Form:
        initial = {
            f: getattr(unit, f) for f in ("code", "name", "short_name", "kind", "block", "level", "note")
        }
        initial.update(area=unit.area_id, basis=unit.basis)
        return UnitCorrectForm(data, initial=initial)

    def apply(self, request: HttpRequest, unit: Unit, form: Any) -> Unit:
        d = dict(form.cleaned_data)
        reason = d.pop("reason")
        changes = {k: v for k, v in d.items() if getattr(unit, k) != v}
        return services.unit_correct(unit=unit, acting_user=request.user, reason=reason, **changes)


def _rename(request: HttpRequest, unit: Unit, d: dict[str, Any], form: Any) -> Unit:
    return restructuring.unit_rename(
        acting_user=request.user, unit=unit, new_name=d["new_name"], on=d["on"], basis=d["basis"]
    )


def _merge(request: HttpRequest, unit: Unit, d: dict[str, Any], form: Any) -> Unit:
    new_unit = None
    if not d.get("into"):
        new_unit = {
            "code": d["new_code"], "name": d["new_name"], "kind": d["new_kind"] or unit.kind,
            "block": d["new_block"] or unit.block, "level": d["new_level"] or unit.level,
        }  # fmt: skip
    return restructuring.unit_merge(
        acting_user=request.user,
        sources=list(d["sources"]),
        on=d["on"],
        into=d.get("into"),
        parent=d.get("parent"),
        new_unit=new_unit,
        carry_people=d["carry_people"],
        basis=d["basis"],
    )


def _split(request: HttpRequest, unit: Unit, d: dict[str, Any], form: Any) -> Unit:
    new_units = restructuring.unit_split(
        acting_user=request.user,
        source=unit,
        on=d["on"],
        parts=form.parts(),
        parent=d.get("parent"),
        people_to=form.people_to(),
        basis=d["basis"],
    )
    return new_units[0]


def _move(request: HttpRequest, unit: Unit, d: dict[str, Any], form: Any) -> Unit:
    return restructuring.unit_move(
        acting_user=request.user, unit=unit, new_parent=d["new_parent"], on=d["on"], basis=d["basis"]
    )


def _dissolve(request: HttpRequest, unit: Unit, d: dict[str, Any], form: Any) -> Unit:
    restructuring.unit_dissolve(
        acting_user=request.user,
        unit=unit,
        on=d["on"],
        successor=d.get("successor"),
        carry_people=d["carry_people"],
        basis=d["basis"],
    )
    return unit


Operation = Callable[[HttpRequest, Unit, dict[str, Any], Any], Unit]

# slug → (title, form class, service call)
OPERATIONS: dict[str, tuple[str, type[forms.Form], Operation]] = {
    "doi-ten": ("Đổi tên đơn vị", RenameForm, _rename),
    "sap-nhap": ("Sáp nhập, hợp nhất đơn vị", MergeForm, _merge),
    "chia-tach": ("Chia tách đơn vị", SplitForm, _split),
    "chuyen": ("Chuyển đơn vị sang đơn vị cấp trên khác", MoveForm, _move),
    "giai-the": ("Giải thể đơn vị", DissolveForm, _dissolve),
}

RESTRUCTURE_NOTE = (
    "Thao tác không sửa quá khứ: đơn vị kết thúc vào ngày trước ngày hiệu lực, các chức vụ đang giữ tại "
    "đơn vị được kết thúc cùng ngày; mọi thay đổi được ghi lịch sử cùng căn cứ. Quyền của người dùng trên "
    "đơn vị chuyển sang đơn vị kế thừa (chia tách: sang từng đơn vị mới); vị trí được chuyển theo khi chuyển "
    "đơn vị cấp trên, kết thúc khi sáp nhập, chia tách, giải thể; biên chế được chuyển theo hoặc cộng vào "
    "đơn vị tiếp nhận khi chuyển, sáp nhập, không tự chia khi chia tách."
)


class RestructureView(_RestructureBase):
    """Rename, merge, split, move or dissolve, starting from one unit's page."""

    note = RESTRUCTURE_NOTE

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("op") not in OPERATIONS:
            raise Http404
        self.op = kwargs["op"]
        self.title = OPERATIONS[self.op][0]
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, request: HttpRequest, unit: Unit, data: Any = None) -> forms.Form:
        cls = OPERATIONS[self.op][1]
        if cls is RenameForm:
            return cls(data)
        if cls is SplitForm:
            people = hooks.running_people(request.user, unit)
            return SplitForm(data, user=request.user, unit=unit, people=people)
        initial = {"sources": [unit.pk]} if cls is MergeForm else {}
        return cls(data, initial=initial, user=request.user)  # type: ignore[call-arg]

    def apply(self, request: HttpRequest, unit: Unit, form: Any) -> Unit:
        return OPERATIONS[self.op][2](request, unit, form.cleaned_data, form)


class RootCreateView(LoginRequiredMixin, View):
    """Create a root unit (the province): superusers only; others get a 404."""

    title = "Thêm đơn vị gốc"

    def _check(self, request: HttpRequest) -> None:
        if not request.user.is_superuser:
            raise Http404("Không tìm thấy trang.")

    def _render(self, request: HttpRequest, form: forms.Form, status: int = 200) -> HttpResponse:
        ctx = {"unit": None, "form": form, "title": self.title, "note": ""}
        return render(request, "org/unit_form.html", ctx, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        return self._render(request, UnitCreateForm(initial={"kind": "dia_phuong", "level": "tinh"}))

    def post(self, request: HttpRequest) -> HttpResponse:
        self._check(request)
        form = UnitCreateForm(request.POST)
        if form.is_valid():
            try:
                unit = services.unit_create(acting_user=request.user, parent=None, **form.cleaned_data)
            except (DomainError, ValidationError) as exc:
                return self._render(request, form, status=refuse(exc, form))
            return HttpResponseRedirect(reverse("org:unit", args=[unit.pk]))
        return self._render(request, form, status=400)
