"""Providers: quality marks, tariffs, own networks and staff links."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from vitaal.care import services
from vitaal.care.models import Provider, ProviderTariff, QualityMarkStatus, Region

from .support import intervention, provider

TODAY = date(2026, 3, 1)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_the_twelve_provinces_are_seeded(db):
    assert Region.objects.count() == 12
    assert set(Region.objects.values_list("code", flat=True)) >= {"GR", "NH", "ZH", "LI", "ZE"}


@pytest.mark.parametrize(
    ("valid_until", "status"),
    [
        (None, QualityMarkStatus.VALID),
        (TODAY + timedelta(days=91), QualityMarkStatus.VALID),
        (TODAY + timedelta(days=90), QualityMarkStatus.EXPIRING),
        (TODAY, QualityMarkStatus.EXPIRING),
        (TODAY - timedelta(days=1), QualityMarkStatus.EXPIRED),
    ],
)
def test_quality_mark_status_is_derived_from_its_end_date(valid_until, status):
    p = Provider(quality_mark="NOBCO", quality_mark_valid_until=valid_until)
    assert p.quality_mark_status_on(TODAY) == status


def test_provider_without_quality_mark_has_status_none():
    assert Provider().quality_mark_status_on(TODAY) == QualityMarkStatus.NONE


def test_quality_mark_cannot_expire_before_it_was_obtained(cast, english):
    with pytest.raises(ValidationError) as exc:
        provider(
            cast.sector,
            quality_mark="NIP",
            quality_mark_obtained_on=date(2025, 1, 1),
            quality_mark_valid_until=date(2024, 1, 1),
        )
    assert "cannot expire before it was obtained" in str(exc.value)
    assert not Provider.objects.exists()


def test_tariff_for_an_intervention_the_provider_does_not_offer_is_refused(cast, english):
    offered = intervention(cast.sector)
    other = intervention(cast.sector, code="mediation")
    p = provider(cast.sector, offers=(offered,))
    services.provider_tariff_set(provider=p, intervention=offered, tariff=Decimal("90"), valid_from=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.provider_tariff_set(provider=p, intervention=other, tariff=Decimal("90"), valid_from=TODAY)
    assert "does not offer this intervention" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.provider_tariff_set(provider=p, intervention=offered, tariff=Decimal("-1"), valid_from=TODAY)
    assert "cannot be negative" in str(exc.value)
    assert list(ProviderTariff.objects.values_list("tariff", flat=True)) == [Decimal("90")]


def test_tariff_in_force_is_the_latest_that_started(cast):
    offered = intervention(cast.sector)
    p = provider(cast.sector, offers=(offered,))
    services.provider_tariff_set(
        provider=p, intervention=offered, tariff=Decimal("90"), valid_from=date(2025, 1, 1)
    )
    services.provider_tariff_set(
        provider=p, intervention=offered, tariff=Decimal("95"), valid_from=date(2026, 1, 1)
    )
    assert p.tariff_for(offered, on=date(2025, 6, 1)).tariff == Decimal("90")
    assert p.tariff_for(offered, on=date(2026, 6, 1)).tariff == Decimal("95")
    assert p.tariff_for(offered, on=date(2024, 6, 1)) is None


def test_unknown_region_is_refused(cast, english):
    with pytest.raises(ValidationError) as exc:
        provider(cast.sector, regions=frozenset({"XX"}))
    assert "Unknown value(s): XX." in str(exc.value)


def test_own_network_provider_is_seen_by_its_organisation_and_the_sector_only(cast):
    shared = provider(cast.sector, "shared")
    own_a = provider(cast.sector, "own-a", organisation=cast.a.organisation)
    for name in ("employee", "manager", "org_admin", "hr", "sector_admin", "care_coordinator"):
        assert set(Provider.objects.visible_to(cast.user(name))) == {shared, own_a}, name
    for name in ("employee_b", "org_admin_b", "hr_b", "company_doctor_b"):
        assert set(Provider.objects.visible_to(cast.user(name))) == {shared}, name


def test_provider_staff_link_needs_the_provider_role(cast, english):
    p = provider(cast.sector)
    member = services.provider_member_add(provider=p, user=cast.user("provider"))
    assert member.provider == p
    with pytest.raises(ValidationError) as exc:
        services.provider_member_add(provider=p, user=cast.user("hr"))
    assert "does not hold the care provider role" in str(exc.value)
