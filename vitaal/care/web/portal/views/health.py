"""The private health check: fill in, see the result with advice and suggestions, look
back at earlier checks, delete one. Only the employee ever reaches these pages' data:
every lookup goes through ``HealthCheck.objects.visible_to`` narrowed to the own person."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vitaal.care import services as care_services
from vitaal.care.finder import health_check_suggestions
from vitaal.care.health import WHO5_INTRO, WellbeingBand, WorkAbilityBand
from vitaal.care.models.bilingual import pick
from vitaal.care.web.portal import selectors
from vitaal.care.web.portal.forms import HealthCheckForm
from vitaal.care.web.portal.services import health_check_delete
from vitaal.core.access import require_perm


@require_http_methods(["GET", "POST"])
def health_check_new(request: HttpRequest) -> HttpResponse:
    person = selectors.portal_person(request.user)
    require_perm(request.user, "care.add_healthcheck")
    form = HealthCheckForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                check = care_services.health_check_record(
                    person=person, who5=form.who5_answers(), work_ability=form.cleaned_data["work_ability"]
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                return redirect("care:portal_health_check_detail", pk=check.pk)
        else:
            messages.error(request, _("Please answer all questions."))
    return render(
        request,
        "care/portal/health_check_form.html",
        {"form": form, "intro": pick(*WHO5_INTRO)},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_GET
def health_check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.owner_person(request.user)
    check = selectors.own_health_check(request.user, person, pk)
    require_perm(request.user, "care.view_healthcheck", check)
    result = check.result()
    needs_support = result.who5.flagged or result.work_ability_band in (
        WorkAbilityBand.POOR,
        WorkAbilityBand.MODERATE,
    )
    package = selectors.current_package(person)
    suggestions = health_check_suggestions(
        selectors.package_items(package), themes=result.themes, needs_support=needs_support
    )
    return render(
        request,
        "care/portal/health_check_detail.html",
        {
            "check": check,
            "result": result,
            "wellbeing_label": WellbeingBand(result.who5.band).label,
            "work_ability_label": WorkAbilityBand(result.work_ability_band).label,
            "suggestions": suggestions,
            "package": package,
        },
    )


@require_GET
def health_check_list(request: HttpRequest) -> HttpResponse:
    person = selectors.portal_person(request.user)
    checks = list(selectors.own_health_checks(request.user, person))
    rows = [
        (c, WellbeingBand(c.wellbeing_band).label if c.wellbeing_band else "", _band(c.work_ability_band))
        for c in checks
    ]
    return render(request, "care/portal/health_check_list.html", {"rows": rows})


def _band(value: str) -> str:
    return str(WorkAbilityBand(value).label) if value else ""


@require_http_methods(["GET", "POST"])
def health_check_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.owner_person(request.user)
    check = selectors.own_health_check(request.user, person, pk)
    if request.method == "POST":
        health_check_delete(user=request.user, check=check)  # type: ignore[arg-type]
        messages.success(request, _("Your health check has been deleted."))
        return redirect("care:portal_health_check_list")
    return render(request, "care/portal/health_check_delete.html", {"check": check})
