"""Core's part of an employee's data export: the employee record, the login, the roles,
the access log about them and their erasure requests."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from vitaal.core.hooks import PersonalDataSection
from vitaal.core.models import AccessLogEntry, Membership, Person


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def sections(person: Person) -> list[PersonalDataSection]:
    from vitaal.privacy.models import ErasureRequest

    record = {
        "organisation": person.organisation.name,
        "employee_number": person.employee_number,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "unit": person.unit.name if person.unit else None,
        "function_group": person.function_group.code if person.function_group else None,
        "gender": person.gender,
        "birth_year": person.birth_year,
        "weekly_hours": person.weekly_hours,
        "employment_start": _when(person.employment_start),
        "employment_end": _when(person.employment_end),
        "created_at": _when(person.created_at),
        "updated_at": _when(person.updated_at),
    }
    out = [PersonalDataSection("person", _("Employee record"), [record])]
    user = person.user
    if user is not None:
        account = {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "preferred_language": user.preferred_language,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        }
        roles = [
            {
                "role": m.role,
                "scope": m.scope,
                "sector": m.sector.slug,
                "organisation": m.organisation.name if m.organisation else None,
                "unit": m.unit.name if m.unit else None,
                "valid_from": _when(m.valid_from),
                "valid_until": _when(m.valid_until),
            }
            for m in Membership.objects.filter(user=user).select_related("sector", "organisation", "unit")
        ]
        out.append(PersonalDataSection("account", _("Login account"), [account]))
        out.append(PersonalDataSection("roles", _("Roles"), roles))
    log = [
        {
            "timestamp": _when(e.timestamp),
            "who": e.actor_label,
            "on_behalf_of": e.on_behalf_of,
            "action": e.action,
            "kind_of_data": e.object_type,
            "description": e.description,
            "basis": e.basis,
            "channel": e.channel,
        }
        for e in AccessLogEntry.objects.filter(subject=person).order_by("timestamp", "pk")
    ]
    out.append(PersonalDataSection("access_log", _("Who looked at your data"), log))
    requests = [
        {
            "requested_at": _when(r.created_at),
            "reason": r.reason,
            "status": r.status,
            "decided_at": _when(r.decided_at),
            "explanation": r.decision_note,
        }
        for r in ErasureRequest.objects.filter(person=person).order_by("created_at", "pk")
    ]
    out.append(PersonalDataSection("erasure_requests", _("Erasure requests"), requests))
    return out
