"""Browser journey of a plan of approach: a coordinator drafts it from a closed meter
session (line, improvement point, SMART goal, action) and submits it, management signs it
off from the start page, and an employee of the unit reads the published summary. Every
page is checked with axe-core."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from vitaal.core.testing_browser import BrowserCast
from vitaal.igm.models import Framework, ImprovementPoint, Plan, PlanStatus
from vitaal.igm.services import cycle_start, framework_load
from vitaal.igm.tests.access_plans import FRAMEWORK, START, closed_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], None]
SessionLogin = Callable[..., None]


def link(page: Page, url: str) -> Any:
    return page.locator(f"main a[href='{url}']").first


def submit(page: Page) -> None:
    page.locator("main form button[type=submit]").click()


def test_plan_drafted_signed_off_and_published(
    browser_cast: BrowserCast,
    new_context: Callable[..., BrowserContext],
    axe_check: AxeCheck,
    session_login: SessionLogin,
) -> None:
    cast = browser_cast.cast
    org = cast.a.organisation
    assert framework_load(data=FRAMEWORK).ok
    framework = Framework.objects.get(code="plans")
    cycle_start(organisation=org, started_on=START, framework=framework, coordinator=cast.user("coordinator"))
    session = closed_session(cast, cast.a.team1, {"a": 4, "b": 1, "c": 2})

    # The coordinator drafts the plan for team 1 from the meter session.
    coordinator = new_context()
    session_login(coordinator, cast.user("coordinator"))
    page = coordinator.new_page()
    page.goto(reverse("igm:plan_list", args=[org.slug]))
    axe_check(page)
    link(page, reverse("igm:plan_create", args=[org.slug])).click()
    axe_check(page)
    page.select_option("select[name=unit]", str(cast.a.team1.pk))
    page.select_option("select[name=session]", str(session.pk))
    submit(page)
    plan = Plan.objects.get(unit=cast.a.team1)
    detail = reverse("igm:plan_detail", args=[org.slug, plan.pk])
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
    expect(page.locator("section.plan-line h2").first).to_contain_text("Lijn b")
    axe_check(page)

    # Summary for employees.
    link(page, reverse("igm:plan_edit", args=[org.slug, plan.pk])).click()
    axe_check(page)
    page.fill("textarea[name=summary_nl]", "We maken de piekweken rustiger.")
    page.fill("textarea[name=summary_en]", "We make the peak weeks calmer.")
    submit(page)
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))

    # An improvement point for the first line.
    first_line = plan.lines.order_by("priority").first()
    assert first_line is not None
    link(page, reverse("igm:improvement_point_add", args=[org.slug, plan.pk, first_line.pk])).click()
    axe_check(page)
    page.fill("input[name=title]", "Werkdruk in piekweken")
    submit(page)
    expect(page.locator("main")).to_contain_text("Werkdruk in piekweken")
    point = ImprovementPoint.objects.get(plan_line=first_line)

    # A SMART goal.
    link(page, reverse("igm:goal_add", args=[org.slug, plan.pk, point.pk])).click()
    axe_check(page)
    page.fill("textarea[name=specific]", "Minder overwerk in piekweken")
    page.fill("input[name=indicator_name]", "Overwerkuren per week")
    page.fill("input[name=target_value]", "2")
    page.select_option("select[name=owner]", str(cast.user("manager").pk))
    page.fill("input[name=deadline]", date(2025, 12, 1).isoformat())
    submit(page)
    expect(page.locator("main")).to_contain_text("Overwerkuren per week")
    axe_check(page)
    goal = point.goals.get()

    # An action towards it.
    link(page, reverse("igm:action_add", args=[org.slug, plan.pk, goal.pk])).click()
    axe_check(page)
    page.fill("input[name=title]", "Rooster piekweken aanpassen")
    page.fill("input[name=due_date]", date(2025, 6, 1).isoformat())
    page.fill("input[name=hours]", "16")
    page.fill("input[name=money]", "0")
    submit(page)
    expect(page.locator("main table")).to_contain_text("Rooster piekweken aanpassen")

    # Submit for sign-off.
    link(page, reverse("igm:plan_submit", args=[org.slug, plan.pk])).click()
    axe_check(page)
    submit(page)
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    coordinator.close()

    # Management finds the plan on the start page and signs it off.
    management = new_context()
    session_login(management, cast.user("management"))
    page = management.new_page()
    page.goto(reverse("core:home"))
    axe_check(page)
    page.locator(f"a[href='{reverse('igm:plan_list', args=[org.slug])}']").first.click()
    axe_check(page)
    link(page, detail).click()
    axe_check(page)
    link(page, reverse("igm:plan_sign_off", args=[org.slug, plan.pk])).click()
    axe_check(page)
    submit(page)
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
    axe_check(page)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SIGNED_OFF
    management.close()

    # The employee of team 1 reads the published summary, on a phone.
    employee = new_context(viewport={"width": 390, "height": 844})
    session_login(employee, cast.user("employee"), mfa=False)
    page = employee.new_page()
    page.goto(reverse("core:home"))
    axe_check(page)
    page.locator(f"a[href='{reverse('igm:our_plan', args=[org.slug])}']").click()
    expect(page.locator("main")).to_contain_text("We maken de piekweken rustiger.")
    expect(page.locator("main")).not_to_contain_text("Overwerkuren")
    axe_check(page)
    employee.close()


def test_documents_signals_and_report_pages_are_accessible(
    browser_cast: BrowserCast,
    new_context: Callable[..., BrowserContext],
    axe_check: AxeCheck,
    session_login: SessionLogin,
) -> None:
    from vitaal.igm.tests.access_plans import build_plans

    cast = browser_cast.cast
    org = cast.a.organisation.slug
    built = build_plans(cast)
    closed_session(cast, None, {"a": 1, "b": 2, "c": 3})

    context = new_context(viewport={"width": 390, "height": 844})
    session_login(context, cast.user("coordinator"))
    page = context.new_page()
    for url in (
        reverse("igm:document_list", args=[org]),
        reverse("igm:document_detail", args=[org, "communication-plan"]),
        reverse("igm:document_edit", args=[org, "start-memo"]),
        reverse("igm:communication_item_add", args=[org]),
        reverse("igm:signal_list", args=[org]),
        reverse("igm:progress_report", args=[org]),
        reverse("igm:digest_settings"),
        reverse("igm:initiative_add", args=[org]),
        reverse("igm:plan_part_remove", args=[org, built["draft"].pk, "action", built["action"].pk]),
    ):
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        axe_check(page)
    page.goto(reverse("igm:progress_report", args=[org]))
    expect(page.locator("main svg[role=img]")).to_be_visible()
    # Bad input shows its message, accessibly.
    page.goto(reverse("igm:communication_item_add", args=[org]))
    page.fill("input[name=audience]", "Iedereen")
    page.fill("textarea[name=message]", "Start")
    page.fill("input[name=channel]", "Mail")
    page.fill("input[name=starts_on]", "2025-03-01")
    page.fill("input[name=ends_on]", "2025-02-01")
    page.fill("input[name=owner]", "Trekker")
    submit(page)
    expect(page.locator(".field--error")).to_have_count(1)
    axe_check(page)
    context.close()
