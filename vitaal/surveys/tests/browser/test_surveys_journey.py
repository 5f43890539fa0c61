"""An employee answers the survey on a phone: opens the link, answers with skip logic,
saves, comes back another day in another browser, and sends. axe-core on every page."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from vitaal.core.testing_browser import BrowserCast
from vitaal.surveys import services
from vitaal.surveys.models import Invitation, ResponseStatus, SurveyResponse
from vitaal.surveys.questionnaire_file import DATA_DIR, questionnaire_load, questionnaire_read

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], None]
PHONE = {"width": 390, "height": 844}


def _fits_the_phone(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px"


def _check(page: Page, axe_check: AxeCheck) -> None:
    axe_check(page)
    _fits_the_phone(page)


def test_employee_answers_on_a_phone_saves_resumes_and_sends(
    new_context: Callable[..., BrowserContext], browser_cast: BrowserCast, axe_check: AxeCheck
) -> None:
    cast = browser_cast.cast
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
    [(_invitation, token)] = services.invitations_create(wave=wave, emails=["medewerker@example.org"])
    # The code rides in the fragment: respond.js posts it, the browser never sends it.
    link = f"{reverse('surveys:start')}#t={token}"
    sent_urls: list[str] = []

    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.on("request", lambda request: sent_urls.append(request.url))

    # The welcome page, in Dutch.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vragenlijst gezondheid en werk")
    _check(page, axe_check)
    page.locator("main form button[type=submit]").click()

    # Page 1: about you. Only gender is answered; the rest may be skipped.
    expect(page.locator("#q-gender legend")).to_have_text("Wat is je geslacht?")
    _check(page, axe_check)
    page.locator("label[for=gender-woman]").click()
    page.locator("button[value=next]").click()

    # Page 2: a grade of 11 cannot be chosen (radio buttons 1-10); required questions.
    expect(page.locator("#q-health_grade")).to_be_visible()
    _check(page, axe_check)
    page.locator("label[for=health_grade-7]").click()
    page.locator("label[for=complaints-no]").click()
    page.locator("label[for=attention-cares-4]").click()
    page.locator("button[value=next]").click()

    # Page 3: yes, steps taken.
    page.locator("label[for=took_steps-yes]").click()
    _check(page, axe_check)
    page.locator("button[value=next]").click()

    # Page 4: skip logic shows what was used, not why not. "Other" without text is refused.
    expect(page.locator("#q-support_used")).to_be_visible()
    expect(page.locator("#q-why_not")).to_have_count(0)
    page.locator("label[for=support_used-coaching]").click()
    page.locator("label[for=support_used-other]").click()
    page.locator("button[value=next]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#support_used-error")).to_be_visible()
    _check(page, axe_check)
    page.locator("#support_used-other-text").fill("Yoga")
    page.locator("button[value=save]").click()

    # Saved: the page gives the link to go on later.
    expect(page).to_have_url(re.compile(r"/surveys/answer/saved/$"))
    _check(page, axe_check)
    resume_link = page.locator("#resume-link").input_value()
    assert SurveyResponse.objects.get().status == ResponseStatus.PARTIAL
    phone.close()

    # Another day, a fresh browser: the personal link is used up, the resume link works.
    later = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = later.new_page()
    page.on("request", lambda request: sent_urls.append(request.url))
    page.goto(link)
    expect(page.locator("main [role=alert]")).to_be_visible()
    _check(page, axe_check)
    page.goto(resume_link)
    expect(page.locator("#support_used-coaching")).to_be_checked()
    expect(page.locator("#support_used-other-text")).to_have_value("Yoga")
    _check(page, axe_check)
    page.locator("button[value=next]").click()

    # Page 5: the last one, then send.
    expect(page.locator("button[value=submit]")).to_be_visible()
    page.locator("label[for=future_grade-9]").click()
    page.locator("#comments-input").fill("Meer aandacht voor werkdruk graag.")
    _check(page, axe_check)
    page.locator("button[value=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("surveys:thanks")) + "$"))
    _check(page, axe_check)
    later.close()

    response = SurveyResponse.objects.get()
    assert response.status == ResponseStatus.COMPLETE
    values = services.response_values(response)
    assert values["support_used"].choices == ["coaching", "other"]
    assert values["support_used"].text == "Yoga"
    assert "why_not" not in values
    assert Invitation.objects.get().started
    resume = resume_link.split("#t=")[1]
    assert sent_urls and not any(token in url or resume in url for url in sent_urls)


def test_hr_enters_population_figures_and_reads_the_weighted_report(
    new_context: Callable[..., BrowserContext],
    browser_cast: BrowserCast,
    axe_check: AxeCheck,
    session_login: Callable[..., None],
) -> None:
    from vitaal.surveys.tests.support import fill

    cast = browser_cast.cast
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
        wave, [{"gender": "woman", "complaints": "yes", "health_grade": 6, "support_used": ["coaching"]}] * 30
    )
    fill(wave, [{"gender": "man", "complaints": "no", "health_grade": 8, "support_used": ["physio"]}] * 10)
    fill(wave, [{"gender": "x", "complaints": "no"}] * 2)

    context = new_context()
    session_login(context, browser_cast.user("hr"))
    page = context.new_page()
    page.goto(reverse("surveys:wave_list"))
    axe_check(page)
    page.get_by_role("link", name="Enquête 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enquête 2026")
    axe_check(page)
    page.locator(f"a[href='{reverse('surveys:wave_results', args=[wave.pk])}']").first.click()
    axe_check(page)
    # No population figures yet: the weighted option is disabled; enter them.
    expect(page.locator("#weighted-1")).to_be_disabled()
    page.locator(f"a[href='{reverse('surveys:wave_population', args=[wave.pk])}']").click()
    axe_check(page)
    page.locator("#id_gender__woman").fill("50")
    page.locator("#id_gender__man").fill("48")
    page.locator("#id_gender__x").fill("2")
    page.locator("main form button[type=submit]").first.click()  # the first form: figures by hand

    # The weighted report, broken down by gender.
    page.locator("label[for=weighted-1]").click()
    page.locator("#by").select_option("gender")
    page.locator("main form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"weighted=1"))
    expect(page.locator("#weighted-1")).to_be_checked()
    expect(page.locator("#weights-summary")).to_contain_text("1,")  # design effect, Dutch decimals
    axe_check(page)
