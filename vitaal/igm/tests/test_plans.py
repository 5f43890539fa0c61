"""Plans of approach (phase 3): the default focus limits, SMART goals, sign-off by
management only, read only after sign-off, the employees' summaries, the pragmatic track,
and who may see what."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from vitaal.core.models import Membership
from vitaal.core.roles import Role
from vitaal.core.testing import ORG_ROLES, SECTOR_ROLES
from vitaal.igm.models import (
    Action,
    ActionStatus,
    DevelopmentLine,
    Goal,
    ImprovementPoint,
    Plan,
    PlanStatus,
    PragmaticInitiative,
)
from vitaal.igm.selectors import PLAN_SUMMARY_FIELDS, published_plan_summaries
from vitaal.igm.services import (
    action_set,
    cycle_close,
    cycle_start,
    goal_set,
    improvement_point_add,
    plan_create,
    plan_line_add,
    plan_reopen,
    plan_sign_off,
    plan_submit,
    plan_update,
    pragmatic_initiative_record,
)

from .conftest import START

EDITORS = {"coordinator", "org_admin", "advisor"}
READERS = EDITORS | {"management", "works_council"}


def lines(cycle) -> list[DevelopmentLine]:
    return list(cycle.framework.lines.order_by("order"))


@pytest.fixture
def plan(cast, cycle) -> Plan:
    return plan_create(cycle=cycle, unit=cast.a.team1, summary_nl="We werken aan rust.", summary_en="Calm.")


@pytest.fixture
def point(plan, cycle) -> ImprovementPoint:
    plan_line = plan_line_add(plan=plan, line=lines(cycle)[0])
    return improvement_point_add(plan_line=plan_line, title="Werkdruk", description="Piekweken")


def smart(cast, point, **kw):
    values = {
        "improvement_point": point,
        "specific": "Minder overwerk in piekweken",
        "indicator_name": "Overwerkuren per week",
        "target_value": Decimal("2"),
        "target_unit": "uur",
        "owner": cast.user("manager"),
        "deadline": START + timedelta(days=180),
        "realistic": "Roosters zijn aan te passen.",
    }
    values.update(kw)
    return goal_set(**values)


def signed_off(cast, plan) -> Plan:
    plan_submit(plan=plan)
    return plan_sign_off(plan=plan, by=cast.user("management"))


# --- focus limits ------------------------------------------------------------------------


def test_at_most_two_lines_unless_the_plan_overrides(cycle, plan):
    a, b, c = lines(cycle)
    first = plan_line_add(plan=plan, line=a)
    second = plan_line_add(plan=plan, line=b)
    assert (first.priority, second.priority) == (1, 2)
    with pytest.raises(ValidationError) as exc:
        plan_line_add(plan=plan, line=c)
    assert "at most 2 development lines" in str(exc.value)
    assert plan.lines.count() == 2
    plan_update(plan=plan, exceed_defaults=True)
    third = plan_line_add(plan=plan, line=c)
    assert third.priority == 3
    with pytest.raises(ValidationError):
        plan_update(plan=plan, exceed_defaults=False)
    assert Plan.objects.get(pk=plan.pk).exceed_defaults


def test_at_most_two_points_per_line_unless_the_plan_overrides(point):
    plan_line = point.plan_line
    improvement_point_add(plan_line=plan_line, title="Tweede")
    with pytest.raises(ValidationError) as exc:
        improvement_point_add(plan_line=plan_line, title="Derde")
    assert "at most 2 improvement points" in str(exc.value)
    assert plan_line.points.count() == 2
    plan_update(plan=plan_line.plan, exceed_defaults=True)
    improvement_point_add(plan_line=plan_line, title="Derde")
    assert plan_line.points.count() == 3


def test_a_line_of_another_framework_or_twice_is_refused(cast, cycle, plan, igm_default):
    foreign = igm_default.framework.lines.first()
    with pytest.raises(ValidationError) as exc:
        plan_line_add(plan=plan, line=foreign)
    assert "framework of the cycle" in str(exc.value)
    plan_line_add(plan=plan, line=lines(cycle)[0])
    with pytest.raises(ValidationError):
        plan_line_add(plan=plan, line=lines(cycle)[0])
    assert plan.lines.count() == 1


def test_one_plan_per_unit_and_one_central_plan(cast, cycle, plan):
    with pytest.raises(ValidationError):
        plan_create(cycle=cycle, unit=cast.a.team1)
    central = plan_create(cycle=cycle)
    assert central.unit is None
    with pytest.raises(ValidationError):
        plan_create(cycle=cycle)
    with pytest.raises(ValidationError) as exc:
        plan_create(cycle=cycle, unit=cast.b.team1)
    assert "another organisation" in str(exc.value)
    assert Plan.objects.filter(cycle=cycle).count() == 2


def test_no_plan_in_a_closed_cycle(cast, cycle):
    cycle_close(cycle=cycle, closed_on=date(2025, 12, 1))
    cycle.refresh_from_db()
    with pytest.raises(ValidationError):
        plan_create(cycle=cycle, unit=cast.a.team2)
    assert not Plan.objects.exists()


# --- SMART goals and actions -------------------------------------------------------------


def test_a_smart_goal_is_stored(cast, point):
    goal = smart(cast, point)
    stored = Goal.objects.get(pk=goal.pk)
    assert stored.target_value == Decimal("2")
    assert stored.owner == cast.user("manager")
    assert stored.has_indicator
    changed = smart(cast, point, goal=goal, indicator_name="", indicator_code="overwerk")
    assert changed.pk == goal.pk
    assert Goal.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"specific": "  "}, "specific", "specifically"),
        ({"indicator_name": "", "target_value": None}, "indicator_name", "measurable"),
        ({"owner": None}, "owner", "owner"),
        ({"deadline": None}, "deadline", "deadline"),
        ({"deadline": START - timedelta(days=1)}, "deadline", "before the start of the cycle"),
    ],
)
def test_smart_refusals_write_nothing(cast, point, change, field, text):
    with pytest.raises(ValidationError) as exc:
        smart(cast, point, **change)
    assert field in exc.value.message_dict
    assert text in " ".join(exc.value.message_dict[field])
    assert not Goal.objects.exists()


def test_a_deadline_on_the_start_day_is_fine(cast, point):
    assert smart(cast, point, deadline=START).deadline == START


def test_actions_and_their_refusals(cast, point):
    goal = smart(cast, point)
    action = action_set(
        goal=goal,
        title="Rooster herzien",
        owner=cast.user("manager"),
        due_date=START,
        hours=Decimal("16.5"),
        money=Decimal("750.00"),
    )
    assert Action.objects.get(pk=action.pk).hours == Decimal("16.5")
    for kw in (
        {"hours": Decimal("-1")},
        {"money": Decimal("-0.01")},
        {"due_date": START - timedelta(days=1)},
        {"status": ActionStatus.OPEN, "done_date": START},
    ):
        with pytest.raises(ValidationError):
            action_set(goal=goal, title="Fout", **kw)
    assert Action.objects.count() == 1
    done = action_set(
        goal=goal, action=action, title="Rooster herzien", status=ActionStatus.DONE, done_date=START
    )
    assert done.pk == action.pk and done.status == ActionStatus.DONE


# --- submit, sign off, reopen ------------------------------------------------------------


def test_an_empty_plan_cannot_be_submitted(plan):
    with pytest.raises(ValidationError):
        plan_submit(plan=plan)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_management_signs_off_a_submitted_plan(cast, point):
    plan = point.plan_line.plan
    with pytest.raises(ValidationError) as exc:
        plan_sign_off(plan=plan, by=cast.user("management"))
    assert "Submit the plan" in str(exc.value)
    plan = signed_off(cast, plan)
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.status == PlanStatus.SIGNED_OFF
    assert stored.signed_off_by == cast.user("management")
    assert stored.signed_off_at is not None


@pytest.mark.parametrize(
    "role", ["coordinator", "org_admin", "advisor", "works_council", "hr", "employee", "management_b"]
)
def test_only_management_signs_off(cast, point, role):
    plan = plan_submit(plan=point.plan_line.plan)
    with pytest.raises(ValidationError) as exc:
        plan_sign_off(plan=plan, by=cast.user(role))
    assert "Only management" in str(exc.value)
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.status == PlanStatus.SUBMITTED
    assert stored.signed_off_by is None
    assert not cast.user(role).has_perm("igm.signoff_plan", stored)


def test_unit_management_signs_off_only_the_plans_of_its_units(cast, cycle, point):
    user = cast.user("employee")
    Membership.objects.create(
        user=user,
        role=Role.MANAGEMENT,
        sector=cast.sector,
        organisation=cast.a.organisation,
        unit=cast.a.team2,
    )
    plan = plan_submit(plan=point.plan_line.plan)  # the plan of team 1
    with pytest.raises(ValidationError):
        plan_sign_off(plan=plan, by=user)
    other = plan_create(cycle=cycle, unit=cast.a.team2)
    plan_line_add(plan=other, line=lines(cycle)[0])
    plan_submit(plan=other)
    assert plan_sign_off(plan=other, by=user).status == PlanStatus.SIGNED_OFF


def test_a_signed_off_plan_is_read_only_until_the_coordinator_reopens_it(cast, cycle, point):
    goal = smart(cast, point)
    plan = signed_off(cast, point.plan_line.plan)
    attempts = [
        lambda: plan_line_add(plan=plan, line=lines(cycle)[1]),
        lambda: improvement_point_add(plan_line=point.plan_line, title="Nieuw"),
        lambda: smart(cast, point, goal=goal, specific="Anders"),
        lambda: action_set(goal=goal, title="Nieuw"),
        lambda: plan_update(plan=plan, summary_nl="Anders"),
        lambda: plan_submit(plan=plan),
        lambda: plan_sign_off(plan=plan, by=cast.user("management")),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert "read only" in str(exc.value)
    assert Goal.objects.get(pk=goal.pk).specific == "Minder overwerk in piekweken"
    assert not Action.objects.exists()
    assert not cast.user("coordinator").has_perm("igm.change_plan", plan)
    assert not cast.user("coordinator").has_perm("igm.change_plan", Goal.objects.get(pk=goal.pk))
    for role in ("management", "org_admin", "advisor", "works_council"):
        with pytest.raises(ValidationError):
            plan_reopen(plan=plan, by=cast.user(role))
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SIGNED_OFF
    assert cast.user("coordinator").has_perm("igm.reopen_plan", plan)
    reopened = plan_reopen(plan=plan, by=cast.user("coordinator"))
    stored = Plan.objects.get(pk=reopened.pk)
    assert stored.status == PlanStatus.DRAFT
    assert stored.reopened_by == cast.user("coordinator")
    assert stored.reopened_at is not None
    assert stored.signed_off_by is None
    assert cast.user("coordinator").has_perm("igm.change_plan", stored)
    smart(cast, point, goal=goal, specific="Anders")
    with pytest.raises(ValidationError):
        plan_reopen(plan=stored, by=cast.user("coordinator"))


# --- the pragmatic track -----------------------------------------------------------------


def test_pragmatic_initiatives(cast, cycle, igm_default):
    initiative = pragmatic_initiative_record(
        cycle=cycle,
        title="Fietsplan",
        date=date(2025, 4, 1),
        unit=cast.a.team1,
        line=lines(cycle)[2],
        recorded_by=cast.user("coordinator"),
    )
    assert PragmaticInitiative.objects.get(pk=initiative.pk).organisation == cast.a.organisation
    for kw in ({"unit": cast.b.team1}, {"line": igm_default.framework.lines.first()}, {"title": ""}):
        values = {"cycle": cycle, "title": "Fout", "date": date(2025, 4, 1), **kw}
        with pytest.raises(ValidationError):
            pragmatic_initiative_record(**values)
    assert PragmaticInitiative.objects.count() == 1


# --- who sees what -----------------------------------------------------------------------


def test_plan_permissions_per_role(cast, cycle, point):
    plan = point.plan_line.plan
    goal = smart(cast, point)
    for role in ORG_ROLES:
        user = cast.user(role)
        for obj in (plan, point.plan_line, point, goal):
            assert user.has_perm("igm.view_plan", obj) == (role in READERS), (role, obj)
            assert user.has_perm("igm.change_plan", obj) == (role in EDITORS), (role, obj)
        assert user.has_perm("igm.add_plan", cycle) == (role in EDITORS), role
        assert Plan.objects.visible_to(user).filter(pk=plan.pk).exists() == (role in READERS), role
        assert Plan.objects.visible_to(user, "change").filter(pk=plan.pk).exists() == (role in EDITORS), role
    with pytest.raises(ValueError):
        Plan.objects.visible_to(cast.user("coordinator"), "delete")


def test_unit_management_reads_its_own_plans_and_the_central_plan(cast, cycle, plan):
    central = plan_create(cycle=cycle)
    other = plan_create(cycle=cycle, unit=cast.a.team2)
    user = cast.user("employee")
    Membership.objects.create(
        user=user,
        role=Role.MANAGEMENT,
        sector=cast.sector,
        organisation=cast.a.organisation,
        unit=cast.a.team1,
    )
    assert set(Plan.objects.visible_to(user)) == {plan, central}
    assert user.has_perm("igm.view_plan", plan) and user.has_perm("igm.view_plan", central)
    assert not user.has_perm("igm.view_plan", other)
    assert not user.has_perm("igm.change_plan", plan)


def test_organisation_b_and_the_sector_roles_get_nothing(cast, cycle, point):
    plan = signed_off(cast, point.plan_line.plan)
    for role in ORG_ROLES:
        user = cast.user(f"{role}_b")
        for perm in ("igm.view_plan", "igm.change_plan", "igm.signoff_plan", "igm.reopen_plan"):
            assert not user.has_perm(perm, plan), (role, perm)
        assert not user.has_perm("igm.add_plan", cycle), role
        assert not Plan.objects.visible_to(user).exists(), role
        assert not published_plan_summaries(user).exists(), role
    for role in SECTOR_ROLES:
        assert not cast.user(role).has_perm("igm.view_plan", plan), role
        assert not Plan.objects.visible_to(cast.user(role)).exists(), role


def test_employees_see_only_the_summaries_of_signed_off_plans(cast, cycle, framework, point):
    employee = cast.user("employee")  # works in team 1
    assert not employee.has_perm("igm.view_plan", point.plan_line.plan)
    assert list(published_plan_summaries(employee)) == []  # not signed off yet
    plan = signed_off(cast, point.plan_line.plan)
    central = plan_create(cycle=cycle, summary_nl="Centraal", summary_en="Central")
    plan_line_add(plan=central, line=lines(cycle)[1])
    signed_off(cast, central)
    faculty = plan_create(cycle=cycle, unit=cast.a.faculty, summary_nl="Faculteit")
    plan_line_add(plan=faculty, line=lines(cycle)[1])
    signed_off(cast, faculty)
    team2 = plan_create(cycle=cycle, unit=cast.a.team2, summary_nl="Team 2")
    plan_line_add(plan=team2, line=lines(cycle)[1])
    signed_off(cast, team2)
    # Organisation B's signed-off plan is not shown to A's employee.
    other_cycle = cycle_start(organisation=cast.b.organisation, started_on=START, framework=framework)
    other = plan_create(cycle=other_cycle, summary_nl="B")
    plan_line_add(plan=other, line=lines(cycle)[0])
    signed_off_b = plan_submit(plan=other)
    plan_sign_off(plan=signed_off_b, by=cast.user("management_b"))

    rows = list(published_plan_summaries(employee))
    assert {r["pk"] for r in rows} == {plan.pk, central.pk, faculty.pk}
    for row in rows:
        assert set(row) == set(PLAN_SUMMARY_FIELDS)
        assert "status" not in row and "signed_off_by" not in row
    assert {r["summary_nl"] for r in rows} == {"We werken aan rust.", "Centraal", "Faculteit"}
    assert not published_plan_summaries(AnonymousUser()).exists()
    assert not published_plan_summaries(cast.user("sector_admin")).exists()
    assert [r["pk"] for r in published_plan_summaries(cast.user("employee_b"))] == [other.pk]
