"""Object permissions of the core app, as predicates over the user's Actor.

Each permission names the roles that grant it and the scope they must hold it at. Views
and API endpoints ask ``user.has_perm(name, obj)``; lists use the ``visible_to`` querysets.
"""

from __future__ import annotations

from typing import Any

import rules

from vitaal.core.access import (
    PEOPLE_EDIT_ROLES,
    PEOPLE_VIEW_ORG_ROLES,
    PEOPLE_VIEW_UNIT_ROLES,
    get_actor,
    organisation_of,
)
from vitaal.core.models.audit import ACCESS_LOG_ORG_ROLES, ACCESS_LOG_SECTOR_ROLES
from vitaal.core.roles import Role

ORG_READER_ROLES = frozenset(
    {
        Role.ORG_ADMIN,
        Role.COORDINATOR,
        Role.MANAGEMENT,
        Role.HR,
        Role.COMPANY_DOCTOR,
        Role.WORKS_COUNCIL,
        Role.ADVISOR,
    }
)


def org_role(*roles: str) -> Any:
    """Holds the role at the object's organisation (organisation-level membership)."""

    @rules.predicate
    def pred(user: Any, obj: Any) -> bool:
        if obj is None:
            return False
        return get_actor(user).has_role_in_org(organisation_of(obj).pk, roles)

    pred.name = f"org_role({','.join(roles)})"
    return pred


def sector_role(*roles: str) -> Any:
    """Holds the role at the sector of the object's organisation (or of the sector)."""

    @rules.predicate
    def pred(user: Any, obj: Any) -> bool:
        if obj is None:
            return False
        sector_id = obj.pk if obj.__class__.__name__ == "Sector" else organisation_of(obj).sector_id
        return get_actor(user).has_role_in_sector(sector_id, roles)

    pred.name = f"sector_role({','.join(roles)})"
    return pred


def any_unit_role(*roles: str) -> Any:
    """Holds the role for at least one unit of the object's organisation."""

    @rules.predicate
    def pred(user: Any, obj: Any) -> bool:
        if obj is None:
            return False
        org_id = organisation_of(obj).pk
        return any(o == org_id for o, _p in get_actor(user).units_for(roles))

    pred.name = f"any_unit_role({','.join(roles)})"
    return pred


@rules.predicate
def manages_person(user: Any, person: Any) -> bool:
    return person is not None and get_actor(user).covers_unit(person.unit, PEOPLE_VIEW_UNIT_ROLES)


@rules.predicate
def is_self(user: Any, person: Any) -> bool:
    actor = get_actor(user)
    return person is not None and actor.person is not None and actor.person.pk == person.pk


@rules.predicate
def is_employee(user: Any) -> bool:
    return get_actor(user).person is not None


@rules.predicate
def has_any_membership(user: Any) -> bool:
    return bool(get_actor(user).roles() - {Role.EMPLOYEE})


# Organisation pages
rules.add_perm(
    "core.view_organisation",
    org_role(*ORG_READER_ROLES)
    | any_unit_role(Role.MANAGER, Role.MANAGEMENT)
    | sector_role(Role.SECTOR_ADMIN),
)
# People: one record (object = Person) and the list of an organisation (object = Organisation)
rules.add_perm("core.view_person", org_role(*PEOPLE_VIEW_ORG_ROLES) | manages_person | is_self)
rules.add_perm("core.change_person", org_role(*PEOPLE_EDIT_ROLES))
rules.add_perm("core.list_people", org_role(*PEOPLE_VIEW_ORG_ROLES) | any_unit_role(*PEOPLE_VIEW_UNIT_ROLES))
rules.add_perm("core.import_people", org_role(*PEOPLE_EDIT_ROLES))
rules.add_perm("core.manage_accounts", org_role(Role.ORG_ADMIN))
# The access log of an organisation (object = Organisation): the org admin reads its
# personnel entries, the sector's privacy officer all of it; which entries each sees is
# decided by AccessLogEntry.objects.visible_to. The sector admin no longer reads it.
rules.add_perm("core.view_accesslog", org_role(*ACCESS_LOG_ORG_ROLES) | sector_role(*ACCESS_LOG_SECTOR_ROLES))
# The whole sector's log (object = Sector)
rules.add_perm("core.view_sector_accesslog", sector_role(*ACCESS_LOG_SECTOR_ROLES))
# One's own data
rules.add_perm("core.view_own_data", is_employee)
