"""Pages of the dossier: list, person page, identity form, generic section forms, history."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from canbo.core.errors import DomainError
from canbo.core.history import describe_changes
from canbo.core.params import parse_version
from canbo.core.querysets import CHANGE
from canbo.core.views import AsOfMixin
from canbo.org.models import Unit
from canbo.people import selectors, services
from canbo.people.forms import PersonForm, section_form_class
from canbo.people.models import Attachment, Person
from canbo.people.sections import BY_SLUG, SectionSpec


def _person_or_404(user: Any, pk: int, action: str = "view") -> Person:
    try:
        return selectors.person_get(user, pk, action)
    except Person.DoesNotExist as exc:
        raise Http404("Không tìm thấy hồ sơ.") from exc


def _add_errors(form: Any, exc: Exception) -> None:
    """Put a service's refusal on the form, field by field where possible."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            if field == "birth_date":
                target = "birth"
            for msg in errors:
                form.add_error(target, msg)
    elif isinstance(exc, ValidationError):
        for msg in exc.messages:
            form.add_error(None, msg)
    elif isinstance(exc, DomainError):
        form.add_error(None, exc.message)


def _saved(request: HttpRequest, record: Any, version_before: int | None, message: str) -> None:
    """Confirm a save in Vietnamese; an edit that changed nothing (the service wrote nothing and
    the version stayed) says so instead of claiming a save."""
    if version_before is not None and record.row_version == version_before:
        messages.info(request, "Không có thay đổi nào; hồ sơ giữ nguyên.")
    else:
        messages.success(request, message)


class PersonDetailView(LoginRequiredMixin, AsOfMixin, TemplateView):
    template_name = "people/person_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        person = _person_or_404(self.request.user, kwargs["pk"])
        ctx["d"] = selectors.dossier(self.request.user, person, self.day)
        ctx["person"] = person
        return ctx


class PersonHistoryView(LoginRequiredMixin, AsOfMixin, TemplateView):
    template_name = "people/person_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        person = _person_or_404(self.request.user, kwargs["pk"])
        page = Paginator(selectors.person_history(self.request.user, person), 50).get_page(
            self.request.GET.get("trang")
        )
        ctx.update({"person": person, "page": page, "entries": describe_changes(page.object_list)})
        return ctx


class PersonEditView(LoginRequiredMixin, View):
    """Create (no pk) or edit a person's identity and service fields."""

    def _render(
        self, request: HttpRequest, form: PersonForm, person: Person | None, status: int = 200
    ) -> HttpResponse:
        return render(request, "people/person_form.html", {"form": form, "person": person}, status=status)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        person = _person_or_404(request.user, pk, CHANGE) if pk else None
        if person is None and not Unit.objects.restrict(request.user, CHANGE).exists():
            raise Http404
        return self._render(request, PersonForm(instance=person, user=request.user), person)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        person = _person_or_404(request.user, pk, CHANGE) if pk else None
        # The form writes the posted values onto its instance while it validates; the page's
        # heading keeps naming the dossier as saved, not a refused name.
        saved = copy.copy(person)
        form = PersonForm(request.POST, instance=person, user=request.user)
        if form.is_valid():
            try:
                if person is None:
                    person = services.person_create(
                        acting_user=request.user, reason=form.cleaned_data["reason"], **form.changes()
                    )
                    _saved(request, person, None, f"Đã thêm hồ sơ {person.full_name}.")
                else:
                    updated = services.person_update(
                        acting_user=request.user,
                        person=Person.objects.get(pk=person.pk),
                        changes=form.changes(),
                        reason=form.cleaned_data["reason"],
                        expected_version=parse_version(form.cleaned_data.get("row_version")),
                    )
                    _saved(request, updated, person.row_version, "Đã lưu thông tin cá nhân.")
                return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
            except (ValidationError, DomainError) as exc:
                _add_errors(form, exc)
        status = 409 if any("người khác sửa" in str(e) for e in form.non_field_errors()) else 400
        return self._render(request, form, saved, status=status)


class SectionMixin:
    spec: SectionSpec
    person: Person

    def setup_section(self, request: HttpRequest, pk: int, slug: str) -> None:
        spec = BY_SLUG.get(slug)
        if spec is None:
            raise Http404
        self.spec = spec
        self.person = _person_or_404(request.user, pk, CHANGE)
        if spec.sensitive:
            from canbo.core.grants import sees_sensitive_of

            if not sees_sensitive_of(request.user, self.person):
                raise Http404

    def record(self, request: HttpRequest, item: int) -> Any:
        try:
            return self.spec.model._default_manager.restrict(request.user, CHANGE).get(
                pk=item, person=self.person
            )
        except self.spec.model.DoesNotExist as exc:
            raise Http404 from exc

    def back(self) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("people:detail", args=[self.person.pk]) + f"#{self.spec.slug}")


class SectionEditView(LoginRequiredMixin, SectionMixin, View):
    """Add (no item) or edit a record of any registered section."""

    def _render(self, request: HttpRequest, form: Any, item: Any, status: int = 200) -> HttpResponse:
        ctx = {"form": form, "spec": self.spec, "person": self.person, "item": item}
        return render(request, "people/section_form.html", ctx, status=status)

    def get(self, request: HttpRequest, pk: int, slug: str, item: int | None = None) -> HttpResponse:
        self.setup_section(request, pk, slug)
        instance = self.record(request, item) if item else None
        if instance is not None and self.spec.upload:
            raise Http404
        form = section_form_class(self.spec)(instance=instance, user=request.user)
        return self._render(request, form, instance)

    def post(self, request: HttpRequest, pk: int, slug: str, item: int | None = None) -> HttpResponse:
        self.setup_section(request, pk, slug)
        instance = self.record(request, item) if item else None
        if instance is not None and self.spec.upload:
            raise Http404
        form = section_form_class(self.spec)(
            request.POST, request.FILES, instance=instance, user=request.user
        )
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                title = self.spec.title
                saved: Any
                if self.spec.upload:
                    saved = services.attachment_add(
                        acting_user=request.user,
                        person=self.person,
                        upload=form.cleaned_data["upload"],
                        kind=form.cleaned_data["kind"],
                        title=form.cleaned_data["title"],
                        reason=reason,
                    )
                    _saved(request, saved, None, f"Đã tải lên tài liệu “{saved.title}”.")
                elif instance is None:
                    saved = services.section_create(
                        acting_user=request.user,
                        person=self.person,
                        instance=self.spec.model(**form.section_values()),
                        reason=reason,
                    )
                    _saved(request, saved, None, f"Đã thêm vào mục “{title}”.")
                else:
                    saved = services.section_update(
                        acting_user=request.user,
                        instance=self.spec.model._default_manager.get(pk=instance.pk),
                        changes=form.section_values(),
                        reason=reason,
                        expected_version=parse_version(form.cleaned_data.get("row_version")),
                    )
                    _saved(request, saved, instance.row_version, f"Đã lưu thay đổi trong mục “{title}”.")
                return self.back()
            except (ValidationError, DomainError) as exc:
                _add_errors(form, exc)
                status = getattr(exc, "status_code", 400)
                return self._render(request, form, instance, status=status)
        return self._render(request, form, instance, status=400)


class SectionDeleteView(LoginRequiredMixin, SectionMixin, View):
    def get(self, request: HttpRequest, pk: int, slug: str, item: int) -> HttpResponse:
        self.setup_section(request, pk, slug)
        instance = self.record(request, item)
        return render(
            request,
            "people/section_delete.html",
            {"spec": self.spec, "person": self.person, "item": instance},
        )

    def post(self, request: HttpRequest, pk: int, slug: str, item: int) -> HttpResponse:
        self.setup_section(request, pk, slug)
        instance = self.record(request, item)
        try:
            services.section_delete(
                acting_user=request.user,
                instance=instance,
                reason=request.POST.get("reason", "")[:500],
                expected_version=parse_version(request.POST.get("row_version")),
            )
        except DomainError as exc:
            ctx = {"spec": self.spec, "person": self.person, "item": instance, "error": exc.message}
            return render(request, "people/section_delete.html", ctx, status=exc.status_code)
        messages.success(request, f"Đã xóa khỏi mục “{self.spec.title}”.")
        return self.back()


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Serves a stored scan after checking the user's grants (never a public media URL)."""

    def get(self, request: HttpRequest, pk: int, item: int) -> FileResponse:
        person = _person_or_404(request.user, pk)
        try:
            att = Attachment.objects.restrict(request.user).get(pk=item, person=person)
        except Attachment.DoesNotExist as exc:
            raise Http404 from exc
        path = services.storage_path(att.storage_name)
        if not path.exists():
            raise Http404("Tệp không còn trên máy chủ.")
        inline = att.content_type.startswith("image/") or request.GET.get("xem") == "1"
        return FileResponse(
            open(path, "rb"),
            content_type=att.content_type,
            as_attachment=not inline,
            filename=att.original_name,
        )
