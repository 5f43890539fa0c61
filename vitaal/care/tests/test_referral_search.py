"""The referral form's person search: who it finds (the referrer's scope only, by name or
employee number), the preselected person, the HTMX answer and the server-side check of the
posted person."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from vitaal.care.models import Referral
from vitaal.care.tests.work_world import build_work_world
from vitaal.core.testing import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def ww(cast):
    return build_work_world(cast, with_requests=False)


@pytest.fixture(autouse=True)
def _english_pages(client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def url() -> str:
    return reverse("care:referral_create", args=["a"])


def page_of(client, query: str, **headers: str) -> str:
    response = client.get(url() + query, **headers)
    assert response.status_code == 200
    return response.content.decode()


def offered(page: str) -> set[int]:
    """The people the page offers as radio buttons."""
    return {int(pk) for pk in re.findall(r'name="person" value="(\d+)"', page)}


def test_hr_finds_people_by_name_or_staff_number(client, ww):
    cast = ww.cast
    login(client, cast.user("hr"))
    employee, colleague = cast.a.people["employee"], cast.a.colleague
    page = page_of(client, "")
    assert 'name="person"' not in page and "Search for the employee you want to refer" in page
    page = page_of(client, f"?q={colleague.last_name.lower()}")
    assert colleague.pk in offered(page) and employee.pk not in offered(page)
    assert "1 employee found." in page
    page = page_of(client, f"?q={employee.employee_number}")
    assert employee.pk in offered(page) and colleague.pk not in offered(page)
    page = page_of(client, f"?q={employee.first_name}+{employee.last_name}")
    assert employee.pk in offered(page)
    page = page_of(client, "?q=nobody-by-this-name")
    assert "0 employees found." in page and 'name="person"' not in page


def test_manager_search_stays_within_their_team(client, ww):
    cast = ww.cast
    login(client, cast.user("manager"))
    colleague = cast.a.colleague  # team 2, not the manager's
    assert colleague.pk not in offered(page_of(client, f"?q={colleague.last_name}"))
    assert colleague.pk not in offered(page_of(client, f"?person={colleague.pk}"))
    manager = cast.a.people["manager"]
    assert manager.pk not in offered(page_of(client, f"?q={manager.last_name}"))  # not themselves
    response = client.post(
        url(), {"person": colleague.pk, "intervention": ww.coaching.pk, "referrer_role": "manager"}
    )
    assert response.status_code == 200
    assert "You cannot refer this person." in response.content.decode()
    assert Referral.objects.count() == 0


def test_preselected_person_is_checked_and_kept_through_a_search_and_an_error(client, ww):
    cast = ww.cast
    employee = cast.a.people["employee"]
    login(client, cast.user("manager"))
    page = page_of(client, f"?person={employee.pk}")
    assert offered(page) == {employee.pk}
    assert re.search(rf'name="person" value="{employee.pk}"[^>]*checked', page)
    page = page_of(client, f"?person={employee.pk}&q=zzz")
    assert employee.pk in offered(page)
    response = client.post(url(), {"person": employee.pk, "referrer_role": "manager"})
    page = response.content.decode()
    assert response.status_code == 200 and employee.pk in offered(page)
    assert "This field is required." in page and Referral.objects.count() == 0
    response = client.post(url(), {"intervention": ww.coaching.pk, "referrer_role": "manager"})
    assert "Search for the employee and choose them from the list." in response.content.decode()


def test_htmx_search_answers_with_the_matches_only(client, ww):
    cast = ww.cast
    login(client, cast.user("hr"))
    employee = cast.a.people["employee"]
    page = page_of(client, f"?q={employee.last_name}", HTTP_HX_REQUEST="true")
    assert "<html" not in page and "<form" not in page and "csrfmiddlewaretoken" not in page
    assert 'id="person-status" role="status" hx-swap-oob="innerHTML"' in page
    assert employee.pk in offered(page) and 'id="person-results"' in page
