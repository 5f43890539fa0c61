"""Usage report pages: an organisation's report and the sector benchmark for a closed
period (a quarter, a year or twelve months), as HTML, PDF and XLSX. Every figure comes
from the period's care release; a period still running has no report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vitaal.care.report_tasks import last_complete_quarter, store_reports
from vitaal.care.usage import localise, organisation_report, sector_report
from vitaal.care.web.reports.charts import bar_chart
from vitaal.care.web.reports.common import admin_sector, log_report_read, organisation_for
from vitaal.care.web.reports.exports import pdf_response_headers, report_pdf, report_xlsx
from vitaal.care.web.reports.forms import PeriodForm
from vitaal.core.models import Organisation, Sector
from vitaal.core.models.audit import AccessAction
from vitaal.core.releases import PeriodRunning, ReleasePeriod
from vitaal.core.spreadsheets import xlsx_response


def load_report(
    *, period: ReleasePeriod, organisation: Organisation | None = None, sector: Sector | None = None
) -> dict[str, Any]:
    """The report of a closed period, read from its care release (made on first use).
    A period that has not ended (or an organisation without figures in it) is a 404."""
    try:
        if organisation is not None:
            return organisation_report(organisation, period)
        assert sector is not None
        return sector_report(sector, period)
    except PeriodRunning as exc:
        raise Http404(_("There are no figures for this period.")) from exc


def _theme_chart(report: dict[str, Any]) -> dict[str, Any] | None:
    if report.get("benchmark"):
        bench = report["benchmark"]
        items = [
            (c["label"], cell["value"])
            for c, cell in zip(bench["columns"], bench["totals"]["cells"], strict=True)
        ]
    else:
        themes = next((b for b in report["uptake"]["breakdowns"] if b["key"] == "theme"), None)
        if themes is None:
            return None
        items = [(row["label"], row["cell"]["value"]) for row in themes["rows"]]
    return bar_chart(items, _("suppressed"))


def _respond(
    request: HttpRequest,
    *,
    fmt: str,
    data: dict[str, Any],
    title: str,
    form: PeriodForm,
    urls: tuple[str, str],
    filename: str,
    organisation_id: int | None,
) -> HttpResponse:
    report = localise(data)
    action = AccessAction.VIEW if fmt == "html" else AccessAction.EXPORT
    log_report_read(
        request.user,
        organisation_id=organisation_id,
        label=report["period"]["label"],
        action=action,
        description=f"care usage report ({fmt})",
    )
    context = {
        "title": title,
        "report": report,
        "form": form,
        "chart": _theme_chart(report),
        "chart_title": _("Users by theme"),
        "language": get_language(),
    }
    if fmt == "xlsx":
        return xlsx_response(report_xlsx(report), f"{filename}.xlsx")
    if fmt == "pdf":
        response = HttpResponse(report_pdf(context), content_type="application/pdf")
        return pdf_response_headers(response, f"{filename}.pdf")
    query = f"?period={report['period']['label']}"
    context["pdf_url"], context["xlsx_url"] = urls[0] + query, urls[1] + query
    return render(request, "care/reports/usage_report.html", context)


@require_GET
def usage_report(request: HttpRequest, org: str, fmt: str = "html") -> HttpResponse:
    organisation = organisation_for(request, org, "care.view_usage_report")
    form = PeriodForm(request.GET or None)
    period = form.chosen()
    data = load_report(period=period, organisation=organisation)
    return _respond(
        request,
        fmt=fmt,
        data=data,
        title=_("Care usage of %(org)s") % {"org": organisation.name},
        form=form,
        urls=(
            reverse("care:usage_report_pdf", args=[organisation.slug]),
            reverse("care:usage_report_xlsx", args=[organisation.slug]),
        ),
        filename=f"{organisation.slug}-care-usage-{period.label}",
        organisation_id=organisation.pk,
    )


@require_GET
def sector_usage(request: HttpRequest, fmt: str = "html") -> HttpResponse:
    sector = admin_sector(request, "care.view_sector_usage")
    form = PeriodForm(request.GET or None)
    period = form.chosen()
    data = load_report(period=period, sector=sector)
    return _respond(
        request,
        fmt=fmt,
        data=data,
        title=_("Care usage in the sector: benchmark"),
        form=form,
        urls=(reverse("care:sector_usage_pdf"), reverse("care:sector_usage_xlsx")),
        filename=f"{sector.slug}-care-benchmark-{period.label}",
        organisation_id=None,
    )


@require_POST
def store_now(request: HttpRequest) -> HttpResponse:
    """The sector admin makes the releases of the last closed quarter now, instead of
    waiting for the nightly job (the same job: it makes only what is missing)."""
    sector = admin_sector(request, "care.view_sector_usage")
    quarter = last_complete_quarter()
    created = store_reports(quarter, [sector])
    messages.success(
        request,
        _("%(n)s releases ending with %(quarter)s were made; releases made before stay as they were.")
        % {"n": created, "quarter": quarter.label},
    )
    return redirect("care:sector_usage")
