"""The roles of DESIGN §1 and the scope each one lives at.

A role is always held through a Membership with a scope (sector, organisation or unit),
except *employee*, which follows from a user's link to a Person record.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECTOR_ADMIN = "sector_admin", _("Sector administrator")
    CARE_COORDINATOR = "care_coordinator", _("Care coordinator")
    ADVISOR = "advisor", _("Advisor")
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    COORDINATOR = "coordinator", _("IGM coordinator")
    MANAGEMENT = "management", _("Management")
    HR = "hr", _("HR advisor")
    MANAGER = "manager", _("Manager")
    COMPANY_DOCTOR = "company_doctor", _("Company doctor")
    WORKS_COUNCIL = "works_council", _("Works council member")
    PROVIDER = "provider", _("Care provider")
    EMPLOYEE = "employee", _("Employee")


class Scope(models.TextChoices):
    SECTOR = "sector", _("Sector")
    ORGANISATION = "organisation", _("Organisation")
    UNIT = "unit", _("Unit")


# Which scope level each membership role may be held at.
ROLE_SCOPES: dict[str, frozenset[str]] = {
    Role.SECTOR_ADMIN: frozenset({Scope.SECTOR}),
    Role.CARE_COORDINATOR: frozenset({Scope.SECTOR}),
    Role.PROVIDER: frozenset({Scope.SECTOR}),
    Role.ADVISOR: frozenset({Scope.ORGANISATION}),
    Role.ORG_ADMIN: frozenset({Scope.ORGANISATION}),
    Role.COORDINATOR: frozenset({Scope.ORGANISATION}),
    Role.MANAGEMENT: frozenset({Scope.ORGANISATION, Scope.UNIT}),
    Role.HR: frozenset({Scope.ORGANISATION}),
    Role.MANAGER: frozenset({Scope.UNIT}),
    Role.COMPANY_DOCTOR: frozenset({Scope.ORGANISATION}),
    Role.WORKS_COUNCIL: frozenset({Scope.ORGANISATION}),
}

# Roles that must use two-factor authentication: they reach other people's data or the
# audit log.
MFA_ROLES: frozenset[str] = frozenset(
    {
        Role.SECTOR_ADMIN,
        Role.CARE_COORDINATOR,
        Role.ADVISOR,
        Role.ORG_ADMIN,
        Role.HR,
        Role.COMPANY_DOCTOR,
    }
)

# Roles on the employer's side: they only ever see aggregates of health-related data and
# a whitelist of person fields (DESIGN rule 1).
EMPLOYER_ROLES: frozenset[str] = frozenset(
    {
        Role.ORG_ADMIN,
        Role.COORDINATOR,
        Role.MANAGEMENT,
        Role.HR,
        Role.MANAGER,
        Role.WORKS_COUNCIL,
    }
)

MEMBERSHIP_ROLES = [r for r in Role if r != Role.EMPLOYEE]
