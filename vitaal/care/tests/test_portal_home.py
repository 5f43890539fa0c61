"""Portal home, offer page, navigation item and start-page section."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vitaal.care import workflow
from vitaal.care.web.portal.hooks import start_sections
from vitaal.core.testing import login

from .access_portal import build_portal_world, complete_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_home_without_a_published_package_says_so(client, cast) -> None:
    login(client, cast.user("employee"))
    response = client.get(reverse("care:portal"))
    assert response.status_code == 200
    assert "has not published this year" in response.content.decode()


def test_home_shows_the_offer_and_own_items(client, cast) -> None:
    world = build_portal_world(cast)
    person = cast.a.people["employee"]
    workflow.care_request_submit(user=cast.user("employee"), person=person, intervention=world.coaching)
    login(client, cast.user("employee"))
    response = client.get(reverse("care:portal"))
    content = response.content.decode()
    assert response.context["offer_count"] == 3  # coaching, yoga, team talk; not the massage
    assert "3 kinds of support in the package" in content
    assert reverse("care:portal_finder") in content
    assert "Mental coaching" in content  # the open request
    assert "Approved" in content


def test_offer_page_groups_the_package_by_theme_without_items_that_are_out(client, cast) -> None:
    build_portal_world(cast)
    login(client, cast.user("employee"))
    content = client.get(reverse("care:portal_offer")).content.decode()
    assert "Mental health" in content and "Lifestyle" in content
    assert "Massage" not in content


@pytest.mark.parametrize(
    ("role", "shown"), [("employee", True), ("manager", True), ("hr", False), ("sector_admin", False)]
)
def test_navigation_item_only_for_employees(client, cast, role: str, shown: bool) -> None:
    login(client, cast.user(role))
    response = client.get(reverse("core:home"))
    labels = [item["label"] for item in response.context["nav_items"]]
    assert ("Care and support" in labels) is shown


def test_start_section_counts_own_things_only(cast) -> None:
    world = build_portal_world(cast)
    person = cast.a.people["employee"]
    user = cast.user("employee")
    workflow.care_request_submit(user=user, person=person, intervention=world.coaching)
    done = workflow.care_request_submit(user=user, person=person, intervention=world.yoga)
    complete_request(cast, done, world.balans)
    workflow.referral_create(
        referrer=cast.user("manager"), person=person, intervention=world.team_talk, referrer_role="manager"
    )
    (section,) = start_sections(user)
    assert section.figures[0].value == 1
    assert {t.label: t.count for t in section.tasks} == {
        "Referrals to answer": 1,
        "Evaluations to fill in": 1,
    }
    # The manager who referred sees their own (empty) section, not the employee's.
    (manager_section,) = start_sections(cast.user("manager"))
    assert manager_section.figures[0].value == 0
    assert manager_section.tasks == []
    assert start_sections(cast.user("hr")) == []


def test_a_former_employee_cannot_use_the_portal(client, cast) -> None:
    from datetime import timedelta

    from django.utils import timezone

    build_portal_world(cast)
    person = cast.a.people["employee"]
    person.employment_end = timezone.localdate() - timedelta(days=1)
    person.save()
    login(client, cast.user("employee"))
    assert client.get(reverse("care:portal")).status_code == 403
    assert client.get(reverse("care:portal_finder")).status_code == 403
