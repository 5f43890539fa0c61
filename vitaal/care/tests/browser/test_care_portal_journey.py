"""The employee portal in headless Chromium on a phone-sized screen, axe-core on every page:
health check → suggestion → intervention → request → my requests; and the finder done
with the keyboard only."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from vitaal.care.models import CareRequest
from vitaal.care.tests.access_portal import build_portal_world
from vitaal.core.testing_browser import BrowserCast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], None]
LogIn = Callable[[Page, Any], None]
PHONE = {"width": 390, "height": 844}


def phone_page(new_context: Callable[..., BrowserContext], live_server: Any) -> Page:
    from django.conf import settings

    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    # English (the language cookie, as the switcher sets it), so the assertions hold
    # before and after the Dutch catalogue is merged.
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    return context.new_page()


def fits_the_phone(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px"


def visit(page: Page, axe_check: AxeCheck) -> None:
    axe_check(page)
    fits_the_phone(page)


def test_employee_does_the_health_check_follows_a_suggestion_and_requests_it(
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    browser_cast: BrowserCast,
    axe_check: AxeCheck,
    log_in: LogIn,
) -> None:
    cast = browser_cast.cast
    world = build_portal_world(cast)
    page = phone_page(new_context, live_server)
    log_in(page, cast.user("employee"))

    page.goto(reverse("care:portal"))
    visit(page, axe_check)
    page.locator("main").get_by_role("link", name="Do the health check").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("care:portal_health_check")) + "$"))
    visit(page, axe_check)

    # Well-being a bit low (2 on every item: 40/100) and work ability moderate (6).
    for number in range(1, 6):
        page.locator(f"input[name=who5_{number}][value='2']").check()
    page.locator("input[name=work_ability][value='6']").check()
    page.get_by_role("button", name="See my result").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result")
    expect(page.locator("dl.scores")).to_contain_text("40/100")
    expect(page.locator("main")).to_contain_text("Only you can see")
    visit(page, axe_check)

    # The first suggestion is the mental coaching from the package.
    first = page.locator(".suggestion h3 a").first
    expect(first).to_have_text(world.coaching.name_en)
    first.click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("care:portal_intervention", args=[world.coaching.pk])))
    )
    visit(page, axe_check)

    page.get_by_role("link", name="Request this support").click()
    visit(page, axe_check)
    page.get_by_label(re.compile("Anything you want to tell")).fill("I have been sleeping badly for weeks.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Send my request")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/care/my-requests/\d+/$"))
    request = CareRequest.objects.get(person=cast.a.people["employee"])
    expect(page).to_have_url(
        re.compile(re.escape(reverse("care:portal_request_detail", args=[request.pk])) + "$")
    )
    expect(page.locator("main .message--success")).to_be_visible()
    expect(page.locator("ol.timeline li")).to_have_count(2)
    visit(page, axe_check)

    page.locator(".portal-nav").get_by_role("link", name="My requests").click()
    expect(page.locator(".request-list li")).to_have_count(1)
    expect(page.locator(".request-list")).to_contain_text(world.coaching.name_en)
    visit(page, axe_check)
    assert request.description == "I have been sleeping badly for weeks."


def test_finder_works_with_the_keyboard_only(
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    browser_cast: BrowserCast,
    axe_check: AxeCheck,
    log_in: LogIn,
) -> None:
    cast = browser_cast.cast
    world = build_portal_world(cast)
    page = phone_page(new_context, live_server)
    log_in(page, cast.user("employee"))
    page.goto(reverse("care:portal_finder"))
    visit(page, axe_check)

    answered: set[str] = set()
    page.locator("main h1").click()  # start tabbing from the top of the content
    for _step in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => ({tag: document.activeElement.tagName, type: document.activeElement.type,"
            " name: document.activeElement.name, text: document.activeElement.textContent})"
        )
        if focused["type"] == "radio" and focused["name"] not in answered:
            page.keyboard.press("Space")
            answered.add(focused["name"])
        if focused["tag"] == "BUTTON" and "Show suggestions" in focused["text"]:
            page.keyboard.press("Enter")
            break
    assert answered == {"concern", "urgency", "preference"}

    expect(page.get_by_role("heading", name="Suggestions for you")).to_be_visible()
    suggestions = page.locator(".suggestion")
    expect(suggestions).not_to_have_count(0)
    assert suggestions.count() <= 3
    visit(page, axe_check)
    # The first radio of each group is chosen: body, not yet, face to face.
    assert "concern=body" in page.url and "urgency=prevent" in page.url
    expect(page.locator(".suggestion h3 a").first).to_be_visible()
    assert world.massage.name_en not in page.locator(".suggestions").inner_text()


def test_every_portal_page_is_axe_clean_and_fits_a_phone(
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    browser_cast: BrowserCast,
    axe_check: AxeCheck,
    log_in: LogIn,
) -> None:
    from vitaal.care.tests import access_portal

    cast = browser_cast.cast
    access_portal.prepare(cast)
    page = phone_page(new_context, live_server)
    log_in(page, cast.user("employee"))
    downloads = {"care:portal_export_json", "care:portal_export_xlsx"}
    for name, spec in access_portal.ACCESS.items():
        if name in downloads:
            continue
        page.goto(reverse(name, kwargs=spec.kwargs(cast)))
        expect(page.locator("main h1")).to_be_visible()
        visit(page, axe_check)
    # A refused form shows its errors accessibly too.
    page.goto(reverse("care:portal_health_check"))
    page.get_by_role("button", name="See my result").click()
    expect(page.locator(".field--error").first).to_be_visible()
    visit(page, axe_check)
