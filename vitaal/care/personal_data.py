"""The care app's part of an employee's full data export (see vitaal.core.hooks)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from vitaal.care.models import DeliverySession, Enrolment
from vitaal.care.web.portal.services import own_care_data
from vitaal.core.hooks import PersonalDataSection
from vitaal.core.models import Person


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def sections(person: Person) -> list[PersonalDataSection]:
    data = own_care_data(person=person)
    sessions = [
        {
            "request_id": s.request_id,
            "date": _when(s.date),
            "duration_minutes": s.duration_minutes,
            "cost": s.cost,
            "note": s.note,
        }
        for s in DeliverySession.objects.filter(request__person=person).order_by("date", "pk")
    ]
    enrolments = [
        {
            "activity": e.activity.title,
            "starts_at": _when(e.activity.starts_at),
            "enrolled_at": _when(e.created_at),
        }
        for e in Enrolment.objects.filter(person=person).select_related("activity").order_by("pk")
    ]
    return [
        PersonalDataSection("care_requests", _("Requests for support"), data["requests"]),
        PersonalDataSection("care_sessions", _("Support sessions"), sessions),
        PersonalDataSection("care_evaluations", _("Your evaluations"), data["evaluations"]),
        PersonalDataSection("care_referrals", _("Referrals about you"), data["referrals"]),
        PersonalDataSection("health_checks", _("Health checks"), data["health_checks"]),
        PersonalDataSection("collective_activities", _("Group activities you enrolled in"), enrolments),
    ]
