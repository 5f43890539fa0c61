"""The private health check in the portal: scoring as published, advice, suggestions,
refusal of bad answers, history and deletion."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from vitaal.care import services
from vitaal.care.models import HealthCheck
from vitaal.core.testing import login

from .access_portal import PortalWorld, build_portal_world

pytestmark = pytest.mark.django_db

URL = "care:portal_health_check"


@pytest.fixture(autouse=True)
def _english_pages(client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def world(cast) -> PortalWorld:
    return build_portal_world(cast)


def answers(who5: list[int], work_ability: int) -> dict[str, Any]:
    data: dict[str, Any] = {f"who5_{i}": v for i, v in enumerate(who5, start=1)}
    data["work_ability"] = work_ability
    return data


def submit(client, who5: list[int], work_ability: int) -> Any:
    return client.post(reverse(URL), answers(who5, work_ability))


def test_form_shows_the_five_who5_items_and_work_ability(client, cast, world) -> None:
    login(client, cast.user("employee"))
    response = client.get(reverse(URL))
    assert response.status_code == 200
    content = response.content.decode()
    assert "I have felt cheerful and in good spirits" in content
    assert "work ability" in content
    assert content.count('type="radio"') == 5 * 6 + 11


@pytest.mark.parametrize(
    ("who5", "work", "percentage", "band", "advice"),
    [
        ([4, 4, 4, 3, 3], 9, 72, "good", "You feel quite well"),
        ([3, 3, 2, 2, 2], 8, 48, "poor", "You do not feel so well"),
        ([2, 2, 2, 1, 1], 6, 32, "poor", "You do not feel so well"),
        ([2, 2, 1, 1, 1], 4, 28, "depression_risk", "make an appointment with your GP"),
        ([5, 5, 5, 5, 1], 10, 84, "good", "One of your answers is very low"),
    ],
)
def test_scores_and_advice_follow_the_published_rules(
    client, cast, world, who5: list[int], work: int, percentage: int, band: str, advice: str
) -> None:
    login(client, cast.user("employee"))
    response = submit(client, who5, work)
    check = HealthCheck.objects.get(person=cast.a.people["employee"])
    assert response.status_code == 302
    assert response["Location"] == reverse("care:portal_health_check_detail", args=[check.pk])
    assert check.who5_raw * 4 == check.who5_percentage == percentage
    assert check.wellbeing_band == band
    assert check.low_item == any(v <= 1 for v in who5)
    page = client.get(response["Location"]).content.decode()
    assert f"{percentage}/100" in page
    assert f"{work}/10" in page
    assert advice in page
    assert "Only you can see your answers and results." in page


def test_result_suggests_support_from_the_package(client, cast, world) -> None:
    login(client, cast.user("employee"))
    response = submit(client, [1, 1, 2, 2, 2], 7)  # poor well-being, moderate work ability
    page = client.get(response["Location"])
    suggested = [s.intervention for s in page.context["suggestions"]]
    assert suggested[0] == world.coaching  # mental first
    assert world.massage not in suggested
    assert reverse("care:portal_intervention", args=[world.coaching.pk]) in page.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        answers([3, 3, 3, 3], 5) | {"who5_5": ""},
        {k: v for k, v in answers([3, 3, 3, 3, 3], 5).items() if k != "work_ability"},
        answers([3, 3, 6, 3, 3], 5),
        answers([3, 3, -1, 3, 3], 5),
        answers([3, 3, 3, 3, 3], 11),
        answers([3, 3, 3, 3, 3], 5) | {"who5_2": "three"},
        {},
    ],
)
def test_incomplete_or_out_of_range_answers_are_refused(client, cast, world, data: dict[str, Any]) -> None:
    login(client, cast.user("employee"))
    response = client.post(reverse(URL), data)
    assert response.status_code == 400
    assert "Please answer all questions." in response.content.decode()
    assert not HealthCheck.objects.exists()


def test_history_lists_only_own_checks(client, cast, world, django_assert_max_num_queries) -> None:
    own = cast.a.people["employee"]
    for work in range(5):
        services.health_check_record(person=own, who5=[3, 3, 3, 3, 3], work_ability=work)
    services.health_check_record(person=cast.a.people["manager"], who5=[1, 1, 1, 1, 1], work_ability=2)
    login(client, cast.user("employee"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("care:portal_health_check_list"))
    assert len(response.context["rows"]) == 5
    assert "20/100" not in response.content.decode()
    for work in range(20):
        services.health_check_record(person=own, who5=[2, 2, 2, 2, 2], work_ability=work % 11)
    with django_assert_max_num_queries(12):
        client.get(reverse("care:portal_health_check_list"))


def test_employee_deletes_own_check(client, cast, world) -> None:
    check = services.health_check_record(person=cast.a.people["employee"], who5=[3] * 5, work_ability=6)
    login(client, cast.user("employee"))
    url = reverse("care:portal_health_check_delete", args=[check.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert not HealthCheck.objects.filter(pk=check.pk).exists()


@pytest.mark.parametrize("role", ["manager", "hr", "company_doctor", "care_coordinator", "employee_b"])
def test_nobody_else_reads_or_deletes_a_check(client, cast, world, role: str) -> None:
    check = services.health_check_record(person=cast.a.people["employee"], who5=[3] * 5, work_ability=6)
    login(client, cast.user(role))
    assert client.get(reverse("care:portal_health_check_detail", args=[check.pk])).status_code == 404
    assert client.post(reverse("care:portal_health_check_delete", args=[check.pk])).status_code == 404
    assert HealthCheck.objects.filter(pk=check.pk).exists()


def test_roles_without_a_person_record_cannot_take_the_check(client, cast, world) -> None:
    login(client, cast.user("hr"))
    assert client.get(reverse(URL)).status_code == 403
    assert client.post(reverse(URL), answers([3] * 5, 5)).status_code == 403
    assert not HealthCheck.objects.exists()
