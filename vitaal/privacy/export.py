"""An employee's full data export (AVG art. 15 and 20): every app's part, gathered through
``vitaal.core.hooks.personal_data``, as JSON and as a readable workbook. Always logged,
also though the employee exports their own data: the file leaves the platform."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from vitaal.core import audit, hooks
from vitaal.core.hooks import PersonalDataSection
from vitaal.core.models import AccessLogEntry, Person, User

FORMAT_VERSION = 1
EXPORT_LOG_CODE = "full personal data export"


def collect(person: Person) -> list[PersonalDataSection]:
    return hooks.personal_data(person)


def as_dict(person: Person, sections: list[PersonalDataSection]) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "person_id": person.pk,
        "sections": {s.key: {"title": str(s.title), "note": str(s.note), "rows": s.rows} for s in sections},
    }


def to_json(person: Person, sections: list[PersonalDataSection]) -> bytes:
    data = as_dict(person, sections)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


def _cell(value: Any) -> Any:
    from vitaal.core.spreadsheets import safe_cell

    if value is None or isinstance(value, int | float | bool):
        return value
    if isinstance(value, list | dict):
        value = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return safe_cell(str(value))


def to_xlsx(sections: list[PersonalDataSection]) -> bytes:
    """One sheet per section; its title and note on top, then a table of its rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    bold = Font(bold=True)
    used: set[str] = set()
    for section in sections:
        name = section.key[:31]
        while name in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name)
        sheet = workbook.create_sheet(title=name)
        sheet.append([_cell(str(section.title))])
        sheet["A1"].font = bold
        if section.note:
            sheet.append([_cell(str(section.note))])
        columns: list[str] = []
        for row in section.rows:
            columns.extend(k for k in row if k not in columns)
        sheet.append([])
        if not columns:
            continue
        sheet.append(columns)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in section.rows:
            sheet.append([_cell(row.get(c)) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def log_export(*, user: User, person: Person, file_format: str) -> AccessLogEntry:
    """Written through the core audit log, which logs own exports (not own reads)."""
    return audit.log_own_export(
        user=user,
        person=person,
        object_type="personal_data",
        file_format=file_format,
        description=EXPORT_LOG_CODE,
    )
