"""Who sees which indicators: management, the coordinator and the organisation's
administrator run them (and advisors read along for organisations they guide); unit heads
see their own unit (and the units below it); the works council reads the organisation-level
scorecard only."""

from __future__ import annotations

from typing import Any

from vitaal.core.access import get_actor
from vitaal.core.models import Organisation, Unit
from vitaal.core.roles import Role

EDIT_ROLES = frozenset({Role.MANAGEMENT, Role.COORDINATOR, Role.ORG_ADMIN})
ORG_READ_ROLES = frozenset(EDIT_ROLES | {Role.ADVISOR, Role.WORKS_COUNCIL})
# Reads every unit of the organisation (the works council reads the organisation level only).
ALL_UNITS_ROLES = frozenset(EDIT_ROLES | {Role.ADVISOR})
UNIT_HEAD_ROLES = frozenset({Role.MANAGER, Role.MANAGEMENT})


def unit_paths(user: Any, organisation: Organisation) -> list[str]:
    """Paths of the units this user heads in the organisation."""
    return [path for org_id, path in get_actor(user).units_for(UNIT_HEAD_ROLES) if org_id == organisation.pk]


def can_read_unit(user: Any, unit: Unit) -> bool:
    actor = get_actor(user)
    if actor.has_role_in_org(unit.organisation_id, ALL_UNITS_ROLES):
        return True
    return any(unit.path.startswith(path) for path in unit_paths(user, unit.organisation))


def readable_units(user: Any, organisation: Organisation) -> list[Unit]:
    units = Unit.objects.filter(organisation=organisation).order_by("path")
    if get_actor(user).has_role_in_org(organisation.pk, ALL_UNITS_ROLES):
        return list(units)
    paths = unit_paths(user, organisation)
    return [u for u in units if any(u.path.startswith(p) for p in paths)]
