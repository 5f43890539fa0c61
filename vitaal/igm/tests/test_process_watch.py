"""Process-watch signals, each on both sides of its boundary, with a fixed ``today``."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from vitaal.igm.models import (
    Action,
    ActionStatus,
    CoordinatorAssignment,
    Goal,
    Meeting,
    PhaseRegistration,
    PhaseStatus,
    PhaseStep,
    StepStatus,
    StoredSignal,
)
from vitaal.igm.process_watch import (
    COORDINATOR_CHANGE_DAYS,
    INACTIVITY_WEEKS,
    SignalKind,
    compute_signals,
)
from vitaal.igm.services import (
    action_set,
    cycle_close,
    cycle_coordinator_change,
    cycle_start,
    goal_set,
    improvement_point_add,
    meeting_record,
    phase_registration_save,
    plan_create,
    plan_line_add,
)
from vitaal.igm.tasks import compute_all_signals

from .conftest import START

TODAY = date(2025, 6, 2)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12, 0))


def kinds(cycle, today=TODAY) -> list[str]:
    return [s.kind for s in compute_signals(cycle, today)]


@pytest.fixture
def quiet(cycle):
    """A cycle whose last activity lies a day before TODAY, so only the tested signal fires."""
    PhaseStep.objects.filter(phase__cycle=cycle).update(updated_at=at(TODAY - timedelta(days=1)))
    return cycle


def test_a_fresh_quiet_cycle_has_no_signals(quiet):
    assert kinds(quiet) == []


def test_phase_overdue_around_its_end_date(quiet):
    phase = quiet.phases.get(number=1)
    phase.planned_start, phase.planned_end = date(2025, 2, 1), TODAY
    phase.save()
    assert SignalKind.PHASE_OVERDUE not in kinds(quiet)
    assert SignalKind.PHASE_OVERDUE in kinds(quiet, TODAY + timedelta(days=1))
    signal = compute_signals(quiet, TODAY + timedelta(days=1))[0]
    assert (signal.subject_type, signal.subject_id) == ("phase", phase.pk)
    with translation.override("en"):
        assert "Phase 1" in signal.message
    phase.status = PhaseStatus.DONE
    phase.save()
    assert SignalKind.PHASE_OVERDUE not in kinds(quiet, TODAY + timedelta(days=1))


def test_no_activity_around_the_inactivity_boundary(quiet):
    last = TODAY - timedelta(days=1)
    just_before = last + timedelta(weeks=INACTIVITY_WEEKS) - timedelta(days=1)
    assert SignalKind.NO_ACTIVITY not in kinds(quiet, just_before)
    assert SignalKind.NO_ACTIVITY in kinds(quiet, last + timedelta(weeks=INACTIVITY_WEEKS))


def test_a_meeting_or_a_registration_counts_as_activity(quiet):
    later = TODAY + timedelta(weeks=INACTIVITY_WEEKS)
    assert SignalKind.NO_ACTIVITY in kinds(quiet, later)
    meeting_record(cycle=quiet, date=TODAY + timedelta(days=7), kind="project", management_present=True)
    assert SignalKind.NO_ACTIVITY not in kinds(quiet, later)
    Meeting.objects.filter(cycle=quiet).delete()
    phase_registration_save(phase=quiet.phases.get(number=0), values={"dilemmas": "Tijd"})
    PhaseRegistration.objects.update(updated_at=at(TODAY + timedelta(days=7)))
    assert SignalKind.NO_ACTIVITY not in kinds(quiet, later)


def test_no_activity_uses_the_weeks_argument(quiet):
    assert SignalKind.NO_ACTIVITY in [
        s.kind for s in compute_signals(quiet, TODAY + timedelta(weeks=1), weeks=1)
    ]


def test_coordinator_change_around_sixty_days(cast, quiet):
    assert SignalKind.COORDINATOR_CHANGED not in kinds(quiet)  # the first appointment is no change
    changed_on = date(2025, 5, 1)
    cycle_coordinator_change(cycle=quiet, user=cast.user("org_admin"), on_date=changed_on)
    PhaseStep.objects.filter(phase__cycle=quiet).update(updated_at=at(changed_on + timedelta(days=60)))
    assert SignalKind.COORDINATOR_CHANGED in kinds(quiet, changed_on)
    assert SignalKind.COORDINATOR_CHANGED in kinds(
        quiet, changed_on + timedelta(days=COORDINATOR_CHANGE_DAYS)
    )
    assert SignalKind.COORDINATOR_CHANGED not in kinds(
        quiet, changed_on + timedelta(days=COORDINATOR_CHANGE_DAYS + 1)
    )
    # A change planned for later is not a change yet.
    assert SignalKind.COORDINATOR_CHANGED not in kinds(quiet, changed_on - timedelta(days=1))
    assignment = CoordinatorAssignment.objects.get(cycle=quiet, to_date__isnull=True)
    signal = next(s for s in compute_signals(quiet, changed_on) if s.kind == SignalKind.COORDINATOR_CHANGED)
    assert signal.subject_id == assignment.pk


def test_management_absent_at_the_last_two_meetings(quiet):
    def meeting(day: int, present: bool) -> None:
        meeting_record(cycle=quiet, date=date(2025, 5, day), kind="steering", management_present=present)

    meeting(1, False)
    assert SignalKind.MANAGEMENT_ABSENT not in kinds(quiet)  # one meeting is not yet a pattern
    meeting(10, True)
    meeting(20, False)
    assert SignalKind.MANAGEMENT_ABSENT not in kinds(quiet)  # present at the one before last
    meeting(30, False)
    assert SignalKind.MANAGEMENT_ABSENT in kinds(quiet)
    # Meetings after today are not held yet and do not count.
    meeting_record(cycle=quiet, date=TODAY + timedelta(days=3), kind="steering", management_present=True)
    assert SignalKind.MANAGEMENT_ABSENT in kinds(quiet)
    assert SignalKind.MANAGEMENT_ABSENT not in kinds(quiet, TODAY + timedelta(days=3))


def test_steps_past_due(quiet):
    steps = list(PhaseStep.objects.filter(phase__cycle=quiet).order_by("pk")[:4])
    PhaseStep.objects.filter(pk=steps[0].pk).update(due_date=TODAY)  # due today: not late
    PhaseStep.objects.filter(pk=steps[1].pk).update(due_date=TODAY - timedelta(days=1))
    PhaseStep.objects.filter(pk=steps[2].pk).update(
        due_date=TODAY - timedelta(days=1), status=StepStatus.DONE, done_date=TODAY
    )
    PhaseStep.objects.filter(pk=steps[3].pk).update(
        due_date=TODAY - timedelta(days=9), status=StepStatus.SKIPPED
    )
    late = [s for s in compute_signals(quiet, TODAY) if s.kind == SignalKind.STEP_OVERDUE]
    assert [s.subject_id for s in late] == [steps[1].pk]
    with translation.override("en"):
        assert steps[1].title_en in late[0].message
    with translation.override("nl"):
        assert steps[1].title_nl in late[0].message


def test_a_closed_cycle_has_no_signals(quiet):
    PhaseStep.objects.filter(phase__cycle=quiet).update(due_date=START)
    cycle_close(cycle=quiet, closed_on=TODAY)
    quiet.refresh_from_db()
    assert compute_signals(quiet, TODAY + timedelta(days=100)) == []


def test_compute_all_signals_is_idempotent(cast, quiet, framework):
    other = cycle_start(organisation=cast.b.organisation, started_on=START, framework=framework)
    PhaseStep.objects.update(updated_at=at(TODAY - timedelta(days=1)))
    first = PhaseStep.objects.filter(phase__cycle=quiet).order_by("pk").first()
    PhaseStep.objects.filter(pk=first.pk).update(due_date=START)
    later = (TODAY + timedelta(weeks=INACTIVITY_WEEKS + 1)).isoformat()

    def rows() -> list[tuple]:
        return list(
            StoredSignal.objects.order_by("cycle", "kind", "subject_id").values_list(
                "cycle", "kind", "severity", "subject_type", "subject_id", "params", "computed_for"
            )
        )

    compute_all_signals.call(today=later)
    once = rows()
    compute_all_signals.call(today=later)
    assert rows() == once
    assert {(r[0], r[1]) for r in once} >= {
        (quiet.pk, SignalKind.STEP_OVERDUE),
        (quiet.pk, SignalKind.NO_ACTIVITY),
        (other.pk, SignalKind.NO_ACTIVITY),
    }
    stored = StoredSignal.objects.get(cycle=quiet, kind=SignalKind.STEP_OVERDUE)
    assert stored.subject_id == first.pk
    with translation.override("en"):
        assert first.title_en in stored.message
    # Resolved signals disappear on the next run; a closed cycle keeps none.
    PhaseStep.objects.filter(pk=first.pk).update(status=StepStatus.DONE, done_date=START)
    cycle_close(cycle=other, closed_on=TODAY)
    compute_all_signals.call(today=later)
    assert not StoredSignal.objects.filter(kind=SignalKind.STEP_OVERDUE).exists()
    assert not StoredSignal.objects.filter(cycle=other).exists()


@pytest.fixture
def goal(cast, quiet):
    plan = plan_create(cycle=quiet, unit=cast.a.team1)
    plan_line = plan_line_add(plan=plan, line=quiet.framework.lines.order_by("order").first())
    point = improvement_point_add(plan_line=plan_line, title="Werkdruk")
    return goal_set(
        improvement_point=point,
        specific="Minder overwerk",
        indicator_name="Overwerkuren",
        target_value=Decimal("2"),
        owner=cast.user("manager"),
        deadline=TODAY,
    )


def test_goals_without_an_indicator(cast, goal):
    assert SignalKind.GOAL_WITHOUT_INDICATOR not in kinds(goal.cycle)
    # A target alone makes a goal measurable enough to save, but nobody can tell if it is met.
    no_indicator = goal_set(
        improvement_point=goal.improvement_point,
        goal=goal,
        specific="Minder overwerk",
        target_value=Decimal("2"),
        owner=cast.user("manager"),
        deadline=TODAY,
    )
    signals = [s for s in compute_signals(goal.cycle, TODAY) if s.kind == SignalKind.GOAL_WITHOUT_INDICATOR]
    assert [(s.subject_type, s.subject_id) for s in signals] == [("goal", no_indicator.pk)]
    with translation.override("en"):
        assert "Minder overwerk" in signals[0].message
    Goal.objects.filter(pk=goal.pk).update(indicator_name="   ")  # blank is no indicator
    assert SignalKind.GOAL_WITHOUT_INDICATOR in kinds(goal.cycle)
    Goal.objects.filter(pk=goal.pk).update(indicator_code="overwerk")
    assert SignalKind.GOAL_WITHOUT_INDICATOR not in kinds(goal.cycle)


def test_plan_actions_past_due(goal):
    def action(title: str, due: date, status: str = ActionStatus.OPEN) -> Action:
        done_date = due if status == ActionStatus.DONE else None
        return action_set(goal=goal, title=title, due_date=due, status=status, done_date=done_date)

    action("vandaag", TODAY)  # due today: not late
    late = action("gisteren", TODAY - timedelta(days=1), ActionStatus.IN_PROGRESS)
    action("klaar", TODAY - timedelta(days=1), ActionStatus.DONE)
    action("geschrapt", TODAY - timedelta(days=9), ActionStatus.CANCELLED)
    action_set(goal=goal, title="zonder datum")
    signals = [s for s in compute_signals(goal.cycle, TODAY) if s.kind == SignalKind.ACTION_OVERDUE]
    assert [(s.subject_type, s.subject_id) for s in signals] == [("action", late.pk)]
    with translation.override("en"):
        assert "gisteren" in signals[0].message
    assert (
        len(
            [
                s
                for s in compute_signals(goal.cycle, TODAY + timedelta(days=1))
                if s.kind == SignalKind.ACTION_OVERDUE
            ]
        )
        == 2
    )
