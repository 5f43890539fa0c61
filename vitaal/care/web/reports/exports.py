"""A usage report as XLSX and PDF. Both start from the stored or computed report dict,
which holds only protected figures: a suppressed cell has no value to export."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from vitaal.core.spreadsheets import safe_cell


def _cell_value(cell: dict[str, Any]) -> Any:
    # "not shown" marks a withheld breakdown: unlike a suppressed count, it may be 0.
    if cell.get("withheld"):
        return _("not shown")
    return _("suppressed") if cell["suppressed"] else cell["value"]


def _number(value: Any) -> Any:
    if value is None:
        return _("suppressed")
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def report_rows(report: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """The report (already localised) as sheets of rows, the first row a header."""
    sheets: dict[str, list[list[Any]]] = {}
    summary = [
        [_("Figure"), _("Value")],
        [_("Period"), report["period"]["label"]],
        [_("Minimum group size"), report["threshold"]],
        [_("Employees"), report["headcount"]],
        [_("Users"), _cell_value(report["uptake"]["total"])],
        [_("Users per 1,000 employees"), _number(report["users_per_1000"])],
    ]
    if report.get("sector_users_per_1000") is not None or report["kind"] == "organisation":
        summary.append([_("Sector: users per 1,000 employees"), _number(report.get("sector_users_per_1000"))])
    sheets[_("Summary")] = summary
    uptake = [[_("Breakdown"), _("Category"), _("Users")]]
    for breakdown in report["uptake"]["breakdowns"]:
        for row in breakdown["rows"]:
            uptake.append([breakdown["label"], row["label"], _cell_value(row["cell"])])
    sheets[_("Uptake")] = uptake
    if report.get("benchmark"):
        bench = report["benchmark"]
        rows = [
            [
                _("Organisation"),
                _("Employees"),
                *[c["label"] for c in bench["columns"]],
                _("Total"),
                _("Per 1,000"),
            ]
        ]
        for row in bench["rows"]:
            rows.append(
                [
                    row["label"],
                    row["headcount"],
                    *[_cell_value(c) for c in row["cells"]],
                    _cell_value(row["total"]),
                    _number(row["users_per_1000"]),
                ]
            )
        rows.append(
            [
                _("Sector"),
                "",
                *[_cell_value(c) for c in bench["totals"]["cells"]],
                _cell_value(bench["totals"]["total"]),
                "",
            ]
        )
        sheets[_("Benchmark")] = rows
    delivered = [[_("Theme"), _("Employees with sessions"), _("Cost (EUR)")]]
    for row in report["delivered"]["rows"]:
        delivered.append([row["label"], _cell_value(row["cell"]), _number(row["cost"])])
    delivered.append(
        [_("Total"), _cell_value(report["delivered"]["total"]), _number(report["delivered"]["cost_total"])]
    )
    sheets[_("Delivered care")] = delivered
    evaluations = [[_("Theme"), _("Evaluations"), _("Mean grade"), _("Helped (%)")]]
    for row in report["evaluations"]["rows"]:
        evaluations.append(
            [row["label"], _cell_value(row["cell"]), _number(row["mean_grade"]), _number(row["helped_pct"])]
        )
    ev = report["evaluations"]
    evaluations.append(
        [_("Total"), _cell_value(ev["total"]), _number(ev["mean_grade"]), _number(ev["helped_pct"])]
    )
    sheets[_("Evaluations")] = evaluations
    if report.get("finance"):
        fin = report["finance"]
        sheets[_("Costs and budget")] = [
            [_("Figure"), _("Amount (EUR)")],
            [_("Contributions"), _number(fin["contributions"])],
            [_("Company-bound budget"), _number(fin["company_budget"])],
            [_("Approved from the company-bound budget"), _number(fin["approved_budget"])],
            [_("Committed"), _number(fin["committed"])],
            [_("Actual costs"), _number(fin["actual"])],
            [_("Remaining"), _number(fin["remaining"])],
        ]
    if report.get("insurer"):
        ins = report["insurer"]
        rows = [[_("Breakdown"), _("Category"), _("Users"), _("Cost (EUR)")]]
        for breakdown in ins["breakdowns"]:
            for row in breakdown["rows"]:
                cost = _number(row["cost"]) if breakdown["key"] == "theme" else ""
                rows.append([breakdown["label"], row["label"], _cell_value(row["cell"]), cost])
        rows.append([_("Total"), "", _cell_value(ins["total"]), _number(ins["cost_total"])])
        sheets[_("Insurer data")] = rows
    return sheets


def report_xlsx(report: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in report_rows(report).items():
        sheet = workbook.create_sheet(title=title[:31])
        for i, row in enumerate(rows):
            sheet.append([safe_cell(v) if isinstance(v, str) else v for v in row])
            if i == 0:
                for cell in sheet[1]:
                    cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("care/reports/usage_report_pdf.html", context)
    return bytes(HTML(string=html).write_pdf())


def pdf_response_headers(response: Any, filename: str) -> Any:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
