"""Health checks belong to the employee: nobody else sees them, whatever their role."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from vitaal.care import services
from vitaal.care.models import HealthCheck
from vitaal.core.testing import ORG_ROLES, SECTOR_ROLES


@pytest.fixture
def checks(cast):
    own = services.health_check_record(person=cast.a.people["employee"], who5=[1, 1, 2, 1, 2], work_ability=4)
    managers = services.health_check_record(
        person=cast.a.people["manager"], who5=[4, 4, 4, 4, 4], work_ability=9
    )
    return own, managers


def test_stored_scores_are_derived_from_the_answers(checks):
    own, _managers = checks
    assert (own.who5_raw, own.who5_percentage) == (7, 28)
    assert own.depression_screen and own.poor_wellbeing and own.low_item
    assert own.wellbeing_band == "depression_risk"
    assert own.work_ability_band == "poor"
    assert own.result().see_company_doctor


def test_the_employee_sees_only_their_own_health_checks(cast, checks):
    own, managers = checks
    assert list(HealthCheck.objects.visible_to(cast.user("employee"))) == [own]
    # The manager is an employee too: they see their own check, never their team member's.
    assert list(HealthCheck.objects.visible_to(cast.user("manager"))) == [managers]


@pytest.mark.parametrize("role", [r for r in ORG_ROLES if r not in ("employee", "manager")])
def test_no_organisation_role_sees_anyones_health_check(cast, checks, role):
    for name in (role, f"{role}_b"):
        assert list(HealthCheck.objects.visible_to(cast.user(name))) == [], name
        own, managers = checks
        assert not cast.user(name).has_perm("care.view_healthcheck", own), name
        assert not cast.user(name).has_perm("care.view_healthcheck", managers), name


@pytest.mark.parametrize("role", SECTOR_ROLES)
def test_no_sector_role_sees_anyones_health_check(cast, checks, role):
    user = cast.user(role)
    assert list(HealthCheck.objects.visible_to(user)) == []
    assert not any(user.has_perm("care.view_healthcheck", c) for c in checks)


def test_other_organisation_employee_and_manager_see_nothing(cast, checks):
    for name in ("employee_b", "manager_b"):
        assert list(HealthCheck.objects.visible_to(cast.user(name))) == [], name


def test_anonymous_sees_nothing(checks):
    from django.contrib.auth.models import AnonymousUser

    assert list(HealthCheck.objects.visible_to(AnonymousUser())) == []


def test_permission_to_view_is_only_the_owners(cast, checks):
    own, managers = checks
    assert cast.user("employee").has_perm("care.view_healthcheck", own)
    assert not cast.user("employee").has_perm("care.view_healthcheck", managers)


def test_out_of_range_answers_are_refused_and_nothing_is_stored(cast):
    with translation.override("en"), pytest.raises(ValidationError):
        services.health_check_record(person=cast.a.people["employee"], who5=[6, 1, 1, 1, 1], work_ability=5)
    with pytest.raises(ValidationError):
        services.health_check_record(person=cast.a.people["employee"], who5=[1, 1, 1, 1], work_ability=5)
    with pytest.raises(ValidationError):
        services.health_check_record(person=cast.a.people["employee"], who5=[1, 1, 1, 1, 1], work_ability=11)
    assert not HealthCheck.objects.exists()
