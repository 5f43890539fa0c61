"""The care work pages: workflow transitions through the pages (allowed and refused),
privacy of what they render (DESIGN rule 1), scope (other organisation, other provider)
and query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from vitaal.care.models import LedgerEntry, Referral, RequestStatus
from vitaal.care.tests.work_world import assigned, build_work_world, in_progress, submit
from vitaal.core.models import Membership, User
from vitaal.core.roles import Role
from vitaal.core.testing import TEST_PASSWORD, login

S = RequestStatus
EMPLOYER_SIDE = ["manager", "hr", "org_admin", "coordinator", "management", "works_council", "advisor"]


@pytest.fixture
def ww(cast):
    return build_work_world(cast, with_requests=False)


def as_user(client, cast, name):
    client.logout()
    login(client, cast.user(name))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- Referrals --------------------------------------------------------------------------


def test_manager_refers_own_team_member_and_sees_only_that_they_referred(
    client, ww, django_capture_on_commit_callbacks
):
    cast = ww.cast
    employee = cast.a.people["employee"]
    as_user(client, cast, "manager")
    url = reverse("care:referral_create", args=["a"])
    page = client.get(f"{url}?q={employee.last_name}").content.decode()
    assert employee.last_name in page
    page = client.get(f"{url}?q={cast.a.colleague.last_name}").content.decode()
    assert f'value="{cast.a.colleague.pk}"' not in page  # team 2 is not the manager's
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "person": employee.pk,
                "intervention": ww.coaching.pk,
                "referrer_role": "manager",
                "note": "Even praten?",
            },
        )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.person, referral.referred_by) == (employee, cast.user("manager"))
    # The e-mail says there is news, nothing about what.
    assert len(mail.outbox) == 1
    assert "Mentale" not in mail.outbox[0].body and "coaching" not in mail.outbox[0].body.lower()
    # The employee accepts; the request goes on; the manager's page does not change.
    from vitaal.care import workflow

    request = workflow.referral_answer(user=cast.user("employee"), referral=referral, accept=True)
    workflow.care_request_assign(user=cast.user("care_coordinator"), request=request, provider=ww.balans)
    page = client.get(reverse("care:referral_list", args=["a"])).content.decode()
    assert "Mental coaching" in page and employee.first_name in page
    for word in ("Accepted", "Assigned", "Approved", "Declined", "Balans", "In progress"):
        assert word not in page, word


def test_referral_outside_the_team_or_the_package_is_refused(client, ww):
    cast = ww.cast
    as_user(client, cast, "manager")
    url = reverse("care:referral_create", args=["a"])
    response = client.post(
        url, {"person": cast.a.colleague.pk, "intervention": ww.coaching.pk, "referrer_role": "manager"}
    )
    assert response.status_code == 200 and Referral.objects.count() == 0
    # An intervention no longer active in the package is not offered, and a post refused.
    ww.coaching.is_active = False
    ww.coaching.save()
    response = client.post(
        url,
        {"person": cast.a.people["employee"].pk, "intervention": ww.coaching.pk, "referrer_role": "manager"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Referral.objects.count() == 0


def test_hr_cannot_refer_to_an_intervention_whose_route_excludes_hr(client, ww):
    cast = ww.cast
    as_user(client, cast, "hr")
    url = reverse("care:referral_create", args=["a"])
    assert ww.physio.name_en not in client.get(url).content.decode()
    response = client.post(
        url, {"person": cast.a.people["employee"].pk, "intervention": ww.physio.pk, "referrer_role": "hr"}
    )
    assert response.status_code == 200 and Referral.objects.count() == 0


def test_referral_pages_of_another_organisation_are_not_found(client, ww):
    as_user(client, ww.cast, "hr_b")
    assert client.get(reverse("care:referral_list", args=["a"])).status_code == 404
    assert client.post(reverse("care:referral_create", args=["a"]), {}).status_code == 404


# --- Coordinator and company doctor ------------------------------------------------------


def test_coordinator_approves_and_assigns_through_the_pages(client, ww):
    cast = ww.cast
    request = submit(ww, ww.budget, description="Ik heb schulden.")
    as_user(client, cast, "care_coordinator")
    queue = client.get(reverse("care:queue")).content.decode()
    assert f"#{request.pk}" in queue
    # What is needed to decide; not the employee's name.
    page = client.get(reverse("care:request_review", args=[request.pk])).content.decode()
    assert "Ik heb schulden." in page and "Budget coaching" in page
    person = cast.a.people["employee"]
    assert f"{person.first_name} {person.last_name}" not in page
    assert client.post(reverse("care:request_approve", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert request.status == S.APPROVED
    # Approving twice is refused with a message, and changes nothing.
    response = client.post(reverse("care:request_approve", args=[request.pk]), follow=True)
    assert "cannot become" in response.content.decode()
    page = client.get(reverse("care:request_review", args=[request.pk])).content.decode()
    assert "Balans" in page and "Utrecht" in page
    response = client.post(reverse("care:request_assign", args=[request.pk]), {"provider": ww.balans.pk})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.provider) == (S.ASSIGNED, ww.balans)


def test_coordinator_rejects_only_with_a_reason(client, ww):
    request = submit(ww, ww.budget)
    as_user(client, ww.cast, "care_coordinator")
    url = reverse("care:request_reject", args=[request.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    request.refresh_from_db()
    assert request.status == S.AWAITING_APPROVAL
    assert client.post(url, {"reason": "Valt buiten de regeling."}).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.closed_reason) == (S.REJECTED, "Valt buiten de regeling.")


def test_assigning_a_provider_that_does_not_offer_it_is_refused(client, ww):
    from .support import provider

    other = provider(ww.cast.sector, "elders", offers=(ww.budget,))
    request = submit(ww, ww.coaching)
    as_user(client, ww.cast, "care_coordinator")
    response = client.post(reverse("care:request_assign", args=[request.pk]), {"provider": other.pk})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == S.APPROVED and request.provider is None


def test_company_doctor_approves_what_names_them(client, ww):
    cast = ww.cast
    request = submit(ww, ww.physio)
    as_user(client, cast, "company_doctor")
    page = client.get(reverse("care:doctor_approvals", args=["a"])).content.decode()
    assert f"#{request.pk}" in page
    assert client.post(reverse("care:request_approve", args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert request.status == S.APPROVED
    # Not the doctor's to assign, and the coordinator's requests are not theirs to see.
    coordinator_one = submit(ww, ww.budget)
    assert client.get(reverse("care:request_review", args=[coordinator_one.pk])).status_code == 404
    assert client.post(reverse("care:request_approve", args=[coordinator_one.pk])).status_code == 404


def test_employer_side_roles_cannot_approve(client, ww):
    request = submit(ww, ww.budget)
    for role in [*EMPLOYER_SIDE, "company_doctor", "employee", "provider", "sector_admin"]:
        as_user(client, ww.cast, role)
        assert client.post(reverse("care:request_approve", args=[request.pk])).status_code == 404, role
    request.refresh_from_db()
    assert request.status == S.AWAITING_APPROVAL


def test_queue_query_count_does_not_grow(client, ww, django_assert_max_num_queries):
    as_user(client, ww.cast, "care_coordinator")
    # One request in each list to begin with: an empty page of a list costs no query.
    submit(ww, ww.budget)
    submit(ww, ww.coaching)
    client.get(reverse("care:queue"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("care:queue"))
    for _i in range(4):
        submit(ww, ww.budget)
        submit(ww, ww.coaching)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("care:queue"))


# --- Providers ---------------------------------------------------------------------------


def test_provider_accepts_registers_and_closes_through_the_pages(client, ww):
    request = assigned(ww)
    as_user(client, ww.cast, "provider")
    assert f"#{request.pk}" in client.get(reverse("care:assignment_list")).content.decode()
    url = reverse("care:assignment_accept", args=[request.pk])
    assert client.post(url, {"sessions_planned": 9}).status_code == 400  # more than the 5 allowed
    assert client.post(url, {"sessions_planned": 2}).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.sessions_planned) == (S.IN_PROGRESS, 2)
    session_url = reverse("care:session_add", args=[request.pk])
    today = timezone.localdate().isoformat()
    data = {"date": today, "duration_minutes": 50, "cost": "95.00", "note": "Intake"}
    assert client.post(session_url, data).status_code == 302
    # Beyond the ceiling: a clear message, nothing written.
    response = client.post(session_url, {**data, "cost": "400.00"})
    assert response.status_code == 400
    assert "ceiling" in response.content.decode()
    assert request.sessions.count() == 1
    close = reverse("care:assignment_close", args=[request.pk])
    assert client.post(close, {"outcome": "goal_reached"}).status_code == 302
    request.refresh_from_db()
    assert request.status == S.COMPLETED
    assert "Goal reached" in client.get(reverse("care:assignment_detail", args=[request.pk])).content.decode()
    kinds = sorted(LedgerEntry.objects.filter(care_request=request).values_list("kind", "amount"))
    assert kinds == sorted(
        [
            ("commitment", Decimal("190.00")),
            ("actual", Decimal("95.00")),
            ("release", Decimal("95.00")),
            ("release", Decimal("95.00")),
        ]
    )


def test_sessions_beyond_the_maximum_are_refused(client, ww):
    request = in_progress(ww, sessions=5)
    as_user(client, ww.cast, "provider")
    url = reverse("care:session_add", args=[request.pk])
    today = timezone.localdate().isoformat()
    for _i in range(5):
        assert client.post(url, {"date": today, "duration_minutes": 30, "cost": "10.00"}).status_code == 302
    response = client.post(url, {"date": today, "duration_minutes": 30, "cost": "10.00"})
    assert response.status_code == 400 and "maximum of 5 sessions" in response.content.decode()
    assert request.sessions.count() == 5


def test_provider_declines_and_the_request_returns_to_the_coordinator(client, ww):
    request = assigned(ww)
    as_user(client, ww.cast, "provider")
    assert (
        client.post(reverse("care:assignment_decline", args=[request.pk]), {"reason": "Vol"}).status_code
        == 302
    )
    request.refresh_from_db()
    assert (request.status, request.provider) == (S.APPROVED, None)


def test_staff_of_another_provider_is_refused(client, ww):
    from vitaal.care import services

    from .support import provider

    request = in_progress(ww)
    other = provider(ww.cast.sector, "anders", offers=(ww.coaching,))
    user = User.objects.create_user("p2@example.org", TEST_PASSWORD)
    Membership.objects.create(user=user, role=Role.PROVIDER, sector=ww.cast.sector)
    services.provider_member_add(provider=other, user=user)
    client.logout()
    login(client, user)
    assert f"#{request.pk}" not in client.get(reverse("care:assignment_list")).content.decode()
    assert client.get(reverse("care:assignment_detail", args=[request.pk])).status_code == 404
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("care:session_add", args=[request.pk]), {"date": today, "duration_minutes": 30, "cost": "10"}
    )
    assert response.status_code == 404
    assert request.sessions.count() == 0


def test_assignment_list_query_count_does_not_grow(client, ww, django_assert_max_num_queries):
    as_user(client, ww.cast, "provider")
    assigned(ww)
    client.get(reverse("care:assignment_list"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("care:assignment_list"))
    for _i in range(3):
        assigned(ww, "manager")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("care:assignment_list"))


def test_assignment_lists_are_paged_each_on_their_own(client, ww, monkeypatch):
    from vitaal.care.web.work import provider as provider_views
    from vitaal.core.models import AccessLogEntry

    monkeypatch.setattr(provider_views, "PER_LIST", 2)
    new = [assigned(ww) for _i in range(3)]
    active = in_progress(ww)
    as_user(client, ww.cast, "provider")
    url = reverse("care:assignment_list")

    def shown(response):
        return {r.pk for r in [*new, active] if f">#{r.pk}<" in response.content.decode()}

    logged = AccessLogEntry.objects.count()
    first = client.get(url)
    # Newest change first: the two most recently assigned, plus the one in progress.
    assert shown(first) == {new[2].pk, new[1].pk, active.pk}
    assert AccessLogEntry.objects.count() - logged == 3  # only what the page shows
    page = first.content.decode()
    assert "New assignments (3)" in page and "Page 1 of 2" in page
    assert 'href="?new=2"' in page
    # Turning the pages of one list keeps the page of another.
    second = client.get(url, {"new": 2, "active": 1})
    assert shown(second) == {new[0].pk, active.pk}
    assert 'href="?active=1&amp;new=1"' in second.content.decode()
    # A malformed or too high page number shows a page, never an error.
    assert shown(client.get(url, {"new": "abc"})) == shown(first)
    assert shown(client.get(url, {"new": 99})) == shown(second)


def test_queue_is_paged_oldest_first(client, ww, monkeypatch):
    from vitaal.care.web.work import decisions

    monkeypatch.setattr(decisions, "QUEUE_PER_PAGE", 2)
    waiting = [submit(ww, ww.coaching) for _i in range(3)]
    assert {r.status for r in waiting} == {RequestStatus.APPROVED}
    as_user(client, ww.cast, "care_coordinator")
    first = client.get(reverse("care:queue")).content.decode()
    second = client.get(reverse("care:queue"), {"to_assign": 2}).content.decode()
    assert f"#{waiting[0].pk}<" in first and f"#{waiting[1].pk}<" in first
    assert f"#{waiting[2].pk}<" not in first and f"#{waiting[2].pk}<" in second
    assert "Approved, provider to assign (3)" in first and "Page 2 of 2" in second


# --- Privacy on rendered content ----------------------------------------------------------


def test_employer_side_roles_see_no_individual_request_anywhere(client, ww):
    """With requests in every state, no page of this area shows an employer-side role
    anything about them: not the reference, not the description, not the status."""
    request = in_progress(ww)
    waiting = submit(ww, ww.budget, description="Geheime omschrijving")
    cast = ww.cast
    urls = [
        reverse("care:queue"),
        reverse("care:assignment_list"),
        reverse("care:invoice_list"),
        reverse("care:activity_list"),
        reverse("care:referral_list", args=["a"]),
        reverse("care:doctor_approvals", args=["a"]),
        reverse("care:request_review", args=[waiting.pk]),
        reverse("care:assignment_detail", args=[request.pk]),
    ]
    for role in [*EMPLOYER_SIDE, "sector_admin"]:
        as_user(client, cast, role)
        for url in urls:
            body = client.get(url).content.decode()
            for secret in (
                "Geheime omschrijving",
                f"#{request.pk}<",
                f"#{waiting.pk}<",
                "In progress",
                "Awaiting approval",
            ):
                assert secret not in body, (role, url, secret)


def test_start_page_shows_the_work_of_coordinator_and_provider(client, ww):
    submit(ww, ww.budget)
    assigned(ww)
    for role, url in (
        ("care_coordinator", reverse("care:queue")),
        ("provider", reverse("care:assignment_list")),
    ):
        as_user(client, ww.cast, role)
        body = client.get(reverse("core:home")).content.decode()
        assert f'href="{url}"' in body, role
    as_user(client, ww.cast, "hr")
    body = client.get(reverse("core:home")).content.decode()
    assert reverse("care:queue") not in body and reverse("care:assignment_list") not in body


def test_referral_list_query_count_does_not_grow(client, ww, django_assert_max_num_queries):
    from vitaal.care import workflow

    cast = ww.cast
    manager = cast.user("manager")
    person = cast.a.people["employee"]
    workflow.referral_create(
        referrer=manager, person=person, intervention=ww.coaching, referrer_role="manager"
    )
    as_user(client, cast, "manager")
    url = reverse("care:referral_list", args=["a"])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _i in range(4):
        workflow.referral_create(
            referrer=manager, person=person, intervention=ww.coaching, referrer_role="manager"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count(ww.coaching.name_en) == 5


def test_company_doctor_refers_and_approval_list_query_count(client, ww, django_assert_max_num_queries):
    cast = ww.cast
    as_user(client, cast, "company_doctor")
    response = client.post(
        reverse("care:referral_create", args=["a"]),
        {"person": cast.a.colleague.pk, "intervention": ww.physio.pk, "referrer_role": "company_doctor"},
    )
    assert response.status_code == 302
    assert Referral.objects.get().referrer_role == "company_doctor"
    submit(ww, ww.physio)
    url = reverse("care:doctor_approvals", args=["a"])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _i in range(3):
        submit(ww, ww.physio, "manager")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
