"""Catalog, package and provider pages: filters, verdict editing by the sector admin,
own-network providers per organisation, tariffs, and query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from vitaal.care import services
from vitaal.care.models import PackageItem, Provider, ProviderTariff
from vitaal.core.testing import login

from .access_api import COACHING, ApiWorld, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast) -> ApiWorld:
    return build_world(cast)


@pytest.fixture
def client(client):
    """Pages in English, so the assertions can read the English texts."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def page(client, cast, role: str, name: str, **kwargs):
    login(client, cast.user(role))
    return client.get(reverse(name, kwargs=kwargs or None))


def test_catalog_lists_entries_with_verdict_and_financing(client, cast, world):
    html = page(client, cast, "hr", "care:catalog_list").content.decode()
    assert "Coaching for work stress" in html and "Physiotherapy" in html
    assert "Unique to the package" in html and "Supplementary health insurance" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("theme=physical", "Physiotherapy", "Coaching for work stress"),
        ("unique=yes", "Coaching for work stress", "Physiotherapy"),
        ("unique=no", "Physiotherapy", "Coaching for work stress"),
        ("stage=prevention", "Coaching for work stress", "Physiotherapy"),
        ("form=online", "Coaching for work stress", "Physiotherapy"),
        ("route=manager", "Coaching for work stress", "Physiotherapy"),
        ("q=fysio", "Physiotherapy", "Coaching for work stress"),
    ],
)
def test_catalog_filters(client, cast, world, query, shown, hidden):
    login(client, cast.user("care_coordinator"))
    html = client.get(reverse("care:catalog_list") + "?" + query).content.decode()
    assert shown in html and hidden not in html


def test_bad_filter_shows_everything_with_an_error(client, cast, world):
    login(client, cast.user("hr"))
    response = client.get(reverse("care:catalog_list") + "?theme=nonsense")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_intervention_detail_shows_where_else_it_is_covered(client, cast, world):
    html = page(client, cast, "manager", "care:intervention_detail", pk=world.physio.pk).content.decode()
    assert "Also covered by:" in html and "Supplementary health insurance" in html
    assert "Supplementary insurance." in html  # the package's alternative
    html = page(client, cast, "manager", "care:intervention_detail", pk=world.coaching.pk).content.decode()
    assert "Unique to the package" in html and "Balans Coaching" in html and "Much asked for." in html


def test_inactive_entry_is_hidden_except_for_the_sector_admin(client, cast, world):
    world.physio.is_active = False
    world.physio.save()
    assert page(client, cast, "hr", "care:intervention_detail", pk=world.physio.pk).status_code == 404
    assert (
        page(client, cast, "sector_admin", "care:intervention_detail", pk=world.physio.pk).status_code == 200
    )


def test_draft_package_is_only_for_the_sector_admin(client, cast, world):
    assert page(client, cast, "org_admin", "care:package_detail", pk=world.draft.pk).status_code == 404
    html = page(client, cast, "sector_admin", "care:package_detail", pk=world.draft.pk).content.decode()
    assert "Publish this package" in html and "Physiotherapy" in html  # not yet assessed


def test_sector_admin_sets_a_verdict(client, cast, world):
    login(client, cast.user("sector_admin"))
    url = reverse("care:package_item_edit", kwargs={"pk": world.draft.pk, "intervention": world.physio.pk})
    data = {
        "verdict": "out",
        "rationale_nl": "Betaald door de aanvullende verzekering.",
        "rationale_en": "Paid by supplementary insurance.",
        "alternative_nl": "Aanvullende verzekering",
        "alternative_en": "Supplementary insurance",
        "financing": ["supplementary_insurance"],
    }
    assert client.post(url, data).status_code == 302
    item = PackageItem.objects.get(package=world.draft, intervention=world.physio)
    assert item.verdict == "out" and item.covered_by_supplementary_insurance


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rationale_en": "  "}, "Give the reason for this verdict."),
        ({"verdict": "maybe"}, "Select a valid choice"),
        ({"verdict": "in", "alternative_nl": "Elders"}, "Alternatives are recorded only"),
    ],
)
def test_bad_verdict_changes_nothing(client, cast, world, changes, message):
    login(client, cast.user("sector_admin"))
    url = reverse("care:package_item_edit", kwargs={"pk": world.draft.pk, "intervention": world.coaching.pk})
    data = {"verdict": "in", "rationale_nl": "Nieuw.", "rationale_en": "New.", **changes}
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    item = PackageItem.objects.get(package=world.draft, intervention=world.coaching)
    assert (item.verdict, item.rationale_en) == ("discuss", "Costly.")


def test_published_package_cannot_be_edited(client, cast, world):
    login(client, cast.user("sector_admin"))
    url = reverse(
        "care:package_item_edit", kwargs={"pk": world.package.pk, "intervention": world.coaching.pk}
    )
    response = client.post(url, {"verdict": "out", "rationale_nl": "x", "rationale_en": "x"})
    assert response.status_code == 302
    assert PackageItem.objects.get(package=world.package, intervention=world.coaching).verdict == "in"


@pytest.mark.parametrize("role", ["org_admin", "hr", "care_coordinator", "hr_b"])
def test_other_roles_cannot_set_verdicts(client, cast, world, role):
    login(client, cast.user(role))
    url = reverse("care:package_item_edit", kwargs={"pk": world.draft.pk, "intervention": world.coaching.pk})
    assert client.post(url, {"verdict": "out", "rationale_nl": "x", "rationale_en": "x"}).status_code == 404
    assert PackageItem.objects.get(package=world.draft, intervention=world.coaching).verdict == "discuss"


def test_publishing_an_empty_package_is_refused(client, cast, world):
    login(client, cast.user("sector_admin"))
    client.post(reverse("care:package_publish", kwargs={"pk": world.empty_draft.pk}))
    world.empty_draft.refresh_from_db()
    assert not world.empty_draft.is_published
    client.post(reverse("care:package_publish", kwargs={"pk": world.draft.pk}))
    world.draft.refresh_from_db()
    assert world.draft.is_published


# --- Providers --------------------------------------------------------------------------

OWN = {
    "name": "Praktijk Om de Hoek",
    "city": "Amersfoort",
    "regions": [],
    "interventions": [],
    "quality_mark": "LVVP",
    "quality_mark_obtained_on": "2024-01-01",
    "quality_mark_valid_until": "2028-01-01",
}


def _own_data(world: ApiWorld) -> dict:
    from vitaal.care.models import Region

    return {**OWN, "regions": [Region.objects.get(code="UT").pk], "interventions": [world.coaching.pk]}


def test_org_admin_adds_an_own_network_provider_seen_only_by_its_organisation(client, cast, world):
    login(client, cast.user("org_admin"))
    url = reverse("care:own_provider_create", kwargs={"org": cast.a.organisation.slug})
    response = client.post(url, _own_data(world))
    assert response.status_code == 302
    provider = Provider.objects.get(name="Praktijk Om de Hoek")
    assert provider.added_by_organisation == cast.a.organisation
    client.post(
        reverse("care:provider_tariff_add", kwargs={"pk": provider.pk}),
        {"intervention": "api-coaching", "tariff": "85.00", "valid_from": "2026-01-01"},
    )
    assert ProviderTariff.objects.get(provider=provider).tariff == Decimal("85.00")
    assert "Praktijk Om de Hoek" in page(client, cast, "hr", "care:provider_list").content.decode()
    for role in ("hr_b", "org_admin_b", "employee_b"):
        assert "Praktijk Om de Hoek" not in page(client, cast, role, "care:provider_list").content.decode()
        assert page(client, cast, role, "care:provider_detail", pk=provider.pk).status_code == 404


def test_bad_own_provider_changes_nothing(client, cast, world):
    login(client, cast.user("org_admin"))
    url = reverse("care:own_provider_create", kwargs={"org": cast.a.organisation.slug})
    data = {**_own_data(world), "quality_mark_valid_until": "2020-01-01"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "cannot expire before it was obtained" in response.content.decode()
    response = client.post(url, {**_own_data(world), "regions": []})
    assert response.status_code == 400
    assert not Provider.objects.filter(name="Praktijk Om de Hoek").exists()


@pytest.mark.parametrize(("role", "status"), [("hr", 403), ("org_admin_b", 404), ("sector_admin", 403)])
def test_only_the_organisations_admin_adds_own_providers(client, cast, world, role, status):
    login(client, cast.user(role))
    url = reverse("care:own_provider_create", kwargs={"org": cast.a.organisation.slug})
    assert client.post(url, _own_data(world)).status_code == status
    assert not Provider.objects.filter(name="Praktijk Om de Hoek").exists()


def test_tariffs_bad_input_and_wrong_role_change_nothing(client, cast, world):
    url = reverse("care:provider_tariff_add", kwargs={"pk": world.provider.pk})
    login(client, cast.user("sector_admin"))
    response = client.post(url, {"intervention": "api-physio", "tariff": "-5", "valid_from": "2026-01-01"})
    assert response.status_code == 400
    login(client, cast.user("org_admin"))  # a shared provider is the sector admin's
    assert (
        client.post(
            url, {"intervention": "api-physio", "tariff": "5", "valid_from": "2026-01-01"}
        ).status_code
        == 403
    )
    assert not ProviderTariff.objects.filter(intervention=world.physio).exists()


def test_provider_pages_show_regions_expertise_quality_mark_and_tariffs(client, cast, world):
    html = page(client, cast, "employee", "care:provider_detail", pk=world.provider.pk).content.decode()
    assert "Utrecht" in html and "Gelderland" in html and "NOBCO" in html and "92.00" in html
    assert "valid" in html
    filtered = client.get(reverse("care:provider_list") + "?region=" + str(world.provider.regions.first().pk))
    assert "Balans Coaching" in filtered.content.decode()


def test_list_pages_query_counts_do_not_grow(client, cast, world, django_assert_max_num_queries):
    login(client, cast.user("sector_admin"))
    urls = [reverse(n) for n in ("care:catalog_list", "care:provider_list", "care:package_list")]
    urls.append(reverse("care:package_detail", kwargs={"pk": world.draft.pk}))
    counts = []
    for url in urls:
        with django_assert_max_num_queries(40) as q:
            assert client.get(url).status_code == 200
        counts.append(len(q.captured_queries))
    for n in range(6):
        code = f"more-{n}"
        intervention = services.intervention_create(sector=cast.sector, spec=_spec(code))
        services.package_item_set(
            package=world.draft, intervention=intervention, verdict="in", rationale_nl="r", rationale_en="r"
        )
        services.provider_create(
            sector=cast.sector,
            spec=services.ProviderSpec(
                code=code, name=f"P {n}", regions=frozenset({"UT", "NH"}), expertise=frozenset()
            ),
        )
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url)


def _spec(code: str) -> services.InterventionSpec:
    from dataclasses import replace

    return replace(COACHING, code=code)


def test_start_page_and_navigation(client, cast, world):
    html = page(client, cast, "sector_admin", "core:home").content.decode()
    assert "Review and publish the draft package" in html
    assert reverse("care:catalog_list") in html
    html = page(client, cast, "hr", "core:home").content.decode()
    assert "Review and publish the draft package" not in html and reverse("care:catalog_list") in html
    assert reverse("care:catalog_list") not in page(client, cast, "employee", "core:home").content.decode()
