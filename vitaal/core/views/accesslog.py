"""The access log pages. Which entries a reader sees is decided in one place,
``AccessLogEntry.objects.visible_to``: the org admin only the personnel entries of their
organisation, the sector's privacy officer everything. Each page view is itself logged,
with the filter used. Staff reach these pages only after two-step login."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vitaal.core.access import get_actor, get_scoped_object_or_404
from vitaal.core.audit import log_log_read
from vitaal.core.forms import AccessLogFilterForm
from vitaal.core.models import AccessLogEntry, Organisation
from vitaal.core.models.audit import ACCESS_LOG_SECTOR_ROLES

PER_PAGE = 50


def _log_page(
    request: HttpRequest,
    entries: QuerySet[AccessLogEntry],
    form: AccessLogFilterForm,
    *,
    organisation: Organisation | None,
    context: dict[str, Any],
) -> HttpResponse:
    if form.is_valid():
        entries = form.filter(entries)
        filters = form.cleaned_data
    else:
        filters = {}
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    shown = len(page.object_list)
    organisation = organisation or filters.get("organisation")
    log_log_read(
        user=request.user,
        organisation_id=organisation.pk if organisation is not None else None,
        filters={**filters, "page": page.number},
        shown=shown,
    )
    return render(request, "core/accesslog_list.html", {**context, "page": page, "form": form})


@require_GET
def organisation_access_log(request: HttpRequest, org: str) -> HttpResponse:
    """One organisation's log: its org admin sees the personnel entries, the sector's
    privacy officer all of them."""
    organisation = get_scoped_object_or_404(
        request.user, Organisation.objects.all(), "core.view_accesslog", slug=org
    )
    entries = (
        AccessLogEntry.objects.visible_to(request.user)
        .filter(organisation=organisation)
        .select_related("subject")
    )
    full = get_actor(request.user).has_role_in_sector(organisation.sector_id, ACCESS_LOG_SECTOR_ROLES)
    return _log_page(
        request,
        entries,
        AccessLogFilterForm(request.GET or None, all_classes=full),
        organisation=organisation,
        context={"organisation": organisation, "personnel_only": not full},
    )


@require_GET
def sector_access_log(request: HttpRequest) -> HttpResponse:
    """The whole log of the privacy officer's sector, every organisation in one list."""
    sector_ids = get_actor(request.user).sectors_for(ACCESS_LOG_SECTOR_ROLES)
    if not sector_ids:
        raise PermissionDenied
    organisations = Organisation.objects.filter(sector_id__in=sector_ids).order_by("name")
    form = AccessLogFilterForm(request.GET or None, organisations=organisations, all_classes=True)
    entries = AccessLogEntry.objects.visible_to(request.user).select_related("subject", "organisation")
    return _log_page(
        request, entries, form, organisation=None, context={"sector_wide": True, "personnel_only": False}
    )
