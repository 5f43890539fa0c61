"""The improvement cycle of integral health management: one run through phases 0-5 for an
organisation, with its checklist, its groups, its coordinator over time, its meetings and
the works council's advice.

A second cycle starts from the evaluation of the first (``previous``), with adjusted
plans; only one cycle per organisation is active at a time.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .framework import Framework, localized

# Messages shared by the models and the services.
ONE_ACTIVE_CYCLE = _("This organisation already has an active cycle; close it before starting a new one.")
DATES_OUT_OF_ORDER = _("The end date lies before the start date.")
OTHER_CYCLE = _("This belongs to another cycle.")
CYCLE_CLOSED = _("This cycle is closed and can no longer be changed.")


class CycleStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class PhaseNumber(models.IntegerChoices):
    CHOOSE = 0, _("0 Choose")
    PREPARE = 1, _("1 Prepare")
    START = 2, _("2 Start")
    PLAN = 3, _("3 Plan of approach")
    IMPLEMENT = 4, _("4 Implement")
    EVALUATE = 5, _("5 Evaluate")


class PhaseStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class StepStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


class Track(models.TextChoices):
    """Whether a step is carried out once for the whole organisation or by every unit."""

    CENTRAL = "central", _("Central")
    DECENTRAL = "decentral", _("Decentral (per unit)")


class GroupKind(models.TextChoices):
    STEERING = "steering", _("Steering group")
    PROJECT = "project", _("Project group")


class MeetingKind(models.TextChoices):
    STEERING = "steering", _("Steering group meeting")
    PROJECT = "project", _("Project group meeting")
    MONTHLY = "monthly", _("Monthly project meeting")
    OTHER = "other", _("Other meeting")


class AdviceSubject(models.TextChoices):
    START_MEMO = "start_memo", _("Start memo")
    PLAN = "plan", _("Plan of approach")
    OTHER = "other", _("Other")


class AdviceKind(models.TextChoices):
    ADVICE = "advice", _("Advice")
    CONSENT = "consent", _("Consent")


class AdviceOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    POSITIVE = "positive", _("Positive")
    CONDITIONAL = "conditional", _("Positive with conditions")
    NEGATIVE = "negative", _("Negative")


def _ordered(start: Any, end: Any, end_field: str) -> dict[str, Any]:
    if start is not None and end is not None and end < start:
        return {end_field: DATES_OUT_OF_ORDER}
    return {}


def _end_after_start(start: str, end: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message=DATES_OUT_OF_ORDER,
    )


class CycleQuerySet(models.QuerySet["Cycle"]):
    def visible_to(self, user: Any, action: str = "view") -> CycleQuerySet:
        from vitaal.igm.access import scope_cycles

        return scope_cycles(self, user, action)

    def active(self) -> CycleQuerySet:
        return self.filter(status=CycleStatus.ACTIVE)


class Cycle(models.Model):
    """One improvement cycle of an organisation along a framework: choose, prepare, start,
    plan, implement and evaluate. Numbered per organisation; a later cycle points at the
    one whose evaluation it starts from."""

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.CASCADE,
        related_name="igm_cycles",
        verbose_name=_("organisation"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_cycles",
        verbose_name=_("previous cycle"),
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("framework")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CycleStatus.choices, default=CycleStatus.ACTIVE
    )
    started_on = models.DateField(_("started on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["organisation", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="igm_cycle_unique_number"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="active"),
                name="igm_cycle_one_active",
                violation_error_message=ONE_ACTIVE_CYCLE,
            ),
            _end_after_start("started_on", "closed_on", "igm_cycle_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {_('cycle')} {self.number}"

    @property
    def is_active(self) -> bool:
        return self.status == CycleStatus.ACTIVE

    def clean(self) -> None:
        errors = _ordered(self.started_on, self.closed_on, "closed_on")
        if (
            self.previous is not None
            and self.organisation_id
            and self.previous.organisation_id != self.organisation_id
        ):
            errors["previous"] = _("The previous cycle belongs to another organisation.")
        if self.framework_id and not self.framework.published:
            errors["framework"] = _("Only a published framework can be used for a cycle.")
        if errors:
            raise ValidationError(errors)


class CyclePart(models.Model):
    """Shared by everything that hangs off one cycle: the access layer reaches the
    organisation through it."""

    class Meta:
        abstract = True

    @property
    def organisation(self) -> Any:
        return self.cycle.organisation  # type: ignore[attr-defined]


class Phase(CyclePart):
    """One of the six phases of a cycle, with its planned period and progress."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="phases", verbose_name=_("cycle"))
    number = models.PositiveSmallIntegerField(_("phase"), choices=PhaseNumber.choices)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PhaseStatus.choices, default=PhaseStatus.NOT_STARTED
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="igm_phase_unique_number"),
            _end_after_start("planned_start", "planned_end", "igm_phase_dates_in_order"),
        ]

    def __str__(self) -> str:
        return str(self.get_number_display())

    def clean(self) -> None:
        errors = _ordered(self.planned_start, self.planned_end, "planned_end")
        if errors:
            raise ValidationError(errors)


class PhaseStep(models.Model):
    """A checklist item of a phase (write the management letter, hold the start meeting,
    re-measure ...): who owns it, when it is due, and how far it is."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="steps", verbose_name=_("phase"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("code"), max_length=60, blank=True, help_text=_("Set for the default steps."))
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    track = models.CharField(_("track"), max_length=10, choices=Track.choices, default=Track.CENTRAL)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="igm_steps",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_date = models.DateField(_("done on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=StepStatus.choices, default=StepStatus.OPEN)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("phase step")
        verbose_name_plural = _("phase steps")
        ordering = ["phase", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def cycle(self) -> Cycle:
        return self.phase.cycle

    @property
    def organisation(self) -> Any:
        return self.phase.cycle.organisation

    def clean(self) -> None:
        if self.done_date is not None and self.status != StepStatus.DONE:
            raise ValidationError({"done_date": _("Only a step that is done has a date it was done.")})


class GroupMembership(CyclePart):
    """Someone's seat in the steering group or the project group of a cycle, for a period."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="group_members", verbose_name=_("cycle")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="igm_groups", verbose_name=_("user")
    )
    group = models.CharField(_("group"), max_length=10, choices=GroupKind.choices)
    role = models.CharField(_("role in the group"), max_length=120, blank=True)
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["cycle", "group", "from_date"]
        constraints = [_end_after_start("from_date", "to_date", "igm_groupmember_dates_in_order")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_group_display()}"

    def clean(self) -> None:
        errors = _ordered(self.from_date, self.to_date, "to_date")
        if errors:
            raise ValidationError(errors)


class CoordinatorAssignment(CyclePart):
    """Who was the coordinator (trekker) of a cycle and when. Every change is kept, because
    a change of coordinator is one of the moments a cycle tends to stall."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="coordinator_assignments", verbose_name=_("cycle")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="igm_coordinator_assignments",
        verbose_name=_("coordinator"),
    )
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("coordinator assignment")
        verbose_name_plural = _("coordinator assignments")
        ordering = ["cycle", "from_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle"],
                condition=Q(to_date__isnull=True),
                name="igm_one_current_coordinator",
                violation_error_message=_("A cycle has one current coordinator."),
            ),
            _end_after_start("from_date", "to_date", "igm_coordinator_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.from_date} – {self.to_date or ''})"

    def clean(self) -> None:
        errors = _ordered(self.from_date, self.to_date, "to_date")
        if errors:
            raise ValidationError(errors)


class Meeting(CyclePart):
    """A meeting held for the cycle: steering group, project group, the monthly project
    meeting of the implementation phase, or another. Whether management attended is kept
    as an explicit flag: its absence is an early warning the process watch looks for."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("cycle")
    )
    phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("phase"),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="igm_meetings", verbose_name=_("attendees")
    )
    management_present = models.BooleanField(_("management present"), default=False)
    minutes = models.TextField(_("minutes"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["cycle", "-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"

    def clean(self) -> None:
        if self.phase is not None and self.cycle_id and self.phase.cycle_id != self.cycle_id:
            raise ValidationError({"phase": OTHER_CYCLE})


class WorksCouncilAdvice(CyclePart):
    """A request for advice or consent of the works council on a document of the cycle
    (the start memo, the plan of approach), and its answer."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="works_council_advice", verbose_name=_("cycle")
    )
    subject = models.CharField(_("subject"), max_length=12, choices=AdviceSubject.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=AdviceKind.choices, default=AdviceKind.ADVICE)
    requested_on = models.DateField(_("requested on"))
    given_on = models.DateField(_("given on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=AdviceOutcome.choices, default=AdviceOutcome.PENDING
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("works council advice")
        verbose_name_plural = _("works council advice")
        ordering = ["cycle", "-requested_on", "-pk"]
        constraints = [_end_after_start("requested_on", "given_on", "igm_advice_dates_in_order")]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} – {self.get_outcome_display()}"

    def clean(self) -> None:
        errors = _ordered(self.requested_on, self.given_on, "given_on")
        if self.outcome == AdviceOutcome.PENDING and self.given_on is not None:
            errors.setdefault("outcome", _("Advice that has been given has an outcome other than pending."))
        if self.outcome != AdviceOutcome.PENDING and self.given_on is None:
            errors.setdefault("given_on", _("Give the date on which the advice was given."))
        if errors:
            raise ValidationError(errors)
