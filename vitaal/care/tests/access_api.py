"""URL access table of the care API and the catalog pages (see vitaal/core/testing_access.py).

``prepare`` builds a small care world on the cast: a published package for this year with
a direct-route intervention, two draft packages, a shared provider the cast's provider
works for, and requests of employee A in the states the endpoints need."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from vitaal.care import services, workflow
from vitaal.care.models import CareRequest, HealthCheck, Intervention, Package, Provider, Region
from vitaal.care.models.providers import PROVINCE_NAMES
from vitaal.care.services import InterventionSpec, ProviderSpec
from vitaal.core.testing import Cast
from vitaal.core.testing_access import HAS_PERSON, LOGGED_IN, Access, org_a

COACHING = InterventionSpec(
    code="api-coaching",
    name_nl="Coaching bij werkstress",
    name_en="Coaching for work stress",
    description_nl="Gesprekken met een coach.",
    description_en="Conversations with a coach.",
    theme="mental",
    tariff=Decimal("95"),
    tariff_unit="session",
    ceiling=Decimal("950"),
    max_sessions=10,
    stages=frozenset({"prevention", "complaints"}),
    forms=frozenset({"face_to_face", "online"}),
    routes=frozenset({"direct", "manager", "hr", "company_doctor"}),
)
PHYSIO = InterventionSpec(
    code="api-physio",
    name_nl="Fysiotherapie",
    name_en="Physiotherapy",
    theme="physical",
    tariff=Decimal("60"),
    tariff_unit="session",
    max_sessions=9,
    stages=frozenset({"complaints"}),
    forms=frozenset({"face_to_face"}),
    routes=frozenset({"direct"}),
    financing=frozenset({"supplementary_insurance"}),
)


@dataclass
class ApiWorld:
    coaching: Intervention
    physio: Intervention
    package: Package
    draft: Package
    empty_draft: Package
    provider: Provider


def build_world(cast: Cast) -> ApiWorld:
    sector = cast.sector
    for code, (name_nl, name_en) in PROVINCE_NAMES.items():  # gone after a transactional flush
        Region.objects.get_or_create(code=code, defaults={"name_nl": name_nl, "name_en": name_en})
    year = timezone.localdate().year
    coaching = services.intervention_create(sector=sector, spec=COACHING)
    physio = services.intervention_create(sector=sector, spec=PHYSIO)
    package = services.package_create(sector=sector, year=year)
    services.package_item_set(
        package=package,
        intervention=coaching,
        verdict="in",
        rationale_nl="Veel gevraagd.",
        rationale_en="Much asked for.",
    )
    services.package_item_set(
        package=package,
        intervention=physio,
        verdict="out",
        rationale_nl="Elders vergoed.",
        rationale_en="Paid for elsewhere.",
        alternative_nl="Aanvullende verzekering.",
        alternative_en="Supplementary insurance.",
        financing=["supplementary_insurance"],
    )
    package = services.package_publish(package=package)
    draft = services.package_create(sector=sector, year=year + 1)
    services.package_item_set(
        package=draft, intervention=coaching, verdict="discuss", rationale_nl="Duur.", rationale_en="Costly."
    )
    empty_draft = services.package_create(sector=sector, year=year + 2)
    provider = services.provider_create(
        sector=sector,
        spec=ProviderSpec(
            code="api-balans",
            name="Balans Coaching",
            city="Utrecht",
            regions=frozenset({"UT", "GE"}),
            interventions=frozenset({"api-coaching", "api-physio"}),
            quality_mark="NOBCO",
            quality_mark_obtained_on=timezone.localdate().replace(year=year - 2),
        ),
    )
    services.provider_tariff_set(
        provider=provider,
        intervention=coaching,
        tariff=Decimal("92"),
        valid_from=timezone.localdate().replace(month=1, day=1),
    )
    services.provider_member_add(provider=provider, user=cast.sector_users["provider"])
    return ApiWorld(coaching, physio, package, draft, empty_draft, provider)


def own_request(cast: Cast, world: ApiWorld, tag: str) -> CareRequest:
    return workflow.care_request_submit(
        user=cast.user("employee"),
        person=cast.a.people["employee"],
        intervention=world.coaching,
        description=tag,
    )


def assigned_request(cast: Cast, world: ApiWorld, tag: str, *, accept: bool = False) -> CareRequest:
    request = own_request(cast, world, tag)
    request = workflow.care_request_assign(
        user=cast.user("care_coordinator"), request=request, provider=world.provider
    )
    if accept:
        request = workflow.care_request_provider_accept(
            user=cast.user("provider"), request=request, sessions_planned=1
        )
    return request


def prepare(cast: Cast) -> None:
    world = build_world(cast)
    own_request(cast, world, "access-detail")
    own_request(cast, world, "access-withdraw")
    assigned_request(cast, world, "access-assignment")
    assigned_request(cast, world, "access-accept")
    assigned_request(cast, world, "access-decline")
    assigned_request(cast, world, "access-sessions", accept=True)
    assigned_request(cast, world, "access-complete", accept=True)
    services.health_check_record(person=cast.a.people["employee"], who5=[3, 3, 3, 3, 3], work_ability=7)


def _request(tag: str) -> Any:
    return lambda c: {"pk": CareRequest.objects.get(description=tag).pk}


def _package(year_offset: int) -> Any:
    return lambda c: {
        "pk": Package.objects.get(sector=c.sector, year=timezone.localdate().year + year_offset).pk
    }


def _coaching(c: Cast) -> int:
    return Intervention.objects.get(sector=c.sector, code="api-coaching").pk


def _provider(c: Cast) -> dict[str, Any]:
    return {"pk": Provider.objects.get(sector=c.sector, code="api-balans").pk}


API = {"anonymous": 401}

ACCESS: dict[str, Access] = {
    # --- API: catalog and package (everyone in the sector) ---
    "api:care-intervention-list": Access(ok=LOGGED_IN, **API),
    "api:care-intervention-detail": Access(kwargs=lambda c: {"pk": _coaching(c)}, ok=LOGGED_IN, **API),
    "api:care-package-list": Access(ok=LOGGED_IN, **API),
    "api:care-package-detail": Access(kwargs=_package(0), ok=LOGGED_IN, **API),
    # --- API: the employee's own requests and health checks ---
    "api:care-my-request-list": Access(ok=HAS_PERSON, **API),
    "api:care-my-request-detail": Access(
        kwargs=_request("access-detail"), ok={"employee"}, denied=404, **API
    ),
    "api:care-my-request-withdraw": Access(
        kwargs=_request("access-withdraw"),
        method="post",
        data={"reason": "Not needed"},
        ok={"employee"},
        denied=404,
        **API,
    ),
    "api:care-my-health-check-list": Access(ok=HAS_PERSON, **API),
    "api:care-my-health-check-detail": Access(
        kwargs=lambda c: {"pk": HealthCheck.objects.get(person=c.a.people["employee"]).pk},
        ok={"employee"},
        denied=404,
        **API,
    ),
    # --- API: the provider's assignments ---
    "api:care-assignment-list": Access(ok={"provider"}, **API),
    "api:care-assignment-detail": Access(kwargs=_request("access-assignment"), ok={"provider"}, **API),
    "api:care-assignment-accept": Access(
        kwargs=_request("access-accept"), method="post", data={"sessions_planned": 3}, ok={"provider"}, **API
    ),
    "api:care-assignment-decline": Access(
        kwargs=_request("access-decline"), method="post", data={"reason": "Full"}, ok={"provider"}, **API
    ),
    "api:care-assignment-sessions": Access(
        kwargs=_request("access-sessions"),
        method="post",
        data={"date": "2026-01-15", "duration_minutes": 50, "cost": "92.00"},
        ok={"provider"},
        success=201,
        **API,
    ),
    "api:care-assignment-complete": Access(
        kwargs=_request("access-complete"), method="post", ok={"provider"}, **API
    ),
    # --- Web: catalog, package and providers ---
    "care:catalog_list": Access(ok=LOGGED_IN),
    "care:intervention_detail": Access(kwargs=lambda c: {"pk": _coaching(c)}, ok=LOGGED_IN),
    "care:package_list": Access(ok=LOGGED_IN),
    "care:package_detail": Access(kwargs=_package(0), ok=LOGGED_IN),
    "care:package_item_edit": Access(
        kwargs=lambda c: {**_package(1)(c), "intervention": _coaching(c)}, ok={"sector_admin"}, denied=404
    ),
    "care:package_publish": Access(
        kwargs=_package(2), method="post", ok={"sector_admin"}, success=302, denied=404
    ),
    "care:provider_list": Access(ok=LOGGED_IN),
    "care:provider_detail": Access(kwargs=_provider, ok=LOGGED_IN),
    "care:provider_tariff_add": Access(
        kwargs=_provider,
        method="post",
        data={"intervention": "api-physio", "tariff": "61.50", "valid_from": "2026-01-01"},
        ok={"sector_admin"},
        success=302,
    ),
    "care:own_provider_create": Access(kwargs=org_a, org=True, ok={"org_admin"}),
}
