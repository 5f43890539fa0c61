"""Invoices per provider, organisation and period: page, XLSX and PDF. Read by the
provider's staff and by the care coordinator desk they are addressed to; who may is
decided in ``care.access`` and ``care.rules`` (``care.view_invoices``, ``care.view_invoice``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from vitaal.care import invoices
from vitaal.care.web.work.common import require
from vitaal.core.models import Organisation
from vitaal.core.spreadsheets import xlsx_response


@require_GET
def invoice_list(request: HttpRequest) -> HttpResponse:
    require(request.user.has_perm("care.view_invoices"))
    return render(
        request, "care/work/invoice_list.html", {"summaries": invoices.invoice_summaries(request.user)}
    )


def _invoice(request: HttpRequest, provider: int, org: str, period: str) -> invoices.Invoice:
    require(request.user.has_perm("care.view_invoices"))
    own = invoices.provider_for(request.user, provider)
    organisation = get_object_or_404(Organisation, slug=org, sector_id=own.sector_id)
    return invoices.invoice_build(
        provider=own, organisation=organisation, period=invoices.parse_period(period)
    )


@require_GET
def invoice_detail(request: HttpRequest, provider: int, org: str, period: str) -> HttpResponse:
    invoice = _invoice(request, provider, org, period)
    return render(request, "care/work/invoice_detail.html", {"invoice": invoice})


@require_GET
def invoice_xlsx(request: HttpRequest, provider: int, org: str, period: str) -> HttpResponse:
    invoice = _invoice(request, provider, org, period)
    return xlsx_response(invoices.invoice_xlsx(invoice), f"invoice-{invoice.number}.xlsx")


@require_GET
def invoice_pdf(request: HttpRequest, provider: int, org: str, period: str) -> HttpResponse:
    invoice = _invoice(request, provider, org, period)
    response = HttpResponse(invoices.invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="invoice-{invoice.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
