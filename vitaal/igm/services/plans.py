"""Writes for the plans of approach (phase 3) and the pragmatic track.

Keyword-only, validated with ``full_clean()``, one transaction each; bad input raises
``ValidationError`` with a translatable message and changes nothing. Viewing and editing
permissions belong to the caller (``igm.add_plan``, ``igm.change_plan``); signing off and
reopening check their actor here, because only management signs off and only the
coordinator reopens. A signed-off plan is read only until it is reopened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as date_type
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vitaal.core.models import Unit, User
from vitaal.igm.access import may_reopen_plan, may_sign_off_plan
from vitaal.igm.models import (
    MAX_LINES,
    MAX_POINTS_PER_LINE,
    Action,
    ActionStatus,
    Cycle,
    DevelopmentLine,
    Goal,
    ImprovementPoint,
    MeterSession,
    Plan,
    PlanLine,
    PlanStatus,
    PragmaticInitiative,
    SessionStatus,
)
from vitaal.igm.models.cycle import CYCLE_CLOSED
from vitaal.igm.models.plans import PLAN_SIGNED_OFF

BEFORE_CYCLE = _("This date lies before the start of the cycle (%(start)s).")


def _lock_plan(plan: Plan) -> Plan:
    """The plan, locked, after checking that it may still be changed."""
    locked = (
        Plan.objects.select_for_update(of=("self",))
        .select_related("cycle__organisation", "unit")
        .get(pk=plan.pk)
    )
    if not locked.cycle.is_active:
        raise ValidationError(CYCLE_CLOSED)
    return locked


def _editable(plan: Plan) -> Plan:
    locked = _lock_plan(plan)
    if locked.is_signed_off:
        raise ValidationError(PLAN_SIGNED_OFF)
    return locked


def _not_before_cycle(cycle: Cycle, value: date_type | None, field: str) -> dict[str, Any]:
    if value is not None and value < cycle.started_on:
        return {field: ValidationError(BEFORE_CYCLE, params={"start": cycle.started_on.isoformat()})}
    return {}


@transaction.atomic
def plan_create(
    *,
    cycle: Cycle,
    unit: Unit | None = None,
    exceed_defaults: bool = False,
    summary_nl: str = "",
    summary_en: str = "",
) -> Plan:
    """Start the plan of approach of a unit, or without a unit the central plan."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not cycle.is_active:
        raise ValidationError(CYCLE_CLOSED)
    plan = Plan(
        cycle=cycle, unit=unit, exceed_defaults=exceed_defaults, summary_nl=summary_nl, summary_en=summary_en
    )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: Plan,
    summary_nl: str | None = None,
    summary_en: str | None = None,
    exceed_defaults: bool | None = None,
) -> Plan:
    """Change the summary for employees or the override of the default limits. Switching
    the override off is refused while the plan holds more than the defaults."""
    plan = _editable(plan)
    if summary_nl is not None:
        plan.summary_nl = summary_nl
    if summary_en is not None:
        plan.summary_en = summary_en
    if exceed_defaults is not None:
        if not exceed_defaults and _over_defaults(plan):
            raise ValidationError(
                {
                    "exceed_defaults": _(
                        "The plan holds more lines or points than the default; remove some first."
                    )
                }
            )
        plan.exceed_defaults = exceed_defaults
    plan.full_clean()
    plan.save()
    return plan


def _over_defaults(plan: Plan) -> bool:
    if plan.lines.count() > MAX_LINES:
        return True
    return any(line.points.count() > MAX_POINTS_PER_LINE for line in plan.lines.all())


@transaction.atomic
def plan_line_add(*, plan: Plan, line: DevelopmentLine, priority: int | None = None) -> PlanLine:
    """Give a development line of the cycle's framework priority in the plan; at most
    ``MAX_LINES`` unless the plan overrides the default."""
    plan = _editable(plan)
    existing = plan.lines.count()
    if existing >= MAX_LINES and not plan.exceed_defaults:
        raise ValidationError(
            _(
                "A plan focuses on at most %(max)s development lines; "
                "allow more on the plan if you really need them."
            ),
            params={"max": MAX_LINES},
        )
    if priority is None:
        priority = (plan.lines.aggregate(m=Max("priority"))["m"] or 0) + 1
    plan_line = PlanLine(plan=plan, line=line, priority=priority)
    plan_line.full_clean()
    plan_line.save()
    return plan_line


@transaction.atomic
def improvement_point_add(*, plan_line: PlanLine, title: str, description: str = "") -> ImprovementPoint:
    """Add an improvement point to a prioritised line; at most ``MAX_POINTS_PER_LINE``
    unless the plan overrides the default."""
    plan = _editable(plan_line.plan)
    plan_line = PlanLine.objects.get(pk=plan_line.pk)
    existing = plan_line.points.count()
    if existing >= MAX_POINTS_PER_LINE and not plan.exceed_defaults:
        raise ValidationError(
            _(
                "A development line has at most %(max)s improvement points; "
                "allow more on the plan if you really need them."
            ),
            params={"max": MAX_POINTS_PER_LINE},
        )
    point = ImprovementPoint(
        plan_line=plan_line, title=title, description=description, order=(existing + 1) * 10
    )
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def goal_set(
    *,
    improvement_point: ImprovementPoint,
    specific: str,
    owner: User | None,
    deadline: date_type | None,
    indicator_name: str = "",
    indicator_code: str = "",
    target_value: Decimal | None = None,
    target_unit: str = "",
    target_text: str = "",
    realistic: str = "",
    goal: Goal | None = None,
) -> Goal:
    """Set a SMART goal for an improvement point, or change ``goal``. Refused unless it is
    specific, measurable (an indicator or a target), owned and has a deadline that does
    not lie before the start of the cycle."""
    plan = _editable(improvement_point.plan_line.plan)
    errors: dict[str, Any] = {}
    if not specific.strip():
        errors["specific"] = _("Describe specifically what the goal is.")
    has_indicator = bool(indicator_name.strip() or indicator_code.strip())
    has_target = target_value is not None or bool(target_text.strip())
    if not (has_indicator or has_target):
        errors["indicator_name"] = _("Make the goal measurable: give an indicator or a target.")
    if owner is None:
        errors["owner"] = _("Give the goal an owner.")
    if deadline is None:
        errors["deadline"] = _("Give the goal a deadline.")
    errors.update(_not_before_cycle(plan.cycle, deadline, "deadline"))
    if errors:
        raise ValidationError(errors)
    if goal is None:
        goal = Goal(improvement_point=improvement_point)
    else:
        goal = Goal.objects.select_for_update().get(pk=goal.pk, improvement_point=improvement_point)
    goal.specific = specific
    goal.indicator_name = indicator_name
    goal.indicator_code = indicator_code
    goal.target_value = target_value
    goal.target_unit = target_unit
    goal.target_text = target_text
    goal.owner = owner
    goal.realistic = realistic
    goal.deadline = deadline
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def action_set(
    *,
    goal: Goal,
    title: str,
    owner: User | None = None,
    due_date: date_type | None = None,
    hours: Decimal = Decimal(0),
    money: Decimal = Decimal(0),
    status: str = ActionStatus.OPEN,
    done_date: date_type | None = None,
    action: Action | None = None,
) -> Action:
    """Plan an action towards a goal, or change ``action``. Hours and money are not
    negative; the due date does not lie before the start of the cycle."""
    plan = _editable(goal.improvement_point.plan_line.plan)
    errors: dict[str, Any] = _not_before_cycle(plan.cycle, due_date, "due_date")
    if hours < 0:
        errors["hours"] = _("Hours cannot be negative.")
    if money < 0:
        errors["money"] = _("Money cannot be negative.")
    if errors:
        raise ValidationError(errors)
    if action is None:
        action = Action(goal=goal)
    else:
        action = Action.objects.select_for_update().get(pk=action.pk, goal=goal)
    action.title = title
    action.owner = owner
    action.due_date = due_date
    action.hours = hours
    action.money = money
    action.status = status
    action.done_date = done_date
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def plan_submit(*, plan: Plan) -> Plan:
    """Offer the plan to management for sign-off. A plan without a development line is
    not a plan yet."""
    plan = _editable(plan)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("This plan has already been submitted."))
    if not plan.lines.exists():
        raise ValidationError(_("Prioritise at least one development line before you submit the plan."))
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.full_clean()
    plan.save(update_fields=["status", "submitted_at", "updated_at"])
    return plan


@transaction.atomic
def plan_sign_off(*, plan: Plan, by: User) -> Plan:
    """Management approves the submitted plan; from then on it is read only."""
    plan = _editable(plan)
    if not may_sign_off_plan(by, plan):
        raise ValidationError(_("Only management can sign off a plan of approach."))
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Submit the plan before management signs it off."))
    plan.status = PlanStatus.SIGNED_OFF
    plan.signed_off_by = by
    plan.signed_off_at = timezone.now()
    plan.full_clean()
    plan.save(update_fields=["status", "signed_off_by", "signed_off_at", "updated_at"])
    return plan


@transaction.atomic
def plan_reopen(*, plan: Plan, by: User) -> Plan:
    """The coordinator reopens a signed-off plan to change it; it goes back to draft and
    needs a new sign-off. Who reopened it and when is kept."""
    plan = _lock_plan(plan)
    if not may_reopen_plan(by, plan):
        raise ValidationError(_("Only the coordinator can reopen a signed-off plan."))
    if not plan.is_signed_off:
        raise ValidationError(_("Only a signed-off plan can be reopened."))
    plan.status = PlanStatus.DRAFT
    plan.submitted_at = None
    plan.signed_off_by = None
    plan.signed_off_at = None
    plan.reopened_by = by
    plan.reopened_at = timezone.now()
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def pragmatic_initiative_record(
    *,
    cycle: Cycle,
    title: str,
    date: date_type,
    description: str = "",
    unit: Unit | None = None,
    line: DevelopmentLine | None = None,
    recorded_by: User | None = None,
) -> PragmaticInitiative:
    """Record an opportunity taken outside the plan (the pragmatic track)."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not cycle.is_active:
        raise ValidationError(CYCLE_CLOSED)
    initiative = PragmaticInitiative(
        cycle=cycle,
        title=title,
        date=date,
        description=description,
        unit=unit,
        line=line,
        recorded_by=recorded_by,
    )
    initiative.full_clean()
    initiative.save()
    return initiative


# Removing parts of a plan ------------------------------------------------------------------


@transaction.atomic
def plan_line_remove(*, plan_line: PlanLine) -> None:
    """Take a development line out of the plan. Refused while goals of its improvement
    points exist: remove those first, so that nobody loses a goal by accident."""
    _editable(plan_line.plan)
    if Goal.objects.filter(improvement_point__plan_line=plan_line).exists():
        raise ValidationError(
            _("Goals of this development line are still in the plan; remove those goals first.")
        )
    plan_line.delete()


@transaction.atomic
def improvement_point_remove(*, point: ImprovementPoint) -> None:
    """Remove an improvement point that has no goals (yet)."""
    _editable(point.plan_line.plan)
    if point.goals.exists():
        raise ValidationError(_("This improvement point still has goals; remove those goals first."))
    point.delete()


@transaction.atomic
def goal_remove(*, goal: Goal) -> None:
    """Remove a goal that has no actions (yet)."""
    _editable(goal.improvement_point.plan_line.plan)
    if goal.actions.exists():
        raise ValidationError(_("This goal still has actions; remove those actions first."))
    goal.delete()


@transaction.atomic
def action_remove(*, action: Action) -> None:
    _editable(action.goal.improvement_point.plan_line.plan)
    action.delete()


# A plan that starts from a measurement ------------------------------------------------------


def weakest_lines(*, session: MeterSession, count: int = MAX_LINES) -> list[DevelopmentLine]:
    """The development lines of a closed meter session with the lowest scores (lines
    without a score are skipped), lowest first: the suggestion for the plan's priorities."""
    from vitaal.igm.selectors import session_line_scores, session_shape

    if session.status != SessionStatus.CLOSED:
        raise ValidationError(_("Only a closed meter session can be the basis of a plan."))
    shape = session_shape(session)
    by_code = {line.code: line for line in shape.lines}
    scored = [s for s in session_line_scores(session, shape) if s.score_100 is not None]
    scored.sort(key=lambda s: (s.score_100, s.line))
    return [by_code[s.line] for s in scored[:count] if s.line in by_code]


@transaction.atomic
def plan_create_from_session(*, cycle: Cycle, session: MeterSession, unit: Unit | None = None) -> Plan:
    """Start a unit's plan with the weakest lines of a closed meter session of that unit
    already prioritised (the coordinator can change them afterwards)."""
    if session.organisation_id != cycle.organisation_id or session.unit_id != (unit.pk if unit else None):
        raise ValidationError(_("Choose a meter session of the same unit."))
    if session.instrument.framework_id != cycle.framework_id:
        raise ValidationError(_("This meter session used another framework than the cycle."))
    suggested = weakest_lines(session=session)
    plan = plan_create(cycle=cycle, unit=unit)
    for line in suggested:
        plan_line_add(plan=plan, line=line)
    return plan


@dataclass(frozen=True)
class PlanProgress:
    """How far a plan's actions are: counts per status, hours and money planned."""

    actions: int
    done: int
    overdue: int
    hours: Decimal
    money: Decimal

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.actions) if self.actions else 0


def plan_progress(plans: list[Plan], today: date_type) -> dict[int, PlanProgress]:
    """Progress per plan id, in one query for any number of plans."""
    from django.db.models import Count, Q, Sum

    open_statuses = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS]
    rows = (
        Action.objects.filter(goal__improvement_point__plan_line__plan__in=plans)
        .exclude(status=ActionStatus.CANCELLED)
        .values("goal__improvement_point__plan_line__plan_id")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(status=ActionStatus.DONE)),
            overdue=Count("pk", filter=Q(status__in=open_statuses, due_date__lt=today)),
            hours=Sum("hours"),
            money=Sum("money"),
        )
    )
    out = {p.pk: PlanProgress(0, 0, 0, Decimal(0), Decimal(0)) for p in plans}
    for r in rows:
        out[r["goal__improvement_point__plan_line__plan_id"]] = PlanProgress(
            r["n"], r["done"], r["overdue"], r["hours"] or Decimal(0), r["money"] or Decimal(0)
        )
    return out
