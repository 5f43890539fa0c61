"""The respondent's pages over HTTP: open a code, answer with skip logic, save, resume,
send; bad answers and used codes get a clear message and change nothing. No address the
respondent's browser asks for carries a code."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vitaal.surveys import services
from vitaal.surveys.models import Invitation, ResponseStatus, SurveyResponse
from vitaal.surveys.views.respond import STATE_COOKIE

pytestmark = pytest.mark.django_db

START = "/surveys/start/"
ANSWER = "/surveys/answer/"


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def invited(wave):
    [(_invitation, token)] = services.invitations_create(wave=wave, emails=["ann@example.org"])
    return token


def _start(client, code) -> str:
    """What respond.js does with the link's fragment, then the welcome page's button."""
    welcome = client.post(START, {"code": code})
    assert welcome.status_code == 200
    begun = client.post(START, {"code": code, "action": "begin"})
    assert begun.status_code == 302
    return begun["Location"]


def test_the_routes_are_fixed_addresses_without_a_code() -> None:
    assert reverse("surveys:start") == START
    assert reverse("surveys:answer") == ANSWER
    assert reverse("surveys:answer_saved") == "/surveys/answer/saved/"


def test_the_old_addresses_with_a_code_in_the_path_are_gone(client, invited) -> None:
    for path in (f"/surveys/i/{invited}/", f"/surveys/o/{invited}/", f"/surveys/a/{invited}/"):
        assert client.get(path).status_code == 404
    assert not Invitation.objects.get().started


def test_the_start_page_reads_the_fragment_with_a_static_script(client) -> None:
    page = client.get(START)
    content = page.content.decode()
    assert page.status_code == 200 and 'name="code"' in content
    assert "surveys/respond.js" in content
    assert "<script>" not in content  # no inline script: the CSP allows none


def test_the_welcome_page_does_not_use_the_link_up(client, invited) -> None:
    page = client.post(START, {"code": invited})
    assert page.status_code == 200
    assert b"Health and work questionnaire" in page.content or b"Vragenlijst" in page.content
    assert page["Referrer-Policy"] == "same-origin"
    assert "no-store" in page["Cache-Control"]
    assert not Invitation.objects.get().started
    # A pasted whole link works as well as the bare code.
    assert client.post(START, {"code": f"https://x.example/surveys/start/#t={invited}"}).status_code == 200


def test_a_used_link_is_refused_with_a_clear_message(client, invited) -> None:
    _start(client, invited)
    client.post(ANSWER, {"page": "1", "action": "next", "gender": "woman"})
    for data in ({"code": invited}, {"code": invited, "action": "begin"}):
        page = client.post(START, data)
        assert page.status_code == 410
        assert b"already been used" in page.content
    assert SurveyResponse.objects.count() == 1


def test_an_unknown_code_is_refused(client, wave) -> None:
    page = client.post(START, {"code": "wrong"})
    assert page.status_code == 404 and b"not valid" in page.content
    # Without a started questionnaire in this browser the answer page asks for the code.
    page = client.get(ANSWER)
    assert page.status_code == 200 and b'name="code"' in page.content


def test_a_closed_wave_refuses_to_start(client, wave, invited) -> None:
    services.wave_close(wave=wave)
    page = client.post(START, {"code": invited, "action": "begin"})
    assert page.status_code == 410 and b"not open" in page.content
    assert not SurveyResponse.objects.exists()
    assert not Invitation.objects.get().started


def test_full_journey_with_skip_logic_save_resume_and_send(client, invited) -> None:
    url = _start(client, invited)
    assert url == ANSWER
    # The code is spent, but no response exists before the first page is saved.
    assert Invitation.objects.get().started and not SurveyResponse.objects.exists()
    page = client.get(url)
    assert page.status_code == 200 and b"Page 1 of 4" in page.content
    nxt = client.post(ANSWER, {"page": "1", "action": "next", "gender": "woman"})
    assert nxt.status_code == 302 and nxt["Location"] == f"{ANSWER}?page=2"
    # Page 2: a grade outside 1-10 is refused, nothing on the page is stored.
    bad = client.post(ANSWER, {"page": "2", "action": "next", "health_grade": "11", "complaints": "no"})
    assert bad.status_code == 400
    assert b"Give a whole number from 1 to 10." in bad.content
    assert b"Nothing on this page was saved." in bad.content
    response = SurveyResponse.objects.get()
    assert "complaints" not in services.response_values(response)
    ok = client.post(
        ANSWER,
        {"page": "2", "action": "next", "health_grade": "7", "complaints": "no", "attention.cares": "4"},
    )
    assert ok["Location"] == f"{ANSWER}?page=3"
    # Page 3: "no steps" means page 4 shows only "why not".
    client.post(ANSWER, {"page": "3", "action": "next", "took_steps": "no"})
    page4 = client.get(f"{ANSWER}?page=4")
    assert b"why_not" in page4.content and b"support_used" not in page4.content
    # Save for later: the saved page shows a code and a link whose fragment carries it.
    saved = client.post(
        ANSWER, {"page": "4", "action": "save", "why_not": ["no_time", "other"], "why_not.other": "Werkdruk"}
    )
    assert saved.status_code == 302
    saved_page = client.get(saved["Location"])
    code = saved_page.context["code"]
    assert f"/surveys/start/#t={code}".encode() in saved_page.content
    client.cookies.clear()  # another day, another browser
    assert client.get(ANSWER).context.get("fields") is None  # nothing open in this browser
    resumed = client.post(START, {"code": code})
    assert resumed.status_code == 302 and resumed["Location"] == ANSWER
    page = client.get(ANSWER)
    assert page.status_code == 200 and b"Page 4 of 5" in page.content
    assert SurveyResponse.objects.get().status == ResponseStatus.PARTIAL
    # Send from the last page.
    sent = client.post(f"{ANSWER}?page=5", {"page": "5", "action": "submit", "future_grade": "9"})
    assert sent.status_code == 302 and sent["Location"] == reverse("surveys:thanks")
    # The browser keeps nothing that leads to the answers.
    assert client.cookies[STATE_COOKIE].value == ""
    response = SurveyResponse.objects.get()
    assert response.status == ResponseStatus.COMPLETE
    values = services.response_values(response)
    assert values["why_not"].choices == ["no_time", "other"] and values["why_not"].text == "Werkdruk"
    # After sending, the resume code only says thank you.
    assert client.post(START, {"code": code})["Location"] == reverse("surveys:thanks")


def test_sending_with_a_required_question_open_goes_back_to_it(client, invited) -> None:
    _start(client, invited)
    client.post(ANSWER, {"page": "1", "action": "next"})
    page = client.post(f"{ANSWER}?page=5", {"page": "5", "action": "submit", "future_grade": "8"})
    assert page.status_code == 400
    assert b"This question needs an answer." in page.content
    assert b'name="health_grade"' in page.content  # page 2 is shown again
    assert SurveyResponse.objects.get().status == ResponseStatus.PARTIAL


def test_a_refused_first_page_can_be_corrected(client, invited) -> None:
    """The right to answer stays in the browser until a response is stored."""
    _start(client, invited)
    bad = client.post(ANSWER, {"page": "1", "action": "next", "gender": "robot"})
    assert bad.status_code == 400 and b"Choose one of the answers shown." in bad.content
    assert not SurveyResponse.objects.exists()
    ok = client.post(ANSWER, {"page": "1", "action": "next", "gender": "man"})
    assert ok.status_code == 302
    assert services.response_values(SurveyResponse.objects.get())["gender"].choice == "man"


def test_the_open_link_starts_a_response_for_everyone(client, wave) -> None:
    token = services.wave_open_link_create(wave=wave)
    for _n in range(2):
        _start(client, token)
        client.post(ANSWER, {"page": "1", "action": "next", "gender": "woman"})
    assert SurveyResponse.objects.count() == 2


def test_answers_after_the_wave_closed_are_refused_with_a_message(client, wave, invited) -> None:
    _start(client, invited)
    client.post(ANSWER, {"page": "1", "action": "next", "gender": "woman"})
    services.wave_close(wave=wave)
    page = client.post(ANSWER, {"page": "2", "action": "next", "health_grade": "7"})
    assert page.status_code == 410 and b"This survey is closed." in page.content
    assert "health_grade" not in services.response_values(SurveyResponse.objects.get())
