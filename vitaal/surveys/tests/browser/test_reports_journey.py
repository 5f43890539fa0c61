"""A researcher reads the weighted wave report (also on a phone) and the sector admin
works through the recommendation matrix; axe-core on every page."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from vitaal.care.models import Intervention, Package
from vitaal.core.testing_browser import BrowserCast
from vitaal.surveys import services
from vitaal.surveys.models import RecommendationMatrix
from vitaal.surveys.questionnaire_file import DATA_DIR, questionnaire_load, questionnaire_read
from vitaal.surveys.tests.support import fill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], None]
PHONE = {"width": 390, "height": 844}


def _fits_the_phone(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px"


def _wave(cast: Any) -> Any:
    questionnaire = questionnaire_load(
        data=questionnaire_read(DATA_DIR / "employee_survey.json")
    ).questionnaire
    wave = services.wave_open(
        wave=services.wave_create(
            questionnaire=questionnaire,
            sector=cast.sector,
            organisation=cast.a.organisation,
            title="Enquête 2026",
        )
    )
    fill(
        wave, [{"gender": "woman", "complaints": "yes", "support_used": ["coaching"], "health_grade": 7}] * 8
    )
    fill(wave, [{"gender": "man", "complaints": "no", "support_used": ["sport"], "health_grade": 8}] * 6)
    services.wave_population_set(wave=wave, shares={"gender": {"woman": 50, "man": 50, "x": 0}})
    return wave


def test_researcher_reads_the_weighted_report_on_desktop_and_phone(
    new_context: Callable[..., BrowserContext],
    browser_cast: BrowserCast,
    axe_check: AxeCheck,
    session_login: Callable[..., None],
) -> None:
    wave = _wave(browser_cast.cast)
    desktop = new_context()
    session_login(desktop, browser_cast.user("hr"))
    page = desktop.new_page()
    page.goto(reverse("surveys:wave_report", args=[wave.pk]))
    page.locator("#weighted-1").check()
    page.locator("main form.filters button[type=submit]").click()
    expect(page.locator("#weights-summary")).to_be_visible()
    axe_check(page)

    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    session_login(phone, browser_cast.user("hr"))
    small = phone.new_page()
    small.goto(reverse("surveys:wave_report", args=[wave.pk]) + "?weighted=1")
    axe_check(small)
    _fits_the_phone(small)
    small.goto(reverse("surveys:wave_compare", args=[wave.pk]))
    axe_check(small)
    _fits_the_phone(small)


def test_sector_admin_decides_and_carries_into_the_draft_package(
    page: Page, browser_cast: BrowserCast, axe_check: AxeCheck, session_login: Callable[..., None]
) -> None:
    cast = browser_cast.cast
    wave = _wave(cast)
    coaching = Intervention.objects.create(
        sector=cast.sector,
        code="coaching",
        name_nl="Coaching",
        name_en="Coaching",
        theme="mental",
        tariff=100,
        tariff_unit="session",
        route_direct=True,
        stage_prevention=True,
        form_online=True,
        individual=True,
    )
    matrix = RecommendationMatrix.objects.create(
        sector=cast.sector,
        title="Pakket 2027",
        year=2027,
        wave=wave,
        usage_from=datetime.date(2025, 1, 1),
        usage_to=datetime.date(2025, 12, 31),
        need_mapping={"coaching": [{"question": "support_used", "options": ["coaching"]}]},
    )
    session_login(page.context, browser_cast.user("sector_admin"))
    page.goto(reverse("surveys:matrix_list"))
    axe_check(page)
    page.goto(reverse("surveys:matrix_detail", args=[matrix.pk]))
    axe_check(page)
    section = page.locator(f"#iv-{coaching.pk}").locator("xpath=..")
    section.locator("textarea").fill("Veel behoefte, nergens anders te krijgen.")
    section.locator("button[type=submit]").click()
    axe_check(page)
    page.locator(f"form[action='{reverse('surveys:matrix_carry', args=[matrix.pk])}'] button").click()
    axe_check(page)
    package = Package.objects.get(sector=cast.sector, year=2027)
    assert not package.is_published and package.items.get().intervention == coaching
    page.goto(reverse("surveys:matrix_settings", args=[matrix.pk]))
    axe_check(page)
