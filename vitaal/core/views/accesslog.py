from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vitaal.core.access import get_scoped_object_or_404
from vitaal.core.forms import AccessLogFilterForm
from vitaal.core.models import AccessLogEntry, Organisation


@require_GET
def organisation_access_log(request: HttpRequest, org: str) -> HttpResponse:
    """The organisation's access log, for its privacy officer (org admin). Staff reach it
    only after two-step login (MFARequiredMiddleware)."""
    organisation = get_scoped_object_or_404(
        request.user, Organisation.objects.all(), "core.view_accesslog", slug=org
    )
    entries: QuerySet[AccessLogEntry] = AccessLogEntry.objects.filter(
        organisation=organisation
    ).select_related("subject")
    form = AccessLogFilterForm(request.GET or None)
    if form.is_valid():
        entries = form.filter(entries)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/accesslog_list.html",
        {"organisation": organisation, "page": page, "form": form},
    )
