"""A small care world for the work pages, built on the shared cast: a published package
of this year, a provider the cast's provider user works for, and requests in each state
the pages act on. Used by the URL access table, the page tests and the browser journeys."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from vitaal.care import collective, services, workflow
from vitaal.care.models import CareRequest, CollectiveActivity, Intervention, Provider, Region
from vitaal.care.models.package import package_year
from vitaal.core.testing import Cast

from .support import intervention, provider


@dataclass
class WorkWorld:
    cast: Cast
    coaching: Intervention
    budget: Intervention
    physio: Intervention
    workshop: Intervention
    balans: Provider
    requests: dict[str, CareRequest] = field(default_factory=dict)
    activity: CollectiveActivity | None = None

    def pk(self, name: str) -> int:
        return self.requests[name].pk


def build_work_world(cast: Cast, *, with_requests: bool = True) -> WorkWorld:
    sector = cast.sector
    # Browser tests flush the database, seeded regions included.
    Region.objects.get_or_create(code="UT", defaults={"name_nl": "Utrecht", "name_en": "Utrecht"})
    coaching = intervention(sector, routes=frozenset({"direct", "manager", "hr", "company_doctor"}))
    budget = intervention(
        sector,
        code="financial-coaching",
        name_nl="Budgetcoaching",
        name_en="Budget coaching",
        theme="other",
        routes=frozenset({"direct", "manager", "hr"}),
        approval_required=True,
        approver="care_coordinator",
    )
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
    workshop = intervention(
        sector,
        code="sleep-workshop",
        name_nl="Workshop beter slapen",
        name_en="Sleep better workshop",
        theme="lifestyle",
        individual=False,
        collective=True,
        tariff_unit="trajectory",
        tariff=Decimal("600"),
        ceiling=None,
        max_sessions=None,
        forms=frozenset({"workshop"}),
    )
    package = services.package_create(sector=sector, year=package_year(timezone.localdate()))
    for item in (coaching, budget, physio, workshop):
        services.package_item_set(
            package=package, intervention=item, verdict="in", rationale_nl="Reden.", rationale_en="Reason."
        )
    services.package_publish(package=package)
    balans = provider(sector, "balans", offers=(coaching, budget, physio, workshop))
    services.provider_member_add(provider=balans, user=cast.sector_users["provider"])
    world = WorkWorld(
        cast=cast, coaching=coaching, budget=budget, physio=physio, workshop=workshop, balans=balans
    )
    if with_requests:
        _requests(world)
    return world


def submit(world: WorkWorld, item: Intervention, who: str = "employee", **kwargs: Any) -> CareRequest:
    cast = world.cast
    return workflow.care_request_submit(
        user=cast.user(who), person=cast.a.people[who], intervention=item, **kwargs
    )


def assigned(world: WorkWorld, who: str = "employee") -> CareRequest:
    request = submit(world, world.coaching, who)
    return workflow.care_request_assign(
        user=world.cast.user("care_coordinator"), request=request, provider=world.balans
    )


def in_progress(world: WorkWorld, who: str = "employee", sessions: int = 1) -> CareRequest:
    request = assigned(world, who)
    return workflow.care_request_provider_accept(
        user=world.cast.user("provider"), request=request, sessions_planned=sessions
    )


def _requests(world: WorkWorld) -> None:
    r = world.requests
    for name in ("review", "approve", "reject"):
        r[name] = submit(world, world.budget, description="Schulden.")
    r["assign"] = submit(world, world.coaching)
    r["accept"] = assigned(world)
    r["decline"] = assigned(world, "manager")
    r["detail"] = in_progress(world)
    r["close"] = in_progress(world, "manager")
    workflow.delivery_session_register(
        user=world.cast.user("provider"),
        request=r["detail"],
        date=timezone.localdate(),
        duration_minutes=50,
        cost=Decimal("95.00"),
    )
    now = timezone.now()
    world.activity = collective.activity_create(
        user=world.cast.user("care_coordinator"),
        sector=world.cast.sector,
        spec=collective.ActivitySpec(
            title="Workshop beter slapen",
            organisation=world.cast.a.organisation,
            intervention=world.workshop,
            provider=world.balans,
            starts_at=now + timedelta(days=14),
            enrolment_deadline=now + timedelta(days=7),
            capacity=12,
            min_participants=2,
        ),
    )
