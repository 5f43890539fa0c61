"""Collective activities: workshops and group sessions from the package, for one
organisation or the whole sector, with enrolment by employees and a go/no-go decision at
the enrolment deadline.

Who enrols is health data too (a workshop on sleep or stress says something), so the list
of participants is seen only by the care coordinator and the staff of the provider that
runs the activity; employer-side roles see at most the number of places taken.
Writes go through ``vitaal.care.collective``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActivityStatus(models.TextChoices):
    OPEN = "open", _("Open for enrolment")
    GO = "go", _("Takes place")
    CANCELLED = "cancelled", _("Cancelled")


class CollectiveActivityQuerySet(models.QuerySet["CollectiveActivity"]):
    def visible_to(self, user: Any) -> CollectiveActivityQuerySet:
        from vitaal.care.collective import scope_activities

        return scope_activities(self, user)


class CollectiveActivity(models.Model):
    """One workshop or group session: when and where, how many places, the minimum number
    of participants for it to go ahead, and the deadline by which that is decided.
    Without an organisation it is open to every employee of the sector."""

    sector = models.ForeignKey(
        "core.Sector",
        on_delete=models.PROTECT,
        related_name="collective_activities",
        verbose_name=_("sector"),
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collective_activities",
        verbose_name=_("organisation"),
        help_text=_("Leave empty for an activity open to the whole sector."),
    )
    intervention = models.ForeignKey(
        "care.Intervention",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collective_activities",
        verbose_name=_("intervention"),
    )
    provider = models.ForeignKey(
        "care.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collective_activities",
        verbose_name=_("provider"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    location = models.CharField(_("location"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    min_participants = models.PositiveSmallIntegerField(
        _("minimum participants"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    enrolment_deadline = models.DateTimeField(_("enrolment deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.OPEN
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = CollectiveActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("collective activity")
        verbose_name_plural = _("collective activities")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "enrolment_deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_participants__lte=models.F("capacity")),
                name="collective_min_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(enrolment_deadline__lte=models.F("starts_at")),
                name="collective_deadline_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.capacity and self.min_participants and self.min_participants > self.capacity:
            errors["min_participants"] = _("The minimum cannot be more than the number of places.")
        if self.starts_at and self.enrolment_deadline and self.enrolment_deadline > self.starts_at:
            errors["enrolment_deadline"] = _("The enrolment deadline must fall before the start.")
        org = self.organisation if self.organisation_id else None
        if org is not None and self.sector_id and org.sector_id != self.sector_id:
            errors["organisation"] = _("This organisation belongs to another sector.")
        intervention = self.intervention if self.intervention_id else None
        if intervention is not None and self.sector_id and intervention.sector_id != self.sector_id:
            errors["intervention"] = _("This intervention belongs to another sector.")
        provider = self.provider if self.provider_id else None
        if provider is not None and self.sector_id and provider.sector_id != self.sector_id:
            errors["provider"] = _("This provider belongs to another sector.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status == ActivityStatus.OPEN and timezone.now() <= self.enrolment_deadline


class Enrolment(models.Model):
    """An employee's place in a collective activity."""

    activity = models.ForeignKey(
        CollectiveActivity, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("activity")
    )
    person = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, related_name="care_enrolments", verbose_name=_("employee")
    )
    created_at = models.DateTimeField(_("enrolled at"), default=timezone.now)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                name="enrolment_once_per_person",
                violation_error_message=_("You are already enrolled."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.activity_id}"
