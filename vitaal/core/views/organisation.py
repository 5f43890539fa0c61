from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from vitaal.core.access import get_scoped_object_or_404
from vitaal.core.models import Organisation, Unit


@require_GET
def organisation_detail(request: HttpRequest, org: str) -> HttpResponse:
    """The organisation's unit tree with headcounts (headcounts are not health data)."""
    organisation = get_scoped_object_or_404(
        request.user,
        Organisation.objects.select_related("sector"),
        "core.view_organisation",
        slug=org,
    )
    today = timezone.localdate()
    current = Q(people__employment_end__isnull=True) | Q(people__employment_end__gte=today)
    units = (
        Unit.objects.visible_to(request.user)
        .filter(organisation=organisation)
        .select_related("manager")
        .annotate(headcount=Count("people", filter=current))
        .order_by("path")
    )
    return render(request, "core/organisation_detail.html", {"organisation": organisation, "units": units})
