"""A coordinator runs a group meter session for a unit: creates it, rates the items of a
development line with a discussion note, closes it and reads the radar with its table.
axe-core (WCAG 2.1 A/AA) runs on every page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from vitaal.core.testing_browser import BrowserCast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], None]
SessionLogin = Callable[..., None]


def test_coordinator_runs_a_group_meter_session_for_a_unit(
    page: Page, browser_cast: BrowserCast, axe_check: AxeCheck, session_login: SessionLogin
) -> None:
    from vitaal.igm.models import GroupRating, MeterSession
    from vitaal.igm.services.cycle import cycle_start
    from vitaal.igm.services.loader import framework_load_file
    from vitaal.igm.tests.conftest import DATA

    assert framework_load_file(path=DATA / "igm-default.json").ok
    cast = browser_cast.cast
    org = cast.a.organisation
    cycle_start(organisation=org, started_on=date(2025, 1, 6))
    coordinator: Any = cast.user("coordinator")
    session_login(page.context, coordinator)

    # The overview, reached through the navigation.
    page.goto(reverse("core:home"))
    page.get_by_role("navigation").get_by_role(
        "link", name=re.compile("Gezondheidsmanagement|Health management")
    ).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("igm:overview", args=[org.slug])) + "$"))
    axe_check(page)

    # A new group session for team 1.
    page.locator(f"a[href='{reverse('igm:session_create', args=[org.slug])}']").click()
    axe_check(page)
    form = page.locator("main form")
    form.locator("input[name=title]").fill("Nulmeting team 1")
    form.locator("select[name=unit]").select_option(str(cast.a.team1.pk))
    form.locator("input[name=mode][value=group]").check()
    form.locator("[type=submit]").click()
    session = MeterSession.objects.get(title="Nulmeting team 1")
    expect(page).to_have_url(
        re.compile(re.escape(reverse("igm:session_detail", args=[org.slug, session.pk])) + "$")
    )
    axe_check(page)

    # Rate every item of the first line, with a note on the first item.
    page.locator("main table a[href*='/lines/']").first.click()
    axe_check(page)
    fieldsets = page.locator("main form fieldset")
    count = fieldsets.count()
    assert count >= 2
    for i in range(count):
        fieldsets.nth(i).locator("input[type=radio][value='3']").check()
    page.locator("main form textarea").first.fill("Beleid bestaat, RI&E van 2024 besproken.")
    page.locator("main form button[type=submit]:not([name])").click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("igm:session_detail", args=[org.slug, session.pk])) + "$")
    )
    expect(page.locator(".message--success")).to_be_visible()
    axe_check(page)
    assert GroupRating.objects.filter(session=session).count() == count

    # Close it and read the results.
    page.locator("main form[action$='/close/'] button").click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("igm:session_results", args=[org.slug, session.pk])) + "$")
    )
    expect(page.locator("main svg[role=img]")).to_be_visible()
    table = page.locator("main table.radar-table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr").first.locator("td").first).to_have_text(re.compile(r"^\s*66[.,]7\s*$"))
    axe_check(page)
