"""Journeys through the reports area in headless Chromium, on a phone-sized screen, with
axe-core on every page: HR reads the usage report, copies a communication text and
applies for budget; the sector admin decides, reads the benchmark and the forecast."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from vitaal.care import finance
from vitaal.care.models import ApplicationStatus, BudgetApplication
from vitaal.care.tests.test_usage import add_users
from vitaal.care.usage_counts import current_quarter
from vitaal.core.testing_browser import BrowserCast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def cast(browser_cast: BrowserCast) -> Any:
    """The care tests' ``world`` fixture builds on ``cast``: here, the browser's cast. A
    transactional test empties the tables, so the seeded regions are put back first."""
    from django.apps import apps

    from vitaal.care.models import Region

    seed = importlib.import_module("vitaal.care.migrations.0002_seed_regions").seed
    if not Region.objects.exists():
        seed(apps, None)
    return browser_cast.cast


def _english(context: BrowserContext, live_server: Any) -> BrowserContext:
    """English pages (the labels the journey looks for), through the language cookie."""
    from django.conf import settings

    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    return context


def _world(browser_cast: BrowserCast, world: Any) -> Any:
    quarter = current_quarter().previous()
    when = datetime(quarter.start.year, quarter.start.month, 10, tzinfo=UTC)
    organisation = browser_cast.cast.a.organisation
    add_users(world, organisation, world.coaching, 12, group=browser_cast.cast.op, when=when, grade=8)
    add_users(world, organisation, world.physio, 3, gender="m", when=when, grade=6)
    finance.financing_model_set(
        user=browser_cast.cast.user("sector_admin"),
        package=world.package,
        company_budget_per_employee=Decimal("50"),
    )
    return world


def test_hr_reads_the_report_copies_a_text_and_applies_for_budget(
    new_context: Callable[..., BrowserContext],
    browser_cast: BrowserCast,
    axe_check: Callable[[Page], None],
    session_login: Callable[..., None],
    world: Any,
    live_server: Any,
) -> None:
    _world(browser_cast, world)
    context = _english(new_context(viewport=PHONE), live_server)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    session_login(context, browser_cast.user("hr"))
    page = context.new_page()

    page.goto(reverse("care:usage_report", args=["a"]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hogeschool A")
    expect(page.locator("main")).to_contain_text("suppressed")
    expect(page.locator("main svg.chart")).to_be_visible()
    axe_check(page)

    page.goto(reverse("care:comm_kit", args=["a"]))
    button = page.locator("[data-copy-target='kit-newsletter-nl']")
    expect(button).to_be_visible()  # shown by the script, hidden without it
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#kit-newsletter-nl-status")).not_to_be_empty()
    axe_check(page)

    page.goto(reverse("care:budget", args=["a"]))
    axe_check(page)
    year = datetime.now(tz=UTC).year
    page.get_by_label("Purpose").fill("Workshop werkdruk voor teams")
    page.get_by_label("Amount (EUR)").fill("100")
    page.get_by_label("Period start").fill(f"{year}-03-01")
    page.get_by_label("Period end").fill(f"{year}-06-30")
    page.get_by_role("button", name="Send application").click()
    expect(page.locator(".message--success")).to_be_visible()
    axe_check(page)
    assert BudgetApplication.objects.get().status == ApplicationStatus.SUBMITTED
    context.close()


def test_sector_admin_decides_and_reads_benchmark_and_forecast(
    new_context: Callable[..., BrowserContext],
    browser_cast: BrowserCast,
    axe_check: Callable[[Page], None],
    session_login: Callable[..., None],
    world: Any,
    live_server: Any,
) -> None:
    cast = browser_cast.cast
    _world(browser_cast, world)
    BudgetApplication.objects.create(
        organisation=cast.a.organisation,
        year=datetime.now(tz=UTC).year,
        purpose="Sportweek",
        amount=Decimal("90"),
        period_start=datetime.now(tz=UTC).date(),
        period_end=datetime.now(tz=UTC).date(),
        submitted_by=cast.user("hr"),
    )
    context = _english(new_context(viewport=PHONE), live_server)
    session_login(context, cast.user("sector_admin"))
    page = context.new_page()

    page.goto(reverse("care:budget_decisions"))
    axe_check(page)
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".message--success")).to_be_visible()
    axe_check(page)

    for name in ("care:sector_usage", "care:balances", "care:insurer_import"):
        page.goto(reverse(name))
        axe_check(page)

    page.goto(reverse("care:forecast"))
    page.get_by_role("button", name="Calculate").click()
    expect(page).to_have_url(re.compile(r"start_year="))
    expect(page.locator("main svg.chart polyline")).to_have_count(3)
    axe_check(page)
    context.close()
