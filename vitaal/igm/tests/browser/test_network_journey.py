"""Browser journey of the learning network: a coordinator searches the toolbox, shares a
practice with the network and reads the lessons; the sector admin adds an organisation.
Phone-sized and axe-clean on every page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from vitaal.core.testing_browser import BrowserCast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parents[2] / "data"
PHONE = {"width": 390, "height": 844}


def _setup(cast: Any) -> Any:
    from vitaal.igm.services import framework_load_file
    from vitaal.igm.services.network import network_create, network_member_add, toolbox_load

    framework_load_file(path=DATA / "igm-default.json")
    toolbox_load()
    network = network_create(sector=cast.sector, name="Leernetwerk hbo")
    network_member_add(network=network, organisation=cast.a.organisation, joined_on=date(2025, 1, 1))
    return network


def test_coordinator_finds_and_shares_a_practice_on_a_phone(
    new_context: Callable[..., BrowserContext],
    browser_cast: BrowserCast,
    axe_check: Callable[[Page], None],
    session_login: Callable[..., None],
) -> None:
    cast = browser_cast.cast
    network = _setup(cast)
    context = new_context(viewport=PHONE)
    session_login(context, cast.user("coordinator"))
    page = context.new_page()

    page.goto(reverse("igm:toolbox"))
    axe_check(page)
    page.locator("#id_q").fill("kantine")
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator("main article.card")).to_have_count(1)
    axe_check(page)
    page.locator("main article.card h2 a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("kantine", re.I))
    axe_check(page)

    page.goto(reverse("igm:network_detail", kwargs={"pk": network.pk}))
    axe_check(page)
    page.locator(f"a[href='{reverse('igm:practice_submit', kwargs={'pk': network.pk})}']").click()
    axe_check(page)
    page.locator("#id_kind").select_option("approach")
    page.locator("#id_title").fill("Werkdruk als vast agendapunt")
    page.locator("#id_summary").fill("Elk teamoverleg begint met een korte ronde over werkdruk.")
    page.locator("input[name=phases][value='4']").check()
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkdruk als vast agendapunt")
    axe_check(page)

    page.goto(reverse("igm:network_lessons", kwargs={"pk": network.pk}))
    axe_check(page)
    context.close()


def test_sector_admin_adds_an_organisation(
    page: Page,
    browser_cast: BrowserCast,
    axe_check: Callable[[Page], None],
    session_login: Callable[..., None],
) -> None:
    cast = browser_cast.cast
    network = _setup(cast)
    session_login(page.context, cast.user("sector_admin"))
    page.goto(reverse("igm:network_list"))
    axe_check(page)
    page.get_by_role("link", name="Leernetwerk hbo").click()
    axe_check(page)
    page.locator("#id_organisation").select_option(str(cast.b.organisation.pk))
    page.locator(
        f"form[action='{reverse('igm:network_member_add', kwargs={'pk': network.pk})}'] button"
    ).click()
    expect(page.locator("main table")).to_contain_text(cast.b.organisation.name)
    axe_check(page)
