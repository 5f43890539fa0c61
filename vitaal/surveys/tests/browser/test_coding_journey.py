"""A researcher codes open answers on a phone-sized screen, by keyboard only: the coding
overview, the codebook, the queue (key 1 ticks the first code, Enter saves), the
agreement page and the coded frequencies. axe-core on every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from vitaal.core.testing_browser import BrowserCast
from vitaal.surveys import coding, services
from vitaal.surveys.models import Coding
from vitaal.surveys.questionnaire_file import DATA_DIR, questionnaire_load, questionnaire_read
from vitaal.surveys.tests.support import fill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], None]
PHONE = {"width": 390, "height": 844}


def _check(page: Page, axe_check: AxeCheck) -> None:
    axe_check(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px"


def test_researcher_codes_answers_by_keyboard_on_a_phone(
    new_context: Callable[..., BrowserContext],
    browser_cast: BrowserCast,
    axe_check: AxeCheck,
    session_login: Callable[..., Any],
    live_server: Any,
) -> None:
    cast = browser_cast.cast
    questionnaire = questionnaire_load(
        data=questionnaire_read(DATA_DIR / "employee_survey.json")
    ).questionnaire
    wave = services.wave_create(
        questionnaire=questionnaire, sector=cast.sector, organisation=cast.a.organisation, title="Enquête"
    )
    fill(wave, [{"comments": "Te veel werkdruk"}, {"comments": "Hulp dichtbij huis"}])
    book = coding.codebook_for(wave=wave, question=questionnaire.questions.get(code="comments"))
    workload = coding.code_add(codebook=book, value="workload", label_nl="Werkdruk", label_en="Workload")
    nearby = coding.code_add(
        codebook=book, value="nearby", label_nl="Hulp dichtbij", label_en="Help close by"
    )

    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    session_login(phone, cast.user("hr"))
    page = phone.new_page()
    page.goto(live_server.url + reverse("surveys:coding_index", args=[wave.pk]))
    _check(page, axe_check)
    page.locator("main table a").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _check(page, axe_check)

    # The queue goes by the answers' ids, which are random: read the order it will use.
    first_text, second_text = [a.text for a in coding.open_answers(wave, book.question)]
    page.goto(live_server.url + reverse("surveys:coding_queue", args=[wave.pk, "comments"]))
    expect(page.locator("#answer-text")).to_contain_text(first_text)
    _check(page, axe_check)
    page.keyboard.press("1")
    expect(page.locator(f"#code-{workload.pk}")).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.locator("#answer-text")).to_contain_text(second_text)
    _check(page, axe_check)
    coded = Coding.objects.get()
    assert list(coded.codes.all()) == [workload] and coded.coder == cast.user("hr")

    # A colleague codes both answers too, differently for the second one.
    answers = list(coding.open_answers(wave, book.question))
    admin = cast.user("org_admin")
    coding.assign(codebook=book, answer_id=answers[0].pk, coder=admin, code_ids=[workload.pk])
    coding.assign(codebook=book, answer_id=answers[1].pk, coder=cast.user("hr"), code_ids=[nearby.pk])
    coding.assign(codebook=book, answer_id=answers[1].pk, coder=admin, code_ids=[workload.pk])
    for name in ("coding_agreement", "coding_resolve", "coding_results"):
        page.goto(live_server.url + reverse(f"surveys:{name}", args=[wave.pk, "comments"]))
        _check(page, axe_check)
    expect(page.locator("#coded-base")).to_have_text("–")  # 2 coded answers: under k = 10
    page.goto(live_server.url + reverse("surveys:code_edit", args=[wave.pk, "comments", workload.pk]))
    _check(page, axe_check)
