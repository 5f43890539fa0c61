"""The cycle's documents as structured forms (management letter, start memo,
communication plan), with their DOCX and PDF exports. Readers of the cycle read and
export; its editors write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vitaal.core.access import require_perm
from vitaal.core.models import Organisation
from vitaal.igm.models import CommunicationItem, CommunicationPlan, Cycle, DocumentKind
from vitaal.igm.services.documents import (
    DOCUMENT_FIELDS,
    communication_item_add,
    communication_item_remove,
    document_for,
    document_save,
    export_content,
    export_docx,
    export_pdf,
)

from . import forms
from .common import current_user, errors_to_form, form_data, require_active_cycle, scoped_organisation

FORMS: dict[str, Any] = {
    DocumentKind.MANAGEMENT_LETTER: forms.ManagementLetterForm,
    DocumentKind.START_MEMO: forms.StartMemoForm,
    DocumentKind.COMMUNICATION_PLAN: forms.CommunicationPlanForm,
}
GET_POST = require_http_methods(["GET", "POST"])


def _kind(kind: str) -> str:
    if kind not in DOCUMENT_FIELDS:
        raise Http404
    return kind


def _cycle(request: HttpRequest, org: str, perm: str = "igm.view_cycle") -> tuple[Organisation, Cycle]:
    organisation = scoped_organisation(request, org, "igm.view_cycle")
    cycle = require_active_cycle(organisation)
    require_perm(request.user, perm, cycle)
    return organisation, cycle


@require_GET
def document_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation, cycle = _cycle(request, org)
    docs = [(kind, label, document_for(cycle, kind)) for kind, label in DocumentKind.choices]
    return render(
        request,
        "igm/documents/document_list.html",
        {
            "organisation": organisation,
            "cycle": cycle,
            "docs": docs,
            "can_change": request.user.has_perm("igm.change_cycle", cycle),
        },
    )


@require_GET
def document_detail(request: HttpRequest, org: str, kind: str) -> HttpResponse:
    organisation, cycle = _cycle(request, org)
    kind = _kind(kind)
    doc = document_for(cycle, kind)
    return render(
        request,
        "igm/documents/document_detail.html",
        {
            "organisation": organisation,
            "cycle": cycle,
            "kind": kind,
            "label": DocumentKind(kind).label,
            "doc": doc,
            "content": export_content(doc, kind) if doc is not None else None,
            "items": list(doc.items.all()) if isinstance(doc, CommunicationPlan) else [],
            "can_change": request.user.has_perm("igm.change_cycle", cycle),
        },
    )


@GET_POST
def document_edit(request: HttpRequest, org: str, kind: str) -> HttpResponse:
    organisation, cycle = _cycle(request, org, "igm.change_cycle")
    kind = _kind(kind)
    doc = document_for(cycle, kind)
    form_class = FORMS[kind]
    initial = {name: getattr(doc, name) for name in DOCUMENT_FIELDS[kind]} if doc is not None else {}
    form = form_class(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            document_save(cycle=cycle, kind=kind, values=form.cleaned_data, by=current_user(request))
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The document has been saved."))
            return redirect("igm:document_detail", organisation.slug, kind)
    return render(
        request,
        "igm/plans/form.html",
        {
            "form": form,
            "title": DocumentKind(kind).label,
            "back": reverse("igm:document_detail", args=[organisation.slug, kind]),
            "submit": _("Save"),
        },
    )


def _export(request: HttpRequest, org: str, kind: str, fmt: str) -> HttpResponse:
    organisation, cycle = _cycle(request, org)
    kind = _kind(kind)
    doc = document_for(cycle, kind)
    if doc is None:
        raise Http404
    content = export_content(doc, kind)
    if fmt == "docx":
        body = export_docx(content)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        body = export_pdf(content)
        content_type = "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    filename = f"{kind}-{organisation.slug}-{cycle.number}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def document_docx(request: HttpRequest, org: str, kind: str) -> HttpResponse:
    return _export(request, org, kind, "docx")


@require_GET
def document_pdf(request: HttpRequest, org: str, kind: str) -> HttpResponse:
    return _export(request, org, kind, "pdf")


@GET_POST
def communication_item_new(request: HttpRequest, org: str) -> HttpResponse:
    organisation, cycle = _cycle(request, org, "igm.change_cycle")
    form = forms.CommunicationItemForm(form_data(request))
    back = reverse("igm:document_detail", args=[organisation.slug, DocumentKind.COMMUNICATION_PLAN])
    if request.method == "POST" and form.is_valid():
        try:
            communication_item_add(cycle=cycle, by=current_user(request), **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The row has been added to the communication plan."))
            return redirect(back)
    return render(
        request,
        "igm/plans/form.html",
        {"form": form, "title": _("Add to the communication plan"), "back": back, "submit": _("Add")},
    )


@GET_POST
def communication_item_delete(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation, cycle = _cycle(request, org, "igm.change_cycle")
    item = get_object_or_404(CommunicationItem, pk=pk, plan__cycle=cycle)
    back = reverse("igm:document_detail", args=[organisation.slug, DocumentKind.COMMUNICATION_PLAN])
    if request.method == "POST":
        try:
            communication_item_remove(item=item)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("The row has been removed."))
        return redirect(back)
    return render(
        request,
        "igm/plans/confirm.html",
        {
            "title": _("Remove"),
            "text": _("Remove the row for '%(audience)s' from the communication plan?")
            % {"audience": item.audience},
            "submit": _("Remove"),
            "back": back,
            "danger": True,
        },
    )
