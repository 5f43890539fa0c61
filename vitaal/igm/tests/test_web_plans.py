"""Plans of approach through the web: creating a plan from a closed meter session, the
parts of a plan, bad input, submit, sign-off, reopen, the published summary, and who is
refused (wrong role 403, other organisation 404)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from vitaal.core.testing import login
from vitaal.igm.models import Action, Goal, ImprovementPoint, Plan, PlanLine, PlanStatus, PragmaticInitiative
from vitaal.igm.services import plan_create
from vitaal.igm.services.plans import weakest_lines

from .access_plans import build_plans, closed_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def built(cast):
    return build_plans(cast)


def url(name, cast, **kw):
    return reverse(f"igm:{name}", kwargs={"org": cast.a.organisation.slug, **kw})


def test_weakest_lines_of_a_closed_session(cast, built):
    session = closed_session(cast, cast.a.team1, {"a": 3, "b": 1, "c": 2})
    assert [line.code for line in weakest_lines(session=session)] == ["b", "c"]


def test_coordinator_creates_plan_from_session(client, cast, built):
    Plan.objects.filter(unit=cast.a.team1).delete()
    session = closed_session(cast, cast.a.team1, {"a": 4, "b": 1, "c": 2})
    login(client, cast.user("coordinator"))
    response = client.post(url("plan_create", cast), {"unit": cast.a.team1.pk, "session": session.pk})
    assert response.status_code == 302
    plan = Plan.objects.get(cycle=built["cycle"], unit=cast.a.team1)
    assert [pl.line.code for pl in plan.lines.order_by("priority")] == ["b", "c"]
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert "Line b" in detail.content.decode()


def test_session_of_another_unit_is_refused(client, cast, built):
    Plan.objects.filter(unit=cast.a.team1).delete()
    session = closed_session(cast, cast.a.team2, {"a": 4, "b": 1, "c": 2})
    login(client, cast.user("coordinator"))
    response = client.post(url("plan_create", cast), {"unit": cast.a.team1.pk, "session": session.pk})
    assert response.status_code == 200
    assert "Choose a meter session of the same unit." in response.content.decode()
    assert not Plan.objects.filter(unit=cast.a.team1).exists()


def test_advisor_builds_the_parts_of_a_plan(client, cast, built):
    plan = plan_create(
        cycle=built["cycle"],
        unit=cast.a.team1.parent.children.create(
            organisation=cast.a.organisation, name="Team 3", kind="team", code="T3"
        ),
    )
    login(client, cast.user("advisor"))
    line = plan.cycle.framework.lines.get(code="a")
    assert client.post(url("plan_line_add", cast, pk=plan.pk), {"line": line.pk}).status_code == 302
    plan_line = PlanLine.objects.get(plan=plan)
    r = client.post(url("improvement_point_add", cast, pk=plan.pk, line=plan_line.pk), {"title": "Werkdruk"})
    assert r.status_code == 302
    point = ImprovementPoint.objects.get(plan_line=plan_line)
    goal_data = {
        "specific": "Minder overwerk in piekweken",
        "indicator_name": "Overwerkuren per week",
        "target_value": "2",
        "target_unit": "uur",
        "owner": cast.user("manager").pk,
        "realistic": "Roosters zijn aan te passen.",
        "deadline": "2025-12-01",
    }
    assert client.post(url("goal_add", cast, pk=plan.pk, point=point.pk), goal_data).status_code == 302
    goal = Goal.objects.get(improvement_point=point)
    action_data = {
        "title": "Rooster aanpassen",
        "owner": cast.user("coordinator").pk,
        "due_date": "2025-06-01",
        "hours": "12",
        "money": "500",
        "status": "open",
    }
    assert client.post(url("action_add", cast, pk=plan.pk, goal=goal.pk), action_data).status_code == 302
    action = Action.objects.get(goal=goal)
    assert action.money == 500
    action_data["status"] = "done"
    action_data["done_date"] = "2025-05-30"
    r = client.post(url("action_edit", cast, pk=plan.pk, goal=goal.pk, action=action.pk), action_data)
    assert r.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    page = client.get(url("plan_detail", cast, pk=plan.pk)).content.decode()
    assert "Rooster aanpassen" in page and "Overwerkuren per week" in page


def test_goal_without_measure_or_owner_is_refused(client, cast, built):
    login(client, cast.user("coordinator"))
    point, plan = built["point"], built["draft"]
    before = Goal.objects.count()
    response = client.post(
        url("goal_add", cast, pk=plan.pk, point=point.pk), {"specific": "Beter", "deadline": "2025-12-01"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Make the goal measurable: give an indicator or a target." in body
    assert "Give the goal an owner." in body
    assert Goal.objects.count() == before


def test_dates_before_the_cycle_are_refused(client, cast, built):
    login(client, cast.user("coordinator"))
    plan, goal = built["draft"], built["goal"]
    data = {"title": "Te vroeg", "due_date": "2024-01-01", "hours": "1", "money": "0", "status": "open"}
    response = client.post(url("action_add", cast, pk=plan.pk, goal=goal.pk), data)
    assert response.status_code == 200
    assert "This date lies before the start of the cycle" in response.content.decode()
    assert not Action.objects.filter(title="Te vroeg").exists()


def test_negative_money_is_refused(client, cast, built):
    login(client, cast.user("coordinator"))
    plan, goal = built["draft"], built["goal"]
    data = {"title": "Duur", "hours": "1", "money": "-5", "status": "open"}
    response = client.post(url("action_add", cast, pk=plan.pk, goal=goal.pk), data)
    assert response.status_code == 200
    assert not Action.objects.filter(title="Duur").exists()


def test_removing_a_line_that_goals_use_is_refused(client, cast, built):
    login(client, cast.user("coordinator"))
    plan, plan_line = built["draft"], built["plan_line"]
    response = client.post(
        url("plan_part_remove", cast, pk=plan.pk, part="line", part_pk=plan_line.pk), follow=True
    )
    assert "Goals of this development line are still in the plan; remove those goals first." in (
        response.content.decode()
    )
    assert PlanLine.objects.filter(pk=plan_line.pk).exists()


def test_removing_an_action_then_goal_then_point_then_line(client, cast, built):
    login(client, cast.user("coordinator"))
    plan = built["draft"]
    for part, obj in (
        ("action", built["action"]),
        ("goal", built["goal"]),
        ("point", built["point"]),
        ("line", built["plan_line"]),
    ):
        r = client.post(url("plan_part_remove", cast, pk=plan.pk, part=part, part_pk=obj.pk))
        assert r.status_code == 302
        assert not type(obj).objects.filter(pk=obj.pk).exists(), part


def test_unknown_part_is_404(client, cast, built):
    login(client, cast.user("coordinator"))
    plan = built["draft"]
    assert client.get(url("plan_part_remove", cast, pk=plan.pk, part="cycle", part_pk=1)).status_code == 404


def test_a_third_line_is_refused_by_default(client, cast, built):
    login(client, cast.user("coordinator"))
    plan = built["draft"]
    lines = list(plan.cycle.framework.lines.order_by("order"))
    assert client.post(url("plan_line_add", cast, pk=plan.pk), {"line": lines[1].pk}).status_code == 302
    response = client.post(url("plan_line_add", cast, pk=plan.pk), {"line": lines[2].pk})
    assert response.status_code == 200
    assert "A plan focuses on at most 2 development lines" in response.content.decode()
    assert plan.lines.count() == 2


def test_submit_sign_off_and_publish(client, cast, built):
    plan = built["draft"]
    login(client, cast.user("coordinator"))
    assert client.post(url("plan_submit", cast, pk=plan.pk)).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    # the coordinator cannot sign off
    assert client.post(url("plan_sign_off", cast, pk=plan.pk)).status_code == 403
    client.logout()
    login(client, cast.user("management"))
    assert client.post(url("plan_sign_off", cast, pk=plan.pk)).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED_OFF and plan.signed_off_by == cast.user("management")
    # read only now: the editors are refused
    client.logout()
    login(client, cast.user("coordinator"))
    assert client.get(url("plan_edit", cast, pk=plan.pk)).status_code == 403
    # the employee of team 1 reads the summary, nothing else of the plan
    client.logout()
    login(client, cast.user("employee"))
    page = client.get(url("our_plan", cast)).content.decode()
    assert "Less pressure." in page or "Minder werkdruk." in page
    assert "Overwerkuren" not in page
    assert client.get(url("plan_detail", cast, pk=plan.pk)).status_code == 403


def test_submitting_twice_gives_a_message(client, cast, built):
    login(client, cast.user("coordinator"))
    plan = built["submitted"]
    response = client.post(url("plan_submit", cast, pk=plan.pk), follow=True)
    assert "This plan has already been submitted." in response.content.decode()


def test_coordinator_reopens(client, cast, built):
    plan = built["signed"]
    login(client, cast.user("org_admin"))
    assert client.post(url("plan_reopen", cast, pk=plan.pk)).status_code == 403
    client.logout()
    login(client, cast.user("coordinator"))
    assert client.post(url("plan_reopen", cast, pk=plan.pk)).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.reopened_by == cast.user("coordinator")


def test_works_council_reads_but_cannot_write(client, cast, built):
    login(client, cast.user("works_council"))
    plan = built["draft"]
    assert client.get(url("plan_detail", cast, pk=plan.pk)).status_code == 200
    line = plan.cycle.framework.lines.get(code="b")
    assert client.post(url("plan_line_add", cast, pk=plan.pk), {"line": line.pk}).status_code == 403
    assert plan.lines.count() == 1


def test_other_organisation_gets_404(client, cast, built):
    login(client, cast.user("coordinator_b"))
    plan = built["draft"]
    line = plan.cycle.framework.lines.get(code="b")
    assert client.post(url("plan_line_add", cast, pk=plan.pk), {"line": line.pk}).status_code == 404
    assert client.get(url("plan_detail", cast, pk=plan.pk)).status_code == 404
    assert plan.lines.count() == 1


def test_employee_of_another_team_sees_only_the_plans_above(client, cast, built):
    """The faculty's plan is signed off; team 2's colleague account sees it, team 1's
    draft never shows."""
    login(client, cast.user("employee"))
    page = client.get(url("our_plan", cast)).content.decode()
    assert "Samen gezond werken." in page or "Healthy together." in page
    assert "Less pressure." not in page


def test_pragmatic_initiative(client, cast, built):
    login(client, cast.user("coordinator"))
    response = client.post(
        url("initiative_add", cast),
        {"title": "Fruit in de kantine", "date": "2025-03-01", "unit": cast.a.team2.pk},
    )
    assert response.status_code == 302
    assert PragmaticInitiative.objects.filter(title="Fruit in de kantine", unit=cast.a.team2).exists()
    assert "Fruit in de kantine" in client.get(url("plan_list", cast)).content.decode()
    bad = client.post(url("initiative_add", cast), {"title": "", "date": "niet"})
    assert bad.status_code == 200
    assert PragmaticInitiative.objects.count() == 1


def test_plan_list_queries_do_not_grow(client, cast, built, django_assert_max_num_queries):
    login(client, cast.user("coordinator"))
    client.get(url("plan_list", cast))
    with django_assert_max_num_queries(20) as ctx:
        client.get(url("plan_list", cast))
    few = len(ctx.captured_queries)
    org = cast.a.organisation
    for i in range(6):
        unit = cast.a.faculty.children.create(organisation=org, name=f"Extra {i}", kind="team", code=f"X{i}")
        plan_create(cycle=built["cycle"], unit=unit)
    with django_assert_max_num_queries(few):
        client.get(url("plan_list", cast))
    with django_assert_max_num_queries(few + 12):
        client.get(url("plan_detail", cast, pk=built["draft"].pk))


def test_detail_queries_do_not_grow_with_actions(client, cast, built, django_assert_max_num_queries):
    from vitaal.igm.services import action_set

    login(client, cast.user("coordinator"))
    plan = built["draft"]
    client.get(url("plan_detail", cast, pk=plan.pk))
    with django_assert_max_num_queries(40) as ctx:
        client.get(url("plan_detail", cast, pk=plan.pk))
    few = len(ctx.captured_queries)
    for i in range(5):
        action_set(
            goal=built["goal"], title=f"Actie {i}", owner=cast.user("hr"), due_date=date(2025, 7, i + 1)
        )
    with django_assert_max_num_queries(few):
        client.get(url("plan_detail", cast, pk=plan.pk))


def test_goal_edit_keeps_values_and_refuses_bad_deadline(client, cast, built):
    login(client, cast.user("coordinator"))
    plan, point, goal = built["draft"], built["point"], built["goal"]
    edit = url("goal_edit", cast, pk=plan.pk, point=point.pk, goal=goal.pk)
    page = client.get(edit).content.decode()
    assert "Overwerkuren" in page
    data = {
        "specific": "Minder overwerk",
        "indicator_name": "Overwerkuren",
        "owner": cast.user("manager").pk,
        "deadline": "2024-12-01",
    }
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "This date lies before the start of the cycle" in response.content.decode()
    goal.refresh_from_db()
    assert goal.deadline == date(2025, 12, 1)
    data["deadline"] = "2026-03-01"
    assert client.post(edit, data).status_code == 302
    goal.refresh_from_db()
    assert goal.deadline == date(2026, 3, 1)
