"""Direct requests, referrals, status, withdrawal and evaluation in the portal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from vitaal.care import workflow
from vitaal.care.models import CareRequest, Evaluation, Referral, RequestEvent
from vitaal.core.testing import login

from .access_portal import PortalWorld, build_portal_world, complete_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def world(cast) -> PortalWorld:
    return build_portal_world(cast)


def employee(cast) -> Any:
    return cast.a.people["employee"]


def direct(cast, intervention, description: str = "") -> CareRequest:
    return workflow.care_request_submit(
        user=cast.user("employee"), person=employee(cast), intervention=intervention, description=description
    )


def ask(client, intervention, description: str = "Help, please.") -> Any:
    return client.post(
        reverse("care:portal_request_create", args=[intervention.pk]), {"description": description}
    )


# --- Direct requests ---------------------------------------------------------------------


def test_employee_requests_support_directly_and_sees_the_timeline(client, cast, world) -> None:
    login(client, cast.user("employee"))
    page = client.get(reverse("care:portal_intervention", args=[world.coaching.pk])).content.decode()
    assert reverse("care:portal_request_create", args=[world.coaching.pk]) in page
    response = ask(client, world.coaching, "I sleep badly.")
    request = CareRequest.objects.get(person=employee(cast))
    assert response.status_code == 302
    assert response["Location"] == reverse("care:portal_request_detail", args=[request.pk])
    assert (request.route, request.status, request.description) == ("direct", "approved", "I sleep badly.")
    detail = client.get(response["Location"]).content.decode()
    assert "Submitted" in detail and "Approved" in detail
    assert "The care coordinator is looking for a care provider for you." in detail


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("team_talk", "available only after a referral"),
        ("massage", "not part of this year"),
    ],
)
def test_refused_routes_give_a_clear_message_and_change_nothing(client, cast, world, which, message) -> None:
    login(client, cast.user("employee"))
    response = ask(client, getattr(world, which))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CareRequest.objects.exists()


def test_out_of_package_page_says_where_else_it_is_available(client, cast, world) -> None:
    login(client, cast.user("employee"))
    page = client.get(reverse("care:portal_intervention", args=[world.massage.pk])).content.decode()
    assert "not in this year" in page
    assert "Often paid by your supplementary health insurance." in page
    assert "Supplementary health insurance" in page
    assert reverse("care:portal_request_create", args=[world.massage.pk]) not in page


def test_referral_only_page_explains_the_route(client, cast, world) -> None:
    login(client, cast.user("employee"))
    page = client.get(reverse("care:portal_intervention", args=[world.team_talk.pk])).content.decode()
    assert "You need a referral first." in page
    assert "Referral by the manager" in page


def test_a_second_open_request_for_the_same_support_is_refused(client, cast, world) -> None:
    direct(cast, world.coaching)
    login(client, cast.user("employee"))
    response = ask(client, world.coaching)
    assert response.status_code == 400
    assert "You already have an open request for this support." in response.content.decode()
    assert CareRequest.objects.count() == 1


def _deliver(cast, world, request: CareRequest, costs: list[str]) -> None:
    provider_user = cast.sector_users["provider"]
    request = workflow.care_request_assign(
        user=cast.sector_users["care_coordinator"], request=request, provider=world.balans
    )
    request = workflow.care_request_provider_accept(user=provider_user, request=request, sessions_planned=2)
    for cost in costs:
        workflow.delivery_session_register(
            user=provider_user,
            request=request,
            date=timezone.localdate(),
            duration_minutes=50,
            cost=Decimal(cost),
        )
    workflow.care_request_complete(user=provider_user, request=request)


def test_maximum_sessions_used_this_year_is_refused(client, cast, world) -> None:
    _deliver(cast, world, direct(cast, world.coaching), ["90"] * 5)
    login(client, cast.user("employee"))
    response = ask(client, world.coaching)
    assert response.status_code == 400
    assert "maximum of 5 sessions" in response.content.decode()
    assert CareRequest.objects.count() == 1


def test_ceiling_used_up_this_year_is_refused(client, cast, world) -> None:
    _deliver(cast, world, direct(cast, world.coaching), ["237.50", "237.50"])
    login(client, cast.user("employee"))
    response = ask(client, world.coaching)
    assert response.status_code == 400
    assert "at most EUR 475.00 a year" in response.content.decode()
    assert CareRequest.objects.count() == 1


def test_request_form_shows_limits_and_usage(client, cast, world) -> None:
    login(client, cast.user("employee"))
    page = client.get(reverse("care:portal_request_create", args=[world.coaching.pk])).content.decode()
    assert "at most 5 sessions a year. This year you have had 0." in page
    assert "EUR 475.00" in page


# --- Withdraw ----------------------------------------------------------------------------


def test_withdraw_needs_a_reason(client, cast, world) -> None:
    request = direct(cast, world.coaching)
    login(client, cast.user("employee"))
    url = reverse("care:portal_request_withdraw", args=[request.pk])
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 400
    assert "Give a reason." in response.content.decode()
    request.refresh_from_db()
    assert request.status == "approved"
    response = client.post(url, {"reason": "I found help elsewhere."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.closed_reason) == ("withdrawn", "I found help elsewhere.")
    detail = client.get(reverse("care:portal_request_detail", args=[request.pk])).content.decode()
    assert "I found help elsewhere." in detail
    # A closed request cannot be stopped again.
    assert client.get(url).status_code == 302
    assert RequestEvent.objects.filter(request=request, to_status="withdrawn").count() == 1


@pytest.mark.parametrize("role", ["manager", "hr", "company_doctor", "employee_b", "care_coordinator"])
def test_others_cannot_withdraw_or_see_the_request(client, cast, world, role: str) -> None:
    request = direct(cast, world.coaching)
    login(client, cast.user(role))
    assert client.get(reverse("care:portal_request_detail", args=[request.pk])).status_code == 404
    response = client.post(reverse("care:portal_request_withdraw", args=[request.pk]), {"reason": "x"})
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == "approved"


# --- Referrals ---------------------------------------------------------------------------


def _refer(cast, world) -> Referral:
    return workflow.referral_create(
        referrer=cast.user("manager"),
        person=employee(cast),
        intervention=world.team_talk,
        referrer_role="manager",
        note="Let's talk.",
    )


def test_employee_accepts_a_referral(client, cast, world) -> None:
    referral = _refer(cast, world)
    login(client, cast.user("employee"))
    home = client.get(reverse("care:portal")).content.decode()
    assert reverse("care:portal_referral_detail", args=[referral.pk]) in home
    url = reverse("care:portal_referral_detail", args=[referral.pk])
    page = client.get(url).content.decode()
    assert "Let&#x27;s talk." in page
    response = client.post(url, {"answer": "accept"})
    request = CareRequest.objects.get(referral=referral)
    assert response["Location"] == reverse("care:portal_request_detail", args=[request.pk])
    assert request.route == "referral"
    # Answered once only.
    response = client.post(url, {"answer": "decline"})
    referral.refresh_from_db()
    assert referral.answer == "accepted"


def test_employee_declines_a_referral(client, cast, world) -> None:
    referral = _refer(cast, world)
    login(client, cast.user("employee"))
    response = client.post(reverse("care:portal_referral_detail", args=[referral.pk]), {"answer": "decline"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.answer == "declined"
    assert not CareRequest.objects.exists()


def test_a_referral_answer_must_be_one_of_the_choices(client, cast, world) -> None:
    referral = _refer(cast, world)
    login(client, cast.user("employee"))
    response = client.post(reverse("care:portal_referral_detail", args=[referral.pk]), {"answer": "maybe"})
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.answer == "open"


def test_the_referrer_cannot_open_the_referral_in_the_portal(client, cast, world) -> None:
    referral = _refer(cast, world)
    login(client, cast.user("manager"))
    assert client.get(reverse("care:portal_referral_detail", args=[referral.pk])).status_code == 404
    assert (
        client.post(
            reverse("care:portal_referral_detail", args=[referral.pk]), {"answer": "accept"}
        ).status_code
        == 404
    )


# --- Evaluation --------------------------------------------------------------------------


def test_evaluation_once_after_completion(client, cast, world) -> None:
    request = direct(cast, world.yoga)
    login(client, cast.user("employee"))
    url = reverse("care:portal_request_evaluate", args=[request.pk])
    assert client.get(url).status_code == 302  # not completed yet
    complete_request(cast, request, world.balans)
    assert "Tell us if it helped" in client.get(reverse("care:portal")).content.decode()
    for bad in (
        {"helped": "yes", "grade": 0},
        {"helped": "yes", "grade": 11},
        {"helped": "sort of", "grade": 7},
    ):
        assert client.post(url, bad).status_code == 400
    assert not Evaluation.objects.exists()
    response = client.post(url, {"helped": "partly", "grade": 7, "comment": "Nice group."})
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(request=request)
    assert (evaluation.helped, evaluation.grade, evaluation.comment) == ("partly", 7, "Nice group.")
    assert client.post(url, {"helped": "no", "grade": 2}).status_code == 302
    assert Evaluation.objects.get(request=request).grade == 7


# --- Lists -------------------------------------------------------------------------------


def test_request_list_and_home_query_counts_do_not_grow(
    client, cast, world, django_assert_max_num_queries
) -> None:
    login(client, cast.user("employee"))
    direct(cast, world.coaching)
    _refer(cast, world)

    def counts() -> tuple[int, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as home:
            client.get(reverse("care:portal"))
        with CaptureQueriesContext(connection) as listing:
            client.get(reverse("care:portal_request_list"))
        return len(home), len(listing)

    before = counts()
    for _ in range(4):
        done = direct(cast, world.yoga)
        complete_request(cast, done, world.balans)
    for _ in range(3):
        workflow.referral_create(
            referrer=cast.user("hr"), person=employee(cast), intervention=world.coaching, referrer_role="hr"
        )
    after = counts()
    assert after == before
    with django_assert_max_num_queries(20):
        client.get(reverse("care:portal_request_list"))
