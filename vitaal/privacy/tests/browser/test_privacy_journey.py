"""The erasure journey in headless Chromium, axe-checked on every page: an employee on a
phone asks (by keyboard) to erase their data, the sector administrator previews and
carries it out, and the employee reads what was erased and what was kept, and why."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from vitaal.care.models import HealthCheck
from vitaal.core.testing_browser import BrowserCast
from vitaal.privacy.models import ErasureRequest, ErasureStatus
from vitaal.privacy.tests.world import care_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], None]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def english(context: BrowserContext, base_url: str) -> None:
    from django.conf import settings

    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base_url}])


def no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_employee_asks_handler_erases_employee_reads_the_outcome(
    new_context: Callable[..., BrowserContext],
    browser_cast: BrowserCast,
    axe_check: AxeCheck,
    session_login: Callable[..., None],
    live_server: Any,
) -> None:
    history = care_history(browser_cast.cast)
    employee = browser_cast.user("employee")

    phone = new_context(**PHONE)
    session_login(phone, employee, mfa=False)
    english(phone, live_server.url)
    page = phone.new_page()
    page.goto(reverse("core:me"))
    axe_check(page)
    page.get_by_role("link", name="Ask to erase my data").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase my data")
    axe_check(page)
    no_horizontal_scroll(page)
    page.get_by_label("Why do you want this? (you do not have to say)").focus()
    page.keyboard.type("Ik werk hier bijna niet meer.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Ask to erase my data")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".message--success")).to_be_visible()
    axe_check(page)
    no_horizontal_scroll(page)
    item = ErasureRequest.objects.get(person__user=employee)

    desk = new_context()
    session_login(desk, browser_cast.user("privacy_officer"))
    english(desk, live_server.url)
    admin = desk.new_page()
    admin.goto(reverse("privacy:erasure_list"))
    axe_check(admin)
    admin.locator("main table a").first.click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Erasure request")
    expect(admin.locator("main")).to_contain_text("Ik werk hier bijna niet meer.")
    expect(admin.locator("main table")).to_contain_text("Financial records")
    axe_check(admin)
    admin.get_by_label("Explanation for the employee").fill("Uitgevoerd; de boekingen blijven zeven jaar.")
    admin.get_by_role("button", name="Carry out the erasure").click()
    expect(admin.locator(".message--success")).to_be_visible()
    axe_check(admin)
    item.refresh_from_db()
    assert item.status == ErasureStatus.DONE
    assert not HealthCheck.objects.filter(pk=history.check.pk).exists()

    page.goto(reverse("privacy:my_erasure"))
    main = page.locator("main")
    expect(main).to_contain_text("Uitgevoerd; de boekingen blijven zeven jaar.")
    expect(main).to_contain_text("Financial records")
    expect(main).to_contain_text("Erased")
    axe_check(page)
    no_horizontal_scroll(page)
