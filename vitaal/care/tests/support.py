"""Builders shared by the care tests."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from vitaal.care import services
from vitaal.care.models import Intervention, Provider
from vitaal.care.services import InterventionSpec, ProviderSpec
from vitaal.core.models import Organisation, Sector

BASE_SPEC = InterventionSpec(
    code="mental-coaching",
    name_nl="Mentale coaching",
    name_en="Mental coaching",
    description_nl="Gesprekken met een coach.",
    description_en="Conversations with a coach.",
    theme="mental",
    tariff=Decimal("95"),
    tariff_unit="session",
    ceiling=Decimal("475"),
    max_sessions=5,
    stages=frozenset({"prevention", "complaints"}),
    forms=frozenset({"face_to_face", "blended"}),
    routes=frozenset({"direct", "company_doctor"}),
)


def spec(**changes: Any) -> InterventionSpec:
    return replace(BASE_SPEC, **changes)


def intervention(sector: Sector, **changes: Any) -> Intervention:
    return services.intervention_create(sector=sector, spec=spec(**changes))


def provider(
    sector: Sector,
    code: str = "balans",
    *,
    offers: tuple[Intervention, ...] = (),
    organisation: Organisation | None = None,
    **changes: Any,
) -> Provider:
    values: dict[str, Any] = {"code": code, "name": code.title(), "regions": frozenset({"UT"})}
    values["interventions"] = frozenset(i.code for i in offers)
    values.update(changes)
    return services.provider_create(
        sector=sector, spec=ProviderSpec(**values), added_by_organisation=organisation
    )
