"""Writes and exports of the cycle's documents: management letter, start memo and
communication plan.

Writes are keyword-only, validated with ``full_clean()``, one transaction each; bad input
raises ``ValidationError`` and changes nothing. Permissions belong to the caller
(``igm.change_cycle`` to write, ``igm.view_cycle`` to read and export). Exports build the
same content: a list of sections (heading, paragraphs) and, for the communication plan,
a table; DOCX through python-docx, PDF through WeasyPrint from an HTML template."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date as date_type
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vitaal.core.models import User
from vitaal.igm.models import (
    CommunicationItem,
    CommunicationPlan,
    Cycle,
    DocumentKind,
    ManagementLetter,
    StartMemo,
)
from vitaal.igm.models.cycle import CYCLE_CLOSED

DOCUMENT_MODELS: dict[str, type[ManagementLetter | StartMemo | CommunicationPlan]] = {
    DocumentKind.MANAGEMENT_LETTER: ManagementLetter,
    DocumentKind.START_MEMO: StartMemo,
    DocumentKind.COMMUNICATION_PLAN: CommunicationPlan,
}

# The fields of each document, in the order they are shown and exported.
DOCUMENT_FIELDS: dict[str, tuple[str, ...]] = {
    DocumentKind.MANAGEMENT_LETTER: (
        "addressed_to",
        "letter_date",
        "reason",
        "commitment",
        "resources",
        "signatory",
    ),
    DocumentKind.START_MEMO: (
        "motives",
        "yield_concrete",
        "yield_strategic",
        "goals",
        "scope",
        "project_organisation",
        "communication",
    ),
    DocumentKind.COMMUNICATION_PLAN: ("introduction",),
}

Document = ManagementLetter | StartMemo | CommunicationPlan


def document_for(cycle: Cycle, kind: str) -> Document | None:
    """The cycle's document of this kind, or None while it has not been written."""
    model = DOCUMENT_MODELS[kind]
    return model.objects.filter(cycle=cycle).first()


def _active(cycle: Cycle) -> Cycle:
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not cycle.is_active:
        raise ValidationError(CYCLE_CLOSED)
    return cycle


@transaction.atomic
def document_save(*, cycle: Cycle, kind: str, values: dict[str, Any], by: User | None) -> Document:
    """Create or change the cycle's document of ``kind`` with ``values`` (only the
    document's own fields are taken)."""
    if kind not in DOCUMENT_MODELS:
        raise ValidationError(_("Unknown document."))
    cycle = _active(cycle)
    model = DOCUMENT_MODELS[kind]
    doc = model.objects.select_for_update().filter(cycle=cycle).first() or model(cycle=cycle)
    for name in DOCUMENT_FIELDS[kind]:
        if name in values:
            setattr(doc, name, values[name])
    doc.updated_by = by
    doc.full_clean()
    doc.save()
    return doc


@transaction.atomic
def communication_item_add(
    *,
    cycle: Cycle,
    audience: str,
    message: str,
    channel: str,
    starts_on: date_type,
    owner: str,
    ends_on: date_type | None = None,
    by: User | None = None,
) -> CommunicationItem:
    """Add a row to the communication plan (creating the plan when needed). The end
    date may not lie before the start date."""
    cycle = _active(cycle)
    if ends_on is not None and starts_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date lies before the start date.")})
    plan, _created = CommunicationPlan.objects.get_or_create(cycle=cycle, defaults={"updated_by": by})
    item = CommunicationItem(
        plan=plan,
        audience=audience,
        message=message,
        channel=channel,
        starts_on=starts_on,
        ends_on=ends_on,
        owner=owner,
    )
    item.full_clean()
    item.save()
    plan.updated_by = by
    plan.save(update_fields=["updated_by", "updated_at"])
    return item


@transaction.atomic
def communication_item_remove(*, item: CommunicationItem) -> None:
    _active(item.plan.cycle)
    item.delete()


# Export ------------------------------------------------------------------------------------


@dataclass
class ExportSection:
    heading: str
    paragraphs: list[str]


@dataclass
class ExportDocument:
    """What both exports print: a title, a subtitle, sections, and optionally a table."""

    title: str
    subtitle: str
    sections: list[ExportSection] = field(default_factory=list)
    table_head: list[str] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, date_type):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def export_content(doc: Document, kind: str) -> ExportDocument:
    """The document as headings and paragraphs, in the active language."""
    organisation = doc.cycle.organisation
    out = ExportDocument(
        title=str(DocumentKind(kind).label),
        subtitle=_("%(organisation)s – cycle %(number)s")
        % {"organisation": organisation.name, "number": doc.cycle.number},
    )
    for name in DOCUMENT_FIELDS[kind]:
        label = str(getattr(doc._meta.get_field(name), "verbose_name", name))
        paragraphs = [p.strip() for p in _text(getattr(doc, name)).split("\n") if p.strip()]
        out.sections.append(ExportSection(label[:1].upper() + label[1:], paragraphs))
    if isinstance(doc, CommunicationPlan):
        out.table_head = [_("Audience"), _("Message"), _("Channel"), _("When"), _("Sent by")]
        for item in doc.items.all():
            when = _text(item.starts_on)
            if item.ends_on:
                when = f"{when} – {_text(item.ends_on)}"
            out.table_rows.append([item.audience, item.message, item.channel, when, item.owner])
    return out


def export_docx(content: ExportDocument) -> bytes:
    """The document as a Word file."""
    from docx import Document as DocxDocument

    docx = DocxDocument()
    docx.core_properties.title = content.title
    docx.add_heading(content.title, level=0)
    docx.add_paragraph(content.subtitle)
    for section in content.sections:
        docx.add_heading(section.heading, level=1)
        for paragraph in section.paragraphs:
            docx.add_paragraph(paragraph)
    if content.table_head:
        table = docx.add_table(rows=1, cols=len(content.table_head))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, content.table_head, strict=True):
            cell.text = text
        for row in content.table_rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()


def html_to_pdf(html: str) -> bytes:
    """Render an HTML page (with inline styles only; nothing is fetched) to PDF."""
    from weasyprint import HTML

    def no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError(f"External resource refused: {url}")

    return bytes(HTML(string=html, url_fetcher=no_fetch).write_pdf())


def export_pdf(content: ExportDocument) -> bytes:
    html = render_to_string("igm/documents/export_pdf.html", {"doc": content})
    return html_to_pdf(html)
