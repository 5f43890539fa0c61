"""Distribution: one-time anonymous links, save and resume, partial responses, reminders
without reading answers, and no stored link from a response to a person."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vitaal.surveys import services
from vitaal.surveys.models import (
    Answer,
    Invitation,
    ResponseSource,
    ResponseStatus,
    SurveyResponse,
    token_hash,
)

pytestmark = pytest.mark.django_db

COMPLETE = {"health_grade": "7", "complaints": "no"}


def _invite(wave, *emails):
    return services.invitations_create(wave=wave, emails=list(emails or ["ann@example.org"]))


def _open(wave, raw=None, page=None):
    """A response through the wave's open link: a right, then the first saved page."""
    right = services.open_link_right(token=services.wave_open_link_create(wave=wave))
    return services.response_begin(right=right, raw=raw or {}, page=page)


def test_an_invitation_stores_only_the_hash_of_its_token(wave) -> None:
    [(invitation, token)] = _invite(wave)
    invitation.refresh_from_db()
    assert invitation.token_hash == token_hash(token)
    stored = [str(getattr(invitation, f.attname)) for f in Invitation._meta.concrete_fields]
    assert token not in " ".join(stored)


def test_a_personal_link_works_once(wave) -> None:
    [(_invitation, token)] = _invite(wave)
    assert services.entrance_for_code(code=token).kind == "invitation"  # looking spends nothing
    right = services.invitation_spend(token=token)
    assert right.source == ResponseSource.LINK and right.wave_id == wave.pk
    with pytest.raises(services.CodeRefused, match="already been used") as info:
        services.invitation_spend(token=token)
    assert info.value.reason == "used"
    with pytest.raises(services.CodeRefused, match="already been used"):
        services.entrance_for_code(code=token)
    # Spending the code wrote no response; the first saved page does.
    assert not SurveyResponse.objects.exists()
    response, resume = services.response_begin(right=right, raw={"gender": "woman"}, page=1)
    assert response.status == ResponseStatus.PARTIAL and response.source == ResponseSource.LINK
    # A copied right cannot start a second response.
    with pytest.raises(ValidationError, match="already been sent"):
        services.response_begin(right=right, raw={}, page=1)
    assert SurveyResponse.objects.count() == 1
    # The way back in is the resume key, which is not tied to a person.
    assert services.response_for_key(resume) == response
    assert services.entrance_for_code(code=resume).kind == "resume"


def test_a_refused_first_page_keeps_the_right_for_another_try(wave) -> None:
    [(_invitation, token)] = _invite(wave)
    right = services.invitation_spend(token=token)
    with pytest.raises(ValidationError):
        services.response_begin(right=right, raw={"gender": "robot"}, page=1)
    assert not SurveyResponse.objects.exists()
    response, _resume = services.response_begin(right=right, raw={"gender": "man"}, page=1)
    assert services.response_values(response)["gender"].choice == "man"


def test_unknown_links_and_closed_waves_are_refused(wave) -> None:
    with pytest.raises(ValidationError, match="not valid"):
        services.invitation_spend(token="nonsense")
    with pytest.raises(ValidationError, match="not valid"):
        services.entrance_for_code(code="nonsense")
    [(_invitation, token)] = _invite(wave)
    right = services.open_link_right(token=services.wave_open_link_create(wave=wave))
    services.wave_close(wave=wave)
    with pytest.raises(ValidationError, match="not open"):
        services.invitation_spend(token=token)
    with pytest.raises(ValidationError, match="not open"):
        services.response_begin(right=right, raw={}, page=1)
    assert not Invitation.objects.filter(started=True).exists()


def test_nothing_stored_connects_a_response_to_an_invitation(wave) -> None:
    [(invitation, token)] = _invite(wave)
    right = services.invitation_spend(token=token)
    response, _resume = services.response_begin(right=right, raw={"comments": "fine"}, page=5)
    services.response_save(response=response, raw=COMPLETE, page=2)
    services.response_save(response=response, raw={"took_steps": "no"}, page=3)
    services.response_submit(response=response)
    # No relation from a response or an answer to an invitation, a person or a user ...
    for model in (SurveyResponse, Answer):
        targets = {
            f.related_model.__name__ for f in model._meta.get_fields() if f.is_relation and f.related_model
        }
        assert targets.isdisjoint({"Invitation", "Person", "User"}), (model, targets)
    # ... and no stored value of the response or its answers holds the token or its hash.
    secrets = {token, token_hash(token), invitation.email, right.nonce}
    for row in [response, *Answer.objects.filter(response=response)]:
        row.refresh_from_db()
        values = " ".join(str(getattr(row, f.attname)) for f in row._meta.concrete_fields)
        assert not any(secret in values for secret in secrets)
    # The invitation knows only that its code was used; nothing about when, or what came of it.
    invitation.refresh_from_db()
    assert invitation.started
    assert {f.name for f in Invitation._meta.concrete_fields} == {
        "id",
        "wave",
        "email",
        "token_hash",
        "started",
        "reminders_sent",
    }


def test_save_and_resume_keeps_a_partial_response(wave) -> None:
    response, resume = _open(wave, {"health_grade": "8"}, page=2)
    again = services.response_for_key(resume)
    assert again == response and again.status == ResponseStatus.PARTIAL and again.current_page == 2
    assert services.response_values(again)["health_grade"].number == 8
    with pytest.raises(ValidationError) as info:
        services.response_submit(response=again)
    assert set(info.value.message_dict) == {"complaints", "took_steps"}
    assert SurveyResponse.objects.get().status == ResponseStatus.PARTIAL


def test_a_bad_answer_stores_nothing_of_the_page(wave) -> None:
    response, _key = _open(wave, {"health_grade": "6"}, page=2)
    with pytest.raises(ValidationError) as info:
        services.response_save(response=response, raw={"health_grade": "9", "complaints": "perhaps"}, page=2)
    assert info.value.message_dict == {"complaints": ["Choose one of the answers shown."]}
    assert services.response_values(response)["health_grade"].number == 6


def test_answers_to_questions_hidden_by_skip_logic_are_removed(wave) -> None:
    response, _key = _open(wave, {"took_steps": "yes"}, page=3)
    services.response_save(response=response, raw={"support_used": ["coaching"], "helped": "4"}, page=4)
    assert set(services.response_values(response)) == {"took_steps", "support_used", "helped"}
    services.response_save(response=response, raw={"took_steps": "no"}, page=3)
    assert set(services.response_values(response)) == {"took_steps"}


def test_a_submitted_response_cannot_be_changed_or_sent_again(wave) -> None:
    response, _key = _open(wave, {**COMPLETE, "took_steps": "no"})
    services.response_submit(response=response)
    with pytest.raises(ValidationError, match="already been sent"):
        services.response_submit(response=response)
    with pytest.raises(ValidationError, match="already been sent"):
        services.response_save(response=response, raw={"comments": "more"}, page=5)


def test_an_open_link_starts_a_new_response_each_time_and_can_be_replaced(wave) -> None:
    token = services.wave_open_link_create(wave=wave)
    for _n in range(2):
        services.response_begin(right=services.open_link_right(token=token), raw={}, page=1)
    assert SurveyResponse.objects.filter(source=ResponseSource.OPEN_LINK).count() == 2
    services.wave_open_link_create(wave=wave)
    with pytest.raises(ValidationError, match="not valid"):
        services.open_link_right(token=token)


def test_reminders_go_to_invitees_who_did_not_start_without_reading_answers(
    wave, django_capture_on_commit_callbacks
) -> None:
    pairs = _invite(wave, "ann@example.org", "bob@example.org", "cas@example.org")
    tokens = {invitation.email: token for invitation, token in pairs}
    response, _resume = services.response_begin(
        right=services.invitation_spend(token=tokens["ann@example.org"]), raw={**COMPLETE, "took_steps": "no"}
    )
    services.response_submit(response=response)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        sent = services.reminders_send(wave=wave, subject="Reminder", body="Please fill in the survey.")
    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.org", "cas@example.org"]
    sql = " ".join(q["sql"] for q in queries.captured_queries).lower()
    assert "surveys_surveyresponse" not in sql and "surveys_answer" not in sql
    assert Invitation.objects.get(email="cas@example.org").reminders_sent == 1


@pytest.mark.parametrize(
    ("emails", "message"),
    [
        (["not-an-address"], "is not an email address"),
        (["a@example.org", "A@example.org "], "appears twice"),
    ],
)
def test_bad_invitation_lists_are_refused_whole(wave, emails, message) -> None:
    with pytest.raises(ValidationError, match=message):
        services.invitations_create(wave=wave, emails=["ok@example.org", *emails])
    assert not Invitation.objects.exists()


def test_an_empty_invitation_list_is_refused(wave) -> None:
    with pytest.raises(ValidationError, match="at least one"):
        services.invitations_create(wave=wave, emails=[" ", ""])


def test_inviting_someone_twice_is_refused(wave) -> None:
    _invite(wave)
    with pytest.raises(ValidationError, match="Already invited"):
        _invite(wave, "ANN@example.org")


def test_a_wave_of_another_sectors_organisation_is_refused(cast, employee_questionnaire) -> None:
    from vitaal.core.models import Sector

    other = Sector.objects.create(name="Other", slug="other")
    with pytest.raises(ValidationError, match="not part of this sector"):
        services.wave_create(
            questionnaire=employee_questionnaire, sector=other, organisation=cast.a.organisation, title="x"
        )


def test_the_researcher_enters_an_interview_at_once(cast) -> None:
    from vitaal.surveys.questionnaire_file import DATA_DIR, questionnaire_load, questionnaire_read

    guide = questionnaire_load(
        data=questionnaire_read(DATA_DIR / "works_council_interview.json")
    ).questionnaire
    wave = services.wave_open(
        wave=services.wave_create(questionnaire=guide, sector=cast.sector, title="Works councils 2026")
    )
    raw = {
        "vitality_importance": "very",
        "discussed": "never",
        "discussed_topics": "should be dropped: hidden by skip logic",
        "offer_grade": "7",
        "continue_collective": "fairly",
    }
    response = services.interview_create(wave=wave, raw=raw)
    assert response.status == ResponseStatus.COMPLETE and response.source == ResponseSource.INTERVIEW
    assert "discussed_topics" not in services.response_values(response)
    with pytest.raises(ValidationError):
        services.interview_create(wave=wave, raw={"vitality_importance": "very"})
    assert SurveyResponse.objects.count() == 1


def test_respondents_cannot_save_or_send_after_the_wave_closes(wave) -> None:
    response, _key = _open(wave, {**COMPLETE, "took_steps": "no"})
    services.wave_close(wave=wave)
    with pytest.raises(ValidationError, match="closed"):
        services.response_save(response=response, raw={"comments": "late"}, page=5)
    with pytest.raises(ValidationError, match="closed"):
        services.response_submit(response=response)
    assert SurveyResponse.objects.get().status == ResponseStatus.PARTIAL
