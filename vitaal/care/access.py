"""Who sees what of the care app: the ``scope_*`` functions behind each model's
``objects.visible_to(user)``.

- Catalog and published packages: every logged-in user of the sector (membership at any
  level, or a current employee of one of its organisations). Drafts and inactive entries:
  the sector admin only.
- Providers: sector-wide providers for every user of the sector; an organisation's own
  network only for that organisation and the sector's staff (sector admin, care
  coordinator); a provider's staff always see their own provider.
- Invoices (per provider): the provider's own staff, who send them, and the care
  coordinator of the provider's sector, the desk of the arrangement they are addressed
  to. Employer-side roles and the sector admin never: an invoice counts the trajectories
  of a month, so one person's care would show; they see care costs as the released
  yearly spend only (DESIGN rule 2).
- Health checks: only the employee's own. No employer-side role, no care coordinator and
  no sector admin ever sees an individual result (DESIGN rule 1).
- Care requests (DESIGN rule 1, a whitelist of who, not of who not): the employee's own;
  the care coordinator's whole sector; the company doctor's own referrals and the requests
  they must approve, in their organisation; a provider's staff the requests assigned to
  their provider. Managers, HR, org admins, works council, management, IGM coordinators,
  advisors and sector admins see nothing, not even that a request exists.
- Referrals (the model, with its answer): the employee they were made to, and the care
  coordinator. A referrer reads their own referrals only through
  ``selectors.referrals_made_by``, which returns no answer and nothing after it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

from vitaal.core.access import Actor, get_actor
from vitaal.core.roles import Role

QS = TypeVar("QS", bound=models.QuerySet[Any])

# Sector-level roles that look after the whole arrangement, own networks included.
SECTOR_STAFF_ROLES = frozenset({Role.SECTOR_ADMIN, Role.CARE_COORDINATOR})

_CACHE_SECTORS = "_care_sector_ids"


def organisation_ids_of(actor: Actor) -> set[int]:
    """Organisations the user belongs to: through a membership or as a current employee."""
    ids: set[int] = set()
    for org_ids in actor.org_ids.values():
        ids |= org_ids
    for units in actor.unit_paths.values():
        ids |= {org_id for org_id, _path in units}
    if actor.person is not None and actor.person.is_current:
        ids.add(actor.person.organisation_id)
    return ids


def sector_ids_of(user: Any) -> set[int]:
    """The sectors a logged-in user belongs to, at any level. Cached on the Actor, so it
    is forgotten together with it (``forget_actor``)."""
    actor = get_actor(user)
    if not actor.is_authenticated:
        return set()
    cached: set[int] | None = getattr(actor, _CACHE_SECTORS, None)
    if cached is not None:
        return cached
    from vitaal.core.models import Organisation

    ids: set[int] = set()
    for sector_ids in actor.sector_ids.values():
        ids |= sector_ids
    org_ids = organisation_ids_of(actor)
    if org_ids:
        ids |= set(Organisation.objects.filter(pk__in=org_ids).values_list("sector_id", flat=True))
    setattr(actor, _CACHE_SECTORS, ids)
    return ids


def scope_interventions(qs: QS, user: Any) -> QS:
    actor = get_actor(user)
    admin_of = actor.sectors_for([Role.SECTOR_ADMIN])
    return qs.filter(Q(sector_id__in=sector_ids_of(user), is_active=True) | Q(sector_id__in=admin_of))


def scope_packages(qs: QS, user: Any) -> QS:
    actor = get_actor(user)
    admin_of = actor.sectors_for([Role.SECTOR_ADMIN])
    return qs.filter(Q(sector_id__in=sector_ids_of(user), status="published") | Q(sector_id__in=admin_of))


def scope_providers(qs: QS, user: Any) -> QS:
    actor = get_actor(user)
    if not actor.is_authenticated:
        return qs.none()
    sectors = sector_ids_of(user)
    staff_of = actor.sectors_for(SECTOR_STAFF_ROLES)
    admin_of = actor.sectors_for([Role.SECTOR_ADMIN])
    own_orgs = organisation_ids_of(actor)
    org_admin_of = actor.orgs_for([Role.ORG_ADMIN])
    shared = Q(sector_id__in=sectors, added_by_organisation__isnull=True)
    own_network = Q(sector_id__in=sectors, added_by_organisation_id__in=own_orgs)
    q = (shared | own_network) & Q(is_active=True)
    # Those who maintain a provider also see it while it is inactive.
    q |= Q(sector_id__in=admin_of) | Q(added_by_organisation_id__in=org_admin_of)
    q |= Q(sector_id__in=staff_of)
    q |= Q(members__user_id=user.pk)
    return qs.filter(q).distinct()


def scope_invoice_providers(qs: QS, user: Any) -> QS:
    """Providers whose invoices this user reads: those they work for (with the provider
    role in the provider's sector) and, for the care coordinator, every provider of the
    sector."""
    from vitaal.care.models import ProviderMember

    actor = get_actor(user)
    if not actor.is_authenticated:
        return qs.none()
    q = Q(sector_id__in=actor.sectors_for([Role.CARE_COORDINATOR]))
    provider_of = actor.sectors_for([Role.PROVIDER])
    if provider_of:
        q |= Q(
            sector_id__in=provider_of,
            pk__in=ProviderMember.objects.filter(user_id=user.pk).values("provider_id"),
        )
    return qs.filter(q)


def reads_invoices(user: Any) -> bool:
    """Whether the user may open the invoice pages at all (the list may still be empty)."""
    from vitaal.care.collective import provider_ids_of

    actor = get_actor(user)
    return bool(actor.sectors_for([Role.CARE_COORDINATOR])) or bool(provider_ids_of(user))


def scope_health_checks(qs: QS, user: Any) -> QS:
    """Only the user's own health checks, whatever roles they hold."""
    actor = get_actor(user)
    if not actor.is_authenticated:
        return qs.none()
    return qs.filter(person__user_id=user.pk)


def scope_care_requests(qs: QS, user: Any) -> QS:
    """Care requests this user may see (and so know exist).

    Every condition is a filter on the request's own columns against a small subquery, so
    no join multiplies rows and no DISTINCT is needed: at sector scale a DISTINCT over the
    whole request row made a provider's list take half a second."""
    from vitaal.care.models import Intervention, ProviderMember, Referral
    from vitaal.core.models import Organisation, Person

    actor = get_actor(user)
    if not actor.is_authenticated:
        return qs.none()
    q = Q(person_id__in=Person.objects.filter(user_id=user.pk).values("pk"))
    coordinator_of = actor.sectors_for([Role.CARE_COORDINATOR])
    if coordinator_of:
        q |= Q(organisation_id__in=Organisation.objects.filter(sector_id__in=coordinator_of).values("pk"))
    doctor_of = actor.orgs_for([Role.COMPANY_DOCTOR])
    if doctor_of:
        own_referral = Q(referral_id__in=Referral.objects.filter(referred_by_id=user.pk).values("pk"))
        to_approve = Q(
            intervention_id__in=Intervention.objects.filter(
                approval_required=True, approver="company_doctor"
            ).values("pk")
        )
        q |= Q(organisation_id__in=doctor_of) & (own_referral | to_approve)
    provider_of = actor.sectors_for([Role.PROVIDER])
    if provider_of:
        q |= Q(
            organisation_id__in=Organisation.objects.filter(sector_id__in=provider_of).values("pk"),
            provider_id__in=ProviderMember.objects.filter(user_id=user.pk).values("provider_id"),
        )
    return qs.filter(q)


def scope_referrals(qs: QS, user: Any) -> QS:
    """Referrals with their answer: the employee's own and the care coordinator's sector."""
    actor = get_actor(user)
    if not actor.is_authenticated:
        return qs.none()
    q = Q(person__user_id=user.pk)
    coordinator_of = actor.sectors_for([Role.CARE_COORDINATOR])
    if coordinator_of:
        q |= Q(person__organisation__sector_id__in=coordinator_of)
    return qs.filter(q)
