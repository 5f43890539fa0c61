"""Query counts of the care key pages measured by bench/ that had no growth test yet:
the health check result, the employee's request detail and the HR referral form. Each
page is rendered, then more of what it shows is added, and the count must stay the same.
(The portal start, queue, assignments and usage report have theirs next to their other
tests; docs/benchmarks.md lists where each of the ten is.)"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vitaal.care import services, workflow
from vitaal.core.models import Person
from vitaal.core.testing import login

from .access_portal import PortalWorld, build_portal_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def world(cast) -> PortalWorld:
    return build_portal_world(cast)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_health_check_result_queries_do_not_grow_with_checks(client, cast, world) -> None:
    person = cast.a.people["employee"]
    check = services.health_check_record(person=person, who5=[3, 3, 3, 3, 3], work_ability=6)
    login(client, cast.user("employee"))
    url = reverse("care:portal_health_check_detail", args=[check.pk])
    client.get(url)  # session and caches
    few = _count(client, url)
    for work in range(15):
        services.health_check_record(person=person, who5=[2, 2, 2, 2, 2], work_ability=work % 11)
    assert _count(client, url) == few


def _completed_with_sessions(cast, world: PortalWorld, sessions: int):
    employee_user, provider_user = cast.user("employee"), cast.sector_users["provider"]
    request = workflow.care_request_submit(
        user=employee_user, person=cast.a.people["employee"], intervention=world.yoga
    )
    request = workflow.care_request_assign(
        user=cast.sector_users["care_coordinator"], request=request, provider=world.balans
    )
    request = workflow.care_request_provider_accept(user=provider_user, request=request, sessions_planned=5)
    for day in range(sessions):
        workflow.delivery_session_register(
            user=provider_user,
            request=request,
            date=date(2026, 1, 5 + day),
            duration_minutes=50,
            cost=Decimal(40),
        )
    return workflow.care_request_complete(user=provider_user, request=request)


def test_request_detail_queries_do_not_grow_with_sessions_or_requests(client, cast, world) -> None:
    login(client, cast.user("employee"))
    small = _completed_with_sessions(cast, world, 1)
    url = reverse("care:portal_request_detail", args=[small.pk])
    client.get(url)
    few = _count(client, url)
    big = _completed_with_sessions(cast, world, 5)
    for _ in range(3):
        _completed_with_sessions(cast, world, 2)
    assert _count(client, url) == few
    assert _count(client, reverse("care:portal_request_detail", args=[big.pk])) == few


def _add_staff(cast, count: int, start: int) -> None:
    Person.objects.bulk_create(
        Person(
            organisation=cast.a.organisation,
            employee_number=f"extra-{i:04d}",
            first_name="Extra",
            last_name=f"Colleague {i:04d}",
            unit=cast.a.team2,
            birth_year=1975,
            employment_start=date(2020, 1, 1),
        )
        for i in range(start, start + count)
    )


def test_referral_form_queries_do_not_grow_with_staff(client, cast, world) -> None:
    """The form lists no one until searched, and a search at most 20 people: the same number
    of queries and (about) the same page for 30 or 130 colleagues, plain or HTMX."""
    organisation = cast.a.organisation
    login(client, cast.user("hr"))
    url = reverse("care:referral_create", args=[organisation.slug])
    search = f"{url}?q=colleague"
    chosen = f"{url}?q=colleague&person={cast.a.people['employee'].pk}"
    client.get(url)
    _add_staff(cast, 30, 0)
    few = [_count(client, u) for u in (url, search, chosen)]
    few_htmx = _count_htmx(client, search)
    small_page = client.get(search).content.decode()
    assert small_page.count('name="person"') == 20
    _add_staff(cast, 100, 30)
    assert [_count(client, u) for u in (url, search, chosen)] == few
    assert _count_htmx(client, search) == few_htmx
    page = client.get(url).content.decode()
    assert "Colleague" not in page and 'name="person"' not in page
    page = client.get(search).content.decode()
    assert page.count('name="person"') == 20 and "Colleague 0129" not in page
    assert abs(len(page) - len(small_page)) < 200
    assert client.get(chosen).content.decode().count('name="person"') == 21


def _count_htmx(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and b"<html" not in response.content
    return len(queries)
