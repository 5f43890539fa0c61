"""The IGM demo builder on a small demo: three organisations at three stages."""

from __future__ import annotations

import time

import pytest

from vitaal.core.demo import build_demo
from vitaal.igm.comparisons import baseline_and_evaluation, compare_sessions
from vitaal.igm.models import (
    Action,
    ActionStatus,
    Cycle,
    LearningNetwork,
    MeterSession,
    Plan,
    PlanStatus,
    Practice,
    PracticeSource,
    RegistrationStatus,
    SessionPurpose,
    StepStatus,
    StoredSignal,
)
from vitaal.igm.web.network.selectors import network_lessons

pytestmark = pytest.mark.django_db


def test_demo_builds_the_three_stages_quickly():
    started = time.monotonic()
    report = build_demo(people=150, organisations=3)
    elapsed = time.monotonic() - started
    assert elapsed < 30, f"demo took {elapsed:.1f}s"

    small, mid, late = (c.organisation for c in Cycle.objects.select_related("organisation").order_by("pk"))
    # 1: just starting
    first = Cycle.objects.get(organisation=small)
    assert first.phases.get(number=0).status == "done"
    assert first.phases.get(number=1).status == "in_progress"
    assert first.coordinator_assignments.filter(to_date__isnull=True).exists()
    memo = first.phases.get(number=1).steps.get(code="start-memo")
    assert memo.status == StepStatus.OPEN
    assert not MeterSession.objects.filter(organisation=small).exists()

    # 2: phase 3, four baseline sessions and draft plans
    second = Cycle.objects.get(organisation=mid)
    assert second.phases.get(number=3).status == "in_progress"
    baselines = MeterSession.objects.filter(organisation=mid, purpose=SessionPurpose.BASELINE)
    assert baselines.count() == 4 and baselines.values("unit").distinct().count() == 4
    plans = Plan.objects.filter(cycle=second)
    assert plans.count() == 4 and set(plans.values_list("status", flat=True)) == {PlanStatus.DRAFT}
    assert all(p.lines.count() == 2 for p in plans)

    # 3: phase 5, re-measurement with deltas, signed-off plans, done actions, lessons
    third = Cycle.objects.get(organisation=late)
    assert third.phases.get(number=5).status == "in_progress"
    evaluation = MeterSession.objects.filter(organisation=late, purpose=SessionPurpose.EVALUATION).first()
    assert evaluation is not None
    base, again = baseline_and_evaluation(organisation=late, framework=third.framework, unit=evaluation.unit)
    assert base is not None and again == evaluation
    deltas = compare_sessions(base=base, other=again)
    assert any(d.delta is not None and d.delta > 0 for d in deltas)
    assert set(Plan.objects.filter(cycle=third).values_list("status", flat=True)) == {PlanStatus.SIGNED_OFF}
    assert Action.objects.filter(
        goal__improvement_point__plan_line__plan__cycle=third, status=ActionStatus.DONE
    )
    registrations = third.phases.filter(registration__status=RegistrationStatus.VERIFIED)
    assert registrations.count() == 5

    # the network, the toolbox, the signals, the summary
    network = LearningNetwork.objects.get()
    assert network.memberships.count() == 3
    assert Practice.objects.filter(source=PracticeSource.TOOLBOX).count() >= 10
    from vitaal.core.models import Membership

    member = Membership.objects.filter(role="coordinator", organisation=mid).first().user
    assert len(network_lessons(network=network, user=member)) == 5
    assert StoredSignal.objects.filter(cycle=third, kind="action_overdue").exists()
    assert any(line.startswith("igm:") for line in report.extra)
