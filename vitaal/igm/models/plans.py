"""Phase 3 of the cycle: the plan of approach (plan van aanpak) of a unit, or the central
plan of the whole organisation, and the pragmatic track beside it.

A plan prioritises a few development lines (two by default), names a few improvement
points per line (two by default), sets SMART goals for them and plans actions with an
owner, a date, hours and money. Management signs the plan off; a signed-off plan is read
only until the coordinator reopens it. Employees see only its published summary.

Pragmatic initiatives are opportunities taken outside the plan (the pragmatic track).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .cycle import Cycle, CyclePart
from .framework import DevelopmentLine, localized

# The defaults of the approach: focus on a few lines and a few points per line.
MAX_LINES = 2
MAX_POINTS_PER_LINE = 2

PLAN_SIGNED_OFF = _("This plan has been signed off and is read only; the coordinator can reopen it.")
OTHER_FRAMEWORK = _("This development line does not belong to the framework of the cycle.")
OTHER_ORGANISATION_UNIT = _("This unit belongs to another organisation.")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SIGNED_OFF = "signed_off", _("Signed off")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


def _unit_in_organisation(cycle: Cycle | None, unit: Any) -> dict[str, Any]:
    if cycle is not None and unit is not None and unit.organisation_id != cycle.organisation_id:
        return {"unit": OTHER_ORGANISATION_UNIT}
    return {}


def _line_in_framework(cycle: Cycle | None, line: DevelopmentLine | None, field: str) -> dict[str, Any]:
    if cycle is not None and line is not None and line.framework_id != cycle.framework_id:
        return {field: OTHER_FRAMEWORK}
    return {}


class PlanQuerySet(models.QuerySet["Plan"]):
    def visible_to(self, user: Any, action: str = "view") -> PlanQuerySet:
        from vitaal.igm.access import scope_plans

        return scope_plans(self, user, action)


class Plan(CyclePart):
    """The plan of approach of one unit in a cycle, or with no unit the organisation-wide
    central plan."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="plans", verbose_name=_("cycle"))
    unit = models.ForeignKey(
        "core.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="igm_plans",
        verbose_name=_("unit"),
        help_text=_("Leave empty for the central plan of the whole organisation."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    exceed_defaults = models.BooleanField(
        _("more lines and points than the default"),
        default=False,
        help_text=_("Allows more than two development lines, and more than two improvement points per line."),
    )
    summary_nl = models.TextField(_("summary for employees (Dutch)"), blank=True)
    summary_en = models.TextField(_("summary for employees (English)"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan of approach")
        verbose_name_plural = _("plans of approach")
        ordering = ["cycle", "unit", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "unit"],
                name="igm_plan_one_per_unit",
                violation_error_message=_("This unit already has a plan in this cycle."),
            ),
            models.UniqueConstraint(
                fields=["cycle"],
                condition=Q(unit__isnull=True),
                name="igm_plan_one_central",
                violation_error_message=_("This cycle already has a central plan."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit or _('Central plan')} – {_('cycle')} {self.cycle.number}"

    @property
    def is_signed_off(self) -> bool:
        return self.status == PlanStatus.SIGNED_OFF

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    def clean(self) -> None:
        errors = _unit_in_organisation(self.cycle if self.cycle_id else None, self.unit)
        if self.status == PlanStatus.SIGNED_OFF and (
            self.signed_off_by_id is None or self.signed_off_at is None
        ):
            errors["signed_off_by"] = _("A signed-off plan records who signed it off and when.")
        if errors:
            raise ValidationError(errors)


class PlanPart(models.Model):
    """Shared by the parts of a plan: the access layer reaches the organisation through
    the plan."""

    class Meta:
        abstract = True

    # The relation path from this part to its plan, e.g. "plan_line.plan".
    PLAN_PATH = "plan"

    def get_plan(self) -> Plan:
        obj: Any = self
        for name in self.PLAN_PATH.split("."):
            obj = getattr(obj, name)
        return obj

    @property
    def cycle(self) -> Cycle:
        return self.get_plan().cycle

    @property
    def organisation(self) -> Any:
        return self.get_plan().cycle.organisation


class PlanLine(PlanPart):
    """A development line the plan gives priority to; ``priority`` 1 comes first."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines", verbose_name=_("plan"))
    line = models.ForeignKey(
        DevelopmentLine,
        on_delete=models.PROTECT,
        related_name="plan_lines",
        verbose_name=_("development line"),
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)

    class Meta:
        verbose_name = _("prioritised development line")
        verbose_name_plural = _("prioritised development lines")
        ordering = ["plan", "priority", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "line"],
                name="igm_planline_unique_line",
                violation_error_message=_("This development line is already in the plan."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.priority}. {self.line}"

    def clean(self) -> None:
        if self.plan_id and self.line_id:
            errors = _line_in_framework(self.plan.cycle, self.line, "line")
            if errors:
                raise ValidationError(errors)


class ImprovementPoint(PlanPart):
    """Something to improve within a prioritised line."""

    PLAN_PATH = "plan_line.plan"

    plan_line = models.ForeignKey(
        PlanLine, on_delete=models.CASCADE, related_name="points", verbose_name=_("development line")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("improvement point")
        verbose_name_plural = _("improvement points")
        ordering = ["plan_line", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Goal(PlanPart):
    """A SMART goal for an improvement point: specific, measurable (an indicator and a
    target), with an owner (acceptable), realistic, and a deadline (time-bound).

    The indicator is kept as a name and an optional code; ``indicator_code`` is the key a
    later indicator catalogue can be linked by."""

    PLAN_PATH = "improvement_point.plan_line.plan"

    improvement_point = models.ForeignKey(
        ImprovementPoint, on_delete=models.CASCADE, related_name="goals", verbose_name=_("improvement point")
    )
    specific = models.TextField(_("specific goal"))
    indicator_name = models.CharField(_("indicator"), max_length=200, blank=True)
    indicator_code = models.SlugField(_("indicator code"), max_length=60, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField(_("unit of the target"), max_length=40, blank=True)
    target_text = models.CharField(_("target"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="igm_goals",
        verbose_name=pgettext_lazy("plan of approach", "owner"),
    )
    realistic = models.TextField(_("why this is realistic"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("SMART goal")
        verbose_name_plural = _("SMART goals")
        ordering = ["improvement_point", "pk"]

    def __str__(self) -> str:
        return self.specific[:80]

    @property
    def has_indicator(self) -> bool:
        return bool(self.indicator_name.strip() or self.indicator_code.strip())


class Action(PlanPart):
    """An action towards a goal, with an owner, a due date, and the hours and money it
    takes."""

    PLAN_PATH = "goal.improvement_point.plan_line.plan"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions", verbose_name=_("goal"))
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="igm_actions",
        verbose_name=pgettext_lazy("plan of approach", "owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    hours = models.DecimalField(
        _("hours"), max_digits=7, decimal_places=1, default=0, validators=[MinValueValidator(0)]
    )
    money = models.DecimalField(
        _("money (euro)"), max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_date = models.DateField(_("done on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["goal", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="igm_action_hours_not_negative"),
            models.CheckConstraint(condition=Q(money__gte=0), name="igm_action_money_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.done_date is not None and self.status != ActionStatus.DONE:
            raise ValidationError({"done_date": _("Only an action that is done has a date it was done.")})


class PragmaticInitiative(CyclePart):
    """An opportunity taken outside the plan (the pragmatic track): what was done, when,
    and for which unit and development line if any."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="pragmatic_initiatives", verbose_name=_("cycle")
    )
    unit = models.ForeignKey(
        "core.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="igm_pragmatic_initiatives",
        verbose_name=_("unit"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"))
    line = models.ForeignKey(
        DevelopmentLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pragmatic_initiatives",
        verbose_name=_("development line"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pragmatic initiative")
        verbose_name_plural = _("pragmatic initiatives")
        ordering = ["cycle", "-date", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        cycle = self.cycle if self.cycle_id else None
        errors = _unit_in_organisation(cycle, self.unit)
        errors.update(_line_in_framework(cycle, self.line, "line"))
        if errors:
            raise ValidationError(errors)
