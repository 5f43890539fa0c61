"""Who may read and run an improvement cycle, per role of the cast, and the phase
registration workflow (draft → submitted → verified by the contact person only)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from vitaal.core.models import Membership
from vitaal.core.roles import Role
from vitaal.core.testing import ORG_ROLES, SECTOR_ROLES
from vitaal.igm.models import Cycle, PhaseRegistration, PhaseStep, RegistrationStatus
from vitaal.igm.services import (
    phase_registration_save,
    phase_registration_submit,
    phase_registration_verify,
)

EDITORS = {"coordinator", "org_admin", "advisor"}
READERS = EDITORS | {"management", "works_council"}
ADVISERS = EDITORS | {"works_council"}
CONTACT = {"coordinator", "org_admin"}


@pytest.fixture
def registration(cycle, cast):
    return phase_registration_save(
        phase=cycle.phases.get(number=1),
        values={
            "activities_as_planned": "Startnotitie geschreven en besproken in de stuurgroep.",
            "dilemmas": "Wel of niet meteen alle eenheden meenemen.",
            "investment_hours": Decimal("42.5"),
            "investment_eur": Decimal("1250.00"),
            "enthusiasm": "more",
            "tangible_results": "Budget voor twee jaar.",
        },
        recorded_by=cast.user("advisor"),
    )


def test_cycle_permissions_per_role(cast, cycle):
    step = PhaseStep.objects.filter(phase__cycle=cycle).first()
    for role in ORG_ROLES:
        user = cast.user(role)
        assert user.has_perm("igm.view_cycle", cycle) == (role in READERS), role
        assert user.has_perm("igm.view_cycle", step) == (role in READERS), role
        assert user.has_perm("igm.change_cycle", cycle) == (role in EDITORS), role
        assert user.has_perm("igm.change_cycle", step) == (role in EDITORS), role
        assert user.has_perm("igm.advise_cycle", cycle) == (role in ADVISERS), role
        assert user.has_perm("igm.add_cycle", cast.a.organisation) == (role in EDITORS), role
        assert user.has_perm("igm.view_storedsignal", cycle) == (role in READERS), role


def test_visible_to_matches_the_permissions(cast, cycle):
    for role in ORG_ROLES:
        user = cast.user(role)
        assert Cycle.objects.visible_to(user).filter(pk=cycle.pk).exists() == (role in READERS), role
        assert Cycle.objects.visible_to(user, "change").filter(pk=cycle.pk).exists() == (role in EDITORS), (
            role
        )
        assert Cycle.objects.visible_to(user, "advise").filter(pk=cycle.pk).exists() == (role in ADVISERS), (
            role
        )
    with pytest.raises(ValueError):
        Cycle.objects.visible_to(cast.user("coordinator"), "delete")


def test_organisation_b_and_the_sector_roles_get_nothing(cast, cycle, registration):
    for role in ORG_ROLES:
        user = cast.user(f"{role}_b")
        for perm in ("igm.view_cycle", "igm.change_cycle", "igm.advise_cycle"):
            assert not user.has_perm(perm, cycle), (role, perm)
        assert not user.has_perm("igm.change_phaseregistration", registration), role
        assert not user.has_perm("igm.verify_phaseregistration", registration), role
        assert not Cycle.objects.visible_to(user).exists(), role
    for role in SECTOR_ROLES:
        assert not cast.user(role).has_perm("igm.view_cycle", cycle), role
        assert not Cycle.objects.visible_to(cast.user(role)).exists(), role


def test_unit_management_reads_but_does_not_run_the_cycle(cast, cycle):
    user = cast.user("employee")
    Membership.objects.create(
        user=user,
        role=Role.MANAGEMENT,
        sector=cast.sector,
        organisation=cast.a.organisation,
        unit=cast.a.team1,
    )
    assert user.has_perm("igm.view_cycle", cycle)
    assert not user.has_perm("igm.change_cycle", cycle)
    assert list(Cycle.objects.visible_to(user)) == [cycle]


def test_registration_permissions(cast, registration):
    for role in ORG_ROLES:
        user = cast.user(role)
        assert user.has_perm("igm.view_cycle", registration) == (role in READERS), role
        assert user.has_perm("igm.change_phaseregistration", registration) == (role in EDITORS), role
        assert user.has_perm("igm.verify_phaseregistration", registration) == (role in CONTACT), role


def test_registration_keeps_every_annex_a_field(registration):
    stored = PhaseRegistration.objects.get(pk=registration.pk)
    assert stored.status == RegistrationStatus.DRAFT
    assert stored.investment_hours == Decimal("42.5")
    assert stored.investment_eur == Decimal("1250.00")
    for name in PhaseRegistration.CONTENT_FIELDS:
        assert hasattr(stored, name), name


def test_unknown_registration_fields_are_refused(cycle):
    with pytest.raises(ValueError):
        phase_registration_save(phase=cycle.phases.get(number=0), values={"status": "verified"})


def test_negative_investments_are_refused(cycle, registration):
    with pytest.raises(ValidationError):
        phase_registration_save(phase=registration.phase, values={"investment_hours": Decimal("-1")})
    registration.refresh_from_db()
    assert registration.investment_hours == Decimal("42.5")


def test_registration_workflow_draft_submitted_verified(cast, registration):
    with pytest.raises(ValidationError) as exc:
        phase_registration_verify(registration=registration, by=cast.user("coordinator"))
    assert "Submit the registration" in str(exc.value)
    registration = phase_registration_submit(registration=registration)
    assert registration.status == RegistrationStatus.SUBMITTED
    with pytest.raises(ValidationError):
        phase_registration_submit(registration=registration)
    registration = phase_registration_verify(registration=registration, by=cast.user("coordinator"))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.VERIFIED
    assert registration.verified_by == cast.user("coordinator")
    assert registration.verified_at is not None
    assert not cast.user("coordinator").has_perm("igm.change_phaseregistration", registration)


def test_changing_a_submitted_registration_sends_it_back_to_draft(registration):
    phase_registration_submit(registration=registration)
    changed = phase_registration_save(phase=registration.phase, values={"most_striking": "De opkomst."})
    assert changed.status == RegistrationStatus.DRAFT
    assert changed.submitted_at is None


@pytest.mark.parametrize(
    "role", ["advisor", "management", "works_council", "hr", "employee", "coordinator_b"]
)
def test_only_the_contact_person_verifies(cast, registration, role):
    registration = phase_registration_submit(registration=registration)
    with pytest.raises(ValidationError) as exc:
        phase_registration_verify(registration=registration, by=cast.user(role))
    assert "contact person" in str(exc.value)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.verified_by is None


def test_the_org_admin_is_a_contact_person_too(cast, registration):
    registration = phase_registration_submit(registration=registration)
    registration = phase_registration_verify(registration=registration, by=cast.user("org_admin"))
    assert registration.status == RegistrationStatus.VERIFIED


def test_a_verified_registration_is_read_only(cast, registration):
    registration = phase_registration_submit(registration=registration)
    registration = phase_registration_verify(registration=registration, by=cast.user("coordinator"))
    with pytest.raises(ValidationError) as exc:
        phase_registration_save(phase=registration.phase, values={"dilemmas": "Anders"})
    assert "verified" in str(exc.value)
    with pytest.raises(ValidationError):
        phase_registration_submit(registration=registration)
    with pytest.raises(ValidationError):
        phase_registration_verify(registration=registration, by=cast.user("org_admin"))
    registration.refresh_from_db()
    assert registration.dilemmas == "Wel of niet meteen alle eenheden meenemen."
    assert registration.verified_by == cast.user("coordinator")


def test_registrations_are_per_phase(cycle, registration):
    other = phase_registration_save(phase=cycle.phases.get(number=2), values={"shareable": True})
    assert other.pk != registration.pk
    assert PhaseRegistration.objects.filter(phase__cycle=cycle).count() == 2
