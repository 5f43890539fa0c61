"""Portal home, the offer of this year's package, the guided finder and the intervention
page."""

from __future__ import annotations

from collections import defaultdict

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vitaal.care.finder import finder_suggestions
from vitaal.care.models import ChainStage, DeliveryForm, FinancingSource, PackageItem, Theme, Verdict
from vitaal.care.models.catalog import FINANCING_FIELDS
from vitaal.care.web.portal import selectors
from vitaal.care.web.portal.forms import FinderForm
from vitaal.care.web.portal.texts import explain


@require_GET
def portal_home(request: HttpRequest) -> HttpResponse:
    person = selectors.portal_person(request.user)
    package = selectors.current_package(person)
    summary = selectors.portal_summary(request.user, person)
    latest_check = selectors.own_health_checks(request.user, person).first()
    offered = selectors.offered_items(package)
    themes = sorted({i.intervention.theme for i in offered}, key=list(Theme.values).index)
    return render(
        request,
        "care/portal/home.html",
        {
            "person": person,
            "package": package,
            "summary": summary,
            "latest_check": latest_check,
            "offer_count": len(offered),
            "themes": [Theme(t).label for t in themes],
            "request_rows": [(r, explain(r.status)) for r in summary.open_requests],
        },
    )


@require_GET
def portal_offer(request: HttpRequest) -> HttpResponse:
    """Everything in this year's package, grouped by theme."""
    person = selectors.portal_person(request.user)
    package = selectors.current_package(person)
    groups: dict[str, list[PackageItem]] = defaultdict(list)
    for item in selectors.offered_items(package):
        groups[item.intervention.theme].append(item)
    ordered = [(Theme(t).label, groups[t]) for t in Theme.values if groups.get(t)]
    return render(request, "care/portal/offer.html", {"package": package, "groups": ordered})


@require_GET
def portal_finder(request: HttpRequest) -> HttpResponse:
    """Three questions; the answers come back as GET parameters, so nothing is stored."""
    person = selectors.portal_person(request.user)
    package = selectors.current_package(person)
    answered = bool(request.GET)
    form = FinderForm(request.GET if answered else None)
    suggestions = None
    absent = False
    if answered and form.is_valid():
        data = form.cleaned_data
        suggestions = finder_suggestions(
            selectors.package_items(package),
            concern=data["concern"],
            urgency=data["urgency"],
            preference=data["preference"],
        )
        absent = data["urgency"] == "absent"
    return render(
        request,
        "care/portal/finder.html",
        {"form": form, "package": package, "suggestions": suggestions, "absent": absent},
    )


@require_GET
def portal_intervention(request: HttpRequest, pk: int) -> HttpResponse:
    """What the support is, its forms and duration, and how to get it; for support outside
    this year's package, where else it is available."""
    person = selectors.portal_person(request.user)
    intervention = selectors.portal_intervention(request.user, person, pk)
    package = selectors.current_package(person)
    item = selectors.package_item_of(package, intervention)
    in_package = item is not None and item.verdict in (Verdict.IN, Verdict.DISCUSS)
    # Where else: the package item's own note and sources (for items that left), else
    # the catalog's financing sources.
    sources = item.financing_sources if item is not None and item.financing_sources else []
    sources = sources or intervention.financing_sources
    return render(
        request,
        "care/portal/intervention.html",
        {
            "intervention": intervention,
            "item": item,
            "package": package,
            "in_package": in_package,
            "can_request": in_package and intervention.route_direct,
            "referral_routes": [label for value, label in _referral_labels() if value in intervention.routes],
            "elsewhere_sources": [str(FinancingSource(s).label) for s in sources if s in FINANCING_FIELDS],
            "form_labels": [DeliveryForm(f).label for f in intervention.forms],
            "stage_labels": [ChainStage(s).label for s in intervention.stages],
        },
    )


def _referral_labels() -> list[tuple[str, str]]:
    from vitaal.care.finder import REFERRAL_ROUTES
    from vitaal.care.models import AccessRoute

    return [(str(r), str(AccessRoute(r).label)) for r in REFERRAL_ROUTES]
