"""Scorecards, indicator trends, measurements, norms, the import and the planning &
control export. Every view scopes through the access layer; values resting on personal
data pass the disclosure threshold at every level."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vitaal.core.access import get_scoped_object_or_404
from vitaal.core.models import Organisation, Unit
from vitaal.core.spreadsheets import UploadRejected, write_xlsx, xlsx_response
from vitaal.indicators import selectors, services
from vitaal.indicators.access import can_read_unit, readable_units
from vitaal.indicators.charts import trend_svg
from vitaal.indicators.forms import (
    CorrectionForm,
    ImportForm,
    MeasurementForm,
    NormForm,
    TrackedElsewhereForm,
)
from vitaal.indicators.models import Indicator, Measurement, TrackedElsewhere
from vitaal.indicators.periods import parse_period
from vitaal.indicators.traffic import Light


def _organisation(request: HttpRequest, slug: str, perm: str) -> Organisation:
    return get_scoped_object_or_404(
        request.user, Organisation.objects.select_related("sector"), perm, slug=slug
    )


def _unit(request: HttpRequest, organisation: Organisation, pk: int | str | None) -> Unit | None:
    if pk in (None, ""):
        return None
    try:
        unit = Unit.objects.get(organisation=organisation, pk=int(pk))
    except (Unit.DoesNotExist, ValueError):
        raise Http404 from None
    if not can_read_unit(request.user, unit):
        raise PermissionDenied
    return unit


def _indicator(organisation: Organisation, code: str) -> Indicator:
    for indicator in selectors.available_indicators(organisation):
        if indicator.code == code:
            return indicator
    raise Http404


def _group_by(request: HttpRequest) -> str:
    chosen = request.GET.get("group")
    if chosen in selectors.GROUPINGS:
        request.session["indicators_group_by"] = chosen
    group = request.session.get("indicators_group_by", "perspective")
    return group if group in selectors.GROUPINGS else "perspective"


def _scorecard_page(request: HttpRequest, organisation: Organisation, unit: Unit | None) -> HttpResponse:
    group_by = _group_by(request)
    groups = selectors.scorecard(organisation, unit, group_by=group_by)
    units = (
        readable_units(request.user, organisation)
        if request.user.has_perm("indicators.view_unit_scorecards", organisation)
        else []
    )
    return render(
        request,
        "indicators/scorecard.html",
        {
            "organisation": organisation,
            "unit": unit,
            "groups": groups,
            "group_by": group_by,
            "counts": selectors.light_counts(groups),
            "units": units,
            "can_edit": request.user.has_perm("indicators.change_measurement", organisation),
            "can_view_org": request.user.has_perm("indicators.view_scorecard", organisation),
            "lights": Light,
        },
    )


@require_GET
def scorecard(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org, "indicators.view_scorecard")
    return _scorecard_page(request, organisation, None)


@require_GET
def unit_scorecard(request: HttpRequest, org: str, unit: int) -> HttpResponse:
    organisation = _organisation(request, org, "indicators.view_unit_scorecards")
    return _scorecard_page(request, organisation, _unit(request, organisation, unit))


def _detail_context(
    request: HttpRequest, organisation: Organisation, unit: Unit | None, indicator: Indicator
) -> dict[str, object]:
    points = selectors.trend(organisation, unit, indicator)
    can_edit = request.user.has_perm("indicators.change_measurement", organisation)
    latest_target = next((p.target for p in reversed(points) if p.target is not None), None)
    return {
        "organisation": organisation,
        "unit": unit,
        "indicator": indicator,
        "points": points,
        "chart": trend_svg(
            [(p.label, p.value) for p in points],
            title=_("Trend of %(name)s") % {"name": indicator.name},
            target=latest_target,
        ),
        "can_edit": can_edit,
        "history": selectors.history(organisation, unit, indicator) if can_edit else [],
        "measurement_form": MeasurementForm(indicator=indicator, prefix="m"),
        "norm_form": NormForm(indicator=indicator, organisation=organisation, prefix="n"),
        "correction_form": CorrectionForm(prefix="c"),
    }


@require_GET
def indicator_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    at_unit = bool(request.GET.get("unit"))
    organisation = _organisation(
        request, org, "indicators.view_unit_scorecards" if at_unit else "indicators.view_scorecard"
    )
    unit = _unit(request, organisation, request.GET.get("unit"))
    indicator = _indicator(organisation, code)
    return render(
        request, "indicators/indicator_detail.html", _detail_context(request, organisation, unit, indicator)
    )


def _detail_url(organisation: Organisation, indicator: Indicator, unit: Unit | None) -> str:
    url = reverse("indicators:indicator_detail", args=[organisation.slug, indicator.code])
    return f"{url}?unit={unit.pk}" if unit else url


def _render_with_errors(
    request: HttpRequest, organisation: Organisation, unit: Unit | None, indicator: Indicator, **forms: object
) -> HttpResponse:
    context = _detail_context(request, organisation, unit, indicator)
    context.update(forms)
    return render(request, "indicators/indicator_detail.html", context, status=400)


@require_POST
def measurement_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organisation = _organisation(request, org, "indicators.change_measurement")
    unit = _unit(request, organisation, request.POST.get("unit"))
    indicator = _indicator(organisation, code)
    form = MeasurementForm(request.POST, indicator=indicator, prefix="m")
    if form.is_valid():
        try:
            services.record_measurement(
                organisation=organisation,
                unit=unit,
                indicator=indicator,
                period_start=form.cleaned_data["period"],
                value=form.cleaned_data["value"],
                group_size=form.cleaned_data.get("group_size"),
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The value has been saved."))
            return redirect(_detail_url(organisation, indicator, unit))
    return _render_with_errors(request, organisation, unit, indicator, measurement_form=form)


@require_POST
def measurement_correct(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, org, "indicators.change_measurement")
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator", "unit"), pk=pk, organisation=organisation
    )
    form = CorrectionForm(request.POST, prefix="c")
    if form.is_valid():
        try:
            services.correct_measurement(
                measurement=measurement,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The value has been corrected; the old value stays in the history."))
            return redirect(_detail_url(organisation, measurement.indicator, measurement.unit))
    return _render_with_errors(
        request, organisation, measurement.unit, measurement.indicator, correction_form=form
    )


@require_POST
def norm_set(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organisation = _organisation(request, org, "indicators.change_measurement")
    unit = _unit(request, organisation, request.POST.get("unit"))
    indicator = _indicator(organisation, code)
    form = NormForm(request.POST, indicator=indicator, organisation=organisation, prefix="n")
    if form.is_valid():
        try:
            services.set_norm(
                organisation=organisation,
                unit=unit,
                indicator=indicator,
                period_start=form.cleaned_data["period"],
                target=form.cleaned_data["target"],
                margin=form.cleaned_data["margin"],
                user=request.user,
                goal=form.cleaned_data.get("goal"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The norm has been saved."))
            return redirect(_detail_url(organisation, indicator, unit))
    return _render_with_errors(request, organisation, unit, indicator, norm_form=form)


@require_http_methods(["GET", "POST"])
def measurement_import(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org, "indicators.change_measurement")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_measurements(
                organisation=organisation, filename=upload.name, content=upload.read(), user=request.user
            )
        except UploadRejected as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(
                    request,
                    _("Import done: %(created)s new values, %(unchanged)s already present.")
                    % {"created": result.created, "unchanged": result.unchanged},
                )
                return redirect("indicators:scorecard", org=organisation.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "indicators/import.html",
        {"organisation": organisation, "form": form, "result": result, "columns": services.IMPORT_COLUMNS},
        status=status,
    )


@require_GET
def library(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org, "indicators.view_scorecard")
    elsewhere = dict(
        TrackedElsewhere.objects.filter(organisation=organisation).values_list("indicator_id", "system")
    )
    rows = [(i, elsewhere.get(i.pk, "")) for i in selectors.available_indicators(organisation)]
    return render(
        request,
        "indicators/library.html",
        {
            "organisation": organisation,
            "rows": rows,
            "line_names": selectors.line_names(),
            "can_edit": request.user.has_perm("indicators.change_measurement", organisation),
        },
    )


@require_POST
def tracked_elsewhere(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organisation = _organisation(request, org, "indicators.change_measurement")
    indicator = _indicator(organisation, code)
    form = TrackedElsewhereForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Name the system in 200 characters or fewer."))
    elif form.cleaned_data["system"].strip():
        TrackedElsewhere.objects.update_or_create(
            organisation=organisation,
            indicator=indicator,
            defaults={"system": form.cleaned_data["system"].strip()},
        )
        messages.success(request, _("Marked as tracked elsewhere."))
    else:
        TrackedElsewhere.objects.filter(organisation=organisation, indicator=indicator).delete()
        messages.success(request, _("No longer marked as tracked elsewhere."))
    return redirect("indicators:library", org=organisation.slug)


def _quarter(request: HttpRequest) -> date:
    text = request.GET.get("quarter", "")
    if text:
        try:
            return parse_period("quarterly", text)
        except ValidationError:
            raise Http404 from None
    today = date.today()
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


@require_GET
def pc_export(request: HttpRequest, org: str) -> HttpResponse:
    """Planning & control export: per place and indicator the latest value within the
    quarter, its norm and its traffic light; suppressed values stay empty."""
    organisation = _organisation(request, org, "indicators.change_measurement")
    start = _quarter(request)
    end = date(start.year + (start.month + 3 > 12), (start.month + 2) % 12 + 1, 1)
    places: list[Unit | None] = [None, *Unit.objects.filter(organisation=organisation).order_by("path")]
    rows = []
    for place in places:
        for group in selectors.scorecard(organisation, place, until=end):
            for row in group.rows:
                p = row.latest
                in_quarter = p is not None and start <= p.period_start < end
                rows.append(
                    [
                        place.name if place else organisation.name,
                        row.indicator.code,
                        row.indicator.name,
                        row.indicator.get_perspective_display(),
                        p.label if in_quarter and p else "",
                        (p.value if in_quarter and p and p.value is not None else ""),
                        _("suppressed") if in_quarter and p and p.suppressed else "",
                        (p.target if in_quarter and p and p.target is not None else ""),
                        Light(p.light).label if in_quarter and p else Light.UNKNOWN.label,
                    ]
                )
    headers = [
        _("Place"),
        _("Code"),
        _("Indicator"),
        _("Perspective"),
        _("Period"),
        _("Value"),
        _("Note"),
        _("Target"),
        _("Traffic light"),
    ]
    label = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    content = write_xlsx(headers=headers, rows=rows, sheet_title=label)
    return xlsx_response(content, f"planning-control-{organisation.slug}-{label}.xlsx")
