"""Who sees which meter sessions: the igm part of the access layer.

Follows ``vitaal/core/access.py``: lists go through ``scope_meter_sessions`` (exposed as
``MeterSession.objects.visible_to(user)``), single objects through
``get_scoped_object_or_404`` with the ``igm.*`` permissions of ``vitaal/igm/rules.py``.
Individual ratings are never listed for anyone but the rater; see ``selectors``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

from vitaal.core.access import get_actor
from vitaal.core.roles import Role

QS = TypeVar("QS", bound=models.QuerySet[Any])

# Run the cycle: plan sessions, enter group ratings, close sessions. Advisors guide the
# organisations they hold the advisor role at.
IGM_EDIT_ROLES = frozenset({Role.ORG_ADMIN, Role.COORDINATOR, Role.ADVISOR})
# Read results (aggregates only) for the whole organisation.
IGM_READ_ORG_ROLES = frozenset(IGM_EDIT_ROLES | {Role.MANAGEMENT, Role.WORKS_COUNCIL})
# Unit-level management reads the sessions of its own units.
IGM_READ_UNIT_ROLES = frozenset({Role.MANAGEMENT})


def scope_meter_sessions(qs: QS, user: Any, action: str = "view") -> QS:
    """Meter sessions this user may read (``view``) or run (``change``). Participants see
    the sessions they take part in, so that they can fill in their own ratings."""
    from vitaal.igm.models import SessionParticipant

    actor = get_actor(user)
    if not actor.is_authenticated:
        return qs.none()
    if action == "change":
        return qs.filter(organisation_id__in=actor.orgs_for(IGM_EDIT_ROLES))
    if action != "view":
        raise ValueError(f"Unknown action {action!r}.")
    q = Q(organisation_id__in=actor.orgs_for(IGM_READ_ORG_ROLES))
    for org_id, path in actor.units_for(IGM_READ_UNIT_ROLES):
        q |= Q(organisation_id=org_id, unit__path__startswith=path)
    q |= Q(pk__in=SessionParticipant.objects.filter(user_id=user.pk).values("session_id"))
    return qs.filter(q)


# The improvement cycle. Editors run it (phases, steps, meetings, registrations); management
# follows it, also from a unit; the works council reads it and records its advice.
CYCLE_EDIT_ROLES = IGM_EDIT_ROLES
CYCLE_READ_ORG_ROLES = frozenset(CYCLE_EDIT_ROLES | {Role.MANAGEMENT, Role.WORKS_COUNCIL})
CYCLE_READ_UNIT_ROLES = frozenset({Role.MANAGEMENT})
CYCLE_ADVICE_ROLES = frozenset(CYCLE_EDIT_ROLES | {Role.WORKS_COUNCIL})
# The organisation's contact person, who verifies phase registrations.
CONTACT_PERSON_ROLES = frozenset({Role.COORDINATOR, Role.ORG_ADMIN})


def scope_cycles(qs: QS, user: Any, action: str = "view") -> QS:
    """Cycles this user may read (``view``), run (``change``) or record works council
    advice for (``advise``)."""
    actor = get_actor(user)
    if not actor.is_authenticated:
        return qs.none()
    if action == "change":
        return qs.filter(organisation_id__in=actor.orgs_for(CYCLE_EDIT_ROLES))
    if action == "advise":
        return qs.filter(organisation_id__in=actor.orgs_for(CYCLE_ADVICE_ROLES))
    if action != "view":
        raise ValueError(f"Unknown action {action!r}.")
    org_ids = actor.orgs_for(CYCLE_READ_ORG_ROLES)
    org_ids |= {org_id for org_id, _path in actor.units_for(CYCLE_READ_UNIT_ROLES)}
    return qs.filter(organisation_id__in=org_ids)


def is_contact_person(user: Any, organisation_id: int) -> bool:
    return get_actor(user).has_role_in_org(organisation_id, CONTACT_PERSON_ROLES)


# Plans of approach (phase 3): run by the cycle's editors and read by its readers, with
# unit-level management reading the plans of its own units and the central plan. Management
# signs a plan off: at the organisation level any plan, at a unit the plans of its subtree.
# Only the coordinator reopens a signed-off plan.
PLAN_SIGN_OFF_ROLES = frozenset({Role.MANAGEMENT})
PLAN_REOPEN_ROLES = frozenset({Role.COORDINATOR})


def scope_plans(qs: QS, user: Any, action: str = "view") -> QS:
    """Plans this user may read (``view``) or work on (``change``)."""
    actor = get_actor(user)
    if not actor.is_authenticated:
        return qs.none()
    if action == "change":
        return qs.filter(cycle__organisation_id__in=actor.orgs_for(CYCLE_EDIT_ROLES))
    if action != "view":
        raise ValueError(f"Unknown action {action!r}.")
    q = Q(cycle__organisation_id__in=actor.orgs_for(CYCLE_READ_ORG_ROLES))
    for org_id, path in actor.units_for(CYCLE_READ_UNIT_ROLES):
        q |= Q(cycle__organisation_id=org_id) & (Q(unit__isnull=True) | Q(unit__path__startswith=path))
    return qs.filter(q)


def may_sign_off_plan(user: Any, plan: Any) -> bool:
    """Management of the plan's organisation, or unit-level management over the plan's unit."""
    actor = get_actor(user)
    if not actor.is_authenticated:
        return False
    if actor.has_role_in_org(plan.cycle.organisation_id, PLAN_SIGN_OFF_ROLES):
        return True
    return actor.covers_unit(plan.unit, PLAN_SIGN_OFF_ROLES)


def may_reopen_plan(user: Any, plan: Any) -> bool:
    return get_actor(user).has_role_in_org(plan.cycle.organisation_id, PLAN_REOPEN_ROLES)
