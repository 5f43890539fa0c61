"""Test support shared by every app: a fixed cast of users in two organisations, a login
helper that satisfies the MFA rule, and permission test mixins.

Cast (organisation A and B each have every organisation role; the sector roles sit above):
    employee, manager (of team 1), hr, company_doctor, org_admin, coordinator,
    management, works_council, advisor — per organisation
    sector_admin, care_coordinator, privacy_officer, provider — for the sector
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from django.test import Client
from django.urls import reverse

from vitaal.core.models import (
    FunctionGroup,
    Membership,
    Organisation,
    Person,
    Sector,
    SizeClass,
    Unit,
    User,
)
from vitaal.core.roles import Role

ORG_ROLES = [
    "employee",
    "manager",
    "hr",
    "company_doctor",
    "org_admin",
    "coordinator",
    "management",
    "works_council",
    "advisor",
]
SECTOR_ROLES = ["sector_admin", "care_coordinator", "privacy_officer", "provider"]
TEST_PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105


@dataclass
class OrgCast:
    organisation: Organisation
    faculty: Unit
    team1: Unit
    team2: Unit
    users: dict[str, User] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    colleague: Person | None = None  # an employee of team 2 without an account


@dataclass
class Cast:
    sector: Sector
    op: FunctionGroup
    obp: FunctionGroup
    a: OrgCast
    b: OrgCast
    sector_users: dict[str, User] = field(default_factory=dict)

    def user(self, name: str) -> User:
        """'hr' or 'hr_a' → organisation A, 'hr_b' → B, 'sector_admin' → the sector's."""
        if name in self.sector_users:
            return self.sector_users[name]
        role, _sep, org = name.rpartition("_") if name.endswith(("_a", "_b")) else (name, "", "a")
        return (self.a if org == "a" else self.b).users[role]


def _user(email: str, first: str, last: str) -> User:
    user = User(email=email, first_name=first, last_name=last)
    user.set_password(TEST_PASSWORD)
    user.save()
    return user


def _org(sector: Sector, slug: str, op: FunctionGroup, obp: FunctionGroup) -> OrgCast:
    org = Organisation.objects.create(
        sector=sector, name=f"Hogeschool {slug.upper()}", slug=slug, size_class=SizeClass.MEDIUM
    )
    faculty = Unit.objects.create(organisation=org, name="Faculteit Techniek", kind="faculty", code="F1")
    team1 = Unit.objects.create(organisation=org, parent=faculty, name="Team 1", kind="team", code="F1-T1")
    team2 = Unit.objects.create(organisation=org, parent=faculty, name="Team 2", kind="team", code="F1-T2")
    oc = OrgCast(organisation=org, faculty=faculty, team1=team1, team2=team2)
    for i, role in enumerate(ORG_ROLES):
        user = _user(f"{role}.{slug}@example.org", role.replace("_", " ").title(), slug.upper())
        oc.users[role] = user
        if role in ("employee", "manager"):
            person = Person.objects.create(
                organisation=org,
                employee_number=f"{slug}-{i:03d}",
                first_name=user.first_name,
                last_name=user.last_name,
                unit=team1,
                function_group=op,
                gender="f",
                birth_year=1980,
                weekly_hours=32,
                employment_start=date(2015, 9, 1),
                user=user,
                email=user.email,
            )
            oc.people[role] = person
        if role == "manager":
            Unit.objects.filter(pk=team1.pk).update(manager=oc.people["manager"])
            Membership.objects.create(
                user=user, role=Role.MANAGER, sector=sector, organisation=org, unit=team1
            )
        elif role != "employee":
            Membership.objects.create(user=user, role=role, sector=sector, organisation=org)
    oc.colleague = Person.objects.create(
        organisation=org,
        employee_number=f"{slug}-900",
        first_name="Collega",
        last_name="Tweede",
        unit=team2,
        function_group=obp,
        gender="m",
        birth_year=1970,
        weekly_hours=38,
        employment_start=date(2010, 1, 1),
    )
    team1.refresh_from_db()
    return oc


def build_cast() -> Cast:
    sector = Sector.objects.create(name="Hoger beroepsonderwijs", slug="hbo")
    op = FunctionGroup.objects.create(
        sector=sector, code="OP", name_nl="Onderwijzend personeel", name_en="Teaching staff"
    )
    obp = FunctionGroup.objects.create(
        sector=sector, code="OBP", name_nl="Ondersteunend personeel", name_en="Support staff"
    )
    cast = Cast(sector=sector, op=op, obp=obp, a=_org(sector, "a", op, obp), b=_org(sector, "b", op, obp))
    for role in SECTOR_ROLES:
        user = _user(f"{role}@example.org", role.replace("_", " ").title(), "Sector")
        Membership.objects.create(user=user, role=role, sector=sector)
        cast.sector_users[role] = user
    return cast


def login(client: Client, user: User, *, mfa: bool = True, recent: bool = True) -> Client:
    """Log the user in as if they completed password and (when ``mfa``) the second step;
    ``recent`` also counts as a fresh re-authentication for sensitive actions."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    methods: list[dict[str, Any]] = [{"method": "password", "at": time.time(), "email": user.email}]
    if mfa:
        methods.append({"method": "mfa", "at": time.time(), "type": "totp"})
    if recent:
        methods.append({"method": "password", "at": time.time(), "reauthenticated": True})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = methods
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


class PermissionTestMixin:
    """Reusable permission tests for one org-scoped page.

    Set ``url_name``, ``allowed`` (cast role names that get 200) and optionally
    ``url_kwargs(cast, org_cast)``. Every other organisation role of the same organisation
    gets 403; the same roles of the other organisation get 404; anonymous is sent to login.
    """

    url_name: ClassVar[str]
    allowed: ClassVar[set[str]]
    method: ClassVar[str] = "get"

    def url_kwargs(self, cast: Cast, oc: OrgCast) -> dict[str, Any]:
        return {"org": oc.organisation.slug}

    def url(self, cast: Cast) -> str:
        return reverse(self.url_name, kwargs=self.url_kwargs(cast, cast.a))

    def _status(self, client: Client, cast: Cast, user: User | None) -> int:
        client.logout()
        if user is not None:
            login(client, user)
        return getattr(client, self.method)(self.url(cast)).status_code

    def test_allowed_roles_succeed(self, client: Client, cast: Cast) -> None:
        for role in self.allowed:
            assert self._status(client, cast, cast.user(role)) == 200, role

    def test_other_roles_are_forbidden(self, client: Client, cast: Cast) -> None:
        for role in ORG_ROLES:
            if role not in self.allowed:
                assert self._status(client, cast, cast.user(role)) == 403, role

    def test_other_organisation_gets_not_found(self, client: Client, cast: Cast) -> None:
        for role in ORG_ROLES:
            assert self._status(client, cast, cast.user(f"{role}_b")) == 404, f"{role}_b"

    def test_anonymous_is_sent_to_login(self, client: Client, cast: Cast) -> None:
        client.logout()
        response = getattr(client, self.method)(self.url(cast))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
