"""Permissions of the igm app, built from the predicates of ``vitaal/core/rules.py``.

| permission | object | granted to |
|---|---|---|
| ``igm.view_framework`` | – | any logged-in user (frameworks are shared reference data) |
| ``igm.add_metersession`` | Organisation | org admin, coordinator, advisor of the organisation |
| ``igm.view_metersession`` | MeterSession | the above, management, works council; unit-level |
|   |   | management for its units; the session's participants |
| ``igm.change_metersession`` | MeterSession | org admin, coordinator, advisor (ratings, closing) |
| ``igm.rate_metersession`` | MeterSession | participants, for their own individual ratings |
| ``igm.view_individualrating`` | IndividualRating | the rater only |
| ``igm.add_cycle`` | Organisation | org admin, coordinator, advisor |
| ``igm.view_cycle`` | Cycle (or a part) | the above, management (organisation or unit), works council |
| ``igm.change_cycle`` | Cycle (or a part) | org admin, coordinator, advisor: phases, steps, meetings, |
|   |   | groups, coordinator changes, closing |
| ``igm.advise_cycle`` | Cycle | the editors and the works council: record works council advice |
| ``igm.change_phaseregistration`` | PhaseRegistration | the editors, while it is not verified |
| ``igm.verify_phaseregistration`` | PhaseRegistration | the contact person: coordinator or org admin |
| ``igm.view_storedsignal`` | Cycle | the readers of the cycle |
| ``igm.view_plan`` | Plan (or a part) | the readers of the cycle; unit-level management only |
|   |   | the plans of its units and the central plan |
| ``igm.change_plan`` | Plan (or a part) | the editors of the cycle, while the plan is not signed off |
| ``igm.signoff_plan`` | Plan | management of the organisation, or of the plan's unit |
| ``igm.reopen_plan`` | Plan | the coordinator, once the plan is signed off |
| ``igm.add_plan`` | Cycle | the editors of the cycle (also pragmatic initiatives) |

Employees see no plan itself, only the published summary of a signed-off plan, through
``vitaal.igm.selectors.published_plan_summaries``.

"A part" is anything with an ``organisation`` reached through its cycle (Phase, PhaseStep,
Meeting, PhaseRegistration, ...). Others in the organisation and other organisations get
nothing.
"""

from __future__ import annotations

from typing import Any

import rules

from vitaal.core.access import get_actor
from vitaal.core.rules import any_unit_role, org_role
from vitaal.igm.access import (
    CONTACT_PERSON_ROLES,
    CYCLE_ADVICE_ROLES,
    CYCLE_EDIT_ROLES,
    CYCLE_READ_ORG_ROLES,
    CYCLE_READ_UNIT_ROLES,
    IGM_EDIT_ROLES,
    IGM_READ_ORG_ROLES,
    IGM_READ_UNIT_ROLES,
    may_reopen_plan,
    may_sign_off_plan,
)


@rules.predicate
def manages_session_unit(user: Any, session: Any) -> bool:
    """Unit-level management whose subtree holds the session's unit."""
    return session is not None and get_actor(user).covers_unit(session.unit, IGM_READ_UNIT_ROLES)


@rules.predicate
def is_session_participant(user: Any, session: Any) -> bool:
    if session is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(session.participants.filter(user_id=user.pk).exists())


@rules.predicate
def is_rater(user: Any, rating: Any) -> bool:
    if rating is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(rating.participant.user_id == user.pk)


@rules.predicate
def registration_not_verified(user: Any, registration: Any) -> bool:
    return registration is not None and not registration.is_verified


rules.add_perm("igm.view_framework", rules.is_authenticated)
rules.add_perm("igm.add_metersession", org_role(*IGM_EDIT_ROLES))
rules.add_perm(
    "igm.view_metersession", org_role(*IGM_READ_ORG_ROLES) | manages_session_unit | is_session_participant
)
rules.add_perm("igm.change_metersession", org_role(*IGM_EDIT_ROLES))
rules.add_perm("igm.rate_metersession", is_session_participant)
rules.add_perm("igm.view_individualrating", is_rater)

# The improvement cycle
can_read_cycle = org_role(*CYCLE_READ_ORG_ROLES) | any_unit_role(*CYCLE_READ_UNIT_ROLES)
rules.add_perm("igm.add_cycle", org_role(*CYCLE_EDIT_ROLES))
rules.add_perm("igm.view_cycle", can_read_cycle)
rules.add_perm("igm.change_cycle", org_role(*CYCLE_EDIT_ROLES))
rules.add_perm("igm.advise_cycle", org_role(*CYCLE_ADVICE_ROLES))
rules.add_perm("igm.change_phaseregistration", org_role(*CYCLE_EDIT_ROLES) & registration_not_verified)
rules.add_perm("igm.verify_phaseregistration", org_role(*CONTACT_PERSON_ROLES) & registration_not_verified)
rules.add_perm("igm.view_storedsignal", can_read_cycle)


# Plans of approach. Every part of a plan (line, point, goal, action) has ``get_plan()``.
def _plan_of(obj: Any) -> Any:
    return obj.get_plan() if hasattr(obj, "get_plan") else obj


@rules.predicate
def plan_not_signed_off(user: Any, obj: Any) -> bool:
    return obj is not None and not _plan_of(obj).is_signed_off


@rules.predicate
def plan_signed_off(user: Any, obj: Any) -> bool:
    return obj is not None and _plan_of(obj).is_signed_off


@rules.predicate
def manages_plan_unit(user: Any, obj: Any) -> bool:
    """Unit-level management over the plan's unit; the central plan concerns every unit."""
    if obj is None:
        return False
    plan = _plan_of(obj)
    actor = get_actor(user)
    if plan.unit is None:
        return any(o == plan.cycle.organisation_id for o, _p in actor.units_for(CYCLE_READ_UNIT_ROLES))
    return actor.covers_unit(plan.unit, CYCLE_READ_UNIT_ROLES)


@rules.predicate
def signs_off_plan(user: Any, obj: Any) -> bool:
    return obj is not None and may_sign_off_plan(user, _plan_of(obj))


@rules.predicate
def reopens_plan(user: Any, obj: Any) -> bool:
    return obj is not None and may_reopen_plan(user, _plan_of(obj))


rules.add_perm("igm.add_plan", org_role(*CYCLE_EDIT_ROLES))
rules.add_perm("igm.view_plan", org_role(*CYCLE_READ_ORG_ROLES) | manages_plan_unit)
rules.add_perm("igm.change_plan", org_role(*CYCLE_EDIT_ROLES) & plan_not_signed_off)
rules.add_perm("igm.signoff_plan", signs_off_plan & plan_not_signed_off)
rules.add_perm("igm.reopen_plan", reopens_plan & plan_signed_off)
