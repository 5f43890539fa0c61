"""The insurer import pages: upload (checked whole), then review and apply or cancel."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vitaal.care import insurer_import as service
from vitaal.care.models import ImportStatus, InsurerImportBatch
from vitaal.care.web.reports.common import admin_sector
from vitaal.care.web.reports.forms import InsurerUploadForm
from vitaal.core.models import User

MAX_SHOWN = 200


@require_http_methods(["GET", "POST"])
def insurer_import(request: HttpRequest) -> HttpResponse:
    sector = admin_sector(request, "care.import_insurer_usage")
    form = InsurerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = service.insurer_import_check(
                user=cast(User, request.user),
                sector=sector,
                insurer=form.cleaned_data["insurer"],
                filename=upload.name,
                content=upload.read(),
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("care:insurer_import_review", pk=batch.pk)
    batches = InsurerImportBatch.objects.filter(sector=sector).defer("content")[:10]
    return render(
        request,
        "care/reports/insurer_import.html",
        {"form": form, "columns": service.COLUMNS, "batches": batches},
    )


@require_http_methods(["GET", "POST"])
def insurer_import_review(request: HttpRequest, pk: int) -> HttpResponse:
    sector = admin_sector(request, "care.import_insurer_usage")
    batch = InsurerImportBatch.objects.filter(pk=pk, sector=sector).defer("content").first()
    if batch is None:
        raise Http404
    if request.method == "POST":
        try:
            if "cancel" in request.POST:
                service.insurer_import_cancel(user=cast(User, request.user), batch=batch)
                messages.info(request, _("The import has been cancelled. Nothing was changed."))
            else:
                added = service.insurer_import_apply(user=cast(User, request.user), batch=batch)
                messages.success(request, _("The import has been applied: %(n)s new rows.") % {"n": added})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("care:insurer_import_review", pk=batch.pk)
    errors = [{**e, "text": service.error_text(e)} for e in batch.errors[:MAX_SHOWN]]
    duplicates = [{**e, "text": service.error_text(e)} for e in batch.duplicates[:MAX_SHOWN]]
    return render(
        request,
        "care/reports/insurer_import_review.html",
        {
            "batch": batch,
            "errors": errors,
            "duplicates": duplicates,
            "can_apply": batch.status == ImportStatus.VALIDATED,
        },
    )
