"""Permission predicates of the care app."""

from __future__ import annotations

import pytest

from vitaal.care.models import Intervention
from vitaal.core.models import Sector
from vitaal.core.testing import ORG_ROLES

from .support import intervention, provider

EVERYONE = [*ORG_ROLES, *(f"{r}_b" for r in ORG_ROLES), "sector_admin", "care_coordinator", "provider"]


@pytest.fixture
def catalog(cast):
    item = intervention(cast.sector)
    return {
        "intervention": item,
        "shared": provider(cast.sector, "shared", offers=(item,)),
        "own_a": provider(cast.sector, "own-a", organisation=cast.a.organisation),
        "own_b": provider(cast.sector, "own-b", organisation=cast.b.organisation),
    }


def test_everyone_in_the_sector_reads_the_catalog(cast, catalog):
    for name in EVERYONE:
        user = cast.user(name)
        assert user.has_perm("care.view_intervention", catalog["intervention"]), name
        assert list(Intervention.objects.visible_to(user)) == [catalog["intervention"]], name


def test_another_sector_reads_nothing(cast, catalog):
    other = Sector.objects.create(name="Mbo", slug="mbo")
    foreign = intervention(other, code="foreign")
    user = cast.user("employee")
    assert not user.has_perm("care.view_intervention", foreign)
    assert foreign not in Intervention.objects.visible_to(user)
    assert not cast.user("sector_admin").has_perm("care.change_intervention", foreign)


def test_inactive_entries_are_hidden_from_all_but_the_sector_admin(cast, catalog):
    Intervention.objects.update(is_active=False)
    item = Intervention.objects.get()
    assert not cast.user("employee").has_perm("care.view_intervention", item)
    assert not Intervention.objects.visible_to(cast.user("employee")).exists()
    assert cast.user("sector_admin").has_perm("care.view_intervention", item)


def test_only_the_sector_admin_edits_catalog_and_package(cast, catalog):
    for name in EVERYONE:
        user = cast.user(name)
        expected = name == "sector_admin"
        assert user.has_perm("care.change_intervention", catalog["intervention"]) is expected, name
        assert user.has_perm("care.change_intervention", cast.sector) is expected, name
        assert user.has_perm("care.change_package", cast.sector) is expected, name


def test_org_admin_edits_the_own_network_of_their_organisation_only(cast, catalog):
    org_admin_a, org_admin_b = cast.user("org_admin"), cast.user("org_admin_b")
    assert org_admin_a.has_perm("care.change_provider", catalog["own_a"])
    assert not org_admin_a.has_perm("care.change_provider", catalog["own_b"])
    assert not org_admin_a.has_perm("care.change_provider", catalog["shared"])
    assert org_admin_a.has_perm("care.add_own_provider", cast.a.organisation)
    assert not org_admin_a.has_perm("care.add_own_provider", cast.b.organisation)
    # Organisation B gets nothing of A's own network: not to edit, not even to see.
    assert not org_admin_b.has_perm("care.change_provider", catalog["own_a"])
    assert not org_admin_b.has_perm("care.view_provider", catalog["own_a"])
    for name in ORG_ROLES:
        assert not cast.user(f"{name}_b").has_perm("care.view_provider", catalog["own_a"]), name


def test_other_organisation_roles_cannot_edit_own_network_providers(cast, catalog):
    for name in ORG_ROLES:
        if name == "org_admin":
            continue
        assert not cast.user(name).has_perm("care.change_provider", catalog["own_a"]), name


def test_sector_admin_edits_every_provider_of_the_sector(cast, catalog):
    admin = cast.user("sector_admin")
    for key in ("shared", "own_a", "own_b"):
        assert admin.has_perm("care.change_provider", catalog[key]), key
        assert admin.has_perm("care.view_provider", catalog[key]), key
    assert not cast.user("care_coordinator").has_perm("care.change_provider", catalog["shared"])


def test_only_employees_may_fill_in_a_health_check(cast):
    assert cast.user("employee").has_perm("care.add_healthcheck")
    assert not cast.user("hr").has_perm("care.add_healthcheck")
    assert not cast.user("sector_admin").has_perm("care.add_healthcheck")
