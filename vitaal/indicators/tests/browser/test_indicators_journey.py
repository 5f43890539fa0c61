"""A unit head opens their scorecard, drills into an indicator and opens their management
contract; axe-core on every page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from vitaal.core.testing_browser import BrowserCast
from vitaal.indicators import contracts
from vitaal.indicators.library import load_library
from vitaal.indicators.models import Indicator, Measurement, Norm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unit_head_scorecard_indicator_and_contract(
    page: Page,
    browser_cast: BrowserCast,
    axe_check: Callable[[Page], None],
    session_login: Callable[..., Any],
    live_server: Any,
) -> None:
    from django.conf import settings

    cast = browser_cast.cast
    org, team = cast.a.organisation, cast.a.team1
    manager = cast.user("manager")
    load_library()
    absence = Indicator.objects.get(code="absence-pct")
    for month, value in [(1, "5.9"), (2, "5.6"), (3, "5.1")]:
        Measurement.objects.create(
            organisation=org,
            unit=team,
            indicator=absence,
            period_start=date(2026, month, 1),
            value=Decimal(value),
            group_size=25,
            source="import",
        )
    Norm.objects.create(
        organisation=org,
        unit=team,
        indicator=absence,
        period_start=date(2026, 1, 1),
        target=Decimal("5.0"),
        margin=Decimal("0.5"),
    )
    contract = contracts.create_contract(
        organisation=org,
        unit=team,
        head=manager,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    contracts.save_line(
        contract=contract,
        line_code="vital-people",
        objective="Absence falls below five percent",
        indicators=[(absence, Decimal("5.0"))],
    )
    # English (as the language switcher sets it), so the assertions hold with either catalogue.
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    session_login(page.context, manager)

    page.goto("/")
    axe_check(page)
    page.get_by_role("link", name="Indicators").first.click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("indicators:unit_scorecard", args=[org.slug, team.pk])))
    )
    axe_check(page)
    row = page.locator("tr", has=page.get_by_role("link", name="Absence percentage"))
    expect(row).to_contain_text("at risk")  # 5.1 against a target of 5.0 with a margin of 0.5

    row.get_by_role("link", name="Absence percentage").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Absence percentage")
    expect(page.locator("svg.trend")).to_be_visible()
    expect(page.locator("table").first).to_contain_text("2026-03")
    axe_check(page)

    page.goto(reverse("indicators:contract_list", args=[org.slug]))
    axe_check(page)
    page.get_by_role("link", name=team.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Management contract")
    expect(page.locator("main")).to_contain_text("Absence falls below five percent")
    axe_check(page)
    page.get_by_role("button", name="Sign as unit head").click()
    expect(page.locator("main")).to_contain_text("signed on")
    axe_check(page)
