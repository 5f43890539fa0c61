"""The respondent's pages over HTTP: open a link, answer with skip logic, save, resume,
send; bad answers and used links get a clear message and change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vitaal.surveys import services
from vitaal.surveys.models import Invitation, ResponseStatus, SurveyResponse

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def invited(wave):
    [(_invitation, token)] = services.invitations_create(wave=wave, emails=["ann@example.org"])
    return token


def _start(client, token) -> str:
    response = client.post(reverse("surveys:invitation", args=[token]))
    assert response.status_code == 302
    return response["Location"]


def _post(client, url, data):
    return client.post(url.split("?")[0], data)


def test_the_welcome_page_does_not_use_the_link_up(client, invited) -> None:
    page = client.get(reverse("surveys:invitation", args=[invited]))
    assert page.status_code == 200
    assert b"Health and work questionnaire" in page.content or b"Vragenlijst" in page.content
    assert page["Referrer-Policy"] == "same-origin"
    assert "no-store" in page["Cache-Control"]
    assert not Invitation.objects.get().started


def test_a_used_link_is_refused_with_a_clear_message(client, invited) -> None:
    _start(client, invited)
    for method in (client.get, client.post):
        page = method(reverse("surveys:invitation", args=[invited]))
        assert page.status_code == 410
        assert b"already been used" in page.content
    assert SurveyResponse.objects.count() == 1


def test_an_unknown_link_is_refused(client, wave) -> None:
    page = client.get(reverse("surveys:invitation", args=["wrong"]))
    assert page.status_code == 404 and b"not valid" in page.content
    assert client.get(reverse("surveys:answer", args=["wrong"])).status_code == 404


def test_a_closed_wave_refuses_to_start(client, wave, invited) -> None:
    services.wave_close(wave=wave)
    page = client.post(reverse("surveys:invitation", args=[invited]))
    assert page.status_code == 410 and b"not open" in page.content
    assert not SurveyResponse.objects.exists()


def test_full_journey_with_skip_logic_save_resume_and_send(client, invited) -> None:
    url = _start(client, invited)
    answer_url = url.split("?")[0]
    # Page 1: background questions may be skipped entirely.
    page = client.get(url)
    assert page.status_code == 200 and b"Page 1 of 4" in page.content
    nxt = _post(client, url, {"page": "1", "action": "next", "gender": "woman"})
    assert nxt.status_code == 302 and nxt["Location"].endswith("?page=2")
    # Page 2: a grade outside 1-10 is refused, nothing on the page is stored.
    bad = _post(client, url, {"page": "2", "action": "next", "health_grade": "11", "complaints": "no"})
    assert bad.status_code == 400
    assert b"Give a whole number from 1 to 10." in bad.content
    assert b"Nothing on this page was saved." in bad.content
    response = SurveyResponse.objects.get()
    assert "complaints" not in services.response_values(response)
    ok = _post(
        client,
        url,
        {"page": "2", "action": "next", "health_grade": "7", "complaints": "no", "attention.cares": "4"},
    )
    assert ok["Location"].endswith("?page=3")
    # Page 3: "no steps" means page 4 shows only "why not".
    _post(client, url, {"page": "3", "action": "next", "took_steps": "no"})
    page4 = client.get(f"{answer_url}?page=4")
    assert b"why_not" in page4.content and b"support_used" not in page4.content
    # Save for later: the saved page shows the link to go on, which works.
    saved = _post(
        client,
        url,
        {"page": "4", "action": "save", "why_not": ["no_time", "other"], "why_not.other": "Werkdruk"},
    )
    assert saved.status_code == 302
    saved_page = client.get(saved["Location"])
    assert answer_url.encode() in saved_page.content
    client.cookies.clear()  # another day, another browser
    resumed = client.get(answer_url)
    assert resumed.status_code == 200 and b"Page 4 of 5" in resumed.content
    assert SurveyResponse.objects.get().status == ResponseStatus.PARTIAL
    # Send from the last page.
    sent = _post(client, f"{answer_url}?page=5", {"page": "5", "action": "submit", "future_grade": "9"})
    assert sent.status_code == 302 and sent["Location"] == reverse("surveys:thanks")
    response = SurveyResponse.objects.get()
    assert response.status == ResponseStatus.COMPLETE
    values = services.response_values(response)
    assert values["why_not"].choices == ["no_time", "other"] and values["why_not"].text == "Werkdruk"
    assert Invitation.objects.get().finished
    # After sending, the link only says thank you.
    assert client.get(answer_url)["Location"] == reverse("surveys:thanks")


def test_sending_with_a_required_question_open_goes_back_to_it(client, invited) -> None:
    url = _start(client, invited)
    answer_url = url.split("?")[0]
    page = _post(client, f"{answer_url}?page=5", {"page": "5", "action": "submit", "future_grade": "8"})
    assert page.status_code == 400
    assert b"This question needs an answer." in page.content
    assert b'name="health_grade"' in page.content  # page 2 is shown again
    assert SurveyResponse.objects.get().status == ResponseStatus.PARTIAL
    assert not Invitation.objects.get().finished


def test_the_open_link_starts_a_response_for_everyone(client, wave) -> None:
    token = services.wave_open_link_create(wave=wave)
    assert client.get(reverse("surveys:open_link", args=[token])).status_code == 200
    first = client.post(reverse("surveys:open_link", args=[token]))
    second = client.post(reverse("surveys:open_link", args=[token]))
    assert first["Location"] != second["Location"]
    assert SurveyResponse.objects.count() == 2


def test_a_tampered_option_is_refused(client, invited) -> None:
    url = _start(client, invited)
    page = _post(client, url, {"page": "1", "action": "next", "gender": "robot"})
    assert page.status_code == 400 and b"Choose one of the answers shown." in page.content


def test_answers_after_the_wave_closed_are_refused_with_a_message(client, wave, invited) -> None:
    url = _start(client, invited)
    services.wave_close(wave=wave)
    page = _post(client, url, {"page": "1", "action": "next", "gender": "woman"})
    assert page.status_code == 410 and b"This survey is closed." in page.content
    assert not services.response_values(SurveyResponse.objects.get())
