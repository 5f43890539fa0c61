"""The catalog: derived uniqueness, filters, bilingual helpers and refused input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from vitaal.care import services
from vitaal.care.models import Intervention

from .support import intervention, spec


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_intervention_without_other_financing_is_unique_to_the_package(cast):
    item = intervention(cast.sector)
    assert item.financing_sources == []
    assert item.is_unique_to_package
    assert list(Intervention.objects.unique_to_package()) == [item]


@pytest.mark.parametrize(
    "source", ["basic_insurance", "supplementary_insurance", "sector_funds", "professionalisation"]
)
def test_any_other_financing_source_makes_it_not_unique(cast, source):
    item = intervention(cast.sector, financing=frozenset({source}))
    assert item.financing_sources == [source]
    assert not item.is_unique_to_package
    assert not Intervention.objects.unique_to_package().exists()


def test_multi_valued_properties_filter_on_plain_columns(cast):
    coaching = intervention(cast.sector)
    workshop = intervention(
        cast.sector,
        code="workshop",
        stages=frozenset({"prevention"}),
        forms=frozenset({"workshop"}),
        routes=frozenset({"hr"}),
        individual=False,
        collective=True,
    )
    assert set(Intervention.objects.with_stage("complaints")) == {coaching}
    assert set(Intervention.objects.with_stage("prevention")) == {coaching, workshop}
    assert set(Intervention.objects.with_form("workshop")) == {workshop}
    assert set(Intervention.objects.with_route("company_doctor")) == {coaching}
    assert coaching.stages == ["prevention", "complaints"]
    assert coaching.routes == ["direct", "company_doctor"]


def test_name_and_description_follow_the_active_language(cast):
    item = intervention(cast.sector)
    with translation.override("en"):
        assert item.name == "Mental coaching"
        assert str(item) == "Mental coaching"
    with translation.override("nl"):
        assert item.name == "Mentale coaching"
        assert item.description == "Gesprekken met een coach."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tariff": Decimal("-1")}, "A tariff cannot be negative."),
        ({"ceiling": Decimal("-0.01")}, "A ceiling cannot be negative."),
        ({"max_sessions": 0}, "The maximum number of sessions must be at least 1."),
        ({"routes": frozenset()}, "Choose at least one access route"),
        ({"approval_required": True}, "Approval is required, so choose who approves"),
        ({"approver": "company_doctor"}, "Choose an approver only when approval is required."),
        ({"approval_required": True, "approver": "manager"}, "is not a valid choice"),
        ({"stages": frozenset({"somewhere"})}, "Unknown value(s): somewhere."),
    ],
)
def test_bad_intervention_input_is_refused_with_a_clear_message(cast, english, changes, message):
    with pytest.raises(ValidationError) as exc:
        services.intervention_create(sector=cast.sector, spec=spec(**changes))
    assert any(message in m for m in exc.value.messages), exc.value.messages
    assert not Intervention.objects.exists()


def test_refused_update_changes_nothing(cast, english):
    item = intervention(cast.sector)
    with pytest.raises(ValidationError):
        services.intervention_update(intervention=item, spec=spec(tariff=Decimal("-5"), name_en="Other"))
    item.refresh_from_db()
    assert item.tariff == Decimal("95")
    assert item.name_en == "Mental coaching"


def test_approval_by_care_coordinator_is_accepted(cast):
    item = intervention(cast.sector, approval_required=True, approver="care_coordinator")
    assert item.approval_required
    assert item.approver == "care_coordinator"


def test_database_refuses_an_intervention_without_access_route(cast):
    from django.db import IntegrityError, transaction

    item = intervention(cast.sector)
    with pytest.raises(IntegrityError), transaction.atomic():
        Intervention.objects.filter(pk=item.pk).update(
            route_direct=False, route_manager=False, route_hr=False, route_company_doctor=False
        )
