"""Catalog journeys in headless Chromium, axe-checked on every page: the sector admin
filters the catalog and sets a verdict in the draft package; an org admin on a phone adds
a provider from the own network with a tariff."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from vitaal.care.models import PackageItem, Provider, ProviderTariff
from vitaal.care.tests.access_api import build_world
from vitaal.core.testing_browser import BrowserCast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], None]
SessionLogin = Callable[..., None]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def english(context: BrowserContext, base_url: str) -> None:
    """The journeys read English labels: a browser that chose English."""
    from django.conf import settings

    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base_url}])


def no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_sector_admin_filters_the_catalog_and_sets_a_verdict(
    new_context: Callable[..., BrowserContext],
    browser_cast: BrowserCast,
    axe_check: AxeCheck,
    session_login: SessionLogin,
    live_server: Any,
) -> None:
    world = build_world(browser_cast.cast)
    context = new_context()
    session_login(context, browser_cast.user("sector_admin"))
    english(context, live_server.url)
    page = context.new_page()

    page.goto(reverse("care:catalog_list"))
    axe_check(page)
    page.get_by_label("Theme").select_option("physical")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    page.get_by_role("link", name="Physiotherapy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Physiotherapy")
    expect(page.locator("dl.record")).to_contain_text("Supplementary health insurance")
    axe_check(page)

    page.goto(reverse("care:package_detail", args=[world.draft.pk]))
    axe_check(page)
    page.get_by_role("link", name="Physiotherapy").last.click()
    expect(page).to_have_url(re.compile(r"/interventions/\d+/$"))
    axe_check(page)
    page.get_by_label("Out of the package (−)").check()
    page.get_by_label("Rationale (Dutch)").fill("Valt onder de aanvullende verzekering.")
    page.get_by_label("Rationale (English)").fill("   ")
    page.get_by_role("button", name="Save verdict").click()
    # Without an English rationale (only spaces) nothing is saved and the form says why.
    expect(page.locator(".field--error")).to_contain_text("Give the reason for this verdict.")
    axe_check(page)
    assert not PackageItem.objects.filter(package=world.draft, intervention=world.physio).exists()
    page.get_by_label("Rationale (English)").fill("Covered by supplementary insurance.")
    page.get_by_role("button", name="Save verdict").click()
    expect(page.locator(".message--success")).to_be_visible()
    axe_check(page)
    assert PackageItem.objects.get(package=world.draft, intervention=world.physio).verdict == "out"


def test_org_admin_adds_an_own_provider_on_a_phone(
    new_context: Callable[..., BrowserContext],
    browser_cast: BrowserCast,
    axe_check: AxeCheck,
    session_login: SessionLogin,
    live_server: Any,
) -> None:
    build_world(browser_cast.cast)
    context = new_context(**PHONE)
    session_login(context, browser_cast.user("org_admin"))
    english(context, live_server.url)
    page: Any = context.new_page()

    page.goto(reverse("care:provider_list"))
    axe_check(page)
    no_horizontal_scroll(page)
    page.get_by_role("link", name=re.compile("Add a provider for")).click()
    axe_check(page)
    no_horizontal_scroll(page)
    page.get_by_label("Name").fill("Praktijk Om de Hoek")
    page.get_by_label("Utrecht").check()
    page.get_by_label("Coaching for work stress").check()
    page.get_by_role("button", name="Add provider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Praktijk Om de Hoek")
    axe_check(page)
    no_horizontal_scroll(page)
    page.get_by_label("Intervention").select_option(label="Coaching for work stress")
    page.get_by_label("Tariff (EUR)").fill("85")
    page.get_by_label("Valid from").fill("2026-01-01")
    page.get_by_role("button", name="Save tariff").click()
    expect(page.locator("main table")).to_contain_text("85.00")
    axe_check(page)
    provider = Provider.objects.get(name="Praktijk Om de Hoek")
    assert provider.added_by_organisation == browser_cast.cast.a.organisation
    assert ProviderTariff.objects.filter(provider=provider).count() == 1
