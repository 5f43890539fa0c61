"""The employee's own care data as a download (JSON or XLSX). A personal-data export:
it asks for the password again when the last confirmation is old, and it is logged."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from vitaal.care.web.portal import selectors
from vitaal.care.web.portal.services import (
    log_own_export,
    own_care_data,
    own_care_data_json,
    own_care_data_xlsx,
)
from vitaal.core.access import require_recent_authentication
from vitaal.core.spreadsheets import xlsx_response


@require_GET
def export_page(request: HttpRequest) -> HttpResponse:
    selectors.portal_person(request.user)
    return render(request, "care/portal/export.html")


def _filename(extension: str) -> str:
    return f"my-care-data-{timezone.localdate():%Y%m%d}.{extension}"


@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    person = selectors.portal_person(request.user)
    require_recent_authentication(request)
    content = own_care_data_json(own_care_data(person=person))
    log_own_export(user=request.user, person=person, file_format="json")  # type: ignore[arg-type]
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    person = selectors.portal_person(request.user)
    require_recent_authentication(request)
    content = own_care_data_xlsx(own_care_data(person=person))
    log_own_export(user=request.user, person=person, file_format="xlsx")  # type: ignore[arg-type]
    return xlsx_response(content, _filename("xlsx"))
