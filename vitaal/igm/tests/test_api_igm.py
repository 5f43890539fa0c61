"""The igm API: reference data, meter sessions with aggregated line scores, plans with
goals and actions, signals; token and session auth, scope, audit, no individual ratings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from vitaal.api.models import ApiToken
from vitaal.core.models import AccessLogEntry
from vitaal.core.testing import login
from vitaal.igm.models import MeterMode, StoredSignal
from vitaal.igm.services import (
    action_set,
    goal_set,
    group_rating_set,
    improvement_point_add,
    individual_rating_set,
    plan_create,
    plan_line_add,
    session_participant_add,
)
from vitaal.igm.tasks import store_signals

from .conftest import items_by_code, make_employees, new_session

pytestmark = pytest.mark.django_db

BASE = "/api/v1/igm"


def bearer(user) -> APIClient:
    _token, raw = ApiToken.issue(user=user, name="IGM-dashboard")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def individual_session(cast, small):
    """An individual session of five raters with distinctive levels."""
    session = new_session(cast, small, MeterMode.INDIVIDUAL, unit=cast.a.team1)
    items = items_by_code(small)
    for i, user in enumerate(make_employees(cast.a, 5)):
        session_participant_add(session=session, user=user)
        for code in ("a1", "a2", "a3", "b1"):
            individual_rating_set(session=session, item=items[code], rater=user, value=1 + (i % 4))
    return session


@pytest.fixture
def plan(cast, cycle, framework):
    plan = plan_create(cycle=cycle, unit=cast.a.team1)
    line = plan_line_add(plan=plan, line=framework.lines.get(code="a"))
    point = improvement_point_add(plan_line=line, title="Werkdruk bespreekbaar")
    goal = goal_set(
        improvement_point=point,
        specific="Elk teamoverleg bespreekt werkdruk",
        owner=cast.user("coordinator"),
        deadline=date(2025, 12, 1),
        indicator_name="Aandeel overleggen met werkdruk op de agenda",
        target_value=Decimal("90"),
        target_unit="%",
    )
    action_set(goal=goal, title="Agenda aanpassen", due_date=date(2025, 4, 1), hours=Decimal("2"))
    return plan


def test_frameworks_and_instruments_with_lines_items_and_levels(cast, small):
    client = bearer(cast.user("employee"))
    frameworks = client.get(f"{BASE}/frameworks/").json()["results"]
    small_fw = next(f for f in frameworks if f["code"] == "small")
    assert [line["code"] for line in small_fw["lines"]] == ["a", "b", "c"]
    assert [level["value"] for level in small_fw["scales"][0]["levels"]] == [1, 2, 3, 4]
    instrument = client.get(f"{BASE}/instruments/{small.pk}/").json()
    assert instrument["framework"] == "small/1"
    assert {i["code"]: i["weight"] for i in instrument["items"]}["a1"] == 3
    assert instrument["items"][0]["line"] == "a"


def test_session_detail_has_line_scores_and_no_individual_ratings(cast, individual_session):
    client = bearer(cast.user("coordinator"))
    data = client.get(f"{BASE}/meter-sessions/{individual_session.pk}/").json()
    assert data["raters"] == 5 and data["withheld_reason"] is None
    scores = {s["line"]: s for s in data["line_scores"]}
    assert scores["a"]["score"] is not None and scores["c"]["score"] is None
    listing = client.get(f"{BASE}/meter-sessions/").json()
    for body in (repr(data), repr(listing)):
        assert "participant" not in body and "rater" not in body.replace("raters", "")
        assert "@example.org" not in body
        assert "level" not in body


def test_group_session_scores(cast, small):
    session = new_session(cast, small)
    for item in items_by_code(small).values():
        group_rating_set(session=session, item=item, value=3)
    data = bearer(cast.user("management")).get(f"{BASE}/meter-sessions/{session.pk}/").json()
    assert all(s["score"] == 3.0 for s in data["line_scores"])


def test_small_individual_session_is_withheld(cast, small):
    session = new_session(cast, small, MeterMode.INDIVIDUAL)
    items = items_by_code(small)
    for user in make_employees(cast.a, 2):
        session_participant_add(session=session, user=user)
        individual_rating_set(session=session, item=items["a1"], rater=user, value=4)
    data = bearer(cast.user("coordinator")).get(f"{BASE}/meter-sessions/{session.pk}/").json()
    assert data["withheld_reason"] and all(s["score"] is None for s in data["line_scores"])


def test_sessions_are_scoped(cast, individual_session):
    url = f"{BASE}/meter-sessions/{individual_session.pk}/"
    assert bearer(cast.user("coordinator_b")).get(url).status_code == 404
    assert bearer(cast.user("hr")).get(url).status_code == 403
    assert bearer(cast.user("hr")).get(f"{BASE}/meter-sessions/").json()["count"] == 0
    assert bearer(cast.user("coordinator_b")).get(f"{BASE}/meter-sessions/").json()["count"] == 0
    assert bearer(cast.user("works_council")).get(f"{BASE}/meter-sessions/").json()["count"] == 1


def test_plan_with_goals_and_actions(cast, plan):
    data = bearer(cast.user("management")).get(f"{BASE}/plans/{plan.pk}/").json()
    goal = data["lines"][0]["points"][0]["goals"][0]
    assert data["organisation"] == "a" and data["unit"] == "F1-T1"
    assert goal["indicator_name"] and goal["target_value"] == "90.00"
    assert goal["actions"][0]["title"] == "Agenda aanpassen"
    assert bearer(cast.user("management_b")).get(f"{BASE}/plans/{plan.pk}/").status_code == 404
    assert bearer(cast.user("employee")).get(f"{BASE}/plans/{plan.pk}/").status_code == 403
    assert bearer(cast.user("employee")).get(f"{BASE}/plans/").json()["count"] == 0


def test_plan_list_queries_do_not_grow(cast, cycle, plan, django_assert_max_num_queries):
    client = bearer(cast.user("coordinator"))
    client.get(f"{BASE}/plans/")
    with django_assert_max_num_queries(16):
        client.get(f"{BASE}/plans/")
    plan_create(cycle=cycle, unit=cast.a.team2)
    plan_create(cycle=cycle, unit=cast.a.faculty)
    with django_assert_max_num_queries(16):
        assert client.get(f"{BASE}/plans/").json()["count"] == 3


def test_signals_are_scoped(cast, cycle):
    store_signals(cycle=cycle, today=date(2030, 1, 1))
    assert StoredSignal.objects.filter(cycle=cycle).exists()
    rows = bearer(cast.user("coordinator")).get(f"{BASE}/signals/").json()["results"]
    assert rows and all(r["organisation"] == "a" and r["message"] for r in rows)
    assert bearer(cast.user("coordinator_b")).get(f"{BASE}/signals/").json()["count"] == 0
    pk = rows[0]["id"]
    assert bearer(cast.user("coordinator_b")).get(f"{BASE}/signals/{pk}/").status_code == 404
    assert bearer(cast.user("hr")).get(f"{BASE}/signals/{pk}/").status_code == 403


def test_reads_are_audited(cast, individual_session, plan):
    client = bearer(cast.user("coordinator"))
    client.get(f"{BASE}/meter-sessions/{individual_session.pk}/")
    client.get(f"{BASE}/plans/")
    entries = AccessLogEntry.objects.filter(actor=cast.user("coordinator"))
    kinds = set(entries.values_list("object_type", flat=True))
    assert {"igm_meter_session", "igm_plan"} <= kinds
    entry = entries.get(object_type="igm_meter_session")
    assert entry.channel == "api" and "IGM-dashboard" in entry.on_behalf_of
    assert entry.organisation_id == cast.a.organisation.pk


def test_session_auth_needs_two_step_login_for_staff(cast, small):
    client = APIClient()
    login(client, cast.user("advisor"), mfa=False)
    assert client.get(f"{BASE}/meter-sessions/").status_code == 403
    login(client, cast.user("advisor"), mfa=True)
    assert client.get(f"{BASE}/meter-sessions/").status_code == 200
    assert APIClient().get(f"{BASE}/frameworks/").status_code == 401
