"""User journeys in headless Chromium, with axe-core (WCAG 2.1 A/AA) on every page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from vitaal.core.testing_browser import BrowserCast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], None]
LogIn = Callable[[Page, Any], None]
SessionLogin = Callable[..., None]


def test_hr_logs_in_with_totp_and_sees_true_numbers(
    page: Page, browser_cast: BrowserCast, axe_check: AxeCheck, log_in: LogIn
) -> None:
    cast = browser_cast.cast
    hr = cast.user("hr")
    org = cast.a.organisation
    employee = cast.a.people["employee"]

    log_in(page, hr)

    # The start page, after password and TOTP code.
    expect(page).to_have_url(re.compile(r"/$"))
    axe_check(page)
    people_url = reverse("core:person_list", args=[org.slug])
    # HR sees the whole organisation: the employee and manager with accounts, plus the
    # colleague of team 2 without one. Leavers: none.
    expected = len(cast.a.people) + 1
    assert expected == 3
    figure = page.locator(".figure", has=page.locator(f"dt a[href='{people_url}']"))
    expect(figure.locator("dd")).to_have_text(str(expected))

    # The people list, reached through the figure's link.
    figure.locator("dt a").click()
    expect(page).to_have_url(re.compile(re.escape(people_url) + "$"))
    axe_check(page)
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(expected)

    # One person's record.
    page.get_by_role("link", name=f"{employee.last_name}, {employee.first_name}").click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("core:person_detail", args=[org.slug, employee.pk])) + "$")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(str(employee))
    expect(page.locator("dl.record")).to_contain_text(employee.employee_number)
    axe_check(page)


def test_staff_without_mfa_must_set_it_up_first(
    page: Page, browser_cast: BrowserCast, axe_check: AxeCheck, log_in: LogIn
) -> None:
    from allauth.mfa.models import Authenticator

    admin = browser_cast.user("org_admin")
    Authenticator.objects.filter(user=admin).delete()
    browser_cast.totp_secrets.pop(admin.pk)

    log_in(page, admin)

    # The middleware sends the user straight to TOTP activation: the password entered a
    # moment ago counts as a fresh confirmation, so it is not asked for again.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(page.locator("main .message--warning")).to_be_visible()
    axe_check(page)
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
    browser_cast.totp_secrets[admin.pk] = secret
    page.locator("input[name=code]").fill(browser_cast.totp_code(admin))
    page.locator("form[action$='/2fa/totp/activate/'] [type=submit]").click()

    # allauth shows the recovery codes it generated; then the start page opens without a
    # second login, because entering a valid code proved the second factor.
    expect(page).not_to_have_url(re.compile(r"/totp/activate/"))
    axe_check(page)
    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("main .card").first).to_be_visible()
    axe_check(page)


def test_language_switcher_changes_language_and_back(
    page: Page, browser_cast: BrowserCast, axe_check: AxeCheck, session_login: SessionLogin
) -> None:
    session_login(page.context, browser_cast.user("employee"))
    # allauth's heading is translated in both languages (our own catalogue may lag behind).
    page.goto(reverse("account_change_password"))
    heading = page.get_by_role("heading", level=1)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(heading).to_have_text("Wachtwoord wijzigen")
    axe_check(page)

    page.locator(".language-switcher").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(heading).to_have_text("Change Password")
    expect(page).to_have_url(re.compile(re.escape(reverse("account_change_password")) + "$"))
    axe_check(page)

    page.locator(".language-switcher").get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(heading).to_have_text("Wachtwoord wijzigen")
    axe_check(page)


def test_employee_sees_who_looked_at_their_data(
    new_context: Callable[..., BrowserContext],
    browser_cast: BrowserCast,
    axe_check: AxeCheck,
    log_in: LogIn,
    session_login: SessionLogin,
) -> None:
    cast = browser_cast.cast
    hr = cast.user("hr")
    employee = cast.a.people["employee"]

    # HR's login with TOTP is the first journey; here HR starts logged in.
    hr_context = new_context()
    session_login(hr_context, hr)
    hr_page = hr_context.new_page()
    hr_page.goto(reverse("core:person_detail", args=[cast.a.organisation.slug, employee.pk]))
    expect(hr_page.get_by_role("heading", level=1)).to_have_text(str(employee))
    axe_check(hr_page)
    hr_context.close()

    page = new_context().new_page()
    log_in(page, cast.user("employee"))
    access_log_url = reverse("core:me_access_log")
    page.get_by_role("navigation").locator(f"a[href='{access_log_url}']").click()
    expect(page).to_have_url(re.compile(re.escape(access_log_url) + "$"))
    axe_check(page)
    rows = page.locator("main table tbody tr")
    expect(rows.filter(has_text=hr.email)).not_to_have_count(0)
    expect(rows.filter(has_text=hr.get_full_name()).first).to_be_visible()


PHONE_WIDTH = 390


def assert_no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways: {width}px wide in a {PHONE_WIDTH}px viewport"


def test_phone_viewport_has_no_horizontal_scroll_and_skip_link_comes_first(
    new_context: Callable[..., BrowserContext],
    browser_cast: BrowserCast,
    axe_check: AxeCheck,
    log_in: LogIn,
) -> None:
    page = new_context(
        viewport={"width": PHONE_WIDTH, "height": 844}, is_mobile=True, has_touch=True
    ).new_page()
    page.goto(reverse("account_login"))
    assert_no_horizontal_scroll(page)
    log_in(page, browser_cast.user("employee"))
    for path in ("/", reverse("core:me")):
        page.goto(path)
        axe_check(page)
        assert_no_horizontal_scroll(page)

        page.keyboard.press("Tab")
        skip = page.locator(".skip-link")
        expect(skip).to_be_focused()
        expect(skip).to_be_visible()
        page.keyboard.press("Enter")
        expect(page.locator("main#main")).to_be_focused()


def test_language_switcher_works_before_login(page: Page, axe_check: AxeCheck) -> None:
    page.goto(reverse("account_login"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    with page.expect_navigation():
        page.locator(".language-switcher").get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    axe_check(page)
