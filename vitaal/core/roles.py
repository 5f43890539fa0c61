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
    # The NEN 7513 log manager: reads the sector's whole access log, nothing else.
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
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
    Role.PRIVACY_OFFICER: frozenset({Scope.SECTOR}),
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

# Every role held through a membership must use two-step login: each one reads data about
# other people (a manager's team list, a provider's assignments, a works council's reports).
# Only the employee, who sees nothing but their own data, may choose. Derived from Role
# rather than listed, so that a role added later is covered without anyone remembering it.
MFA_ROLES: frozenset[str] = frozenset(role for role in Role if role != Role.EMPLOYEE)

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
