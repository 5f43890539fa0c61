"""Writes of the core app. Each service is keyword-only, validates with full_clean and
runs in one transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django.db import transaction

from vitaal.core import audit
from vitaal.core.access import recheck_scope
from vitaal.core.models import Membership, Organisation, Person, Sector, Unit, User, UserSession
from vitaal.core.models.audit import AccessAction


@transaction.atomic
def unit_create(
    *,
    organisation: Organisation,
    name: str,
    kind: str,
    parent: Unit | None = None,
    code: str = "",
    manager: Person | None = None,
) -> Unit:
    unit = Unit(organisation=organisation, name=name, kind=kind, parent=parent, code=code, manager=manager)
    unit.full_clean(exclude=["path", "depth"])
    unit.save()
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, parent: Unit | None) -> Unit:
    """Place a unit (and everything below it) under another parent."""
    old_path = unit.path
    unit.parent = parent
    unit.full_clean(exclude=["path", "depth"])
    unit.save()
    unit.refresh_from_db()
    for child in Unit.objects.filter(organisation=unit.organisation, path__startswith=old_path).exclude(
        pk=unit.pk
    ):
        new_path = unit.path + child.path[len(old_path) :]
        Unit.objects.filter(pk=child.pk).update(path=new_path, depth=new_path.count("/") - 1)
    return unit


@transaction.atomic
def membership_grant(
    *,
    user: User,
    role: str,
    sector: Sector | None = None,
    organisation: Organisation | None = None,
    unit: Unit | None = None,
) -> Membership:
    m = Membership(user=user, role=role, unit=unit, organisation=organisation)
    if unit is not None:
        m.organisation = unit.organisation
    if m.organisation is not None:
        m.sector = m.organisation.sector
    elif sector is not None:
        m.sector = sector
    m.full_clean()
    m.save()
    from vitaal.core.access import forget_actor

    forget_actor(user)
    return m


def _end_sessions(user: User) -> int:
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    ended, _detail = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return ended


@transaction.atomic
def user_deactivate(*, user: User, by: Any) -> int:
    """Block the account and end every session it has; returns how many were ended."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = _end_sessions(user)
    person = Person.objects.filter(user=user).select_related("organisation").first()
    if by is not None and person is not None:
        recheck_scope(by, "core.manage_accounts", person.organisation)
    audit.log_access(
        subject=person,
        user=by,
        action=AccessAction.CHANGE,
        object_type="account",
        object_id=user.pk,
        description="account deactivated",
        organisation_id=person.organisation_id if person else None,
    )
    return ended
