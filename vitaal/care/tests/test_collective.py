"""Collective activities: planning, enrolment rules, the go/no-go task, and who sees the
participants."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from vitaal.care import collective
from vitaal.care.models import ActivityStatus, CollectiveActivity, Enrolment
from vitaal.care.tests.work_world import build_work_world
from vitaal.core.testing import login


@pytest.fixture
def ww(cast):
    return build_work_world(cast, with_requests=False)


def plan(ww, user="care_coordinator", **changes) -> CollectiveActivity:
    now = timezone.now()
    values = {
        "title": "Workshop beter slapen",
        "organisation": ww.cast.a.organisation,
        "intervention": ww.workshop,
        "starts_at": now + timedelta(days=10),
        "enrolment_deadline": now + timedelta(days=5),
        "capacity": 2,
        "min_participants": 2,
    }
    values.update(changes)
    return collective.activity_create(
        user=ww.cast.user(user), sector=ww.cast.sector, spec=collective.ActivitySpec(**values)
    )


def test_coordinator_and_provider_plan_others_cannot(ww):
    assert plan(ww).provider is None
    assert plan(ww, user="provider").provider == ww.balans  # always their own provider
    for role in ("hr", "org_admin", "employee", "sector_admin"):
        with pytest.raises(ValidationError, match="not allowed"):
            plan(ww, user=role)


def test_bad_plans_are_refused(ww):
    with pytest.raises(ValidationError):
        plan(ww, min_participants=5)  # more than the 2 places
    with pytest.raises(ValidationError):
        plan(ww, enrolment_deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="for groups"):
        plan(ww, intervention=ww.coaching)
    assert CollectiveActivity.objects.count() == 0


def test_enrolment_until_full_and_only_for_the_own_organisation(ww):
    activity = plan(ww)
    cast = ww.cast
    collective.enrol(user=cast.user("employee"), activity=activity)
    with pytest.raises(ValidationError, match="already enrolled"):
        collective.enrol(user=cast.user("employee"), activity=activity)
    with pytest.raises(ValidationError, match="not allowed"):
        collective.enrol(user=cast.user("employee_b"), activity=activity)
    collective.enrol(user=cast.user("manager"), activity=activity)
    sector_wide = plan(ww, organisation=None, capacity=1, min_participants=1)
    collective.enrol(user=cast.user("employee_b"), activity=sector_wide)
    with pytest.raises(ValidationError, match="full"):
        collective.enrol(user=cast.user("employee"), activity=sector_wide)
    collective.unenrol(user=cast.user("employee_b"), activity=sector_wide)
    collective.enrol(user=cast.user("employee"), activity=sector_wide)
    assert Enrolment.objects.count() == 3


def test_no_enrolment_after_the_deadline(ww):
    activity = plan(ww)
    CollectiveActivity.objects.filter(pk=activity.pk).update(
        enrolment_deadline=timezone.now() - timedelta(minutes=1)
    )
    activity.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        collective.enrol(user=ww.cast.user("employee"), activity=activity)


def test_go_no_go_after_the_deadline_notifies_participants(ww, django_capture_on_commit_callbacks):
    go = plan(ww)
    no_go = plan(ww, title="Omgaan met stress")
    early = plan(ww, title="Later", enrolment_deadline=timezone.now() + timedelta(days=8))
    cast = ww.cast
    for user in ("employee", "manager"):
        collective.enrol(user=cast.user(user), activity=go)
    collective.enrol(user=cast.user("employee"), activity=no_go)
    with django_capture_on_commit_callbacks(execute=True):
        decisions = collective.decide_collective_activities(now=timezone.now() + timedelta(days=6))
    assert {(d.activity_id, d.status, d.participants) for d in decisions} == {
        (go.pk, ActivityStatus.GO, 2),
        (no_go.pk, ActivityStatus.CANCELLED, 1),
    }
    early.refresh_from_db()
    assert early.status == ActivityStatus.OPEN
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert "slapen" not in message.body and "stress" not in message.body.lower()
    # Running again decides nothing twice.
    assert collective.decide_collective_activities(now=timezone.now() + timedelta(days=6)) == []


def test_pages_enrol_and_only_managers_see_participants(client, ww):
    activity = plan(ww, provider=ww.balans)
    cast = ww.cast
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login(client, cast.user("employee"))
    url = reverse("care:activity_detail", args=[activity.pk])
    page = client.get(url).content.decode()
    assert "Enrol" in page and "Workshop beter slapen" in page
    assert client.post(reverse("care:activity_enrol", args=[activity.pk])).status_code == 302
    assert "You are enrolled" in client.get(url).content.decode()
    assert cast.a.people["employee"].first_name not in client.get(url).content.decode().split("</h1>")[1]
    for role, sees in (("care_coordinator", True), ("provider", True)):
        client.logout()
        login(client, cast.user(role))
        body = client.get(url).content.decode()
        assert ("Employee A" in body) is sees, role
    for role in ("hr", "manager_b", "org_admin", "works_council"):
        client.logout()
        login(client, cast.user(role))
        assert client.get(url).status_code == 404, role
    # The manager of the team is an employee too: they see the activity, not who enrolled.
    client.logout()
    login(client, cast.user("manager"))
    assert "Employee A" not in client.get(url).content.decode()


def test_activity_list_query_count_does_not_grow(client, ww, django_assert_max_num_queries):
    login(client, ww.cast.user("care_coordinator"))
    plan(ww)
    client.get(reverse("care:activity_list"))
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("care:activity_list"))
    for i in range(4):
        plan(ww, title=f"Sessie {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("care:activity_list"))


def test_planning_through_the_page(client, ww):
    login(client, ww.cast.user("provider"))
    now = timezone.localtime()
    data = {
        "title": "Lunchwandeling",
        "organisation": ww.cast.a.organisation.pk,
        "starts_at": (now + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
        "enrolment_deadline": (now + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": 10,
        "min_participants": 4,
    }
    assert client.post(reverse("care:activity_create"), data).status_code == 200  # deadline after start
    assert CollectiveActivity.objects.count() == 0
    data["enrolment_deadline"] = (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(reverse("care:activity_create"), data).status_code == 302
    assert CollectiveActivity.objects.get().provider == ww.balans


def test_activity_detail_query_count_does_not_grow(client, ww, django_assert_max_num_queries):
    activity = plan(ww, capacity=10, min_participants=1)
    collective.enrol(user=ww.cast.user("employee"), activity=activity)
    login(client, ww.cast.user("care_coordinator"))
    url = reverse("care:activity_detail", args=[activity.pk])
    client.get(url)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for who in ("manager",):
        collective.enrol(user=ww.cast.user(who), activity=activity)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
