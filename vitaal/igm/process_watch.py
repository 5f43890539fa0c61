"""The process watch (signaalfunctie): early warnings that a cycle is losing momentum.

``compute_signals(cycle, today)`` only reads; it returns what it finds and stores nothing
(the periodic task ``vitaal.igm.tasks.compute_all_signals`` stores the result). The pilots
showed the usual ways a cycle stalls: phases that drag on, weeks without any activity, a
coordinator who leaves, management that stops coming, goals nobody can measure, actions
that slip (checklist steps as well as the actions of the plans of approach).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Max
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vitaal.igm.models import (
    Action,
    ActionStatus,
    CoordinatorAssignment,
    Cycle,
    Goal,
    Meeting,
    PhaseRegistration,
    PhaseStatus,
    PhaseStep,
    SignalSeverity,
    StepStatus,
)

# A cycle with no step update, meeting or registration change for this long is flagged.
INACTIVITY_WEEKS = 6
# A coordinator change stays visible this long: the successor needs time to pick it up.
COORDINATOR_CHANGE_DAYS = 60
# Management missing at this many most recent meetings in a row is flagged.
MANAGEMENT_ABSENT_MEETINGS = 2


class SignalKind:
    PHASE_OVERDUE = "phase_overdue"
    NO_ACTIVITY = "no_activity"
    COORDINATOR_CHANGED = "coordinator_changed"
    MANAGEMENT_ABSENT = "management_absent"
    STEP_OVERDUE = "step_overdue"
    GOAL_WITHOUT_INDICATOR = "goal_without_indicator"
    ACTION_OVERDUE = "action_overdue"


MESSAGES: dict[str, Any] = {
    SignalKind.PHASE_OVERDUE: _("Phase %(phase)s should have ended on %(planned_end)s and is not done."),
    SignalKind.NO_ACTIVITY: _("Nothing has happened in this cycle since %(last)s (%(weeks)s weeks or more)."),
    SignalKind.COORDINATOR_CHANGED: _(
        "The coordinator changed on %(from_date)s; check that the work was handed over."
    ),
    SignalKind.MANAGEMENT_ABSENT: _("Management was absent from the last %(count)s meetings."),
    SignalKind.STEP_OVERDUE: _("Step '%(step)s' was due on %(due_date)s and is not done."),
    SignalKind.GOAL_WITHOUT_INDICATOR: _(
        "Goal '%(goal)s' has no indicator, so nobody can tell whether it is met."
    ),
    SignalKind.ACTION_OVERDUE: _("Action '%(action)s' was due on %(due_date)s and is not done."),
}


def render_message(kind: str, params: dict[str, Any]) -> str:
    """The signal's text in the active language."""
    template = MESSAGES.get(kind)
    if template is None:
        return kind
    values = dict(params)
    if "step_en" in values:
        english = (get_language() or "nl").startswith("en")
        values["step"] = values["step_en"] if english else values.get("step_nl", values["step_en"])
    return str(template) % values


@dataclass(frozen=True)
class Signal:
    """One warning about a cycle, pointing at what it concerns (``subject_type`` is a
    model name, ``subject_id`` its primary key)."""

    kind: str
    severity: str
    subject_type: str
    subject_id: int
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return render_message(self.kind, self.params)


def _phase_overdue(cycle: Cycle, today: date) -> list[Signal]:
    return [
        Signal(
            SignalKind.PHASE_OVERDUE,
            SignalSeverity.ALERT,
            "phase",
            phase.pk,
            {"phase": phase.number, "planned_end": phase.planned_end.isoformat()},
        )
        for phase in cycle.phases.filter(planned_end__lt=today).exclude(status=PhaseStatus.DONE)
        if phase.planned_end is not None
    ]


def last_activity(cycle: Cycle, today: date) -> date:
    """The last day anything happened: the start, a step or registration change, a meeting."""
    candidates = [cycle.started_on]
    step_at = PhaseStep.objects.filter(phase__cycle=cycle).aggregate(m=Max("updated_at"))["m"]
    reg_at = PhaseRegistration.objects.filter(phase__cycle=cycle).aggregate(m=Max("updated_at"))["m"]
    meeting_on = Meeting.objects.filter(cycle=cycle, date__lte=today).aggregate(m=Max("date"))["m"]
    candidates += [d.date() for d in (step_at, reg_at) if d is not None]
    if meeting_on is not None:
        candidates.append(meeting_on)
    return max(candidates)


def _no_activity(cycle: Cycle, today: date, weeks: int) -> list[Signal]:
    last = last_activity(cycle, today)
    if today - last < timedelta(weeks=weeks):
        return []
    return [
        Signal(
            SignalKind.NO_ACTIVITY,
            SignalSeverity.WARNING,
            "cycle",
            cycle.pk,
            {"last": last.isoformat(), "weeks": weeks},
        )
    ]


def _coordinator_changed(cycle: Cycle, today: date) -> list[Signal]:
    assignments = list(CoordinatorAssignment.objects.filter(cycle=cycle).order_by("from_date", "pk"))
    # The first coordinator of a cycle is an appointment, not a change.
    since = today - timedelta(days=COORDINATOR_CHANGE_DAYS)
    return [
        Signal(
            SignalKind.COORDINATOR_CHANGED,
            SignalSeverity.WARNING,
            "coordinatorassignment",
            a.pk,
            {"from_date": a.from_date.isoformat()},
        )
        for a in assignments[1:]
        if since <= a.from_date <= today
    ]


def _management_absent(cycle: Cycle, today: date) -> list[Signal]:
    recent = list(
        Meeting.objects.filter(cycle=cycle, date__lte=today).order_by("-date", "-pk")[
            :MANAGEMENT_ABSENT_MEETINGS
        ]
    )
    if len(recent) < MANAGEMENT_ABSENT_MEETINGS or any(m.management_present for m in recent):
        return []
    return [
        Signal(
            SignalKind.MANAGEMENT_ABSENT,
            SignalSeverity.WARNING,
            "meeting",
            recent[0].pk,
            {"count": MANAGEMENT_ABSENT_MEETINGS},
        )
    ]


def _steps_overdue(cycle: Cycle, today: date) -> list[Signal]:
    steps = (
        PhaseStep.objects.filter(phase__cycle=cycle, due_date__lt=today)
        .exclude(status__in=[StepStatus.DONE, StepStatus.SKIPPED])
        .order_by("due_date", "pk")
    )
    return [
        Signal(
            SignalKind.STEP_OVERDUE,
            SignalSeverity.WARNING,
            "phasestep",
            step.pk,
            {"step_en": step.title_en, "step_nl": step.title_nl, "due_date": step.due_date.isoformat()},
        )
        for step in steps
        if step.due_date is not None
    ]


def _goals_without_indicator(cycle: Cycle) -> list[Signal]:
    goals = Goal.objects.filter(improvement_point__plan_line__plan__cycle=cycle).order_by("pk")
    return [
        Signal(
            SignalKind.GOAL_WITHOUT_INDICATOR,
            SignalSeverity.WARNING,
            "goal",
            goal.pk,
            {"goal": goal.specific[:80]},
        )
        for goal in goals
        if not goal.has_indicator
    ]


def _actions_overdue(cycle: Cycle, today: date) -> list[Signal]:
    actions = (
        Action.objects.filter(goal__improvement_point__plan_line__plan__cycle=cycle, due_date__lt=today)
        .exclude(status__in=[ActionStatus.DONE, ActionStatus.CANCELLED])
        .order_by("due_date", "pk")
    )
    return [
        Signal(
            SignalKind.ACTION_OVERDUE,
            SignalSeverity.WARNING,
            "action",
            action.pk,
            {"action": action.title, "due_date": action.due_date.isoformat()},
        )
        for action in actions
        if action.due_date is not None
    ]


def compute_signals(cycle: Cycle, today: date, *, weeks: int = INACTIVITY_WEEKS) -> list[Signal]:
    """Every signal that holds for ``cycle`` on ``today``. A closed cycle has none."""
    if not cycle.is_active:
        return []
    return [
        *_phase_overdue(cycle, today),
        *_no_activity(cycle, today, weeks),
        *_coordinator_changed(cycle, today),
        *_management_absent(cycle, today),
        *_steps_overdue(cycle, today),
        *_goals_without_indicator(cycle),
        *_actions_overdue(cycle, today),
    ]
