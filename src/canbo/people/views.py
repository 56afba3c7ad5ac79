"""Pages of the dossier: list, person page, identity form, generic section forms, history."""

from __future__ import annotations

import copy
import functools
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.views import View
from django.views.generic import TemplateView

from canbo.core.form_views import ServiceFormView
from canbo.core.forms import ReasonField
from canbo.core.history import describe_changes
from canbo.core.params import parse_version
from canbo.core.querysets import CHANGE
from canbo.core.readlog import reads_of
from canbo.core.views import AsOfMixin
from canbo.org.models import Unit
from canbo.people import reads, selectors, services
from canbo.people.forms import PersonForm, section_form_class
from canbo.people.models import Attachment, Person
from canbo.people.sections import BY_SLUG, SectionSpec


def _person_or_404(user: Any, pk: int, action: str = "view") -> Person:
    try:
        return selectors.person_get(user, pk, action)
    except Person.DoesNotExist as exc:
        raise Http404("Không tìm thấy hồ sơ.") from exc


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
        ctx["d"] = d = selectors.dossier(self.request.user, person, self.day)
        ctx["lines"] = section_lines(d)
        ctx["person"] = person
        ctx["sees_reads"] = reads.sees_reads_of(self.request.user, person)
        reads.page_read(self.request, person, [b.spec for b in d.sections], self.day)
        return ctx


# A stand-in for the record's id in a URL reversed once per page (an id no record has).
_ITEM = 987654321


def section_lines(d: selectors.Dossier) -> list[tuple[Any, str, SafeString, SafeString]]:
    """For each section of the page: its block, its "add" link, its table's header row and its
    rows as HTML.

    The rows are written here rather than by the template (a loop per row and per cell through
    the template engine was a third of the page), with the markup the template wrote: each
    cell escaped unless it is already safe, the "view" or "edit" and "delete" links when the
    user may change the dossier (a scanned document can be viewed by anyone who sees it). The
    links come from one ``reverse`` per kind of link with stand-ins replaced, not one per row."""
    pk = d.person.pk
    add = reverse("people:section_add", args=[pk, "slug"])
    edit = reverse("people:section_edit", args=[pk, "slug", _ITEM])
    delete = reverse("people:section_delete", args=[pk, "slug", _ITEM])
    view = reverse("people:attachment", args=[pk, _ITEM]) + "?xem=1"
    out: list[tuple[Any, str, SafeString, SafeString]] = []
    for b in d.sections:
        slug = f"/{b.spec.slug}/"
        upload = b.spec.upload
        head = _head(b.spec, d.can_change or upload) if b.rows else mark_safe("")
        first = view if upload else _fill(edit, "/slug/", slug)
        drop = _fill(delete, "/slug/", slug)
        lines = []
        for obj, cells in b.rows:
            tds = "".join(f"<td>{conditional_escape(c)}</td>" for c in cells)
            if d.can_change or upload:
                links = []
                if upload:
                    links.append(format_html('<a href="{}">Xem</a>', _fill(first, _ITEM, obj.pk)))
                elif d.can_change:
                    links.append(format_html('<a href="{}">Sửa</a>', _fill(first, _ITEM, obj.pk)))
                if d.can_change:
                    gone = _fill(drop, _ITEM, obj.pk)
                    links.append(format_html('<a href="{}" class="danger">Xóa</a>', gone))
                tds += f'<td class="row-actions">{" ".join(links)}</td>'
            lines.append(f"<tr>{tds}</tr>")
        out.append((b, _fill(add, "/slug/", slug), head, mark_safe("\n".join(lines))))  # noqa: S308 (escaped)
    return out


@functools.cache
def _head(spec: SectionSpec, actions: bool) -> SafeString:
    """A section table's header row, as the template wrote it (a loop over the columns per
    section), kept per process: it depends on the section and on whether rows have links."""
    ths = "".join(f"<th>{conditional_escape(label)}</th>" for label, _col in spec.columns)
    return mark_safe(f"<tr>{ths}{'<th></th>' if actions else ''}</tr>")  # noqa: S308 (escaped)


def _fill(url: str, stand_in: Any, value: Any) -> str:
    """``url`` with its last ``stand_in`` replaced by ``value``."""
    head, _, tail = url.rpartition(str(stand_in))
    return f"{head}{value}{tail}"


class PersonHistoryView(LoginRequiredMixin, AsOfMixin, TemplateView):
    template_name = "people/person_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        person = _person_or_404(self.request.user, kwargs["pk"])
        page = Paginator(selectors.person_history(self.request.user, person), 50).get_page(
            self.request.GET.get("trang")
        )
        ctx.update({"person": person, "page": page, "entries": describe_changes(page.object_list)})
        reads.history_read(self.request, person)
        return ctx


class PersonReadsView(LoginRequiredMixin, TemplateView):
    """Who read this dossier (the read log), 50 a page: for an administrator whose grant covers
    the dossier and for the person himself; anyone else is answered 404, as for a dossier
    outside his grants."""

    template_name = "people/person_reads.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        person = _person_or_404(self.request.user, kwargs["pk"])
        if not reads.sees_reads_of(self.request.user, person):
            raise Http404("Không tìm thấy hồ sơ.")
        page = Paginator(reads_of(person.pk), 50).get_page(self.request.GET.get("trang"))
        ctx.update({"person": person, "page": page})
        return ctx


# A model's "birth_date" is entered in the form's "birth" (a partial date).
ERROR_FIELDS = {"birth_date": "birth"}


class PersonEditView(ServiceFormView):
    """Create (no pk) or edit a person's identity and service fields."""

    template_name = "people/person_form.html"
    error_fields = ERROR_FIELDS

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        pk = kwargs.get("pk")
        self.person = _person_or_404(request.user, pk, CHANGE) if pk else None
        if self.person is None and not Unit.objects.restrict(request.user, CHANGE).exists():
            raise Http404
        # The form writes the posted values onto its instance while it validates; the page's
        # heading keeps naming the dossier as saved, not a refused name.
        self.saved = copy.copy(self.person)

    def get_form(self, data: Any = None) -> PersonForm:
        return PersonForm(data, instance=self.person, user=self.request.user)

    def context(self) -> dict[str, Any]:
        return {"person": self.saved}

    def perform(self, form: Any) -> str:
        user = self.request.user
        if self.person is None:
            self.person = services.person_create(
                acting_user=user, reason=form.cleaned_data["reason"], **form.changes()
            )
            _saved(self.request, self.person, None, f"Đã thêm hồ sơ {self.person.full_name}.")
        else:
            assert self.saved is not None  # noqa: S101 (invariant; narrows the type for mypy)
            updated = services.person_update(
                acting_user=user,
                person=Person.objects.get(pk=self.person.pk),
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
                expected_version=parse_version(form.cleaned_data.get("row_version")),
            )
            _saved(self.request, updated, self.saved.row_version, "Đã lưu thông tin cá nhân.")
        return ""

    def success_url(self) -> str:
        assert self.person is not None  # noqa: S101 (invariant; narrows the type for mypy)
        return reverse("people:detail", args=[self.person.pk])


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


class SectionEditView(SectionMixin, ServiceFormView):
    """Add (no item) or edit a record of any registered section."""

    template_name = "people/section_form.html"
    error_fields = ERROR_FIELDS

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.setup_section(request, kwargs["pk"], kwargs["slug"])
        item = kwargs.get("item")
        self.instance = self.record(request, item) if item else None
        if self.instance is not None and self.spec.upload:
            raise Http404

    def get_form(self, data: Any = None) -> Any:
        form_class = section_form_class(self.spec)
        if data is None:
            return form_class(instance=self.instance, user=self.request.user)
        return form_class(data, self.request.FILES, instance=self.instance, user=self.request.user)

    def context(self) -> dict[str, Any]:
        return {"spec": self.spec, "person": self.person, "item": self.instance}

    def perform(self, form: Any) -> str:
        request, instance = self.request, self.instance
        reason = form.cleaned_data["reason"]
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
        return ""

    def success_url(self) -> str:
        return self.back().url


class SectionDeleteForm(forms.Form):
    """The delete page's reason, typed or picked from the usual reasons as on every other reason
    field (``ReasonField``: required, refused with ``REASON_REQUIRED``), and the record's version
    (``parse_version`` reads it, so a form without it is refused with the same message as the
    API's)."""

    reason = ReasonField(label="Lý do xóa / căn cứ")
    row_version = forms.CharField(required=False)


class SectionDeleteView(SectionMixin, ServiceFormView):
    """Delete a record of a section, with a reason (409 on a stale page)."""

    template_name = "people/section_delete.html"
    form_class = SectionDeleteForm

    def setup_view(self, request: HttpRequest, **kwargs: Any) -> None:
        self.setup_section(request, kwargs["pk"], kwargs["slug"])
        self.instance = self.record(request, kwargs["item"])

    def context(self) -> dict[str, Any]:
        return {"spec": self.spec, "person": self.person, "item": self.instance}

    def perform(self, form: Any) -> str:
        services.section_delete(
            acting_user=self.request.user,
            instance=self.instance,
            reason=form.cleaned_data["reason"][:500],
            expected_version=parse_version(form.cleaned_data["row_version"]),
        )
        return f"Đã xóa khỏi mục “{self.spec.title}”."

    def success_url(self) -> str:
        return self.back().url


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
        reads.attachment_read(request, person, att.title or att.original_name)
        return FileResponse(
            open(path, "rb"),
            content_type=att.content_type,
            as_attachment=not inline,
            filename=att.original_name,
        )
