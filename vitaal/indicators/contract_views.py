"""Management contract pages: list, create, detail with lines, signatures, new versions,
and the PDF/DOCX downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vitaal.core.access import get_actor
from vitaal.core.models import Organisation
from vitaal.indicators import contracts, documents
from vitaal.indicators.access import EDIT_ROLES
from vitaal.indicators.contract_forms import ContractForm, ContractLineForm
from vitaal.indicators.models import ManagementContract
from vitaal.indicators.views import _organisation


def _contract(request: HttpRequest, organisation: Organisation, pk: int) -> ManagementContract:
    contract = get_object_or_404(
        ManagementContract.objects.select_related("unit", "head", "management_signer"),
        pk=pk,
        organisation=organisation,
    )
    if not request.user.has_perm("indicators.view_contract", contract):
        raise PermissionDenied
    return contract


def _org_for_contracts(request: HttpRequest, org: str) -> Organisation:
    """Editors and unit heads with a contract get in; others are refused (404 outside scope)."""
    organisation = _organisation(request, org, "core.view_organisation")
    return organisation


@require_GET
def contract_list(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org, "indicators.view_unit_scorecards")
    editor = get_actor(request.user).has_role_in_org(organisation.pk, EDIT_ROLES)
    contracts_qs = ManagementContract.objects.filter(organisation=organisation).select_related("unit", "head")
    if not editor:
        contracts_qs = contracts_qs.filter(head_id=request.user.pk)
    return render(
        request,
        "indicators/contract_list.html",
        {
            "organisation": organisation,
            "contracts": contracts_qs.order_by("unit__path", "-period_start", "-version"),
            "can_edit": editor,
        },
    )


@require_http_methods(["GET", "POST"])
def contract_create(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(request, org, "indicators.change_contract")
    form = ContractForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        head = form.heads[form.cleaned_data["head"]]
        try:
            contract = contracts.create_contract(
                organisation=organisation,
                unit=form.cleaned_data["unit"],
                head=head.user,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                general=form.cleaned_data["general"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The contract has been created. Add the agreements per development line.")
            )
            return redirect("indicators:contract_detail", org=organisation.slug, pk=contract.pk)
    return render(
        request,
        "indicators/contract_form.html",
        {"organisation": organisation, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _detail(
    request: HttpRequest, organisation: Organisation, contract: ManagementContract, **extra: object
) -> HttpResponse:
    user = request.user
    context = {
        "organisation": organisation,
        "contract": contract,
        **documents.contract_context(contract),
        "can_edit": user.has_perm("indicators.change_contract", contract) and not contract.is_frozen,
        "can_version": user.has_perm("indicators.change_contract", contract)
        and contract.status == "signed"
        and not hasattr(contract, "replaced_by"),
        "can_sign_head": user.has_perm("indicators.sign_contract_as_head", contract)
        and not contract.head_signed_at,
        "can_sign_management": user.has_perm("indicators.sign_contract_as_management", contract)
        and not contract.management_signed_at
        and user.pk != contract.head_id,
        "line_form": extra.pop("line_form", None) or ContractLineForm(organisation=organisation),
        "versions": ManagementContract.objects.filter(
            Q(unit=contract.unit, period_start=contract.period_start)
        ).order_by("version"),
    }
    context.update(extra)
    return render(
        request, "indicators/contract_detail.html", context, status=400 if extra.get("error") else 200
    )


@require_GET
def contract_detail(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org_for_contracts(request, org)
    return _detail(request, organisation, _contract(request, organisation, pk))


@require_POST
def contract_line_save(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, org, "indicators.change_contract")
    contract = _contract(request, organisation, pk)
    form = ContractLineForm(request.POST, organisation=organisation)
    if form.is_valid():
        code = form.cleaned_data.get("indicator")
        indicators = [(form.indicators[code], form.cleaned_data["norm"])] if code else None
        try:
            contracts.save_line(
                contract=contract,
                line_code=form.cleaned_data["line_code"],
                objective=form.cleaned_data["objective"],
                success_factors=form.cleaned_data["success_factors"],
                actions=form.cleaned_data["actions"],
                indicators=indicators,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The agreements for this line have been saved."))
            return redirect("indicators:contract_detail", org=organisation.slug, pk=contract.pk)
    return _detail(request, organisation, contract, line_form=form, error=True)


@require_POST
def contract_sign(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org_for_contracts(request, org)
    contract = _contract(request, organisation, pk)
    as_management = request.POST.get("as") == "management"
    perm = "indicators.sign_contract_as_management" if as_management else "indicators.sign_contract_as_head"
    if not request.user.has_perm(perm, contract):
        raise PermissionDenied
    try:
        contracts.sign(contract=contract, user=request.user, as_management=as_management)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your signature has been recorded."))
    return redirect("indicators:contract_detail", org=organisation.slug, pk=contract.pk)


@require_POST
def contract_new_version(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, org, "indicators.change_contract")
    contract = _contract(request, organisation, pk)
    try:
        copy = contracts.new_version(contract=contract)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("indicators:contract_detail", org=organisation.slug, pk=contract.pk)
    messages.success(request, _("Version %(n)s has been started as a copy.") % {"n": copy.version})
    return redirect("indicators:contract_detail", org=organisation.slug, pk=copy.pk)


@require_GET
def contract_pdf(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org_for_contracts(request, org)
    contract = _contract(request, organisation, pk)
    response = HttpResponse(documents.contract_pdf(contract), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="contract-{contract.pk}-v{contract.version}.pdf"'
    return response


@require_GET
def contract_docx(request: HttpRequest, org: str, pk: int) -> HttpResponse:
    organisation = _org_for_contracts(request, org)
    contract = _contract(request, organisation, pk)
    response = HttpResponse(
        documents.contract_docx(contract),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="contract-{contract.pk}-v{contract.version}.docx"'
    )
    return response
