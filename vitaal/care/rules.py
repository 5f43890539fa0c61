"""Object permissions of the care app (django-rules), built on the core predicates.

Which object each permission is checked against:
- ``care.view_intervention`` / ``care.change_intervention``: an Intervention, or the
  Sector (for lists and creation).
- ``care.view_package``: a Package (lists use ``Package.objects.visible_to``);
  ``care.change_package``: a Package, or the Sector (creation).
- ``care.view_provider`` / ``care.change_provider``: a Provider.
- ``care.add_own_provider``: the Organisation adding a provider to its own network.
- ``care.view_healthcheck``: a HealthCheck; ``care.add_healthcheck``: none.
- ``care.view_carerequest``, ``care.approve_carerequest``, ``care.assign_carerequest``,
  ``care.deliver_carerequest`` (provider accepts, declines, registers sessions),
  ``care.complete_carerequest``, ``care.withdraw_carerequest``,
  ``care.evaluate_carerequest``: a CareRequest.
- ``care.refer_person`` / ``care.request_care``: the Person referred / requesting;
  ``care.answer_referral``: a Referral.
- ``care.view_invoices``: none (may open the invoice pages); ``care.view_invoice``: the
  Provider whose invoices are read (lists use ``Provider.objects.invoices_visible_to``).
"""

from __future__ import annotations

from typing import Any

import rules

from vitaal.care.access import reads_invoices, sector_ids_of
from vitaal.core.roles import Role
from vitaal.core.rules import is_employee, is_self, manages_person, org_role, sector_role


def sector_of(obj: Any) -> Any:
    """The Sector an object of the care app belongs to."""
    from vitaal.core.models import Sector

    if isinstance(obj, Sector):
        return obj
    if hasattr(obj, "package"):
        return obj.package.sector
    if hasattr(obj, "sector"):
        return obj.sector
    return obj.provider.sector


def on_sector(pred: Any) -> Any:
    """Apply a core predicate that expects a Sector to the object's sector."""

    @rules.predicate
    def mapped(user: Any, obj: Any) -> bool:
        return obj is not None and bool(pred.test(user, sector_of(obj)))

    mapped.name = f"on_sector({pred.name})"
    return mapped


@rules.predicate
def in_sector(user: Any, obj: Any) -> bool:
    """The user belongs to the object's sector at any level."""
    return obj is not None and sector_of(obj).pk in sector_ids_of(user)


@rules.predicate
def is_active_entry(user: Any, obj: Any) -> bool:
    return obj is not None and bool(getattr(obj, "is_active", True))


@rules.predicate
def is_published(user: Any, obj: Any) -> bool:
    return obj is not None and bool(getattr(obj, "is_published", False))


_org_admin = org_role(Role.ORG_ADMIN)


@rules.predicate
def admin_of_own_network(user: Any, provider: Any) -> bool:
    """Org admin of the organisation that added this provider to its own network."""
    if provider is None or provider.added_by_organisation_id is None:
        return False
    return bool(_org_admin.test(user, provider.added_by_organisation))


@rules.predicate
def provider_visible(user: Any, provider: Any) -> bool:
    from vitaal.care.models import Provider

    return provider is not None and Provider.objects.visible_to(user).filter(pk=provider.pk).exists()


@rules.predicate
def owns_health_check(user: Any, check: Any) -> bool:
    return check is not None and user.is_authenticated and check.person.user_id == user.pk


is_sector_admin = on_sector(sector_role(Role.SECTOR_ADMIN))

# Catalog
rules.add_perm("care.view_intervention", (in_sector & is_active_entry) | is_sector_admin)
rules.add_perm("care.change_intervention", is_sector_admin)
# Package
rules.add_perm("care.view_package", (in_sector & is_published) | is_sector_admin)
rules.add_perm("care.change_package", is_sector_admin)
# Providers
rules.add_perm("care.view_provider", provider_visible)
rules.add_perm("care.change_provider", is_sector_admin | admin_of_own_network)
rules.add_perm("care.add_own_provider", _org_admin)
# Health checks: the person themself, nobody else
rules.add_perm("care.view_healthcheck", owns_health_check)
rules.add_perm("care.add_healthcheck", is_employee)


# --- Referrals and care requests (DESIGN rule 1) ----------------------------------------

_care_coordinator = sector_role(Role.CARE_COORDINATOR)
_company_doctor = org_role(Role.COMPANY_DOCTOR)
_hr = org_role(Role.HR)
_provider_role = sector_role(Role.PROVIDER)


@rules.predicate
def owns_request(user: Any, request: Any) -> bool:
    return request is not None and user.is_authenticated and request.person.user_id == user.pk


@rules.predicate
def doctor_referred_or_approves(user: Any, request: Any) -> bool:
    """The company doctor's own referral, or a request the company doctor must approve."""
    if request is None:
        return False
    referral = request.referral if request.referral_id else None
    own = referral is not None and referral.referred_by_id == user.pk
    return own or _approver_is(request, "company_doctor")


@rules.predicate
def member_of_assigned_provider(user: Any, request: Any) -> bool:
    from vitaal.care.models import ProviderMember

    if request is None or request.provider_id is None:
        return False
    return ProviderMember.objects.filter(provider_id=request.provider_id, user_id=user.pk).exists()


def _approver_is(request: Any, approver: str) -> bool:
    intervention = request.intervention
    return bool(intervention.approval_required) and intervention.approver == approver


@rules.predicate
def approver_is_coordinator(user: Any, request: Any) -> bool:
    return request is not None and _approver_is(request, "care_coordinator")


@rules.predicate
def approver_is_company_doctor(user: Any, request: Any) -> bool:
    return request is not None and _approver_is(request, "company_doctor")


@rules.predicate
def is_current_self(user: Any, person: Any) -> bool:
    return bool(is_self.test(user, person)) and person.is_current


@rules.predicate
def referred_person_is_user(user: Any, referral: Any) -> bool:
    return referral is not None and user.is_authenticated and referral.person.user_id == user.pk


is_assigned_provider = _provider_role & member_of_assigned_provider
is_request_approver = (approver_is_coordinator & _care_coordinator) | (
    approver_is_company_doctor & _company_doctor
)

rules.add_perm(
    "care.view_carerequest",
    owns_request | _care_coordinator | (_company_doctor & doctor_referred_or_approves) | is_assigned_provider,
)
# Approvals need judgement: the care coordinator or company doctor the intervention names,
# never the line manager or HR.
rules.add_perm("care.approve_carerequest", is_request_approver)
rules.add_perm("care.assign_carerequest", _care_coordinator)
rules.add_perm("care.deliver_carerequest", is_assigned_provider)
rules.add_perm("care.complete_carerequest", is_assigned_provider | _care_coordinator)
rules.add_perm("care.withdraw_carerequest", owns_request)
rules.add_perm("care.evaluate_carerequest", owns_request)
rules.add_perm("care.request_care", is_current_self)
rules.add_perm("care.answer_referral", referred_person_is_user)
# Referring (object = the Person): whether the route fits the intervention is checked by
# ``referrer_roles_for`` in the service.
rules.add_perm("care.refer_person", manages_person | _hr | _company_doctor)


def referrer_roles_for(user: Any, person: Any) -> set[str]:
    """The referrer roles (manager / hr / company_doctor) the user holds for this person."""
    roles: set[str] = set()
    if manages_person.test(user, person):
        roles.add(Role.MANAGER)
    if _hr.test(user, person):
        roles.add(Role.HR)
    if _company_doctor.test(user, person):
        roles.add(Role.COMPANY_DOCTOR)
    return roles


# --- Invoices ----------------------------------------------------------------------------
# Addressed to the sector's care arrangement: sent by the provider's staff, received by
# the care coordinator desk. Never an employer-side role or the sector admin (rule 2).


@rules.predicate
def works_for_provider(user: Any, provider: Any) -> bool:
    from vitaal.care.models import ProviderMember

    return provider is not None and ProviderMember.objects.filter(provider=provider, user_id=user.pk).exists()


@rules.predicate
def may_read_invoices(user: Any) -> bool:
    return bool(reads_invoices(user))


rules.add_perm("care.view_invoices", may_read_invoices)
rules.add_perm(
    "care.view_invoice",
    (on_sector(_provider_role) & works_for_provider) | on_sector(_care_coordinator),
)


# --- Financing ---------------------------------------------------------------------------
# ``care.apply_company_budget``: the Organisation applying; ``care.decide_budget_application``:
# a BudgetApplication (only the sector admin, never the organisation itself);
# ``care.view_finance``: the Organisation whose balance is shown.
rules.add_perm("care.apply_company_budget", org_role(Role.ORG_ADMIN, Role.HR))
rules.add_perm("care.decide_budget_application", sector_role(Role.SECTOR_ADMIN))
rules.add_perm("care.view_finance", org_role(Role.ORG_ADMIN, Role.HR) | sector_role(Role.SECTOR_ADMIN))
