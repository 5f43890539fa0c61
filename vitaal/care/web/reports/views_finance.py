"""Company-bound budget (applications, decisions, balances) and the sustainability
forecast. The money services live in ``vitaal.care.finance`` and ``vitaal.care.forecast``."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vitaal.care import finance
from vitaal.care import forecast as fc
from vitaal.care.models import ApplicationStatus, BudgetApplication, Package, PackageItem, TariffUnit, Verdict
from vitaal.care.release import released_spend
from vitaal.care.web.reports.charts import line_chart
from vitaal.care.web.reports.common import admin_sector, organisation_for
from vitaal.care.web.reports.forms import BudgetApplicationForm, DecisionForm, ForecastForm
from vitaal.core.access import get_scoped_object_or_404, require_perm
from vitaal.core.models import Organisation, Person, User

HUNDRED = Decimal("100")


def budget_apply(*, user: User, organisation: Organisation, data: dict[str, Any]) -> BudgetApplication:
    """Submit an application, refused when it asks more than is left of the year's
    company-bound budget (the sector admin checks again when deciding)."""
    with transaction.atomic():
        year = data["period_start"].year
        remaining = finance.company_budget(organisation, year).remaining
        if data["amount"] > remaining:
            raise ValidationError(
                _(
                    "This application asks for EUR %(amount)s, but only EUR %(remaining)s of the "
                    "company-bound budget for %(year)s is left."
                )
                % {"amount": data["amount"], "remaining": remaining, "year": year}
            )
        return finance.budget_application_submit(
            user=user,
            organisation=organisation,
            year=year,
            purpose=data["purpose"],
            amount=data["amount"],
            period_start=data["period_start"],
            period_end=data["period_end"],
        )


@require_http_methods(["GET", "POST"])
def budget(request: HttpRequest, org: str) -> HttpResponse:
    organisation = organisation_for(request, org, "care.view_finance")
    can_apply = request.user.has_perm("care.apply_company_budget", organisation)
    form = BudgetApplicationForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, "care.apply_company_budget", organisation)
        if form.is_valid():
            try:
                budget_apply(user=cast(User, request.user), organisation=organisation, data=form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your application has been sent to the sector administrator."))
                return redirect("care:budget", org=organisation.slug)
    year = timezone.localdate().year
    applications = BudgetApplication.objects.filter(organisation=organisation).select_related("submitted_by")
    return render(
        request,
        "care/reports/budget.html",
        {
            "organisation": organisation,
            "year": year,
            "company_budget": finance.company_budget(organisation, year),
            "contributions": finance.organisation_contributions(organisation, year),
            "spend": released_spend(organisation, year - 1),
            "spend_year": year - 1,
            "applications": applications,
            "form": form if can_apply else None,
        },
    )


@require_GET
def budget_decisions(request: HttpRequest) -> HttpResponse:
    sector = admin_sector(request, "care.change_package")
    open_applications = list(
        BudgetApplication.objects.filter(organisation__sector=sector, status=ApplicationStatus.SUBMITTED)
        .select_related("organisation", "submitted_by")
        .order_by("created_at")
    )
    remaining: dict[tuple[int, int], Decimal] = {}
    for application in open_applications:
        key = (application.organisation_id, application.year)
        if key not in remaining:
            remaining[key] = finance.company_budget(application.organisation, application.year).remaining
        application.remaining = remaining[key]  # type: ignore[attr-defined]
    decided = (
        BudgetApplication.objects.filter(organisation__sector=sector)
        .exclude(status=ApplicationStatus.SUBMITTED)
        .select_related("organisation")
        .order_by("-decided_at")[:20]
    )
    return render(
        request,
        "care/reports/budget_decisions.html",
        {"open": open_applications, "decided": decided, "form": DecisionForm()},
    )


@require_POST
def budget_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_scoped_object_or_404(
        request.user,
        BudgetApplication.objects.select_related("organisation"),
        "care.decide_budget_application",
        pk=pk,
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject. Nothing was changed."))
        return redirect("care:budget_decisions")
    try:
        finance.budget_application_decide(
            user=cast(User, request.user),
            application=application,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages) + " " + _("Nothing was changed."))
    else:
        messages.success(request, _("The decision has been saved."))
    return redirect("care:budget_decisions")


@require_GET
def balances(request: HttpRequest) -> HttpResponse:
    sector = admin_sector(request, "care.change_package")
    year = timezone.localdate().year
    with contextlib.suppress(ValueError):
        year = int(request.GET.get("year", year))
    year = min(max(year, 2000), 2100)
    rows = [
        {
            "organisation": organisation,
            "headcount": finance.headcount(organisation),
            "contributions": finance.organisation_contributions(organisation, year),
            "spend": released_spend(organisation, year),
            "budget": finance.company_budget(organisation, year),
        }
        for organisation in Organisation.objects.filter(sector=sector, is_active=True).order_by("name")
    ]
    return render(request, "care/reports/balances.html", {"rows": rows, "year": year})


MODEL_LABELS = {
    "contribution": lambda: _("Contribution only"),
    "contribution_co_payment": lambda: _("Contribution and co-payment per use"),
    "contribution_company_budget": lambda: _("Contribution and company-bound budget"),
}


def forecast_assumptions(
    sector: Any, data: dict[str, Any], history: fc.ReleasedHistory
) -> tuple[list[fc.UptakeAssumption], list[dict[str, Any]]]:
    """The expected use, as assumptions per row.

    The sector's care releases of closed years have no figures per intervention, so when
    they show any use, the interventions in the package are counted together as one row:
    the released users per 1,000 employees (scaled) at the released cost per user. The
    interventions under discussion were not in that history and get the default uptake
    with their maximum sessions and catalog tariff, as does every intervention when the
    releases show no use at all."""
    package = (
        Package.objects.filter(sector=sector, year__lte=data["start_year"]).order_by("-year").first()
        or Package.objects.filter(sector=sector).order_by("year").first()
    )
    items = list(
        PackageItem.objects.filter(package=package, verdict__in=[Verdict.IN, Verdict.DISCUSS])
        .select_related("intervention")
        .order_by("intervention__theme", "intervention__name_nl")
        if package
        else PackageItem.objects.none()
    )
    assumptions, rows = [], []
    in_package = [item for item in items if item.verdict == Verdict.IN]
    if history.users and in_package:
        items = [item for item in items if item.verdict != Verdict.IN]
        first, last = history.years[0].year, history.years[-1].year
        label = _("Interventions in the package (%(first)s–%(last)s together)") % {
            "first": first,
            "last": last,
        }
        assumption = fc.UptakeAssumption(
            label=label,
            uptake_per_1000=history.uptake_per_1000 * data["uptake_scale"] / HUNDRED,
            sessions=Decimal(1),
            tariff=history.cost_per_user,
        )
        assumptions.append(assumption)
        rows.append(
            {
                "name": label,
                "uptake": assumption.uptake_per_1000.quantize(Decimal("0.01")),
                "sessions": None,
                "tariff": None,
                "cost_per_use": history.cost_per_user,
                "source": _("released figures"),
                "cost_per_employee": assumption.cost_per_employee().quantize(Decimal("0.01")),
            }
        )
    for item in items:
        intervention = item.intervention
        sessions = Decimal(
            1 if intervention.tariff_unit == TariffUnit.TRAJECTORY else intervention.max_sessions or 1
        )
        assumption = fc.UptakeAssumption(
            label=intervention.name,
            uptake_per_1000=data["default_uptake"],
            sessions=sessions,
            tariff=intervention.tariff,
        )
        assumptions.append(assumption)
        rows.append(
            {
                "name": intervention.name,
                "uptake": assumption.uptake_per_1000.quantize(Decimal("0.01")),
                "sessions": sessions,
                "tariff": intervention.tariff,
                "cost_per_use": None,
                "source": _("assumption"),
                "cost_per_employee": assumption.cost_per_employee().quantize(Decimal("0.01")),
            }
        )
    return assumptions, rows


@require_GET
def forecast_page(request: HttpRequest) -> HttpResponse:
    sector = admin_sector(request, "care.view_forecast")
    headcount = (
        Person.objects.filter(organisation__sector=sector, organisation__is_active=True).current().count()
    )
    initial = ForecastForm.initial_for(headcount, Decimal(sector.contribution_per_employee))
    form = ForecastForm(request.GET or None, initial=initial)
    data = form.cleaned_data if form.is_bound and form.is_valid() else (None if form.is_bound else initial)
    context: dict[str, Any] = {"form": form}
    history = fc.history_from_releases(sector)
    context["history"] = history
    if data is not None:
        assumptions, rows = forecast_assumptions(sector, data, history)
        forecast_input = fc.ForecastInput(
            start_year=data["start_year"],
            headcount=data["headcount"],
            terms=fc.FinancingTerms(data["contribution"]),
            interventions=tuple(assumptions),
            years=data["years"],
            headcount_growth=data["headcount_growth"] / HUNDRED,
            tariff_indexation=data["tariff_indexation"] / HUNDRED,
            uptake_growth=data["uptake_growth"] / HUNDRED,
        )
        models = fc.standard_models(
            data["contribution"],
            co_payment_share=data["co_payment_share"] / HUNDRED,
            company_budget_per_employee=data["company_budget_per_employee"],
        )
        results = fc.compare(forecast_input, models)
        labelled: list[dict[str, Any]] = [
            {"key": key, "label": MODEL_LABELS[key](), "forecast": result} for key, result in results.items()
        ]
        years = [y.year for y in next(iter(results.values())).years]
        context.update(
            {
                "assumptions": rows,
                "results": labelled,
                "chart": line_chart(
                    years, {item["label"]: [y.balance for y in item["forecast"].years] for item in labelled}
                ),
            }
        )
    return render(request, "care/reports/forecast.html", context)
