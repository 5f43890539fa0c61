"""Referrals and care requests: how an employee gets an intervention from the package.

Everything here is health data (DESIGN rule 1): even the fact that a request exists. Reads
go through ``vitaal.care.access`` (``visible_to``) and the selectors, writes through
``vitaal.care.workflow``. The status machine lives in ``workflow.TRANSITIONS``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.core.models.append_only import AppendOnlyModel

from .catalog import NOT_NEGATIVE


class ReferrerRole(models.TextChoices):
    """The employer-side roles that may refer (the access routes of Bartels ch. 3)."""

    MANAGER = "manager", _("Manager")
    HR = "hr", _("HR advisor")
    COMPANY_DOCTOR = "company_doctor", _("Company doctor")


class ReferralAnswer(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: Any) -> ReferralQuerySet:
        from vitaal.care.access import scope_referrals

        return scope_referrals(self, user)


class Referral(models.Model):
    """A manager, HR advisor or company doctor pointing an employee to an intervention.
    The employee decides: accepting starts a care request, declining ends it. The referrer
    knows they referred, and nothing after (DESIGN rule 1)."""

    person = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, related_name="care_referrals", verbose_name=_("employee")
    )
    intervention = models.ForeignKey(
        "care.Intervention",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("intervention"),
    )
    referred_by = models.ForeignKey(
        "core.User",
        on_delete=models.PROTECT,
        related_name="care_referrals_made",
        verbose_name=_("referred by"),
    )
    referrer_role = models.CharField(_("referred as"), max_length=20, choices=ReferrerRole.choices)
    note = models.TextField(_("note for the employee"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("referred at"), default=timezone.now)
    answer = models.CharField(
        _("answer"), max_length=10, choices=ReferralAnswer.choices, default=ReferralAnswer.OPEN
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer="open", answered_at__isnull=True)
                | (~Q(answer="open") & Q(answered_at__isnull=False)),
                name="referral_answered_at_with_answer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_referrer_role_display()} → {self.person_id}"


class RequestRoute(models.TextChoices):
    DIRECT = "direct", _("Direct request by the employee")
    REFERRAL = "referral", _("After a referral")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    ASSIGNED = "assigned", _("Assigned to a provider")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED_BY_PROVIDER = "declined_by_provider", _("Declined by the provider")


CLOSED_STATUSES = frozenset({RequestStatus.COMPLETED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN})


class CareRequestQuerySet(models.QuerySet["CareRequest"]):
    def visible_to(self, user: Any) -> CareRequestQuerySet:
        from vitaal.care.access import scope_care_requests

        return scope_care_requests(self, user)

    def open(self) -> CareRequestQuerySet:
        return self.exclude(status__in=CLOSED_STATUSES)


class CareRequest(models.Model):
    """An employee's request for one intervention, from submission to completion. Only the
    employee, the care coordinator, the assigned provider and (for their own referrals or
    approvals) the company doctor ever see it."""

    person = models.ForeignKey(
        "core.Person", on_delete=models.PROTECT, related_name="care_requests", verbose_name=_("employee")
    )
    # Copied from the person so that scoping is one indexed filter.
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="care_requests",
        verbose_name=_("organisation"),
    )
    intervention = models.ForeignKey(
        "care.Intervention",
        on_delete=models.PROTECT,
        related_name="care_requests",
        verbose_name=_("intervention"),
    )
    route = models.CharField(_("route"), max_length=10, choices=RequestRoute.choices)
    referral = models.OneToOneField(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_request",
        verbose_name=_("referral"),
    )
    status = models.CharField(
        _("status"), max_length=30, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    provider = models.ForeignKey(
        "care.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_requests",
        verbose_name=_("provider"),
    )
    description = models.TextField(_("your own description"), blank=True, max_length=4000)
    sessions_planned = models.PositiveSmallIntegerField(_("sessions planned"), null=True, blank=True)
    closed_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CareRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("care request")
        verbose_name_plural = _("care requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            # A provider's lists: new and in progress by status, closed newest first.
            models.Index(fields=["provider", "status", "-updated_at"], name="care_request_provider_status"),
            models.Index(fields=["provider", "-updated_at"], name="care_request_provider_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(route="direct", referral__isnull=True)
                | Q(route="referral", referral__isnull=False),
                name="care_request_route_matches_referral",
            ),
            models.CheckConstraint(
                condition=Q(provider__isnull=False) | ~Q(status__in=["assigned", "in_progress", "completed"]),
                name="care_request_provider_when_assigned",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()})"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.person_id and self.organisation_id and self.person.organisation_id != self.organisation_id:
            errors["organisation"] = _("The request must belong to the employee's organisation.")
        if self.intervention_id and self.organisation_id:
            if self.intervention.sector_id != self.organisation.sector_id:
                errors["intervention"] = _("This intervention belongs to another sector.")
            max_sessions = self.intervention.max_sessions
            if self.sessions_planned is not None and max_sessions and self.sessions_planned > max_sessions:
                errors["sessions_planned"] = _("At most %(max)d sessions can be planned.") % {
                    "max": max_sessions
                }
        if errors:
            raise ValidationError(errors)


class RequestEvent(AppendOnlyModel):
    """One step in a request's history: who moved it from which status to which, and why.
    Append-only."""

    request = models.ForeignKey(
        CareRequest, on_delete=models.PROTECT, related_name="events", verbose_name=_("request")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        "core.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(_("from"), max_length=30, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=30, choices=RequestStatus.choices)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)

    change_refused = _("The history of a request cannot be changed.")
    removal_refused = _("The history of a request cannot be removed.")
    append_only_error = ValidationError

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class DeliverySession(models.Model):
    """One session the assigned provider delivered for a request, with its cost. The
    provider's note is seen by the provider, the care coordinator and the employee."""

    request = models.ForeignKey(
        CareRequest, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("request")
    )
    provider = models.ForeignKey(
        "care.Provider",
        on_delete=models.PROTECT,
        related_name="delivery_sessions",
        verbose_name=_("provider"),
    )
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    cost = models.DecimalField(
        _("cost (EUR)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(NOT_NEGATIVE)]
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    registered_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery session")
        verbose_name_plural = _("delivery sessions")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="delivery_session_cost_not_negative"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=1), name="delivery_session_duration"),
        ]

    def __str__(self) -> str:
        return f"{self.date} ({self.duration_minutes} min)"


class Helped(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class Evaluation(models.Model):
    """The employee's own verdict on a completed request: did it help, and a grade."""

    request = models.OneToOneField(
        CareRequest, on_delete=models.PROTECT, related_name="evaluation", verbose_name=_("request")
    )
    helped = models.CharField(_("did it help?"), max_length=10, choices=Helped.choices)
    grade = models.PositiveSmallIntegerField(
        _("grade (1-10)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=10), name="evaluation_grade_range")
        ]

    def __str__(self) -> str:
        return f"{self.grade}/10"
