"""Journeys of the care work area in headless Chromium, axe-core on every page: a manager
refers, the care coordinator approves and assigns, a provider registers a session.
Selectors use names and addresses, not texts, so they hold in Dutch and English."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from vitaal.care.models import CareRequest, DeliverySession, Referral, RequestStatus
from vitaal.care.tests.work_world import build_work_world, in_progress, submit
from vitaal.core.testing_browser import BrowserCast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], None]
SessionLogin = Callable[..., None]


def test_manager_refers_an_employee(
    page: Page, browser_cast: BrowserCast, axe_check: AxeCheck, session_login: SessionLogin
) -> None:
    cast = browser_cast.cast
    world = build_work_world(cast, with_requests=False)
    employee = cast.a.people["employee"]
    session_login(page.context, cast.user("manager"))

    list_url = reverse("care:referral_list", args=["a"])
    page.goto(list_url)
    axe_check(page)
    page.locator(f"main a[href='{reverse('care:referral_create', args=['a'])}']").click()
    axe_check(page)
    # Find the employee: typing searches (HTMX swaps in the matches), Enter searches too and
    # does not send the form; the chosen person stays through a new search. No text checks:
    # the browser gets the Dutch page.
    search, results = page.locator("#id_q"), page.locator("#person-results input[name=person]")
    choice = page.locator(f"#person-results input[name=person][value='{employee.pk}']")
    search.fill("nobody-by-this-name")
    expect(page.locator("#person-status")).to_contain_text("0")
    expect(results).to_have_count(0)
    search.fill(employee.employee_number)
    search.press("Enter")
    expect(choice).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"\?q="))  # HTMX answered; no page load
    axe_check(page)
    choice.focus()
    page.keyboard.press("Space")
    expect(choice).to_be_checked()
    search.fill("nobody-by-this-name")
    expect(page.locator("#person-status")).to_contain_text("0")
    expect(results).to_have_count(1)
    expect(choice).to_be_checked()
    page.locator("select[name=intervention]").select_option(str(world.coaching.pk))
    page.locator("textarea[name=note]").fill("Zullen we hier eens naar kijken?")
    page.locator("main form[method=post] [type=submit]:not([form])").click()

    expect(page).to_have_url(re.compile(re.escape(list_url) + "$"))
    axe_check(page)
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table tbody")).to_contain_text(world.coaching.name_nl)
    referral = Referral.objects.get()
    assert (referral.person_id, referral.referrer_role) == (employee.pk, "manager")


def test_coordinator_approves_and_assigns_a_provider(
    page: Page, browser_cast: BrowserCast, axe_check: AxeCheck, session_login: SessionLogin
) -> None:
    cast = browser_cast.cast
    world = build_work_world(cast, with_requests=False)
    request = submit(world, world.budget, description="Ik wil grip op mijn geldzaken.")
    session_login(page.context, cast.user("care_coordinator"))

    page.goto(reverse("care:queue"))
    axe_check(page)
    review_url = reverse("care:request_review", args=[request.pk])
    page.locator(f"main a[href='{review_url}']").click()
    expect(page).to_have_url(re.compile(re.escape(review_url) + "$"))
    axe_check(page)
    page.locator(f"form[action='{reverse('care:request_approve', args=[request.pk])}'] [type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("care:queue")) + "$"))
    axe_check(page)

    page.locator(f"main a[href='{review_url}']").click()
    axe_check(page)
    page.locator(f"#provider-{world.balans.pk}").check()
    page.locator(f"form[action='{reverse('care:request_assign', args=[request.pk])}'] [type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("care:queue")) + "$"))
    axe_check(page)
    request.refresh_from_db()
    assert (request.status, request.provider_id) == (RequestStatus.ASSIGNED, world.balans.pk)


def test_provider_registers_a_delivery_session(
    page: Page, browser_cast: BrowserCast, axe_check: AxeCheck, session_login: SessionLogin
) -> None:
    cast = browser_cast.cast
    world = build_work_world(cast, with_requests=False)
    request: CareRequest = in_progress(world, sessions=3)
    session_login(page.context, cast.user("provider"))
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(reverse("care:assignment_list"))
    axe_check(page)
    detail_url = reverse("care:assignment_detail", args=[request.pk])
    page.locator(f"main a[href='{detail_url}']").click()
    axe_check(page)
    form = page.locator(f"form[action='{reverse('care:session_add', args=[request.pk])}']")
    form.locator("input[name=date]").fill(timezone.localdate().isoformat())
    form.locator("input[name=duration_minutes]").fill("45")
    form.locator("input[name=cost]").fill("95.00")
    form.locator("[type=submit]").click()

    expect(page).to_have_url(re.compile(re.escape(detail_url) + "$"))
    axe_check(page)
    expect(page.locator("main table tbody tr")).to_have_count(1)
    session: Any = DeliverySession.objects.get()
    assert (session.request_id, session.duration_minutes) == (request.pk, 45)


def test_employee_enrols_for_a_group_activity_on_a_phone(
    page: Page, browser_cast: BrowserCast, axe_check: AxeCheck, session_login: SessionLogin
) -> None:
    from datetime import timedelta

    from vitaal.care import collective
    from vitaal.care.models import Enrolment

    cast = browser_cast.cast
    world = build_work_world(cast, with_requests=False)
    now = timezone.now()
    activity = collective.activity_create(
        user=cast.user("care_coordinator"),
        sector=cast.sector,
        spec=collective.ActivitySpec(
            title="Workshop beter slapen",
            organisation=cast.a.organisation,
            intervention=world.workshop,
            starts_at=now + timedelta(days=10),
            enrolment_deadline=now + timedelta(days=5),
            capacity=10,
            min_participants=3,
        ),
    )
    session_login(page.context, cast.user("employee"), mfa=False)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(reverse("care:activity_detail", args=[activity.pk]))
    axe_check(page)
    page.locator(f"form[action='{reverse('care:activity_enrol', args=[activity.pk])}'] [type=submit]").click()
    axe_check(page)
    expect(
        page.locator(f"form[action='{reverse('care:activity_unenrol', args=[activity.pk])}']")
    ).to_be_visible()
    assert Enrolment.objects.filter(activity=activity, person=cast.a.people["employee"]).exists()
