"""Writes for phase registrations (annex A): save a draft, submit it, and let the
organisation's contact person verify it. A verified registration is frozen."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.core.models import User
from vitaal.igm.access import is_contact_person
from vitaal.igm.models import Phase, PhaseRegistration, RegistrationStatus
from vitaal.igm.models.registration import REGISTRATION_VERIFIED


def _lock(registration: PhaseRegistration) -> PhaseRegistration:
    return (
        PhaseRegistration.objects.select_for_update()
        .select_related("phase__cycle__organisation")
        .get(pk=registration.pk)
    )


@transaction.atomic
def phase_registration_save(
    *, phase: Phase, values: Mapping[str, Any], recorded_by: User | None = None
) -> PhaseRegistration:
    """Create or change the registration of a phase. Changing a submitted registration
    sends it back to draft: what the contact person verifies must be what they read."""
    unknown = set(values) - set(PhaseRegistration.CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown registration fields: {sorted(unknown)}")
    existing = PhaseRegistration.objects.filter(phase=phase).first()
    registration = _lock(existing) if existing else PhaseRegistration(phase=phase)
    if registration.is_verified:
        raise ValidationError(REGISTRATION_VERIFIED)
    for field, value in values.items():
        setattr(registration, field, value)
    if recorded_by is not None:
        registration.recorded_by = recorded_by
    registration.status = RegistrationStatus.DRAFT
    registration.submitted_at = None
    registration.full_clean()
    registration.save()
    return registration


@transaction.atomic
def phase_registration_submit(*, registration: PhaseRegistration) -> PhaseRegistration:
    registration = _lock(registration)
    if registration.is_verified:
        raise ValidationError(REGISTRATION_VERIFIED)
    if registration.status != RegistrationStatus.DRAFT:
        raise ValidationError(_("This registration has already been submitted."))
    registration.status = RegistrationStatus.SUBMITTED
    registration.submitted_at = timezone.now()
    registration.full_clean()
    registration.save(update_fields=["status", "submitted_at", "updated_at"])
    return registration


@transaction.atomic
def phase_registration_verify(*, registration: PhaseRegistration, by: User) -> PhaseRegistration:
    """The contact person (coordinator or org admin of the organisation) confirms that the
    registration is right."""
    registration = _lock(registration)
    if registration.is_verified:
        raise ValidationError(REGISTRATION_VERIFIED)
    if not is_contact_person(by, registration.organisation.pk):
        raise ValidationError(
            _("Only the organisation's contact person (its coordinator or administrator) can verify this.")
        )
    if registration.status != RegistrationStatus.SUBMITTED:
        raise ValidationError(_("Submit the registration before it is verified."))
    registration.status = RegistrationStatus.VERIFIED
    registration.verified_by = by
    registration.verified_at = timezone.now()
    registration.full_clean()
    registration.save(update_fields=["status", "verified_by", "verified_at", "updated_at"])
    return registration
