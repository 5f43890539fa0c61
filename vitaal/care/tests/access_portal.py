"""URL access table of the care portal area (see vitaal/core/testing_access.py).

Portal pages are for current employees (the cast roles with a person record); pages about
one object (a request, a referral, a health check) answer 404 to everyone but its owner,
because even whether it exists is health data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from vitaal.care import services, workflow
from vitaal.care.models import CareRequest, HealthCheck, Intervention, Package, Provider, Referral, Region
from vitaal.care.models.package import package_year
from vitaal.core.testing import Cast
from vitaal.core.testing_access import HAS_PERSON, Access

from .support import intervention, provider

OWNER_ONLY = {"employee"}


@dataclass
class PortalWorld:
    package: Package
    coaching: Intervention  # in (+), direct and every referral route, 5 sessions, EUR 475
    yoga: Intervention  # in (+), lifestyle, direct, no limits
    massage: Intervention  # out (−), with where else
    team_talk: Intervention  # in (+), only through a referral by the manager
    balans: Provider


def build_portal_world(cast: Cast) -> PortalWorld:
    """A published package for this year with three interventions and one provider."""
    sector = cast.sector
    coaching = intervention(sector, routes=frozenset({"direct", "manager", "hr", "company_doctor"}))
    yoga = intervention(
        sector,
        code="yoga",
        name_nl="Yoga op het werk",
        name_en="Yoga at work",
        theme="lifestyle",
        description_nl="Yogalessen in een groep.",
        description_en="Yoga classes in a group.",
        stages=frozenset({"prevention"}),
        forms=frozenset({"on_site", "online"}),
        routes=frozenset({"direct"}),
        ceiling=None,
        max_sessions=None,
    )
    massage = intervention(
        sector,
        code="massage",
        name_nl="Massage",
        name_en="Massage",
        theme="physical",
        financing=frozenset({"supplementary_insurance"}),
    )
    team_talk = intervention(
        sector,
        code="team-talk",
        name_nl="Teamgesprek",
        name_en="Team talk",
        theme="other",
        routes=frozenset({"manager"}),
    )
    package = services.package_create(sector=sector, year=package_year(timezone.localdate()))
    for item, verdict in ((coaching, "in"), (yoga, "in"), (team_talk, "in")):
        services.package_item_set(
            package=package, intervention=item, verdict=verdict, rationale_nl="Reden.", rationale_en="Reason."
        )
    services.package_item_set(
        package=package,
        intervention=massage,
        verdict="out",
        rationale_nl="Weinig gebruikt.",
        rationale_en="Little used.",
        alternative_nl="Vaak vergoed door je aanvullende verzekering.",
        alternative_en="Often paid by your supplementary health insurance.",
    )
    package = services.package_publish(package=package)
    # Transactional (browser) tests flush the regions the migration seeded.
    Region.objects.get_or_create(code="UT", defaults={"name_nl": "Utrecht", "name_en": "Utrecht"})
    balans = provider(sector, "balans", offers=(coaching, yoga, massage))
    services.provider_member_add(provider=balans, user=cast.sector_users["provider"])
    return PortalWorld(
        package=package, coaching=coaching, yoga=yoga, massage=massage, team_talk=team_talk, balans=balans
    )


def complete_request(cast: Cast, request: CareRequest, provider_: Provider) -> CareRequest:
    """Move an approved request through assignment and delivery to completed."""
    coordinator = cast.sector_users["care_coordinator"]
    provider_user = cast.sector_users["provider"]
    request = workflow.care_request_assign(user=coordinator, request=request, provider=provider_)
    request = workflow.care_request_provider_accept(user=provider_user, request=request, sessions_planned=2)
    return workflow.care_request_complete(user=provider_user, request=request)


def prepare(cast: Cast) -> None:
    world = build_portal_world(cast)
    employee = cast.a.people["employee"]
    user = cast.user("employee")
    workflow.care_request_submit(user=user, person=employee, intervention=world.coaching, description="Open.")
    done = workflow.care_request_submit(user=user, person=employee, intervention=world.yoga)
    complete_request(cast, done, world.balans)
    workflow.referral_create(
        referrer=cast.user("manager"), person=employee, intervention=world.coaching, referrer_role="manager"
    )
    services.health_check_record(person=employee, who5=[3, 3, 3, 3, 3], work_ability=7)


def _employee(c: Cast) -> Any:
    return c.a.people["employee"]


def _open_request(c: Cast) -> dict[str, Any]:
    return {"pk": CareRequest.objects.get(person=_employee(c), status="approved").pk}


def _done_request(c: Cast) -> dict[str, Any]:
    return {"pk": CareRequest.objects.get(person=_employee(c), status="completed").pk}


def _check(c: Cast) -> dict[str, Any]:
    return {"pk": HealthCheck.objects.get(person=_employee(c)).pk}


def _referral(c: Cast) -> dict[str, Any]:
    return {"pk": Referral.objects.get(person=_employee(c)).pk}


def _intervention(c: Cast) -> dict[str, Any]:
    return {"pk": Intervention.objects.get(sector=c.sector, code="mental-coaching").pk}


ACCESS: dict[str, Access] = {
    "care:portal": Access(ok=HAS_PERSON),
    "care:portal_offer": Access(ok=HAS_PERSON),
    "care:portal_finder": Access(ok=HAS_PERSON),
    "care:portal_intervention": Access(kwargs=_intervention, ok=HAS_PERSON),
    "care:portal_request_create": Access(kwargs=_intervention, ok=HAS_PERSON),
    "care:portal_health_check": Access(ok=HAS_PERSON),
    "care:portal_health_check_list": Access(ok=HAS_PERSON),
    "care:portal_health_check_detail": Access(kwargs=_check, ok=OWNER_ONLY, denied=404),
    "care:portal_health_check_delete": Access(kwargs=_check, ok=OWNER_ONLY, denied=404),
    "care:portal_request_list": Access(ok=HAS_PERSON),
    "care:portal_request_detail": Access(kwargs=_open_request, ok=OWNER_ONLY, denied=404),
    "care:portal_request_withdraw": Access(kwargs=_open_request, ok=OWNER_ONLY, denied=404),
    "care:portal_request_evaluate": Access(kwargs=_done_request, ok=OWNER_ONLY, denied=404),
    "care:portal_referral_detail": Access(kwargs=_referral, ok=OWNER_ONLY, denied=404),
    "care:portal_export": Access(ok=HAS_PERSON),
    "care:portal_export_json": Access(ok=HAS_PERSON),
    "care:portal_export_xlsx": Access(ok=HAS_PERSON),
}
