"""Business-case pages: scenarios, the calculation with its sensitivity table, comparison,
the realised view and a PDF for the management team."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vitaal.core.models import Organisation
from vitaal.indicators import business_case as cases
from vitaal.indicators.business_case_forms import BusinessCaseForm
from vitaal.indicators.models import BusinessCase
from vitaal.indicators.views import _organisation


def _case(organisation: Organisation, pk: int) -> BusinessCase:
    return get_object_or_404(BusinessCase, pk=pk, organisation=organisation)


@require_GET
def case_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org, "indicators.view_businesscase")
    all_cases = list(BusinessCase.objects.filter(organisation=organisation).order_by("name"))
    chosen = {str(pk) for pk in request.GET.getlist("compare")}
    compared = [(c, cases.outcome(c)) for c in all_cases if str(c.pk) in chosen] if chosen else []
    return render(
        request,
        "indicators/case_list.html",
        {
            "organisation": organisation,
            "cases": [(c, cases.outcome(c)) for c in all_cases],
            "compared": compared,
            "chosen": chosen,
        },
    )


def _save(request: HttpRequest, organisation: Organisation, case: BusinessCase | None) -> HttpResponse:
    if case is None:
        initial = cases.defaults_for(organisation)
    else:
        initial = {**case.inputs, "name": case.name, "implemented_on": case.implemented_on}
    form = BusinessCaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = cases.save_case(
                organisation=organisation,
                name=form.cleaned_data["name"],
                inputs=form.inputs(),
                implemented_on=form.cleaned_data["implemented_on"],
                user=request.user,
                case=case,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("The scenario has been saved."))
            return redirect("indicators:case_detail", org=organisation.slug, pk=saved.pk)
    return render(
        request,
        "indicators/case_form.html",
        {"organisation": organisation, "form": form, "case": case},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest, org: str) -> HttpResponse:
    return _save(request, _organisation(request, org, "indicators.change_businesscase"), None)


@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, org, "indicators.change_businesscase")
    return _save(request, organisation, _case(organisation, pk))


def _context(organisation: Organisation, case: BusinessCase) -> dict[str, object]:
    return {
        "organisation": organisation,
        "case": case,
        "inputs": case.get_inputs(),
        "out": cases.outcome(case),
        "realised": cases.realised_view(case),
    }


@require_GET
def case_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, org, "indicators.view_businesscase")
    return render(request, "indicators/case_detail.html", _context(organisation, _case(organisation, pk)))


@require_GET
def case_pdf(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    from weasyprint import HTML

    organisation = _organisation(request, org, "indicators.view_businesscase")
    case = _case(organisation, pk)
    html = render_to_string("indicators/case_print.html", _context(organisation, case), request=request)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="business-case-{case.pk}.pdf"'
    return response
