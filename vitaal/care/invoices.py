"""Invoices of a provider: delivered sessions per organisation, aggregated by period.

In the collective arrangement the provider bills the arrangement, not the employer: the
sector's care fund, administered by the care coordinator desk (an independent desk that
sees the individual requests anyway). So an invoice is addressed to the sector's care
arrangement and says so, and only the provider's staff and the sector's care coordinator
read it (``care.access.scope_invoice_providers``, ``care.view_invoice``). An invoice
counts the trajectories of one month per intervention and organisation, so one person's
grief counselling in March would show: no employer-side role and not the sector admin
ever receives one. What they see of their organisation's care costs is the yearly spend
of the care release (``care.release.released_spend``, on the budget page; DESIGN rule 2).

The lines still carry only what an invoice needs: per intervention the number of
sessions, the number of trajectories and the amount. No names, no dates of individual
sessions, no notes (DESIGN rule 1). The organisation stays on the invoice because the
arrangement books each organisation's care against its own contributions and budget.
Periods are a month (``2026-03``) or a quarter (``2026-Q1``): the provider bills monthly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from vitaal.care.models import DeliverySession, Provider
from vitaal.care.models.bilingual import pick
from vitaal.core.models import Organisation

PERIOD_RE = re.compile(r"^(?P<year>\d{4})-(?:(?P<month>0[1-9]|1[0-2])|Q(?P<quarter>[1-4]))$")


@dataclass(frozen=True)
class Period:
    code: str
    start: date
    end: date  # exclusive

    @property
    def label(self) -> str:
        return self.code


def parse_period(code: str) -> Period:
    """A month or quarter code, or 404 (it comes from the URL)."""
    match = PERIOD_RE.match(code)
    if match is None:
        raise Http404
    year = int(match["year"])
    if match["month"]:
        first = int(match["month"])
        months = 1
    else:
        first = (int(match["quarter"]) - 1) * 3 + 1
        months = 3
    start = date(year, first, 1)
    last = first + months
    end = date(year + 1, 1, 1) if last > 12 else date(year, last, 1)
    return Period(code=code, start=start, end=end)


@dataclass(frozen=True)
class InvoiceSummary:
    provider: Provider
    organisation_id: int
    organisation_name: str
    organisation_slug: str
    period: str
    sessions: int
    amount: Decimal


def invoice_providers(user: Any) -> QuerySet[Provider]:
    """The providers whose invoices the user reads."""
    return Provider.objects.invoices_visible_to(user).select_related("sector")


def invoice_summaries(user: Any) -> list[InvoiceSummary]:
    """Per provider the user reads invoices of, organisation and month: sessions and
    amount (one query for the totals, one for the providers)."""
    providers = {p.pk: p for p in invoice_providers(user)}
    if not providers:
        return []
    rows = (
        DeliverySession.objects.filter(provider_id__in=providers)
        .annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
        .values(
            "provider_id",
            "request__organisation_id",
            "request__organisation__name",
            "request__organisation__slug",
            "y",
            "m",
        )
        .annotate(sessions=Count("pk"), amount=Sum("cost"))
        .order_by("-y", "-m", "request__organisation__name", "provider_id")
    )
    return [
        InvoiceSummary(
            provider=providers[r["provider_id"]],
            organisation_id=r["request__organisation_id"],
            organisation_name=r["request__organisation__name"],
            organisation_slug=r["request__organisation__slug"],
            period=f"{r['y']:04d}-{r['m']:02d}",
            sessions=r["sessions"],
            amount=Decimal(r["amount"] or 0),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class InvoiceLine:
    intervention: str
    tariff_unit: str
    trajectories: int
    sessions: int
    amount: Decimal


@dataclass(frozen=True)
class Invoice:
    provider: Provider
    organisation: Organisation
    period: Period
    lines: list[InvoiceLine]

    @property
    def sessions(self) -> int:
        return sum(line.sessions for line in self.lines)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0"))

    @property
    def number(self) -> str:
        return f"{self.provider.code.upper()}-{self.organisation.slug.upper()}-{self.period.code}"

    @property
    def addressee(self) -> str:
        """Who the invoice is sent to: the sector's care arrangement, never the employer."""
        return _("Care arrangement of %(sector)s, care coordinator desk") % {
            "sector": self.provider.sector.name
        }


def provider_for(user: Any, provider_id: int) -> Provider:
    """A provider whose invoices the user reads, or 404 (an invoice of someone else's
    provider does not exist for them)."""
    provider = invoice_providers(user).filter(pk=provider_id).first()
    if provider is None or not user.has_perm("care.view_invoice", provider):
        raise Http404
    return provider


def invoice_build(*, provider: Provider, organisation: Organisation, period: Period) -> Invoice:
    rows = (
        DeliverySession.objects.filter(
            provider=provider,
            request__organisation=organisation,
            date__gte=period.start,
            date__lt=period.end,
        )
        .values(
            "request__intervention_id",
            "request__intervention__name_nl",
            "request__intervention__name_en",
            "request__intervention__tariff_unit",
        )
        .annotate(trajectories=Count("request_id", distinct=True), sessions=Count("pk"), amount=Sum("cost"))
        .order_by("request__intervention__name_nl")
    )
    from vitaal.care.models import TariffUnit

    units = dict(TariffUnit.choices)
    lines = [
        InvoiceLine(
            intervention=pick(r["request__intervention__name_nl"], r["request__intervention__name_en"]),
            tariff_unit=str(units.get(r["request__intervention__tariff_unit"], "")),
            trajectories=r["trajectories"],
            sessions=r["sessions"],
            amount=Decimal(r["amount"] or 0),
        )
        for r in rows
    ]
    return Invoice(provider=provider, organisation=organisation, period=period, lines=lines)


def invoice_xlsx(invoice: Invoice) -> bytes:
    from vitaal.core.spreadsheets import write_xlsx

    rows: list[list[Any]] = [
        [line.intervention, line.tariff_unit, line.trajectories, line.sessions, line.amount]
        for line in invoice.lines
    ]
    rows.append([_("Total"), "", "", invoice.sessions, invoice.total])
    rows.append([])
    rows.append([_("Addressed to"), invoice.addressee])
    rows.append([_("Provider"), invoice.provider.name])
    rows.append([_("For employees of"), invoice.organisation.name])
    rows.append([_("Period"), invoice.period.code])
    return write_xlsx(
        headers=[_("Intervention"), _("Tariff unit"), _("Trajectories"), _("Sessions"), _("Amount (EUR)")],
        rows=rows,
        sheet_title=invoice.number,
    )


def invoice_pdf(invoice: Invoice) -> bytes:
    from weasyprint import HTML

    html = render_to_string("care/work/invoice_pdf.html", {"invoice": invoice})
    return bytes(HTML(string=html).write_pdf())
