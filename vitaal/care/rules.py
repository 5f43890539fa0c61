"""Object permissions of the care app (django-rules), built on the core predicates.

Which object each permission is checked against:
- ``care.view_intervention`` / ``care.change_intervention``: an Intervention, or the
  Sector (for lists and creation).
- ``care.view_package``: a Package (lists use ``Package.objects.visible_to``);
  ``care.change_package``: a Package, or the Sector (creation).
- ``care.view_provider`` / ``care.change_provider``: a Provider.
- ``care.add_own_provider``: the Organisation adding a provider to its own network.
- ``care.view_healthcheck``: a HealthCheck; ``care.add_healthcheck``: none.
"""

from __future__ import annotations

from typing import Any

import rules

from vitaal.care.access import sector_ids_of
from vitaal.core.roles import Role
from vitaal.core.rules import is_employee, org_role, sector_role


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
