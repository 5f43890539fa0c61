"""Management contracts as PDF (WeasyPrint, from the same HTML template as a print view)
and DOCX (python-docx), so the contract can be signed on paper or filed."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from vitaal.indicators.models import ManagementContract
from vitaal.indicators.selectors import line_names


def contract_context(contract: ManagementContract) -> dict[str, Any]:
    names = line_names()
    lines = []
    for line in contract.lines.prefetch_related("indicators__indicator").order_by("order", "line_code"):
        lines.append(
            {
                "name": names.get(line.line_code, line.line_code),
                "objective": line.objective,
                "success_factors": line.success_factors,
                "actions": line.actions,
                "indicators": [
                    (ci.indicator.name, ci.indicator.unit, ci.norm.normalize())
                    for ci in line.indicators.all()
                ],
            }
        )
    return {"contract": contract, "lines": lines}


def contract_pdf(contract: ManagementContract) -> bytes:
    from weasyprint import HTML

    html = render_to_string("indicators/contract_print.html", contract_context(contract))
    return HTML(string=html).write_pdf()


def contract_docx(contract: ManagementContract) -> bytes:
    from docx import Document

    ctx = contract_context(contract)
    doc = Document()
    doc.add_heading(_("Management contract"), level=0)
    doc.add_paragraph(
        _("%(unit)s, %(start)s until %(end)s, version %(version)s")
        % {
            "unit": contract.unit.name,
            "start": contract.period_start.isoformat(),
            "end": contract.period_end.isoformat(),
            "version": contract.version,
        }
    )
    if contract.general:
        doc.add_heading(_("General agreements"), level=1)
        doc.add_paragraph(contract.general)
    for line in ctx["lines"]:
        doc.add_heading(line["name"], level=1)
        for label, text in (
            (_("Objective"), line["objective"]),
            (_("Success factors"), line["success_factors"]),
            (_("Actions"), line["actions"]),
        ):
            if text:
                p = doc.add_paragraph()
                p.add_run(f"{label}: ").bold = True
                p.add_run(text)
        if line["indicators"]:
            table = doc.add_table(rows=1, cols=3)
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, (_("Indicator"), _("Unit"), _("Norm")), strict=True):
                cell.text = text
            for name, unit, norm in line["indicators"]:
                row = table.add_row().cells
                row[0].text, row[1].text, row[2].text = name, unit, str(norm)
    doc.add_heading(_("Signatures"), level=1)
    doc.add_paragraph(
        _("Unit head: %(name)s, signed %(when)s")
        % {
            "name": contract.head.get_full_name() or contract.head.email,
            "when": contract.head_signed_at.date().isoformat() if contract.head_signed_at else _("not yet"),
        }
    )
    signer = contract.management_signer
    doc.add_paragraph(
        _("Management: %(name)s, signed %(when)s")
        % {
            "name": (signer.get_full_name() or signer.email) if signer else "–",
            "when": contract.management_signed_at.date().isoformat()
            if contract.management_signed_at
            else _("not yet"),
        }
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
