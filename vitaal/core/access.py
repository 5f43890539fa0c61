"""The access layer: one place that decides who may see and do what, and in which scope.

Every read of organisation data goes through the ``scope_*`` functions (exposed as
``Model.objects.visible_to(user)``) and every single-object lookup through
``get_scoped_object_or_404``: outside the user's scope the object does not exist (404),
inside the scope but with too low a role it is forbidden (403).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from vitaal.core.roles import EMPLOYER_ROLES, MFA_ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from vitaal.core.models import Organisation, Person, Unit, User

M = TypeVar("M", bound=models.Model)
QS = TypeVar("QS", bound=models.QuerySet[Any])

# Roles that see individual employee records, and at which breadth.
PEOPLE_VIEW_ORG_ROLES = frozenset({Role.HR, Role.ORG_ADMIN, Role.COMPANY_DOCTOR})
PEOPLE_VIEW_UNIT_ROLES = frozenset({Role.MANAGER})
PEOPLE_EDIT_ROLES = frozenset({Role.HR, Role.ORG_ADMIN})

# The field whitelist of DESIGN rule 1: per role, the Person fields it may see. Anything not
# listed is hidden, so a field added to Person later stays private until someone decides.
PERSON_FIELD_ORDER = [
    "employee_number",
    "first_name",
    "last_name",
    "email",
    "unit",
    "function_group",
    "gender",
    "birth_year",
    "weekly_hours",
    "employment_start",
    "employment_end",
]

# Everything HR keeps about a person (the HR system sends it; HR and the org admin see it,
# and so does the person themself).
_HR_RECORD = frozenset(PERSON_FIELD_ORDER)
PERSON_FIELD_WHITELIST: dict[str, frozenset[str]] = {
    Role.HR: _HR_RECORD,
    Role.ORG_ADMIN: _HR_RECORD,
    Role.EMPLOYEE: _HR_RECORD,
    # A manager needs who is in the team and their hours, not gender or age.
    Role.MANAGER: _HR_RECORD - {"gender", "birth_year"},
    # The company doctor needs age for occupational health, not gender.
    Role.COMPANY_DOCTOR: _HR_RECORD - {"gender"},
}


@dataclass
class Actor:
    """What a user may do, computed once per request from their active memberships."""

    user: Any
    # role -> set of ids at each scope level
    sector_ids: dict[str, set[int]] = field(default_factory=dict)
    org_ids: dict[str, set[int]] = field(default_factory=dict)
    unit_paths: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    person: Person | None = None
    # sector of every organisation the user touches, for sector-scope checks
    all_org_ids: set[int] = field(default_factory=set)

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    def roles(self) -> set[str]:
        found = set(self.sector_ids) | set(self.org_ids) | set(self.unit_paths)
        if self.person is not None and self.person.is_current:
            found.add(Role.EMPLOYEE)
        return found

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles() & set(roles))

    def needs_mfa(self) -> bool:
        return bool(self.roles() & MFA_ROLES) or bool(getattr(self.user, "is_superuser", False))

    def is_employer_side_only(self) -> bool:
        roles = self.roles() - {Role.EMPLOYEE}
        return bool(roles) and roles <= EMPLOYER_ROLES

    def orgs_for(self, roles: Iterable[str]) -> set[int]:
        out: set[int] = set()
        for role in roles:
            out |= self.org_ids.get(role, set())
        return out

    def sectors_for(self, roles: Iterable[str]) -> set[int]:
        out: set[int] = set()
        for role in roles:
            out |= self.sector_ids.get(role, set())
        return out

    def units_for(self, roles: Iterable[str]) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        for role in roles:
            out.extend(self.unit_paths.get(role, []))
        return out

    def touches_organisation(self, organisation: Organisation) -> bool:
        """Whether the organisation lies inside anything this user belongs to at all."""
        if organisation.pk in self.all_org_ids:
            return True
        return any(organisation.sector_id in ids for ids in self.sector_ids.values())

    def has_role_in_org(self, organisation: Organisation | int, roles: Iterable[str]) -> bool:
        org_id = organisation if isinstance(organisation, int) else organisation.pk
        return org_id in self.orgs_for(roles)

    def has_role_in_sector(self, sector_id: int, roles: Iterable[str]) -> bool:
        return sector_id in self.sectors_for(roles)

    def covers_unit(self, unit: Unit | None, roles: Iterable[str]) -> bool:
        if unit is None:
            return False
        return any(
            org_id == unit.organisation_id and unit.path.startswith(path)
            for org_id, path in self.units_for(roles)
        )


ANONYMOUS_ACTOR_CACHE = "_vitaal_actor"


def get_actor(user: User | AnonymousUser | None) -> Actor:
    """The user's Actor, computed once and cached on the user object."""
    if user is None or not user.is_authenticated:
        return Actor(user=user)
    cached = getattr(user, ANONYMOUS_ACTOR_CACHE, None)
    if cached is not None:
        return cached
    from vitaal.core.models import Membership, Person

    actor = Actor(user=user)
    memberships = Membership.objects.active().filter(user=user).select_related("unit")
    for m in memberships:
        if m.unit is not None and m.organisation_id is not None:
            actor.unit_paths.setdefault(m.role, []).append((m.organisation_id, m.unit.path))
            actor.all_org_ids.add(m.organisation_id)
        elif m.organisation_id is not None:
            actor.org_ids.setdefault(m.role, set()).add(m.organisation_id)
            actor.all_org_ids.add(m.organisation_id)
        else:
            actor.sector_ids.setdefault(m.role, set()).add(m.sector_id)
    actor.person = Person.objects.filter(user=user).select_related("organisation").first()
    if actor.person is not None:
        actor.all_org_ids.add(actor.person.organisation_id)
    setattr(user, ANONYMOUS_ACTOR_CACHE, actor)
    return actor


def forget_actor(user: Any) -> None:
    """Drop the cached Actor, e.g. after memberships changed within one request."""
    if hasattr(user, ANONYMOUS_ACTOR_CACHE):
        delattr(user, ANONYMOUS_ACTOR_CACHE)


# --- Querysets --------------------------------------------------------------------------


def _unit_q(prefix: str, units: list[tuple[int, str]]) -> Q:
    q = Q(pk__in=[])
    for org_id, path in units:
        q |= Q(**{f"{prefix}organisation_id": org_id, f"{prefix}path__startswith": path})
    return q


def scope_people(qs: QS, user: Any, action: str = "view") -> QS:
    """Employee records this user may see (``view``) or change (``change``)."""
    actor = get_actor(user)
    if not actor.is_authenticated:
        return qs.none()
    if action == "change":
        return qs.filter(organisation_id__in=actor.orgs_for(PEOPLE_EDIT_ROLES))
    q = Q(organisation_id__in=actor.orgs_for(PEOPLE_VIEW_ORG_ROLES))
    q |= _unit_q("unit__", actor.units_for(PEOPLE_VIEW_UNIT_ROLES))
    if action == "view_self_included" and actor.person is not None:
        q |= Q(pk=actor.person.pk)
    return qs.filter(q)


def scope_organisations(qs: QS, user: Any) -> QS:
    actor = get_actor(user)
    if not actor.is_authenticated:
        return qs.none()
    q = Q(pk__in=actor.all_org_ids)
    sectors: set[int] = set()
    for ids in actor.sector_ids.values():
        sectors |= ids
    if sectors:
        q |= Q(sector_id__in=sectors)
    return qs.filter(q)


def scope_units(qs: QS, user: Any) -> QS:
    actor = get_actor(user)
    if not actor.is_authenticated:
        return qs.none()
    org_ids: set[int] = set()
    for ids in actor.org_ids.values():
        org_ids |= ids
    sectors: set[int] = set()
    for ids in actor.sector_ids.values():
        sectors |= ids
    q = Q(organisation_id__in=org_ids) | Q(organisation__sector_id__in=sectors)
    units: list[tuple[int, str]] = []
    for paths in actor.unit_paths.values():
        units.extend(paths)
    q |= _unit_q("", units)
    return qs.filter(q)


# --- Single objects ---------------------------------------------------------------------


def organisation_of(obj: Any) -> Organisation:
    from vitaal.core.models import Organisation

    if isinstance(obj, Organisation):
        return obj
    return obj.organisation  # type: ignore[no-any-return]


def get_scoped_object_or_404(user: Any, queryset: models.QuerySet[M], perm: str, **lookup: Any) -> M:
    """Fetch one object: 404 when it lies outside everything the user belongs to,
    403 when it lies inside but the role does not grant ``perm``."""
    try:
        obj = queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise Http404 from exc
    actor = get_actor(user)
    if not actor.touches_organisation(organisation_of(obj)):
        raise Http404
    if not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


def require_perm(user: Any, perm: str, obj: Any = None) -> None:
    """403 unless the user holds ``perm`` (on ``obj``)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def recheck_scope(user: Any, perm: str, obj: Any) -> None:
    """Call inside the write's transaction, after the write: if the changed object has
    left the user's scope (a form moved it elsewhere), the PermissionDenied rolls the
    whole write back."""
    forget_actor(user)
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def require_recent_authentication(request: Any) -> None:
    """Sensitive actions (exports of personal data, ending accounts) ask for the password
    again when the last confirmation is more than a few minutes old. Call it after the
    access checks, so that people without access get 403/404, not a password prompt."""
    from allauth.account.internal.flows.reauthentication import raise_if_reauthentication_required

    raise_if_reauthentication_required(request, app="")


def person_fields_for(user: Any, person: Person) -> list[str]:
    """The Person fields this user may see for this person, in display order."""
    actor = get_actor(user)
    allowed: set[str] = set()
    if actor.person is not None and actor.person.pk == person.pk:
        allowed |= PERSON_FIELD_WHITELIST[Role.EMPLOYEE]
    for role in PEOPLE_VIEW_ORG_ROLES:
        if actor.has_role_in_org(person.organisation_id, [role]):
            allowed |= PERSON_FIELD_WHITELIST[role]
    for role in PEOPLE_VIEW_UNIT_ROLES:
        if actor.covers_unit(person.unit, [role]):
            allowed |= PERSON_FIELD_WHITELIST[role]
    return [f for f in PERSON_FIELD_ORDER if f in allowed]


def access_basis(user: Any, organisation_id: int | None) -> str:
    """The role through which the user reaches data of this organisation, for the log."""
    actor = get_actor(user)
    if organisation_id is not None:
        for role, ids in actor.org_ids.items():
            if organisation_id in ids:
                return str(role)
        for role, paths in actor.unit_paths.items():
            if any(o == organisation_id for o, _p in paths):
                return str(role)
    if actor.sector_ids:
        return str(next(iter(actor.sector_ids)))
    return "self" if actor.person is not None else "system"
