"""Process watch on the start pages of the coordinator and management, the signal list,
and "Our plan" for employees; query counts that do not grow with units or signals."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from vitaal.core.testing import login
from vitaal.igm.models import StoredSignal
from vitaal.igm.services import plan_create
from vitaal.igm.web.plans.hooks import start_sections

from .access_plans import build_plans

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def built(cast):
    return build_plans(cast)


def add_signals(cycle, n: int, start: int = 1000) -> None:
    StoredSignal.objects.bulk_create(
        StoredSignal(
            cycle=cycle,
            kind="phase_overdue",
            severity="alert",
            subject_type="phase",
            subject_id=start + i,
            params={"phase": 3, "planned_end": "2025-05-01"},
            computed_for=date(2025, 7, 1),
        )
        for i in range(n)
    )


def figures(section):
    return {f.label: f.value for f in section.figures}


def test_coordinator_section(cast, built):
    add_signals(built["cycle"], 2)
    [section] = start_sections(cast.user("coordinator"))
    assert section.title == "Process watch – Hogeschool A"
    assert figures(section) == {"Open signals": 3, "Alerts": 2}
    assert [t.label for t in section.tasks] == ["Plans of approach in draft"]


def test_management_section_lists_plans_to_sign_off(cast, built):
    [section] = start_sections(cast.user("management"))
    assert [(t.label, t.count) for t in section.tasks] == [("Plans waiting for your sign-off", 1)]


def test_others_get_no_watch_section(cast, built):
    for role in ("hr", "works_council", "org_admin", "coordinator_b", "sector_admin", "manager"):
        titles = [s.title for s in start_sections(cast.user(role))]
        assert not any("Process watch" in t for t in titles), role


def test_employee_gets_our_plan(cast, built):
    [section] = start_sections(cast.user("employee"))
    assert section.title == "Our plan"
    assert figures(section) == {"Agreed plans for your work": 1}
    assert start_sections(cast.user("employee_b")) == []


def test_start_page_shows_the_sections(client, cast, built):
    login(client, cast.user("coordinator"))
    page = client.get(reverse("core:home")).content.decode()
    assert "Process watch – Hogeschool A" in page
    client.logout()
    login(client, cast.user("employee"))
    page = client.get(reverse("core:home")).content.decode()
    assert "Our plan" in page and reverse("igm:our_plan", args=["a"]) in page


def test_start_sections_queries_do_not_grow(cast, built, django_assert_max_num_queries):
    from vitaal.core.access import forget_actor

    for role in ("coordinator", "management", "employee"):
        user = cast.user(role)
        forget_actor(user)
        with django_assert_max_num_queries(30) as ctx:
            start_sections(user)
        few = len(ctx.captured_queries)
        org = cast.a.organisation
        for i in range(5):
            unit = cast.a.faculty.children.create(
                organisation=org, name=f"{role} {i}", kind="team", code=f"{role}{i}"
            )
            plan_create(cycle=built["cycle"], unit=unit)
        add_signals(built["cycle"], 10, start=hash(role) % 10000 * 100)
        forget_actor(user)
        with django_assert_max_num_queries(few):
            start_sections(user)


def test_signal_list(client, cast, built, django_assert_max_num_queries):
    login(client, cast.user("management"))
    url = reverse("igm:signal_list", args=["a"])
    page = client.get(url).content.decode()
    assert "Action &#x27;Rooster aanpassen&#x27; was due on 2025-06-01 and is not done." in page
    with django_assert_max_num_queries(30) as ctx:
        client.get(url)
    add_signals(built["cycle"], 25)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Phase 3 should have ended on 2025-05-01 and is not done.") == 25


def test_signal_list_refusals(client, cast, built):
    url = reverse("igm:signal_list", args=["a"])
    for role, status in (("employee", 403), ("hr", 403), ("management_b", 404), ("coordinator_b", 404)):
        client.logout()
        login(client, cast.user(role))
        assert client.get(url).status_code == status, role
