"""Fixtures for the request workflow: a published package for the current year with
interventions on every route, and two providers with one staff member each."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from vitaal.care import services
from vitaal.care.models import Intervention, Package, Provider
from vitaal.care.models.package import package_year
from vitaal.core.models import Membership, User
from vitaal.core.roles import Role
from vitaal.core.testing import TEST_PASSWORD, Cast

from .support import intervention, provider


@dataclass
class CareWorld:
    cast: Cast
    package: Package
    coaching: Intervention  # direct and every referral route, no approval
    physio: Intervention  # direct or company doctor, approved by the company doctor
    budget: Intervention  # direct, manager or HR, approved by the care coordinator (+/-)
    out: Intervention  # out of the package (-)
    manager_only: Intervention  # only through a referral by the manager
    balans: Provider
    other: Provider
    other_provider_user: User


@pytest.fixture(autouse=True)
def english():
    """Messages are checked by their English text, whatever the default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(cast) -> CareWorld:
    sector = cast.sector
    coaching = intervention(sector, routes=frozenset({"direct", "manager", "hr", "company_doctor"}))
    physio = intervention(
        sector,
        code="physio",
        name_nl="Fysiotherapie",
        name_en="Physiotherapy",
        theme="physical",
        routes=frozenset({"direct", "company_doctor"}),
        approval_required=True,
        approver="company_doctor",
    )
    budget = intervention(
        sector,
        code="financial-coaching",
        name_nl="Budgetcoaching",
        name_en="Budget coaching",
        theme="other",
        routes=frozenset({"direct", "manager", "hr"}),
        approval_required=True,
        approver="care_coordinator",
        ceiling=None,
        max_sessions=None,
    )
    out = intervention(sector, code="massage", name_nl="Massage", name_en="Massage", theme="physical")
    manager_only = intervention(
        sector, code="team-talk", name_nl="Teamgesprek", name_en="Team talk", routes=frozenset({"manager"})
    )
    package = services.package_create(sector=sector, year=package_year(timezone.localdate()))
    for item, verdict in (
        (coaching, "in"),
        (physio, "in"),
        (budget, "discuss"),
        (out, "out"),
        (manager_only, "in"),
    ):
        services.package_item_set(
            package=package, intervention=item, verdict=verdict, rationale_nl="Reden.", rationale_en="Reason."
        )
    package = services.package_publish(package=package)
    offers = (coaching, physio, budget, out, manager_only)
    balans = provider(sector, "balans", offers=offers)
    other = provider(sector, "anders", offers=offers)
    services.provider_member_add(provider=balans, user=cast.sector_users["provider"])
    other_user = User.objects.create_user("provider2@example.org", TEST_PASSWORD, first_name="Tweede")
    Membership.objects.create(user=other_user, role=Role.PROVIDER, sector=sector)
    services.provider_member_add(provider=other, user=other_user)
    return CareWorld(
        cast=cast,
        package=package,
        coaching=coaching,
        physio=physio,
        budget=budget,
        out=out,
        manager_only=manager_only,
        balans=balans,
        other=other,
        other_provider_user=other_user,
    )


COST = Decimal("95.00")


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages are requested in English, like the messages the tests look for."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
