"""The package per sector and year, and the finality of a published one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from vitaal.care import services
from vitaal.care.models import Package, PackageItem, PackageStatus

from .support import intervention

PUBLISHED = "This package has been published and can no longer be changed."


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def draft(cast):
    package = services.package_create(sector=cast.sector, year=2025)
    services.package_item_set(
        package=package,
        intervention=intervention(cast.sector),
        verdict="in",
        rationale_nl="Veel gevraagd.",
        rationale_en="Much asked for.",
    )
    return package


def test_one_package_per_sector_and_year(cast, draft, english):
    with pytest.raises(ValidationError) as exc:
        services.package_create(sector=cast.sector, year=2025)
    assert "already has a package for this year" in str(exc.value)
    assert draft.period_label == "2025-2026"


def test_out_item_records_where_it_is_still_available(cast, draft):
    physio = intervention(cast.sector, code="physiotherapy", financing=frozenset({"basic_insurance"}))
    item = services.package_item_set(
        package=draft,
        intervention=physio,
        verdict="out",
        rationale_nl="Elders vergoed.",
        rationale_en="Paid elsewhere.",
        alternative_nl="Via de zorgverzekering.",
        alternative_en="Through health insurance.",
        financing=["basic_insurance", "supplementary_insurance"],
    )
    assert item.symbol == "−"
    assert item.financing_sources == ["basic_insurance", "supplementary_insurance"]
    with translation.override("en"):
        assert item.alternative == "Through health insurance."


def test_in_item_cannot_carry_an_alternative(cast, draft, english):
    with pytest.raises(ValidationError) as exc:
        services.package_item_set(
            package=draft,
            intervention=intervention(cast.sector, code="other"),
            verdict="in",
            rationale_nl="x",
            rationale_en="x",
            alternative_en="Elsewhere",
        )
    assert "only for interventions that are out" in str(exc.value)


def test_published_package_cannot_be_edited(cast, draft, english):
    item = draft.items.get()
    published = services.package_publish(package=draft)
    assert published.status == PackageStatus.PUBLISHED
    assert published.published_at is not None

    with pytest.raises(ValidationError) as exc:
        services.package_item_set(
            package=draft, intervention=item.intervention, verdict="out", rationale_nl="x", rationale_en="x"
        )
    assert PUBLISHED in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.package_item_set(
            package=draft,
            intervention=intervention(cast.sector, code="new"),
            verdict="in",
            rationale_nl="x",
            rationale_en="x",
        )
    assert PUBLISHED in str(exc.value)
    with pytest.raises(ValidationError):
        services.package_item_remove(item=item)
    with pytest.raises(ValidationError):
        services.package_publish(package=draft)

    item.refresh_from_db()
    assert item.verdict == "in"
    assert PackageItem.objects.count() == 1


def test_model_validation_also_refuses_items_of_a_published_package(cast, draft, english):
    services.package_publish(package=draft)
    item = PackageItem.objects.get()
    item.rationale_en = "Changed behind the service's back"
    with pytest.raises(ValidationError) as exc:
        item.full_clean()
    assert PUBLISHED in str(exc.value)


def test_empty_package_cannot_be_published(cast, english):
    package = services.package_create(sector=cast.sector, year=2026)
    with pytest.raises(ValidationError) as exc:
        services.package_publish(package=package)
    assert "without interventions" in str(exc.value)
    assert Package.objects.get(pk=package.pk).status == PackageStatus.DRAFT


def test_drafts_are_only_visible_to_the_sector_admin(cast, draft):
    assert list(Package.objects.visible_to(cast.user("sector_admin"))) == [draft]
    assert not Package.objects.visible_to(cast.user("employee")).exists()
    services.package_publish(package=draft)
    for name in ("employee", "manager", "works_council_b", "care_coordinator", "provider"):
        assert list(Package.objects.visible_to(cast.user(name))) == [draft], name
