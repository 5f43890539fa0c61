"""Starting, planning and running an improvement cycle; bad input changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from vitaal.igm.models import (
    AdviceOutcome,
    AdviceSubject,
    CoordinatorAssignment,
    Cycle,
    CycleStatus,
    GroupKind,
    MeetingKind,
    Phase,
    PhaseStatus,
    PhaseStep,
    StepStatus,
    WorksCouncilAdvice,
)
from vitaal.igm.services import (
    cycle_close,
    cycle_coordinator_change,
    cycle_start,
    default_steps,
    group_member_add,
    meeting_record,
    phase_update,
    step_update,
    works_council_advice_record,
)

from .conftest import START


def test_cycle_start_creates_six_phases_and_the_default_steps(cycle):
    phases = list(cycle.phases.order_by("number"))
    assert [p.number for p in phases] == [0, 1, 2, 3, 4, 5]
    assert all(p.status == PhaseStatus.NOT_STARTED for p in phases)
    expected = default_steps()
    for phase in phases:
        codes = list(phase.steps.values_list("code", flat=True))
        assert codes == [s["code"] for s in expected[phase.number]], phase.number
        assert codes, f"phase {phase.number} has no steps"
    assert PhaseStep.objects.filter(phase__cycle=cycle, code="management-letter", phase__number=0).exists()
    assert PhaseStep.objects.filter(phase__cycle=cycle, code="smart-goals", track="decentral").exists()
    assert cycle.number == 1
    assert cycle.previous is None
    assert list(cycle.coordinator_assignments.values_list("from_date", flat=True)) == [START]


def test_every_default_step_has_both_languages():
    for steps in default_steps().values():
        for step in steps:
            assert step["title_nl"] and step["title_en"] and step["code"]
            assert step["track"] in ("central", "decentral")


def test_a_second_active_cycle_is_refused(cast, cycle, framework):
    with pytest.raises(ValidationError) as exc:
        cycle_start(organisation=cast.a.organisation, started_on=date(2025, 6, 1), framework=framework)
    assert "already has an active cycle" in str(exc.value)
    assert Cycle.objects.filter(organisation=cast.a.organisation).count() == 1
    assert Phase.objects.filter(cycle__organisation=cast.a.organisation).count() == 6


def test_the_database_refuses_a_second_active_cycle_too(cast, cycle, framework):
    second = Cycle(organisation=cast.a.organisation, number=2, framework=framework, started_on=START)
    with pytest.raises(ValidationError) as exc:
        second.full_clean()
    assert "already has an active cycle" in str(exc.value)


def test_another_organisation_may_run_its_own_cycle(cast, cycle, framework):
    other = cycle_start(organisation=cast.b.organisation, started_on=START, framework=framework)
    assert other.number == 1


def test_a_new_cycle_starts_from_the_closed_one(cast, cycle, framework):
    cycle_close(cycle=cycle, closed_on=date(2026, 1, 31))
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED
    assert cycle.coordinator_assignments.get().to_date == date(2026, 1, 31)
    second = cycle_start(organisation=cast.a.organisation, started_on=date(2026, 2, 1), framework=framework)
    assert second.number == 2
    assert second.previous == cycle


def test_closing_before_the_start_is_refused(cycle):
    with pytest.raises(ValidationError):
        cycle_close(cycle=cycle, closed_on=date(2024, 12, 31))
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.ACTIVE


def test_a_closed_cycle_cannot_be_changed(cycle):
    cycle_close(cycle=cycle, closed_on=date(2025, 12, 1))
    step = PhaseStep.objects.filter(phase__cycle=cycle).first()
    with pytest.raises(ValidationError) as exc:
        step_update(cycle=cycle, step=step, status=StepStatus.DONE)
    assert "closed" in str(exc.value)


def test_phase_dates_must_be_in_order(cycle):
    phase = cycle.phases.get(number=2)
    phase_update(phase=phase, planned_start=date(2025, 3, 1), planned_end=date(2025, 4, 30))
    with pytest.raises(ValidationError) as exc:
        phase_update(phase=phase, planned_end=date(2025, 2, 1))
    assert "before the start date" in str(exc.value)
    phase.refresh_from_db()
    assert phase.planned_end == date(2025, 4, 30)


def test_step_update_records_the_done_date_and_clears_it_on_reopening(cast, cycle):
    step = PhaseStep.objects.filter(phase__cycle=cycle).first()
    step = step_update(
        cycle=cycle,
        step=step,
        status=StepStatus.DONE,
        owner=cast.user("coordinator"),
        due_date=date(2025, 2, 1),
        today=date(2025, 1, 20),
    )
    assert step.done_date == date(2025, 1, 20)
    step = step_update(cycle=cycle, step=step, status=StepStatus.IN_PROGRESS, notes="Opnieuw")
    assert step.done_date is None
    assert step.owner == cast.user("coordinator")


def test_a_step_of_another_cycle_is_refused(cast, cycle, framework):
    other = cycle_start(organisation=cast.b.organisation, started_on=START, framework=framework)
    foreign = PhaseStep.objects.filter(phase__cycle=other).first()
    with pytest.raises(ValidationError) as exc:
        step_update(cycle=cycle, step=foreign, status=StepStatus.DONE)
    assert "another cycle" in str(exc.value)
    foreign.refresh_from_db()
    assert foreign.status == StepStatus.OPEN


def test_a_step_owner_from_another_organisation_is_refused(cast, cycle):
    step = PhaseStep.objects.filter(phase__cycle=cycle).first()
    with pytest.raises(ValidationError):
        step_update(cycle=cycle, step=step, owner=cast.user("coordinator_b"))


def test_every_coordinator_change_is_recorded(cast, cycle):
    cycle_coordinator_change(cycle=cycle, user=cast.user("org_admin"), on_date=date(2025, 5, 1))
    cycle_coordinator_change(cycle=cycle, user=cast.user("advisor"), on_date=date(2025, 9, 1))
    rows = list(CoordinatorAssignment.objects.filter(cycle=cycle).order_by("from_date"))
    assert [(r.user, r.from_date, r.to_date) for r in rows] == [
        (cast.user("coordinator"), START, date(2025, 4, 30)),
        (cast.user("org_admin"), date(2025, 5, 1), date(2025, 8, 31)),
        (cast.user("advisor"), date(2025, 9, 1), None),
    ]


def test_coordinator_change_refuses_the_same_person_and_earlier_dates(cast, cycle):
    with pytest.raises(ValidationError):
        cycle_coordinator_change(cycle=cycle, user=cast.user("coordinator"), on_date=date(2025, 5, 1))
    with pytest.raises(ValidationError):
        cycle_coordinator_change(cycle=cycle, user=cast.user("org_admin"), on_date=START)
    assert CoordinatorAssignment.objects.filter(cycle=cycle).count() == 1


def test_meeting_derives_management_presence_from_attendees(cast, cycle):
    without = meeting_record(
        cycle=cycle, date=date(2025, 2, 1), kind=MeetingKind.PROJECT, attendees=[cast.user("coordinator")]
    )
    with_mgmt = meeting_record(
        cycle=cycle,
        date=date(2025, 3, 1),
        kind=MeetingKind.STEERING,
        attendees=[cast.user("coordinator"), cast.user("management")],
        phase=cycle.phases.get(number=1),
    )
    explicit = meeting_record(
        cycle=cycle, date=date(2025, 4, 1), kind=MeetingKind.MONTHLY, management_present=True
    )
    assert not without.management_present
    assert with_mgmt.management_present
    assert set(with_mgmt.attendees.all()) == {cast.user("coordinator"), cast.user("management")}
    assert explicit.management_present


def test_a_meeting_in_a_phase_of_another_cycle_is_refused(cast, cycle, framework):
    other = cycle_start(organisation=cast.b.organisation, started_on=START, framework=framework)
    with pytest.raises(ValidationError):
        meeting_record(cycle=cycle, date=date(2025, 2, 1), kind="other", phase=other.phases.first())
    assert not cycle.meetings.exists()


def test_group_membership_dates_in_order(cast, cycle):
    group_member_add(
        cycle=cycle, user=cast.user("management"), group=GroupKind.STEERING, role="chair", from_date=START
    )
    with pytest.raises(ValidationError):
        group_member_add(
            cycle=cycle,
            user=cast.user("hr"),
            group=GroupKind.PROJECT,
            from_date=date(2025, 3, 1),
            to_date=date(2025, 2, 1),
        )
    assert cycle.group_members.count() == 1


def test_works_council_member_records_advice_and_its_outcome(cast, cycle):
    member = cast.user("works_council")
    assert member.has_perm("igm.advise_cycle", cycle)
    advice = works_council_advice_record(
        cycle=cycle, subject=AdviceSubject.START_MEMO, requested_on=date(2025, 2, 1), recorded_by=member
    )
    assert advice.outcome == AdviceOutcome.PENDING
    advice = works_council_advice_record(
        cycle=cycle,
        advice=advice,
        subject=AdviceSubject.START_MEMO,
        requested_on=date(2025, 2, 1),
        given_on=date(2025, 3, 1),
        outcome=AdviceOutcome.CONDITIONAL,
        note="Mits de medewerkers vooraf worden geïnformeerd.",
        recorded_by=member,
    )
    advice.refresh_from_db()
    assert advice.outcome == AdviceOutcome.CONDITIONAL
    assert advice.recorded_by == member


def test_works_council_advice_bad_input_changes_nothing(cast, cycle, framework):
    with pytest.raises(ValidationError):
        works_council_advice_record(
            cycle=cycle,
            subject=AdviceSubject.PLAN,
            requested_on=date(2025, 3, 1),
            given_on=date(2025, 2, 1),
            outcome=AdviceOutcome.POSITIVE,
        )
    with pytest.raises(ValidationError):
        works_council_advice_record(
            cycle=cycle,
            subject=AdviceSubject.PLAN,
            requested_on=date(2025, 3, 1),
            outcome=AdviceOutcome.NEGATIVE,
        )
    other = cycle_start(organisation=cast.b.organisation, started_on=START, framework=framework)
    foreign = works_council_advice_record(cycle=other, subject="plan", requested_on=date(2025, 3, 1))
    with pytest.raises(ValidationError):
        works_council_advice_record(
            cycle=cycle, advice=foreign, subject="plan", requested_on=date(2025, 3, 1)
        )
    assert not WorksCouncilAdvice.objects.filter(cycle=cycle).exists()
