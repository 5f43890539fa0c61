"""Two-step login for every role except the employee, in the browser, on production-like
settings (no DEBUG, no demo, no bypass code): a staff user without an authenticator who
logs in is sent to set one up and reaches none of their pages; the employee is not, and
may set one up voluntarily."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from vitaal.core.testing import ORG_ROLES, SECTOR_ROLES
from vitaal.core.testing_browser import BrowserCast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], None]
LogIn = Callable[[Page, Any], None]
ACTIVATE = re.compile(r"/accounts/2fa/totp/activate/$")
STAFF_ROLES = [role for role in ORG_ROLES + SECTOR_ROLES if role != "employee"]


@pytest.fixture(autouse=True)
def _production_like(settings: Any) -> None:
    settings.DEBUG = False
    settings.DEMO_MODE = False
    if hasattr(settings, "MFA_TOTP_INSECURE_BYPASS_CODE"):
        del settings.MFA_TOTP_INSECURE_BYPASS_CODE


def _their_pages(browser_cast: BrowserCast, role: str) -> list[str]:
    """The start page, and a page of the user's own organisation (or the sector's)."""
    org = browser_cast.cast.a.organisation.slug
    if role in SECTOR_ROLES:
        return ["/", reverse("care:catalog_list")]
    return ["/", reverse("core:organisation_detail", args=[org])]


def test_every_staff_role_without_mfa_is_sent_to_set_it_up(
    new_context: Callable[..., BrowserContext], browser_cast: BrowserCast, axe_check: AxeCheck, log_in: LogIn
) -> None:
    for role in STAFF_ROLES:
        user = browser_cast.user(role)
        Authenticator.objects.filter(user=user).delete()
        browser_cast.totp_secrets.pop(user.pk, None)
        context = new_context()  # a fresh browser for each user
        page = context.new_page()
        try:
            log_in(page, user)
            expect(page, f"{role} after login").to_have_url(ACTIVATE)
            for url in _their_pages(browser_cast, role):
                page.goto(url)
                expect(page, f"{role} opening {url}").to_have_url(ACTIVATE)
            expect(page.locator("main .message--warning").first).to_be_visible()
            if role == STAFF_ROLES[0]:
                axe_check(page)
        finally:
            context.close()


def test_employee_needs_no_mfa_and_may_set_it_up(
    page: Page, browser_cast: BrowserCast, axe_check: AxeCheck, log_in: LogIn
) -> None:
    employee = browser_cast.user("employee")
    assert employee.pk not in browser_cast.totp_secrets
    log_in(page, employee)
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto(reverse("care:portal"))
    expect(page).not_to_have_url(ACTIVATE)

    # Voluntary: the set-up page opens and works.
    page.goto(reverse("mfa_activate_totp"))
    expect(page).to_have_url(ACTIVATE)
    axe_check(page)
    secret = page.locator("#authenticator_secret").input_value()
    browser_cast.totp_secrets[employee.pk] = secret
    page.locator("input[name=code]").fill(browser_cast.totp_code(employee))
    page.locator("form[action$='/2fa/totp/activate/'] [type=submit]").click()
    expect(page).not_to_have_url(ACTIVATE)
    assert Authenticator.objects.filter(user=employee, type=Authenticator.Type.TOTP).exists()
