"""Writes of the employee portal that the request workflow does not have: the checks an
employee gets before a direct request (an open request for the same thing, the yearly
maximum of sessions and the ceiling), deleting an own health check, and the own-data
export with its audit entry. The status changes themselves go through
``vitaal.care.workflow`` unchanged."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.care import workflow
from vitaal.care.models import CareRequest, DeliverySession, HealthCheck, Intervention, Referral
from vitaal.core import audit
from vitaal.core.models import AccessLogEntry, Person, User

EXPORT_LOG_CODE = "own care data export"


@transaction.atomic
def portal_request_submit(
    *, user: User, person: Person, intervention: Intervention, description: str = ""
) -> CareRequest:
    """A direct request from the portal. Before the workflow takes it, refuse what would
    only be turned down later: a second open request for the same intervention, and a
    request when this year's maximum of sessions or the ceiling is already used up."""
    if CareRequest.objects.open().filter(person=person, intervention=intervention).exists():
        raise ValidationError(
            _("You already have an open request for this support. You can follow it under My requests."),
            code="duplicate",
        )
    usage = yearly_usage(person=person, intervention=intervention)
    if intervention.max_sessions is not None and usage.sessions >= intervention.max_sessions:
        raise ValidationError(
            _(
                "You have already had the maximum of %(max)d sessions of this support this year. "
                "Ask the care coordinator what else is possible."
            )
            % {"max": intervention.max_sessions},
            code="max_sessions",
        )
    if intervention.ceiling is not None and usage.cost >= intervention.ceiling:
        raise ValidationError(
            _(
                "The package pays at most EUR %(ceiling)s a year for this support, and that amount "
                "has been used up. Ask the care coordinator what else is possible."
            )
            % {"ceiling": intervention.ceiling},
            code="ceiling",
        )
    return workflow.care_request_submit(
        user=user, person=person, intervention=intervention, description=description.strip()
    )


class YearlyUsage:
    """Sessions and cost of one intervention for one employee in a calendar year."""

    def __init__(self, sessions: int, cost: Decimal) -> None:
        self.sessions = sessions
        self.cost = cost


def yearly_usage(*, person: Person, intervention: Intervention, year: int | None = None) -> YearlyUsage:
    year = year or timezone.localdate().year
    sessions = DeliverySession.objects.filter(
        request__person=person, request__intervention=intervention, date__year=year
    ).count()
    cost = workflow.year_cost(person=person, intervention=intervention, year=year)
    return YearlyUsage(sessions=sessions, cost=cost)


@transaction.atomic
def health_check_delete(*, user: User, check: HealthCheck) -> None:
    """The employee removes one of their own health checks for good."""
    if not user.has_perm("care.view_healthcheck", check):
        raise ValidationError(_("You can delete only your own health checks."), code="not_allowed")
    check.delete()


# --- Own data export ---------------------------------------------------------------------


def _when(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def own_care_data(*, person: Person) -> dict[str, list[dict[str, Any]]]:
    """Everything of the care app about this person, as plain values (English field names,
    stable codes; labels are for screens, not for exports)."""
    requests = list(
        CareRequest.objects.filter(person=person)
        .select_related("intervention", "provider", "referral")
        .prefetch_related("events")
        .order_by("created_at", "pk")
    )
    referrals = list(
        Referral.objects.filter(person=person).select_related("intervention").order_by("created_at", "pk")
    )
    checks = list(HealthCheck.objects.filter(person=person).order_by("taken_on", "pk"))
    evaluations = [r.evaluation for r in requests if _has_evaluation(r)]
    return {
        "requests": [
            {
                "id": r.pk,
                "intervention": r.intervention.name,
                "route": r.route,
                "status": r.status,
                "provider": r.provider.name if r.provider else None,
                "description": r.description,
                "closed_reason": r.closed_reason,
                "created_at": _when(r.created_at),
                "history": [
                    {"at": _when(e.at), "from": e.from_status, "to": e.to_status, "reason": e.reason}
                    for e in r.events.all()
                ],
            }
            for r in requests
        ],
        "referrals": [
            {
                "id": f.pk,
                "intervention": f.intervention.name,
                "referred_as": f.referrer_role,
                "note": f.note,
                "created_at": _when(f.created_at),
                "answer": f.answer,
                "answered_at": _when(f.answered_at),
            }
            for f in referrals
        ],
        "health_checks": [
            {
                "id": c.pk,
                "taken_on": _when(c.taken_on),
                "who5_answers": c.who5_answers,
                "who5_raw": c.who5_raw,
                "who5_percentage": c.who5_percentage,
                "wellbeing": c.wellbeing_band,
                "work_ability": c.work_ability,
                "work_ability_band": c.work_ability_band,
            }
            for c in checks
        ],
        "evaluations": [
            {
                "request_id": e.request_id,
                "helped": e.helped,
                "grade": e.grade,
                "comment": e.comment,
                "created_at": _when(e.created_at),
            }
            for e in evaluations
        ],
    }


def _has_evaluation(request: CareRequest) -> bool:
    try:
        return request.evaluation is not None
    except CareRequest.evaluation.RelatedObjectDoesNotExist:  # type: ignore[attr-defined]
        return False


def own_care_data_json(data: dict[str, list[dict[str, Any]]]) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


SHEET_COLUMNS: dict[str, Sequence[str]] = {
    "requests": (
        "id",
        "intervention",
        "route",
        "status",
        "provider",
        "description",
        "closed_reason",
        "created_at",
    ),
    "referrals": ("id", "intervention", "referred_as", "note", "created_at", "answer", "answered_at"),
    "health_checks": (
        "id",
        "taken_on",
        "who5_answers",
        "who5_raw",
        "who5_percentage",
        "wellbeing",
        "work_ability",
        "work_ability_band",
    ),
    "evaluations": ("request_id", "helped", "grade", "comment", "created_at"),
}


def own_care_data_xlsx(data: dict[str, list[dict[str, Any]]]) -> bytes:
    """One sheet per kind of data, text cells made safe against formula injection."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from vitaal.core.spreadsheets import safe_cell

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    bold = Font(bold=True)
    for name, columns in SHEET_COLUMNS.items():
        sheet = workbook.create_sheet(title=name)
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        for row in data[name]:
            values = []
            for column in columns:
                value = row.get(column)
                if isinstance(value, list):
                    value = ", ".join(str(v) for v in value)
                values.append(safe_cell(value) if isinstance(value, str) else value)
            sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def log_own_export(*, user: User, person: Person, file_format: str) -> AccessLogEntry:
    """Written through the core audit log, which logs own exports (not own reads)."""
    return audit.log_own_export(
        user=user,
        person=person,
        object_type="care_data",
        file_format=file_format,
        description=EXPORT_LOG_CODE,
    )
